"""Matching names against the catalog: which entry a name is, and whether an unknown name is a program.

A name the catalog lacks is kept when it ends in a cue word of the rules
(`last_cue`), so users extend discovery by editing rules/programs.yml.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from .names import head_words, normal
from .rules import Cues, Program, ProgramRules

BLOCKER = "NOT_PROGRAM"  # the match key of not_programs names


DISCOVERED = frozenset({"discovered"})


NEW = "new:"  # the match keys of programs discovered in a text start with this


class Made(NamedTuple):
    """What made a span (the rule column) and the review flags it carries."""

    rule: tuple[str, ...]
    flags: frozenset[str]


@dataclass(frozen=True)
class Found:
    """What one span names: a catalog program or a discovered one."""

    id: str
    name: str
    in_catalog: bool


class Cue(NamedTuple):
    """The cue word that decided a name: whether it makes a program, the kind it gives, and where
    rules/programs.yml lists it (`section` under cues; `key` its word or, under not_program, its index)."""

    is_program: bool
    kind: str
    section: str
    key: str | int


def last_cue(words: list[str], cues: Cues) -> Cue | None:
    """The last cue word among `words`; None when there is none."""
    text = " " + " ".join(w.lower() for w in words) + " "
    best: tuple[int, int, Cue] | None = None  # (end, length, cue)
    for form, is_program, kind, section, key in cues.forms:
        at = text.rfind(f" {form} ")
        if at < 0:
            continue
        found = (at + len(form), len(form), Cue(is_program, kind, section, key))  # later end wins, then longer cue
        if best is None or found[:2] > best[:2]:
            best = found
    return best[2] if best else None


def deciding_cue(name: str, rules: ProgramRules) -> Cue | None:
    """The cue that decides what `name` is: the last one before the first preposition ("Office of
    ..." is an office), else, when none stands there, the last one anywhere ("Science for Peace and
    Security Programme"). A name listed under not_programs has none: that list decides."""
    if normal(name) in rules.excluded:
        return None
    return last_cue(head_words(name, rules.head_ends), rules.cues) or last_cue(name.split(), rules.cues)


def classify(name: str, rules: ProgramRules) -> str | None:
    """The kind of program `name` is, or None when it is not a program (see deciding_cue)."""
    cue = deciding_cue(name, rules)
    return cue.kind if cue and cue.is_program else None


def cue_rule(name: str, rules: ProgramRules) -> str | None:
    """`rules/programs.yml:<line>` of the cue word that made `name` a program, for the rule column."""
    cue = deciding_cue(name, rules)
    return rules.where("cues", cue.section, cue.key) if cue and cue.is_program else None


def rules_of(*parts: str | None) -> tuple[str, ...]:
    """The rule column's parts that are known (a model not read from a file has no lines)."""
    return tuple(part for part in parts if part)


def same_program(long_form: str, program: Program, rules: ProgramRules) -> bool:
    """Whether a text's long form names this catalog program (a spelling variant) or something else:
    at least `same_name_overlap` of its words, small words aside, are in one of the program's names."""
    words = set(normal(long_form).replace("-", " ").split()) - rules.connectors
    if not words:
        return False
    for name in (program.name, *program.aliases):
        theirs = set(normal(name).replace("-", " ").split()) - rules.connectors
        if len(words & theirs) / len(words) >= rules.same_name_overlap:
            return True
    return False
