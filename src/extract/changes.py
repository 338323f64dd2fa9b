"""What changed between two runs: their tables compared row by row (the changes table, `extract diff`).

Users tune a rules file and run again; this says which rows that added,
removed or changed. A row is matched to last run's by the table's key columns
(extract.tables.TRACKED: for spans the document and the text) and its order
among the rows equal in them, never by offsets: a change to cleaning that
moves every offset of a document shows no change for rows whose values stayed.
The line numbers in `rule` are not compared either: adding a line to a rules
file moves the lines of every entry below it, while the entries stay the same;
a row whose rule now names another file or step is reported.

Tables are read back from their CSV files, as strings, so that the comparison
is exact (amounts are decimals there) and works on any two output folders.
"""
from __future__ import annotations

import json
from collections.abc import Hashable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .cells import ESCAPED
from .tables import TRACKED, Tracked

ORDER = "_order"  # a row's order among the rows of its document equal in the key columns
LINE = r":\d+(?=;|$)"  # the line number of a `rules/<file>.yml:<line>` part of the rule column


@dataclass
class Counts:
    """Rows added, removed and changed in one table."""

    added: int = 0
    removed: int = 0
    changed: int = 0

    def line(self, table: str) -> str:
        return f"{table} +{self.added} -{self.removed} ~{self.changed}"


@dataclass
class Changes:
    """The changes table's rows, and their counts per table; a table absent from the earlier run is not counted."""

    rows: list[dict[str, Any]]
    counts: dict[str, Counts]

    def lines(self, since: str = "since the last run") -> list[str]:
        """One line per table (`money +2 -1 ~3 since the last run`), or why there is nothing to compare."""
        if not self.counts:
            return ["no earlier tables to compare with"]
        return [f"{counts.line(table)} {since}".rstrip() for table, counts in self.counts.items()]

    def to_json(self) -> str:
        return json.dumps({"tables": {t: asdict(c) for t, c in self.counts.items()}, "changes": self.rows}, indent=2)


def read_table(path: Path, tracked: Tracked) -> pd.DataFrame | None:
    """The key, compared and position columns of one table's CSV, as strings (their exact text, see
    extract.cells); None when there is no such table."""
    wanted = {*tracked.key, *tracked.compared, "char_start", "char_end"}
    if not path.is_file():
        return None
    table = pd.read_csv(path, dtype=str, keep_default_na=False, usecols=lambda column: column in wanted)
    for column in table.columns:
        escaped = table[column].str.match(ESCAPED.pattern)
        if escaped.any():
            table.loc[escaped, column] = table.loc[escaped, column].str[1:]
    return table


def compare_table(name: str, old: pd.DataFrame, new: pd.DataFrame, tracked: Tracked) -> tuple[list[dict[str, Any]], Counts]:
    """The change rows of one table, and their counts.

    Columns one side lacks (a run made before the column existed) are not
    compared; neither are rule line numbers (see the module's docstring).
    Cells are compared column by column over the whole table; only the rows
    that differ are visited one by one.
    """
    key = list(tracked.key)
    compared = [c for c in tracked.compared if c in old.columns and c in new.columns]
    merged = numbered(old, key).merge(numbered(new, key), on=[*key, ORDER], how="outer", suffixes=("_old", "_new"),
                                      indicator=True, sort=False)
    side = merged["_merge"]
    both = merged[side == "both"]
    differs = {c: comparable(both[f"{c}_old"], c) != comparable(both[f"{c}_new"], c) for c in compared}
    changed = pd.DataFrame(differs, index=both.index).any(axis=1) if differs else pd.Series(False, index=both.index)
    rows = [change_row(name, "added", record, "_new") for record in merged[side == "right_only"].to_dict("records")]
    rows += [change_row(name, "removed", record, "_old") for record in merged[side == "left_only"].to_dict("records")]
    for index, record in zip(both.index[changed], both[changed].to_dict("records")):
        fields = [c for c in compared if differs[c][index]]
        rows.append({
            **change_row(name, "changed", record, "_new"),
            "fields": ";".join(fields),
            "before": ";".join(f"{c}={record[f'{c}_old']}" for c in fields),
            "after": ";".join(f"{c}={record[f'{c}_new']}" for c in fields),
        })
    counts = Counts(int((side == "right_only").sum()), int((side == "left_only").sum()), int(changed.sum()))
    return rows, counts


def numbered(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """The frame with each row's order among the rows equal in `key` (rows come sorted by position)."""
    return frame.assign(**{ORDER: frame.groupby(key, sort=False).cumcount()})


def comparable(values: pd.Series, column: str) -> pd.Series:
    """What is compared of a column: its values, but the rule without its line numbers."""
    return values.str.replace(LINE, "", regex=True) if column == "rule" else values


def change_row(table: str, change: str, record: dict[Hashable, Any], side: str) -> dict[str, Any]:
    """The columns every change row has; offsets are the new run's, so none for a removed row."""
    def cell(column: str) -> Any:
        return record.get(column, record.get(f"{column}{side}"))

    def offset(column: str) -> int | None:
        value = record.get(f"{column}{side}") if change != "removed" else None
        return int(value) if isinstance(value, str) and value else None

    old_start = record.get("char_start_old")
    return {
        "table": table, "change": change, "doc_id": cell("doc_id"), "text": cell("text") or None,
        "char_start": offset("char_start"), "char_end": offset("char_end"), "fields": None, "before": None, "after": None,
        "_at": int(old_start) if change == "removed" and isinstance(old_start, str) and old_start else None,
    }


def compare_tables(old: dict[str, Path], new: dict[str, Path]) -> Changes:
    """The changes from the tables at `old` to those at `new` (table name -> CSV path), in TRACKED's order."""
    rows: list[dict[str, Any]] = []
    counts: dict[str, Counts] = {}
    for name, tracked in TRACKED.items():
        if name not in old or name not in new:
            continue
        before, after = read_table(old[name], tracked), read_table(new[name], tracked)
        if before is None or after is None:
            continue  # a first run, or a table the earlier run did not write: nothing to compare
        table_rows, counts[name] = compare_table(name, before, after, tracked)
        rows.extend(sorted(table_rows, key=position))
    for row in rows:
        del row["_at"]
    return Changes(rows, counts)


def position(row: dict[str, Any]) -> tuple[str, int, str]:
    """Change rows in document order: by doc_id, then where the row stands (the old place for a removed one)."""
    at = row["char_start"] if row["char_start"] is not None else row["_at"]
    return (row["doc_id"], at if at is not None else -1, row["change"])


def csv_paths(folder: Path) -> dict[str, Path]:
    """Where each tracked table's CSV is in an output folder."""
    return {name: folder / f"{name}.csv" for name in TRACKED}


def compare_folders(old: Path, new: Path) -> Changes:
    """The changes from the tables in output folder OLD to those in NEW (`extract diff`)."""
    return compare_tables(csv_paths(old), csv_paths(new))
