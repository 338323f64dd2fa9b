"""Cache the cleaning and the model's work so a re-run after editing rules skips both.

The model's part of a Doc (tokens, sentences, entities) depends only on the
clean text and on the model: its name, version, the components that run and
the tokenizer's rules. Each Doc is stored once that part is done, before the
rule components, in a file named by the text's hash (its token attributes as
one array, Doc.to_array, and the strings they name), in a folder named by the
model's fingerprint. A re-run loads the Doc and runs only the rule
components, so rule changes always take effect and no cached row can be
stale. A file that cannot be read is ignored and written again.

The cleaned text is cached too (CleanCache), in OUT/.cache/clean/: one entry
per raw file, named by the hash of its bytes and path, of rules/cleaning.yml,
of extract's own code and the cleaning libraries' versions. The repeated-lines
heuristic reads the other documents of a site too: an entry keeps what
cleaning asked of them and their answers ("is this line on other pages?"),
and holds only while the run's site lines give the same. So an edit of
cleaning.yml or a new extract cleans every file again; a file added or
changed cleans itself again, and those of its site whose answers it changed;
an edit of money, dates or programs rules cleans none.

The rule components' work is cached too (StepCache), beside each Doc: what
each component added to it (spans, their values, split tokens), keyed by
everything the component reads. A re-run replays a component whose inputs did
not change and runs the rest, so an edit of rules/programs.yml runs
extract_programs on every Doc, extract_facts only where the programs found
changed, and money and dates nowhere.

The Doc cache lives in OUT/.cache/docs/ (hidden, beside the tables it speeds
up; delete it at will). Files are written whole (temporary file, then rename), so
parallel workers and interrupted runs never leave half a Doc. Cluster workers
that read RAW from shared storage keep the caches in a folder of their own for
each batch, which the run fills from OUT/.cache and empties back into it
(extract.cluster).
"""
from __future__ import annotations

import copy
import dataclasses
import hashlib
import os
import pickle
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from spacy.attrs import ENT_IOB, ENT_TYPE, IDX, ORTH, SENT_START, SPACY, TAG
from spacy.language import Language
from spacy.tokens import Doc, Span

from .clean.boilerplate import SiteLines
from .clean.document import Cleaned
from .clean.read import RawDocument, RawInfo
from .clean.rules import Heuristics
from .components.money import split_tokens_at
from .errors import OutputError
from .extensions import TEXT_KEY, text_of
from .nlp import model_fingerprint
from .write import write_file, write_in_place

