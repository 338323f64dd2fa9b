"""RAW and OUT as fsspec URLs: memory:// in and out gives the tables a local run gives."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import fsspec
import pytest
from typer.testing import CliRunner

import extract
from extract.cli import app
from extract.errors import UsageError
from extract.storage import shared_url
from extract.tables import COLUMNS

from .conftest import RAW, RULES

TEXTS = ["dod-iraq-us-strengthen-defense-partnership.txt", "nato-relations-with-iraq.txt"]


@pytest.fixture
def memory() -> Iterator[fsspec.AbstractFileSystem]:
    """The in-memory file system with two raw texts under memory://raw/ (one in a subfolder), emptied after."""
    fs = fsspec.filesystem("memory")
    fs.pipe("/raw/" + TEXTS[0], (RAW / TEXTS[0]).read_bytes())
    fs.pipe("/raw/nato/" + TEXTS[1], (RAW / TEXTS[1]).read_bytes())
    yield fs
    fs.rm("/", recursive=True)


@pytest.fixture
def local_run(tmp_path: Path) -> Path:
    """The same two texts, in the same folders, through a run on local folders."""
    raw = tmp_path / "raw"
    (raw / "nato").mkdir(parents=True)
    shutil.copy(RAW / TEXTS[0], raw)
    shutil.copy(RAW / TEXTS[1], raw / "nato")
    extract.run(raw, tmp_path / "out", RULES, workers=1)
    return tmp_path / "out"


def test_memory_urls_in_and_out_give_the_local_tables(memory, local_run):
    summary = extract.run("memory://raw", "memory://out", RULES, workers=1)
    assert (summary.ok, summary.failed, summary.cached) == (2, 0, 0)
    for name in COLUMNS:
        for ext in ("csv", "parquet"):
            assert memory.cat(f"/out/{name}.{ext}") == (local_run / f"{name}.{ext}").read_bytes(), f"{name}.{ext}"
    clean = local_run / "clean"
    assert sorted(path.removeprefix("/out/clean/") for path in memory.find("/out/clean")) == sorted(
        path.relative_to(clean).as_posix() for path in clean.rglob("*") if path.is_file()
    )


def test_the_cache_in_a_memory_out_serves_the_next_run(memory):
    extract.run("memory://raw", "memory://out", RULES, workers=1)
    summary = extract.run("memory://raw", "memory://out", RULES, workers=1)
    assert (summary.ok, summary.cached) == (2, 2)


def test_a_missing_url_is_a_usage_error(memory):
    with pytest.raises(UsageError, match="memory://nowhere: no such file or folder"):
        extract.run("memory://nowhere", "memory://out", RULES, workers=1)
    assert not memory.exists("/out")


def test_the_command_takes_urls(memory):
    result = CliRunner().invoke(app, ["run", "memory://raw", "--out", "memory://out", "--rules", str(RULES)])
    assert result.exit_code == 0, result.output
    assert "review report memory://out/review/index.html" in result.output
    assert memory.cat("/out/documents.csv").decode().count("\n") == 3  # the header and two documents
    assert memory.exists("/out/review/index.html")


def test_a_memory_out_keeps_no_part_a_later_run_did_not_write(memory):
    extract.run("memory://raw", "memory://out", RULES, workers=1, part_rows=2)
    assert memory.find("/out/dates") != []
    extract.run("memory://raw", "memory://out", RULES, workers=1, part_rows=1_000_000)
    assert [path for path in memory.find("/out") if "part-" in path] == []
    assert memory.exists("/out/dates.parquet")


def test_the_command_takes_file_urls_in_and_out(local_run, tmp_path):
    raw = (tmp_path / "raw").as_uri()  # the texts local_run read, named file:///...
    result = CliRunner().invoke(app, ["run", raw, "--out", f"{tmp_path.as_uri()}/url-out", "--rules", str(RULES), "-q"])
    assert result.exit_code == 0, result.output
    for name in COLUMNS:
        for ext in ("csv", "parquet"):
            assert (tmp_path / "url-out" / f"{name}.{ext}").read_bytes() == (local_run / f"{name}.{ext}").read_bytes()


@pytest.mark.parametrize("location,shared", [
    ("raw", False),  # a path: read in place
    ("file:///data/raw", False),  # the local file system, as a URL
    ("memory://raw", False),  # lives in this process only
    ("simplecache::file:///data/raw", True),  # any other file system: a cluster's workers read it themselves
])
def test_which_urls_a_clusters_workers_read_themselves(location, shared):
    assert shared_url(location) == (location if shared else None)
