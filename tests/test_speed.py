"""Batches, workers and the cache: the same tables whatever the route, and rule edits always take effect.

No timings here (they belong to tools/bench.py); these check what must hold
for the speed-ups to be safe.
"""
from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc
from typer.testing import CliRunner

import extract
from extract import pipeline
from extract.cli import app
from extract.tables import COLUMNS

from .conftest import RAW, RULES, add_program

TEXTS = ["dod-iraq-us-strengthen-defense-partnership.txt", "nato-relations-with-iraq.txt"]
model_calls: list[str] = []  # texts the spy component saw, i.e. that went through the model


@Language.component("test_model_spy")
def model_spy(doc: Doc) -> Doc:
    """Stands in the statistical part of the pipeline and notes every Doc that reaches it."""
    model_calls.append(doc.text)
    return doc


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    """Two raw texts and an empty file (an error row), small enough for many runs."""
    folder = tmp_path / "raw"
    folder.mkdir()
    for name in TEXTS:
        shutil.copy(RAW / name, folder)
    (folder / "empty.txt").write_bytes(b"")
    return folder


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    return folder


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Put test_model_spy before the model's components in every pipeline the run loads."""
    load = pipeline.load_pipeline

    def load_with_spy(rules_dir):
        nlp = load(rules_dir)
        nlp.add_pipe("test_model_spy", first=True)
        return nlp

    monkeypatch.setattr(pipeline, "load_pipeline", load_with_spy)
    model_calls.clear()
    return model_calls


def same_tables(a: Path, b: Path) -> list[str]:
    """The table files that differ between two output folders."""
    return [
        f"{name}.{ext}" for name in COLUMNS for ext in ("csv", "parquet")
        if not filecmp.cmp(a / f"{name}.{ext}", b / f"{name}.{ext}", shallow=False)
    ]


