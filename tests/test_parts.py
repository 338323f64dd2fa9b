"""A table longer than --part-rows is also a Parquet dataset of parts, beside the single CSV and Parquet files."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pyarrow.dataset as ds
import pyarrow.parquet as pq
from typer.testing import CliRunner

from extract.cli import app
from extract.tables import COLUMNS

from .conftest import RAW, RULES

PART_ROWS = 7  # raw/ gives tables of 5 to several hundred rows: some get parts, some do not


def run(out: Path, part_rows: int) -> None:
    """`extract run raw/` with --part-rows, as a user types it."""
    arguments = ["run", str(RAW), "--out", str(out), "--rules", str(RULES), "--workers", "1", "-q"]
    result = CliRunner().invoke(app, [*arguments, "--part-rows", str(part_rows)])
    assert result.exit_code == 0, result.output


def parts_of(out: Path, name: str) -> list[str]:
    return sorted(path.name for path in (out / name).glob("*")) if (out / name).is_dir() else []


def test_a_long_table_is_split_into_parts_holding_its_rows_in_order(tmp_path):
    run(tmp_path, PART_ROWS)
    split = 0
    for name in COLUMNS:
        whole = pq.read_table(tmp_path / f"{name}.parquet")
        assert len(pd.read_csv(tmp_path / f"{name}.csv")) == whole.num_rows  # the contract's files are still written
        if whole.num_rows <= PART_ROWS:
            assert parts_of(tmp_path, name) == [], name
            continue
        split += 1
        count = math.ceil(whole.num_rows / PART_ROWS)
        assert parts_of(tmp_path, name) == [f"part-{i:05d}.parquet" for i in range(count)], name
        sizes = [pq.read_metadata(tmp_path / name / f"part-{i:05d}.parquet").num_rows for i in range(count)]
        assert sizes[:-1] == [PART_ROWS] * (count - 1) and 0 < sizes[-1] <= PART_ROWS
        assert ds.dataset(tmp_path / name, format="parquet").to_table().equals(whole), name
    assert split >= 3  # money, dates, programs at least: the test sees parts at all


def test_a_later_run_leaves_no_part_of_an_earlier_one(tmp_path):
    run(tmp_path, 3)
    rows = {name: pq.read_metadata(tmp_path / f"{name}.parquet").num_rows for name in COLUMNS}
    assert len(parts_of(tmp_path, "dates")) == math.ceil(rows["dates"] / 3)
    run(tmp_path, PART_ROWS)
    for name in COLUMNS:
        expected = math.ceil(rows[name] / PART_ROWS) if rows[name] > PART_ROWS else 0
        assert len(parts_of(tmp_path, name)) == expected, name
    run(tmp_path, 1_000_000)
    assert [name for name in COLUMNS if (tmp_path / name).exists()] == []
    left = sorted(path.name for path in tmp_path.iterdir() if path.name.startswith("."))
    assert left == [".cache", ".lock"]  # the cache and the run lock: no temporary left
