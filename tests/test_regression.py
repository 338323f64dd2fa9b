"""Snapshots of the tables for raw/: any change in a row of ours shows as a diff.

Ours are the rows the project's own code and rules decide: money, dates,
programs, facts, documents, changes, and the entities that the rule components
add (source is not `ner`). An intended change is accepted with `pytest
tests/test_regression.py --force-regen` after reviewing the diff (see
docs/evaluation.md). The snapshot holds the CSV cells as strings, so it is the
same on every machine: paths are relative to raw/, sha256 is of the raw bytes,
and no timing is recorded.

The statistical model's own entities are not snapshotted row by row: any model
update would rewrite hundreds of rows that nobody reviews. Their count per label
is checked against a band instead (ner_counts.yml says why that band).
"""
from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
import yaml

from extract.tables import TABLES

NER_COUNTS = Path(__file__).parent / "test_regression" / "ner_counts.yml"
BAND_SHARE = 0.15  # a label's count may move this share of its baseline ...
BAND_FLOOR = 3  # ... or this many entities, whichever is more


def read_table(out: Path, table: str) -> list[dict[str, str]]:
    with (out / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("table", [table for table in TABLES if table != "entities"])
def test_table_matches_its_snapshot(raw_run, data_regression, table):
    out, _ = raw_run
    data_regression.check({table: read_table(out, table)}, basename=table)


def test_rule_component_entities_match_their_snapshot(raw_run, data_regression):
    out, _ = raw_run
    rows = [row for row in read_table(out, "entities") if row["source"] != "ner"]
    data_regression.check({"entities": rows}, basename="entities_rules")


def within_band(baseline: int, count: int) -> bool:
    """Whether a label's count is near enough its baseline for a model update, and far from a broken stage."""
    return abs(count - baseline) <= max(BAND_SHARE * baseline, BAND_FLOOR)


def test_statistical_entities_per_label_stay_within_their_band(raw_run):
    out, _ = raw_run
    counts = Counter(row["label"] for row in read_table(out, "entities") if row["source"] == "ner")
    baseline = yaml.safe_load(NER_COUNTS.read_text(encoding="utf-8"))
    outside = {
        label: f"{counts[label]} (baseline {baseline.get(label, 0)})"
        for label in sorted(baseline.keys() | counts.keys())
        if not within_band(baseline.get(label, 0), counts[label])
    }
    assert outside == {}