VERSION = "5"  # bump when line_breaks or what is stored changes, to drop every old entry
# What the statistical components set and the rule components and tables read (words and their
# spacing, tags, entities, sentences); lemmas, morphology and the parse stay empty here.
STORED = [ORTH, SPACY, TAG, ENT_IOB, ENT_TYPE, SENT_START]
NAMED = [0, 2, 4]  # STORED's columns that hold string hashes (the words, tags and entity labels)


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
        return self.entry(digest(text), ".doc")

    def entry(self, text_key: str, suffix: str) -> Path:
        """The file of a text's entry, by the text's hash: its Doc (.doc), or its steps beside it (.steps)."""
        return self.folder / text_key[:2] / f"{text_key}{suffix}"

    def get(self, text: str) -> Doc | None:
        """The cached Doc for this text, or None when there is none or it cannot be read."""
        try:
            doc = self.read(self.path(text).read_bytes())
        except Exception:  # missing, or a corrupt or truncated entry: a miss; put() replaces it
            return None
        return doc if spells_out(doc, text) else None

    def read(self, data: bytes) -> Doc:
        """A Doc from its entry: the strings into the vocabulary first, then the words, then the other attributes.

        spaCy's DocBin stores the same, but each load through srsly's msgpack
        lists spaCy's whole function registry; that was a tenth of a re-run.
        """
        strings, array = pickle.loads(zlib.decompress(data))
        for string in strings:
            self.vocab.strings.add(string)
        # the words by their string ids: spaCy finds each word's entry by its id, not by hashing its text again
        doc = Doc(self.vocab, words=array[:, 0].tolist(), spaces=array[:, 1].astype(bool).tolist())
        return doc.from_array(STORED[2:], array[:, 2:])

    def put(self, doc: Doc) -> None:
        """Store the Doc (without its extension attributes, which the pipeline sets again)."""
        array = doc.to_array(STORED)
        keys = sorted({int(key) for key in array[:, NAMED].ravel().tolist()} - {0})
        strings = [doc.vocab.strings[key] for key in keys]
        try:
            write_file(self.path(doc.text), zlib.compress(pickle.dumps((strings, array)), 1))
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

    def __init__(self, folder: Path, rules_file: Path, heuristics: Heuristics) -> None:
        self.folder = folder
        libraries = [f"{name}-{version(name)}" for name in CLEANING_LIBRARIES]
        self.fixed = digest("|".join([VERSION, code_digest(), digest(rules_file.read_text(encoding="utf-8")), *libraries]))
        self.heuristics = heuristics
        self.site_lines = SiteLines()

    def set_site_lines(self, site_lines: SiteLines) -> None:
        """The run's site-line counts: an entry holds while they answer what its cleaning asked of them."""
        self.site_lines = site_lines

    def moved_to(self, folder: Path) -> CleanCache:
        """The same cache, keyed by the same rules, code and site lines, in another folder (see DocCache.moved_to)."""
        moved = copy.copy(self)
        moved.folder = folder
        return moved

    def path(self, raw: RawDocument | RawInfo) -> Path:
        key = digest(f"{self.fixed}|{raw.path}|{raw.sha256}|{raw.is_html}")
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, raw: RawDocument | RawInfo) -> Cleaned | None:
        """The cleaned document, or None when there is none, it cannot be read, or the site's other documents
        changed what cleaning it found (a new page of the site makes a line its chrome)."""
        try:
            cleaned = pickle.loads(self.path(raw).read_bytes())
        except Exception:  # missing, truncated or from another version: a miss; put() replaces it
            return None
        if not isinstance(cleaned, Cleaned) or not self.site_lines.agrees(cleaned.asked, self.heuristics):
            return None
        return cleaned

    def put(self, raw: RawDocument, cleaned: Cleaned) -> None:
        """Store the cleaned document, without its per-line record, and its text alone beside it (see stage)."""
        entry = self.path(raw)
        try:
            write_file(entry, pickle.dumps(replace(cleaned, lines=[])))
            write_file(entry.with_suffix(".txt"), cleaned.text)
        except OSError:  # a full disk: the cache only saves time, and the tables report the disk themselves
            pass

    def stage(self, raw: RawDocument | RawInfo, text: str, target: Path) -> None:
        """Write the cleaned text to `target` (in the run's staging folder) as a hard link to the cache's copy,
        which costs a tenth of writing it. A copy edited through an earlier run's OUT/clean, which shared it,
        is written again first; with no copy, or no hard links on this disk, the text is written at `target`."""
        copy = self.path(raw).with_suffix(".txt")
        try:
            if copy.read_bytes() != text.encode("utf-8"):
                write_file(copy, text)  # a new file: the edited one stays with whoever holds it
            os.link(copy, target)
        except OSError:
            write_in_place(target, text)


@cache
def code_digest() -> str:
    """A hash of extract's own source: any change of the code that cleans drops every cleaned entry."""
    package = Path(__file__).parent
    return digest("".join(path.read_text(encoding="utf-8") for path in sorted(package.rglob("*.py"))))


Pipe = tuple[str, str, Callable[[Doc], Doc]]  # a rule component: its name, its settings (rules and config), itself


@dataclass
class Step:
    """What one rule component added to a Doc: enough to put it back without running the component."""

    splits: tuple[int, ...]  # character offsets where it split a token ("€48m." -> "€48m" ".")
    groups: dict[str, list[tuple[int, int, str]]]  # span groups it set: token start, token end, label
    values: dict[Any, Any]  # the doc.user_data entries it set: its spans' and the Doc's extension values
    content: str  # a hash of the three, the same in every process: what the next component's key is made of


class StepCache:
    """What each rule component added to each Doc, so that a re-run runs only the components whose inputs changed.

    A component reads the Doc after the model (its text and the model: the
    entries live in the Doc cache's folder, named by that fingerprint), the
    page's attributes (published, source, ...), its rules and config, extract's
    code, and what the components before it added. A step's key hashes all of
    these, the last by content: after an edit of programs.yml, extract_facts
    runs again only on the Docs whose programs changed. One file per text,
    holding the steps of each page (PAGES) that had that text.
    """

    def __init__(self, docs: DocCache) -> None:
        self.docs = docs

    def path(self, text: str) -> Path:
        """Beside the text's Doc, named alike: whoever holds one can find the other (extract.cluster.RunCache)."""
        return self.docs.entry(digest(text), ".steps")

    def annotate(self, doc: Doc, pipes: Sequence[Pipe]) -> Doc:
        """The Doc through every pipe, each replayed from the cache when its key matches, else run and stored."""
        text_key = digest(text_of(doc))
        path = self.docs.entry(text_key, ".steps")
        page = page_key(doc, text_key)
        pages = self.load(path)
        stored = pages.get(page, {})
        steps: Steps = {}
        inputs = page
        for name, settings, pipe in pipes:
            key = digest(f"{inputs}|{name}|{settings}")
            hit = stored.get(name)
            if hit is not None and hit[0] == key:
                step = hit[1]
                replay(doc, step)
            else:
                before = Before.of(doc)
                doc = pipe(doc)
                step = before.step(doc)
            steps[name] = (key, step)
            inputs = digest(f"{inputs}|{step.content}")
        if steps.keys() != stored.keys() or any(steps[name][0] != stored[name][0] for name in steps):
            pages.pop(page, None)
            pages[page] = steps
            self.save(path, dict(list(pages.items())[-PAGES:]))
        return doc

    def load(self, path: Path) -> dict[str, Steps]:
        try:
            pages = pickle.loads(unsealed(path.read_bytes()))
        except Exception:  # missing, torn or from another version: every step runs, save() replaces it
            return {}
        return pages if isinstance(pages, dict) else {}

    def save(self, path: Path, pages: dict[str, Steps]) -> None:
        """Written in place, sealed: a re-run rewrites the steps of every Doc, and writing each anew and
        renaming it (write_file) cost more than running the rule components did."""
        try:
            write_in_place(path, sealed(pickle.dumps(pages)))
        except OSError:  # a full disk: the cache only saves time, and the tables report the disk themselves
            pass


