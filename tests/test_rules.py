"""Rule files: every mistake is one line naming the file and the line."""
from __future__ import annotations

import copy
import functools
import types
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from ruamel.yaml import YAML

from extract.clean.rules import CleaningRules, load_cleaning_rules
from extract.dates.rules import DateRules, load_date_rules
from extract.errors import RuleError
from extract.facts.parties import PartyRules, load_party_rules
from extract.money.grammar import grammar_for
from extract.money.rules import MoneyRules
from extract.programs.rules import ProgramRules
from extract.rules import RULE_FILES, Strict, load_rule_file
from extract.sentences.rules import SentenceRules

from .conftest import RULES

# Each rule file's schema, and how the pipeline loads it (with the checks a loader adds to the schema's).
MODELS: dict[str, type[Strict]] = {
    "cleaning.yml": CleaningRules, "dates.yml": DateRules, "money.yml": MoneyRules, "parties.yml": PartyRules,
    "programs.yml": ProgramRules, "sentences.yml": SentenceRules,
}
LOADERS: dict[str, Callable[[Path], object]] = {
    "cleaning.yml": lambda path: load_cleaning_rules(path.parent),
    "dates.yml": load_date_rules,
    "money.yml": grammar_for,
    "parties.yml": load_party_rules,
    "programs.yml": lambda path: load_rule_file(path, ProgramRules),
    "sentences.yml": lambda path: load_rule_file(path, SentenceRules),
}
UNKNOWN = "no_such_key"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "model", "line", "message"),
    [
        ("lines:\n  - pattern: 'a'\n    wy: typo\n", CleaningRules, 3, "unknown key 'wy' (expected one of: pattern, why)"),
        ("lines:\n  - pattern: '(unclosed'\n", CleaningRules, 2, "bad regular expression"),
        ("lines:\n  - pattern: [a\n", CleaningRules, 3, "YAML syntax error"),
        ("blocks:\n  - why: no start\n", CleaningRules, 2, "missing required key 'start'"),
        ("currencies:\n  - code: USD\n    symbol: ['$']\nscales: {}\nqualifiers: {}\n", MoneyRules, 3, "unknown key 'symbol'"),
        ("currencies: []\nscales:\n  million: lots\nqualifiers: {}\n", MoneyRules, 3, "'scales.million'"),
        ("currencies: []\nscales: {}\nqualifiers:\n  more_than: [over]\nparticle_verbs:\n  ovr: [handed]\n", MoneyRules, 5,
         "'ovr' is not a qualifier cue"),
        ("currencies: []\nscales: {}\nqualifiers:\n  more_than: [over]\nparticle_verbs:\n  over: [handed]\n"
         "passive_words: [was]\npassive_participles: [handd]\n", MoneyRules, 8, "'handd' is not one of the forms"),
        ("currencies: []\nscales: {}\nqualifiers:\n  more_than: [over]\n  mor_than: [above]\n", MoneyRules, 5,
         "unknown key 'mor_than' (expected one of: more_than, less_than, approx, up_to, at_least)"),
        ("fiscal_calendars:\n  us: {start_month: 10, named_by_end_year: true}\ndefault_fiscal_calendar: us\n"
         "relations:\n  untill: [until]\nseasons: {}\n", DateRules, 5,
         "unknown key 'untill' (expected one of: since, until, before, after)"),
        ("lines:\n  - pattern: 'a'\n    why: 2015-13-01\n", CleaningRules, 3, "2015-13-01 is not a date"),
        ("lines:\n  - pattern: 'x'\n  - pattern: '(a+)+$'\n", CleaningRules, 3, "repeats a repetition, like (a+)+"),
        ("blocks:\n  - start: 'x'\n    paragraphs: -1\n", CleaningRules, 3, "'blocks.0.paragraphs': input should be greater"),
        ("fiscal_calendars:\n  us: {start_month: 13, named_by_end_year: true}\ndefault_fiscal_calendar: us\n"
         "relations: {}\nseasons: {}\n", DateRules, 2, "'fiscal_calendars.us.start_month': input should be less"),
        ("fiscal_calendars: {}\ndefault_fiscal_calendar: us\nrelations: {}\nseasons:\n  spring: [0, 5]\n", DateRules, 5,
         "'seasons.spring.0': input should be greater"),
        ("currencies: []\nscales: {}\nqualifiers: {}\nmax_integer_digits: 0\n", MoneyRules, 4,
         "'max_integer_digits': input should be greater"),
        ("titles:\n  - Maj\n  - Adm.\nabbreviations: [Mr]\n", SentenceRules, 3, "'Adm.' is not a title"),
        ("titles: [Maj]\nabbreviations:\n  - Mr\n  - Calif.\n", SentenceRules, 4, "'Calif.' is not an abbreviation"),
        ("cues:\n  program: {}\n  not_program: []\nprepositions:\n  - of\n  - Of\nminor_words: [of]\nprograms: []\n",
         ProgramRules, 6, "'Of' is not a small word"),
        ("cues:\n  program: {}\n  not_program: []\nprepositions: [of]\nminor_words:\n  - of the\nprograms: []\n",
         ProgramRules, 6, "'of the' is not a small word"),
        ("cues:\n  program: {}\n  not_program: []\nprepositions: [of]\nminor_words: [of]\nlowercase:\n  cues: [fund]\n"
         "  inner:\n    - ''\nprograms: []\n", ProgramRules, 9, "'' is not a small word"),
    ],
    ids=["unknown-key", "bad-regex", "yaml-syntax", "missing-key", "nested-unknown-key", "wrong-type", "particle-of-no-cue",
         "participle-of-no-particle-verb", "unknown-qualifier", "unknown-relation", "impossible-date", "nested-repetition",
         "negative-count", "month-13", "month-0", "zero-size", "title-with-its-stop", "abbreviation-with-its-stop",
         "capitalized-preposition",
         "two-minor-words", "empty-inner-word"],
)
def test_rule_errors_name_file_and_line(tmp_path, text, model, line, message):
    path = write(tmp_path, text)
    with pytest.raises(RuleError) as caught:
        load_rule_file(path, model)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_every_rule_file_has_a_schema_and_a_loader():
    assert sorted(MODELS) == sorted(LOADERS) == sorted(RULE_FILES) == sorted(p.name for p in RULES.glob("*.yml"))


