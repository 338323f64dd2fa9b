"""Web pages: trafilatura takes out the main text and the page's metadata.

The text then goes through the same line steps as any text file, so one set of
rules serves both.
"""
from __future__ import annotations

import datetime as dt

from .page import PageMeta


def main_text(html: str) -> tuple[str, PageMeta] | None:
    """The page's main text, one paragraph per line, and its metadata; None when it has no text."""
    import trafilatura  # imported here: it is slow to import and only web pages need it
    from trafilatura.settings import Document

    document = trafilatura.bare_extraction(
        html,
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
