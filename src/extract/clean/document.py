"""Turn a saved web page into the article's text, and read its title, date and source.

Every later stage and every table is only as good as this one: an amount in a
related-links list or a date in a footer would be a false row. The steps:

1. repair Unicode (ftfy) and spaces; rejoin hard-wrapped lines (wire copy);
2. drop boilerplate by the rules in rules/cleaning.yml (general and per site),
   then by heuristics for sites nobody wrote a rule for (clean/boilerplate.py);
3. read the page's stamp (clean/stamps.py), headline and site name;
4. join what is left: one paragraph, heading or list item per line.

`.html` pages first go through trafilatura, which takes out the main text and
the page's metadata; the same steps then run on that text.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

from ..errors import DocumentError
from ..rules import search
from . import boilerplate as bp
from .boilerplate import Line
from .html import main_text
from .lines import apply_heuristics, apply_rules, assemble, repair, split_lines
from .page import PageMeta, SiteHeader, find_dateline, find_headline, find_source, headline_above_stamp, site_names
from .read import RawDocument, RawInfo, read_document
from .rules import CleaningRules, DateOrder, SiteRules
from .stamps import find_stamp, stamp_spans


@dataclass
class Cleaned:
    """The cleaned text and what the page said about itself.

    `stamps` are character spans of the page's own dates left inside the text:
    the dateline that set `published` ("WASHINGTON, Jan. 5, 2024 --") and every
    other stamp-like piece (clean/stamps.py, stamp_spans). Cleaning alone
    decides what is the page's own date; the dates stage skips dates inside
    these spans.

    `short_text` is True when no line of the text is a sentence and none is a
    web page's chrome (a headline alone, a few such lines): the text is content,
    so the heuristics that judge a line by its shape alone do not drop its lines.

    `date_order` is how the page's site writes numeric dates (its `sites` entry
    in rules/cleaning.yml), for the dates stage to read "06-01-2020" the same
    way; None when no site sets one. It is never the stamps' default order:
    that default is a guess good enough for a page's own stamp, and the dates
    stage would rather leave a date unresolved than guess.
    """

    text: str
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    date_order: DateOrder | None = None
    date_order_rule: str | None = None  # `rules/cleaning.yml:<line>` of the site's date_order, for the dates' rule column
    stamps: list[tuple[int, int]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    short_text: bool = False
    asked: bp.Asked = field(default_factory=lambda: bp.Asked(""))  # what cleaning asked of the site's other documents

    @property
    def dropped(self) -> list[tuple[str, str]]:
        """(line, why) for every dropped line."""
        return [(line.text, line.why) for line in self.lines if line.why]


def clean_document(
    raw: RawDocument, rules: CleaningRules, site_lines: bp.SiteLines | None = None
) -> Cleaned:
    """Clean one read document: HTML through trafilatura first, text as it is."""
    if raw.is_html:
        return clean_html(raw.text, rules, path=raw.path)
    key = site_key(find_site(raw.text, raw.path, rules), raw.path)
    view = site_lines.view(key, rules.heuristics) if site_lines else bp.SiteView(key)
    return clean_text(raw.text, rules, path=raw.path, site_view=view)


@dataclass
class FirstPass:
    """What a run's first pass over its files found: the lines each site's documents share, and what
    reading each readable file told (by its path under RAW), so that its cleaned text can be looked up later."""

    site_lines: bp.SiteLines = field(default_factory=bp.SiteLines)
    files: dict[str, RawInfo] = field(default_factory=dict)


def first_pass(paths: list[Path], root: Path, rules: CleaningRules) -> FirstPass:
    """Read every file once: which lines each site's documents share (for the repeated-lines heuristic).

    Only text files are counted (trafilatura already strips an HTML page's
    chrome); files that cannot be read are left to the main pass to report.
    Lines are counted before Unicode repair, which keeps the pass cheap; a
    line garbled differently in each copy is then not seen as repeated.
    """
    found = FirstPass()
    for path in paths:
        try:
            raw = read_document(path, root)
        except DocumentError:
            continue
        found.files[raw.path] = RawInfo.of(raw)
        if raw.is_html:
            continue
        site = find_site(raw.text, raw.path, rules)
        found.site_lines.add(site_key(site, raw.path), [line.text for line in split_lines(raw.text, rules.wrapped_text)])
    return found


def count_site_lines(paths: list[Path], root: Path, rules: CleaningRules) -> bp.SiteLines:
    """The site lines of the first pass alone (for cleaning one file, or for `extract suggest`)."""
    return first_pass(paths, root, rules).site_lines


def clean_text(
    raw: str,
    rules: CleaningRules,
    *,
    path: str | None = None,
    site_view: bp.SiteView | None = None,
    meta: PageMeta | None = None,
    web_page: bool = False,
) -> Cleaned:
    """Repair Unicode, drop boilerplate, read stamp, title and source, and join the article's lines.

    `site_view` tells which lines the site's other documents hold (its chrome, and the lines
    above a headline); what cleaning asked of it is kept in the result's `asked`.
    `web_page` (an HTML page's text) is never a short text: its short lines are the page's chrome.
    """
    meta = meta or PageMeta()
    site_view = site_view or bp.SiteView()
    text = repair(raw)
    lines = split_lines(text, rules.wrapped_text)
    site = find_site(text, path, rules)
    apply_rules(lines, rules.lines, rules.blocks, "rule")
    if site:
        apply_rules(lines, site.lines, site.blocks, f"site {site.name}")
    order = site.date_order if site and site.date_order else rules.stamps.date_order
    texts = [line.text if line.why is None or not line.why.startswith("block") else "" for line in lines]
    stamp = find_stamp(texts, order, rules.stamps)
    anchored = None
    if stamp:
        for index in stamp.lines:
            bp.drop(lines[index], f"stamp: published {stamp.date.isoformat()}")
        anchored = headline_above_stamp(lines, stamp, rules.heuristics)
    short = apply_heuristics(lines, rules.heuristics, site_view, web_page)
    header = SiteHeader(lines, site_names(lines, site, meta), site_view)
    headline = find_headline(lines, rules.heuristics, anchored, header)
    dateline = find_dateline(lines, headline, order, rules.stamps)
    title = meta.title or (headline.text if headline else None)
    bp.mark_repeated_title(lines, title)
    if not short:
        bp.mark_trailing_lines(lines, rules.heuristics)
    body, spans = assemble(lines, dateline)
    dated = stamp or dateline
    return Cleaned(
        text=body,
        title=title,
        published=meta.published or (dated.date if dated else None),
        source=meta.source or (site.name if site else None) or find_source(lines, rules.heuristics),
        date_order=site.date_order if site else None,
        date_order_rule=date_order_rule(site, rules),
        stamps=sorted(set(spans + stamp_spans(body, order, rules.stamps))),
        lines=lines,
        short_text=short,
        asked=site_view.asked,
    )


def date_order_rule(site: SiteRules | None, rules: CleaningRules) -> str | None:
    """Where rules/cleaning.yml sets the site's date_order; None when no site sets one."""
    if site is None or site.date_order is None:
        return None
    index = next(i for i, listed in enumerate(rules.sites) if listed is site)
    return rules.where("sites", index, "date_order") or f"site:{site.name}"


def find_site(text: str, path: str | None, rules: CleaningRules) -> SiteRules | None:
    """The first site whose `files` globs match the path or whose `match` patterns occur in the text."""
    for site in rules.sites:
        if path and any(fnmatch(Path(path).name, glob) or fnmatch(path, glob) for glob in site.files):
            return site
        if any(search(pattern, text, re.IGNORECASE | re.MULTILINE) for pattern in site.match):
            return site
    return None


def site_key(site: SiteRules | None, path: str) -> str:
    """Which documents count as one site for repeated lines: the named site, else the folder."""
    return site.name if site else f"folder:{Path(path).parent.as_posix()}"


def clean_html(html: str, rules: CleaningRules, *, path: str | None = None) -> Cleaned:
    """The main text of an HTML page (trafilatura), then cleaned like any text; metadata wins."""
    page = main_text(html)
    if page is None:
        return Cleaned(text="")
    text, meta = page
    return clean_text(text, rules, path=path, meta=meta, web_page=True)


def diff_lines(cleaned: Cleaned) -> list[str]:
    """Every non-blank input line, kept ("  ") or dropped ("- ") with the reason, numbered."""
    rows = []
    for line in cleaned.lines:
        if not line.text:
            continue
        if line.why:
            rows.append(f"- {line.number:>4} [{line.why}] {line.text}")
        else:
            rows.append(f"  {line.number:>4} {line.text}")
    return rows