@pytest.mark.parametrize("name", RULE_FILES)
def test_the_shipped_rule_files_load(name):
    """Each file is loaded here by its own loader: the `nlp` fixture never reads cleaning.yml (the batch run does)."""
    assert (RULES / name).read_text(encoding="utf-8").lstrip().startswith("#"), "rule files start with a comment"
    assert LOADERS[name](RULES / name) is not None


@pytest.mark.parametrize("name", RULE_FILES)
def test_an_unknown_key_appended_to_a_shipped_file_names_its_line(tmp_path, name):
    text = (RULES / name).read_text(encoding="utf-8").rstrip("\n") + f"\n{UNKNOWN}: 1\n"
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        LOADERS[name](path)
    assert str(caught.value).startswith(f"{path}:{text.count(chr(10))}: unknown key '{UNKNOWN}'")


def members(annotation: Any) -> tuple[Any, ...]:
    """The types an `X | None` or `Union[X, Y]` annotation allows; the annotation itself otherwise."""
    origin = typing.get_origin(annotation)
    return typing.get_args(annotation) if origin in (typing.Union, types.UnionType) else (annotation,)


def closed_mappings(annotation: Any, node: Any, loc: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Where in a rule file's data a mapping takes only the keys its schema names.

    A model's own mapping, and a mapping whose keys are a fixed set (Literal); for
    a list or an open mapping (scale words, sources), its first entry stands for all.
    """
    for kind in members(annotation):
        origin, args = typing.get_origin(kind), typing.get_args(kind)
        if isinstance(kind, type) and issubclass(kind, BaseModel) and isinstance(node, dict):
            yield loc
            for name, field in kind.model_fields.items():
                if name in node:
                    yield from closed_mappings(field.annotation, node[name], (*loc, name))
        elif origin is list and isinstance(node, list) and node:
            yield from closed_mappings(args[0], node[0], (*loc, 0))
        elif origin is dict and isinstance(node, dict) and node:
            if typing.get_origin(args[0]) is typing.Literal:
                yield loc
            first = next(iter(node))
            yield from closed_mappings(args[1], node[first], (*loc, first))


@functools.cache
def shipped(name: str) -> Any:
    """A shipped rule file as ruamel reads it, parsed once (each test changes a deep copy)."""
    return YAML(typ="rt").load((RULES / name).read_text(encoding="utf-8"))


def shipped_mappings() -> list[Any]:
    cases = []
    for name in RULE_FILES:
        data = shipped(name)
        cases += [pytest.param(name, loc, id=f"{name}:{'.'.join(map(str, loc)) or 'top'}")
                  for loc in closed_mappings(MODELS[name], data)]
    return cases


@pytest.mark.parametrize(("name", "loc"), shipped_mappings())
def test_an_unknown_key_anywhere_in_a_shipped_file_names_its_line(tmp_path, name, loc):
    """Every mapping of every rule file that a schema closes rejects a key it does not know, at that key's line."""
    data = copy.deepcopy(shipped(name))
    node = data
    for part in loc:
        node = node[part]
    node.insert(0, UNKNOWN, 1)
    path = tmp_path / name
    YAML(typ="rt").dump(data, path)
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if f"{UNKNOWN}:" in text)
    with pytest.raises(RuleError) as caught:
        load_rule_file(path, MODELS[name])
    assert str(caught.value).startswith(f"{path}:{line}: unknown key '{UNKNOWN}' (expected one of: ")
