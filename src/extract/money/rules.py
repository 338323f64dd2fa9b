"""The schema of rules/money.yml: currencies, scale words, number words, verbs and cues.

Checked once on load, phrases normalized, so the grammar can trust them.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import ValidationInfo, field_validator

from ..rules import Count, Size, Strict
from ..words import fold

CueQualifier = Literal["more_than", "less_than", "approx", "up_to", "at_least"]
"""The qualifiers that words before an amount set (TABLES.md; `range` comes from the joiners): a misspelt one
under `qualifiers` is an unknown key, not a column value nobody reads."""


class Currency(Strict):
    """One currency: its ISO code and the ways texts write it."""

    code: str
    symbols: list[str] = []  # before the number: $, US$, Rs; non-letters may follow it: 10 €
    names: list[str] = []  # after the number: dollars, dlrs, euros
    minor_names: list[str] = []  # the hundredth part, after the number: cents, pence


class MoneyRules(Strict):
    """rules/money.yml (its comments say what each key means)."""

    currencies: list[Currency]
    scales: dict[str, int]
    qualifiers: dict[CueQualifier, list[str]]
    attached_scales: dict[str, int] = {}
    number_words: dict[str, int] = {}
    fraction_words: dict[str, Decimal] = {}
    range_joiners: list[str] = []
    between_words: list[str] = []
    between_joiners: list[str] = []
    change_cues: list[str] = []
    ambiguous_names: list[str] = []
    implied_sentences_back: Count = 1
    implied_in_paragraph: bool = False
    max_integer_digits: Size = 16
    particle_verbs: dict[str, list[str]] = {}
    passive_words: list[str] = []
    passive_participles: list[str] = []

    @field_validator("particle_verbs")
    @classmethod
    def particles_are_cues(cls, particle_verbs: dict[str, list[str]], info: ValidationInfo) -> dict[str, list[str]]:
        """A verb list is keyed by the qualifier cue it takes over; a misspelt cue would silently do nothing."""
        cues = {fold(cue) for cues in info.data.get("qualifiers", {}).values() for cue in cues}
        for cue in particle_verbs:
            if fold(cue) not in cues:
                raise ValueError(f"'{cue}' is not a qualifier cue (one of the words under qualifiers)")
        return particle_verbs

    @field_validator("passive_participles")
    @classmethod
    def participles_are_particle_verbs(cls, participles: list[str], info: ValidationInfo) -> list[str]:
        """A participle is one of the particle verbs' forms; another word would never be looked at."""
        forms = {fold(verb) for verbs in info.data.get("particle_verbs", {}).values() for verb in verbs}
        for participle in participles:
            if fold(participle) not in forms:
                raise ValueError(f"'{participle}' is not one of the forms listed under particle_verbs")
        return participles
