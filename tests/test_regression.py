"""Snapshots of the five tables for raw/: any change in any row shows as a diff.

An intended change is accepted with `pytest tests/test_regression.py
--force-regen` after reviewing the diff (see docs/evaluation.md). The snapshot
holds the CSV cells as strings, so it is the same on every machine: paths are
relative to raw/, sha256 is of the raw bytes, and no timing is recorded.
"""
from __future__ import annotations

import csv

import pytest

from extract.tables import TABLES


@pytest.mark.parametrize("table", TABLES)
def test_table_matches_its_snapshot(raw_run, data_regression, table):
    out, _ = raw_run
    with (out / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    data_regression.check({table: rows}, basename=table)
