"""run(raw, out): the stages in order, documents in batches, errors kept per document.

raw file -> read -> clean -> model (or the cache) -> rule components -> rows
-> tables. Documents go in fixed-size batches: the model runs on a whole batch
with nlp.pipe, and with several workers each batch is one task for a process
pool. Batches come back in order, so the tables are the same whatever the
number of workers. A document that fails at any stage becomes a documents row
with status `error` and the run goes on.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .cache import CleanCache, DocCache
from .changes import Changes
from .clean.boilerplate import SiteLines
from .clean.document import clean_document, count_site_lines
from .clean.read import doc_id_of, find_documents, read_document
from .clean.rules import CleaningRules, load_cleaning_rules
from .errors import DocumentError
from .nlp import RULE_PIPES, load_pipeline, make_doc
from .review import build_report
from .rules import default_rules_dir
from .storage import local_copies, shared_url
from .tables import COLUMNS, TABLES, Rows, doc_rows
from .write import PART_ROWS, TableWriter, write_file

BATCH_DOCS = 16  # documents per nlp.pipe batch and per worker task; fixed, so output never depends on workers


@dataclass
class Summary:
    """What a run did, for the closing lines of `extract run`."""

    ok: int = 0
    failed: int = 0
    cached: int = 0  # documents whose model output came from the cache
    skipped: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=lambda: {name: 0 for name in TABLES})
    flagged: dict[str, int] = field(  # rows with a review flag, of each table that has flags
        default_factory=lambda: {name: 0 for name in TABLES if "flags" in COLUMNS[name]}
    )
    seconds: float = 0.0
    loading: float = 0.0  # of `seconds`, loading the rules and the pipeline (the rest grows with the input)
    loading_cpu: float = 0.0  # the CPU time of that loading (this process's)
    workers: int = 1
    changes: Changes = field(default_factory=lambda: Changes([], {}))  # against the tables OUT held before the run


@dataclass
class Stages:
    """The loaded rules, pipeline and cache; loading them first reports bad rules before any work."""

    cleaning: CleaningRules
    nlp: Language
    cache: DocCache | None
    site_lines: SiteLines = field(default_factory=SiteLines)  # filled by a first pass over the run's files
    clean_cache: CleanCache | None = None

    @classmethod
    def load(cls, rules_dir: Path | None, cache_dir: Path | None = None) -> Stages:
        """The stages; with `cache_dir`, the Doc cache in its docs/ and the cleaned-text cache in its clean/."""
        rules = rules_dir or default_rules_dir()
        nlp = load_pipeline(rules)
        if cache_dir is None:
            return cls(load_cleaning_rules(rules), nlp, None)
        clean_cache = CleanCache(cache_dir / "clean", rules / "cleaning.yml")
        return cls(load_cleaning_rules(rules), nlp, DocCache(cache_dir / "docs", nlp), clean_cache=clean_cache)

    def use_site_lines(self, site_lines: SiteLines) -> None:
        """The run's site-line counts, which cleaning reads and the cleaned-text cache is keyed by."""
        self.site_lines = site_lines
        if self.clean_cache:
            self.clean_cache.set_site_lines(site_lines)

    @property
    def rule_names(self) -> list[str]:
        return [name for name in self.nlp.pipe_names if name in RULE_PIPES]


@dataclass
class Task:
    """One document on its way through the stages; `doc` is None once it has failed."""

    path: str  # relative to RAW
    row: dict[str, Any]  # its documents row
    doc: Doc | None = None
    cached: bool = False
    rows: Rows = field(default_factory=dict)


def fail(task: Task, error: Exception) -> None:
    """Turn the document into an error row: one line naming the file."""
    message = str(error) if isinstance(error, DocumentError) else f"{task.path}: {type(error).__name__}: {error}"
    task.row.update(status="error", error=message.splitlines()[0])
    task.doc = None


