"""A page's own date stamp: "Last updated: 03 Feb. 2017", "Published / 12 March 2021",
"June 15, 2022 | Share | Print", a dateline "WASHINGTON, Jan. 5, 2024 --".

The stamp sets the document's `published` date, which anchors every relative
date ("last year", "on Monday"); it is not itself a date row. Only a date
with day, month and year counts: "WASHINGTON, Feb 26 -" has no year and is
left to the dates stage as an ordinary date.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

import dateparser

from .rules import Strict

DateOrder = Literal["DMY", "MDY", "YMD"]

TIME_OF_DAY = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?", re.IGNORECASE)
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
SEPARATORS = re.compile(r"\s+[|·]\s+")
# An all-capitals place, optionally ", State", then a date and a dash: "WASHINGTON, Jan. 5, 2024 --".
DATELINE = re.compile(
    r"^(?P<stamp>(?P<place>[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+)*(?:, [A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)*)?),\s+"
    r"(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4}|\d{1,2} [A-Z][a-z]{2,8}\.? \d{4})\s*(?:--|—|–|-))\s"
)


class StampRules(Strict):
    """The `stamps` section of rules/cleaning.yml."""

    labels: list[str]
    time_zones: list[str]
    date_order: DateOrder


@dataclass(frozen=True)
class Stamp:
    """Where a stamp was found: the date, the lines it takes, and its span when it stays in the text."""

    date: dt.date
    lines: tuple[int, ...]  # indexes into the list of lines searched
    span: tuple[int, int] | None = None  # character span inside the line, for a dateline kept in the text


def parse_stamp_date(text: str, order: DateOrder, rules: StampRules) -> dt.date | None:
    """A full date (day, month, year) from a stamp's text, with time of day and zone left out."""
    if not YEAR.search(text):
        return None
    value = TIME_OF_DAY.sub(" ", text)
    for zone in rules.time_zones:
        value = re.sub(rf"\b{re.escape(zone)}\b", " ", value)
    value = value.strip(" ,;|-–—()")
    if not value or len(value) > 40:
        return None
    parsed = dateparser.parse(
        value, languages=["en"], settings={"DATE_ORDER": order, "REQUIRE_PARTS": ["day", "month", "year"]}
    )
    return parsed.date() if parsed else None


def labeled_stamp(lines: list[str], index: int, order: DateOrder, rules: StampRules) -> Stamp | None:
    """ "Last updated: 03 Feb. 2017 14:39", or a label alone with the date on the next non-blank line."""
    labels = "|".join(re.escape(label) for label in rules.labels)
    match = re.match(rf"^(?:[•*-]\s*)?(?:{labels})\b\s*(?:on\b)?\s*:?\s*(?P<rest>.*)$", lines[index], re.IGNORECASE)
    if not match:
        return None
    rest = match.group("rest")
    if rest:
        date = parse_stamp_date(rest, order, rules)
        return Stamp(date, (index,)) if date else None
    following = next((i for i in range(index + 1, min(index + 3, len(lines))) if lines[i]), None)
    if following is None:
        return None
    date = parse_stamp_date(lines[following], order, rules)
    return Stamp(date, (index, following)) if date else None


def segmented_stamp(lines: list[str], index: int, order: DateOrder, rules: StampRules) -> Stamp | None:
    """A date among short segments: "June 15, 2022 | Share | Print", "Marta Lindqvist | 18 May 2021 | 6 min read"."""
    segments = SEPARATORS.split(lines[index])
    if len(segments) < 2:
        return None
    for segment in segments:
        date = parse_stamp_date(segment, order, rules)
        if date:
            return Stamp(date, (index,))
    return None


def dateline_stamp(lines: list[str], index: int, order: DateOrder, rules: StampRules) -> Stamp | None:
    """ "WASHINGTON, Jan. 5, 2024 -- The Department ...": the dateline stays in the text; its span is kept."""
    match = DATELINE.match(lines[index])
    if not match:
        return None
    date = parse_stamp_date(match.group("date"), order, rules)
    return Stamp(date, (index,), (0, match.end("stamp"))) if date else None


def find_stamp(lines: list[str], order: DateOrder, rules: StampRules) -> Stamp | None:
    """The first labeled or segmented stamp in reading order; `lines` are the page's lines, "" for a blank one.

    Datelines are looked for apart (`dateline_stamp`), on the article's first
    paragraph only: later paragraphs may quote other items' datelines.
    """
    for index, line in enumerate(lines):
        if not line:
            continue
        for finder in (labeled_stamp, segmented_stamp):
            stamp = finder(lines, index, order, rules)
            if stamp:
                return stamp
    return None
