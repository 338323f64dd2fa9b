"""extract_money: find every amount of money and normalize it to an exact number and an ISO code.

Two layers, so the arithmetic is testable without a pipeline:

- `MoneyGrammar` (pure, in extract.money): one regular expression built from rules/money.yml finds
  candidate amounts in plain text ("$1.2bn", "half a billion dollars",
  "between $5 and $7 million", and bare scaled numbers like "3.9 billion");
  `parse_amount(text)` reads one amount. Numbers are Decimals from start to
  end (price-parser reads digit strings), never floats.
- `MoneyFinder` (the spaCy component): keeps the candidates with a currency,
  gives a bare amount the currency the text makes plain (LABELING.md: an amount
  with a currency in the same or previous sentence, or earlier in the same
  paragraph, or the same number named earlier), and uses the statistical NER's MONEY entities only as extra evidence
  for such bare amounts, never as the sole source of a row.

The regular expression cannot backtrack catastrophically: every repeat that
could meet itself again is possessive or atomic, and numbers may only start
where a number starts, so the work grows linearly with the text.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from spacy.attrs import IDX, LENGTH
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..extensions import text_of
from ..money.grammar import (
    Amount,
    MoneyGrammar,
    is_conversion,
    is_percent,
    nearby_amount,
    overlaps,
    rules_of,
    second_scale,
)
from ..money.rules import MoneyRules
from ..sentences.bounds import sentences_of
from .base import RuleComponent


class MoneyFinder(RuleComponent[MoneyRules]):
    """Puts every amount of money in doc.spans["money"], with its values on the span."""

    rules_file = "money.yml"
    rules_model = MoneyRules

    def __init__(self, nlp: Language, name: str, rules_path: str | None) -> None:
        self.nlp = nlp
        super().__init__(name, rules_path)

    def setup(self) -> None:
        self.grammar = MoneyGrammar(self.rules)

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        amounts = [second_scale(a, text, self.grammar) for a in self.grammar.find(text)]
        resolved = resolve_currencies(amounts, doc, text, self.rules, self.grammar, self.tags(doc))
        # after the sentences were worked out (extract_sentences, or else resolve_currencies' sentences_of): a full
        # stop split off an amount here ("€48m." -> "€48m" ".") is not one the sentencizer saw
        split_tokens_at(doc, {a.start for a in resolved} | {a.end for a in resolved})
        spans = [span for span in map(lambda a: make_span(doc, a), resolved) if span is not None]
        doc.spans["money"] = spans
        return doc


    def tags(self, doc: Doc) -> Callable[[Doc, int], str | None]:
        """tag_of(doc, i): the tagger's Penn Treebank tag of token i; None when the pipeline has no tagger.

        The tagger does not run on every Doc (extract.nlp: it is loaded
        disabled). Only the word after a bare scaled amount needs its tag, so
        the tagger runs on the few tokens around it: its tok2vec sees 4
        tokens each side (en_core_web_sm: window 1, depth 4), so TAG_CONTEXT
        tokens each side give the tag it gives in the whole Doc. Whether the
        Doc is tagged already is read once per Doc (has_annotation reads every token).
        """
        if doc.has_annotation("TAG"):
            return lambda doc, i: doc[i].tag_
        components = [self.nlp.get_pipe(name) for name in ("tok2vec", "tagger") if name in self.nlp.component_names]
        if "tagger" not in self.nlp.component_names:
            return lambda doc, i: None

        def tag_of(doc: Doc, i: int) -> str | None:
            start = max(0, i - TAG_CONTEXT)
            piece = doc[start : min(len(doc), i + TAG_CONTEXT + 1)].as_doc()
            for component in components:
                piece = component(piece)
            return piece[i - start].tag_

        return tag_of


TAG_CONTEXT = 8  # tokens each side of a word the tagger is run on for its tag (twice what its tok2vec sees)


def resolve_currencies(
    amounts: list[Amount], doc: Doc, text: str, rules: MoneyRules, grammar: MoneyGrammar,
    tag_of: Callable[[Doc, int], str | None],
) -> list[Amount]:
    """Amounts with a currency, plus bare scaled amounts whose currency the text makes plain.

    One pass in text order, so the work grows with the number of amounts, not its square.
    `tag_of(doc, i)` gives token i's tag, or None where there is no tagger.
    """
    sentence_of = sentences_of(doc).index
    paragraph_of = paragraph_index(text)
    token_starts = doc.to_array(IDX).tolist()
    ner_money = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "MONEY"]
    known = [a for a in amounts if a.currency and not is_percent(text, a.end)]
    kept = list(known)
    earlier: dict[Decimal, Amount] = {}  # value -> the amount named so far with that value
    k = 0  # known[:k] start before the current amount
    for bare in amounts:
        while k < len(known) and known[k].start < bare.start:
            earlier.update({v: known[k] for v in (known[k].amount, known[k].amount_high) if v is not None})
            k += 1
        if bare.currency or not bare.scaled or bare.amount_high is not None:
            continue
        if is_percent(text, bare.end) or is_conversion(text, bare.end, grammar):
            continue
        before = known[k - 1] if k else None
        after = known[k] if k < len(known) else None
        lender = nearby_amount(bare, before, after, sentence_of, rules.implied_sentences_back)
        step, flags = "currency_of_neighbour", {"currency_inferred"}
        if lender is None and bare.amount in earlier:
            lender, step = earlier[bare.amount], "currency_of_same_amount"
        if lender is None and rules.implied_in_paragraph and before and before.scaled and paragraph_of(before.start) == paragraph_of(bare.start):
            lender, step = before, "currency_of_paragraph"  # wire copy names the currency once a paragraph
        if lender is None and overlaps(bare, ner_money) and (before or after):
            lender, step = before or after, "ner"  # the model says MONEY: the text's currency
            flags.add("from_ner")
        if lender is not None and not noun_follows(doc, token_starts, bare.end, tag_of):  # the tagger last: it is slow
            rule = rules_of([*bare.rule, step, *lender.rule])
            kept.append(replace(bare, currency=lender.currency, rule=rule, flags=bare.flags | flags))
    return sorted(kept, key=lambda a: a.start)


# Penn Treebank tags of a word that makes a number a count of things: nouns,
# proper nouns, numbers, adjectives, foreign words. The tagger's own tags, so the
# attribute_ruler (tag -> POS) need not run.
COUNTED_THING_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS", "CD", "JJ", "JJR", "JJS", "FW", "XX", "ADD", "GW"})


def noun_follows(doc: Doc, token_starts: list[int], end: int, tag_of: Callable[[Doc, int], str | None]) -> bool:
    """ "1.4 billion people": the number counts things. Uses the tagger's tag (`tag_of`) where there is one, else stop words."""
    i = bisect_left(token_starts, end)
    while i < len(doc) and doc[i].is_space:
        i += 1
    if i == len(doc) or doc[i].is_punct:
        return False
    tag = tag_of(doc, i)
    if tag is not None:
        return tag in COUNTED_THING_TAGS
    return doc[i].lower_ not in STOP_WORDS


