"""Property tests: random and adversarial text never makes the dates stage raise, and its rows stay well-formed.

Quick by design: a few hundred examples. How time grows with the input is
measured by the benchmark (`make bench-hostile`), never asserted here.
"""
from __future__ import annotations

import datetime as dt

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

import extract.components  # noqa: F401  (registers extract_dates)
from extract.dates.find import find_dates, resolve_date

from ..conftest import RULES

PIECES = ["May", "March", "Sept.", "24", "2012", "FY", "FY16", "-", "/", ".", ",", "Q3", "H1", "the", "1980s", "'90s",
          "since", "by the end of", "between", "and", "from", "to", "last", "week", "Saturday", "today", "fiscal year",
          "06-01-2020", "31/02/2020", "9999", "0000", "١٢", "二〇一二年", "Январь", "é", "\n", "WASHINGTON,", "--", "©",
          "early", "mid-", "century", "21st", "quarter", "half", "of", "summer", "winter", "$", "%", "F-16", "(", ")"]
GRANULARITIES = {"day", "week", "weekend", "month", "quarter", "half", "season", "year", "fiscal_year", "decade", "century"}
RELATIONS = {None, "since", "until", "before", "after"}

texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(PIECES), max_size=60).map(" ".join),
    st.lists(st.sampled_from(PIECES), max_size=60).map("".join),
)
published = st.one_of(st.none(), st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))


@settings(max_examples=150, deadline=None)
@given(text=texts, when=published)
def test_find_dates_never_raises_and_rows_are_well_formed(text, when):
    for row in find_dates(text, when):
        assert text[row.start_char : row.end_char] == row.text
        assert row.granularity in GRANULARITIES and row.relation in RELATIONS
        if row.date_start and row.date_end:
            assert row.date_start <= row.date_end


@settings(max_examples=100, deadline=None)
@given(text=texts, when=published, data=st.data())
def test_candidates_never_raise_nor_overlap(text, when, data):
    """Any candidate spans (as a model might give) keep rows well-formed and apart."""
    bounds = st.integers(min_value=0, max_value=len(text))
    pairs = data.draw(st.lists(st.tuples(bounds, bounds), max_size=8))
    rows = find_dates(text, when, candidates=[(min(a, b), max(a, b)) for a, b in pairs])
    for row, following in zip(rows, rows[1:]):
        assert row.end_char <= following.start_char
    for row in rows:
        assert text[row.start_char : row.end_char] == row.text and row.granularity in GRANULARITIES


@settings(max_examples=100, deadline=None)
@given(text=texts, when=published)
def test_resolve_date_is_the_one_row_or_none(text, when):
    """An expression resolves when find_dates reads exactly one date in it; else it is no date (None)."""
    rows = find_dates(text, when)
    resolved = resolve_date(text, when)
    if len(rows) == 1:
        assert resolved == (rows[0].date_start, rows[0].date_end, rows[0].granularity)
        assert resolved.granularity in GRANULARITIES
    else:
        assert resolved is None


@pytest.fixture(scope="module")
def dates_nlp() -> spacy.language.Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("extract_dates", config={"rules_path": str(RULES / "dates.yml")})
    return nlp


@settings(max_examples=50, deadline=None)
@given(text=texts, when=published)
def test_component_never_raises(dates_nlp, text, when):
    doc = dates_nlp.make_doc(text)
    doc._.published = when
    for span in dates_nlp(doc).spans["dates"]:
        assert span._.granularity in GRANULARITIES

