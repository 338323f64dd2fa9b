"""Read a run's tables back from OUT as text, whichever tables and columns are there."""
from __future__ import annotations

import csv
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..cells import read_csv_text

SPAN_TABLES = ("money", "dates", "programs", "facts")  # the tables with rule and flags columns
VIEW_TABLES = ("money", "dates", "programs", "facts", "documents")  # the tables the report lists
READ_TABLES = (*VIEW_TABLES, "entities", "changes")


# What the report never shows, left out as the tables are read (a large run's tables would otherwise sit
# whole in memory): the sentence (the document view shows it in place); entities are kept only as an index
# of the model's spans (see Entities).
DROPPED_COLUMNS = ("sentence",)
ENTITY_SOURCE = "ner"  # entities rows the rule components made repeat their own tables' rows


@dataclass
class Entities:
    """The model's entities of each document as numbers: start, end and label (its place in `labels`) in
    one array per document. A large run has half a million; as rows of strings they were most of the
    report's memory."""

    labels: list[str] = field(default_factory=list)
    spans: dict[str, array[int]] = field(default_factory=dict)
    doc_ids: set[str] = field(default_factory=set)  # of every row, as a table's rows name their documents

    def add(self, doc_id: str, start: str, end: str, label: str) -> None:
        """One row's entity; none for offsets that are no numbers or no span, or a row of no document."""
        self.doc_ids.add(doc_id)
        try:
            first, last = int(start), int(end)
        except ValueError:
            return
        if last > first and doc_id:
            if label not in self.labels:
                self.labels.append(label)
            self.spans.setdefault(doc_id, array("q")).extend((first, last, self.labels.index(label)))

    def of(self, doc_id: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, label) of each of the document's entities, in the table's order."""
        numbers = self.spans.get(doc_id, array("q"))
        for i in range(0, len(numbers), 3):
            yield numbers[i], numbers[i + 1], self.labels[numbers[i + 2]]


@dataclass
class Table:
    """One CSV table as its header and rows of strings (empty string for a missing cell), without what the
    report never shows; `total` counts every row of the file. Entities have `entities` instead of rows."""

    name: str
    columns: list[str]
    rows: list[list[str]]
    total: int = 0
    entities: Entities | None = None

    def position(self, column: str) -> int | None:
        return self.columns.index(column) if column in self.columns else None

    def values(self, column: str) -> set[str]:
        if column == "doc_id" and self.entities is not None:
            return self.entities.doc_ids
        i = self.position(column)
        return set() if i is None else {row[i] for row in self.rows}

    def dicts(self) -> Iterator[dict[str, str]]:
        for row in self.rows:
            yield dict(zip(self.columns, row))


def read_tables(out: Path) -> dict[str, Table]:
    """Every table of READ_TABLES that OUT holds; a missing one is simply not in the result."""
    tables = {}
    for name in READ_TABLES:
        path = out / f"{name}.csv"
        if path.is_file():
            tables[name] = read_table(path, name)
    return tables


def read_table(path: Path, name: str) -> Table:
    """A CSV table, cells as their exact text, without DROPPED_COLUMNS; short rows are padded so that
    every row has every column. Of entities, the index of the model's spans (Entities) instead of rows."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        width = len(header)
        keep = [i for i, column in enumerate(header) if column not in DROPPED_COLUMNS]
        padded = (row if len(row) == width else (row + [""] * width)[:width] for row in reader)
        if name == "entities" and {"doc_id", "char_start", "char_end"} <= set(header):
            entities, total = read_entities(header, padded)
            return Table(name, [header[i] for i in keep], [], total, entities)
        rows = [[read_csv_text(row[i]) for i in keep] for row in padded]
    return Table(name, [header[i] for i in keep], rows, len(rows))


def read_entities(header: list[str], rows: Iterator[list[str]]) -> tuple[Entities, int]:
    """The model's entities among the rows of entities.csv (see Entities), and how many rows there were."""
    entities, total = Entities(), 0
    doc_id, start, end = header.index("doc_id"), header.index("char_start"), header.index("char_end")
    label = header.index("label") if "label" in header else None
    source = header.index("source") if "source" in header else None
    for row in rows:
        total += 1
        if source is None or row[source] == ENTITY_SOURCE:
            entities.add(*(read_csv_text(row[i]) if i is not None else "" for i in (doc_id, start, end, label)))
        else:
            entities.doc_ids.add(read_csv_text(row[doc_id]))
    return entities, total