def paragraph_index(text: str) -> Callable[[int], int]:
    """A function from character offset to paragraph number: paragraphs end at a blank line."""
    starts = [0] + [m.end() for m in re.finditer(r"\n[^\S\n]*+\n", text)]
    return lambda offset: bisect_right(starts, offset) - 1


def split_tokens_at(doc: Doc, offsets: set[int]) -> None:
    """Split tokens that an amount starts or ends inside ("€48m." -> "€48m" "."), so spans are exact."""
    starts, lengths = doc.to_array([IDX, LENGTH]).T
    token_starts, token_ends = starts.tolist(), (starts + lengths).tolist()
    cuts: dict[int, list[int]] = {}
    for offset in sorted(offsets):
        i = bisect_right(token_starts, offset) - 1
        if i >= 0 and token_starts[i] < offset < token_ends[i]:
            cuts.setdefault(i, []).append(offset - token_starts[i])
    # A token holding several amounts ("$5m/$6m", or a megabyte without spaces) stays whole:
    # spaCy's split grows with the square of the pieces; those spans expand to token edges.
    cuts = {i: inside for i, inside in cuts.items() if len(inside) <= 2}
    if not cuts:
        return
    with doc.retokenize() as retokenizer:
        for i, inside in cuts.items():
            token = doc[i]
            text = token.text
            bounds = [0, *inside, len(text)]
            pieces = [text[a:b] for a, b in zip(bounds, bounds[1:])]
            last = len(pieces) - 1
            heads = [(token, last)] * last + [(token, last) if token.head.i == token.i else token.head]
            retokenizer.split(token, pieces, heads=heads)


def make_span(doc: Doc, amount: Amount) -> Span | None:
    """A MONEY span over exactly the amount's characters, carrying its values."""
    span = doc.char_span(amount.start, amount.end, label="MONEY", alignment_mode="expand")
    if span is None:
        return None
    span._.amount = amount.amount
    span._.amount_high = amount.amount_high
    span._.currency = amount.currency
    span._.qualifier = amount.qualifier
    span._.rule = amount.rule or ("pattern:amount",)
    span._.flags = amount.flags
    return span


@Language.factory("extract_money", assigns=["doc.spans"], default_config={"rules_path": None})
def make_money_finder(nlp: Language, name: str, rules_path: str | None) -> MoneyFinder:
    """Build the money component from rules/money.yml (or the file `rules_path` names)."""
    return MoneyFinder(nlp, name, rules_path)
