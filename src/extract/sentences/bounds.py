"""What a sentence is, for every stage that asks: money, dates and facts read it from here.

A sentence is one of the Doc's sentences (doc.sents: each line, cut at . ! ?
by the sentencizer, with the fixes of extract.components.sentences, such as
no cut after a title: "Maj. Gen. Matt McFarlane"), cut again where a full stop
the tokenizer kept inside a token ends one ("... €48m. The Athena ...": `€48m.`
is one token, so the sentencizer never saw the stop): a full stop after a
lower-case letter, a digit, % or a closing bracket, then space and a capital
or an opening quote, unless an abbreviation stands before it ("Mr. Smith").
The abbreviations are rules (rules/sentences.yml, `abbreviations`).

The `extract_sentences` component (extract.components.sentences) works the
bounds out once per Doc, first among extract's rule components (so on the
model's tokens, before money splits amounts from theirs), and keeps them in
doc._.sentences; looking up the sentence of an offset is a binary search, so
the work per document stays linear in its size. A Doc no sentencizer ran on
(spacy.blank), and a text without a Doc (pure functions, tests), are their
lines, cut again the same way at every such full stop. A pipeline without
`extract_sentences` (one that adds extract_money alone) gets the sentences on
first use, with the packaged rules' abbreviations.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence, Set
from functools import cache

from spacy.attrs import IDX, ORTH
from spacy.strings import get_string_id
from spacy.tokens import Doc

from ..extensions import text_of
from .rules import default_rules

SENTENCE_END = re.compile(r"(?<=[a-z0-9%)\]])\.\s+(?=[A-Z\"\u201c])")
FULL_STOP = get_string_id(".")  # a full stop token's ORTH, as Doc.to_array gives it


class Abbreviations:
    """The words after whose full stop no sentence ends ("Mr. Smith"), matched as the text writes them."""

    def __init__(self, words: Iterable[str]) -> None:
        words = list(dict.fromkeys(words))
        self.pattern = re.compile(rf"\b(?:{'|'.join(map(re.escape, words))})$") if words else None
        self.lookback = max(map(len, words), default=0) + 1  # characters before a full stop that show one and its word's start

    def before(self, text: str, stop: int, start: int) -> bool:
        """Whether an abbreviation ends at character `stop` (a full stop), in a word starting at `start` or later."""
        return self.pattern is not None and self.pattern.search(text[max(start, stop - self.lookback) : stop]) is not None


@cache
def default_abbreviations() -> Abbreviations:
    """The packaged rules' abbreviations, for a Doc no `extract_sentences` ran on and a text without a Doc."""
    return Abbreviations(default_rules().abbreviations)


class Sentences:
    """The sentences of one text, as (start, end) character offsets in order, and lookups by offset."""

    def __init__(self, bounds: Sequence[tuple[int, int]]) -> None:
        self.bounds = list(bounds)
        self.starts = [start for start, _ in self.bounds]

    @classmethod
    def of_text(cls, text: str, abbreviations: Abbreviations) -> Sentences:
        """The sentences of a text without a Doc: its lines, cut again (see the module's docstring)."""
        lines, start = [], 0
        for line in text.split("\n"):
            lines.append((start, start + len(line)))
            start += len(line) + 1
        return cls(cut_again(text, lines, abbreviations))

    @classmethod
    def of_doc(cls, doc: Doc, abbreviations: Abbreviations) -> Sentences:
        """The Doc's sentences (doc.sents) cut again; its lines cut again when no sentencizer ran on it."""
        text = text_of(doc)
        if not doc.has_annotation("SENT_START"):
            return cls.of_text(text, abbreviations)
        bounds = [(sent.start_char, sent.end_char) for sent in doc.sents]
        starts, words = doc.to_array([IDX, ORTH]).T
        seen = set(starts[words == FULL_STOP].tolist())  # full stops of their own: the sentencizer decided there
        return cls(cut_again(text, bounds, abbreviations, seen))

    def index(self, offset: int) -> int:
        """The number of the sentence holding character `offset`."""
        return max(bisect_right(self.starts, offset) - 1, 0)

    def around(self, start: int, end: int) -> tuple[int, int]:
        """(start, end) of the sentences holding characters start..end: one sentence, or those the span runs across."""
        if not self.bounds:
            return start, end
        return self.bounds[self.index(start)][0], self.bounds[self.index(max(start, end - 1))][1]


def sentences_of(doc: Doc) -> Sentences:
    """The Doc's sentences, as `extract_sentences` set them; without it, worked out on first use with the
    packaged rules' abbreviations, and kept (a Doc's text and sentences never change)."""
    found: Sentences | None = doc._.sentences
    if found is None:
        found = doc._.sentences = Sentences.of_doc(doc, default_abbreviations())
    return found


def cut_again(
    text: str, bounds: Sequence[tuple[int, int]], abbreviations: Abbreviations, seen: Set[int] = frozenset(),
) -> list[tuple[int, int]]:
    """The sentences `bounds`, also cut where a full stop before a capital ends one ("... €48m. The Athena ..."),
    but after an abbreviation and at the full stops at `seen` (offsets), where the sentencizer and its fixes
    have decided already."""
    result = []
    for start, end in bounds:
        cursor = start
        for match in SENTENCE_END.finditer(text, start, end):
            if match.start() in seen or abbreviations.before(text, match.start(), cursor):  # looks back a word, not to `cursor`: linear
                continue
            result.append((cursor, match.start() + 1))
            cursor = match.end()
        result.append((cursor, end))
    return result
