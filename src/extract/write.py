"""Write the tables as CSV and Parquet, whole or not at all, and the cleaned texts.

Rows arrive in order (documents sorted by doc_id, rows by char_start), so
tables are streamed to temporary files in chunks and renamed into place only
when the run completes: memory stays flat, an interrupted run leaves the old
tables untouched, and the same input gives byte-identical files.

A table longer than `part_rows` rows is also written as a partitioned Parquet
dataset, `OUT/<table>/part-00000.parquet`, ... of `part_rows` rows each, for
readers (Dask, Spark, DuckDB) that take a large table a part at a time.
"""
from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .cells import csv_text
from .changes import Changes, compare_tables, csv_paths
from .tables import COLUMNS, Rows

ARROW_TYPES = {
    "str": pa.string(), "int": pa.int64(), "decimal": pa.float64(), "date": pa.date32(), "bool": pa.bool_(),
}
CHUNK_ROWS = 20_000  # rows buffered per table before a Parquet row group is written
PART_ROWS = 1_000_000  # rows per part of a table's Parquet dataset; a table no longer than this gets no dataset
PART_NAME = "part-{:05d}.parquet"


def csv_cell(value: Any) -> str:
    """ISO dates, exact decimals (never 1.25e+09), empty for missing."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def csv_cells(values: list[Any], kind: str) -> list[Any]:
    """A column's CSV cells; the csv module itself writes whole numbers as they are, None as empty;
    text that starts like a formula gets a `'` (extract.cells)."""
    if kind == "int":
        return values
    if kind == "str":
        return [csv_text(value) for value in values]
    return [csv_cell(value) for value in values]


def arrow_values(values: list[Any], kind: str) -> list[Any]:
    """Decimals become floats only here, at the Parquet boundary."""
    if kind == "decimal":
        return [None if value is None else float(value) for value in values]
    return values


class Parts:
    """One table's rows as Parquet files of `size` rows each, in a temporary folder, begun as the rows come."""

    def __init__(self, folder: Path, schema: pa.Schema, size: int) -> None:
        self.folder, self.schema, self.size = folder, schema, size
        self.count = 0  # parts begun
        self.rows_in_part = 0
        self.writer: pq.ParquetWriter | None = None

    def write(self, table: pa.Table) -> None:
        """Append rows, starting the next part whenever the current one is full."""
        done = 0
        while done < table.num_rows:
            if self.writer is None or self.rows_in_part == self.size:
                self.next_part()
            assert self.writer is not None  # next_part() opened one
            take = min(self.size - self.rows_in_part, table.num_rows - done)
            self.writer.write_table(table.slice(done, take))
            done += take
            self.rows_in_part += take

    def next_part(self) -> None:
        self.close()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.writer = pq.ParquetWriter(self.folder / PART_NAME.format(self.count), self.schema)
        self.count += 1
        self.rows_in_part = 0

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    def put_in_place(self, dataset: Path) -> None:
        """Replace the earlier run's dataset at `dataset` with these parts, or only remove it for a table of one part."""
        self.close()
        remove_dataset(dataset)
        if self.count > 1:
            os.replace(self.folder, dataset)
        else:
            shutil.rmtree(self.folder, ignore_errors=True)

    def discard(self) -> None:
        self.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def remove_dataset(folder: Path) -> None:
    """Delete a table's Parquet dataset: its part files, then the folder if nothing else is in it."""
    if not folder.is_dir():
        return
    for part in folder.glob("part-*.parquet"):
        part.unlink()
    if not any(folder.iterdir()):
        folder.rmdir()