def start(path: Path, root: Path, stages: Stages, out: Path) -> Task:
    """Read and clean one file and make its Doc, from the cache when it holds the text."""
    task = Task(path.relative_to(root).as_posix(), {"doc_id": doc_id_of(path, root), "status": "ok"})
    task.row["path"] = task.path
    try:
        raw = read_document(path, root)
        task.row.update(sha256=raw.sha256, chars_raw=len(raw.text), encoding=raw.encoding)
        if not raw.text.strip():
            raise DocumentError(raw.path, "empty file" if not raw.text else "file holds only whitespace")
        cleaned = stages.clean_cache.get(raw) if stages.clean_cache else None
        if cleaned is None:
            cleaned = clean_document(raw, stages.cleaning, stages.site_lines)
            if stages.clean_cache:
                stages.clean_cache.put(raw, cleaned)
        task.row.update(
            title=cleaned.title, published=cleaned.published, source=cleaned.source, chars_clean=len(cleaned.text)
        )
        write_file(out / "clean" / f"{raw.doc_id}.txt", cleaned.text)
        if not cleaned.text:
            raise DocumentError(raw.path, "nothing left after cleaning: every line was boilerplate")
        cached = stages.cache.get(cleaned.text) if stages.cache else None
        task.cached = cached is not None
        task.doc = make_doc(stages.nlp, cleaned, doc_id=raw.doc_id, cached=cached)
    except Exception as error:  # one bad document never stops the run
        fail(task, error)
    return task


def run_model(tasks: list[Task], stages: Stages) -> None:
    """The statistical components on every Doc not cached, as one batch; then cache them."""
    todo = [(task, task.doc) for task in tasks if task.doc is not None and not task.cached]
    try:
        docs = list(stages.nlp.pipe([doc for _, doc in todo], disable=stages.rule_names))
    except Exception:  # find the document that broke the batch: run them one by one
        for task, doc in todo:
            try:
                task.doc = stages.nlp(doc, disable=stages.rule_names)
            except Exception as error:
                fail(task, error)
    else:
        for (task, _), doc in zip(todo, docs):
            task.doc = doc
    if stages.cache:
        for task, _ in todo:
            if task.doc is not None:
                stages.cache.put(task.doc)


def finish(task: Task, stages: Stages) -> None:
    """The rule components, always run (so rule edits take effect), then the rows."""
    if task.doc is None:
        return
    try:
        doc = task.doc
        for name in stages.rule_names:
            doc = stages.nlp.get_pipe(name)(doc)
        task.rows = doc_rows(doc, task.row["doc_id"])
    except Exception as error:
        fail(task, error)
    task.doc = None  # rows are all that is kept


def process_batch(paths: list[Path], root: Path, stages: Stages, out: Path) -> list[Task]:
    """Every stage for a batch of files, in order."""
    tasks = [start(path, root, stages, out) for path in paths]
    run_model(tasks, stages)
    for task in tasks:
        finish(task, stages)
    return tasks


def crashed(path: Path, root: Path, why: str) -> Task:
    """The task of a document that never came back from a worker: its documents row says why."""
    task = Task(path.relative_to(root).as_posix(), {"doc_id": doc_id_of(path, root), "status": "ok"})
    task.row["path"] = task.path
    fail(task, DocumentError(task.path, why))
    return task


def run(
    raw: Path | str,
    out: Path | str,
    rules_dir: Path | None = None,
    on_document: Callable[[str], None] | None = None,
    workers: int | None = None,
    cache: bool = True,
    scheduler: str | None = None,
    part_rows: int = PART_ROWS,
) -> Summary:
    """Process every document under RAW and write the tables to OUT, with `workers` processes (default: one per core).

    RAW and OUT may be fsspec URLs (memory://, s3://, ...). With `scheduler`
    ("local", or a Dask scheduler's address such as tcp://127.0.0.1:8786),
    the batches run on a Dask cluster instead. `on_document` hears of each
    document (its path under RAW) when it is done: as the tables take it, or on
    a cluster as its batch finishes there, in whatever order. A table of more than
    `part_rows` rows is also written as a Parquet dataset, OUT/<table>/part-*.parquet.
    """
    with local_copies(raw, out) as (raw_folder, out_folder):
        return run_folders(
            raw_folder, out_folder, rules_dir, on_document, workers, cache, scheduler, part_rows, shared_url(raw)
        )


