"""Counts in messages read as English: `1 document`, `2 documents`, never `1 document(s)`."""
from __future__ import annotations


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """`number` and the noun in the form it takes: `plural` (default noun + "s") unless the number is 1."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"
