"""Money and dates run their patterns only in windows around anchor words (extract.anchors).

That is safe only while every match a scan of the whole text finds lies inside
one window: these tests check it on texts written to stretch the reach, on
raw/ and the fixtures, and on a slice of each news corpus.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from extract.dates.patterns import COMPILED, pattern_windows
from extract.money import grammar as money
from extract.money.grammar import grammar_for

from .conftest import FIXTURES, ROOT, shared

# Dates and amounts that run far ahead of their first anchor word or past their last one.
STRETCHED = [
    "We met the day before yesterday and will meet again the day after tomorrow.",
    "It is the greatest threat of the twenty first century, as in the nineteen-seventies.",
    "Spending in the 2024-25 financial years rose, and in the 2023 fiscal year it fell.",
    "In the first calendar quarter of this year, and during the previous weekend.",
    "The second half of the year, the latter half of 2023, in the week of 12 March.",
    "On Wednesday, the 12th of March, 2025, or Mon. Sept. 3, and in late spring of 2024.",
    "Funding of not less than US$ 5 million and of approximately 7 million Australian dollars was promised.",
    "They pledged in excess of two hundred million New Zealand dollars, between $5m and $7m a year.",
    "Aid worth no less than 3 billion USD, a minimum of €250,000 and as much as £ 1.2bn arrived.",
]


def corpus_slice(folder: str, count: int) -> list[Path]:
    return sorted(shared("corpora", folder).rglob("*.txt"))[:count]


TEXTS = [
    *[pytest.param(text, id=f"stretched-{i}") for i, text in enumerate(STRETCHED)],
    *[pytest.param(path, id=path.name) for path in sorted((ROOT / "raw").glob("*.txt"))],
    *[pytest.param(path, id=path.name) for path in sorted((FIXTURES / "texts").iterdir())],
    *[pytest.param(path, id=f"bbc-{path.parent.name}-{path.name}") for path in corpus_slice("bbc-news-2005", 150)],
    *[pytest.param(path, id=f"reuters-{path.name}") for path in corpus_slice("reuters-21578", 150)],
]


def read(source: str | Path) -> str:
    return source.read_text(encoding="utf-8", errors="replace") if isinstance(source, Path) else source


def outside(spans: list[tuple[int, int]], windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans that no single window holds."""
    return [(s, e) for s, e in spans if not any(start <= s and e <= end for start, end in windows)]


@pytest.mark.parametrize("source", TEXTS)
def test_every_date_pattern_match_lies_inside_its_windows(source: str | Path) -> None:
    text = read(source)
    windows = pattern_windows(text)
    missed = {
        kind: [text[s:e] for s, e in outside([m.span() for m in pattern.finditer(text)], windows[kind])]
        for kind, pattern in COMPILED
    }
    assert {kind: found for kind, found in missed.items() if found} == {}


@pytest.mark.parametrize("source", TEXTS)
def test_money_finds_the_same_amounts_as_a_scan_of_the_whole_text(source: str | Path, monkeypatch) -> None:
    grammar = grammar_for(ROOT / "rules" / "money.yml")
    text = read(source)
    in_windows = grammar.find(text)
    monkeypatch.setattr(money, "anchor_windows", lambda text, *_: [(0, len(text))])
    assert in_windows == grammar.find(text)


def test_the_stretched_texts_hold_dates_and_amounts() -> None:
    """The texts above must really exercise both scanners, or the tests on them prove nothing."""
    grammar = grammar_for(ROOT / "rules" / "money.yml")
    text = " ".join(STRETCHED)
    assert sum(1 for _, pattern in COMPILED for _ in pattern.finditer(text)) >= 20
    assert len(grammar.find(text)) >= 6
