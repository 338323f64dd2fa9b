"""Find calendar references in a text and resolve each to its first and last day.

Pure functions, no spaCy: `find_dates(text, published)` returns the rows of the
dates table for one text, `resolve_date(expression, published)` the days of one
expression. The spaCy component (components/dates.py) is a thin layer on top.

How it works, in three passes over the text:
1. `atoms`: every pattern below finds expressions (`24 September 2012`, `FY16`,
   `last week`); overlapping finds keep the longest. Every pattern is a plain
   regular expression without nested repetition, so time grows linearly.
2. `widen`: modifiers (`early`, `the end of`), range links (`from X to Y`,
   `between X and Y`) and relation cues (`since`, `by`) around an atom join it.
3. `resolve`: in document order, so that a date without a year takes it from
   the closest earlier date that has one (LABELING.md, Dates).
Day forms written with a month name (`24 September 2012`, `Sept. 24`) are read
by dateparser, one matched expression at a time (`read_with_dateparser`);
quarters, fiscal years, decades and relative dates are plain calendar
arithmetic. Spans found elsewhere (the model's DATE entities) can be passed as
`candidates`: one that no pattern found and that names a month with a day or a
year becomes a row too (`candidate_parts`), read by dateparser.
Word lists and per-source settings come from rules/dates.yml (`DateRules`).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import NamedTuple

import dateparser
from pydantic import model_validator

from .anchors import WORD, matches_in, windows_around
from .rules import Strict, load_rule_file, packaged_rules_dir
from .stamps import DateOrder

# ---------------------------------------------------------------- rules


class FiscalCalendar(Strict):
    """A fiscal year: it begins in `start_month`; FY N ends in N when named_by_end_year."""

    start_month: int
    named_by_end_year: bool


class DateRules(Strict):
    """rules/dates.yml; the file's comments say what each entry means."""

    fiscal_calendars: dict[str, FiscalCalendar]
    default_fiscal_calendar: str
    fiscal_calendar_by_source: dict[str, str] = {}
    fiscal_calendar_by_phrase: dict[str, str] = {}
    fiscal_calendar_by_currency: dict[str, str] = {}
    fiscal_calendar_by_wording: dict[str, str] = {}
    day_first_by_source: dict[str, bool] = {}
    relations: dict[str, list[str]]
    distant_cue_bridge: list[str] = []
    distant_cue_max_words: int = 6
    distant_cue_breaks: list[str] = []
    modifiers: list[str] = []
    seasons: dict[str, tuple[int, int]]
    past_words: list[str] = []
    future_words: list[str] = []
    not_year_after: list[str] = []
    not_year_before: list[str] = []
    not_a_candidate: list[str] = []

    @model_validator(mode="after")
    def calendars_exist(self) -> DateRules:
        """Every calendar named by default, source, phrase, currency or wording is defined in fiscal_calendars."""
        used = {self.default_fiscal_calendar, *self.fiscal_calendar_by_source.values(),
                *self.fiscal_calendar_by_phrase.values(), *self.fiscal_calendar_by_currency.values(),
                *self.fiscal_calendar_by_wording.values()}
        unknown = sorted(used - set(self.fiscal_calendars))
        if unknown:
            raise ValueError(f"unknown fiscal calendar(s): {', '.join(unknown)} (known: {', '.join(sorted(self.fiscal_calendars))})")
        return self


@lru_cache(maxsize=1)
def default_rules() -> DateRules:
    """The packaged rules/dates.yml, loaded once, for callers of the pure functions that pass no rules.

    Always the packaged file, whatever the working directory: a cached value
    must not depend on where the first call happened to run.
    """
    return load_date_rules(packaged_rules_dir() / "dates.yml")


def load_date_rules(path: Path) -> DateRules:
    """Read and validate a dates rules file (errors name the file and line)."""
    return load_rule_file(path, DateRules)


# ---------------------------------------------------------------- results


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


# ---------------------------------------------------------------- patterns

MONTHS = {name: number for number, names in enumerate([
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"), ("october", "oct"),
    ("november", "nov"), ("december", "dec")], start=1) for name in names}
WEEKDAYS = {name: number for number, names in enumerate([
    ("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed"), ("thursday", "thu", "thur", "thurs"),
    ("friday", "fri"), ("saturday", "sat"), ("sunday", "sun")]) for name in names}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
WORD_DECADES = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60,
                "seventies": 70, "eighties": 80, "nineties": 90}
# "the noughties", "the two thousands": the decade 2000-2009
DECADE_2000S = r"noughties|two[\s-]thousands|aughts"
# counted relative dates: "two days ago", "the past five years", "in two weeks"
COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30}
COUNT = rf"(?P<n>\d{{1,3}}|{'|'.join(sorted(COUNTS, key=len, reverse=True))})"
UNIT = r"(?P<unit>day|week|month|year)s?"
WORD_CENTURIES = {"nineteenth": 19, "twentieth": 20, "twenty-first": 21, "twenty first": 21}


def alternation(words: object) -> str:
    """Longest first, so that `sept` wins over `sep`."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[arg-type]


FULL_MONTHS = [name for name in MONTHS if len(name) > 4 or name in ("may", "june", "july")]
SHORT_MONTHS = [name for name in MONTHS if name not in FULL_MONTHS]


def month(group: str = "m") -> str:
    """A month name; only an abbreviation takes a dot (`Sept.`), so a sentence's full stop stays out."""
    return rf"(?P<{group}>{alternation(FULL_MONTHS)}|(?:{alternation(SHORT_MONTHS)})\.?)(?![a-z])"


def day(group: str = "d") -> str:
    return rf"(?P<{group}>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d])"


def year(group: str = "y") -> str:
    return rf"(?P<{group}>1[5-9]\d\d|20\d\d)(?![\d])"


WEEKDAY = rf"(?:{alternation(WEEKDAYS)})\.?,?"
COMPACT_MONTH = rf"(?P<m>{alternation(MONTHS)})(?![a-z])"  # `24-Sep-2012`: the separators, not a dot, end the name
REL = r"(?P<rel>last|next|this|coming|current|previous|past)"
NUMERIC_SEP = r"[/.-]"

