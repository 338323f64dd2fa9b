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
    "date_order_rule": None,  # where date_order was set: `rules/cleaning.yml:<line>` (the dates' `rule` column)
    "title": None,  # the article's headline
    "stamps": (),  # (start, end) character spans of the page's own date stamp left in the text (a dateline)
    # extract.sentences.bounds.Sentences: the text's sentences as character offsets, set by extract_sentences
    # (with rules/sentences.yml's abbreviations); money, dates and facts read them (sentences_of)
    "sentences": None,
    # list of extract.programs.acronyms.Definition: the acronyms the text defines ("Iraqi Security Forces (ISF)"),
    # found by extract_programs (with rules/programs.yml's minor_words); the facts linker reads those of parties
    "definitions": None,
    "facts": None,  # list of extract.facts.linking.Fact, one per money span in table order (the facts table's rows)
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
    # provenance (money, dates, programs): set where the component decides, never worked out afterwards
    "rule": (),  # what made the span: `rules/<file>.yml:<line>` entries and named code steps, in order
    "flags": frozenset(),  # review flags (../shared/TABLES.md): decisions the text did not state outright
}

# Every review flag a component may set, with the table it appears in (../shared/TABLES.md).
FLAGS: dict[str, str] = {
    "currency_inferred": "money",  # the currency came from another amount nearby (or in the paragraph), not its own words
    "scale_inferred": "money",  # the scale (million) came from the range's other end: "$5 to $7 million"
    "scale_doubled": "money",  # "$3.1bn million": two scales; read with the first, written next to the number
    "from_ner": "money, dates",  # only the statistical model proposed the row (or, for money, its currency)
    "year_inferred": "dates",  # a date without its year took one from the text or from published
    "relative": "dates",  # resolved against published ("last year")
    "unresolved": "dates",  # relative (or without its year or day-month order) and nothing to resolve it by
    "day_month_order_inferred": "dates",  # "06-01-2020" read by the document's other dates, not a site or source rule
    "fiscal_calendar_inferred": "dates",  # a non-US fiscal calendar chosen from the text's currency or wording
    "discovered": "programs",  # not in the catalog
    "ambiguous_acronym": "programs",  # an ambiguous catalog acronym, accepted as the text names it in full
    "undefined_acronym": "programs",  # an acronym the text never defines, linked by its spelling
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
