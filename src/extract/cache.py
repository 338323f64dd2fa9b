"""Cache the cleaning and the model's work so a re-run after editing rules skips both.

The model's part of a Doc (tokens, sentences, entities) depends only on the
clean text and on the model: its name, version, the components that run and
the tokenizer's rules. Each Doc is stored once that part is done, before the
rule components, in a DocBin file named by the text's hash, in a folder named
by the model's fingerprint. A re-run loads the Doc and runs only the rule
components, so rule changes always take effect and no cached row can be
stale. A file that cannot be read is ignored and written again.

The cleaned text is cached too (CleanCache), in OUT/.cache/clean/: one entry
per raw file, named by the hash of its bytes and path, of rules/cleaning.yml,
of extract's own code and the cleaning libraries' versions, and of the run's
site-line counts (the repeated-lines heuristic reads every document of a
site). So an edit of cleaning.yml, a new extract, or a file added to or
changed in the run cleans every file again; an edit of money, dates or
programs rules cleans none.

The Doc cache lives in OUT/.cache/docs/ (hidden, beside the tables it speeds
up; delete it at will). Files are written whole (temporary file, then rename), so
parallel workers and interrupted runs never leave half a Doc. Cluster workers
that read RAW from shared storage keep the caches in a folder of their own for
each batch, which the run fills from OUT/.cache and empties back into it
(extract.cluster).
"""
from __future__ import annotations

import copy
import hashlib
import pickle
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, DocBin

from .clean.boilerplate import SiteLines
from .clean.document import Cleaned
from .clean.read import RawDocument
from .errors import OutputError
from .nlp import model_fingerprint
from .write import write_file

VERSION = "2"  # bump when line_breaks or what is stored changes, to drop every old entry
# What the statistical components set and the rule components and tables read (words, tags,
# entities, sentences); the rest of DocBin's default (lemmas, morphology, parse) stays empty
# here, and leaving it out makes an entry a third quicker to load.
STORED = ("ORTH", "TAG", "ENT_IOB", "ENT_TYPE", "SENT_START")


def tokenizer_rules(nlp: Language) -> str:
    """The tokenizer's exceptions and patterns as text (its to_bytes() is not stable between loads)."""
    tokenizer: Any = nlp.tokenizer  # spaCy's Tokenizer: a Cython class that spaCy ships without type stubs
    parts = [repr(sorted((key, repr(value)) for key, value in (tokenizer.rules or {}).items()))]
    for function in (tokenizer.prefix_search, tokenizer.suffix_search, tokenizer.infix_finditer,
                     tokenizer.token_match, tokenizer.url_match):
        parts.append(str(getattr(getattr(function, "__self__", None), "pattern", function)))
    return "\n".join(parts)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class DocCache:
    """Docs after the statistical components, one file per clean text."""

    def __init__(self, folder: Path, nlp: Language) -> None:
        fingerprint = f"{VERSION}|{model_fingerprint(nlp)}|{digest(tokenizer_rules(nlp))}"
        self.folder = folder / digest(fingerprint)[:16]
        self.vocab = nlp.vocab
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise OutputError(
                f"{folder}: cannot make the cache folder ({error.strerror or error}); remove what stands in its way "
                "or run with --no-cache"
            ) from None

    def moved_to(self, folder: Path) -> DocCache:
        """The same cache, keyed by the same model, in another folder (a cluster worker's, for one batch)."""
        moved = copy.copy(self)
        moved.folder = folder / self.folder.name
        return moved

    def path(self, text: str) -> Path:
        key = digest(text)
        return self.folder / key[:2] / f"{key}.spacy"

    def get(self, text: str) -> Doc | None:
        """The cached Doc for this text, or None when there is none or it cannot be read."""
        path = self.path(text)
        try:
            docs = list(DocBin().from_bytes(path.read_bytes()).get_docs(self.vocab))
        except FileNotFoundError:
            return None
        except Exception:  # a corrupt or truncated entry is a miss; put() replaces it
            return None
        if len(docs) != 1 or not spells_out(docs[0], text):
            return None
        return docs[0]

    def put(self, doc: Doc) -> None:
        """Store the Doc (without its extension attributes, which the pipeline sets again)."""
        try:
            write_file(self.path(doc.text), DocBin(attrs=STORED, docs=[doc], store_user_data=False).to_bytes())
        except OSError:  # a full disk: the cache only saves time, and the tables report the disk themselves
            pass


def spells_out(doc: Doc, text: str) -> bool:
    """Whether the Doc's tokens cover exactly the text's characters: a check against a damaged entry.

    The file's name is the text's hash, so only damage could bring the wrong
    Doc; comparing lengths and ends is enough, and much cheaper than doc.text,
    which joins every token.
    """
    if not len(doc):
        return not text
    last = doc[-1]
    return doc[0].text == text[: len(doc[0].text)] and last.idx + len(last.text_with_ws) == len(text) and text.endswith(last.text_with_ws)


CLEANING_LIBRARIES = ("ftfy", "trafilatura", "charset-normalizer")


class CleanCache:
    """Cleaned texts, one file per raw document, so that a re-run after a rules edit does not clean again.

    An entry is a pickle of the `Cleaned` result without its per-line record
    (only `extract clean --diff` reads that), written by this program into the
    user's own output folder.
    """

    def __init__(self, folder: Path, rules_file: Path) -> None:
        self.folder = folder
        libraries = [f"{name}-{version(name)}" for name in CLEANING_LIBRARIES]
        self.fixed = digest("|".join([VERSION, code_digest(), digest(rules_file.read_text(encoding="utf-8")), *libraries]))
        self.context = ""

    def set_site_lines(self, site_lines: SiteLines) -> None:
        """Key every entry by the run's site-line counts too: they decide which lines are a site's chrome."""
        self.context = site_lines.fingerprint()

    def moved_to(self, folder: Path) -> CleanCache:
        """The same cache, keyed by the same rules, code and site lines, in another folder (see DocCache.moved_to)."""
        moved = copy.copy(self)
        moved.folder = folder
        return moved

    def path(self, raw: RawDocument) -> Path:
        key = digest(f"{self.fixed}|{self.context}|{raw.path}|{raw.sha256}|{raw.is_html}")
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, raw: RawDocument) -> Cleaned | None:
        """The cleaned document, or None when there is none or it cannot be read."""
        try:
            cleaned = pickle.loads(self.path(raw).read_bytes())
        except Exception:  # missing, truncated or from another version: a miss; put() replaces it
            return None
        return cleaned if isinstance(cleaned, Cleaned) else None

    def put(self, raw: RawDocument, cleaned: Cleaned) -> None:
        """Store the cleaned document, without its per-line record."""
        try:
            write_file(self.path(raw), pickle.dumps(replace(cleaned, lines=[])))
        except OSError:  # a full disk: the cache only saves time, and the tables report the disk themselves
            pass


def code_digest() -> str:
    """A hash of extract's own source: any change of the code that cleans drops every cleaned entry."""
    package = Path(__file__).parent
    return digest("".join(path.read_text(encoding="utf-8") for path in sorted(package.rglob("*.py"))))