# kind -> pattern; a kind names the function in RESOLVERS that reads its groups.
PATTERNS: list[tuple[str, str]] = [
    ("iso_day", rf"\b{year()}(?P<s>[-/.])(?P<mo>1[0-2]|0?[1-9])(?P=s)(?P<d>3[01]|[12]\d|0?[1-9])\b"),
    ("numeric_day", rf"\b(?P<a>\d{{1,2}})(?P<s>{NUMERIC_SEP})(?P<b>\d{{1,2}})(?:(?P=s)|,)(?P<y>\d{{4}}|\d{{2}})(?![\d/.-]\d)"),
    ("numeric_month", rf"\b(?:{year()}/(?P<mo>1[0-2]|0?[1-9])|{year('y2')}-(?P<mo2>[1-9])|(?P<mo3>1[0-2]|0?[1-9])/{year('y3')})(?![\d/.-])"),
    ("day_range_month", rf"\b{day('d1')}\s*(?:-|–|to|until|till|through|and)\s*{day('d2')}(?:\s+of)?\s+{month()}(?:,?\s+{year()})?"),
    ("month_day_range", rf"\b{month()}\s+{day('d1')}\s*(?:-|–|to|through|and)\s*{day('d2')}(?:,?\s+{year()})?"),
    ("day_month_compact", rf"\b{day()}(?P<s>[-/.]){COMPACT_MONTH}(?P=s){year()}"),
    ("day_month", rf"\b(?:{WEEKDAY}\s+)?{day()}\.?(?:\s+of)?\s+{month()}(?:,?\s+{year()})?"),
    ("month_day", rf"\b(?:{WEEKDAY}\s+)?{month()}(?:\s+|[/-])(?:the\s+)?{day()}(?:,?\s*{year()})?"),
    ("month_year", rf"\b{month()}(?:\s+of)?,?\s+{year()}"),
    ("month_rel", rf"\b{REL}\s+{month()}"),
    ("month_rel_year", rf"\b{month()}\s+(?P<rel>last|next|this)\s+year\b"),
    ("quarter", rf"\b(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:calendar\s+)?quarter(?:\s+of)?(?:\s+{year()}|\s+(?P<rel>this|last|next)\s+year|\s+the\s+year)?\b"),
    ("quarter_short", rf"\b(?:Q(?P<q>[1-4])|(?P<q2>[1-4])Q)(?:\s+|-|/|\s*')?(?:{year()}|(?P<yy>\d\d)(?!\d))"),
    ("half", rf"\b(?P<h>first|second|1st|2nd|latter)\s+half\s+of\s+(?:{year()}|(?P<rel>this|last|next)\s+year|the\s+year)"),
    ("half_short", rf"\b(?:H(?P<h>[12])|(?P<h2>[12])H)(?:\s+|-|/)?{year()}"),
    ("season", r"\b(?:the\s+)?(?P<s>spring|summer|autumn|fall|winter)(?:\s+of)?,?\s+" + year()),
    ("season_rel", rf"\b{REL}\s+(?P<s>spring|summer|autumn|fall|winter)\b"),
    ("fiscal", r"(?:\b(?P<kw>FY|F\.Y\.|fiscal(?:\s+years?)?|financial\s+years?)\s*-?\s*|\bFY)(?:(?P<y>1[5-9]\d\d|20\d\d)|'?(?P<yy>\d\d))(?![\d%])(?:\s*(?:-|–|/)\s*(?P<y2>20\d\d|\d\d)(?![\d%]))?"),
    ("fiscal_after", rf"\b{year()}(?:\s*(?:-|–|/)\s*(?P<y2>20\d\d|\d\d)(?![\d%]))?\s+(?P<kw>fiscal|financial)(?:\s+|-)years?\b"),
    ("calendar_year", rf"\bcalendar(?:\s+year)?\s+{year()}"),
    ("decade", r"\b(?:the\s+)?(?P<y>1[5-9]\d0|20\d0)\s?'?s\b"),
    ("decade_short", r"\bthe\s+'?(?P<yy>\d0)'?s\b"),
    ("decade_word", rf"\bthe\s+(?:nineteen[\s-])?(?P<w>{alternation(WORD_DECADES)})\b"),
    ("decade_2000s", rf"\bthe\s+(?:{DECADE_2000S})\b"),
    ("counted_ago", rf"\b{COUNT}\s+{UNIT}\s+ago\b"),
    ("counted_span", rf"\b(?:the\s+)?(?P<rel>past|last|next|coming|previous)\s+{COUNT}\s+{UNIT}\b"),
    ("counted_in", rf"\bin\s+{COUNT}\s+{UNIT}(?:['’]s?\s+time)?\b"),
    ("after_next", r"\bthe\s+(?P<unit>day|week|month|year)\s+after\s+next\b"),
    ("century", rf"\b(?:the\s+)?(?:(?P<n>1\d|2[01])(?:st|nd|rd|th)|(?P<w>{alternation(WORD_CENTURIES)}))\s+century\b"),
    ("year_range", rf"\b{year()}\s*(?:-|–|—|/|\s+to\s+)\s*(?:{year('y2')}|(?P<yy>\d\d)(?![\d]))"),
    ("year", rf"\b{year()}"),
    ("weekday_day", rf"\b(?P<wd>{alternation(WEEKDAYS)})\s+the\s+{day()}"),
    ("day_range_rel", rf"\b{day('d1')}\s*(?:-|–|to|until|till|through|and)\s*{day('d2')}\s+(?:of\s+|in\s+)?(?P<rel>this|next|last)\s+month\b"),
    ("day_of_rel", rf"\b{day()}\s+of\s+(?P<rel>this|next|last)\s+month\b"),
    ("nth_week", rf"\b(?P<n>first|second|third|fourth|last|1st|2nd|3rd|4th)\s+week\s+(?:of\s+)?(?:{month()}(?:,?\s+{year()})?|{year('y2')}|(?:the\s+)?(?P<rel>this|next|last)\s+(?P<unit>month|year))"),
    ("week_of", r"\bthe\s+week\s+of\b"),  # joins the day after it
    ("day_word", r"\b(?:the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|today|yesterday|tomorrow)\b"),
    ("weekday_rel", rf"\b(?:(?P<rel>last|next|this|coming)\s+)?(?P<wd>{alternation(WEEKDAYS)})(?:\s+(?P<rel2>last|next|this)\s+week)?\b"),
    ("rel_week_weekday", rf"\b(?P<rel>last|next|this)\s+week\s+(?P<wd>{alternation(WEEKDAYS)})\b"),
    ("rel_period", r"\b(?:the\s+)?(?P<rel>last|next|this|coming|current|previous)\s+(?P<unit>week|weekend|month|year|quarter)\b"),
    ("bare_month", rf"\b{month()}"),
]
COMPILED = [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in PATTERNS]

# Each pattern runs only around the words one of its matches must hold (extract.anchors):
# kind -> anchor groups; a text without any of them costs that pattern nothing.
# REACH_BEFORE covers the longest stretch a date runs ahead of its first anchor
# word ("the day before " yesterday, "the twenty first " century), REACH_AFTER
# the longest past its last one (2024-25" financial years"), with room to spare.
ANCHOR_GROUPS: dict[str, frozenset[str]] = {
    "month": frozenset(MONTHS), "weekday": frozenset(WEEKDAYS), "decade": frozenset(WORD_DECADES),
    "day": frozenset({"today", "yesterday", "tomorrow"}), "week": frozenset({"week"}),
    "period": frozenset({"week", "weekend", "month", "year", "quarter"}), "quarter": frozenset({"quarter"}),
    "half": frozenset({"half"}), "season": frozenset({"spring", "summer", "autumn", "fall", "winter"}),
    "century": frozenset({"century"}),
    "counted": frozenset({"day", "days", "week", "weeks", "month", "months", "year", "years"}),
    "decade_2000s": frozenset({"noughties", "thousands", "aughts"}),
}
NUMBER = "number"  # the anchor group of every run of digits
ANCHORS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(["iso_day", "numeric_day", "numeric_month", "day_month_compact", "quarter_short",
                     "half_short", "fiscal", "fiscal_after", "calendar_year", "decade", "decade_short",
                     "year_range", "year", "day_range_rel", "day_of_rel"], (NUMBER,)),
    **dict.fromkeys(["day_range_month", "month_day_range", "day_month", "month_day", "month_year", "month_rel",
                     "month_rel_year", "bare_month"], ("month",)),
    **dict.fromkeys(["weekday_day", "weekday_rel", "rel_week_weekday"], ("weekday",)),
    "quarter": ("quarter",), "half": ("half",), "season": ("season",), "season_rel": ("season",),
    "decade_word": ("decade",), "century": ("century",), "nth_week": ("week",), "week_of": ("week",),
    "day_word": ("day",), "rel_period": ("period",),
    **dict.fromkeys(["counted_ago", "counted_span", "counted_in", "after_next"], ("counted",)),
    "decade_2000s": ("decade_2000s",),
}
GROUPS_OF = {  # word -> the anchor groups it belongs to
    word: [group for group, words in ANCHOR_GROUPS.items() if word in words] for word in set().union(*ANCHOR_GROUPS.values())
}
REACH_BEFORE = 30
REACH_AFTER = 25


def pattern_windows(text: str) -> dict[str, list[tuple[int, int]]]:
    """kind -> the windows of the text where that pattern can match (around its anchor words)."""
    anchors = anchors_by_group(text)
    by_groups = {
        groups: windows_around(sorted(span for g in groups for span in anchors.get(g, [])), text, REACH_BEFORE, REACH_AFTER)
        for groups in set(ANCHORS.values())
    }
    return {kind: by_groups[groups] for kind, groups in ANCHORS.items()}


def anchors_by_group(text: str) -> dict[str, list[tuple[int, int]]]:
    """(start, end) of every anchor word of each group, in one pass over the text's words."""
    found: dict[str, list[tuple[int, int]]] = {}
    for word in WORD.finditer(text):
        value = word.group()
        if value[0].isdigit():
            found.setdefault(NUMBER, []).append(word.span())
            continue
        for group in GROUPS_OF.get(value.lower(), ()):
            found.setdefault(group, []).append(word.span())
    return found


@dataclass(frozen=True)
class Atom:
    """One matched expression, before modifiers, ranges and cues widen it."""

    start: int
    end: int
    kind: str
    groups: dict[str, str | None]


# ---------------------------------------------------------------- context


WINDOW = 400  # characters each side of a date that tense, phrases and stamps look at


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
        first, last = sentence_bounds(self.text, start, end)
        return self.text[first:last]

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


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the sentence around [start, end) begins and ends, at most WINDOW characters each side (keeps time linear)."""
    low, high = max(0, start - WINDOW), min(len(text), end + WINDOW)
    left = max(text.rfind(". ", low, start), text.rfind("\n", low, start), text.rfind("? ", low, start))
    stops = [i for i in (text.find(". ", end, high), text.find("\n", end, high)) if i != -1]
    return max(left + 1, low), min(stops) if stops else high


def has_word(text: str, words: list[str]) -> bool:
    return bool(words) and bool(word_pattern(r"(?<![\w']){words}(?![\w])", tuple(words)).search(text))


@lru_cache(maxsize=64)
def word_pattern(template: str, words: tuple[str, ...]) -> re.Pattern[str]:
    """`template` with `{words}` replaced by an alternation of the rule file's words, compiled once."""
    return re.compile(template.replace("{words}", f"(?:{alternation(words)})"), re.IGNORECASE)


