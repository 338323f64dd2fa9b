"""Every custom attribute `extract` sets on spaCy objects, registered in one place.

Values live on the spans themselves so that tables are built from Docs alone,
and a user calling the pipeline from Python gets the same normalized values
the tables show.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

DOC_ATTRIBUTES: dict[str, object] = {
    "doc_id": None,  # the raw file's path relative to RAW, without extension
    "published": None,  # datetime.date the text was published; anchors relative dates
    "source": None,  # the site or publisher, used by per-source rules
    # "DMY", "MDY" or "YMD": how the document's site writes numeric dates (rules/cleaning.yml, sites);
    # None when no site sets it. The dates stage reads "06-01-2020" by it before any other rule.
    "date_order": None,
    "title": None,  # the article's headline
    "stamps": (),  # (start, end) character spans of the page's own date stamp left in the text (a dateline)
}

SPAN_ATTRIBUTES: dict[str, object] = {
    # money
    "amount": None,  # decimal.Decimal, in units of the currency
    "amount_high": None,  # decimal.Decimal, the high end of a range
    "currency": None,  # ISO 4217 code
    "qualifier": None,  # more_than, less_than, approx, up_to, at_least, range
    # dates
    "date_start": None,  # datetime.date, first day covered
    "date_end": None,  # datetime.date, last day covered
    "granularity": None,  # day, week, month, quarter, half, season, year, ...
    "relation": None,  # since, until, before, after
    # programs
    "program_id": None,  # usual acronym, e.g. FMF
    "program_name": None,  # full name, e.g. Foreign Military Financing
    "in_catalog": None,  # True when rules/programs.yml lists the program
}


TEXT_KEY = "extract.text"  # where text_of keeps a Doc's text, in doc.user_data


def text_of(doc: Doc) -> str:
    """doc.text, joined once per Doc and then kept.

    spaCy builds doc.text by joining every token on each access, and each rule
    component and the tables need it; a Doc's text never changes (splitting a
    token keeps its characters), so keeping it is safe.
    """
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def register_extensions() -> None:
    """Register the attributes once; calling it again is harmless."""
    for name, default in DOC_ATTRIBUTES.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, default in SPAN_ATTRIBUTES.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)


register_extensions()
