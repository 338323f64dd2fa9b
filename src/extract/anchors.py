"""Where a slow pattern is worth running: the stretches of text around anchor words.

Money and dates each scan text with large regular expressions that are slow
to fail at a position (they try every currency symbol, every month name). Every
amount or date holds at least one anchor word (a number, a scale word, a month,
a weekday, ...), so the patterns run only in windows around those words, and a
page of prose with few of them costs one quick word scan.

Searching inside a window with `pattern.search(text, start, end)` sees the
whole text behind `start` (lookbehinds and `\\b` work as on the full text), and
each window ends at the end of a word, so a match found in a window is the
match a scan of the whole text finds, as long as `reach` covers how far a match
runs beyond its anchor words.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator

WORD = re.compile(r"\d++|[^\W\d_]++")  # digits and letters apart: "FY24" is "FY" and "24"
WORD_END = re.compile(r"(?![\w])")


def anchor_windows(text: str, is_anchor: Callable[[str], bool], reach: int) -> list[tuple[int, int]]:
    """(start, end) of the stretches within `reach` characters of an anchor word, merged, in order.

    `is_anchor` gets each word of the text (a run of digits or of letters).
    A window ends at the end of a word, never inside one.
    """
    windows: list[tuple[int, int]] = []
    for word in WORD.finditer(text):
        if not is_anchor(word.group()):
            continue
        start = max(0, word.start() - reach)
        end = min(len(text), word.end() + reach)
        after = WORD_END.search(text, end, min(len(text), end + reach))
        end = after.start() if after else min(len(text), end + reach)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def matches_in(pattern: re.Pattern[str], text: str, windows: list[tuple[int, int]]) -> Iterator[re.Match[str]]:
    """Every match of `pattern` inside the windows, in order, none overlapping."""
    for start, end in windows:
        yield from pattern.finditer(text, start, end)
