"""Turn processed Docs into table rows; every table's columns are declared here, once.

Rows are built from the Doc alone (its text and its span attributes), so what
a user sees calling the pipeline from Python is what the tables say.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from spacy.attrs import IDX, SENT_START
from spacy.tokens import Doc, Span

from .extensions import text_of
from .nlp import RULE_COMPONENTS

# table -> column -> kind; kinds decide the CSV format and the Parquet type.
COLUMNS: dict[str, dict[str, str]] = {
    "documents": {
        "doc_id": "str", "path": "str", "title": "str", "published": "date", "source": "str",
        "sha256": "str", "chars_raw": "int", "chars_clean": "int", "status": "str", "error": "str",
        "encoding": "str",
    },
    "entities": {
        "doc_id": "str", "char_start": "int", "char_end": "int", "text": "str", "sentence": "str",
        "label": "str", "source": "str",
    },
    "money": {
        "doc_id": "str", "char_start": "int", "char_end": "int", "text": "str", "sentence": "str",
        "amount": "decimal", "currency": "str", "qualifier": "str", "amount_high": "decimal",
        "rule": "str", "flags": "str",
    },
    "dates": {
        "doc_id": "str", "char_start": "int", "char_end": "int", "text": "str", "sentence": "str",
        "date_start": "date", "date_end": "date", "granularity": "str", "relation": "str",
        "rule": "str", "flags": "str",
    },
    "programs": {
        "doc_id": "str", "char_start": "int", "char_end": "int", "text": "str", "sentence": "str",
        "program_id": "str", "program_name": "str", "in_catalog": "bool",
        "rule": "str", "flags": "str",
    },
    "facts": {
        "doc_id": "str", "char_start": "int", "char_end": "int", "text": "str", "sentence": "str",
        "amount": "decimal", "currency": "str", "qualifier": "str", "amount_high": "decimal",
        "program_id": "str", "date_start": "date", "date_end": "date", "granularity": "str",
        "recipient": "str", "provider": "str", "repeat_of": "int", "rule": "str", "flags": "str",
    },
}


@dataclass(frozen=True)
class Tracked:
    """How the changes table follows one table from run to run (extract.changes)."""

    key: tuple[str, ...]  # with a row's order among the rows equal in them, these match it to last run's row
    compared: tuple[str, ...]  # the columns whose change is reported


POSITIONAL = ("char_start", "char_end", "sentence")  # move whenever cleaning changes: never compared


def span_table(name: str, moving: tuple[str, ...] = ()) -> Tracked:
    """A table of spans: a row is its document, its text and its place among the same texts; the rest is compared,
    but for `moving`, the table's own columns that hold offsets (they move with cleaning like char_start)."""
    key = ("doc_id", "text")
    return Tracked(key, tuple(c for c in COLUMNS[name] if c not in key + POSITIONAL + moving))


# The tables the changes table follows, in its order; a new table of spans registers with span_table(name).
TRACKED: dict[str, Tracked] = {
    "documents": Tracked(("doc_id",), ("status", "title", "published", "source")),
    "money": span_table("money"),
    "dates": span_table("dates"),
    "programs": span_table("programs"),
    "facts": span_table("facts", moving=("repeat_of",)),  # repeat_of is the char_start of an earlier row
}
COLUMNS["changes"] = {  # written at the end of a run, from the tables above (TABLES.md, changes)
    "table": "str", "change": "str", "doc_id": "str", "text": "str", "char_start": "int", "char_end": "int",
    "fields": "str", "before": "str", "after": "str",
}
TABLES = tuple(COLUMNS)
SENTENCE_MAX_CHARS = 500  # a longer sentence is shown as a window around the span, so rows stay small
SENTENCE_CONTEXT_CHARS = 200  # the window: this much of the sentence either side of the span
Rows = dict[str, list[dict[str, Any]]]


def span_row(doc_id: str, span: Span, sentences: Sentences) -> dict[str, Any]:
    """The columns every span table shares."""
    return {
        "doc_id": doc_id,
        "char_start": span.start_char,
        "char_end": span.end_char,
        "text": span.text,
        "sentence": sentences.around(span),
    }


