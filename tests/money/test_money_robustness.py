"""Money on hostile input: random and adversarial strings never raise, and work grows linearly.

The money grammar is built so it cannot backtrack catastrophically (possessive and
atomic repeats; numbers start only where a number starts; the full pattern runs only
near numbers, scale words and currency names). These tests feed it the inputs that
would expose a quadratic path: each family at n and 10n characters must take at most
30 times longer (linear is ~10; quadratic would be ~100). Docs are built by splitting
on spaces, because spaCy's own tokenizer is not what is under test here.
"""
from __future__ import annotations

import random
import time
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
    parse_amount(text)


@settings(max_examples=150, deadline=None)
@given(hostile)
def test_the_component_never_raises_and_spans_match_their_values(money, text):
    doc = money(doc_of(text))
    for span in doc.spans["money"]:
        assert type(span._.amount) is Decimal and span._.currency is not None


FAMILIES = {
    "digit-run": lambda n: "1" * n,
    "currency-signs": lambda n: "$" * n,
    "mixed-signs": lambda n: "€ரூ$₹£¥" * (n // 6),
    "grouped-digits": lambda n: "1," * (n // 2),
    "decimal-points": lambda n: "1." * (n // 2),
    "dash-ranges": lambda n: "$1-" * (n // 3),
    "range-chain": lambda n: "$1-2-3-4-5-6-7-8-9-" * (n // 19),
    "between-open": lambda n: "between $1 and " * (n // 15),
    "qualifiers-only": lambda n: "more than " * (n // 10),
    "number-words": lambda n: "one " * (n // 4),
    "articles": lambda n: "a " * (n // 2),
    "bare-millions": lambda n: "a million " * (n // 10),
    "amounts-and-bare": lambda n: "$1 million 2 billion " * (n // 20),
    "spaces-then-word": lambda n: "one" + " " * n + "x",
    "hyphens": lambda n: "one" + "-" * n + "x",
    "no-spaces": lambda n: "".join(random.Random(n).choice("abc$€1.,-mkb") for _ in range(n)),
}


def seconds(run, text) -> float:
    start = time.perf_counter()
    run(text)
    return time.perf_counter() - start


@pytest.mark.parametrize("family", FAMILIES, ids=str)
def test_work_grows_linearly(money, family):
    make = FAMILIES[family]
    small, large = make(5_000), make(50_000)
    for run in (GRAMMAR.find, lambda text: money(doc_of(text))):
        # The floor keeps timer noise on tiny inputs from failing a linear path.
        assert seconds(run, large) < 30 * max(seconds(run, small), 0.01)


def test_a_megabyte_without_spaces_in_mixed_scripts(money):
    rng = random.Random(7)
    text = "".join(rng.choice("abcxyzΩжش中€$£") for _ in range(1_000_000))
    start = time.perf_counter()
    assert GRAMMAR.find(text) == []  # signs without numbers are no amounts
    assert list(money(doc_of(text)).spans["money"]) == []
    assert time.perf_counter() - start < 30


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
