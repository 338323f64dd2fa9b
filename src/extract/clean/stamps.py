"""A page's own date stamp: "Last updated: 03 Feb. 2017", "Published / 12 March 2021",
"Posted on 4 May 2021 by A. Writer | 3 comments", "June 15, 2022 | Share | Print",
a wire's "News provided by" / organization / date block, and a dateline
"WASHINGTON, Jan. 5, 2024 --" or "TORONTO, May 2, 2023 /PRNewswire/ -".

The stamp sets the document's `published` date, which anchors every relative
date ("last year", "on Monday"); it is not itself a date row. Only a date
with day, month and year counts: "WASHINGTON, Feb 26 -" has no year and sets
no `published`.

Cleaning is the one place that decides what is the page's own date.
`find_stamp` reads the stamp that sets `published` (its lines are dropped);
`stamp_spans` marks every stamp-like piece left in the cleaned text (a
dateline, with or without a year; a second label line; a byline's date
segment; a linked item's date), which the dates stage skips (Cleaned.stamps).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import dateparser

from ..rules import search, substitute
from .boilerplate import LINK_SEPARATOR
from .rules import DateOrder, StampRules

TIME_OF_DAY = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?", re.IGNORECASE)


YEAR = re.compile(r"\b(?:19|20)\d{2}\b")




# A line ending like a sentence (a question is left out: headlines ask them).
SENTENCE = re.compile(r"[.!][\"'”’)\]]*$")


# An all-capitals place, optionally ", State", then a date, a wire's tag (from the rules) and a dash:
# "WASHINGTON, Jan. 5, 2024 --", "TORONTO, May 2, 2023 /PRNewswire/ -".
DATELINE_PLACE = r"(?P<place>[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+)*(?:, [A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)*)?)"


DATELINE_DATE = r"(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4}|\d{1,2} [A-Z][a-z]{2,8}\.? \d{4})"




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


def label_rest(line: str, labels: list[str]) -> str | None:
    """What follows one of `labels` at the start of the line ("" for a label alone); None without a label."""
    match = label_pattern(tuple(labels)).match(line)
    return match.group("rest") if match else None


@lru_cache(maxsize=16)
def label_pattern(labels: tuple[str, ...]) -> re.Pattern[str]:
    """The pattern for label_rest, built once per list of labels (it is asked for every line)."""
    alternatives = "|".join(re.escape(label) for label in labels)
    return re.compile(rf"^(?:[•*-]\s*)?(?:{alternatives})\b\s*(?:on\b)?\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)


def next_filled(lines: list[str], index: int) -> int | None:
    """The next non-blank line after `index`, at most one blank line away."""
    return next((i for i in range(index + 1, min(index + 3, len(lines))) if lines[i]), None)


def without_byline(text: str, rules: StampRules) -> str:
    """A stamp's text with the byline around its date cut off ("4 May 2021 by A. Writer")."""
    for byline in rules.bylines:
        text = substitute(byline, "", text)
    return text


def labeled_date(rest: str, order: DateOrder, rules: StampRules) -> dt.date | None:
    """The date after a stamp's label, once widgets ("| 3 comments") and the byline ("by A. Writer") are cut off."""
    return parse_stamp_date(without_byline(LINK_SEPARATOR.split(rest)[0], rules), order, rules)


def labeled_stamp(lines: list[str], index: int, order: DateOrder, rules: StampRules) -> Stamp | None:
    """ "Last updated: 03 Feb. 2017 14:39", "Posted on 4 May 2021 by A. Writer | 3 comments",
    or a label alone with the date on the next non-blank line."""
    rest = label_rest(lines[index], rules.labels)
    if rest is None:
        return None
    if rest:
        date = labeled_date(rest, order, rules)
        return Stamp(date, (index,)) if date else None
    following = next_filled(lines, index)
    if following is None:
        return None
    date = parse_stamp_date(lines[following], order, rules)
    return Stamp(date, (index, following)) if date else None


def provider_stamp(lines: list[str], index: int, order: DateOrder, rules: StampRules) -> Stamp | None:
    """A wire's "News provided by" / "Ministry of Defence" / "Mar 03, 2022, 11:30 ET": who issued
    the release (on the label's line or the next), then its date on the line after."""
    rest = label_rest(lines[index], rules.providers)
    if rest is None:
        return None
    taken = [index]
    if not rest:
        organization = next_filled(lines, index)
        if organization is None:
            return None
        taken.append(organization)
    following = next_filled(lines, taken[-1])
    date = parse_stamp_date(lines[following], order, rules) if following is not None else None
    return Stamp(date, (*taken, following)) if date and following is not None else None


def segmented_stamp(lines: list[str], index: int, order: DateOrder, rules: StampRules) -> Stamp | None:
    """A date among short segments: "June 15, 2022 | Share | Print", "Marta Lindqvist | 18 May 2021 | 6 min read",
    "May 4, 2021 by A. Writer | Leave a comment"."""
    segments = LINK_SEPARATOR.split(lines[index])
    if len(segments) < 2:
        return None
    for segment in segments:
        date = parse_stamp_date(without_byline(segment, rules), order, rules)
        if date:
            return Stamp(date, (index,))
    return None


