"""Currency signs and ISO codes as regular expressions, and the key a symbol is looked up by.

A code (`USD`) matches only in capitals and whole; a sign (`A$`, `Rs.`) as written.
"""
from __future__ import annotations

import re


def is_code(symbol: str) -> bool:
    """An ISO 4217 code such as "USD" (three capitals), as opposed to a sign such as "US$"."""
    return re.fullmatch(r"[A-Z]{3}", symbol) is not None


def codes_pattern(codes: list[str]) -> str:
    """Currency codes, in capitals only, as whole words.

    One lookbehind and one alternation for all of them: the pattern is tried
    at every word, and one alternative per code made it fail slowly.
    """
    return rf"(?<![^\W\d_])(?-i:{'|'.join(codes)})(?![^\W\d_])"


def symbol_pattern(symbol: str) -> str:
    """A currency sign as texts write it: "U.S.$" also "u.s $" and "US $" (codes: see codes_pattern).

    A one-letter prefix ("A$", "C$") must touch its sign: "A $5 million grant" and "the
    firm's $500 price" are US dollars.
    """
    if re.fullmatch(r"[A-Za-z]\W", symbol):
        return rf"(?<![\w'’]){re.escape(symbol)}"
    parts = []
    for char in symbol:
        if char == ".":
            parts.append(r"\.?")
        elif char == " ":
            continue
        elif not char.isalpha() and parts and not parts[-1].endswith(r"\s?"):
            parts.append(r"\s?" + re.escape(char))
        else:
            parts.append(re.escape(char))
    body = "".join(parts)
    return rf"(?<![^\W\d_]){body}" if symbol[0].isalpha() else body


def symbol_key(symbol: str) -> str:
    """A symbol without spaces and dots, lower case: "u.s $" and "US$" are one key."""
    return re.sub(r"[\s.]", "", symbol).lower()
