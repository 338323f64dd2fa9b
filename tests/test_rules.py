"""Rule files: every mistake is one line naming the file and the line."""
from __future__ import annotations

from pathlib import Path

import pytest

from extract.clean.rules import CleaningRules
from extract.errors import RuleError
from extract.money.rules import MoneyRules
from extract.rules import load_rule_file

from .conftest import RULES


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
    ],
    ids=["unknown-key", "bad-regex", "yaml-syntax", "missing-key", "nested-unknown-key", "wrong-type", "particle-of-no-cue",
         "participle-of-no-particle-verb"],
)
def test_rule_errors_name_file_and_line(tmp_path, text, model, line, message):
    path = write(tmp_path, text)
    with pytest.raises(RuleError) as caught:
        load_rule_file(path, model)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("name", sorted(p.name for p in RULES.glob("*.yml")))
def test_the_shipped_rule_files_load(nlp, name):
    assert (RULES / name).read_text(encoding="utf-8").lstrip().startswith("#"), "rule files start with a comment"