@lru_cache(maxsize=8)
def cue_table(relations: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, str]:
    """Cue word -> relation, from rules/dates.yml `relations`."""
    return {cue.lower(): relation for relation, cues in relations for cue in cues}


# ---------------------------------------------------------------- calendar arithmetic


def last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), last_day(year, month)


def year_span(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def months_span(year: int, first: int, count: int) -> tuple[dt.date, dt.date]:
    """`count` months from `first` of `year` (quarters, halves, seasons, fiscal years)."""
    last_index = year * 12 + first - 1 + count - 1
    return dt.date(year, first, 1), last_day(last_index // 12, last_index % 12 + 1)


def week_span(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday to Sunday of the week holding `day`."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def safe_day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def full_year(digits: str, century_of: int = 2000) -> int:
    """'16' -> 2016; two-digit years above 50 are read as 19xx."""
    value = int(digits)
    if len(digits) == 4:
        return value
    return 1900 + value if value > 50 else century_of + value


def shift(day: dt.date, unit: str, steps: int) -> dt.date:
    """The same position `steps` weeks, months, quarters or years away."""
    if unit in ("week", "weekend"):
        return day + dt.timedelta(weeks=steps)
    months = {"month": 1, "quarter": 3, "year": 12}[unit] * steps
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


STEPS = {"last": -1, "previous": -1, "past": -1, "this": 0, "current": 0, "next": 1, "coming": 1, None: 0}


# ---------------------------------------------------------------- reading with dateparser

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


# ---------------------------------------------------------------- candidates found elsewhere (NER)

CANDIDATE_MONTH = re.compile(rf"\b{month()}", re.IGNORECASE)
# numbers glued to a month (`Sept.24th,2012`) count; parts of a decimal or amount (`2.24`, `$24`) do not
CANDIDATE_YEAR = re.compile(r"(?<![\d$])(?<!\d[.,])(?:1[5-9]\d\d|20\d\d)(?![\d%])|'\d\d\b")
CANDIDATE_DAY = re.compile(r"(?<![\d$])(?<!\d[.,])(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d%])", re.IGNORECASE)


def candidate_parts(text: str, rules: DateRules) -> tuple[str, ...] | None:
    """The parts a candidate names (`24-Sep-2012`: day, month, year), or None when it is not a calendar reference.

    A candidate must name a month with a word, and a day or a year: a year
    alone, a weekday or a relative phrase is the patterns' to find, and they
    have looked. A word of `not_a_candidate` (durations, vague periods,
    recurrences, ages, times of day; rules/dates.yml) rejects it.
    """
    if has_word(text, rules.not_a_candidate) or not CANDIDATE_MONTH.search(text):
        return None
    year = CANDIDATE_YEAR.search(text)
    day = CANDIDATE_DAY.search(CANDIDATE_YEAR.sub(" ", text))
    parts = tuple(part for part, named in (("day", day), ("month", True), ("year", year)) if named)
    return parts if len(parts) > 1 else None


def candidate_atoms(text: str, candidates: Iterable[tuple[int, int]], found: list[Atom], rules: DateRules) -> list[Atom]:
    """Candidate spans that no pattern found and that name a calendar day or month (candidate_parts)."""
    taken = bytearray(len(text) + 1)
    for atom in found:
        taken[atom.start : atom.end] = b"\x01" * (atom.end - atom.start)
    chosen = []
    for start, end in sorted(candidates):
        piece = text[start:end]
        if any(taken[start:end]) or not candidate_parts(piece, rules):
            continue
        taken[start:end] = b"\x01" * (end - start)
        year = CANDIDATE_YEAR.search(piece)
        chosen.append(Atom(start, end, "candidate", {"y": year.group() if year else None}))
    return chosen


def resolve_candidate(g: dict, ctx: Context, text: str = "") -> Result:
    """A candidate that names a month and a day or year, read by dateparser with exactly those parts required."""
    parts = candidate_parts(text, ctx.rules)
    return read_day(text, parts, ctx) if parts else None


# ---------------------------------------------------------------- resolvers
# Each takes the atom's groups and the context and returns a Resolved or, for a
# date still missing its year, a Partial that `place_in_year` finishes.


class Partial(NamedTuple):
    """A month (and maybe day) whose year the surrounding text must supply."""

    month: int
    day: int | None
    day_end: int | None = None


Result = Resolved | Partial | None


def month_of(groups: dict[str, str | None], key: str = "m") -> int:
    return MONTHS[(groups[key] or "").lower().rstrip(".")]


def resolve_iso_day(g: dict, ctx: Context) -> Result:
    found = safe_day(int(g["y"]), int(g["mo"]), int(g["d"]))
    return Resolved(found, found, "day") if found else None


def resolve_numeric_day(g: dict, ctx: Context) -> Result:
    """dd/mm/yyyy or mm/dd/yyyy: the order comes from the site, the source or the document (see day_first_for)."""
    a, b, y = int(g["a"]), int(g["b"]), full_year(g["y"])
    if a > 12 and b > 12:
        return None
    day_first = True if a > 12 else False if b > 12 else ctx.day_first
    if a == b:
        day_first = True
    elif a <= 12 and b <= 12:  # the numbers alone do not tell: the document's order decided
        ctx.note(ctx.order.rule, flag="day_month_order_inferred" if ctx.order.inferred else None)
    if day_first is None:
        ctx.note(flag="unresolved")
        return Resolved(None, None, "day")
    found = safe_day(y, b, a) if day_first else safe_day(y, a, b)
    return Resolved(found, found, "day") if found else None


def resolve_numeric_month(g: dict, ctx: Context) -> Result:
    y = g["y"] or g["y2"] or g["y3"]
    mo = g["mo"] or g["mo2"] or g["mo3"]
    return Resolved(*month_span(int(y), int(mo)), "month")


def resolve_day_month(g: dict, ctx: Context, text: str = "") -> Result:
    """`24 September 2012`, `Sept. 24`, `Monday, January 12, 2015`: the pattern found it, dateparser reads it."""
    return read_day(text, ("day", "month", "year") if g.get("y") else ("day", "month"), ctx)


def resolve_day_range(g: dict, ctx: Context) -> Result:
    m, d1, d2 = month_of(g), int(g["d1"]), int(g["d2"])
    if d2 <= d1:
        return None
    if g.get("y"):
        first, last = safe_day(int(g["y"]), m, d1), safe_day(int(g["y"]), m, d2)
        return Resolved(first, last, "day") if first and last else None
    return Partial(m, d1, d2) if safe_day(2000, m, d2) else None


def resolve_month_year(g: dict, ctx: Context) -> Result:
    return Resolved(*month_span(int(g["y"]), month_of(g)), "month")


def resolve_month_rel(g: dict, ctx: Context) -> Result:
    """`last September`: the latest September before published; `next June` the first after."""
    if ctx.against_published() is None:
        return Resolved(None, None, "month")
    m, rel, p = month_of(g), g["rel"].lower(), ctx.published
    y = p.year
    if rel in ("last", "previous", "past"):
        y = p.year - 1 if m >= p.month else p.year
    elif rel in ("next", "coming"):
        y = p.year + 1 if m <= p.month else p.year
    return Resolved(*month_span(y, m), "month")


def resolve_month_rel_year(g: dict, ctx: Context) -> Result:
    if ctx.against_published() is None:
        return Resolved(None, None, "month")
    return Resolved(*month_span(ctx.published.year + STEPS[g["rel"].lower()], month_of(g)), "month")


def year_of_rel(g: dict, ctx: Context) -> int | None:
    """The year a quarter or half names: written, relative to published, or from the anchor."""
    if g.get("y"):
        return int(g["y"])
    if g.get("yy"):
        return full_year(g["yy"])
    if g.get("rel"):
        return ctx.published.year + STEPS[g["rel"].lower()] if ctx.against_published() else None
    return ctx.year_of_undated()


def resolve_quarter(g: dict, ctx: Context) -> Result:
    q = ORDINALS.get((g.get("q") or "").lower()) or int(g.get("q") or g["q2"])
    y = year_of_rel(g, ctx)
    if y is None:
        return Resolved(None, None, "quarter")
    return Resolved(*months_span(y, 3 * q - 2, 3), "quarter")


def resolve_half(g: dict, ctx: Context) -> Result:
    h_word = (g.get("h") or g.get("h2") or "").lower()
    h = 2 if h_word == "latter" else ORDINALS.get(h_word) or int(h_word)
    y = year_of_rel(g, ctx)
    if y is None:
        return Resolved(None, None, "half")
    return Resolved(*months_span(y, 6 * h - 5, 6), "half")


def season_span(name: str, y: int, ctx: Context) -> tuple[dt.date, dt.date]:
    first, last = ctx.rules.seasons[name.lower()]
    return months_span(y, first, (last - first) % 12 + 1)


def resolve_season(g: dict, ctx: Context) -> Result:
    return Resolved(*season_span(g["s"], int(g["y"]), ctx), "season")


def resolve_season_rel(g: dict, ctx: Context) -> Result:
    if ctx.against_published() is None:
        return Resolved(None, None, "season")
    return Resolved(*season_span(g["s"], ctx.published.year + STEPS[g["rel"].lower()], ctx), "season")


def resolve_fiscal(g: dict, ctx: Context, start: int = 0, end: int = 0) -> Result:
    """FY2016, FY16, fiscal 2016, FY2016-17, the 2023-24 financial year: the calendar comes from fiscal_calendar."""
    fiscal = fiscal_calendar(ctx, start, end, named_the_us_way(g))
    first_year = int(g["y"]) if g.get("y") else full_year(g["yy"])
    second = g.get("y2")
    if second:
        second_year = int(second) if len(second) == 4 else first_year // 100 * 100 + int(second)
        if second_year == first_year + 1 and fiscal.start_month > 1:
            return Resolved(*months_span(first_year, fiscal.start_month, 12), "fiscal_year")
        if second_year <= first_year:
            return None
        return Resolved(fiscal_span(first_year, fiscal)[0], fiscal_span(second_year, fiscal)[1], "fiscal_year")
    return Resolved(*fiscal_span(first_year, fiscal), "fiscal_year")


def fiscal_span(name_year: int, fiscal: FiscalCalendar) -> tuple[dt.date, dt.date]:
    begins = name_year - 1 if fiscal.named_by_end_year and fiscal.start_month > 1 else name_year
    return months_span(begins, fiscal.start_month, 12)


def fiscal_calendar(ctx: Context, start: int, end: int, us_way: bool = False) -> FiscalCalendar:
    """The calendar of one fiscal year, from the first evidence that speaks (order in rules/dates.yml).

    The sentence comes first because it can name another government's money
    on any page (`Rs 900 crore in FY2017` on a British site); the source next,
    as the publisher's own calendar; the whole document after it, for pages
    whose source is unknown; the wording (`financial year`) only when nothing
    else speaks, so that the US default never overrides evidence.
    A fiscal year named the US way (`FY2019`, one year) skips the document:
    a report on US sales to India quotes rupees, yet its `FY2019` is American.
    """
    rules = ctx.rules
    sentence = ctx.sentence(start, end)
    in_sentence = calendar_evidence(sentence, rules)
    if in_sentence is not None and not in_sentence.from_currency:
        in_sentence = in_sentence._replace(inferred=False)  # a phrase of the sentence itself names the calendar
    evidence = (in_sentence or calendar_of_source(ctx.source, rules)
                or (None if us_way else ctx.document_calendar)
                or calendar_of_wording(sentence, rules)
                or Evidence(rules.default_fiscal_calendar, (rules.where("default_fiscal_calendar"),)))
    non_us = evidence.calendar != rules.default_fiscal_calendar
    ctx.note(*evidence.rule, rules.where("fiscal_calendars", evidence.calendar),
             flag="fiscal_calendar_inferred" if evidence.inferred and non_us else None)
    return rules.fiscal_calendars[evidence.calendar]


def named_the_us_way(g: dict) -> bool:
    """`FY2019`, `fiscal year 2016`: one year and no `financial`, as US federal fiscal years are named.

    A pair of years (`2022-23`) or `financial year` is how the governments whose
    fiscal year straddles two calendar years name theirs.
    """
    return not g.get("y2") and "financial" not in (g.get("kw") or "").lower()


# a currency sign or code right before an amount, or a code right after one (`A$42.5 million`, `500 million CAD`)
CURRENCY_AT_AMOUNT = r"(?<![A-Za-z$])(?P<before>{words})\s?\d|\d(?:\s?(?:million|billion|thousand|mn|bn|m|k)\b)?\s?(?P<after>{words})(?![A-Za-z])"


class Evidence(NamedTuple):
    """A fiscal calendar, where the rules entries that chose it stand, and whether it was a guess."""

    calendar: str
    rule: tuple[str | None, ...] = ()
    inferred: bool = False  # chosen from the text's currency, its other sentences or its wording
    from_currency: bool = False


def calendar_evidence(text: str, rules: DateRules) -> Evidence | None:
    """The calendar that `text`'s phrases and currencies name most often; None when none, or a tie."""
    votes: Counter[str] = Counter()
    voters: dict[str, dict[str | None, bool]] = {}  # calendar -> rules entry that voted -> is a currency
    phrases = {phrase.lower(): (name, phrase) for phrase, name in rules.fiscal_calendar_by_phrase.items()}
    if phrases:
        for found in word_pattern(r"(?<![\w']){words}(?![\w])", tuple(phrases)).finditer(text):
            name, key = phrases[re.sub(r"\s+", " ", found.group().lower())]
            votes[name] += 1
            voters.setdefault(name, {})[rules.where("fiscal_calendar_by_phrase", key)] = False
    currencies = {sign.lower(): (name, sign) for sign, name in rules.fiscal_calendar_by_currency.items()}
    if currencies:
        for found in word_pattern(CURRENCY_AT_AMOUNT, tuple(currencies)).finditer(text):
            name, key = currencies[(found.group("before") or found.group("after")).lower()]
            votes[name] += 1
            voters.setdefault(name, {})[rules.where("fiscal_calendar_by_currency", key)] = True
    ranked = votes.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    name = ranked[0][0]
    return Evidence(name, tuple(voters[name]), True, any(voters[name].values()))


def calendar_of_source(source: str | None, rules: DateRules) -> Evidence | None:
    """The calendar of the longest fiscal_calendar_by_source key that names the source."""
    for key, name in sorted(rules.fiscal_calendar_by_source.items(), key=lambda kv: -len(kv[0])):
        if source_matches(source, key):
            return Evidence(name, (rules.where("fiscal_calendar_by_source", key),))
    return None


def calendar_of_wording(sentence: str, rules: DateRules) -> Evidence | None:
    """The calendar a term such as `financial year` in the sentence suggests, when nothing stronger spoke."""
    for term, name in rules.fiscal_calendar_by_wording.items():
        if has_word(sentence, [term]):
            return Evidence(name, (rules.where("fiscal_calendar_by_wording", term),), True)
    return None


def source_matches(source: str | None, key: str) -> bool:
    """A rules key names a source: `.uk` the end of a domain, anything else a part of the name."""
    lowered, key = (source or "").lower().rstrip("/"), key.lower()
    return bool(lowered) and (lowered.endswith(key) if key.startswith(".") else key in lowered)


def resolve_calendar_year(g: dict, ctx: Context) -> Result:
    return Resolved(*year_span(int(g["y"])), "year")


def resolve_decade(g: dict, ctx: Context) -> Result:
    if g.get("y"):
        first = int(g["y"])
    elif g.get("yy"):
        first = 1900 + int(g["yy"]) if int(g["yy"]) >= 20 else 2000 + int(g["yy"])
    else:
        first = 1900 + WORD_DECADES[g["w"].lower()]
    return Resolved(dt.date(first, 1, 1), dt.date(first + 9, 12, 31), "decade")


def resolve_decade_2000s(g: dict, ctx: Context) -> Result:
    """`the noughties`, `the two thousands`."""
    return Resolved(dt.date(2000, 1, 1), dt.date(2009, 12, 31), "decade")


def count_of(g: dict) -> int:
    word = g["n"].lower()
    return int(word) if word.isdigit() else COUNTS[word]


def moved(day: dt.date, unit: str, steps: int) -> dt.date:
    """`day` moved by `steps` days, weeks, months or years (the 31st to the month's last day)."""
    if unit in ("day", "week"):
        return day + dt.timedelta(days=steps * (7 if unit == "week" else 1))
    index = day.year * 12 + day.month - 1 + steps * (12 if unit == "year" else 1)
    y, m = index // 12, index % 12 + 1
    return dt.date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


def resolve_counted_ago(g: dict, ctx: Context) -> Result:
    """`two days ago` -> published minus 2 days; `three years ago` -> the year of published minus 3."""
    unit = g["unit"].lower()
    granularity = "year" if unit == "year" else "day"
    if ctx.against_published() is None:
        return Resolved(None, None, granularity)
    day = moved(ctx.published, unit, -count_of(g))
    return Resolved(*year_span(day.year), "year") if unit == "year" else Resolved(day, day, "day")


def resolve_counted_span(g: dict, ctx: Context) -> Result:
    """`the past three weeks` -> published minus 3 weeks .. the day before it;
    `the next three months` -> the day after published .. published plus 3 months."""
    if g["n"].lower() in ("a", "an") or ctx.against_published() is None:
        return None if g["n"].lower() in ("a", "an") else Resolved(None, None, "day")
    unit, count, p = g["unit"].lower(), count_of(g), ctx.published
    if g["rel"].lower() in ("next", "coming"):
        return Resolved(p + dt.timedelta(days=1), moved(p, unit, count), "day")
    return Resolved(moved(p, unit, -count), p - dt.timedelta(days=1), "day")


def resolve_counted_in(g: dict, ctx: Context, start: int = 0, end: int = 0) -> Result:
    """`in two weeks` -> published plus 2 weeks, a day; only where the sentence tells of the future:
    "the highest in two years" is a duration."""
    if not ctx.future(start, end) and "time" not in ctx.text[start:end].lower():
        return None
    if ctx.against_published() is None:
        return Resolved(None, None, "day")
    day = moved(ctx.published, g["unit"].lower(), count_of(g))
    return Resolved(day, day, "day")


def resolve_after_next(g: dict, ctx: Context) -> Result:
    """`the year after next` -> the year of published plus 2 (and so for day, week, month)."""
    unit = g["unit"].lower()
    if ctx.against_published() is None:
        return Resolved(None, None, unit)
    day = moved(ctx.published, unit, 2)
    if unit == "week":
        return Resolved(*week_span(day), "week")
    if unit == "month":
        return Resolved(*month_span(day.year, day.month), "month")
    return Resolved(*year_span(day.year), "year") if unit == "year" else Resolved(day, day, "day")


def resolve_century(g: dict, ctx: Context) -> Result:
    n = int(g["n"]) if g.get("n") else WORD_CENTURIES[re.sub(r"\s+", " ", g["w"].lower())]
    first = (n - 1) * 100
    return Resolved(dt.date(first, 1, 1), dt.date(first + 99, 12, 31), "century")


def resolve_year_range(g: dict, ctx: Context) -> Result:
    first = int(g["y"])
    last = int(g["y2"]) if g.get("y2") else first // 100 * 100 + int(g["yy"])
    if last <= first or last - first > 100:
        return None
    return Resolved(dt.date(first, 1, 1), dt.date(last, 12, 31), "year")


def resolve_year(g: dict, ctx: Context) -> Result:
    return Resolved(*year_span(int(g["y"])), "year")


def resolve_day_word(g: dict, ctx: Context, text: str = "") -> Result:
    if ctx.against_published() is None:
        return Resolved(None, None, "day")
    words = text.lower()
    offset = -2 if "before yesterday" in words else 2 if "after tomorrow" in words else \
        -1 if "yesterday" in words else 1 if "tomorrow" in words else 0
    found = ctx.published + dt.timedelta(days=offset)
    return Resolved(found, found, "day")


def resolve_weekday(g: dict, ctx: Context, start: int = 0, end: int = 0) -> Result:
    """`last Friday`, `next Monday`: that weekday of the previous/next week; a bare one by tense."""
    if ctx.against_published() is None:
        return Resolved(None, None, "day")
    wd = WEEKDAYS[g["wd"].lower()]
    rel = (g.get("rel") or g.get("rel2") or "").lower() or None
    p = ctx.published
    if rel is None or rel == "this" and not g.get("rel2"):
        if rel is None and ctx.future(start, end):
            found = p + dt.timedelta(days=(wd - p.weekday()) % 7)
        elif rel is None:
            found = p - dt.timedelta(days=(p.weekday() - wd) % 7)
        else:
            found = week_span(p)[0] + dt.timedelta(days=wd)
    else:
        found = week_span(p)[0] + dt.timedelta(weeks=STEPS[rel], days=wd)
    return Resolved(found, found, "day")


def resolve_rel_period(g: dict, ctx: Context) -> Result:
    """`last year`, `this month`, `next week`, `this weekend` against published."""
    unit = g["unit"].lower()
    if ctx.against_published() is None:
        return Resolved(None, None, unit)
    moved = shift(ctx.published, unit, STEPS[g["rel"].lower()])
    if unit == "week":
        return Resolved(*week_span(moved), "week")
    if unit == "weekend":
        saturday = week_span(moved)[0] + dt.timedelta(days=5)
        return Resolved(saturday, saturday + dt.timedelta(days=1), "weekend")
    if unit == "month":
        return Resolved(*month_span(moved.year, moved.month), "month")
    if unit == "quarter":
        return Resolved(*months_span(moved.year, (moved.month - 1) // 3 * 3 + 1, 3), "quarter")
    return Resolved(*year_span(moved.year), "year")


def resolve_weekday_day(g: dict, ctx: Context) -> Result:
    """`Friday the 15th`: the 15th, of published's month or the one before or after, that is a Friday."""
    if ctx.against_published() is None:
        return Resolved(None, None, "day")
    for months in (0, -1, 1):
        first = shift(ctx.published, "month", months)
        found = safe_day(first.year, first.month, int(g["d"]))
        if found and found.weekday() == WEEKDAYS[g["wd"].lower()]:
            return Resolved(found, found, "day")
    return None


def resolve_day_of_rel_month(g: dict, ctx: Context) -> Result:
    """`20th of next month`, `between 4 and 22 this month`: days of a month relative to published."""
    if ctx.against_published() is None:
        return Resolved(None, None, "day")
    first = shift(ctx.published, "month", STEPS[g["rel"].lower()])
    start = safe_day(first.year, first.month, int(g.get("d") or g["d1"]))
    end = safe_day(first.year, first.month, int(g.get("d") or g["d2"]))
    return Resolved(start, end, "day") if start and end and start <= end else None


def resolve_nth_week(g: dict, ctx: Context) -> Result:
    """`the third week of 2027` (ISO weeks of a year), `the last week of July` (Monday-started weeks of a month)."""
    n = ORDINALS.get(g["n"].lower())  # None for "last"
    unit = (g.get("unit") or ("year" if g.get("y2") else "month")).lower()
    if g.get("y2"):
        y = int(g["y2"])
    elif g.get("y"):
        y = int(g["y"])
    elif ctx.published is None:
        ctx.note(flag="unresolved")
        return Resolved(None, None, "week")
    elif g.get("rel"):
        moved = shift(ctx.against_published(), unit, STEPS[g["rel"].lower()])
        y, m = moved.year, moved.month
    else:
        y = ctx.year_of_undated()
    if unit == "year":
        weeks = dt.date(y, 12, 28).isocalendar().week
        monday = dt.date.fromisocalendar(y, n or weeks, 1) if (n or weeks) <= weeks else None
    else:
        m = month_of(g) if g.get("m") else m
        first_monday = dt.date(y, m, 1) + dt.timedelta(days=(7 - dt.date(y, m, 1).weekday()) % 7)
        mondays = [first_monday + dt.timedelta(weeks=k) for k in range(5) if (first_monday + dt.timedelta(weeks=k)).month == m]
        monday = mondays[-1] if n is None else mondays[n - 1]
    return Resolved(monday, monday + dt.timedelta(days=6), "week") if monday else None


def resolve_bare_month(g: dict, ctx: Context) -> Result:
    return Partial(month_of(g), None)


RESOLVERS: dict[str, Callable[..., Result]] = {
    "iso_day": resolve_iso_day, "numeric_day": resolve_numeric_day, "numeric_month": resolve_numeric_month,
    "day_range_month": resolve_day_range, "month_day_range": resolve_day_range,
    "day_month": resolve_day_month, "month_day": resolve_day_month, "day_month_compact": resolve_day_month, "month_year": resolve_month_year,
    "month_rel": resolve_month_rel, "month_rel_year": resolve_month_rel_year,
    "quarter": resolve_quarter, "quarter_short": resolve_quarter, "half": resolve_half,
    "half_short": resolve_half, "season": resolve_season, "season_rel": resolve_season_rel,
    "fiscal": resolve_fiscal, "fiscal_after": resolve_fiscal, "calendar_year": resolve_calendar_year, "decade": resolve_decade,
    "decade_short": resolve_decade, "decade_word": resolve_decade, "century": resolve_century,
    "year_range": resolve_year_range, "year": resolve_year, "day_word": resolve_day_word,
    "weekday_rel": resolve_weekday, "rel_week_weekday": resolve_weekday, "rel_period": resolve_rel_period,
    "bare_month": resolve_bare_month, "weekday_day": resolve_weekday_day, "nth_week": resolve_nth_week,
    "day_range_rel": resolve_day_of_rel_month, "day_of_rel": resolve_day_of_rel_month,
    "candidate": resolve_candidate, "decade_2000s": resolve_decade_2000s, "counted_ago": resolve_counted_ago,
    "counted_span": resolve_counted_span, "counted_in": resolve_counted_in, "after_next": resolve_after_next,
}
NEEDS_SPAN = {"fiscal", "fiscal_after", "weekday_rel", "rel_week_weekday", "counted_in"}
NEEDS_TEXT = {"day_word", "day_month", "month_day", "day_month_compact", "candidate"}
YEAR_GROUPS = ("y", "yy", "y2", "y3")


def has_written_year(atom: Atom) -> bool:
    """Whether the text writes the year of this atom (decades and centuries do not name one)."""
    return atom.kind not in ("decade", "decade_short") and any(atom.groups.get(g) for g in YEAR_GROUPS)


# ---------------------------------------------------------------- pass 1: atoms

PREPOSITIONS = {"in", "by", "since", "until", "till", "through", "before", "after", "from", "of", "during", "last",
                "next", "this", "early", "mid", "late", "between", "and", "to", "or", "on", "throughout",
                "end", "beginning", "start", "middle", "each", "every", "that", "same"}


def atoms(text: str, rules: DateRules) -> list[Atom]:
    """Every expression the patterns find, overlaps resolved in favour of the longest."""
    windows = pattern_windows(text)
    found = [
        Atom(m.start(), m.end(), kind, m.groupdict())
        for kind, pattern in COMPILED for m in matches_in(pattern, text, windows[kind])
    ]
    order = {kind: i for i, (kind, _) in enumerate(PATTERNS)}
    found.sort(key=lambda a: (-(a.end - a.start), order[a.kind], a.start))
    taken = bytearray(len(text) + 1)
    chosen = []
    for atom in found:
        if any(taken[atom.start : atom.end]) or not plausible(atom, text, rules):
            continue
        taken[atom.start : atom.end] = b"\x01" * (atom.end - atom.start)
        chosen.append(atom)
    return sorted(chosen, key=lambda a: a.start)


def word_before(text: str, start: int) -> str:
    match = re.search(r"([\w.#']+)\W*$", text[max(0, start - 30) : start])
    return match.group(1).lower() if match else ""


def word_after(text: str, end: int) -> str:
    match = re.match(r"\W*?([\w.']+)", text[end : end + 30])
    return match.group(1).lower().rstrip(".") if match else ""


def plausible(atom: Atom, text: str, rules: DateRules) -> bool:
    """Reject finds that only look like dates: counts, model numbers, names, verbs."""
    return all(check(atom, text, rules) for check in (number_stands_alone, month_word_is_a_month,
                                                       weekday_is_a_day, not_two_years, short_fiscal_year))


def number_stands_alone(atom: Atom, text: str, rules: DateRules) -> bool:
    """A year or numeric date is not part of an amount, a count, a model number or a code (`$2015`, `F-16`, `Resolution 1546`)."""
    if atom.kind not in ("year", "year_range", "decade", "numeric_day", "numeric_month", "iso_day"):
        return True
    before, after = text[max(0, atom.start - 2) : atom.start], text[atom.end : atom.end + 2]
    glued = re.search(r"[$€£#©\d]$|©\s$|\d[.,]$|[A-Za-z0-9]-$|[.:]$", before)
    if glued and not word_pattern(r"(?<![\w-]){words}-$", tuple(rules.modifiers)).search(text[max(0, atom.start - 20) : atom.start]):
        return False  # `mid-2016`, `end-2015` are modifiers, `C-2016` is not
    if re.match(r"[A-Za-z%]|[.,:]\d|-\d|/\d|\+", after):
        return False
    return word_before(text, atom.start) not in rules.not_year_after and word_after(text, atom.end) not in rules.not_year_before


def short_fiscal_year(atom: Atom, text: str, rules: DateRules) -> bool:
    """A two-digit fiscal year needs `FY` or an apostrophe (`FY16`, `fiscal '92`), not `fiscal 10 percent`."""
    if atom.kind != "fiscal" or not atom.groups.get("yy"):
        return True
    keyword = (atom.groups.get("kw") or "FY").upper().replace(".", "")
    return keyword == "FY" or "'" in text[atom.start : atom.end]


def month_word_is_a_month(atom: Atom, text: str, rules: DateRules) -> bool:
    """`May` and `March` are often a verb; a capitalized month before a capitalized word is often a name (`April Glaspie`)."""
    if atom.kind not in ("bare_month", "month_rel", "day_month", "month_day"):
        return True
    name = atom.groups["m"] or ""
    verb_like = name.lower() in ("may", "march")
    if atom.kind != "bare_month":
        return not (verb_like and not name[0].isupper() and (atom.kind == "month_rel" or not atom.groups.get("y")))
    previous = word_before(text, atom.start)
    if not name[0].isupper() or not (name.lower() in FULL_MONTHS or name.endswith(".")):
        return False
    if verb_like and previous not in PREPOSITIONS:
        return False
    return not (re.match(r"\s+[A-Z][a-z]", text[atom.end : atom.end + 3]) and previous not in PREPOSITIONS)


def weekday_is_a_day(atom: Atom, text: str, rules: DateRules) -> bool:
    """A bare weekday is a full, capitalized name that is not a surname (`coach Mike Friday`)."""
    if atom.kind != "weekday_rel" or atom.groups.get("rel") or atom.groups.get("rel2"):
        return True
    name = atom.groups["wd"] or ""
    return name[0].isupper() and len(name) >= 6 and not follows_a_name(text, atom.start)


def not_two_years(atom: Atom, text: str, rules: DateRules) -> bool:
    """`2004/05` is a span of two years, not May 2004."""
    if atom.kind != "numeric_month" or not (atom.groups.get("y") and atom.groups.get("mo")):
        return True
    return int(atom.groups["mo"] or 0) != (int(atom.groups["y"] or 0) + 1) % 100


def follows_a_name(text: str, start: int) -> bool:
    """`coach Mike Friday`: a capitalized word (not a sentence start or preposition) right before."""
    match = re.search(r"([A-Za-z]+)\s+$", text[max(0, start - 30) : start])
    if not match or not match.group(1)[0].isupper() or match.group(1).lower() in PREPOSITIONS:
        return False
    return not re.search(r"(?:^|[.!?\n\"“]\s*)$", text[max(0, start - 30) : start - len(match.group())])


# ---------------------------------------------------------------- pass 2: widen


@dataclass(frozen=True)
class Expression:
    """A date expression as the row will show it: one atom, or two joined as a range."""

    start: int
    end: int
    first: Atom
    last: Atom | None = None  # the second end of a range
    relation: str | None = None
    as_week: bool = False


RANGE_LINK = re.compile(r"\s*(?:-|–|—|to|through|thru|until|till|and)\s*", re.IGNORECASE)
JOINABLE = {"bare_month", "month_year", "day_month", "month_day", "year", "fiscal", "fiscal_after", "quarter", "quarter_short",
            "half", "half_short", "season", "iso_day", "numeric_day", "calendar_year", "month_rel", "day_word",
            "weekday_rel", "decade", "weekday_day", "day_month_compact", "candidate"}


def widen(text: str, found: list[Atom], rules: DateRules) -> list[Expression]:
    """Join ranges and `the week of` to their atoms, then take in modifiers and relation cues."""
    expressions: list[Expression] = []
    found = fiscal_pairs(text, fiscal_lists(text, found))
    i = 0
    while i < len(found):
        atom = found[i]
        nxt = found[i + 1] if i + 1 < len(found) else None
        if atom.kind == "week_of":
            if nxt and nxt.kind in ("day_month", "month_day", "day_month_compact", "iso_day", "numeric_day") and not text[atom.end : nxt.start].strip():
                expressions.append(Expression(atom.start, nxt.end, nxt, as_week=True))
                i += 2
            else:
                i += 1
            continue
        if nxt and atom.kind in JOINABLE and nxt.kind in JOINABLE and joins(text, atom, nxt):
            expressions.append(Expression(atom.start, nxt.end, atom, nxt))
            i += 2
            continue
        expressions.append(Expression(atom.start, atom.end, atom))
        i += 1
    return [with_cues(text, e, rules) for e in expressions]


LIST_LINK = re.compile(r"\s*(?:,|,?\s+and|,?\s+or)\s+", re.IGNORECASE)


def fiscal_lists(text: str, found: list[Atom]) -> list[Atom]:
    """`fiscal years 2016 and 2017`: years listed after a plural fiscal keyword are fiscal years too."""
    result: list[Atom] = []
    for atom in found:
        previous = result[-1] if result else None
        listed = previous is not None and previous.kind == "fiscal" and atom.kind == "year" \
            and (previous.groups.get("kw") or "").lower().endswith("years") and LIST_LINK.fullmatch(text[previous.end : atom.start])
        result.append(Atom(atom.start, atom.end, "fiscal", {**atom.groups, "kw": previous.groups["kw"], "yy": None, "y2": None}) if listed and previous else atom)
    return result


FISCAL_KINDS = {"fiscal", "fiscal_after"}
WRITTEN_PAIR = re.compile(r"\d{4}\s*[-–/]\s*\d{2,4}")


def fiscal_pairs(text: str, found: list[Atom]) -> list[Atom]:
    """`an increase on 2022-23` in a sentence naming the `2023-24 financial year`: that year pair is a fiscal year too.

    Only a pair of following years written with a dash or slash, beside a
    fiscal year itself written as a pair: `2021-27` or `from 2022 to 2023`
    stay calendar years.
    """
    named = [atom for atom in found if atom.kind in FISCAL_KINDS and atom.groups.get("y2")]
    if not named:
        return found
    result = []
    for atom in found:
        if is_year_pair(atom, text) and any(in_same_sentence(text, atom, other) for other in named):
            second = atom.groups.get("y2") or atom.groups.get("yy")
            atom = Atom(atom.start, atom.end, "fiscal", {"y": atom.groups["y"], "yy": None, "y2": second, "kw": None})
        result.append(atom)
    return result


def is_year_pair(atom: Atom, text: str) -> bool:
    """`2022-23`, `2021/2022`: two following years, the way fiscal years are named."""
    if atom.kind != "year_range" or not WRITTEN_PAIR.fullmatch(text[atom.start : atom.end]):
        return False
    first = int(atom.groups["y"] or 0)
    second = int(atom.groups["y2"]) if atom.groups.get("y2") else first // 100 * 100 + int(atom.groups["yy"] or 0)
    return second == first + 1


def in_same_sentence(text: str, atom: Atom, other: Atom) -> bool:
    first, last = sentence_bounds(text, atom.start, atom.end)
    return first <= other.start and other.end <= last


def joins(text: str, first: Atom, last: Atom) -> bool:
    """`from A to B`, `between A and B`, or `A - B` / `A to B` of the same kind."""
    link = RANGE_LINK.fullmatch(text[first.end : last.start])
    if not link:
        return False
    word = link.group().strip().lower()
    opener = word_before(text, first.start)
    if word == "and":
        return opener == "between"
    return opener in ("from", "between") or first.kind == last.kind or (word in ("until", "till", "through") and first.kind in ("day_month", "month_day"))


def with_cues(text: str, expression: Expression, rules: DateRules) -> Expression:
    """Take in `from`/`between` of a range, a modifier and a relation cue standing right before."""
    start = expression.start
    head = text[max(0, start - 120) : start]
    range_kinds = ("year_range", "day_range_month", "month_day_range", "day_range_rel")
    if expression.last or expression.first.kind in range_kinds:
        opener = re.search(r"\b(?:from|between)\s+$", head, re.IGNORECASE)
        if opener:
            return replace(expression, start=start - (len(head) - opener.start()))
    modifier = word_pattern(r"(?<![\w-]){words}(?:\s+|-)$", tuple(rules.modifiers)).search(head) if rules.modifiers else None
    if modifier:
        start -= len(head) - modifier.start()
        head = text[max(0, start - 120) : start]
    cue_words = cue_table(tuple((relation, tuple(cues)) for relation, cues in rules.relations.items()))
    cue = word_pattern(r"(?<![\w-]){words}\s+$", tuple(cue_words)).search(head)
    if cue:
        relation = cue_words[re.sub(r"\s+", " ", cue.group().strip().lower())]
        return replace(expression, start=start - (len(head) - cue.start()), relation=relation)
    return replace(expression, start=start, relation=distant_cue(head, cue_words, rules))


def distant_cue(head: str, cue_words: dict[str, str], rules: DateRules) -> str | None:
    """A cue a few words before the date, which stands after a bridge word (`in`, `on`).

    Two shapes: the cue opens the clause (`Since the operation began in 2015`),
    or it opens a short clause of its own inside the sentence (`has grown since
    the programme was established in 1951`; inner_cue).
    """
    if not rules.distant_cue_bridge or not word_pattern(r"\b{words}\s+$", tuple(rules.distant_cue_bridge)).search(head):
        return None
    clause = re.split(r"[,;:.!?\n\"]", head)[-1]
    openers = tuple(c for c in cue_words if c not in ("by", "by the end of", "through", "following"))
    opening = word_pattern(r"\s*{words}\b", openers).match(clause)
    if opening:
        return cue_words[opening.group().strip().lower()]
    return inner_cue(clause, openers, cue_words, rules)


def inner_cue(clause: str, openers: tuple[str, ...], cue_words: dict[str, str], rules: DateRules) -> str | None:
    """The last cue of the clause, when the words from it to the bridge are a short clause with a verb.

    `since the programme was established in` sets since; `testified before
    the committee in` does not (no verb: `before` tells of a place), nor
    `after the election and served in` (`and` starts another clause), nor
    a cue with a number after it (it has a date of its own).
    A verb is a word of past_words or a word ending in -ed (rules/dates.yml).
    """
    cues = list(word_pattern(r"(?<![\w-]){words}\s+", openers).finditer(clause))
    if not cues:
        return None
    words = clause[cues[-1].end() :].lower().split()[:-1]  # the bridge word left out
    if not 1 <= len(words) <= rules.distant_cue_max_words or set(words) & {w.lower() for w in rules.distant_cue_breaks}:
        return None
    if any(char.isdigit() for word in words for char in word):
        return None  # `since 1947 - the last time was in 1976`: the cue has a date of its own
    if not any(word in rules.past_words or word.endswith("ed") for word in words):
        return None
    return cue_words[re.sub(r"\s+", " ", cues[-1].group().strip().lower())]


# ---------------------------------------------------------------- pass 3: resolve

FINENESS = ["day", "week", "weekend", "month", "quarter", "season", "half", "fiscal_year", "year", "decade", "century"]


def resolve_atom(atom: Atom, ctx: Context) -> Result:
    resolver = RESOLVERS[atom.kind]
    if atom.kind in NEEDS_SPAN:
        return resolver(atom.groups, ctx, atom.start, atom.end)
    if atom.kind in NEEDS_TEXT:
        return resolver(atom.groups, ctx, ctx.text[atom.start : atom.end])
    return resolver(atom.groups, ctx)


def place_in_year(partial: Partial, ctx: Context, start: int, end: int, year: int | None = None) -> Resolved:
    """A month or day without a year: the given year, else the anchor's, else published's (LABELING)."""
    granularity = "month" if partial.day is None else "day"
    if year is None:
        base = ctx.anchor or ((ctx.published.year, ctx.published) if ctx.published else None)
        if base is None:
            ctx.note(flag="unresolved")
            return Resolved(None, None, granularity)
        ctx.note("year_of_earlier_date" if ctx.anchor else "year_of_published", flag="year_inferred")
        year, limit = base
        first = safe_day(year, partial.month, partial.day or 1)
        if first and first > limit and ctx.past(start, end):
            year -= 1
    if partial.day is None:
        return Resolved(*month_span(year, partial.month), "month")
    first = safe_day(year, partial.month, partial.day) or safe_day(year, partial.month, 28)
    return Resolved(first, safe_day(year, partial.month, partial.day_end or partial.day) or first, "day")


def resolve_expression(expression: Expression, ctx: Context) -> Resolved | None:
    """The days of one expression; ranges run from the start of the first to the end of the last."""
    first = resolve_atom(expression.first, ctx)
    if expression.last is None:
        if isinstance(first, Partial):
            first = place_in_year(first, ctx, expression.start, expression.end)
        if first and expression.as_week and first.start:
            return Resolved(*week_span(first.start), "week")
        return first
    last = resolve_atom(expression.last, ctx)
    if isinstance(first, Partial) and isinstance(last, Resolved) and last.start:
        y = last.start.year - (1 if (first.month, first.day or 1) > (last.start.month, last.start.day) else 0)
        first = place_in_year(first, ctx, expression.start, expression.end, y)
    elif isinstance(last, Partial) and isinstance(first, Resolved) and first.end:
        y = first.end.year + (1 if (last.month, last.day or 31) < (first.end.month, first.end.day) else 0)
        last = place_in_year(last, ctx, expression.start, expression.end, y)
    if isinstance(first, Partial):
        first = place_in_year(first, ctx, expression.start, expression.end)
    if isinstance(last, Partial):
        last = place_in_year(last, ctx, expression.start, expression.end)
    if first is None or last is None:
        return None
    granularity = min(first.granularity, last.granularity, key=FINENESS.index)
    if first.start and last.end and last.end < first.start:
        return None
    return Resolved(first.start, last.end, granularity)


TARGETS = {"until", "before", "after"}  # a date with one of these relations is a target, no anchor


def update_anchor(expression: Expression, resolved: Resolved, ctx: Context) -> None:
    """A date whose year is written becomes the anchor of later dates without one (LABELING.md):
    a target (`by 2011`, `before 2020`) anchors nothing; a range anchors with its first year."""
    written = has_written_year(expression.first) or (expression.last is not None and has_written_year(expression.last))
    if not (resolved.start and resolved.end and written) or expression.relation in TARGETS:
        return
    if expression.last is not None or expression.first.kind == "year_range":
        first_year = resolved.start.year
        ctx.anchor = (first_year, min(resolved.end, dt.date(first_year, 12, 31)))
    else:
        ctx.anchor = (resolved.end.year, resolved.end)


# ---------------------------------------------------------------- document-level decisions

DATELINE_HEAD = re.compile(r"(?:^|\n)\(?[A-Z][A-Za-z.'’ -]{1,40}(?:,\s*[A-Z][A-Za-z.]+\.?)*,?\s*(?:\w+\s+)?$")
DATELINE_TAIL = re.compile(r"\s*(?:\([A-Za-z .]+\)\s*|/[A-Za-z .]+/\s*)?(?:--|—|–|-)\s")


def in_dateline(text: str, expression: Expression) -> bool:
    """`WASHINGTON, Jan. 5, 2024 --`: the page's own date, not a reference (it sets `published`).

    A wire's tag may stand between the date and the dash: `(Reuters)`, or the
    slashed tag of press-release wires (`OTTAWA, March 3, 2022 /CNW/ -`).
    """
    head = text[max(0, expression.start - 60) : expression.start]
    if expression.start <= 60 and not head.strip():
        head = "\n"
    return bool(DATELINE_HEAD.search(head)) and bool(DATELINE_TAIL.match(text, expression.end))


def means_nowadays(text: str, expression: Expression) -> bool:
    """`Today, forces continue to ...` opening a sentence is `at present` (vague), not a day."""
    opens = re.search(r"(?:^|[.!?\n\"“]\s*)$", text[max(0, expression.start - 3) : expression.start])
    return bool(opens) and text[expression.start : expression.end + 1] in ("Today,", "Nowadays,")


DAY_OR_MONTH = {"iso_day", "numeric_day", "day_month", "month_day", "day_month_compact", "candidate"}
STAMP_LINE = re.compile(r"^(?:(?:last\s+)?updated|published|posted(?:\s+on)?|released|date)\b", re.IGNORECASE)


def in_stamp(text: str, expression: Expression) -> bool:
    """A page's own date stamp (`Updated: Aug 14, 2017`, `Jane Doe | 18 May 2021 | 6 min read`): not a reference.

    A stamp is a line that only names the date, maybe beside a byline or share
    links split by `|`, or a line opening with a stamp word.
    """
    low, high = max(0, expression.start - WINDOW), min(len(text), expression.end + WINDOW)
    line_start = max(text.rfind("\n", low, expression.start) + 1, low)
    line_end = text.find("\n", expression.end, high)
    line = text[line_start : line_end if line_end != -1 else high]
    previous_line = text[max(0, line_start - 30) : line_start].strip().split("\n")[-1]
    if STAMP_LINE.match(line) or STAMP_LINE.fullmatch(previous_line.rstrip(": ")):
        return True
    if not has_written_year(expression.first):
        return False
    piece = text[expression.start : expression.end]
    if "\n" not in text[low:high].strip():
        return False  # a text of one line has no page around it to stamp
    if line.rstrip().endswith(f"({piece})") and not line.rstrip().endswith(f". ({piece})") and DAY_OR_MONTH & {expression.first.kind}:
        return True  # a linked item's stamp: `Minister visits troops (4 February 2021)`
    segments = [seg.strip() for seg in line.split("|")]
    return any(seg.startswith(piece) and not re.search(r"[a-z]{3,}", seg[len(piece):]) for seg in segments)


# What a site's date_order (rules/cleaning.yml) says of a date written day and month first or
# month and day first ("06-01-2020"). YMD says nothing of it: a site that writes 2020-01-06 leaves
# the order of a date whose year comes last to the rules below it (day_first_for).
DAY_FIRST_OF_ORDER: dict[DateOrder, bool] = {"DMY": True, "MDY": False}


def day_first_for(text: str, found: list[Atom], source: str | None, rules: DateRules,
                  date_order: DateOrder | None = None, date_order_rule: str | None = None) -> DayOrder:
    """The day-month order of numeric dates: the site's own order, else the source's rule, else the
    document's evidence, else unknown.

    The site's order comes first because cleaning recognizes a site by its page, which says more
    than a name or domain in `source`; day_first_by_source is left for domains and for sources
    no cleaning site covers.
    """
    if date_order in DAY_FIRST_OF_ORDER:
        return DayOrder(DAY_FIRST_OF_ORDER[date_order], date_order_rule or "site_date_order")
    for key, value in sorted(rules.day_first_by_source.items(), key=lambda kv: -len(kv[0])):
        if source_matches(source, key):
            return DayOrder(value, rules.where("day_first_by_source", key))
    votes = set()
    for atom in found:
        if atom.kind == "numeric_day":
            a, b = int(atom.groups["a"] or 0), int(atom.groups["b"] or 0)
            if a > 12 >= b:
                votes.add(True)
            elif b > 12 >= a:
                votes.add(False)
    return DayOrder(votes.pop(), "order_of_other_dates", inferred=True) if len(votes) == 1 else DayOrder(None)


# ---------------------------------------------------------------- the public functions


def find_dates(text: str, published: dt.date | None = None, rules: DateRules | None = None,
               source: str | None = None, candidates: Iterable[tuple[int, int]] = (), *,
               date_order: DateOrder | None = None, date_order_rule: str | None = None) -> list[DateRow]:
    """Every calendar reference in `text`, resolved (LABELING.md, Dates), in text order.

    `candidates` are (start, end) character spans found by something else (the
    model's DATE entities); those no pattern found are judged by candidate_parts.
    `date_order` is how the document's site writes numeric dates (cleaning's
    `sites`, Cleaned.date_order), when a site sets it; see day_first_for;
    `date_order_rule` where the rules set it (`rules/cleaning.yml:<line>`), for the rows' `rule`.
    """
    rules = rules or default_rules()
    found = atoms(text, rules)
    found = sorted(found + candidate_atoms(text, candidates, found, rules), key=lambda a: a.start)
    ctx = Context(text, published, rules, source, day_first_for(text, found, source, rules, date_order, date_order_rule))
    rows = []
    for expression in widen(text, found, rules):
        if in_dateline(text, expression) or in_stamp(text, expression) or means_nowadays(text, expression):
            continue
        ctx.notes = Notes([found_by(atom) for atom in (expression.first, expression.last) if atom is not None])
        if expression.first.kind == "candidate":
            ctx.note(flag="from_ner")
        if expression.relation:  # with_cues took it from a cue word of that relation's list
            ctx.note(rules.where("relations", expression.relation))
        resolved = resolve_expression(expression, ctx)
        if resolved is None:
            continue
        update_anchor(expression, resolved, ctx)
        rows.append(DateRow(expression.start, expression.end, text[expression.start : expression.end],
                            resolved.start, resolved.end, resolved.granularity, expression.relation,
                            tuple(dict.fromkeys(ctx.notes.rule)), frozenset(ctx.notes.flags)))
    return rows


def found_by(atom: Atom) -> str:
    """The rule column's name for what found an atom: its pattern, or the model (`ner`) for a candidate."""
    return "ner" if atom.kind == "candidate" else f"pattern:{atom.kind}"


def resolve_date(text: str, published: dt.date | None = None, rules: DateRules | None = None,
                 source: str | None = None) -> Resolved | None:
    """The days of one expression (`FY16`, `the third quarter of 2016`, `last week`); None if not a date."""
    rows = find_dates(text, published, rules, source)
    return Resolved(rows[0].date_start, rows[0].date_end, rows[0].granularity) if len(rows) == 1 else None

