"""Calendar arithmetic (months, weeks, seasons) and which fiscal calendar a date is in.

The fiscal calendar comes from evidence in order (the sentence, the source,
the document, the wording), each noted for the row's `rule`.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from typing import TYPE_CHECKING, NamedTuple

from .patterns import has_word, word_pattern
from .rules import DateRules, FiscalCalendar

if TYPE_CHECKING:
    from .context import Context


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


def season_span(name: str, y: int, ctx: Context) -> tuple[dt.date, dt.date]:
    """The months of a season in year `y`, as the rules' seasons list them (and the rule column names)."""
    first, last = ctx.rules.seasons[name.lower()]
    ctx.note(ctx.rules.where("seasons", name.lower()))
    return months_span(y, first, (last - first) % 12 + 1)


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


def pair_calendar(ctx: Context, start: int, end: int) -> FiscalCalendar | None:
    """The fiscal calendar of a bare pair of years (`2023-24`), or None when it is two calendar years.

    Only a government the text makes plain (LABELING: the sentence's phrases and
    currencies, the source, then the whole document's) whose fiscal year
    straddles two calendar years makes the pair its fiscal year; the default
    calendar and the wording decide nothing here, as `the 2015-16 season` is
    two calendar years.
    """
    rules = ctx.rules
    in_sentence = calendar_evidence(ctx.sentence(start, end), rules)
    if in_sentence is not None and not in_sentence.from_currency:
        in_sentence = in_sentence._replace(inferred=False)  # a phrase of the sentence itself names the calendar
    evidence = in_sentence or calendar_of_source(ctx.source, rules) or ctx.document_calendar
    if evidence is None or evidence.calendar == rules.default_fiscal_calendar:
        return None
    fiscal = rules.fiscal_calendars[evidence.calendar]
    if fiscal.start_month == 1:
        return None
    ctx.note(*evidence.rule, rules.where("fiscal_calendars", evidence.calendar),
             flag="fiscal_calendar_inferred" if evidence.inferred else None)
    return fiscal


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
