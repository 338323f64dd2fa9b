"""How a program's name is written and varied: acronyms, numbered names, plurals, normal forms.

Shared by the catalog, the rules' validation and discovery, so that one name
is always compared in one form.
"""
from __future__ import annotations

import re
from collections import defaultdict

from ..words import fold

JOINERS = frozenset({"and", "&", "the", "-", "–"})  # with the rules' prepositions, may stand inside a capitalized name


def is_acronym(name: str) -> bool:
    """Matched case-sensitively: one or two words, the first with two or more capitals or digits (FMF, PfP, G7, EUTM Mali)."""
    words = name.split()
    return 1 <= len(words) <= 2 and sum(c.isupper() or c.isdigit() for c in words[0]) >= 2


def is_numbered(name: str) -> bool:
    """A capitalized word and a number ("Section 333", "Title 10"): only with its capital is it a
    program's name; "section 333 of the Companies Act" is a law's section."""
    words = name.split()
    return len(words) == 2 and words[0].isalpha() and words[0].istitle() and words[1][:1].isdigit()


def matches_as_written(name: str) -> bool:
    """Whether a catalog name is matched case-sensitively (acronyms, numbered names) or in any case."""
    return is_acronym(name) or is_numbered(name)


def plural(word: str) -> str:
    """The English plural of a name's last word: Fund -> Funds, Facility -> Facilities."""
    if re.search(r"[^aeiou]y$", word, re.I):
        return word[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", word, re.I):
        return word + "es"
    return word + "s"


def variants(name: str) -> list[str]:
    """A name and its plural; possessives need nothing, the tokenizer splits off 's."""
    if is_acronym(name):
        return [name] if " " in name else [name, name + "s"]
    head, _, last = name.rpartition(" ")
    if last.lower().endswith("s") or not last[:1].isupper():
        return [name]
    return [name, f"{head} {plural(last)}".strip()]


def normal(name: str) -> str:
    """A name folded for comparison: lower case, one kind of dash, single spaces."""
    return fold(re.sub(r"\s*[-–—]\s*", "-", name).replace("’", "'"))


def head_words(name: str, prepositions: frozenset[str]) -> list[str]:
    """The words before the first of `prepositions` (rules/programs.yml): where a name's head noun stands."""
    words = name.replace("-", " ").replace("–", " ").split()
    for index, word in enumerate(words):
        if word.lower() in prepositions and index > 0:
            return words[:index]
    return words


def shortest_tails(names: set[str]) -> dict[str, str]:
    """name -> the shortest of `names` that it ends with, word for word (itself when none).

    Each name looks up its own word-boundary tails in a table of the names,
    so the work grows with the number of names, not its square.
    """
    by_normal: dict[str, list[str]] = defaultdict(list)
    for other in names:
        by_normal[normal(other)].append(other)
    return {name: min((other for tail in tails_of(normal(name)) for other in by_normal.get(tail, ())),
                      key=lambda other: (len(other), other))
            for name in names}


def tails_of(folded: str) -> list[str]:
    """A folded name and each of its tails that starts after a space or a dash ("nato-iraq ipcp": also "iraq ipcp", "ipcp")."""
    return [folded] + [folded[m.end():] for m in re.finditer(r"[\s\-–]", folded)]
