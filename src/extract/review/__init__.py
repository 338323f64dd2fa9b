"""The static review report: OUT/review/, built from the output folder alone.

It reads only what a run wrote (the tables as CSV and the cleaned texts), so
`extract review OUT` and the end of `extract run` share one code path, and any
table or column that is missing shows as absent instead of failing. It writes
a page set that opens from the file system with no server and no network:

    review/index.html        the queue, summary and charts (static; readable without JavaScript)
    review/assets/           the one script and one style sheet
    review/data/<table>.js   a table's rows, loaded when its view first opens
    review/docs/<n>.js       a few documents' texts and highlights, loaded when one of them opens

Browsers block fetch() on file:// pages, so the data travels as small scripts
added with a <script> tag. Every text goes in as JSON and the script puts it on
the page with textContent, never as HTML, so a text holding `<script>` shows as
text.
"""
from __future__ import annotations

import gc
import json
import os
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from ..errors import UsageError
from .charts import charts
from .tables import SPAN_TABLES, VIEW_TABLES, Entities, Table, read_tables

HERE = Path(__file__).parent
ASSETS = ("review.js", "review.css")
CHUNK_BYTES = 200_000  # about this much JSON per docs/<n>.js
ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@dataclass
class Report:
    """What a review build wrote, for the closing line of `extract review`."""

    path: Path
    documents: int = 0
    flagged: int = 0
    changes: int = 0
    tables: dict[str, int] = field(default_factory=dict)


def build_report(out: Path) -> Report:
    """Write OUT/review/ from the tables and cleaned texts in OUT, replacing the previous report whole."""
    if not out.is_dir():
        raise UsageError(f"{out}: no such folder")
    with collector_paused():
        tables = read_tables(out)
        if not tables or not (out / "clean").is_dir() and "documents" not in tables:
            raise UsageError(f"{out}: no tables of a run here (documents.csv, money.csv, ...)")
        target = out / "review"
        building = out / f".review.{os.getpid()}.tmp"
        shutil.rmtree(building, ignore_errors=True)
        try:
            report = write_report(out, tables, building)
            old = out / f".review.{os.getpid()}.old"
            if target.exists():
                os.replace(target, old)
            os.replace(building, target)
            shutil.rmtree(old, ignore_errors=True)
        finally:
            shutil.rmtree(building, ignore_errors=True)
    report.path = target / "index.html"
    return report


@contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage collection while the report is built: it holds every table's cells in lists and dicts,
    none in a reference cycle, and the collector's full passes over them were 5% of a re-run."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def write_report(out: Path, tables: dict[str, Table], folder: Path) -> Report:
    """Every file of the report, into `folder`."""
    for sub in ("assets", "data", "docs"):
        (folder / sub).mkdir(parents=True)
    for name in ASSETS:
        shutil.copyfile(HERE / "static" / name, folder / "assets" / name)
    doc_ids = document_ids(tables, out)
    index = {doc_id: number for number, doc_id in enumerate(doc_ids)}
    chunks = write_documents(out, tables, doc_ids, folder / "docs")
    for name in VIEW_TABLES:
        if name in tables:
            write_script(folder / "data" / f"{name}.js", "table", name, table_view(tables[name], index))
    queue = flagged_rows(tables, index)
    write_script(folder / "data" / "queue.js", "table", "queue", queue)
    changes = tables.get("changes")
    if changes is not None and changes.rows:
        write_script(folder / "data" / "changes.js", "table", "changes", table_view(changes, index))
    report = Report(folder, len(doc_ids), len(queue["rows"]), len(changes.rows) if changes else 0)
    report.tables = {name: table.total for name, table in tables.items()}
    page = render_index(out, tables, doc_ids, queue, chunks)
    (folder / "index.html").write_text(page, encoding="utf-8")
    return report


def document_ids(tables: dict[str, Table], out: Path) -> list[str]:
    """Every document of the run, sorted: documents.csv's, and any other table's or clean text's."""
    ids: set[str] = set()
    for table in tables.values():
        if table.name != "changes":
            ids.update(table.values("doc_id"))
    if "documents" not in tables:
        clean = out / "clean"
        ids.update(path.relative_to(clean).with_suffix("").as_posix() for path in clean.rglob("*.txt"))
    ids.discard("")
    return sorted(ids)


def write_script(path: Path, kind: str, key: str | int, data: Any) -> None:
    """A data file: one call that hands the JSON to the page's script."""
    path.write_text(f"REVIEW.loaded({as_json(kind)}, {as_json(key)}, {as_json(data)});\n", encoding="utf-8")


