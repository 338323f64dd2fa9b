"""Expressions relative to the publication date: `last week`, `two years ago`, `next March`.

Each notes `relative` (or `unresolved` when the page has no date), so users can
review the rows that rest on the page's date.
"""
from __future__ import annotations

import calendar
import datetime as dt

from .calendars import full_year, month_span, months_span, safe_day, season_span, week_span, year_span
from .context import Context, Resolved, Result, month_of
from .patterns import COUNTS, ORDINALS, WEEKDAYS


def shift(day: dt.date, unit: str, steps: int) -> dt.date:
    """The same position `steps` weeks, months, quarters or years away."""
    if unit in ("week", "weekend"):
        return day + dt.timedelta(weeks=steps)
    months = {"month": 1, "quarter": 3, "year": 12}[unit] * steps
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


STEPS = {"last": -1, "previous": -1, "past": -1, "this": 0, "current": 0, "next": 1, "coming": 1, None: 0}


def resolve_month_rel(g: dict, ctx: Context) -> Result:
    """`last September`: the latest September before published; `next June` the first after."""
    p = ctx.against_published()
    if p is None:
        return Resolved(None, None, "month")
    m, rel = month_of(g), g["rel"].lower()
    y = p.year
    if rel in ("last", "previous", "past"):
        y = p.year - 1 if m >= p.month else p.year
    elif rel in ("next", "coming"):
        y = p.year + 1 if m <= p.month else p.year
    return Resolved(*month_span(y, m), "month")


def resolve_month_rel_year(g: dict, ctx: Context) -> Result:
    published = ctx.against_published()
    if published is None:
        return Resolved(None, None, "month")
    return Resolved(*month_span(published.year + STEPS[g["rel"].lower()], month_of(g)), "month")


def year_of_rel(g: dict, ctx: Context) -> int | None:
    """The year a quarter or half names: written, relative to published, or from the anchor."""
    if g.get("y"):
        return int(g["y"])
    if g.get("yy"):
        return full_year(g["yy"])
    if g.get("rel"):
        published = ctx.against_published()
        return published.year + STEPS[g["rel"].lower()] if published else None
    return ctx.year_of_undated()


def resolve_season_rel(g: dict, ctx: Context) -> Result:
    published = ctx.against_published()
    if published is None:
        return Resolved(None, None, "season")
    return Resolved(*season_span(g["s"], published.year + STEPS[g["rel"].lower()], ctx), "season")


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
    published = ctx.against_published()
    if published is None:
        return Resolved(None, None, granularity)
    day = moved(published, unit, -count_of(g))
    return Resolved(*year_span(day.year), "year") if unit == "year" else Resolved(day, day, "day")


def resolve_counted_span(g: dict, ctx: Context) -> Result:
    """`the past three weeks` -> published minus 3 weeks .. the day before it;
    `the next three months` -> the day after published .. published plus 3 months."""
    if g["n"].lower() in ("a", "an"):
        return None
    p = ctx.against_published()
    if p is None:
        return Resolved(None, None, "day")
    unit, count = g["unit"].lower(), count_of(g)
    if g["rel"].lower() in ("next", "coming"):
        return Resolved(p + dt.timedelta(days=1), moved(p, unit, count), "day")
    return Resolved(moved(p, unit, -count), p - dt.timedelta(days=1), "day")


def resolve_counted_in(g: dict, ctx: Context, start: int = 0, end: int = 0) -> Result:
    """`in two weeks` -> published plus 2 weeks, a day; only where the sentence tells of the future:
    "the highest in two years" is a duration."""
    if not ctx.future(start, end) and "time" not in ctx.text[start:end].lower():
        return None
    published = ctx.against_published()
    if published is None:
        return Resolved(None, None, "day")
    day = moved(published, g["unit"].lower(), count_of(g))
    return Resolved(day, day, "day")


def resolve_after_next(g: dict, ctx: Context) -> Result:
    """`the year after next` -> the year of published plus 2 (and so for day, week, month)."""
    unit = g["unit"].lower()
    published = ctx.against_published()
    if published is None:
        return Resolved(None, None, unit)
    day = moved(published, unit, 2)
    if unit == "week":
        return Resolved(*week_span(day), "week")
    if unit == "month":
        return Resolved(*month_span(day.year, day.month), "month")
    return Resolved(*year_span(day.year), "year") if unit == "year" else Resolved(day, day, "day")


def resolve_day_word(g: dict, ctx: Context, text: str = "") -> Result:
    published = ctx.against_published()
    if published is None:
        return Resolved(None, None, "day")
    words = text.lower()
    offset = -2 if "before yesterday" in words else 2 if "after tomorrow" in words else \
        -1 if "yesterday" in words else 1 if "tomorrow" in words else 0
    found = published + dt.timedelta(days=offset)
    return Resolved(found, found, "day")


def resolve_weekday(g: dict, ctx: Context, start: int = 0, end: int = 0) -> Result:
    """`last Friday`, `next Monday`: that weekday of the previous/next week; a bare one by tense."""
    p = ctx.against_published()
    if p is None:
        return Resolved(None, None, "day")
    wd = WEEKDAYS[g["wd"].lower()]
    rel = (g.get("rel") or g.get("rel2") or "").lower() or None
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
    published = ctx.against_published()
    if published is None:
        return Resolved(None, None, unit)
    moved = shift(published, unit, STEPS[g["rel"].lower()])
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


def resolve_day_of_rel_month(g: dict, ctx: Context) -> Result:
    """`20th of next month`, `between 4 and 22 this month`: days of a month relative to published."""
    published = ctx.against_published()
    if published is None:
        return Resolved(None, None, "day")
    first = shift(published, "month", STEPS[g["rel"].lower()])
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
        ctx.against_published()  # notes `relative`; published is known here
        moved = shift(ctx.published, unit, STEPS[g["rel"].lower()])
        y, m = moved.year, moved.month
    else:
        undated = ctx.year_of_undated()
        assert undated is not None  # published is known here, so a year always is
        y = undated
    if unit == "year":
        weeks = dt.date(y, 12, 28).isocalendar().week
        monday = dt.date.fromisocalendar(y, n or weeks, 1) if (n or weeks) <= weeks else None
    else:
        m = month_of(g) if g.get("m") else m
        first_monday = dt.date(y, m, 1) + dt.timedelta(days=(7 - dt.date(y, m, 1).weekday()) % 7)
        mondays = [first_monday + dt.timedelta(weeks=k) for k in range(5) if (first_monday + dt.timedelta(weeks=k)).month == m]
        monday = mondays[-1] if n is None else mondays[n - 1]
    return Resolved(monday, monday + dt.timedelta(days=6), "week") if monday else None
