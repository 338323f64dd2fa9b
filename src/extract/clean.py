"""Turn a saved web page into the article's text, and read its title, date and source.

Every later stage and every table is only as good as this one: an amount in a
related-links list or a date in a footer would be a false row. The steps:

1. repair Unicode (ftfy) and spaces; rejoin hard-wrapped lines (wire copy);
2. drop boilerplate by the rules in rules/cleaning.yml (general and per site),
   then by heuristics for sites nobody wrote a rule for (boilerplate.py);
3. read the page's stamp (stamps.py), headline and site name;
4. join what is left: one paragraph, heading or list item per line.

`.html` pages first go through trafilatura, which takes out the main text and
the page's metadata; the same steps then run on that text.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

import ftfy

from . import boilerplate as bp
from .boilerplate import Heuristics, Line
from .errors import DocumentError
from .read import RawDocument, read_document
from .rules import Regex, Strict, load_rule_file
from .stamps import DateOrder, Stamp, StampRules, dateline_stamp, find_stamp

SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
DOMAIN = re.compile(r"(?<![@\w.])((?:[A-Za-z0-9-]+\.)+(?:gov|mil|org|com|int|net|edu|uk|eu|in))\b(?!@)", re.IGNORECASE)
WEB_ADDRESS = re.compile(rf"(?:https?://)?{DOMAIN.pattern}/?", re.IGNORECASE)
NAME_SEPARATOR = re.compile(r"\s+[|·–—-]\s+")  # "Baltic Defence Review – News from the Baltics"
# "© 2021 Baltic Defence Review. All rights reserved.", "© Riga Institute 2019-2024 | Privacy": the holder without the years.
COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s+)?"
    r"(?P<holder>[^.|]+?)(?:,?\s+\d{4}(?:\s*[-–]\s*\d{4})?)?\s*(?:\.|\||$)",
    re.IGNORECASE,
)


class LineRule(Strict):
    """Drop every line that this regular expression matches (searched, case-insensitive)."""

    pattern: Regex
    why: str = ""


class BlockRule(Strict):
    """Drop from a line matching `start` through a line matching `end`, or through the next
    `paragraphs` paragraphs (and then any paragraphs of link titles, with `titles_max_words`),
    or (with neither) to the end of the text."""

    start: Regex
    end: Regex | None = None
    paragraphs: int | None = None
    titles_max_words: int | None = None
    why: str = ""


class WrappedText(Strict):
    """When a text counts as hard-wrapped (wire copy) and which lines are rejoined."""

    max_line_chars: int
    continuation_share: float
    join_min_chars: int


class SiteRules(Strict):
    """One site: how to recognize its pages, its own rules, and how it writes dates."""

    name: str
    match: list[Regex] = []
    files: list[str] = []
    date_order: DateOrder | None = None
    lines: list[LineRule] = []
    blocks: list[BlockRule] = []


class CleaningRules(Strict):
    """rules/cleaning.yml."""

    lines: list[LineRule] = []
    blocks: list[BlockRule] = []
    sites: list[SiteRules] = []
    heuristics: Heuristics
    stamps: StampRules
    wrapped_text: WrappedText


@dataclass(frozen=True)
class PageMeta:
    """What an HTML page's metadata says about it (trafilatura); None where it says nothing."""

    title: str | None = None
    published: dt.date | None = None
    source: str | None = None


