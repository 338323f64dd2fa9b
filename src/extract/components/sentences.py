"""Sentences never run across lines, and a quoted sentence starts at its quote.

Cleaning keeps each paragraph, heading and list item on its own line;
`line_breaks` marks the first token after a line break as a sentence start,
which spaCy's rule-based sentencizer after it (or a parser or senter) then
respects. `opening_quotes` runs after the sentencizer and moves a sentence
start back to the opening quote the sentencizer left at the end of the
sentence before.
"""
from __future__ import annotations

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

OPENING_QUOTES = frozenset({'"', "“", "'", "‘"})


@Language.component("line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence at each token that follows a newline."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text_with_ws and not token.is_space:
            token.is_sent_start = True
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
