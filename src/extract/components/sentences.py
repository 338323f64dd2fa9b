"""Sentences never run across lines, and a quoted sentence starts at its quote.

Cleaning keeps each paragraph, heading and list item on its own line;
`line_breaks` marks the first token after a line break as a sentence start,
which spaCy's rule-based sentencizer after it (or a parser or senter) then
respects. After the sentencizer, `blank_ends` gives the blank lines after a
full stop to the sentence they follow (the sentencizer makes them a sentence
of their own, which would come between a sentence and the one it refers back
to), `title_stops` joins a sentence cut after a title the tokenizer splits
from its full stop ("Army Maj. Gen. Matt McFarlane"), and `opening_quotes` moves a sentence start back to the opening quote the
sentencizer left at the end of the sentence before.
"""
from __future__ import annotations

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

OPENING_QUOTES = frozenset({'"', "“", "'", "‘"})
# Titles before a name that spaCy's English tokenizer splits from their full stop ("Maj" "."), so the
# sentencizer would end a sentence there; those it keeps whole ("Gen.", "Sen.", "Dr.") never end one.
TITLES = frozenset({"Amb", "Brig", "Capt", "Cmdr", "Col", "Cpl", "Fr", "Gens", "Hon", "Insp", "Lt", "Maj", "Pres",
                    "Pvt", "Sgt", "Supt"})


@Language.component("line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence at each token that follows a newline."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text_with_ws and not token.is_space:
            token.is_sent_start = True
    return doc


@Language.component("blank_ends")
def blank_ends(doc: Doc) -> Doc:
    """Whitespace ends the sentence before it instead of starting one: "... said.\n\nThe House ..." is two sentences, not three."""
    for i in (doc.to_array(SENT_START) == 1).nonzero()[0].tolist():
        if i and doc[i].is_space:
            doc[i].is_sent_start = False
            if i + 1 < len(doc):
                doc[i + 1].is_sent_start = True
    return doc


@Language.component("title_stops")
def title_stops(doc: Doc) -> Doc:
    """No sentence starts after a title's full stop when a capitalized word follows: "Army Maj. Gen. Matt McFarlane"."""
    for i in (doc.to_array(SENT_START) == 1).nonzero()[0].tolist():
        if i >= 2 and doc[i - 1].text == "." and doc[i - 2].text in TITLES and not doc[i - 2].whitespace_ \
                and doc[i - 1].whitespace_ and doc[i].is_title:
            doc[i].is_sent_start = False
    return doc


@Language.component("opening_quotes")
def opening_quotes(doc: Doc) -> Doc:
    """Start a sentence at its opening quote, not after it: `He said. "We will."`.

    The sentencizer keeps every punctuation mark after a full stop in the
    sentence it ends, opening quotes included. A quote just before a sentence
    start, with a space before it and none after it, opens that sentence.
    """
    for i in (doc.to_array(SENT_START) == 1).nonzero()[0].tolist():
        quote = doc[i - 1] if i >= 2 else None
        if quote is not None and quote.text in OPENING_QUOTES and not quote.whitespace_ and doc[i - 2].whitespace_:
            quote.is_sent_start = True
            doc[i].is_sent_start = False
    return doc
