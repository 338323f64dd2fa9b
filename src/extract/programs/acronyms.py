"""Find acronym definitions in plain text: "Long Name (ACR)" and "ACR (Long Name)".

This is the Schwartz-Hearst algorithm (A. Schwartz and M. Hearst, "A simple
algorithm for identifying abbreviation definitions in biomedical text", PSB
2003), written here from the paper as a few pure functions over a string, so
that it returns character offsets a spaCy component can turn into spans.
scispaCy ships the same algorithm but pulls in a large stack, and the PyPI
package `abbreviations` is unmaintained and returns no offsets.

The algorithm in short: a parenthesis (or square bracket) holding one or two
words is a short form candidate, and the words before it are where its long
form must be; a parenthesis holding more words is a long form candidate for
the word just before it. The long form is the shortest tail of the words
before the parenthesis in which every letter and digit of the short form
appears in order, right to left, the first one at the start of a word.

Minor words ("of", "the", ...: `minor_words` in rules/programs.yml, passed in
as `minor`) never start a long form and give no initial of their own.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

OPENING = {"(": ")", "[": "]"}


BRACKET_OR_LINE_END = re.compile(r"[()\[\]\n]")  # what bracket_pairs looks at


CLAUSE_BREAK = re.compile(r"[.;:!?]\s|[\n()\[\]]")  # a long form never reaches back across these


@dataclass(frozen=True)
class Definition:
    """One acronym definition, with character offsets into the text it was found in."""

    short: str
    long: str
    short_start: int
    long_start: int
    start: int  # the whole definition, from the first word to the closing bracket
    end: int

    @property
    def short_end(self) -> int:
        return self.short_start + len(self.short)

    @property
    def long_end(self) -> int:
        return self.long_start + len(self.long)


def find_definitions(text: str, minor: frozenset[str]) -> list[Definition]:
    """Every acronym definition in `text`, in order of the opening bracket; `minor` are the minor words.

    The clause breaks are found once for the whole text, so each bracket looks
    back only as far as its own clause: the work grows with the text, not its square.
    """
    found = []
    breaks = [m.end() for m in CLAUSE_BREAK.finditer(text)]
    for opening, closing in bracket_pairs(text):
        definition = long_first(text, opening, closing, breaks, minor) or short_first(text, opening, closing, minor)
        if definition:
            found.append(definition)
    return found


def bracket_pairs(text: str) -> list[tuple[int, int]]:
    """(index of the opening bracket, index of its matching closing bracket), nested pairs included."""
    pairs, stack = [], []
    for found in BRACKET_OR_LINE_END.finditer(text):  # only these characters matter: no loop over every character
        index, char = found.start(), found.group()
        if char in OPENING:
            stack.append((char, index))
        elif stack and char == OPENING[stack[-1][0]]:
            pairs.append((stack.pop()[1], index))
        elif char == "\n":
            stack.clear()  # a bracket left open at the end of a line is never closed
    return sorted(pairs)


def inside(text: str, opening: int, closing: int) -> tuple[str, int]:
    """The bracket's content without nested brackets and without anything after a comma or semicolon."""
    content = text[opening + 1 : closing]
    for nested in sorted(bracket_pairs(content), reverse=True):
        content = content[: nested[0]] + " " * (nested[1] - nested[0] + 1) + content[nested[1] + 1 :]
    content = re.split(r"[,;]", content, maxsplit=1)[0]
    stripped = content.strip()
    return stripped, opening + 1 + content.index(stripped) if stripped else opening + 1


def long_first(text: str, opening: int, closing: int, breaks: list[int], minor: frozenset[str]) -> Definition | None:
    """`Long Name (ACR)`: the bracket holds the short form, the words before it the long form.

    `breaks` holds the end of every clause break in the text, in order.
    """
    short, short_start = inside(text, opening, closing)
    if len(short.split()) > 2 or not is_short_form(short):
        return None
    window_start = window(text, opening, breaks, max_words=min(len(short) + 5, len(short) * 2))
    before = text[window_start:opening].rstrip()
    before = before.rstrip("\u2019'\"")  # "Iraqi Security Forces’ (ISF)"
    start = match_long_form(short, before, minor)
    if start is None:
        return None
    start = min(start, initials_start(short, before, start, minor))
    long = before[start:]
    if not is_long_form(long, short):
        return None
    return Definition(short, long, short_start, window_start + start, window_start + start, closing + 1)


def short_first(text: str, opening: int, closing: int, minor: frozenset[str]) -> Definition | None:
    """`ACR (Long Name)`: the word before the bracket is the short form, the bracket holds the long form."""
    long, long_start = inside(text, opening, closing)
    if len(long.split()) < 2:
        return None
    head_start, head_end = word_before(text, opening)
    short = text[head_start:head_end]
    if not is_short_form(short):
        return None
    start = match_long_form(short, long, minor)
    if start != 0 or not is_long_form(long, short):  # the whole bracket must be the long form
        return None
    return Definition(short, long, head_start, long_start, head_start, closing + 1)


