"""The schema of rules/sentences.yml: the titles after whose full stop no sentence ends.

The titles decide sentence starts, which the Doc cache stores: the
`title_stops` component gives them to the cache's key (extract.nlp.model_fingerprint),
so that an edit of the list is never met by a cached Doc split the old way.
"""
from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

from ..rules import Strict


def check_title(value: str) -> str:
    """A title is one word of letters, as the tokenizer leaves it once it splits off the full stop."""
    if not re.fullmatch(r"[^\W\d_]+", value):
        raise ValueError(f"{value!r} is not a title: one word of letters, without its full stop ('Maj', not 'Maj.')")
    return value


Title = Annotated[str, AfterValidator(check_title)]
"""A title before a name ("Maj"), checked when the rules load."""


class SentenceRules(Strict):
    """rules/sentences.yml."""

    titles: list[Title]  # "Army Maj. Gen. Matt McFarlane": no sentence starts after "Maj."
