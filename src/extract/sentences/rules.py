"""The schema of rules/sentences.yml: the titles and abbreviations after whose full stop no sentence ends.

The titles decide sentence starts, which the Doc cache stores: the
`title_stops` component gives them to the cache's key (extract.nlp.model_fingerprint),
so that an edit of the list is never met by a cached Doc split the old way.
The abbreviations are read after the cache, by `extract_sentences`, a rule
component like money's: an edit of them runs the rule components again, not the model.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated

from pydantic import AfterValidator

from ..rules import Strict, load_rule_file, packaged_rules_dir


def check_word(value: str, kind: str, example: str) -> str:
    """A title or abbreviation is one word of letters, as the text writes it before its full stop."""
    if not re.fullmatch(r"[^\W\d_]+", value):
        raise ValueError(f"{value!r} is not {kind}: one word of letters, without its full stop ({example!r}, not {example + '.'!r})")
    return value


def check_title(value: str) -> str:
    return check_word(value, "a title", "Maj")


def check_abbreviation(value: str) -> str:
    return check_word(value, "an abbreviation", "Mr")


Title = Annotated[str, AfterValidator(check_title)]
"""A title before a name ("Maj"), checked when the rules load."""

Abbreviation = Annotated[str, AfterValidator(check_abbreviation)]
"""An abbreviation whose full stop ends no sentence ("Mr", "Jan"), checked when the rules load."""


class SentenceRules(Strict):
    """rules/sentences.yml."""

    titles: list[Title]  # "Army Maj. Gen. Matt McFarlane": no sentence starts after "Maj."
    abbreviations: list[Abbreviation]  # "Then Mr. Smith spoke.": no sentence ends after "Mr."


@lru_cache(maxsize=1)
def default_rules() -> SentenceRules:
    """The packaged rules/sentences.yml, loaded once, for a Doc no `extract_sentences` ran on and a text without a Doc.

    Always the packaged file, whatever the working directory (as extract.dates.rules.default_rules).
    """
    return load_rule_file(packaged_rules_dir() / "sentences.yml", SentenceRules)