def word_before(text: str, position: int, longest: int = 11) -> tuple[int, int]:
    """(start, end) of the word before `position`, whitespace between skipped.

    Read backwards from `position`, never from the start of the text; a word
    longer than `longest` (no short form can be) is cut to its last `longest`
    characters, which keeps a text without spaces from being read again for
    each bracket.
    """
    end = position
    while end > 0 and text[end - 1].isspace():
        end -= 1
    start = end
    while start > 0 and not text[start - 1].isspace() and end - start < longest:
        start -= 1
    return start, end


def window(text: str, opening: int, breaks: list[int], max_words: int) -> int:
    """Where the long form candidate starts: at most `max_words` words back, within the clause.

    `breaks` are the ends of the text's clause breaks; the last one at or before
    the bracket starts the clause.
    """
    last = bisect_right(breaks, opening) - 1
    start = breaks[last] if last >= 0 else 0
    words = list(re.finditer(r"\S+", text[start:opening]))
    return start + words[-max_words].start() if len(words) > max_words else start + (words[0].start() if words else 0)


def is_short_form(candidate: str) -> bool:
    """An acronym: 2-10 characters, a letter among them, starting with a letter or digit,
    and at least two capitals or digits (`FMS`, `NTM-I`, `PM/WRA`, `PfP`, `EUTM Mali`)."""
    return (
        2 <= len(candidate) <= 10
        and candidate[0].isalnum()
        and any(c.isalpha() for c in candidate)
        and sum(c.isupper() or c.isdigit() for c in candidate) >= 2
    )


def is_long_form(long: str, short: str) -> bool:
    """The paper's last checks: longer than the short form, and not merely containing it."""
    return len(long) > len(short) and short.lower() not in long.lower().split()


def initials_start(short: str, words: str, default: int, minor: frozenset[str]) -> int:
    """Where the long form starts when the short form is exactly the initials of the last words.

    The paper's shortest match can stop too early when a letter repeats inside
    a word ("Aviation Security Assistance (ASA)" would give "Assistance"); an
    exact initials match, minor words skipped, is the better reading then.
    """
    letters = [c.lower() for c in short if c.isalnum()]
    parts = [m for m in re.finditer(r"[^\s\-–/]+", words) if m.group().lower() not in minor]
    if len(parts) < len(letters):
        return default
    tail = parts[len(parts) - len(letters) :]
    if [m.group()[0].lower() for m in tail] != letters:
        return default
    return words.rfind(" ", 0, tail[0].start()) + 1


def match_long_form(short: str, long: str, minor: frozenset[str]) -> int | None:
    """Where in `long` the shortest long form for `short` starts, or None.

    Walk both strings right to left; every letter or digit of the short form
    must be found in order, and its first character at the start of a word.
    """
    s, position = len(short) - 1, len(long) - 1
    while s >= 0:
        char = short[s].lower()
        if not char.isalnum():
            s -= 1
            continue
        while position >= 0 and (
            long[position].lower() != char or (s == 0 and position > 0 and long[position - 1].isalnum())
        ):
            position -= 1
        if position < 0:
            return None
        position -= 1
        s -= 1
    start = long.rfind(" ", 0, position + 1) + 1
    if long[start:].split()[0] in minor and start > 0:
        earlier = match_long_form(short[0], long[:start].rstrip(), minor)
        return start if earlier is None else earlier  # "Office of Security Cooperation (OSC)", not "of ..."
    return start


def spells(short: str, long: str, minor: frozenset[str]) -> bool:
    """Whether `short` abbreviates the whole of `long` when no bracket says so ("PBF", "Peacebuilding Fund").

    Stricter than a bracketed definition, since nothing ties the two together
    but the letters: the short form starts with the first word's initial, ends
    with the last word's, holds every word's initial in order (small words
    aside) and at most one letter more, and the long-form match reaches the
    name's first word. So "PBF" is "Peacebuilding Fund", while "HIV" is not
    "Health Initiative" and "PF" not "Pacific Patrol Fund".
    """
    letters = [c.lower() for c in short if c.isalnum()]
    initials = [w[0].lower() for w in re.split(r"[\s\-–/]+", long) if w and w.lower() not in minor]
    if not initials or letters[:1] != initials[:1] or letters[-1:] != initials[-1:]:
        return False
    if len(letters) - len(initials) > 1 or match_long_form(short, long, minor) != 0:
        return False
    remaining = iter(letters)
    return all(any(letter == initial for letter in remaining) for initial in initials)


def names_by_initials(names: set[str], minor: frozenset[str]) -> dict[tuple[str, str], list[str]]:
    """(first initial, last initial) -> the names, sorted: the only names a word can spell
    (`spells` wants the word's first and last letters to be those initials)."""
    by_ends: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name in sorted(names):
        initials = [w[0].lower() for w in re.split(r"[\s\-–/]+", name) if w and w.lower() not in minor]
        if initials:
            by_ends[(initials[0], initials[-1])].append(name)
    return by_ends
