"""Text helpers every stage shares: a regex alternation of phrases, and the folded form of a phrase.

One definition each, so that a word list in rules/ is matched and compared the
same way by money, dates, programs and cleaning.
"""
from __future__ import annotations

import re
from collections.abc import Iterable


def alternation(phrases: Iterable[str], space: str | None = None) -> str:
    """A regex alternation of literal phrases, longest first, so that `sept` wins over `sep`.

    With `space` (say `\\s++`), each space inside a phrase matches that pattern,
    so `pounds  sterling` across a line break still reads as the rules' name.
    """
    escaped = (re.escape(phrase) for phrase in sorted(set(phrases), key=lambda p: (-len(p), p)))
    return "|".join(e.replace(r"\ ", space) for e in escaped) if space else "|".join(escaped)


def fold(text: str) -> str:
    """Case folded, single spaces: the form in which phrases are looked up and compared."""
    return " ".join(text.casefold().split())
