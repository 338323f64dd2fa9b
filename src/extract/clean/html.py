"""Web pages: trafilatura takes out the main text and the page's metadata.

The text then goes through the same line steps as any text file, so one set of
rules serves both.
"""
from __future__ import annotations

import datetime as dt
import re

from .page import PageMeta

TEMPLATE_OPEN = re.compile(r"<template\b[^>]*>", re.IGNORECASE)
TEMPLATE_CLOSE = re.compile(r"</template\s*>", re.IGNORECASE)
TITLE_OPEN = re.compile(r"<title\b[^>]*>", re.IGNORECASE)
TITLE_CLOSE = re.compile(r"</title\s*>", re.IGNORECASE)
TITLE_END = re.compile(r"[<\n]")  # where an unclosed title's text ends: the next tag or the end of its line


def main_text(html: str) -> tuple[str, PageMeta] | None:
    """The page's main text, one paragraph per line, and its metadata; None when it has no text."""
    import trafilatura  # imported here: it is slow to import and only web pages need it
    from trafilatura.settings import Document

    document = trafilatura.bare_extraction(
        repair_html(html),
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if not isinstance(document, Document) or not document.text:  # None, or a dict only with as_dict=True
        return None
    meta = PageMeta(
        title=document.title or None,
        published=iso_date(document.date),
        source=document.sitename or document.hostname or None,
    )
    return paragraphs_of(document.text), meta


def repair_html(html: str) -> str:
    """Two faults trafilatura does not survive: `<template>` content, which a browser never shows
    (it would give rows for text no reader saw), and a `<title>` never closed, which swallows the
    whole page into the title (leaving "every line was boilerplate"): it is closed at its first line's end."""
    html = without_templates(html)
    title = TITLE_OPEN.search(html)
    if title and not TITLE_CLOSE.search(html, title.end()):
        end = TITLE_END.search(html, title.end())
        cut = end.start() if end else len(html)
        html = f"{html[:cut]}</title>{html[cut:]}"
    return html


def without_templates(html: str) -> str:
    """The page without its `<template>` elements; one pass, so a page of unclosed ones stays linear."""
    parts: list[str] = []
    position = 0
    while (opening := TEMPLATE_OPEN.search(html, position)) is not None:
        closing = TEMPLATE_CLOSE.search(html, opening.end())
        if closing is None:
            break
        parts.append(html[position : opening.start()])
        position = closing.end()
    parts.append(html[position:])
    return "".join(parts)


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
