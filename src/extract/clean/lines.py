"""Cleaning as steps over lines: repair, rejoin wrapped lines, apply rules and heuristics, join.

Each line keeps its number and, once dropped, the reason (`why`), so
`extract clean --diff` can show what went and by which rule.
"""
from __future__ import annotations

import re

import ftfy

from ..rules import search
from . import boilerplate as bp
from .boilerplate import Line
from .rules import BlockRule, Heuristics, LineRule, WrappedText
from .stamps import Stamp

SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")


INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")


# Printable ASCII, tabs and line feeds but no "&": a text ftfy leaves as it is (no mojibake, entity, control
# or odd line break to fix; a test holds ftfy to it), so cleaning skips ftfy's pass over its every line.
PLAIN = re.compile(r"[\t\n\x20-\x25\x27-\x7e]*")


def repair(raw: str) -> str:
    """Mojibake and broken entities fixed, curly quotes kept, odd spaces made plain."""
    if PLAIN.fullmatch(raw):
        return raw
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
    flush = sum(1 for line in lines if is_flush(line))  # indented lines are tables or paragraph starts
    continuations = sum(
        1
        for before, line in zip(lines, lines[1:])
        if before.text and is_flush(line) and (line.text[0].islower() or line.text[0].isdigit())
    )
    return continuations >= wrapped.continuation_share * flush


def is_flush(line: Line) -> bool:
    """A filled line that starts at the margin; a test on the line itself (not a lookup in a list of
    lines, which made 200,000 short lines take hours), so is_wrapped stays linear."""
    return bool(line.text) and not line.indented


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


def apply_rules(lines: list[Line], line_rules: list[LineRule], blocks: list[BlockRule], kind: str) -> None:
    """Drop lines by the line rules and block rules; `kind` names the rule set in the reason."""
    index = 0
    while index < len(lines):
        line = lines[index]
        block = next((b for b in blocks if line.kept and search(b.start, line.text)), None)
        if block is not None:
            end = block_end(lines, index, block)
            for member in lines[index:end]:
                bp.drop(member, f"block {kind}: {block.why or block.start}")
            index = end
            continue
        rule = next((r for r in line_rules if line.kept and search(r.pattern, line.text)), None)
        if rule is not None:
            bp.drop(line, f"{kind}: {rule.why or rule.pattern}")
        index += 1


def block_end(lines: list[Line], start: int, block: BlockRule) -> int:
    """Index just past the block that begins at `start`."""
    if block.end is not None:
        for index in range(start + 1, len(lines)):
            if search(block.end, lines[index].text):
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


def apply_heuristics(lines: list[Line], heuristics: Heuristics, site: bp.SiteView, web_page: bool) -> bool:
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
    bp.mark_repeated_lines(lines, site)
    bp.mark_menu_runs(lines, heuristics)
    bp.mark_pages_without_sentences(lines, heuristics)
    return False


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
