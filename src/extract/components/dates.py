"""extract_dates: find calendar references and resolve them to first and last days.

Fiscal calendars and relation cues live in rules/dates.yml. `resolve_date`
turns one expression into (start, end, granularity) and is tested without a
pipeline; relative dates resolve against the document's published date, never
the clock.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

import dateparser
from spacy.language import Language
from spacy.tokens import Doc

from ..rules import Strict
from .base import RuleComponent


class FiscalCalendar(Strict):
    """A government's fiscal year: FY N runs from `start_month` of year N-1 (or N)."""

    name: str
    start_month: int
    named_by_end_year: bool = True  # US FY2016 ends in 2016


class DateRules(Strict):
    """rules/dates.yml."""

    fiscal_year: FiscalCalendar
    relations: dict[str, list[str]]  # relation -> cue words before the date


class Resolved(NamedTuple):
    start: dt.date | None
    end: dt.date | None
    granularity: str


MONTHS = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
YEAR = r"(?:1[89]\d{2}|20\d{2})"
EXPRESSIONS = [
    ("day", rf"\d{{1,2}} {MONTHS},? {YEAR}|{MONTHS} \d{{1,2}},? {YEAR}|{YEAR}-\d{{2}}-\d{{2}}"),
    ("fiscal_year", rf"\b(?:FY ?|fiscal year |fiscal )(?:{YEAR}|\d{{2}})\b"),
    ("month", rf"\b{MONTHS} {YEAR}\b"),
    ("decade", r"\bthe (?:1[89]\d0s|20\d0s|'\d0s)"),
    ("year", rf"(?<![\d,.$-]){YEAR}(?![\d%-])"),
]


def last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def resolve_date(text: str, granularity: str, fiscal: FiscalCalendar) -> Resolved:
    """First and last day of one expression of a known granularity."""
    if granularity == "fiscal_year":
        year = int(re.search(r"\d+$", text).group())  # type: ignore[union-attr]
        year = year + 2000 if year < 100 else year
        first_year = year - 1 if fiscal.named_by_end_year and fiscal.start_month > 1 else year
        start = dt.date(first_year, fiscal.start_month, 1)
        end = dt.date(first_year + 1, fiscal.start_month, 1) - dt.timedelta(days=1)
        return Resolved(start, end, granularity)
    if granularity == "decade":
        digits = re.search(r"\d+", text).group()  # type: ignore[union-attr]
        first = int(digits) if len(digits) == 4 else 1900 + int(digits)
        return Resolved(dt.date(first, 1, 1), dt.date(first + 9, 12, 31), granularity)
    if granularity == "year":
        year = int(text)
        return Resolved(dt.date(year, 1, 1), dt.date(year, 12, 31), granularity)
    parsed = dateparser.parse(text, languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first", "DATE_ORDER": "DMY"})
    if parsed is None:
        return Resolved(None, None, granularity)
    if granularity == "month":
        return Resolved(parsed.date().replace(day=1), last_day(parsed.year, parsed.month), granularity)
    return Resolved(parsed.date(), parsed.date(), granularity)


class DateFinder(RuleComponent[DateRules]):
    """Finds date spans with the patterns above and the cues in rules/dates.yml."""

    rules_file = "dates.yml"
    rules_model = DateRules

    def setup(self) -> None:
        self.relation_of = {cue.lower(): rel for rel, cues in self.rules.relations.items() for cue in cues}
        cues = "|".join(re.escape(c) for c in sorted(self.relation_of, key=len, reverse=True))
        self.patterns = [
            (granularity, re.compile(rf"(?:\b(?P<cue>{cues})\s+)?(?P<date>{pattern})", re.IGNORECASE))
            for granularity, pattern in EXPRESSIONS
        ]

    def __call__(self, doc: Doc) -> Doc:
        taken = [False] * (len(doc.text) + 1)
        spans = []
        for granularity, pattern in self.patterns:
            for match in pattern.finditer(doc.text):
                if any(taken[match.start("date") : match.end()]):
                    continue
                span = doc.char_span(match.start(), match.end(), label="DATE", alignment_mode="expand")
                if span is None:
                    continue
                for i in range(match.start(), match.end()):
                    taken[i] = True
                resolved = resolve_date(match.group("date"), granularity, self.rules.fiscal_year)
                span._.date_start, span._.date_end, span._.granularity = resolved
                if match.group("cue"):
                    span._.relation = self.relation_of[match.group("cue").lower()]
                spans.append(span)
        doc.spans["dates"] = sorted(spans, key=lambda s: s.start_char)
        return doc


@Language.factory("extract_dates", assigns=["doc.spans"], default_config={"rules_path": None})
def make_date_finder(nlp: Language, name: str, rules_path: str | None) -> DateFinder:
    """Build the dates component from rules/dates.yml (or the file `rules_path` names)."""
    return DateFinder(name, rules_path)
