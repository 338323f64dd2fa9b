"""Where a slow pattern is worth running: the stretches of text around anchor words.

Money and dates each scan text with large regular expressions that are slow
to fail at a position (they try every currency symbol, every month name). Every
amount or date holds at least one anchor word (a number, a scale word, a month,
a weekday, ...), so the patterns run only in windows around those words, and a
page of prose with few of them costs one quick word scan.

Searching inside a window with `pattern.search(text, start, end)` sees the
whole text behind `start` (lookbehinds and `\\b` work as on the full text), and
each window ends at the end of a word, so a match found in a window is the
match a scan of the whole text finds, as long as `before` and `after` cover how
far a match runs ahead of its first anchor word and past its last one.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator

WORD = re.compile(r"\d++|[^\W\d_]++")  # digits and letters apart: "FY24" is "FY" and "24"
WORD_END = re.compile(r"(?![\w])")


def anchor_windows(text: str, is_anchor: Callable[[str], bool], before: int, after: int) -> list[tuple[int, int]]:
    """(start, end) of the stretches from `before` characters ahead of an anchor word to `after` past it, merged.

    `is_anchor` gets each word of the text (a run of digits or of letters).
    """
    return windows_around([word.span() for word in WORD.finditer(text) if is_anchor(word.group())], text, before, after)


def windows_around(anchors: list[tuple[int, int]], text: str, before: int, after: int) -> list[tuple[int, int]]:
    """The windows around anchor words given by their (start, end), in order; a window never ends inside a word."""
    windows: list[tuple[int, int]] = []
    for word_start, word_end in anchors:
        start = max(0, word_start - before)
        found = WORD_END.search(text, min(len(text), word_end + after))
        assert found is not None  # WORD_END matches at the end of the text at the latest
        end = found.start()
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def matches_in(pattern: re.Pattern[str], text: str, windows: list[tuple[int, int]]) -> Iterator[re.Match[str]]:
    """Every match of `pattern` inside the windows, in order, none overlapping."""
    for start, end in windows:
        yield from pattern.finditer(text, start, end)
