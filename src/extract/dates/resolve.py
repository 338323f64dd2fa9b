"""Absolute expressions to their first and last day: days, months, quarters, fiscal years, decades.

`RESOLVERS` maps each pattern kind to its resolver; relative kinds come from
relative.py. Day forms with a month name are read by dateparser.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from .calendars import (
    fiscal_calendar,
    fiscal_span,
    full_year,
    month_span,
    months_span,
    named_the_us_way,
    pair_calendar,
    safe_day,
    season_span,
    year_span,
)
from .context import Context, Partial, Resolved, Result, month_of, read_day
from .patterns import ORDINALS, WEEKDAYS, WORD_CENTURIES, WORD_DECADES, Atom, candidate_parts
from .relative import (
    resolve_after_next,
    resolve_counted_ago,
    resolve_counted_in,
    resolve_counted_span,
    resolve_day_of_rel_month,
    resolve_day_word,
    resolve_month_rel,
    resolve_month_rel_year,
    resolve_nth_week,
    resolve_rel_period,
    resolve_season_rel,
    resolve_weekday,
    shift,
    year_of_rel,
)


def resolve_candidate(g: dict, ctx: Context, text: str = "") -> Result:
    """A candidate that names a month and a day or year, read by dateparser with exactly those parts required."""
    parts = candidate_parts(text, ctx.rules)
    return read_day(text, parts, ctx) if parts else None


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


def resolve_season(g: dict, ctx: Context) -> Result:
    return Resolved(*season_span(g["s"], int(g["y"]), ctx), "season")


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


def resolve_century(g: dict, ctx: Context) -> Result:
    n = int(g["n"]) if g.get("n") else WORD_CENTURIES[re.sub(r"\s+", " ", g["w"].lower())]
    first = (n - 1) * 100
    return Resolved(dt.date(first, 1, 1), dt.date(first + 99, 12, 31), "century")


def resolve_year_range(g: dict, ctx: Context, start: int = 0, end: int = 0) -> Result:
    """`2004-2011` -> the years 2004 to 2011; `2023-24`, two years in a row written as a pair, is the
    fiscal year of the government the text makes plain, when that government's year straddles two."""
    first = int(g["y"])
    last = int(g["y2"]) if g.get("y2") else first // 100 * 100 + int(g["yy"])
    if last <= first or last - first > 100:
        return None
    fiscal = pair_calendar(ctx, start, end) if g.get("yy") and last == first + 1 else None
    if fiscal is not None:
        return Resolved(*months_span(first, fiscal.start_month, 12), "fiscal_year")
    return Resolved(dt.date(first, 1, 1), dt.date(last, 12, 31), "year")


def resolve_year(g: dict, ctx: Context) -> Result:
    return Resolved(*year_span(int(g["y"])), "year")


def resolve_weekday_day(g: dict, ctx: Context) -> Result:
    """`Friday the 15th`: the 15th, of published's month or the one before or after, that is a Friday."""
    published = ctx.against_published()
    if published is None:
        return Resolved(None, None, "day")
    for months in (0, -1, 1):
        first = shift(published, "month", months)
        found = safe_day(first.year, first.month, int(g["d"]))
        if found and found.weekday() == WEEKDAYS[g["wd"].lower()]:
            return Resolved(found, found, "day")
    return None


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


NEEDS_SPAN = {"fiscal", "fiscal_after", "weekday_rel", "rel_week_weekday", "counted_in", "year_range"}


NEEDS_TEXT = {"day_word", "day_month", "month_day", "day_month_compact", "candidate"}


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
