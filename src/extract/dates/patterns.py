"""The date expressions as regular expressions, and the anchor words each must hold.

Every pattern is plain (no nested repetition) and runs only in windows around
its anchor words, so time grows linearly with the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..anchors import WORD, windows_around
from ..words import alternation
from .rules import DateRules

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


WINDOW = 400  # characters each side of a date that tense, phrases and stamps look at


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
