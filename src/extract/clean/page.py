"""What a page says about itself: headline, source, site names and dateline.

Read from the lines cleaning keeps or drops, so the documents table can name
a page's title and source even when the lines themselves are boilerplate.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from . import boilerplate as bp
from .boilerplate import Line
from .rules import DateOrder, Heuristics, SiteRules, StampRules
from .stamps import Stamp, dateline_stamp

DOMAIN = re.compile(r"(?<![@\w.])((?:[A-Za-z0-9-]+\.)+(?:gov|mil|org|com|int|net|edu|uk|eu|in))\b(?!@)", re.IGNORECASE)


WEB_ADDRESS = re.compile(rf"(?:https?://)?{DOMAIN.pattern}/?", re.IGNORECASE)


NAME_SEPARATOR = re.compile(r"\s+[|·–—-]\s+")  # "Baltic Defence Review – News from the Baltics"


# "© 2021 Baltic Defence Review. All rights reserved.", "© Riga Institute 2019-2024 | Privacy": the holder without the years.
COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s+)?"
    r"(?P<holder>[^.|]+?)(?:,?\s+\d{4}(?:\s*[-–]\s*\d{4})?)?\s*(?:\.|\||$)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PageMeta:
    """What an HTML page's metadata says about it (trafilatura); None where it says nothing."""

    title: str | None = None
    published: dt.date | None = None
    source: str | None = None


def headline_above_stamp(lines: list[Line], stamp: Stamp, heuristics: Heuristics) -> Line | None:
    """The line just above the page's stamp ("Updated March 10, 2023"), when it reads like a headline.

    Sites print the date right under the headline, so this is stronger
    evidence than a line's shape: a short headline beside a short line ("Report
    R46907") would otherwise pass for a menu. The line found is protected from
    the heuristics. Bylines between it and the stamp are skipped and dropped.
    It is no headline when a sentence stands above it (the stamp is then a
    footer), when it does not open its paragraph (a label's value, "From:" /
    "Ministry of Defence", or the last entry of a menu when the stamp stands
    above the headline), or when it is a link list or a prompt.
    """
    index = stamp.lines[0] - 1
    bylines: list[Line] = []
    while index >= 0 and (not lines[index].text or bp.matches_any(heuristics.bylines, lines[index].text)):
        if lines[index].text:
            bylines.append(lines[index])
        index -= 1
    if index < 0:
        return None
    candidate = lines[index]
    opens_paragraph = index == 0 or not lines[index - 1].text
    if not candidate.kept or not opens_paragraph or not is_headline_like(candidate.text, heuristics):
        return None
    if bp.is_link_list(candidate.text, heuristics) or bp.matches_any(heuristics.prompts, candidate.text):
        return None
    if any(not bp.is_menu_like(line.text, heuristics) for line in bp.kept(lines[:index])):
        return None
    for byline in bylines:
        bp.drop(byline, "heuristic: byline")
    candidate.protected = True
    return candidate


def find_headline(
    lines: list[Line], heuristics: Heuristics, anchored: Line | None = None, header: SiteHeader | None = None
) -> Line | None:
    """The headline: the line found above the stamp (`anchored`), else the first short line
    that opens the page's kept text.

    What stands above the anchored headline is the site's header (its name, a
    menu, a section label) and is dropped. Without one, a line that is the
    site's name or web address (see SiteHeader) is dropped and the next one
    tried; so is a short line with another short line below it that shares its
    paragraph with chrome (a menu, a prompt), that the page's footer repeats,
    or that stands on other pages of the site too: the site's masthead or an
    office above the headline ("U.S. Department of Defense"). A headline is
    the page's own.
    """
    if anchored is not None and anchored.kept:
        for line in lines:
            if line is anchored:
                break
            bp.drop(line, "heuristic: header above the headline")
        return anchored
    remaining = bp.kept(lines)
    for index, line in enumerate(remaining):
        if not is_headline_like(line.text, heuristics):
            return None
        if header is not None and header.names_the_site(line):
            bp.drop(line, "heuristic: site name above the headline")
            continue
        following = remaining[index + 1] if index + 1 < len(remaining) else None
        site_line = header is not None and (header.in_footer(line) or header.on_other_pages(line))
        if following is not None and is_headline_like(following.text, heuristics) and (
            bp.beside_chrome(line, lines) or site_line
        ):
            bp.drop(line, "heuristic: header above the headline")
            continue
        return line
    return None


