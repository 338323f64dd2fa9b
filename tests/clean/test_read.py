"""Finding the documents under RAW: what is read, and what a run wrote there is not."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from extract.clean.read import find_documents
from extract.pipeline import run
from extract.rules import RULE_FILES

from ..conftest import RAW, RULES

# (files under the test folder, RAW, OUT, the doc_ids found, the other files listed as skipped).
# Paths are relative to the test folder; every run leaves documents.csv beside clean/ in OUT (TABLES.md);
# a rules folder holds every rule file.
LAYOUTS = [
    (["raw/a.txt", "raw/out/clean/a.txt", "raw/out/notes.txt"], "raw", "raw/out", ["a"], []),
    (["raw/a.txt", "raw/b/c.txt"], "raw", "out", ["a", "b/c"], []),
    (["raw/a.txt", "raw/sub/out/clean/a.txt"], "raw", "raw/sub/../sub/out", ["a"], []),
    (["raw/a.txt", "raw/old/documents.csv", "raw/old/clean/a.txt", "raw/old/clean/x/b.txt"], "raw", "out", ["a"], []),
    (["raw/a.txt", "raw/old/documents.csv", "raw/old/clean/a.txt"], "raw", None, ["a"], []),
    (["raw/a.txt", "raw/documents.csv", "raw/clean/a.txt", "raw/review/index.html", "raw/review/docs/0.js"], "raw", "raw",
     ["a"], ["documents.csv"]),
    (["raw/a.txt", "raw/clean/b.txt"], "raw", "raw", ["a"], []),
    (["out/raw/a.txt", "out/clean/a.txt"], "out/raw", "out", ["a"], []),
    (["raw/a.txt", "raw/clean/b.txt", "raw/tables/documents.csv"], "raw", "out", ["a", "clean/b"], ["tables/documents.csv"]),
    (["raw/a.txt", "raw/clean/b.txt"], "raw", "raw/out", ["a", "clean/b"], []),
    (["p/raw/a.txt", "p/README.md", *(f"p/rules/{name}" for name in RULE_FILES), "p/output/documents.csv",
      "p/output/clean/a.txt", "p/output/money.parquet"], "p", "p/output", ["README", "raw/a"], []),
    (["raw/a.txt", *(f"raw/old/{name}" for name in RULE_FILES[1:])], "raw", "out", ["a"],
     [f"old/{name}" for name in RULE_FILES[1:]]),
]


@pytest.mark.parametrize(
    ("files", "raw", "out", "documents", "skipped"),
    LAYOUTS,
    ids=[
        "out-inside-raw-is-skipped-whole", "out-elsewhere", "out-written-with-dots",
        "an-earlier-runs-output-inside-raw", "an-earlier-output-without-out", "out-is-raw-skips-its-clean-texts-and-review",
        "out-is-raw-before-its-first-run", "raw-inside-out", "a-folder-named-clean-alone-is-read",
        "raws-own-clean-folder-beside-out", "a-project-folder-without-its-rules-and-output",
        "some-rule-files-alone-are-no-rules-folder",
    ],
)
def test_what_a_run_wrote_and_rules_under_raw_are_no_documents(tmp_path, files, raw, out, documents, skipped):
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("The FMF program gave $5 million in 2015.\n", encoding="utf-8")
    found = find_documents(tmp_path / raw, tmp_path / out if out else None)
    assert [p.relative_to(found.root).with_suffix("").as_posix() for p in found.documents] == documents
    assert [p.relative_to(found.root).as_posix() for p in found.skipped] == skipped


def test_a_second_run_into_an_output_folder_inside_raw_reads_the_same_documents(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / "nato-relations-with-iraq.txt", raw)
    first = run(raw, raw / "out", RULES)
    second = run(raw, raw / "out", RULES)
    assert (first.ok, second.ok, second.failed, second.skipped) == (1, 1, 0, [])
    documents = pd.read_csv(raw / "out" / "documents.csv", dtype=str)
    assert list(documents.doc_id) == ["nato-relations-with-iraq"]