def run_folders(
    raw: Path,
    out: Path,
    rules_dir: Path | None,
    on_document: Callable[[str], None] | None,
    workers: int | None,
    cache: bool,
    scheduler: str | None,
    part_rows: int,
    raw_url: str | None = None,
) -> Summary:
    """`run` on local folders (`raw_url`: where RAW was copied from, for a cluster's workers)."""
    started, started_cpu = time.perf_counter(), time.process_time()
    found = find_documents(raw, out)  # not OUT's own files, when OUT lies inside RAW
    cache_dir = out / ".cache" if cache else None
    stages = Stages.load(rules_dir, cache_dir)
    loading, loading_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    stages.use_site_lines(count_site_lines(found.documents, found.root, stages.cleaning))
    batches = [found.documents[i : i + BATCH_DOCS] for i in range(0, len(found.documents), BATCH_DOCS)]
    summary = Summary(skipped=found.skipped, loading=loading, loading_cpu=loading_cpu, workers=worker_count(workers, len(batches)))
    gc.freeze()  # the model and rules live for the whole run: the collector need not scan them again and again
    try:
        if scheduler:
            from .cluster import Recipe, process_on_cluster  # Dask is imported only for a run that uses it

            recipe = Recipe.of(rules_dir or default_rules_dir(), cache_dir, stages.site_lines, found.root, out, raw_url)
            tasks = process_on_cluster(batches, recipe, scheduler, summary.workers, on_document)
            on_document = None  # the cluster tells of each batch as it finishes there, before the tables take it
        else:
            tasks = process_all(batches, found.root, stages, out, summary.workers)
        write_tables(tasks, out, summary, on_document, part_rows)
    finally:
        gc.unfreeze()  # collectable again once the run is over (a caller may run again in the same process)
    build_report(out)  # the review stage reads only what was just written, as `extract review` does
    summary.seconds = time.perf_counter() - started
    return summary


def write_tables(
    tasks: Iterator[Task], out: Path, summary: Summary, on_document: Callable[[str], None] | None, part_rows: int
) -> None:
    """Stream every document's rows into the tables, counting them in `summary`."""
    with TableWriter(out, part_rows) as writer:
        for task in tasks:
            if task.row["status"] == "ok":
                summary.ok += 1
            else:
                summary.failed += 1
                summary.errors.append(task.row["error"])
            summary.cached += task.cached
            rows = {"documents": [task.row], **task.rows}
            for name, table_rows in rows.items():
                summary.rows[name] += len(table_rows)
                if "flags" in COLUMNS[name]:
                    summary.flagged[name] += sum(1 for row in table_rows if row["flags"])
            writer.add(rows)
            if on_document:
                on_document(task.path)
    summary.changes = writer.changes
    summary.rows["changes"] = len(writer.changes.rows)


def worker_count(requested: int | None, batches: int) -> int:
    """The cores available (or as requested), but never more processes than batches."""
    wanted = requested if requested is not None else len(os.sched_getaffinity(0))
    return max(1, min(wanted, batches))


def process_all(batches: list[list[Path]], root: Path, stages: Stages, out: Path, workers: int) -> Iterator[Task]:
    """Tasks of every document in order: here, or in a pool of forked workers that share the loaded stages."""
    if workers == 1:
        for batch in batches:
            yield from process_batch(batch, root, stages, out)
        return
    context = multiprocessing.get_context("fork")  # the children inherit the loaded model; no reload, no pickling
    with context.Pool(workers, initializer=start_worker, initargs=(root, stages, out)) as pool:
        for tasks in pool.imap(work, batches):
            yield from tasks


_worker: tuple[Path, Stages, Path] | None = None  # what start_worker received, in each worker process


def start_worker(root: Path, stages: Stages, out: Path) -> None:
    """Keep the stages for `work`; Ctrl-C is the parent's to handle (it stops the pool, discards the tables)."""
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker = (root, stages, out)


def work(batch: list[Path]) -> list[Task]:
    assert _worker is not None  # start_worker ran in this process first
    root, stages, out = _worker
    return process_batch(batch, root, stages, out)
