"""The schema of rules/programs.yml: the catalog, cue words, small words, lower-case forms and not_programs.

Checked once on load: duplicate ids, names that clash and a small word that
could never match are errors with their file and line.
"""
from __future__ import annotations

from functools import cached_property
from typing import Annotated

from pydantic import AfterValidator, field_validator, model_validator

from ..rules import Strict
from .names import JOINERS, normal, plural


def check_small_word(value: str) -> str:
    """A small word is compared with one word of a name in lower case: "of", never "Of" or "of the"."""
    if not value or value != value.lower() or len(value.split()) != 1 or value != value.strip():
        raise ValueError(f"{value!r} is not a small word: write one word, in lower case ('of', not 'Of' or 'of the')")
    return value


SmallWord = Annotated[str, AfterValidator(check_small_word)]
"""One word of a name's small words (prepositions, inner, minor_words), checked when the rules load."""


class Program(Strict):
    """One catalog entry."""

    id: str  # the usual acronym; a short name where there is none
    name: str  # the full name
    aliases: list[str] = []  # other names, spellings and acronyms
    kind: str = ""  # financing, sales, training, fund, mission, initiative, ...
    country: str = ""  # the country or organization that runs it
    ambiguous: bool = False  # the acronym alone also means other things: it counts only beside the full name


class Cues(Strict):
    """Words that classify a name the catalog does not know."""

    program: dict[str, str]  # program word -> the kind a suggestion gets
    named: dict[str, str] = {}  # words that make a program only as a capitalized name's last word (Deal, Plan)
    not_program: list[str]  # words of bodies, agreements, operations, ...

    @cached_property
    def forms(self) -> list[tuple[str, bool, str, str, str | int]]:
        """(lower-case form, is a program, kind, section, key) of every cue and its plural, where
        `section` and `key` say where the cue stands in the file: worked out once, not per name."""
        cued: list[tuple[str, bool, str, str, str | int]] = [
            (cue, True, kind, "program", cue) for cue, kind in self.program.items()]
        cued += [(cue, True, kind, "named", cue) for cue, kind in self.named.items()]
        cued += [(cue, False, "", "not_program", i) for i, cue in enumerate(self.not_program)]
        return [(form, is_program, kind, section, key) for cue, is_program, kind, section, key in cued
                for form in sorted({cue.lower(), plural(cue).lower()})]


class Described(Strict):
    """How an appositive says that the name before it is a program (extract.programs.discover)."""

    cues: list[str] = []  # the appositive's last word: "PM-KISAN, its flagship cash transfer scheme"
    not_program: list[str] = []  # words that make it something else: "Fidelity, the company's largest fund"


class Lowercase(Strict):
    """How names in lower case are read (extract.programs.discover)."""

    cues: list[str]  # program words, lower case
    inner: list[SmallWord]  # may stand inside a lower-case name: "food for work program"; never at its ends
    generic: list[str] = []  # words that make a description, not a name: "the new loan program"
    not_programs: list[str] = []  # lower-case names that are never programs: "credit facility"
    after_names: list[str] = []  # make the capitalized name before them a program's: "the Housing Choice Voucher program"
    descriptions: Described = Described()


class ProgramRules(Strict):
    """rules/programs.yml."""

    cues: Cues
    prepositions: list[SmallWord]  # a name's head comes before the first of these: "Office of Weapons Removal"
    minor_words: list[SmallWord]  # never the first word of an acronym's long form, and no initial of their own
    lowercase: Lowercase | None = None
    same_name_overlap: float = 0.5
    not_programs: list[str] = []
    programs: list[Program]

    @field_validator("programs")
    @classmethod
    def ids_are_unique(cls, programs: list[Program]) -> list[Program]:
        seen: set[str] = set()
        for program in programs:
            if program.id in seen:
                raise ValueError(f"program id '{program.id}' is listed twice")
            seen.add(program.id)
        return programs

    @cached_property
    def head_ends(self) -> frozenset[str]:
        """The prepositions, as a set: a name's head comes before the first of them (names.head_words)."""
        return frozenset(self.prepositions)

    @cached_property
    def connectors(self) -> frozenset[str]:
        """The words that may stand inside a capitalized name: the prepositions, "and", "&", "the", dashes."""
        return self.head_ends | JOINERS

    @cached_property
    def minor(self) -> frozenset[str]:
        """The minor words, as a set (extract.programs.acronyms)."""
        return frozenset(self.minor_words)

    @cached_property
    def excluded(self) -> frozenset[str]:
        """The not_programs names, folded (`normal`): worked out once, not per name."""
        return frozenset(normal(n) for n in self.not_programs)

    @model_validator(mode="after")
    def programs_are_not_excluded(self) -> ProgramRules:
        """A name cannot be both a program and a not-program (say, after accepting a suggestion)."""
        excluded = {normal(n) for n in self.not_programs}
        for program in self.programs:
            for name in (program.id, program.name, *program.aliases):
                if normal(name) in excluded:
                    raise ValueError(f"'{name}' is listed both under programs and under not_programs")
        return self