class Sentences:
    """The sentence around a span, with the Doc's sentence bounds read once (Span.sent walks tokens per call)."""

    def __init__(self, doc: Doc) -> None:
        self.text = text_of(doc)
        self.split = doc.has_annotation("SENT_START")
        starts, sent_starts = doc.to_array([IDX, SENT_START]).T
        self.token_chars = [*starts.tolist(), len(self.text)]  # where each token starts, and the text's end
        self.bounds = [0, *(sent_starts == 1).nonzero()[0].tolist(), len(doc)]  # token index of each sentence start
        self.bounds_cache: dict[tuple[int, int], tuple[int, int]] = {}  # see trimmed

    def around(self, span: Span) -> str:
        """The sentence holding the span; when sentence splitting cut the span, every sentence it touches."""
        if not self.split:
            return span.text
        first = self.bounds[bisect_right(self.bounds, span.start) - 1]
        last = self.bounds[bisect_left(self.bounds, span.end)]
        start, end = self.trimmed(first, last)
        return window(self.text, start, end, span.start_char, span.end_char)

    def trimmed(self, first: int, last: int) -> tuple[int, int]:
        """The character bounds of the sentence of tokens first..last without its outer whitespace, found
        once per sentence: a long sentence holds many spans, and copying it for each would grow with its square."""
        if (first, last) not in self.bounds_cache:
            start, end = self.token_chars[first], self.token_chars[last]
            sentence = self.text[start:end]
            self.bounds_cache[first, last] = (start + len(sentence) - len(sentence.lstrip()), start + len(sentence.rstrip()))
        return self.bounds_cache[first, last]


def window(text: str, start: int, end: int, span_start: int, span_end: int) -> str:
    """The sentence text[start:end] (bounds without outer whitespace), or when it is longer than
    SENTENCE_MAX_CHARS the span with SENTENCE_CONTEXT_CHARS of it either side, cut at a space and
    marked "…" where cut.

    Every row carries its sentence: one 75 KB line with 25,000 amounts made
    a 1.9 GB table when each row held the whole of it.
    """
    if end - start <= SENTENCE_MAX_CHARS:
        return text[start:end]
    left = max(start, span_start - SENTENCE_CONTEXT_CHARS)
    right = min(end, span_end + SENTENCE_CONTEXT_CHARS)
    if left > start:
        space = text.find(" ", left, span_start)
        left = space + 1 if space >= 0 else span_start
    if right < end:
        space = text.rfind(" ", span_end, right)
        right = space if space >= 0 else span_end
    inside = text[left:right].strip()
    return f"{'… ' if left > start else ''}{inside}{' …' if right < end else ''}"


def doc_rows(doc: Doc, doc_id: str) -> Rows:
    """Rows of the span tables (entities, money, dates, programs) for one Doc."""
    rows: Rows = {"entities": [], "money": [], "dates": [], "programs": [], "facts": []}
    sentences = Sentences(doc)
    for ent in map(trimmed, doc.ents):
        if ent is None:
            continue
        rows["entities"].append({**span_row(doc_id, ent, sentences), "label": ent.label_, "source": "ner"})
    for table, component in RULE_COMPONENTS.items():
        for span in doc.spans.get(table, []):
            shared = span_row(doc_id, span, sentences)
            rows["entities"].append({**shared, "label": span.label_, "source": component})
            rows[table].append({**shared, **values(table, span)})
    for table_rows in rows.values():
        table_rows.sort(key=lambda r: (r["char_start"], r["char_end"]))
    rows["facts"] = fact_rows(doc, rows["money"])
    return rows


def fact_rows(doc: Doc, money: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per money row, in its order: its columns, then what doc._.facts links it to."""
    facts = doc._.facts or []
    if len(facts) != len(money):  # the linker did not run (a pipeline without it): empty links, never lost rows
        return [{**row, "rule": "unlinked"} for row in money]
    rows = []
    for row, fact in zip(money, facts):
        period = fact.period
        rows.append({
            **{column: row[column] for column in COLUMNS["money"]},
            "program_id": ";".join(fact.program_ids) or None,
            "date_start": period.date_start if period else None,
            "date_end": period.date_end if period else None,
            "granularity": period.granularity if period else None,
            "recipient": fact.recipient,
            "provider": fact.provider,
            "repeat_of": fact.repeat_of,
            "rule": ";".join(fact.rules) or None,
            "flags": ";".join(sorted(set(fact.flags))) or None,
        })
    return rows


def trimmed(span: Span) -> Span | None:
    """The span without the whitespace tokens the statistical NER sometimes includes."""
    start, end = span.start, span.end
    while start < end and span.doc[start].is_space:
        start += 1
    while end > start and span.doc[end - 1].is_space:
        end -= 1
    return Span(span.doc, start, end, label=span.label) if end > start else None


def values(table: str, span: Span) -> dict[str, Any]:
    """The table's own columns, read from the span's extension attributes."""
    own = [c for c in COLUMNS[table] if c not in ("doc_id", "char_start", "char_end", "text", "sentence")]
    row = {column: getattr(span._, column) for column in own}
    if "rule" in row:  # provenance: the parts in the order the component noted them; flags sorted; empty for none
        row["rule"] = ";".join(row["rule"]) or None
        row["flags"] = ";".join(sorted(row["flags"])) or None
    return row
