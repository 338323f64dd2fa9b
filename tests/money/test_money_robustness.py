"""Money on hostile input: random and adversarial strings never raise, and the rows they give are well-formed.

The money grammar is built so it cannot backtrack catastrophically (possessive and
atomic repeats; numbers start only where a number starts; the full pattern runs only
near numbers, scale words and currency names). That its time grows linearly on the
inputs that would expose a quadratic path is measured by the benchmark
(`make bench-hostile`), not asserted here. Docs are built by splitting on spaces,
because spaCy's own tokenizer is not what is under test here.
"""
from __future__ import annotations

from decimal import Decimal

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

import extract.components  # noqa: F401  (registers extract_money)
from extract.money.grammar import grammar_for, parse_amount
from extract.rules import default_rules_dir

GRAMMAR = grammar_for(default_rules_dir() / "money.yml")
PIECES = ["$", "US$", "€", "£", "¥", "₹", "Rs", "ரூ", "A$", " ", "-", "–", ",", ".", "%", "(", ")", "\n",
          "1", "0", "12", "1,500", "3.9", "million", "bn", "m", "k", "dlrs", "dollars", "euros", "a", "half",
          "quarter", "of", "one", "and", "to", "between", "more than", "up to", "about", "Фунт", "دينار", "円"]


@pytest.fixture(scope="module")
def money():
    nlp = spacy.blank("en")
    return nlp.add_pipe("extract_money")


VOCAB = spacy.blank("en").vocab


def doc_of(text: str) -> Doc:
    """A Doc split on single spaces (runs of spaces become space tokens)."""
    words = [w or " " for w in text.split(" ")]
    return Doc(VOCAB, words=words, spaces=[True] * (len(words) - 1) + [False])


hostile = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(PIECES), max_size=120).map("".join),
    st.lists(st.sampled_from(PIECES), max_size=60).map(" ".join),
)


@settings(max_examples=300, deadline=None)
@given(hostile)
def test_the_grammar_never_raises_and_reads_only_exact_decimals(text):
    for found in GRAMMAR.find(text):
        assert 0 <= found.start < found.end <= len(text)
        assert type(found.amount) is Decimal
        assert found.amount_high is None or found.amount < found.amount_high
    parsed = parse_amount(text)  # the one amount that makes up the whole (stripped) text, or None
    assert parsed is None or ((parsed.start, parsed.end) == (0, len(text.strip())) and type(parsed.amount) is Decimal)


@settings(max_examples=150, deadline=None)
@given(hostile)
def test_the_component_never_raises_and_spans_match_their_values(money, text):
    doc = money(doc_of(text))
    for span in doc.spans["money"]:
        assert type(span._.amount) is Decimal and span._.currency is not None


@settings(max_examples=200, deadline=None)
@given(
    st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from([("", 1), (" thousand", 10**3), (" million", 10**6), ("bn", 10**9), (" trillion", 10**12)]),
    st.sampled_from([("$", "USD"), ("€", "EUR"), ("£", "GBP"), ("Rs ", "INR"), ("USD ", "USD")]),
)
def test_written_amounts_read_back_exactly(number, scale, symbol):
    text = f"{symbol[0]}{number:,}{scale[0]}"
    parsed = parse_amount(text)
    assert parsed is not None, text
    assert (parsed.amount, parsed.currency) == (number * scale[1], symbol[1])
