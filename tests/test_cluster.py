"""A run on a Dask cluster: the same bytes as one process, and workers that die lose no row.

One LocalCluster of two worker processes serves the module (starting one
loads the model in each worker); tests that kill workers do it through a
worker plugin, which Dask runs again on each worker that replaces a dead one.
"""
from __future__ import annotations

import filecmp
import os
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import dask
import fsspec
import pandas as pd
import pytest
from distributed import Client, LocalCluster, Worker, WorkerPlugin
from ruamel.yaml import YAML
from typer.testing import CliRunner

import extract
from extract import pipeline
from extract.clean.boilerplate import SiteLines
from extract.clean.read import find_documents
from extract.cli import app
from extract.cluster import Recipe, StagesPlugin
from extract.components.money import MoneyFinder
from extract.pipeline import Summary
from extract.tables import COLUMNS

from .conftest import RAW, RULES, add_program, shared

BBC = shared("corpora", "bbc-news-2005")
CORPUS_TEXTS = int(os.environ.get("EXTRACT_CORPUS_TEXTS", "500"))  # what issue 22 asks of CI


@pytest.fixture(scope="module")
def cluster() -> Iterator[Client]:
    """Two worker processes of one thread; a task whose worker died twice fails (KilledWorker) at once."""
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
            with Client(local) as client:
                yield client


