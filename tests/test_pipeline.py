"""End to end on raw/: the five tables, their columns, offsets, order and determinism."""
from __future__ import annotations

import csv
import filecmp
import importlib.util
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import extract
from extract.cells import read_csv_text
from extract.clean.document import clean_document, count_site_lines
from extract.clean.read import doc_id_of, find_documents, read_document
from extract.clean.rules import load_cleaning_rules
from extract.cli import app
from extract.nlp import make_doc
from extract.tables import COLUMNS, doc_rows
from extract.write import csv_cell

from .conftest import FIXTURES, RAW, RULES, SHARED

SPAN_TABLES = ("entities", "money", "dates", "programs", "facts")

CONTRACT = {  # the columns ../shared/TABLES.md fixes, in order
    "documents": ["doc_id", "path", "title", "published", "source", "sha256", "chars_raw", "chars_clean", "status", "error"],
    "entities": ["doc_id", "char_start", "char_end", "text", "sentence", "label", "source"],
    "money": ["doc_id", "char_start", "char_end", "text", "sentence", "amount", "currency", "qualifier", "amount_high"],
    "dates": ["doc_id", "char_start", "char_end", "text", "sentence", "date_start", "date_end", "granularity", "relation"],
    "programs": ["doc_id", "char_start", "char_end", "text", "sentence", "program_id", "program_name"],
    "facts": ["doc_id", "char_start", "char_end", "text", "sentence", "amount", "currency", "qualifier", "amount_high",
              "program_id", "date_start", "date_end", "granularity", "recipient", "provider", "repeat_of", "rule", "flags"],
}


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.mark.parametrize("table", list(CONTRACT))
def test_table_has_the_contract_columns_first(raw_run, table):
    out, _ = raw_run
    for frame in (read_csv(out / f"{table}.csv"), pq.read_table(out / f"{table}.parquet").to_pandas()):
        assert list(frame.columns[: len(CONTRACT[table])]) == CONTRACT[table]


def test_every_raw_text_is_a_documents_row(raw_run):
    out, summary = raw_run
    documents = read_csv(out / "documents.csv")
    assert sorted(documents.doc_id) == sorted(p.stem for p in RAW.glob("*.txt"))
    assert set(documents.status) == {"ok"}
    assert summary.ok == len(documents) and summary.failed == 0


@pytest.mark.parametrize("table", ["entities", "money", "dates", "programs", "facts"])
def test_offsets_point_into_the_clean_text(raw_run, table):
    out, _ = raw_run
    rows = read_csv(out / f"{table}.csv")
    assert len(rows) > 0
    for row in rows.itertuples():
        clean = (out / "clean" / f"{row.doc_id}.txt").read_text(encoding="utf-8")
        assert clean[int(row.char_start) : int(row.char_end)] == row.text
        assert row.text in row.sentence


@pytest.mark.parametrize("table", ["entities", "money", "dates", "programs", "facts"])
def test_rows_are_sorted_by_document_then_offset(raw_run, table):
    out, _ = raw_run
    rows = read_csv(out / f"{table}.csv")
    key = list(zip(rows.doc_id, rows.char_start.astype(int)))
    assert key == sorted(key)


def test_parquet_carries_real_types(raw_run):
    out, _ = raw_run
    money = pq.read_schema(out / "money.parquet")
    dates = pq.read_schema(out / "dates.parquet")
    assert str(money.field("amount").type) == "double"
    assert str(money.field("char_start").type) == "int64"
    assert str(dates.field("date_start").type) == "date32[day]"
    assert str(pq.read_schema(out / "documents.parquet").field("published").type) == "date32[day]"


def test_a_second_run_is_byte_identical(raw_run, tmp_path):
    out, _ = raw_run
    extract.run(RAW, tmp_path, RULES)
    for table in COLUMNS:
        for ext in ("csv", "parquet"):
            assert filecmp.cmp(out / f"{table}.{ext}", tmp_path / f"{table}.{ext}", shallow=False), f"{table}.{ext}"


