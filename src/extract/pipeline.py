"""run(raw, out): the stages in order, one document at a time, errors kept per document.

raw file -> read -> clean -> nlp -> rows -> tables. A document that fails at
any stage becomes a documents row with status `error` and the run goes on.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .boilerplate import SiteLines
from .clean import CleaningRules, clean_document, count_site_lines, load_cleaning_rules
from .errors import DocumentError
from .nlp import load_pipeline, make_doc
from .read import RawDocument, doc_id_of, find_documents, read_document
from .rules import default_rules_dir
from .tables import TABLES, Rows, doc_rows
from .write import TableWriter, write_text


@dataclass
class Summary:
    """What a run did, for the closing lines of `extract run`."""

    ok: int = 0
    failed: int = 0
    skipped: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=lambda: {name: 0 for name in TABLES})
    seconds: float = 0.0


@dataclass
class Stages:
    """The loaded rules and pipeline; loading them first reports bad rules before any work."""

    cleaning: CleaningRules
    nlp: Language
    site_lines: SiteLines = field(default_factory=SiteLines)  # filled by a first pass over the run's files

    @classmethod
    def load(cls, rules_dir: Path | None) -> Stages:
        rules = rules_dir or default_rules_dir()
        return cls(cleaning=load_cleaning_rules(rules), nlp=load_pipeline(rules))


def process(path: Path, root: Path, stages: Stages, out: Path) -> Rows:
    """All rows for one file; a failure becomes its documents row with status error."""
    relative = path.relative_to(root).as_posix()
    row: dict[str, Any] = {"doc_id": doc_id_of(path, root), "path": relative, "status": "ok"}
    try:
        raw = read_document(path, root)
        row.update(sha256=raw.sha256, chars_raw=len(raw.text), encoding=raw.encoding)
        rows = analyse(raw, stages, row, out)
    except DocumentError as error:
        row.update(status="error", error=str(error))
        return {"documents": [row]}
    except Exception as error:  # one bad document never stops the run
        row.update(status="error", error=f"{relative}: {type(error).__name__}: {error}".splitlines()[0])
        return {"documents": [row]}
    return {"documents": [row], **rows}


def analyse(raw: RawDocument, stages: Stages, row: dict[str, Any], out: Path) -> Rows:
    """Clean the text, run the pipeline, and fill the document's row."""
    if not raw.text.strip():
        raise DocumentError(raw.path, "empty file" if not raw.text else "file holds only whitespace")
    cleaned = clean_document(raw, stages.cleaning, stages.site_lines)
    row.update(title=cleaned.title, published=cleaned.published, source=cleaned.source, chars_clean=len(cleaned.text))
    write_text(out / "clean" / f"{raw.doc_id}.txt", cleaned.text)
    if not cleaned.text:
        raise DocumentError(raw.path, "nothing left after cleaning: every line was boilerplate")
    doc = make_doc(stages.nlp, cleaned.text, cleaned.published, raw.doc_id)
    doc._.title, doc._.source, doc._.stamps = cleaned.title, cleaned.source, tuple(cleaned.stamps)
    doc = stages.nlp(doc)
    drop_stamp_dates(doc)
    return doc_rows(doc, raw.doc_id)


def drop_stamp_dates(doc: Doc) -> None:
    """A date inside the page's own stamp (a dateline) set `published`; it is not a dates row."""
    if not doc._.stamps or "dates" not in doc.spans:
        return
    doc.spans["dates"] = [
        span
        for span in doc.spans["dates"]
        if not any(start <= span.start_char and span.end_char <= end for start, end in doc._.stamps)
    ]


def run(
    raw: Path,
    out: Path,
    rules_dir: Path | None = None,
    on_document: Callable[[str], None] | None = None,
) -> Summary:
    """Process every document under RAW and write the tables to OUT."""
    started = time.perf_counter()
    found = find_documents(raw)
    stages = Stages.load(rules_dir)
    stages.site_lines = count_site_lines(found.documents, found.root, stages.cleaning)
    summary = Summary(skipped=found.skipped)
    with TableWriter(out) as writer:
        for rows in process_all(found.documents, found.root, stages, out, on_document):
            document = rows["documents"][0]
            if document["status"] == "ok":
                summary.ok += 1
            else:
                summary.failed += 1
                summary.errors.append(document["error"])
            for name, table_rows in rows.items():
                summary.rows[name] += len(table_rows)
            writer.add(rows)
    summary.seconds = time.perf_counter() - started
    return summary


def process_all(
    paths: list[Path], root: Path, stages: Stages, out: Path, on_document: Callable[[str], None] | None
) -> Iterator[Rows]:
    """Rows of each document in order."""
    for path in paths:
        yield process(path, root, stages, out)
        if on_document:
            on_document(path.relative_to(root).as_posix())