@dataclass
class Cleaned:
    """The cleaned text and what the page said about itself.

    `stamps` are character spans of the page's own date stamp left inside the
    text (a dateline "WASHINGTON, Jan. 5, 2024 --"): the stamp sets `published`
    and the dates stage skips dates inside these spans.

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

    @property
    def dropped(self) -> list[tuple[str, str]]:
        """(line, why) for every dropped line."""
        return [(line.text, line.why) for line in self.lines if line.why]


def load_cleaning_rules(rules_dir: Path) -> CleaningRules:
    """Read and validate rules/cleaning.yml."""
    return load_rule_file(rules_dir / "cleaning.yml", CleaningRules)


def clean_document(
    raw: RawDocument, rules: CleaningRules, site_lines: bp.SiteLines | None = None
) -> Cleaned:
    """Clean one read document: HTML through trafilatura first, text as it is."""
    if raw.is_html:
        return clean_html(raw.text, rules, path=raw.path)
    site = find_site(raw.text, raw.path, rules)
    key = site_key(site, raw.path)
    repeated = site_lines.repeated(key, rules.heuristics) if site_lines else frozenset()
    line_counts = site_lines.lines.get(key, {}) if site_lines else {}
    return clean_text(raw.text, rules, path=raw.path, repeated=repeated, line_counts=line_counts)


def count_site_lines(paths: list[Path], root: Path, rules: CleaningRules) -> bp.SiteLines:
    """First pass of a run: which lines each site's documents share (for the repeated-lines heuristic).

    Only text files are counted (trafilatura already strips an HTML page's
    chrome); files that cannot be read are left to the main pass to report.
    Lines are counted before Unicode repair, which keeps the pass cheap; a
    line garbled differently in each copy is then not seen as repeated.
    """
    counts = bp.SiteLines()
    for path in paths:
        try:
            raw = read_document(path, root)
        except DocumentError:
            continue
        if raw.is_html:
            continue
        site = find_site(raw.text, raw.path, rules)
        counts.add(site_key(site, raw.path), [line.text for line in split_lines(raw.text, rules.wrapped_text)])
    return counts


def clean_text(
    raw: str,
    rules: CleaningRules,
    *,
    path: str | None = None,
    repeated: frozenset[str] = frozenset(),
    line_counts: Mapping[str, int] | None = None,
    meta: PageMeta | None = None,
    web_page: bool = False,
) -> Cleaned:
    """Repair Unicode, drop boilerplate, read stamp, title and source, and join the article's lines.

    `repeated` holds the fingerprints (boilerplate.line_key) of the site's chrome lines;
    `line_counts` says how many of the site's documents hold each line, for the headline.
    `web_page` (an HTML page's text) is never a short text: its short lines are the page's chrome.
    """
    meta = meta or PageMeta()
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
    short = apply_heuristics(lines, rules.heuristics, repeated, web_page)
    header = SiteHeader(lines, site_names(lines, site, meta), line_counts or {})
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
        stamps=spans,
        lines=lines,
        short_text=short,
    )


def date_order_rule(site: SiteRules | None, rules: CleaningRules) -> str | None:
    """Where rules/cleaning.yml sets the site's date_order; None when no site sets one."""
    if site is None or site.date_order is None:
        return None
    index = next(i for i, listed in enumerate(rules.sites) if listed is site)
    return rules.where("sites", index, "date_order") or f"site:{site.name}"


def repair(raw: str) -> str:
    """Mojibake and broken entities fixed, curly quotes kept, odd spaces made plain."""
    text = ftfy.fix_text(raw, uncurl_quotes=False, normalization="NFC")
    return INVISIBLE.sub("", text)


def split_lines(text: str, wrapped: WrappedText) -> list[Line]:
    """The page's lines with spaces normalized, numbered, grouped into paragraphs."""
    lines: list[Line] = []
    block = 0
    for number, raw_line in enumerate(text.splitlines(), start=1):
        content = SPACES.sub(" ", raw_line.expandtabs()).strip()
        if not content:
            block += 1
        indented = bool(content) and raw_line[:1] in (" ", "\t")
        lines.append(Line(number=number, text=content, block=block, indented=indented))
    return rejoin_wrapped(lines, wrapped) if is_wrapped(lines, wrapped) else lines


def is_wrapped(lines: list[Line], wrapped: WrappedText) -> bool:
    """Hard-wrapped prose: lines no longer than a wire's width, many continuing a sentence."""
    texts = [line.text for line in lines if line.text]
    if len(texts) < 4 or max(len(t) for t in texts) > wrapped.max_line_chars:
        return False
    flush = [line for line in lines if line.text and not line.indented]  # indented lines are tables or paragraph starts
    continuations = sum(
        1
        for before, line in zip(lines, lines[1:])
        if before.text and line in flush and (line.text[0].islower() or line.text[0].isdigit())
    )
    return continuations >= wrapped.continuation_share * len(flush)


def rejoin_wrapped(lines: list[Line], wrapped: WrappedText) -> list[Line]:
    """Join a wrapped line to the one before it; an indented line starts a new paragraph."""
    joined: list[Line] = []
    block = 0
    for line in lines:
        before = joined[-1] if joined else None
        if before is not None and before.text and line.text:
            if not line.indented and len(before.text) >= wrapped.join_min_chars:
                before.text = f"{before.text} {line.text}"
                continue
            if line.indented:
                block += 1
        if not line.text:
            block += 1
        line.block = block
        joined.append(line)
    return joined


def find_site(text: str, path: str | None, rules: CleaningRules) -> SiteRules | None:
    """The first site whose `files` globs match the path or whose `match` patterns occur in the text."""
    for site in rules.sites:
        if path and any(fnmatch(Path(path).name, glob) or fnmatch(path, glob) for glob in site.files):
            return site
        if any(re.search(pattern, text, re.IGNORECASE | re.MULTILINE) for pattern in site.match):
            return site
    return None


def site_key(site: SiteRules | None, path: str) -> str:
    """Which documents count as one site for repeated lines: the named site, else the folder."""
    return site.name if site else f"folder:{Path(path).parent.as_posix()}"


def apply_rules(lines: list[Line], line_rules: list[LineRule], blocks: list[BlockRule], kind: str) -> None:
    """Drop lines by the line rules and block rules; `kind` names the rule set in the reason."""
    index = 0
    while index < len(lines):
        line = lines[index]
        block = next((b for b in blocks if line.kept and re.search(b.start, line.text, re.IGNORECASE)), None)
        if block is not None:
            end = block_end(lines, index, block)
            for member in lines[index:end]:
                bp.drop(member, f"block {kind}: {block.why or block.start}")
            index = end
            continue
        rule = next((r for r in line_rules if line.kept and re.search(r.pattern, line.text, re.IGNORECASE)), None)
        if rule is not None:
            bp.drop(line, f"{kind}: {rule.why or rule.pattern}")
        index += 1


def block_end(lines: list[Line], start: int, block: BlockRule) -> int:
    """Index just past the block that begins at `start`."""
    if block.end is not None:
        for index in range(start + 1, len(lines)):
            if re.search(block.end, lines[index].text, re.IGNORECASE):
                return index + 1
        return len(lines)
    if block.paragraphs is not None:
        seen = 0
        current = None
        for index in range(start + 1, len(lines)):
            if lines[index].text and lines[index].block != current:
                seen += 1
                current = lines[index].block
                if seen > block.paragraphs and not is_title_paragraph(lines, index, block.titles_max_words):
                    return index
        return len(lines)
    return len(lines)


def is_title_paragraph(lines: list[Line], first: int, max_words: int | None) -> bool:
    """True when the paragraph starting at `first` is only link titles: short lines that do not end
    in a full stop ("Where the money went?", "- Radars for Riga (May 2021)"). A related-links list
    often puts a blank line between its items; the article's next paragraph is a sentence."""
    if max_words is None:
        return False
    paragraph = [line.text for line in lines[first:] if line.block == lines[first].block and line.text]
    return all(bp.words(text) <= max_words and not re.search(r"[.!;:][\"'”’)\]]*$", text) for text in paragraph)


def apply_heuristics(lines: list[Line], heuristics: Heuristics, repeated: frozenset[str], web_page: bool) -> bool:
    """The general heuristics, in the order their reasons are most telling in --diff; True for a short text.

    A short text is no web page: no line is a sentence and none is chrome that
    a rule or a chrome heuristic names (a stamp is no chrome). A headline
    alone ("Pentagon approves $1.2 billion sale to Iraq") or a few lines of a
    list are the text's content, so the heuristics that read a line's shape
    alone (repeated lines, menu runs, no sentence on the page) leave them be.
    An HTML page (`web_page`) is never a short text.
    """
    bp.mark_unbroken_runs(lines, heuristics)
    bp.mark_comment_section(lines, heuristics)
    bp.mark_prompts(lines, heuristics)
    bp.mark_link_lists(lines, heuristics)
    bp.mark_breadcrumbs(lines, heuristics)
    chrome = any(line.why and not line.why.startswith("stamp") for line in lines)
    if not web_page and not chrome and bp.is_short_text(lines, heuristics):
        return True
    bp.mark_repeated_lines(lines, repeated)
    bp.mark_menu_runs(lines, heuristics)
    bp.mark_pages_without_sentences(lines, heuristics)
    return False


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
    `line_counts` says in how many of the site's documents each line stands.
    """

    lines: list[Line]
    names: set[str]
    line_counts: Mapping[str, int]

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
        return self.line_counts.get(bp.line_key(line.text), 0) > 1


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


def assemble(lines: list[Line], stamp: Stamp | None) -> tuple[str, list[tuple[int, int]]]:
    """Kept lines joined: "\\n" inside a paragraph, a blank line between paragraphs; a dateline's span moved along."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    offset = 0
    previous_block: int | None = None
    stamp_line = stamp.lines[0] if stamp and stamp.span else None
    for index, line in enumerate(lines):
        if not line.kept:
            continue
        if previous_block is not None:
            separator = "\n" if line.block == previous_block else "\n\n"
            parts.append(separator)
            offset += len(separator)
        if index == stamp_line and stamp and stamp.span:
            spans.append((offset + stamp.span[0], offset + stamp.span[1]))
        parts.append(line.text)
        offset += len(line.text)
        previous_block = line.block
    return "".join(parts), spans


def clean_html(html: str, rules: CleaningRules, *, path: str | None = None) -> Cleaned:
    """The main text of an HTML page (trafilatura), then cleaned like any text; metadata wins."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None or not document.text:
        return Cleaned(text="")
    meta = PageMeta(
        title=document.title or None,
        published=iso_date(document.date),
        source=document.sitename or document.hostname or None,
    )
    return clean_text(paragraphs_of(document.text), rules, path=path, meta=meta, web_page=True)


def iso_date(value: str | None) -> dt.date | None:
    """A YYYY-MM-DD string from the page's metadata as a date."""
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def paragraphs_of(text: str) -> str:
    """trafilatura's one-line-per-paragraph text with blank lines between paragraphs; list items stay together."""
    out: list[str] = []
    for line in text.splitlines():
        if out and not (line.startswith("- ") and out[-1].startswith("- ")):
            out.append("")
        out.append(line)
    return "\n".join(out)


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