def dateline_stamp(lines: list[str], index: int, order: DateOrder, rules: StampRules) -> Stamp | None:
    """ "WASHINGTON, Jan. 5, 2024 -- The Department ...": the dateline stays in the text; its span is kept.

    A newswire writes its tag between the date and the dash ("/CNW/", "(Reuters)"): it is part of the dateline.
    """
    dateline = rf"^(?P<stamp>{DATELINE_PLACE},\s+{DATELINE_DATE}(?:\s*(?:{rules.wire_tag}))?\s*(?:--|—|–|-))\s"
    match = search(dateline, lines[index], 0)
    if not match:
        return None
    date = parse_stamp_date(match.group("date"), order, rules)
    return Stamp(date, (index,), (0, match.end("stamp"))) if date else None


def bare_stamp(lines: list[str], index: int, order: DateOrder, rules: StampRules) -> Stamp | None:
    """A line that is nothing but a full date ("May 4, 2021", "4 May 2021 09:30 CET"); with a full stop it ends a sentence."""
    if SENTENCE.search(lines[index]):
        return None
    date = parse_stamp_date(lines[index], order, rules)
    return Stamp(date, (index,)) if date else None


def find_stamp(lines: list[str], order: DateOrder, rules: StampRules) -> Stamp | None:
    """The first labeled, provider or segmented stamp in reading order; `lines` are the page's lines, "" for a blank one.

    A bare date line is a stamp only above the article's first sentence (under
    the headline or a byline); lower down it is the article's own (a timeline
    entry). Datelines are looked for apart (`dateline_stamp`), on the article's
    first paragraph only: later paragraphs may quote other items' datelines.
    """
    above_article = True
    for index, line in enumerate(lines):
        if not line:
            continue
        finders = (labeled_stamp, provider_stamp, segmented_stamp, bare_stamp) if above_article else (labeled_stamp, provider_stamp, segmented_stamp)
        for finder in finders:
            stamp = finder(lines, index, order, rules)
            if stamp:
                return stamp
        above_article = above_article and not SENTENCE.search(line)
    return None


# A dateline's head at a line's start, with or without a year: a capitalized place, optionally
# ", State", a short date, a wire's tag and a dash ("WASHINGTON, Feb 26 -", "Tokyo, April 17 -").
# Every word of the place is capitalized, so a sentence ("Rates went up from November 2003 - as")
# is no dateline.
PLACE_WORD = r"[A-Z][A-Za-z.'’-]*"


SHORT_DATE = r"[A-Z0-9][\w.,' ]{0,30}?"


# Month and weekday names (abbreviated too), the lowercase words a date segment may hold.
DATE_NAME = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\.?(?![a-z])",
    re.IGNORECASE,
)


LOWER_WORD = re.compile(r"[a-z]{3,}")


# A linked item's date at the end of its line: "Minister visits troops (4 February 2021)"; after a
# sentence's full stop ("... in 2021. (4 February 2021)") it is the sentence's own.
LINKED_DATE = re.compile(r"(?<!\. )\((?P<date>[^()\n]+)\)$")


def stamp_spans(text: str, order: DateOrder, rules: StampRules) -> list[tuple[int, int]]:
    """Character spans of every stamp-like piece of a cleaned text: dates inside them are the page's own, not rows.

    A line opening with a stamp label ("Updated: Aug 14, 2017") and the line
    after a label alone; a dateline's head, with or without a year; and, in a
    text of more than one line (a single line has no page around it to
    stamp), a linked item's full date "(4 February 2021)" and a segment of a
    line that is only a date ("Jane Doe | 18 May 2021 | 6 min read", or a line
    "May 2021" alone).
    """
    paged = "\n" in text.strip()
    dateline = dateline_head(rules.wire_tag)
    spans: list[tuple[int, int]] = []
    after_label = False
    for start, line in lines_of(text):
        if not line.strip():
            continue
        rest = label_rest(line, rules.labels)
        if rest is not None or after_label:
            spans.append((start, start + len(line)))
        after_label = rest == ""
        head = dateline.match(line)
        if head:
            spans.append((start, start + head.end("stamp")))
        if paged:
            spans.extend((start + first, start + last) for first, last in date_pieces(line, order, rules))
    return spans


def lines_of(text: str) -> Iterator[tuple[int, str]]:
    """Each line of the text with its start offset."""
    start = 0
    for line in text.split("\n"):
        yield start, line
        start += len(line) + 1


@lru_cache(maxsize=16)
def dateline_head(wire_tag: str) -> re.Pattern[str]:
    """The pattern of a dateline's head, with the rules' wire tags (built once per rules)."""
    place = rf"{PLACE_WORD}(?: {PLACE_WORD}){{0,3}}(?:,\s*{PLACE_WORD}(?: {PLACE_WORD})*)?"
    return re.compile(rf"^(?P<stamp>\(?{place},\s+{SHORT_DATE}\s*(?:(?:{wire_tag})\s*)?(?:--|—|–|-))\s")


def date_pieces(line: str, order: DateOrder, rules: StampRules) -> Iterator[tuple[int, int]]:
    """A linked item's full date at the line's end, and the segments of the line that are only a date."""
    stripped = line.rstrip()
    linked = LINKED_DATE.search(stripped)
    if linked and parse_stamp_date(linked.group("date"), order, rules):
        yield linked.span("date")
    position = 0
    for segment in LINK_SEPARATOR.split(line):
        first = line.index(segment, position)
        position = first + len(segment)
        if is_date_segment(segment.strip()):
            yield first, position


def is_date_segment(segment: str) -> bool:
    """A segment that opens with a date and holds a year and no other word in lowercase ("18 May 2021", "2019-2020")."""
    opens = segment[:1].isdigit() or DATE_NAME.match(segment) is not None
    return opens and YEAR.search(segment) is not None and not LOWER_WORD.search(DATE_NAME.sub(" ", segment))
