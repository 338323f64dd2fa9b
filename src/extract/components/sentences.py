"""Sentences never run across lines, and a quoted sentence starts at its quote.

Cleaning keeps each paragraph, heading and list item on its own line;
`line_breaks` marks the first token after a line break as a sentence start,
which spaCy's rule-based sentencizer after it (or a parser or senter) then
respects. After the sentencizer, `blank_ends` gives the blank lines after a
full stop to the sentence they follow (the sentencizer makes them a sentence
of their own, which would come between a sentence and the one it refers back
to), `title_stops` joins a sentence cut after a title the tokenizer splits
from its full stop ("Army Maj. Gen. Matt McFarlane"), and `opening_quotes` moves a sentence start back to the opening quote the
sentencizer left at the end of the sentence before. The titles are rules
(rules/sentences.yml, `titles`); since sentence starts are cached with the Doc,
`title_stops` gives the Doc cache its titles as part of the key (`fingerprint`).

After the Doc cache, `extract_sentences`, the first of extract's rule
components, sets doc._.sentences: those sentences cut again where a full stop
inside a token ends one, but after an abbreviation (rules/sentences.yml,
`abbreviations`; extract.sentences.bounds), the one notion of a sentence that
money, dates and facts read. As a rule component its work is cached as a step
(extract.cache.StepCache), so an abbreviations edit never runs the model again.
"""
from __future__ import annotations

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from ..sentences.bounds import Abbreviations, Sentences
from ..sentences.rules import SentenceRules
from .base import RuleComponent

OPENING_QUOTES = frozenset({'"', "“", "'", "‘"})


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


class TitleStops(RuleComponent[SentenceRules]):
    """No sentence starts after a title's full stop when a capitalized word follows: "Army Maj. Gen. Matt McFarlane".

    The titles (rules/sentences.yml) are those spaCy's English tokenizer splits
    from their full stop ("Maj" "."), where the sentencizer would end a sentence.
    """

    rules_file = "sentences.yml"
    rules_model = SentenceRules

    def setup(self) -> None:
        self.titles = frozenset(self.rules.titles)

    @property
    def fingerprint(self) -> str:
        """What of the rules decides sentence starts, for the Doc cache's key: the titles, sorted."""
        return "titles=" + ",".join(sorted(self.titles))

    def __call__(self, doc: Doc) -> Doc:
        for i in (doc.to_array(SENT_START) == 1).nonzero()[0].tolist():
            if i >= 2 and doc[i - 1].text == "." and doc[i - 2].text in self.titles and not doc[i - 2].whitespace_ \
                    and doc[i - 1].whitespace_ and doc[i].is_title:
                doc[i].is_sent_start = False
        return doc


@Language.factory("title_stops", default_config={"rules_path": None})
def make_title_stops(nlp: Language, name: str, rules_path: str | None) -> TitleStops:
    """Build title_stops from rules/sentences.yml (or the file `rules_path` names)."""
    return TitleStops(name, rules_path)


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


class SentenceBounds(RuleComponent[SentenceRules]):
    """Sets doc._.sentences: the Doc's sentences, cut again where a full stop the tokenizer kept inside a token
    ends one, but after an abbreviation (rules/sentences.yml; extract.sentences.bounds).

    It runs before extract_money, which splits such full stops from their
    amounts ("€48m." -> "€48m" "."): a stop split off there is not one the
    sentencizer decided on, so the cut is made on the model's tokens.
    """

    rules_file = "sentences.yml"
    rules_model = SentenceRules

    def setup(self) -> None:
        self.abbreviations = Abbreviations(self.rules.abbreviations)

    def __call__(self, doc: Doc) -> Doc:
        doc._.sentences = Sentences.of_doc(doc, self.abbreviations)
        return doc


@Language.factory("extract_sentences", assigns=["doc._.sentences"], default_config={"rules_path": None})
def make_sentence_bounds(nlp: Language, name: str, rules_path: str | None) -> SentenceBounds:
    """Build extract_sentences from rules/sentences.yml (or the file `rules_path` names)."""
    return SentenceBounds(name, rules_path)
