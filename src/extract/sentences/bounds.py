"""What a sentence is, for every stage that asks: money, dates and facts read it from here.

A sentence is one of the Doc's sentences (doc.sents: each line, cut at . ! ?
by the sentencizer, with the fixes of extract.components.sentences, such as
no cut after a title: "Maj. Gen. Matt McFarlane"), cut again where a full stop
the tokenizer kept inside a token ends one ("... €48m. The Athena ...": `€48m.`
is one token, so the sentencizer never saw the stop): a full stop after a
lower-case letter, a digit, % or a closing bracket, then space and a capital
or an opening quote, unless an abbreviation stands before it ("Mr. Smith").
A Doc no sentencizer ran on (spacy.blank), and a text without a Doc (pure
functions, tests), are their lines, cut again the same way at every such
full stop.

The bounds are worked out once per Doc, on first use (money's, before it
splits amounts from their tokens), and kept in doc.user_data (as
extract.extensions.text_of keeps the text); looking up the sentence of an
offset is a binary search, so the work per document stays linear in its size.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence, Set

from spacy.attrs import IDX, ORTH
from spacy.strings import get_string_id
from spacy.tokens import Doc

from ..extensions import text_of

SENTENCE_END = re.compile(r"(?<=[a-z0-9%)\]])\.\s+(?=[A-Z\"\u201c])")


ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Col", "Lt", "Sen", "Rep", "Gov", "Jan", "Feb", "Mar", "Apr", "Jun",
                 "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "No", "vs", "etc", "Inc", "Corp", "Co", "Ltd", "approx")
ABBREVIATION = re.compile(rf"\b(?:{'|'.join(ABBREVIATIONS)})$")  # a full stop after one ends no sentence
LOOKBACK = max(map(len, ABBREVIATIONS)) + 1  # characters before a full stop that show an abbreviation and its word's start


SENTENCES_KEY = "extract.sentences"  # where sentences_of keeps a Doc's sentences, in doc.user_data
FULL_STOP = get_string_id(".")  # a full stop token's ORTH, as Doc.to_array gives it


class Sentences:
    """The sentences of one text, as (start, end) character offsets in order, and lookups by offset."""

    def __init__(self, bounds: Sequence[tuple[int, int]]) -> None:
        self.bounds = list(bounds)
        self.starts = [start for start, _ in self.bounds]

    @classmethod
    def of_text(cls, text: str) -> Sentences:
        """The sentences of a text without a Doc: its lines, cut again (see the module's docstring)."""
        lines, start = [], 0
        for line in text.split("\n"):
            lines.append((start, start + len(line)))
            start += len(line) + 1
        return cls(cut_again(text, lines))

    def index(self, offset: int) -> int:
        """The number of the sentence holding character `offset`."""
        return max(bisect_right(self.starts, offset) - 1, 0)

    def around(self, start: int, end: int) -> tuple[int, int]:
        """(start, end) of the sentences holding characters start..end: one sentence, or those the span runs across."""
        if not self.bounds:
            return start, end
        return self.bounds[self.index(start)][0], self.bounds[self.index(max(start, end - 1))][1]


def sentences_of(doc: Doc) -> Sentences:
    """The Doc's sentences, worked out on first use and then kept (a Doc's text and sentences never change)."""
    found = doc.user_data.get(SENTENCES_KEY)
    if found is None:
        text = text_of(doc)
        if doc.has_annotation("SENT_START"):
            bounds = [(sent.start_char, sent.end_char) for sent in doc.sents]
            starts, words = doc.to_array([IDX, ORTH]).T
            seen = set(starts[words == FULL_STOP].tolist())  # full stops of their own: the sentencizer decided there
            found = Sentences(cut_again(text, bounds, seen))
        else:
            found = Sentences.of_text(text)
        doc.user_data[SENTENCES_KEY] = found
    return found


def cut_again(text: str, bounds: Sequence[tuple[int, int]], seen: Set[int] = frozenset()) -> list[tuple[int, int]]:
    """The sentences `bounds`, also cut where a full stop before a capital ends one ("... €48m. The Athena ..."),
    but for the full stops at `seen` (offsets), where the sentencizer and its fixes have decided already."""
    result = []
    for start, end in bounds:
        cursor = start
        for match in SENTENCE_END.finditer(text, start, end):
            if match.start() in seen or ABBREVIATION.search(text[max(cursor, match.start() - LOOKBACK) : match.start()]):  # not back to `cursor`: linear
                continue
            result.append((cursor, match.start() + 1))
            cursor = match.end()
        result.append((cursor, end))
    return result