def sealed(data: bytes) -> bytes:
    """The data behind its own hash: a file written in place (write_in_place) by two workers at once, or
    cut short, is told from a whole one."""
    return hashlib.blake2b(data, digest_size=16).digest() + data


def unsealed(entry: bytes) -> bytes:
    """The data of a sealed entry; a ValueError when it does not match its hash."""
    data = entry[16:]
    if hashlib.blake2b(data, digest_size=16).digest() != entry[:16]:
        raise ValueError("a torn cache entry")
    return data


Steps = dict[str, tuple[str, Step]]  # a page's steps: component name -> (its key, what it added)
# The same text may come as several pages (two files, each with its own doc_id or date): the steps of the
# latest few are kept in its file, so such twins do not take each other's place at every run.
PAGES = 4


RULE_LIBRARIES = ("spacy", "dateparser", "price-parser", "pycountry", "regex")  # what the rule components call


def page_key(doc: Doc, text_key: str) -> str:
    """What every rule component reads besides its rules: the text (`text_key`, its hash), the page's attributes,
    the code that reads them."""
    attributes = sorted((key, value) for key, value in doc.user_data.items() if key != TEXT_KEY)
    return digest(f"{rule_code()}|{text_key}|{stable(attributes)}")


@cache
def rule_code() -> str:
    """extract's code and the versions of the libraries its rule components use."""
    return digest("|".join([VERSION, code_digest(), *(f"{name}-{version(name)}" for name in RULE_LIBRARIES)]))


@dataclass
class Before:
    """A Doc as a rule component found it, to tell what the component added."""

    starts: list[int]
    groups: dict[str, list[tuple[int, int, str]]]
    values: dict[Any, Any]

    @classmethod
    def of(cls, doc: Doc) -> Before:
        return cls(doc.to_array(IDX).tolist(), span_groups(doc), dict(doc.user_data))

    def step(self, doc: Doc) -> Step:
        """What the component changed; a component that removed a value could not be replayed, so none may."""
        starts = doc.to_array(IDX).tolist()
        splits = tuple(sorted(set(starts) - set(self.starts))) if len(starts) != len(self.starts) else ()
        groups = {name: spans for name, spans in span_groups(doc).items() if self.groups.get(name) != spans}
        values = {key: value for key, value in doc.user_data.items() if self.values.get(key, MISSING) is not value}
        assert self.values.keys() <= doc.user_data.keys(), "a rule component removed an extension value"
        return Step(splits, groups, values, digest(stable((splits, groups, values))))


MISSING = object()


def span_groups(doc: Doc) -> dict[str, list[tuple[int, int, str]]]:
    return {name: [(span.start, span.end, span.label_) for span in group] for name, group in doc.spans.items()}


def replay(doc: Doc, step: Step) -> None:
    """Put back what a component added: its token splits first, as its spans' offsets count the split tokens."""
    if step.splits:
        split_tokens_at(doc, set(step.splits))
    for name, spans in step.groups.items():
        doc.spans[name] = [Span(doc, start, end, label=label) for start, end, label in spans]
    doc.user_data.update(step.values)


def stable(value: Any) -> str:
    """A text that is the same for equal values in every process: sets sorted (their order follows the
    process's string hashing), dataclasses and other objects by their fields, never by their address."""
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(map(stable, value))) + "}"
    if isinstance(value, (list, tuple)):
        return "(" + ",".join(map(stable, value)) + ")"
    if isinstance(value, dict):
        return "{" + ",".join(sorted(f"{stable(k)}:{stable(v)}" for k, v in value.items())) + "}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = [stable(getattr(value, field.name)) for field in dataclasses.fields(value)]
        return f"{type(value).__name__}({','.join(fields)})"
    if hasattr(value, "__dict__") and not isinstance(value, type):  # a plain object: its repr may be its address
        return f"{type(value).__name__}({stable(vars(value))})"
    return repr(value)