def as_json(data: Any) -> str:
    """JSON safe inside a script or a page: no `<`, `>` or `&` left to close a tag."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def table_view(table: Table, index: dict[str, int]) -> dict[str, Any]:
    """A table's rows for its view (read without the long columns), each with its document's number."""
    doc_column = table.position("doc_id")
    rows = []
    for row in table.rows:
        doc = index.get(row[doc_column], -1) if doc_column is not None else -1
        rows.append([doc, *row])
    return {"columns": table.columns, "rows": rows}


def flagged_rows(tables: dict[str, Table], index: dict[str, int]) -> dict[str, Any]:
    """Every row with a flag, for the queue; a facts row only with the flags its money row lacks."""
    columns = ["table", "doc_id", "char_start", "char_end", "text", "flags", "rule"]
    rows = []
    money_flags: dict[tuple[str, str, str], set[str]] = {}
    for name in SPAN_TABLES:
        table = tables.get(name)
        if table is None or table.position("flags") is None:
            continue
        for row in table.dicts():
            key = (row.get("doc_id", ""), row.get("char_start", ""), row.get("char_end", ""))
            flags = [flag for flag in row.get("flags", "").split(";") if flag]
            if name == "money":
                money_flags[key] = set(flags)
            elif name == "facts":
                flags = [flag for flag in flags if flag not in money_flags.get(key, ())]
            if flags:
                cells = {**row, "flags": ";".join(flags)}
                rows.append([index.get(key[0], -1), name, *(cells.get(c, "") for c in columns[1:])])
    return {"columns": columns, "rows": rows}


def write_documents(out: Path, tables: dict[str, Table], doc_ids: list[str], folder: Path) -> list[int]:
    """The documents in consecutive groups, one script per group; returns each document's group.

    A group holds a document's cleaned text, its highlights with their rows and
    its documents row, for documents in a row until about CHUNK_BYTES: opening
    one document loads a small file, and a run of thousands of texts writes a
    few hundred files, not thousands (files, not bytes, cost the most to write
    and to replace).
    """
    spans = DocumentSpans(tables)
    documents = {row["doc_id"]: row for row in tables["documents"].dicts()} if "documents" in tables else {}
    chunk_of: list[int] = []
    pending: list[str] = []
    size = chunk = 0
    for number, doc_id in enumerate(doc_ids):
        text = read_clean(out, doc_id)
        doc_spans = spans.of(doc_id)
        if text is not None and ASTRAL.search(text):
            doc_spans = utf16_offsets(text, doc_spans)
        data = as_json({"id": doc_id, "row": documents.get(doc_id, {}), "text": text, "spans": doc_spans})
        pending.append(f'"{number}":{data}')
        size += len(data)
        chunk_of.append(chunk)
        if size >= CHUNK_BYTES or number == len(doc_ids) - 1:
            write_chunk(folder, chunk, pending)
            pending, size, chunk = [], 0, chunk + 1
    return chunk_of


def write_chunk(folder: Path, chunk: int, documents: list[str]) -> None:
    """docs/<chunk>.js: the JSON of each document, by its number, handed to the page in one call."""
    body = "{" + ",".join(documents) + "}"
    (folder / f"{chunk}.js").write_text(f'REVIEW.loaded("docs",{chunk},{body});\n', encoding="utf-8")


def read_clean(out: Path, doc_id: str) -> str | None:
    """The cleaned text, or None when the run wrote none (a document that failed before cleaning)."""
    path = out / "clean" / f"{doc_id}.txt"
    if ".." in Path(doc_id).parts or not path.is_file():
        return None
    return path.read_text(encoding="utf-8")


class DocumentSpans:
    """Each document's highlights: money (with its facts row), dates, programs, then the model's entities.

    Made one document at a time as its data is written, from the tables' rows grouped by document: the
    highlights of a large run (half a million entities for Reuters) never sit in memory all at once.
    """

    def __init__(self, tables: dict[str, Table]) -> None:
        self.tables = tables
        self.rows = {name: rows_by_document(table) for name, table in tables.items() if name in LABELS}

    def of(self, doc_id: str) -> list[dict[str, Any]]:
        spans: list[dict[str, Any]] = []
        money: dict[tuple[str, str], dict[str, Any]] = {}
        for name in ("money", "dates", "programs"):
            for row in self.dicts(name, doc_id):
                span = make_span(name, row)
                if span is not None:
                    spans.append(span)
                    if name == "money":
                        money[row["char_start"], row["char_end"]] = span
        for row in self.dicts("facts", doc_id):
            span = money.get((row.get("char_start", ""), row.get("char_end", "")))
            if span is not None:
                span["facts"] = fact_links(row, span["v"])
            elif (fact := make_span("facts", row)) is not None:
                spans.append(fact)
        entities = self.tables["entities"].entities if "entities" in self.tables else None
        if entities is not None:
            spans.extend(entity_spans(entities, doc_id))
        return spans

    def dicts(self, name: str, doc_id: str) -> Iterator[dict[str, str]]:
        """The document's rows of one table, as dicts."""
        if name in self.tables:
            columns = self.tables[name].columns
            for row in self.rows[name].get(doc_id, []):
                yield dict(zip(columns, row))


