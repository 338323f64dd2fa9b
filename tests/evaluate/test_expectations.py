"""The hand-labeled expectations themselves: one per text, valid, and true to the text they label.

These run without the pipeline. They catch a label whose text was mistyped or
listed out of order, which the scorer could not locate in the cleaned text.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from extract.errors import RuleError
from extract.evaluate.expectations import Expectation, load_expectations

from ..conftest import FIXTURES, RAW, ROOT

CORPORA = {"raw": (RAW, ROOT / "tests" / "expected"), "fixtures": (FIXTURES / "texts", FIXTURES / "expected")}


@pytest.mark.parametrize("corpus", list(CORPORA))
def test_every_text_has_exactly_one_expectation(corpus):
    texts, expected = CORPORA[corpus]
    assert sorted(load_expectations(expected)) == sorted(p.stem for p in texts.glob("*.txt"))


def labeled_texts() -> list[tuple[str, Path, str, list[str]]]:
    cases = []
    for corpus, (texts, expected) in CORPORA.items():
        for doc_id, expectation in sorted(load_expectations(expected).items()):
            for table in ("money", "dates"):
                labels = [row.text for row in getattr(expectation, table)]
                cases.append((f"{corpus}/{doc_id}/{table}", texts / f"{doc_id}.txt", table, labels))
    return cases


@pytest.mark.parametrize(("path", "table", "labels"), [c[1:] for c in labeled_texts()], ids=[c[0] for c in labeled_texts()])
def test_labels_quote_the_text_in_order(path, table, labels):
    text = path.read_text(encoding="utf-8")
    cursor = 0
    for label in labels:
        match = re.compile(r"\s+".join(map(re.escape, label.split()))).search(text, cursor)
        assert match, f"{table} label {label!r} is not in {path.name} after offset {cursor}"
        cursor = match.end()


# ---------------------------------------------------------------- facts

WITH_FACTS = """doc: a
published: 2020-01-06
money:
  - text: "$5 million"
    amount: 5000000
    currency: USD
  - text: "$2 million"
    amount: 2000000
    currency: USD
dates: []
programs:
  - id: FMF
    name: Foreign Military Financing
    mentions: 1
  - id: IMET
    name: International Military Education and Training
    mentions: 1
facts:
  - money: "$5 million"
    program: FMF
    start: 2015-10-01
    end: 2016-09-30
    recipient: IRQ
    provider: USA
  - money: "$2 million"
    program: [FMF, IMET]
    start: null
    end: null
    recipient: null
    provider: NATO
"""


def load_one(tmp_path: Path, text: str) -> Expectation:
    (tmp_path / "a.yml").write_text(text, encoding="utf-8")
    return load_expectations(tmp_path)["a"]


@pytest.mark.parametrize(
    ("old", "new", "index", "field", "value"),
    [
        ("", "", 0, "program", "FMF"),
        ("", "", 1, "program", ["FMF", "IMET"]),
        ("", "", 0, "start", dt.date(2015, 10, 1)),
        ("", "", 1, "end", None),
        ("", "", 0, "recipient", "IRQ"),
        ("", "", 1, "provider", "NATO"),
        ("    provider: NATO", "    provider: World Bank", 1, "provider", "World Bank"),
        ("    program: [FMF, IMET]", "    program: null", 1, "program", None),
    ],
    ids=["program-id", "program-list", "start-is-date", "null-end", "recipient-code", "provider-organization",
         "provider-world-bank", "no-program"],
)
def test_facts_load_with_their_values(tmp_path, old, new, index, field, value):
    assert old in WITH_FACTS
    facts = load_one(tmp_path, WITH_FACTS.replace(old, new, 1)).facts
    assert facts is not None and len(facts) == 2
    assert getattr(facts[index], field) == value


def test_facts_are_optional(tmp_path):
    assert load_one(tmp_path, WITH_FACTS.split("facts:")[0]).facts is None


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("    recipient: IRQ", "    recipent: IRQ", 23, "unknown key 'recipent' (expected one of: money, program, start,"),
        ("    provider: NATO", "    provider: NATO\n    source: x", 31, "unknown key 'source'"),
        ("    provider: USA\n", "", 19, "missing required key 'provider'"),
        ("    recipient: IRQ", "    recipient: Iraq", 23, "'facts.0.recipient'"),
        ("    start: 2015-10-01", "    start: FY2016", 21, "'facts.0.start"),
        ("    start: 2015-10-01", "    start: 2015-13-01", 21, "2015-13-01 is not a date (month must be in 1..12)"),
        ("    end: 2016-09-30", "    end: 2014-09-30", 19, "start 2015-10-01 is after end 2014-09-30"),
        ("    end: 2016-09-30", "    end: null", 19, "start and end must both be dates or both be null"),
        ("  - money: \"$2 million\"\n    program: [FMF, IMET]\n    start: null\n    end: null\n"
         "    recipient: null\n    provider: NATO\n", "", 18, "facts has 1 entries but money has 2"),
        ("    provider: NATO", "    provider: NATO\n  - money: \"$1\"\n    program: null\n    start: null\n"
         "    end: null\n    recipient: null\n    provider: null", 18, "facts has 3 entries but money has 2"),
        ("  - money: \"$5 million\"", "  - money: \"$2 million\"", 19, "facts 0 is for '$2 million' but money row 0"),
        ("    program: FMF\n", "    program: CTEF\n", 20, "facts 0: program 'CTEF' is not in programs"),
        ("    program: [FMF, IMET]", "    program: [FMF, EDA]", 26, "facts 1: program 'EDA' is not in programs"),
    ],
    ids=["unknown-key", "unknown-key-last-entry", "missing-key", "country-name-not-code", "not-a-date", "impossible-date",
         "start-after-end", "half-open", "fewer-facts-than-money", "more-facts-than-money", "wrong-order",
         "unknown-program", "unknown-program-in-list"],
)
def test_facts_errors_name_file_and_line(tmp_path, old, new, line, message):
    assert old in WITH_FACTS
    with pytest.raises(RuleError) as caught:
        load_one(tmp_path, WITH_FACTS.replace(old, new, 1))
    assert str(caught.value).startswith(f"{tmp_path / 'a.yml'}:{line}: "), str(caught.value)
    assert message in str(caught.value)
