"""What resolving an expression needs besides the expression: the document, its settings, notes.

Resolvers note each decision on the Context where they make it, so that a
row's `rule` and `flags` are never worked out again afterwards.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import NamedTuple

import dateparser

from ..sentences.bounds import Sentences
from .calendars import Evidence, calendar_evidence, month_span
from .patterns import MONTHS, WINDOW, has_word
from .rules import DateRules


class Resolved(NamedTuple):
    """The days one expression covers; start and end are None when they cannot be known."""

    start: dt.date | None
    end: dt.date | None
    granularity: str


@dataclass(frozen=True)
class DateRow:
    """One row of the dates table, before it becomes a spaCy span."""

    start_char: int
    end_char: int
    text: str
    date_start: dt.date | None
    date_end: dt.date | None
    granularity: str
    relation: str | None = None
    rule: tuple[str, ...] = ()  # the patterns, rules entries and steps that decided it (tables' `rule`)
    flags: frozenset[str] = frozenset()  # review flags (extract.extensions.FLAGS)


class DayOrder(NamedTuple):
    """The day-month order of a document's numeric dates, and what decided it."""

    day_first: bool | None
    rule: str | None = None  # the rules entry (a site's date_order, day_first_by_source) or step that decided it
    inferred: bool = False  # read from the document's other dates, not from a rule


@dataclass
class Notes:
    """What decided the expression being resolved: rule parts in order, and review flags.

    Resolvers note a decision where they make it (Context.note), so that the
    row's `rule` and `flags` are never worked out again afterwards.
    """

    rule: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)


@dataclass
class Context:
    """What resolving needs besides the expression: the document and its settings."""

    text: str
    published: dt.date | None
    rules: DateRules
    source: str | None
    sentences: Sentences
    order: DayOrder = DayOrder(None)
    anchor: tuple[int, dt.date] | None = None  # (year written, last day) of the closest earlier dated row
    notes: Notes = field(default_factory=Notes)

    @property
    def day_first(self) -> bool | None:
        return self.order.day_first

    def note(self, *rule: str | None, flag: str | None = None) -> None:
        """Record what decided the current expression: rules entries or steps, and a review flag."""
        self.notes.rule.extend(part for part in rule if part)
        if flag:
            self.notes.flags.add(flag)

    def year_of_undated(self) -> int | None:
        """The year of a date written without one: the closest earlier written year, else published's."""
        year = self.anchor[0] if self.anchor else self.published.year if self.published else None
        if year is None:
            self.note(flag="unresolved")
        else:
            self.note("year_of_earlier_date" if self.anchor else "year_of_published", flag="year_inferred")
        return year

    def against_published(self) -> dt.date | None:
        """published, for a date relative to it: noted `relative`, or `unresolved` when there is none."""
        self.note(flag="relative" if self.published else "unresolved")
        return self.published

    def sentence(self, start: int, end: int) -> str:
        """The sentence around characters start..end (extract.sentences), at most WINDOW characters
        each side: tense and phrases are read near the date, and time stays linear in a long one."""
        first, last = self.sentences.around(start, end)
        return self.text[max(first, start - WINDOW) : min(last, end + WINDOW)]

    @cached_property
    def document_calendar(self) -> Evidence | None:
        """The fiscal calendar the whole text's phrases and currencies point to (once per document)."""
        return calendar_evidence(self.text, self.rules)

    def past(self, start: int, end: int) -> bool:
        """Whether the sentence tells of the past (word lists in rules/dates.yml)."""
        sentence = self.sentence(start, end).lower()
        return has_word(sentence, self.rules.past_words) and not has_word(sentence, self.rules.future_words)

    def future(self, start: int, end: int) -> bool:
        return has_word(self.sentence(start, end).lower(), self.rules.future_words)


BASE_WITHOUT_PUBLISHED = dt.datetime(2000, 1, 1)  # a leap year, so that `29 February` reads


def parser_settings(parts: tuple[str, ...], day_first: bool | None, base: dt.datetime) -> dict[str, object]:
    """dateparser's settings for one expression, all explicit, so that nothing depends on the clock or a guess.

    - DATE_ORDER: the day-month order decided for the site, source or document
      (day_first_for). Only numbers could make it matter, and every expression
      read here names its month with a word: unknown order reads either way.
    - REQUIRE_PARTS: exactly the parts the words contain, so that dateparser
      never fills one in from RELATIVE_BASE (a stray `24` is not today's month).
    - STRICT_PARSING off: it demands day, month and year, which REQUIRE_PARTS
      already demands when all three are written (`31 February 2015` reads as
      nothing, never as 28 February), and it would reject `Sep 2015`.
    - PREFER_DAY_OF_MONTH `first`: a month and year (`Sep 2015`) reads as its
      first day; the row keeps the whole month.
    - RELATIVE_BASE: published, never the clock (a fixed leap year when unknown).
      It only supplies the year of a day written without one, and place_in_year
      then puts that day in the year the text gives (LABELING, dates without a year).
    - PREFER_DATES_FROM `current_period`: tense is place_in_year's decision, not dateparser's.
    """
    return {
        "DATE_ORDER": "DMY" if day_first else "MDY",
        "REQUIRE_PARTS": list(parts),
        "STRICT_PARSING": False,
        "PREFER_DAY_OF_MONTH": "first",
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "current_period",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }


@lru_cache(maxsize=4096)
def read_with_dateparser(text: str, parts: tuple[str, ...], day_first: bool | None,
                         base: dt.datetime) -> dt.datetime | None:
    """One expression read by dateparser; a call costs about 2 ms, and a page repeats its dates, hence the cache."""
    return dateparser.parse(text, languages=["en"], settings=parser_settings(parts, day_first, base))


def read_day(text: str, parts: tuple[str, ...], ctx: Context) -> Result:
    """The day (or month) dateparser reads in `text`; without a year, a Partial that place_in_year finishes."""
    base = dt.datetime.combine(ctx.published, dt.time()) if ctx.published else BASE_WITHOUT_PUBLISHED
    found = read_with_dateparser(text, parts, ctx.day_first, base)
    if found is None or found.time() != dt.time():
        return None  # not a date, or a time of day came with it
    if "year" not in parts:
        return Partial(found.month, found.day)
    if "day" not in parts:
        return Resolved(*month_span(found.year, found.month), "month")
    return Resolved(found.date(), found.date(), "day")


class Partial(NamedTuple):
    """A month (and maybe day) whose year the surrounding text must supply."""

    month: int
    day: int | None
    day_end: int | None = None


Result = Resolved | Partial | None


def month_of(groups: dict[str, str | None], key: str = "m") -> int:
    return MONTHS[(groups[key] or "").lower().rstrip(".")]