def test_one_and_two_workers_write_identical_tables(raw, rules, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_DOCS", 1)  # three batches, so two workers both get work
    one = extract.run(raw, tmp_path / "one", rules, workers=1, cache=False)
    two = extract.run(raw, tmp_path / "two", rules, workers=2, cache=False)
    assert (one.workers, two.workers) == (1, 2)
    assert same_tables(tmp_path / "one", tmp_path / "two") == []
    assert (two.ok, two.failed) == (2, 1) and "empty.txt: empty file" in two.errors[0]


def test_a_cache_hit_does_not_run_the_model(raw, rules, tmp_path, spy):
    extract.run(raw, tmp_path / "out", rules, workers=1)
    assert len(spy) == 2
    spy.clear()
    summary = extract.run(raw, tmp_path / "out", rules, workers=1)
    assert spy == []
    assert summary.cached == 2


def test_rows_from_the_cache_equal_rows_from_the_model(raw, rules, tmp_path):
    extract.run(raw, tmp_path / "cold", rules, workers=1, cache=False)
    extract.run(raw, tmp_path / "warm", rules, workers=1)
    summary = extract.run(raw, tmp_path / "warm", rules, workers=1)
    assert summary.cached == 2
    assert same_tables(tmp_path / "cold", tmp_path / "warm") == []


def test_a_rules_edit_takes_effect_on_cached_documents(raw, rules, tmp_path):
    out = tmp_path / "out"
    extract.run(raw, out, rules, workers=1)
    assert "ZZTEST" not in (out / "programs.csv").read_text(encoding="utf-8")
    add_program(rules, "ZZTEST", "Secretary Austin")
    summary = extract.run(raw, out, rules, workers=1)
    assert summary.cached == 2
    rows = [line for line in (out / "programs.csv").read_text(encoding="utf-8").splitlines() if ",ZZTEST," in line]
    assert rows and all(row.startswith("dod-iraq-us-strengthen-defense-partnership,") for row in rows)


def test_a_corrupt_cache_entry_is_ignored_and_rebuilt(raw, rules, tmp_path, spy):
    out = tmp_path / "out"
    extract.run(raw, out, rules, workers=1)
    shutil.copytree(out, tmp_path / "first", ignore=shutil.ignore_patterns(".cache", "clean"))
    entries = sorted((out / ".cache").rglob("*.spacy"))
    assert len(entries) == 2
    entries[0].write_bytes(b"not a DocBin")
    entries[1].write_bytes(entries[1].read_bytes()[:100])  # truncated
    spy.clear()
    summary = extract.run(raw, out, rules, workers=1)
    assert summary.cached == 0 and len(spy) == 2
    assert same_tables(tmp_path / "first", out) == []
    assert extract.run(raw, out, rules, workers=1).cached == 2


@pytest.fixture
def cleaned(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the documents the run cleans (not those whose cleaned text came from the cache)."""
    seen: list[str] = []
    clean = pipeline.clean_document

    def clean_and_note(raw, *args):
        seen.append(raw.path)
        return clean(raw, *args)

    monkeypatch.setattr(pipeline, "clean_document", clean_and_note)
    return seen


def test_only_a_cleaning_rules_edit_cleans_again(raw, rules, tmp_path, cleaned):
    out = tmp_path / "out"
    extract.run(raw, out, rules, workers=1)
    assert sorted(cleaned) == TEXTS
    cleaned.clear()
    add_program(rules, "ZZTEST", "Secretary Austin")
    extract.run(raw, out, rules, workers=1)
    assert cleaned == []
    with (rules / "cleaning.yml").open("a", encoding="utf-8") as rule_file:
        rule_file.write("\n# an edit\n")
    extract.run(raw, out, rules, workers=1)
    assert sorted(cleaned) == TEXTS


def test_a_corrupt_cleaned_entry_is_cleaned_again(raw, rules, tmp_path, cleaned):
    out = tmp_path / "out"
    extract.run(raw, out, rules, workers=1)
    shutil.copytree(out, tmp_path / "first", ignore=shutil.ignore_patterns(".cache", "clean"))
    entries = sorted((out / ".cache" / "clean").rglob("*.pickle"))
    assert len(entries) == 2
    entries[0].write_bytes(b"not a pickle")
    entries[1].write_bytes(entries[1].read_bytes()[:50])
    cleaned.clear()
    extract.run(raw, out, rules, workers=1)
    assert sorted(cleaned) == TEXTS
    assert same_tables(tmp_path / "first", out) == []


def test_no_cache_neither_reads_nor_writes_it(raw, rules, tmp_path):
    extract.run(raw, tmp_path / "out", rules, workers=1, cache=False)
    assert not (tmp_path / "out" / ".cache").exists()


def test_interrupting_a_run_keeps_the_previous_tables(raw, rules, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_DOCS", 1)
    out = tmp_path / "out"
    extract.run(raw, out, rules, workers=1, cache=False)
    before = {path.name: path.read_bytes() for path in out.glob("*.*")}

    def interrupt(name: str) -> None:
        raise KeyboardInterrupt

    add_program(rules, "ZZTEST", "Secretary Austin")
    with pytest.raises(KeyboardInterrupt):
        extract.run(raw, out, rules, on_document=interrupt, workers=2, cache=False)
    assert {path.name: path.read_bytes() for path in out.glob("*.*")} == before
    assert not list(out.glob(".*.tmp"))


@pytest.mark.parametrize(
    ("requested", "batches", "expected"),
    [(None, 1, 1), (4, 2, 2), (1, 10, 1), (2, 10, 2), (3, 0, 1)],
    ids=["one batch needs one process", "never more workers than batches", "asked for one", "asked for two", "nothing to do"],
)
def test_worker_count(requested, batches, expected):
    assert pipeline.worker_count(requested, batches) == expected


def test_run_help_names_the_speed_options():
    result = CliRunner().invoke(app, ["run", "--help"])
    assert result.exit_code == 0
    assert "--workers" in result.output and "--no-cache" in result.output