def test_the_shared_table_checker_passes(raw_run):
    """--base: the five first tables; the provenance columns are checked against the checker's list below
    (the full check also wants the facts table and the review report, which other stages write)."""
    out, _ = raw_run
    checker = SHARED / "tools" / "check_tables.py"
    result = subprocess.run([sys.executable, str(checker), str(out), "--base"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def shared_checker():
    """../shared/tools/check_tables.py as a module, for the column lists it checks."""
    spec = importlib.util.spec_from_file_location("check_tables", SHARED / "tools" / "check_tables.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("table", ["money", "dates", "programs"])
def test_provenance_columns_are_the_shared_checkers(raw_run, table):
    out, _ = raw_run
    columns = list(read_csv(out / f"{table}.csv").columns)
    assert columns[: len(CONTRACT[table])] == CONTRACT[table]
    assert columns[-len(shared_checker().PROVENANCE) :] == shared_checker().PROVENANCE


def test_no_temporary_files_are_left(raw_run):
    out, _ = raw_run
    assert not list(out.glob(".*.tmp"))


def test_a_saved_pipeline_gives_the_same_tables_without_rules_dir(tmp_path, raw_run):
    """Rules travel with the pipeline: save, delete the rules, load, and get the same rows."""
    import shutil

    import spacy

    from extract.nlp import make_doc
    from extract.tables import doc_rows

    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    nlp = extract.load_pipeline(rules)
    nlp.to_disk(tmp_path / "saved")
    shutil.rmtree(rules)
    loaded = spacy.load(tmp_path / "saved")
    out, _ = raw_run
    for clean in sorted((out / "clean").glob("*.txt")):
        text = clean.read_text(encoding="utf-8")
        fresh = doc_rows(nlp(make_doc(nlp, text, None, clean.stem)), clean.stem)
        again = doc_rows(loaded(make_doc(loaded, text, None, clean.stem)), clean.stem)
        assert again == fresh
        assert fresh["money"] or fresh["dates"] or fresh["programs"]


def test_a_missing_rule_file_is_a_rule_error(tmp_path):
    import shutil

    from extract.errors import RuleError

    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    (rules / "dates.yml").unlink()
    with pytest.raises(RuleError, match=r"dates\.yml: rule file not found"):
        extract.load_pipeline(rules)


def test_a_sites_date_order_reaches_the_dates_table(tmp_path):
    """Made-up pages of two sites rules/cleaning.yml knows, each with 06-01-2020 in its body and no
    other date to tell the order: GlobalSecurity.org (by its name in the page) writes day first,
    the Department of Defense (by its file name) month first."""
    raw = tmp_path / "raw"
    raw.mkdir()
    body = "Iraq and the United States signed the training accord on 06-01-2020 in Baghdad, officials said."
    (raw / "accord.txt").write_text(f"Training accord signed\n\n{body}\n\nJoin the GlobalSecurity.org mailing list\n", encoding="utf-8")
    (raw / "dod-accord.txt").write_text(f"Training accord signed\n\n{body}\n", encoding="utf-8")
    extract.run(raw, tmp_path / "out", RULES, workers=1, cache=False)
    dates = read_csv(tmp_path / "out" / "dates.csv")
    found = {(row.doc_id, row.text): (row.date_start, row.date_end) for row in dates.itertuples()}
    assert found == {
        ("accord", "06-01-2020"): ("2020-01-06", "2020-01-06"),
        ("dod-accord", "06-01-2020"): ("2020-06-01", "2020-06-01"),
    }


@pytest.mark.parametrize("folder", [RAW, FIXTURES / "texts"], ids=["raw", "fixtures"])
def test_the_nlp_object_gives_the_rows_extract_run_writes(folder, nlp, tmp_path):
    """One entry point: a file cleaned and passed through `nlp` gives the rows `extract run` wrote for it."""
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", str(folder), "--out", str(out), "--rules", str(RULES), "--quiet"])
    assert result.exit_code == 0, result.output
    cleaning = load_cleaning_rules(RULES)
    found = find_documents(folder)
    site_lines = count_site_lines(found.documents, found.root, cleaning)
    written = {  # each cell's exact text: a sentence that starts like a formula ("- Canada has ...") is written "'- Canada ..."
        table: [{key: read_csv_text(cell) for key, cell in row.items()} for row in csv.DictReader((out / f"{table}.csv").open(encoding="utf-8"))]
        for table in SPAN_TABLES
    }
    for path in found.documents:
        doc_id = doc_id_of(path, found.root)
        cleaned = clean_document(read_document(path, found.root), cleaning, site_lines)
        rows = doc_rows(nlp(make_doc(nlp, cleaned, doc_id=doc_id)), doc_id)
        for table in SPAN_TABLES:
            from_python = [{column: csv_cell(row[column]) for column in COLUMNS[table]} for row in rows[table]]
            from_cli = [row for row in written[table] if row["doc_id"] == doc_id]
            assert from_python == from_cli, f"{doc_id}: {table}"


def test_sentences_start_at_lines_stops_and_opening_quotes(nlp):
    doc = nlp('He said. "We will go." Then she left. It is the U.S. Army.\nA heading\nNext line.')
    sentences = [s.text.strip() for s in doc.sents if s.text.strip()]
    assert sentences == ["He said.", '"We will go."', "Then she left.", "It is the U.S. Army.", "A heading", "Next line."]


def test_blank_lines_end_the_sentence_before_them(nlp):
    """A blank line is no sentence of its own: facts read "the sentence before" an amount."""
    doc = nlp("Aides said so.\n\nThe House agreed.  \nA heading\n\n\nEnd.")
    assert [s.text for s in doc.sents] == ["Aides said so.\n\n", "The House agreed.  \n", "A heading\n\n\n", "End."]


def test_a_title_before_a_name_ends_no_sentence(nlp):
    doc = nlp("It was said by Army Maj. Gen. Matt McFarlane and Lt. Col. Ann Lee. Then it rained.")
    assert [s.text for s in doc.sents] == ["It was said by Army Maj. Gen. Matt McFarlane and Lt. Col. Ann Lee.", "Then it rained."]
