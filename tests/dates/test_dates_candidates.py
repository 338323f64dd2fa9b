"""The model's DATE entities as candidates: which become rows, with which days, and which are rejected.

Pure cases (extract.dates.patterns.candidate_parts, find_dates with `candidates`) and
the component on spacy.blank("en") with hand-set entities, so that nothing
here depends on what the statistical model happens to tag.
"""
from __future__ import annotations

import datetime as dt

import pytest
import spacy
from spacy.tokens import Span

import extract.components  # noqa: F401  (registers extract_dates)
from extract.dates.find import find_dates
from extract.dates.patterns import candidate_parts
from extract.dates.rules import default_rules

from ..conftest import RULES

PARTS = [
    ("compact", "24-Sep-2012", ("day", "month", "year")),
    ("year-first", "2012 September 24", ("day", "month", "year")),
    ("glued", "Sept.24th,2012", ("day", "month", "year")),
    ("month-year", "Sept-2012", ("month", "year")),
    ("day-month", "Sept. 24", ("day", "month")),
    ("two-digit-year", "Sep 24 '12", ("day", "month", "year")),
    ("month-alone", "September", None),  # `a rescue deal for May`: May is a company
    ("year-alone", "2012", None),  # the year pattern looked at it already
    ("duration", "two decades", None),
    ("duration-with-month", "18 months to September 2012", None),
    ("vague", "recent years", None),
    ("recurring", "each September 2012", None),
    ("age", "45 years old", None),
    ("time-of-day", "the morning of 24-Sep-2012", None),
    ("weekday", "Saturday", None),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in PARTS], ids=[c[0] for c in PARTS])
def test_candidate_parts(text, expected):
    assert candidate_parts(text, default_rules()) == expected


def as_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


P = "2013-01-10"
# (id, sentence, candidate texts, published, expected rows (text, start, end, granularity, relation))
CANDIDATES = [
    ("accepted-month-year", "Deliveries slipped to Sept-2012 at the port.", ["Sept-2012"], P,
     [("Sept-2012", "2012-09-01", "2012-09-30", "month", None)]),
    ("pattern-wins-over-a-longer-candidate", "In 2012 it shipped Sep 24 '12 from Erbil.", ["Sep 24 '12"], P,
     [("2012", "2012-01-01", "2012-12-31", "year", None), ("Sep 24", "2012-09-24", "2012-09-24", "day", None)]),
    ("accepted-takes-a-cue", "Until Sept-2012 the unit trained.", ["Sept-2012"], P,
     [("Until Sept-2012", "2012-09-01", "2012-09-30", "month", "until")]),
    ("accepted-is-an-anchor", "Talks open Sept-2012 and close in December.", ["Sept-2012"], P,
     [("Sept-2012", "2012-09-01", "2012-09-30", "month", None), ("December", "2012-12-01", "2012-12-31", "month", None)]),
    ("rejected-unreadable", "Deliveries slipped to Sep '12 at the port.", ["Sep '12"], P, []),
    ("rejected-duration", "It took two decades and many months.", ["two decades", "many months"], P, []),
    ("rejected-vague", "Trade grew in recent years, each year.", ["recent years", "each year"], P, []),
    ("rejected-month-alone", "Analysts see a rescue deal for May.", ["May"], P, []),
    ("pattern-wins-on-overlap", "Signed 24 September 2012 in Baghdad.", ["September 2012"], P,
     [("24 September 2012", "2012-09-24", "2012-09-24", "day", None)]),
]


def spans_of(sentence: str, texts: list[str]) -> list[tuple[int, int]]:
    return [(sentence.index(t), sentence.index(t) + len(t)) for t in texts]


@pytest.mark.parametrize("sentence,texts,published,expected", [c[1:] for c in CANDIDATES], ids=[c[0] for c in CANDIDATES])
def test_find_dates_with_candidates(sentence, texts, published, expected):
    rows = find_dates(sentence, as_date(published), candidates=spans_of(sentence, texts))
    found = [(r.text, r.date_start, r.date_end, r.granularity, r.relation) for r in rows]
    assert found == [(t, as_date(s), as_date(e), g, rel) for t, s, e, g, rel in expected]


@pytest.fixture(scope="module")
def dates_nlp() -> spacy.language.Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("extract_dates", config={"rules_path": str(RULES / "dates.yml")})
    return nlp


@pytest.mark.parametrize("sentence,texts,published,expected", [c[1:] for c in CANDIDATES], ids=[c[0] for c in CANDIDATES])
def test_component_reads_hand_set_date_entities(dates_nlp, sentence, texts, published, expected):
    doc = dates_nlp.make_doc(sentence)
    doc.ents = [doc.char_span(start, end, label="DATE", alignment_mode="strict") for start, end in spans_of(sentence, texts)]
    doc._.published = as_date(published)
    found = [(s.text, s._.date_start, s._.date_end, s._.granularity, s._.relation) for s in dates_nlp(doc).spans["dates"]]
    assert found == [(t, as_date(s), as_date(e), g, rel) for t, s, e, g, rel in expected]


def test_component_ignores_entities_of_other_labels(dates_nlp):
    doc = dates_nlp.make_doc("Deliveries slipped to Sept-2012 at the port.")
    doc.ents = [Span(doc, 3, 4, label="CARDINAL")]
    assert list(dates_nlp(doc).spans["dates"]) == []


def test_component_without_entities_works_from_the_patterns(dates_nlp):
    doc = dates_nlp.make_doc("Signed on 24-Sep-2012 in Baghdad.")
    assert [(s.text, s._.date_start) for s in dates_nlp(doc).spans["dates"]] == [("24-Sep-2012", dt.date(2012, 9, 24))]


def test_a_candidate_inside_the_pages_stamp_stays_out():
    """A model's DATE inside a span cleaning marked as the page's own date (Cleaned.stamps) is no row."""
    text = "WASHINGTON, Jan. 5, 2024 -- Aid rose."
    assert find_dates(text, None, candidates=spans_of(text, ["Jan. 5, 2024"]), stamps=[(0, 27)]) == []
    assert [r.text for r in find_dates(text, None, candidates=spans_of(text, ["Jan. 5, 2024"]))] == ["Jan. 5, 2024"]