class TableWriter:
    """Streams rows of every table into temporary files; `commit` renames them into place."""

    def __init__(self, out: Path, part_rows: int = PART_ROWS, before_rename: Callable[[], None] | None = None) -> None:
        self.out = out
        self.before_rename = before_rename  # the cleaned texts' swap, done once every table is complete
        out.mkdir(parents=True, exist_ok=True)
        self.pending: dict[str, list[dict[str, Any]]] = {name: [] for name in COLUMNS}
        self.temporary: list[Path] = []
        self.changes = Changes([], {})  # against the tables already in OUT; set by commit
        self.csv_files = {}
        self.csv_writers = {}
        self.parquet_writers = {}
        self.parts = {}
        for name, columns in COLUMNS.items():
            csv_path = self.temp_path(f"{name}.csv")
            handle = csv_path.open("w", encoding="utf-8", newline="")
            self.csv_files[name] = handle
            self.csv_writers[name] = csv.writer(handle, lineterminator="\n")
            self.csv_writers[name].writerow(columns)
            schema = pa.schema([(c, ARROW_TYPES[k]) for c, k in columns.items()])
            self.parquet_writers[name] = pq.ParquetWriter(self.temp_path(f"{name}.parquet"), schema)
            self.parts[name] = Parts(self.pending_path(f"{name}.parts"), schema, part_rows)

    def temp_path(self, name: str) -> Path:
        path = self.pending_path(name)
        self.temporary.append(path)
        return path

    def pending_path(self, name: str) -> Path:
        """Where a table file is written before commit moves it into place."""
        return self.out / f".{name}.{os.getpid()}.tmp"

    def add(self, rows: Rows) -> None:
        """Queue rows (already in order) and flush the tables whose buffer is full."""
        for name, table_rows in rows.items():
            self.pending[name].extend(table_rows)
            if len(self.pending[name]) >= CHUNK_ROWS:
                self.flush(name)

    def flush(self, name: str) -> None:
        rows = self.pending[name]
        if not rows:
            return
        columns = {c: [row.get(c) for row in rows] for c in COLUMNS[name]}  # column by column: one pass per column
        self.csv_writers[name].writerows(zip(*(csv_cells(values, COLUMNS[name][c]) for c, values in columns.items())))
        arrays = {c: arrow_values(values, COLUMNS[name][c]) for c, values in columns.items()}
        table = pa.table(arrays, schema=self.parquet_writers[name].schema)
        self.parquet_writers[name].write_table(table)
        self.parts[name].write(table)
        self.pending[name] = []

    def commit(self) -> None:
        """Flush everything, write the changes against the tables already in OUT, and move each table into place."""
        tables = [name for name in COLUMNS if name != "changes"]
        for name in tables:
            self.close(name)
        written = {name: self.pending_path(f"{name}.csv") for name in tables}
        self.changes = compare_tables(csv_paths(self.out), written)
        self.add({"changes": self.changes.rows})
        self.close("changes")
        if self.before_rename:
            self.before_rename()
        for name in COLUMNS:
            for ext in ("csv", "parquet"):
                os.replace(self.out / f".{name}.{ext}.{os.getpid()}.tmp", self.out / f"{name}.{ext}")
            self.parts[name].put_in_place(self.out / name)
        self.temporary.clear()

    def close(self, name: str) -> None:
        self.flush(name)
        self.csv_files[name].close()
        self.parquet_writers[name].close()

    def discard(self) -> None:
        """Close and delete the temporary files; the previous tables stay as they were."""
        for name in COLUMNS:
            self.csv_files[name].close()
            self.parquet_writers[name].close()
            self.parts[name].discard()
        for path in self.temporary:
            path.unlink(missing_ok=True)

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            try:
                self.commit()
            except BaseException:  # a full disk while the last rows go out: no temporary file stays behind
                self.discard()
                raise
        else:
            self.discard()


def write_file(path: Path, data: str | bytes) -> None:
    """Write a file atomically (a temporary file, then a rename), text as UTF-8: never half written.

    The temporary name holds the process id, so worker processes writing the same
    file (a cache entry) never share a temporary file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(temporary, path)
    except BaseException:  # a full disk, Ctrl-C: no half-written temporary stays behind
        temporary.unlink(missing_ok=True)
        raise


def write_in_place(path: Path, data: str | bytes) -> None:
    """Write over a file where it lies, then cut it to the new length: only for a file in a run's own staging
    folder, swapped in whole or thrown away (extract.outfolder), or one whose reader tells a torn or mixed
    file (a sealed cache entry). On ext4 the temporary file and rename of write_file, or emptying the file
    first, make the disk flush it: for a re-run, which rewrites a small file per document, that was 10 times
    the cost of this."""
    content = data.encode("utf-8") if isinstance(data, str) else data
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, 0o666)
    except FileNotFoundError:  # the first file in its folder
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, 0o666)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
        handle.truncate()  # at the end of what was written: a longer old content goes