def rows_by_document(table: Table) -> dict[str, list[list[str]]]:
    """A table's rows by their document, in the table's order (the rows themselves, not copies)."""
    at = table.position("doc_id")
    grouped: dict[str, list[list[str]]] = {}
    if at is not None:
        for row in table.rows:
            grouped.setdefault(row[at], []).append(row)
    return grouped


def entity_spans(entities: Entities, doc_id: str) -> Iterator[dict[str, Any]]:
    """Highlights of the document's model entities (label only: the rule components' own entities repeat
    their tables' rows)."""
    for start, end, label in entities.of(doc_id):
        yield {"t": "entities", "s": start, "e": end, "label": label or "ENT", "v": {"label": label}}


def fact_links(row: dict[str, str], money: dict[str, str]) -> dict[str, str]:
    """A facts row's own columns: what it ties the amount to, without the money values it repeats."""
    return {k: v for k, v in own_values(row).items() if k in ("rule", "flags") or money.get(k) != v}


LABELS = {"money": "MONEY", "dates": "DATE", "programs": "PROGRAM", "facts": "FACT"}


def make_span(table: str, row: dict[str, str]) -> dict[str, Any] | None:
    """A highlight: table, offsets, label and the row's own values; None when its offsets are unusable."""
    try:
        start, end = int(row.get("char_start", "")), int(row.get("char_end", ""))
    except ValueError:
        return None
    if not row.get("doc_id") or end <= start:
        return None
    label = row.get("label", "") if table == "entities" else row.get("program_id") or LABELS[table]
    return {"t": table, "s": start, "e": end, "label": label or "ENT", "v": own_values(row)}


def own_values(row: dict[str, str]) -> dict[str, str]:
    """A row's columns without the ones the highlight itself shows (document, offsets, text)."""
    return {k: v for k, v in row.items() if k not in ("doc_id", "char_start", "char_end", "text")}


def utf16_offsets(text: str, spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Offsets counted in UTF-16 units, as JavaScript strings count them (characters past U+FFFF count two)."""
    extra = [0] * (len(text) + 1)
    count = 0
    for i, char in enumerate(text):
        extra[i] = count
        count += ord(char) > 0xFFFF
    extra[len(text)] = count
    end = len(text)
    return [
        {**span, "s0": span["s"], "e0": span["e"], "s": span["s"] + extra[min(span["s"], end)],
         "e": span["e"] + extra[min(span["e"], end)]}
        for span in spans
    ]


def render_index(out: Path, tables: dict[str, Table], doc_ids: list[str], queue: dict[str, Any], chunks: list[int]) -> str:
    """The first page: summary, queue (the rows come with data/queue.js), failed documents, charts."""
    environment = Environment(loader=PackageLoader("extract.review"), autoescape=select_autoescape(default=True))
    documents = list(tables["documents"].dicts()) if "documents" in tables else []
    failed = [row for row in documents if row.get("status") == "error"]
    flags = Counter(flag for row in queue["rows"] for flag in row[6].split(";") if flag)
    changes = tables.get("changes")
    change_counts = Counter((row.get("table", ""), row.get("change", "")) for row in changes.dicts()) if changes else {}
    status = {row.get("doc_id", ""): row.get("status", "") for row in documents}
    meta = {
        "docs": [[doc_id, status.get(doc_id, ""), chunk] for doc_id, chunk in zip(doc_ids, chunks)],
        "tables": {name: len(tables[name].rows) for name in VIEW_TABLES if name in tables},
        "changes": len(changes.rows) if changes else None,
    }
    return environment.get_template("index.html").render(
        title=out.resolve().name,
        tables={name: tables.get(name) for name in (*VIEW_TABLES, "entities", "changes")},
        documents=len(doc_ids),
        index={doc_id: number for number, doc_id in enumerate(doc_ids)},
        failed=failed,
        flags=sorted(flags.items()),
        flag_columns=[name for name in SPAN_TABLES if name in tables and tables[name].position("flags") is not None],
        flagged=Counter(row[1] for row in queue["rows"]),
        change_counts=sorted(change_counts.items()),
        charts=charts(tables),
        meta=as_json(meta),
    )

