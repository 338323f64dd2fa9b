"""Bad documents get an error row and a one-line message; the good ones still get their rows."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import extract
from extract import pipeline
from extract.pipeline import run

from .conftest import RAW, RULES

GOOD = "nato-relations-with-iraq"


def folder_with(tmp_path: Path, name: str, data: bytes) -> Path:
    """A RAW folder holding one good text and one file with the given bytes."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / f"{GOOD}.txt", raw / f"{GOOD}.txt")
    (raw / name).write_bytes(data)
    return raw


def documents(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False).set_index("doc_id")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\t\n   \n", "only whitespace"),
        ("binary.txt", bytes(range(256)) * 40, "binary file"),
        ("boilerplate.txt", b"Join the GlobalSecurity.org mailing list\n\nPage last modified: 06-01-2020\n", "nothing left after cleaning"),
    ],
    ids=["empty", "whitespace-only", "binary", "all-boilerplate"],
)
def test_bad_document_is_an_error_row_and_the_good_one_is_kept(tmp_path, name, data, message):
    raw = folder_with(tmp_path, name, data)
    summary = run(raw, tmp_path / "out", RULES)
    table = documents(tmp_path / "out")
    bad = table.loc[Path(name).stem]
    assert bad.status == "error"
    assert message in bad.error and name in bad.error
    assert "\n" not in bad.error
    assert table.loc[GOOD].status == "ok"
    money = pd.read_csv(tmp_path / "out" / "money.csv", dtype=str)
    assert set(money.doc_id) == {GOOD} or len(money) == 0
    programs = pd.read_csv(tmp_path / "out" / "programs.csv", dtype=str)
    assert set(programs.doc_id) == {GOOD}
    assert (summary.ok, summary.failed) == (1, 1)


def test_latin1_text_is_decoded_and_says_so(tmp_path):
    text = "Aid of £600m was agreed in café talks on 3 March 2005.\n".encode("cp1252")
    raw = folder_with(tmp_path, "latin.txt", text * 20)
    run(raw, tmp_path / "out", RULES)
    row = documents(tmp_path / "out").loc["latin"]
    assert row.status == "ok"
    assert row.encoding != "utf-8"
    clean = (tmp_path / "out" / "clean" / "latin.txt").read_text(encoding="utf-8")
    assert "£600m" in clean and "café" in clean


def test_a_huge_file_is_refused_without_reading_it(tmp_path):
    raw = folder_with(tmp_path, "huge.txt", b"")
    with (raw / "huge.txt").open("wb") as handle:
        line = b"The United States provided $5 million in 2015 to the program. " * 16 + b"\n"
        for _ in range(50_000_000 // len(line) + 1):
            handle.write(line)
    run(raw, tmp_path / "out", RULES)
    row = documents(tmp_path / "out").loc["huge"]
    assert row.status == "error" and "MB" in row.error and "huge.txt" in row.error


def test_a_file_deleted_mid_run_is_an_error_row(tmp_path, monkeypatch):
    raw = folder_with(tmp_path, "zz-vanishing.txt", b"The FMF program gave $5 million in 2015.\n")
    listed = pipeline.find_documents

    def list_then_delete(folder: Path, out: Path):  # documents are read in batches: delete it after listing, before reading
        found = listed(folder, out)
        (raw / "zz-vanishing.txt").unlink()
        return found

    monkeypatch.setattr(pipeline, "find_documents", list_then_delete)
    summary = run(raw, tmp_path / "out", RULES)
    row = documents(tmp_path / "out").loc["zz-vanishing"]
    assert row.status == "error" and "disappeared" in row.error
    assert summary.failed == 1


def test_an_interrupted_run_leaves_the_old_tables_whole(tmp_path):
    raw = folder_with(tmp_path, "second.txt", b"The FMF program gave $5 million in 2015.\n")
    out = tmp_path / "out"
    run(raw, out, RULES)
    before = {p.name: p.read_bytes() for p in out.glob("*.*") if p.is_file()}  # the tables, not .cache/

    def interrupt(_: str) -> None:
        raise KeyboardInterrupt

    (raw / "third.txt").write_text("Another $7 million in 2016.\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        run(raw, out, RULES, on_document=interrupt)
    after = {p.name: p.read_bytes() for p in out.glob("*.*") if p.is_file()}
    assert after == before
    assert not list(out.glob(".*.tmp"))


def test_a_single_file_can_be_run(tmp_path):
    summary = extract.run(RAW / f"{GOOD}.txt", tmp_path, RULES)
    assert summary.ok == 1
    assert list(documents(tmp_path).index) == [GOOD]


def test_a_megabyte_without_spaces_is_dropped_and_the_article_kept(tmp_path):
    """Before cleaning dropped such runs, spaCy's tokenizer took time quadratic in their length."""
    article = b"Iraq received $5 million in Foreign Military Financing in 2015.\n\n"
    raw = folder_with(tmp_path, "garbage.txt", article + b"$" * 1_000_000 + b"\n")
    summary = run(raw, tmp_path / "out", RULES)
    assert summary.failed == 0
    money = pd.read_csv(tmp_path / "out" / "money.csv", dtype=str, keep_default_na=False)
    assert list(money[money.doc_id == "garbage"].text) == ["$5 million"]