@dataclass
class SiteHeader:
    """What tells the site's own lines at the top of a page from its headline.

    `names` are the site's names that the page or the rules give (casefolded):
    a `sites` entry's name, the holder of a © line, the HTML page's site name.
    `site` tells which lines the site's other documents hold too.
    """

    lines: list[Line]
    names: set[str]
    site: bp.SiteView

    def names_the_site(self, line: Line) -> bool:
        """The site's name, alone or before its tagline ("Baltic Defence Review – News from the
        Baltics"), or a web address alone. A headline that merely mentions the site ("Baltic
        Defence Review turns ten", "Baltic Defence Review: ten years") is neither."""
        text = line.text.casefold()
        return WEB_ADDRESS.fullmatch(text) is not None or NAME_SEPARATOR.split(text)[0] in self.names

    def in_footer(self, line: Line) -> bool:
        """Whether a line dropped as chrome has this one as one of its parts: "Baltic Defence
        Review" above the headline and "Baltic Defence Review | Contact" in the footer."""
        text = line.text.casefold()
        return any(
            other is not line and other.why and text in (part.casefold() for part in bp.LINK_SEPARATOR.split(other.text))
            for other in self.lines
        )

    def on_other_pages(self, line: Line) -> bool:
        """Whether another document of the site holds this line too."""
        return self.site.on_other_pages(line.text)


def site_names(lines: list[Line], site: SiteRules | None, meta: PageMeta) -> set[str]:
    """The site's names, casefolded, from the rules, the page's © lines and its metadata."""
    names = {name.casefold() for name in (site.name if site else None, meta.source) if name}
    for line in lines:
        match = COPYRIGHT.match(line.text)
        if match and "crown" not in match.group("holder").lower():
            names.add(match.group("holder").strip().casefold())
    return names


def find_dateline(lines: list[Line], headline: Line | None, order: DateOrder, rules: StampRules) -> Stamp | None:
    """A dateline ("WASHINGTON, Jan. 5, 2024 --") opening the article's first paragraph."""
    first = next((line for line in lines if line.kept and line is not headline), None)
    if first is None:
        return None
    index = lines.index(first)
    return dateline_stamp([line.text for line in lines], index, order, rules)


def is_headline_like(text: str, heuristics: Heuristics) -> bool:
    """Short, not ending like a sentence or a lead-in, not a list item."""
    return bp.words(text) <= heuristics.title_max_words and not re.search(r"[.;:]$", text) and text[:1] not in "•*-"


def find_source(lines: list[Line], heuristics: Heuristics) -> str | None:
    """The site's name from its chrome: the copyright holder (without the year), else
    the masthead's name when the footer repeats it, else the domain named most often.

    A name beats a domain ("Baltic Defence Review", not "www.bdr.example.org").
    The masthead alone is not enough: a page's first line can be an office or
    a section label; a site's name is the one its footer repeats.
    """
    chrome = [line.text for line in lines if line.why]
    for text in chrome:
        match = COPYRIGHT.match(text)
        if match and "crown" not in match.group("holder").lower():
            return match.group("holder").strip()
    masthead = masthead_name(lines, heuristics)
    if masthead:
        return masthead
    domains = Counter(d for text in chrome for d in DOMAIN.findall(text))
    if not domains:
        return None
    return sorted(domains.items(), key=lambda item: (-item[1], item[0].lower()))[0][0]


def masthead_name(lines: list[Line], heuristics: Heuristics) -> str | None:
    """The page's first line, dropped as chrome, when a later chrome line has it as one of its parts
    ("Riga Institute" ... "Riga Institute | Contact | www.riga.example.org")."""
    first = next((line for line in lines if line.text), None)
    if first is None or not first.why or bp.words(first.text) > heuristics.link_segment_words:
        return None
    if len(bp.LINK_SEPARATOR.split(first.text)) > 1:
        return None
    name = first.text.casefold()
    for line in lines:
        if line is not first and line.why and name in (part.casefold() for part in bp.LINK_SEPARATOR.split(line.text)):
            return first.text
    return None
