"""Read a run's tables back from OUT as text, whichever tables and columns are there."""
from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..cells import read_csv_text

SPAN_TABLES = ("money", "dates", "programs", "facts")  # the tables with rule and flags columns
VIEW_TABLES = ("money", "dates", "programs", "facts", "documents")  # the tables the report lists
READ_TABLES = (*VIEW_TABLES, "entities", "changes")


@dataclass
class Table:
    """One CSV table as its header and rows of strings (empty string for a missing cell)."""

    name: str
    columns: list[str]
    rows: list[list[str]]

    def position(self, column: str) -> int | None:
        return self.columns.index(column) if column in self.columns else None

    def values(self, column: str) -> set[str]:
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
    """A CSV table, cells as their exact text; short rows are padded so that every row has every column."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        columns = next(reader, [])
        width = len(columns)
        rows = [[read_csv_text(cell) for cell in (row if len(row) == width else (row + [""] * width)[:width])] for row in reader]
    return Table(name, columns, rows)
