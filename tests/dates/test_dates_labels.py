"""The dates component on every hand-labeled text: each labeled date found with the right days, nothing else.

Runs on the cleaned text (extract.clean.document.clean_text), with `published` from the
label file, so it measures the dates stage alone, not cleaning's date stamp; the spans of
the page's own dates (Cleaned.stamps) come from cleaning, which alone decides them.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import spacy
from ruamel.yaml import YAML

import extract.components  # noqa: F401  (registers extract_dates)
from extract.clean.document import clean_text
from extract.clean.rules import load_cleaning_rules

from ..conftest import FIXTURES, RAW, ROOT, RULES

LABELED = [(RAW / f"{p.stem}.txt", p) for p in sorted((ROOT / "tests" / "expected").glob("*.yml"))] + [
    (FIXTURES / "texts" / f"{p.stem}.txt", p) for p in sorted((FIXTURES / "expected").glob("*.yml"))
]
Row = tuple[str, "dt.date | None", "dt.date | None", str, "str | None"]


@pytest.fixture(scope="module")
def dates_nlp() -> spacy.language.Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("extract_dates", config={"rules_path": str(RULES / "dates.yml")})
    return nlp


def as_date(value: object) -> dt.date | None:
    return dt.date.fromisoformat(str(value)) if value else None


def labeled_rows(label: dict) -> list[Row]:
    return [(d["text"], as_date(d["start"]), as_date(d["end"]), d["granularity"], d.get("relation"))
            for d in label.get("dates") or []]


def found_rows(nlp: spacy.language.Language, text_path: Path, label: dict) -> list[Row]:
    cleaned = clean_text(text_path.read_text(encoding="utf-8"), load_cleaning_rules(RULES))
    doc = nlp.make_doc(cleaned.text)
    doc._.published = as_date(label.get("published"))
    doc._.source = cleaned.source
    doc._.stamps = tuple(cleaned.stamps)
    doc = nlp(doc)
    return [(s.text, s._.date_start, s._.date_end, s._.granularity, s._.relation) for s in doc.spans["dates"]]


def difference(expected: list[Row], found: list[Row]) -> tuple[list[Row], list[Row]]:
    """Labeled rows not found (misses) and found rows not labeled (extras), counting repeats."""
    misses, extras = list(expected), []
    for row in found:
        if row in misses:
            misses.remove(row)
        else:
            extras.append(row)
    return misses, extras


@pytest.mark.parametrize("text_path,label_path", LABELED, ids=[p.stem for _, p in LABELED])
def test_dates_match_the_hand_labels(dates_nlp, text_path, label_path):
    label = YAML(typ="safe").load(label_path.read_text(encoding="utf-8"))
    misses, extras = difference(labeled_rows(label), found_rows(dates_nlp, text_path, label))
    assert not misses and not extras, f"misses: {misses}\nextras: {extras}"
