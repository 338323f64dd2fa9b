"""Matching names against the catalog: which entry a name is, and whether an unknown name is a program.

A name the catalog lacks is kept when it ends in a cue word of the rules
(`last_cue`), so users extend discovery by editing rules/programs.yml.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from .names import CONNECTORS, head_words, normal, plural
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


def last_cue(words: list[str], cues: Cues) -> tuple[bool, str] | None:
    """(is a program, kind) from the last cue word among `words`; None when there is none."""
    text = " " + " ".join(w.lower() for w in words) + " "
    best: tuple[int, int, bool, str] | None = None  # (end, length, is a program, kind)
    cued = [(cue, True, kind) for cue, kind in {**cues.program, **cues.named}.items()]
    cued += [(cue, False, "") for cue in cues.not_program]
    for cue, is_program, kind in cued:
        for form in {cue.lower(), plural(cue).lower()}:
            at = text.rfind(f" {form} ")
            if at < 0:
                continue
            found = (at + len(form), len(form), is_program, kind)  # the later end wins, then the longer cue
            if best is None or found[:2] > best[:2]:
                best = found
    return (best[2], best[3]) if best else None


def classify(name: str, rules: ProgramRules) -> str | None:
    """The kind of program `name` is, or None when it is not a program.

    A name listed under not_programs is never one; otherwise the last cue word
    before the first preposition decides ("Office of ..." is an office), and
    when no cue stands there, the last cue word anywhere ("Science for Peace
    and Security Programme").
    """
    if normal(name) in {normal(n) for n in rules.not_programs}:
        return None
    verdict = last_cue(head_words(name), rules.cues) or last_cue(name.split(), rules.cues)
    return verdict[1] if verdict and verdict[0] else None


def same_program(long_form: str, program: Program, overlap: float) -> bool:
    """Whether a text's long form names this catalog program (a spelling variant) or something else."""
    words = set(normal(long_form).replace("-", " ").split()) - CONNECTORS
    if not words:
        return False
    for name in (program.name, *program.aliases):
        theirs = set(normal(name).replace("-", " ").split()) - CONNECTORS
        if len(words & theirs) / len(words) >= overlap:
            return True
    return False
