"""The hand-labeled expectations themselves: one per text, valid, and true to the text they label.

These run without the pipeline. They catch a label whose text was mistyped or
listed out of order, which the scorer could not locate in the cleaned text.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from extract.evaluate import load_expectations

from .conftest import FIXTURES, RAW, ROOT

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
