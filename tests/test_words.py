"""The shared text helpers (extract.words): a trie of phrases matches as their flat alternation does."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from extract.words import alternation, trie_alternation

# A small alphabet, so that phrases share prefixes and one phrase is often the start of another.
phrase = st.text(alphabet="abA .", min_size=1, max_size=5)


@settings(max_examples=400, deadline=None)
@given(st.lists(phrase, min_size=1, max_size=12), st.text(alphabet="abA .x", max_size=40))
def test_a_trie_finds_what_the_flat_alternation_finds(phrases, text):
    """Same spans, longest phrase first, and the same fallback to a shorter phrase when what follows must
    not be `a` (the backtracking a longer pattern around the alternation asks for)."""
    for template in ("(?:{})", "(?:{})(?!a)", r"(?<![\w.])(?:{})(?!\w)"):
        flat = re.compile(template.format(alternation(phrases)))
        trie = re.compile(template.format(trie_alternation(phrases)))
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in flat.finditer(text)]


def test_a_trie_tries_the_longest_phrase_first():
    pattern = re.compile(f"(?:{trie_alternation(['New', 'New Zealand', 'New Guinea', 'Papua New Guinea'])})")
    assert pattern.findall("Papua New Guinea and New Zealand, New York") == [
        "Papua New Guinea", "New Zealand", "New"
    ]