@pytest.fixture(scope="module")
def one_process(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """raw/ through one process, the reference every cluster run is compared with."""
    out = tmp_path_factory.mktemp("one")
    extract.run(RAW, out, RULES, workers=1, cache=False)
    return out


def different_tables(a: Path, b: Path) -> list[str]:
    """The table files that are not byte for byte the same in two output folders."""
    return [
        f"{name}.{ext}" for name in COLUMNS for ext in ("csv", "parquet")
        if not filecmp.cmp(a / f"{name}.{ext}", b / f"{name}.{ext}", shallow=False)
    ]


class Killer(WorkerPlugin):
    """Kills the worker process (SIGKILL) when it reads a document whose name holds `word`.

    With `once`, only the first time across all workers: a marker file tells
    the workers that come after. Teardown puts the real reader back.
    """

    def __init__(self, word: str, marker: Path | None = None) -> None:
        self.word, self.marker = word, marker
        self.name = f"killer-{word}"

    def setup(self, worker: Worker) -> None:
        read = self.read = pipeline.read_document
        word, marker = self.word, self.marker

        def read_or_die(path: Path, root: Path, *args, **kwargs):
            if word in path.name and (marker is None or not marker.exists()):
                if marker is not None:
                    marker.touch()
                os.kill(os.getpid(), signal.SIGKILL)
            return read(path, root, *args, **kwargs)

        pipeline.read_document = read_or_die

    def teardown(self, worker: Worker) -> None:
        pipeline.read_document = self.read


@pytest.fixture
def killer(cluster: Client) -> Iterator[callable]:
    """Registers Killer plugins on the cluster for one test, and removes them after it."""
    names = []

    def register(word: str, marker: Path | None = None) -> None:
        plugin = Killer(word, marker)
        cluster.register_plugin(plugin)
        names.append(plugin.name)

    yield register
    for name in names:
        cluster.unregister_worker_plugin(name)


def test_two_dask_workers_write_the_same_bytes_as_one_process(cluster, one_process, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_DOCS", 1)  # a batch per document, so both workers get some
    summary = extract.run(RAW, tmp_path / "dask", RULES, cache=False, scheduler=cluster.scheduler.address)
    assert summary.failed == 0
    assert different_tables(one_process, tmp_path / "dask") == []
    assert sorted(os.listdir(tmp_path / "dask" / "clean")) == sorted(os.listdir(one_process / "clean"))


class WorkCounter(WorkerPlugin):
    """Counts, on each worker, the loads of the stages (rules and model), the batches, the documents
    cleaned (not taken from the cleaned-text cache) and those the money component ran on (not replayed
    from the step cache); teardown undoes it."""

    name = "work-counter"

    def setup(self, worker: Worker) -> None:
        self.load, self.process_batch = pipeline.Stages.__dict__["load"], pipeline.process_batch
        self.clean_document, self.find_money = pipeline.clean_document, MoneyFinder.__call__
        load, process_batch, clean_document = self.load.__get__(None, pipeline.Stages), self.process_batch, self.clean_document
        find_money = self.find_money
        worker.extract_counts = {"loads": 0, "batches": 0, "cleaned": 0, "money": 0}

        def counted_load(cls, *args, **kwargs):
            worker.extract_counts["loads"] += 1
            return load(*args, **kwargs)

        def counted_batch(*args, **kwargs):
            worker.extract_counts["batches"] += 1
            return process_batch(*args, **kwargs)

        def counted_cleaning(*args, **kwargs):
            worker.extract_counts["cleaned"] += 1
            return clean_document(*args, **kwargs)

        def counted_money(component, doc):
            worker.extract_counts["money"] += 1
            return find_money(component, doc)

        pipeline.Stages.load = classmethod(counted_load)
        pipeline.process_batch = counted_batch
        pipeline.clean_document = counted_cleaning
        MoneyFinder.__call__ = counted_money

    def teardown(self, worker: Worker) -> None:
        pipeline.Stages.load, pipeline.process_batch = self.load, self.process_batch
        pipeline.clean_document, MoneyFinder.__call__ = self.clean_document, self.find_money


def counted(cluster: Client, run: Callable[[], Summary]) -> tuple[Summary, list[dict[str, int]]]:
    """What `run` returns, and what it made each worker do (WorkCounter's counts)."""
    cluster.register_plugin(WorkCounter())
    try:
        summary = run()
        counts = list(cluster.run(lambda dask_worker: dask_worker.extract_counts).values())
    finally:
        cluster.unregister_worker_plugin(WorkCounter.name)
    return summary, counts


def test_each_worker_loads_the_stages_once_for_all_its_batches(cluster, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_DOCS", 1)  # five batches for two workers
    _, counts = counted(cluster, lambda: extract.run(RAW, tmp_path / "dask", RULES, cache=False,
                                                     scheduler=cluster.scheduler.address))
    assert [count["loads"] for count in counts] == [1, 1]
    assert sum(count["batches"] for count in counts) == len(os.listdir(RAW))
    assert all(count["batches"] > 0 for count in counts)  # both workers served batches with their one load


class Holder(WorkerPlugin):
    """Holds the batch of a document whose name holds `word` until `marker` exists (at most a minute)."""

    name = "holder"

    def __init__(self, word: str, marker: Path) -> None:
        self.word, self.marker = word, marker

    def setup(self, worker: Worker) -> None:
        read = self.read = pipeline.read_document
        word, marker = self.word, self.marker

        def read_when_let(path: Path, root: Path, *args, **kwargs):
            for _ in range(600):
                if word not in path.name or marker.exists():
                    break
                time.sleep(0.1)
            return read(path, root, *args, **kwargs)

        pipeline.read_document = read_when_let

    def teardown(self, worker: Worker) -> None:
        pipeline.read_document = self.read


def test_progress_follows_the_batches_as_they_finish_on_the_cluster(cluster, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_DOCS", 1)
    names = sorted(os.listdir(RAW))
    marker = tmp_path / "last-done"
    cluster.register_plugin(Holder(names[0], marker))  # the first batch waits for the last one to be reported
    heard = []

    def on_document(name: str) -> None:
        heard.append(name)
        if name == names[-1]:
            marker.touch()

    try:
        extract.run(RAW, tmp_path / "dask", RULES, cache=False, scheduler=cluster.scheduler.address,
                    on_document=on_document)
    finally:
        cluster.unregister_worker_plugin(Holder.name)
    assert sorted(heard) == names  # each document once
    assert heard.index(names[-1]) < heard.index(names[0])  # told before the first batch, which the tables take first


def test_a_worker_killed_mid_batch_loses_no_row(cluster, killer, one_process, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_DOCS", 2)
    killer("nato", marker=tmp_path / "killed-once")  # the batch holding nato-... dies with its worker, once
    summary = extract.run(RAW, tmp_path / "dask", RULES, cache=False, scheduler=cluster.scheduler.address)
    assert (tmp_path / "killed-once").exists()
    assert summary.failed == 0
    assert different_tables(one_process, tmp_path / "dask") == []


def test_a_document_that_kills_every_worker_fails_alone(cluster, killer, one_process, tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    shutil.copy(RAW / "nato-relations-with-iraq.txt", raw / "zz-crash.txt")  # last in order, in the last batch
    monkeypatch.setattr(pipeline, "BATCH_DOCS", 3)  # zz-crash.txt shares its batch with two good documents
    killer("crash")
    summary = extract.run(raw, tmp_path / "dask", RULES, cache=False, scheduler=cluster.scheduler.address)
    documents = pd.read_csv(tmp_path / "dask" / "documents.csv")
    failed = documents[documents.status == "error"]
    assert failed.path.tolist() == ["zz-crash.txt"]
    assert failed.error.tolist() == ["zz-crash.txt: the worker processing it died each time it was tried"]
    assert summary.ok == len(os.listdir(RAW))
    for name in ("money", "dates", "programs"):  # every other document's rows, as one process wrote them
        assert pd.read_csv(tmp_path / "dask" / f"{name}.csv").equals(pd.read_csv(one_process / f"{name}.csv"))


def test_the_command_on_a_cluster_takes_memory_urls_in_and_out(cluster, one_process):
    memory = fsspec.filesystem("memory")
    for path in RAW.iterdir():
        memory.pipe(f"/raw/{path.name}", path.read_bytes())
    try:
        arguments = ["run", "memory://raw", "--out", "memory://out", "--rules", str(RULES), "--no-cache", "-q"]
        result = CliRunner().invoke(app, [*arguments, "--scheduler", cluster.scheduler.address])
        assert result.exit_code == 0, result.output
        for name in COLUMNS:
            for ext in ("csv", "parquet"):
                assert memory.cat(f"/out/{name}.{ext}") == (one_process / f"{name}.{ext}").read_bytes(), f"{name}.{ext}"
    finally:
        memory.rm("/", recursive=True)


def test_workers_read_raw_from_shared_storage_and_send_the_clean_texts_back(cluster, one_process, tmp_path):
    """RAW on shared storage: the batches' documents are read from its URL, never from the run's own copy
    (here a folder that exists nowhere), and the cleaned texts come back to OUT with the rows."""
    from extract.clean.document import count_site_lines
    from extract.cluster import Recipe, process_on_cluster
    from extract.pipeline import Stages

    nowhere = tmp_path / "not-on-any-worker"
    batches = [[(nowhere / path.name, path.stem)] for path in sorted(RAW.iterdir())]  # each document with its doc_id
    site_lines = count_site_lines(sorted(RAW.iterdir()), RAW, Stages.load(RULES).cleaning)
    out = tmp_path / "out"
    recipe = Recipe.of(RULES, None, site_lines, nowhere, out, f"simplecache::file://{RAW}")
    tasks = [task for task in process_on_cluster(batches, recipe, cluster.scheduler.address, 2, None)]
    assert [task.row["status"] for task in tasks] == ["ok"] * len(batches)
    assert not nowhere.exists()
    for path in sorted((one_process / "clean").iterdir()):
        assert (out / "clean" / path.name).read_bytes() == path.read_bytes()


def test_the_command_reads_raw_from_a_url_the_workers_read_too(cluster, one_process, tmp_path):
    arguments = ["run", f"simplecache::file://{RAW}", "--out", str(tmp_path / "out"), "--rules", str(RULES), "-q"]
    result = CliRunner().invoke(app, [*arguments, "--scheduler", cluster.scheduler.address])
    assert result.exit_code == 0, result.output
    assert different_tables(one_process, tmp_path / "out") == []
    assert sorted(os.listdir(tmp_path / "out" / "clean")) == sorted(os.listdir(one_process / "clean"))


def test_a_rules_edit_reruns_from_the_cache_when_workers_read_raw_from_shared_storage(cluster, tmp_path, monkeypatch):
    """OUT/.cache stays on the run's machine: the workers' Docs and cleaned texts come back to it, and a
    re-run sends each batch the entries of its documents, so no worker cleans or runs the model again."""
    monkeypatch.setattr(pipeline, "BATCH_DOCS", 2)  # three batches, for both workers
    rules, out, url = tmp_path / "rules", tmp_path / "out", f"simplecache::file://{RAW}"
    shutil.copytree(RULES, rules)
    extract.run(RAW, tmp_path / "one", rules, workers=1, cache=False)  # the reference: one process, the same two runs
    first = extract.run(url, out, rules, scheduler=cluster.scheduler.address)
    assert (first.ok, first.cached) == (5, 0)
    assert len(list((out / ".cache" / "docs").rglob("*.doc"))) == 5
    assert len(list((out / ".cache" / "clean").rglob("*.pickle"))) == 5
    assert len(list((out / ".cache" / "docs").rglob("*.steps"))) == 5
    add_program(rules, "ZZTEST", "Secretary Austin")
    second, counts = counted(cluster, lambda: extract.run(url, out, rules, scheduler=cluster.scheduler.address))
    assert (second.ok, second.cached) == (5, 5)
    # no cleaning, no model, and the money component's work replayed: only programs.yml changed
    assert [sum(count[name] for count in counts) for name in ("batches", "cleaned", "money")] == [3, 0, 0]
    extract.run(RAW, tmp_path / "one", rules, workers=1, cache=False)  # its changes table: against the first run
    assert different_tables(tmp_path / "one", out) == []
    assert ",ZZTEST," in (out / "programs.csv").read_text(encoding="utf-8")  # the edit took effect on cached Docs


def test_a_doc_whose_clean_text_changed_is_never_taken_from_the_cache_on_a_cluster(cluster, tmp_path):
    """A cleaning.yml edit cleans every document again; a Doc comes from the cache only if its clean text is
    the same, as in one process: the caption lines dropped from the NATO text leave four of five cached."""
    rules, out, url = tmp_path / "rules", tmp_path / "out", f"simplecache::file://{RAW}"
    shutil.copytree(RULES, rules)
    extract.run(RAW, tmp_path / "one", rules, workers=1, cache=False)  # the reference: one process, the same two runs
    extract.run(url, out, rules, scheduler=cluster.scheduler.address)
    caption = "NATO Secretary General Jens Stoltenberg with the President"
    assert caption in (out / "clean" / "nato-relations-with-iraq.txt").read_text(encoding="utf-8")
    yaml = YAML()
    cleaning = yaml.load(rules / "cleaning.yml")
    cleaning["lines"].append({"pattern": f"^{caption}", "why": "photo caption"})
    yaml.dump(cleaning, rules / "cleaning.yml")
    second, counts = counted(cluster, lambda: extract.run(url, out, rules, scheduler=cluster.scheduler.address))
    assert (second.ok, second.cached, sum(count["cleaned"] for count in counts)) == (5, 4, 5)
    assert caption not in (out / "clean" / "nato-relations-with-iraq.txt").read_text(encoding="utf-8")
    extract.run(RAW, tmp_path / "one", rules, workers=1, cache=False)  # its changes table: against the first run
    assert different_tables(tmp_path / "one", out) == []


def test_the_workers_folder_of_the_runs_rules_goes_with_the_plugin(cluster, tmp_path):
    plugin = StagesPlugin(Recipe.of(RULES, None, SiteLines(), RAW, tmp_path / "out", None))
    cluster.register_plugin(plugin)
    try:
        folders = [Path(folder) for folder in cluster.run(lambda dask_worker: str(dask_worker.plugins[plugin.name].folder)).values()]
        assert len(folders) == 2 and all((folder / "rules" / "money.yml").is_file() for folder in folders)
    finally:
        cluster.unregister_worker_plugin(plugin.name)
    assert [folder for folder in folders if folder.exists()] == []


def test_the_summary_names_the_cluster_it_ran_on(cluster, tmp_path):
    """A cluster of its own has its own workers: the summary names it instead of counting this machine's."""
    arguments = ["run", str(RAW), "--out", f"{tmp_path / 'out'}/", "--rules", str(RULES), "--no-cache"]
    result = CliRunner().invoke(app, [*arguments, "--scheduler", cluster.scheduler.address])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())  # the console wraps long lines
    assert f"s on the Dask cluster at {cluster.scheduler.address}," in said
    assert "worker" not in said
    assert f"tables in {tmp_path / 'out'}/," in said  # one slash, though --out ended in one


def test_the_command_on_a_local_cluster_writes_the_bytes_of_one_process_on_corpus_texts(tmp_path):
    raw = tmp_path / "bbc"
    for path in find_documents(BBC).documents[:CORPUS_TEXTS]:  # symbolic links: the corpus is read in place
        link = raw / path.relative_to(BBC)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(path)
    extract.run(raw, tmp_path / "one", RULES, workers=1, cache=False)
    arguments = ["run", str(raw), "--out", str(tmp_path / "dask"), "--rules", str(RULES), "--no-cache", "-q"]
    result = CliRunner().invoke(app, [*arguments, "--scheduler", "local", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert different_tables(tmp_path / "one", tmp_path / "dask") == []
