"""Sentences never run across lines: a heading, a list item and a paragraph are separate.

Cleaning keeps each paragraph, heading and list item on its own line; this
component marks the first token after a line break as a sentence start, which
the parser (or senter) then respects.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence at each token that follows a newline."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text_with_ws and not token.is_space:
            token.is_sent_start = True
    return doc
