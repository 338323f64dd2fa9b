"""run(raw, out): the stages in order, documents in batches, errors kept per document.

raw file -> read -> clean -> model (or the cache) -> rule components -> rows
-> tables. Documents go in fixed-size batches: the model runs on a whole batch
with nlp.pipe, and with several workers each batch is one task for a process
pool. Batches come back in order, so the tables are the same whatever the
number of workers. A document that fails at any stage becomes a documents row
with status `error` and the run goes on; so does one whose worker dies or that
takes longer than --doc-timeout. OUT is locked for the run, and the cleaned
texts are staged and swapped in with the tables (extract.outfolder).
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .cache import CleanCache, DocCache, Pipe, StepCache, digest
from .changes import Changes
from .clean.boilerplate import SiteLines
from .clean.document import Cleaned, FirstPass, clean_document, first_pass
from .clean.read import RawInfo, find_documents, read_document
from .clean.rules import CleaningRules, load_cleaning_rules
from .errors import DocumentError, ExtractError, OutputError, UsageError
from .nlp import RULE_PIPES, load_pipeline, make_doc, piece_chars, run_in_pieces
from .outfolder import OutFolder
from .review import build_report
from .rules import default_rules_dir
from .storage import local_copies, shared_url
from .tables import COLUMNS, TABLES, Rows, doc_rows
from .write import PART_ROWS, TableWriter, write_in_place

BATCH_DOCS = 16  # documents per nlp.pipe batch and per worker task; fixed, so output never depends on workers
AHEAD_PER_WORKER = 4  # batches in flight per worker: enough to keep each busy, few to hold in memory


@dataclass
class Summary:
    """What a run did, for the closing lines of `extract run`."""

    ok: int = 0
    failed: int = 0
    cached: int = 0  # documents whose model output came from the cache
    skipped: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # folders not read, symbolic link loops: exit 1 like failures
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
    first_reads: dict[str, RawInfo] = field(default_factory=dict)  # what that pass read of each file, by path under RAW
    clean_cache: CleanCache | None = None
    steps: StepCache | None = None
    doc_timeout: float | None = None  # seconds one document may take (--doc-timeout); None: no limit

    @classmethod
    def load(cls, rules_dir: Path | None, cache_dir: Path | None = None) -> Stages:
        """The stages; with `cache_dir`, the caches too (see use_caches)."""
        rules = rules_dir or default_rules_dir()
        nlp = load_pipeline(rules)
        stages = cls(load_cleaning_rules(rules), nlp, None)
        if cache_dir is not None:
            stages.use_caches(cache_dir, rules)
        return stages

    def use_caches(self, cache_dir: Path, rules: Path) -> None:
        """The Doc cache and the rule components' steps in cache_dir/docs/, the cleaned-text cache in
        cache_dir/clean/; an OutputError when the folder cannot be made (a file stands in its way)."""
        self.cache = DocCache(cache_dir / "docs", self.nlp)
        self.steps = StepCache(self.cache)
        self.clean_cache = CleanCache(cache_dir / "clean", rules / "cleaning.yml", self.cleaning.heuristics)

    def with_caches_in(self, folder: Path) -> Stages:
        """These stages with their caches (if any) in folder/docs/ and folder/clean/, their keys kept: the
        caches of one batch on a cluster worker that keeps none of its own (see extract.cluster)."""
        cache = self.cache.moved_to(folder / "docs") if self.cache else None
        return replace(
            self,
            cache=cache,
            steps=StepCache(cache) if cache else None,
            clean_cache=self.clean_cache.moved_to(folder / "clean") if self.clean_cache else None,
        )

    def use_first_pass(self, first: FirstPass) -> None:
        """The run's first pass over its files: the site lines, and what it read of each file."""
        self.use_site_lines(first.site_lines)
        self.first_reads = first.files

    def use_site_lines(self, site_lines: SiteLines) -> None:
        """The run's site-line counts, which cleaning reads and the cleaned-text cache is keyed by."""
        self.site_lines = site_lines
        if self.clean_cache:
            self.clean_cache.set_site_lines(site_lines)

    @property
    def rule_names(self) -> list[str]:
        return [name for name in self.nlp.pipe_names if name in RULE_PIPES]

    def annotate(self, doc: Doc) -> Doc:
        """The rule components on a Doc after the model; with the caches, those whose inputs did not change are replayed."""
        if self.steps is None:
            for name in self.rule_names:
                doc = self.nlp.get_pipe(name)(doc)
            return doc
        return self.steps.annotate(doc, self.pipes)

    @cached_property
    def pipes(self) -> list[Pipe]:
        """Each rule component with its settings, which its cached steps are keyed by: its rules' text and its
        config but for where the rules file lies (a cluster worker's copy is in a new folder each run)."""
        pipes = []
        for name in self.rule_names:
            pipe = self.nlp.get_pipe(name)
            config = {key: value for key, value in self.nlp.get_pipe_config(name).items() if key != "rules_path"}
            pipes.append((name, digest(f"{getattr(pipe, 'rules_text', '')}|{sorted(config.items())}"), pipe))
        return pipes


@dataclass
class Task:
    """One document on its way through the stages; `doc` is None once it has failed."""

    path: str  # relative to RAW
    row: dict[str, Any]  # its documents row
    doc: Doc | None = None
    cached: bool = False
    modeled: bool = False  # a text longer than piece_chars, already through the model in pieces
    rows: Rows = field(default_factory=dict)
    seconds: float = 0.0  # spent on it so far, against --doc-timeout


class DocumentTimeout(ExtractError):
    """A document that took longer than --doc-timeout; it fails alone."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"took over {seconds:g} s (--doc-timeout); left out")


@contextmanager
def time_limit(task: Task, stages: Stages) -> Iterator[None]:
    """What is left of the document's --doc-timeout for one stage: past it, DocumentTimeout is raised in the stage.

    An alarm signal interrupts Python code only; a stage stuck in C code (a
    regular expression that backtracks for ever) is caught by the parent,
    which kills the worker (see pooled).
    """
    started = time.perf_counter()
    limit = stages.doc_timeout
    if not limit or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise DocumentTimeout(limit)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, max(limit - task.seconds, 0.001))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        task.seconds += time.perf_counter() - started


def fail(task: Task, error: Exception) -> None:
    """Turn the document into an error row: one line naming the file."""
    if isinstance(error, DocumentError):
        message = str(error)
    elif isinstance(error, ExtractError):
        message = f"{task.path}: {error}"
    else:
        message = f"{task.path}: {type(error).__name__}: {error}"
    task.row.update(status="error", error=message.splitlines()[0])
    task.doc = None


Batch = list[tuple[Path, str]]  # documents and their doc_ids


def start(path: Path, doc_id: str, root: Path, stages: Stages, out: Path) -> Task:
    """Read and clean one file and make its Doc, from the caches when they hold it; its clean text goes to OUT/clean."""
    task = Task(path.relative_to(root).as_posix(), {"doc_id": doc_id, "status": "ok"})
    task.row["path"] = task.path
    try:
        with time_limit(task, stages):
            prepare(task, path, doc_id, root, stages, out)
    except Exception as error:  # one bad document never stops the run
        fail(task, error)
    return task


def prepare(task: Task, path: Path, doc_id: str, root: Path, stages: Stages, out: Path) -> None:
    """`start`'s work: the cleaned text, saved to OUT/clean; then the Doc (a long text through the model in pieces)."""
    cleaned = clean(task, path, doc_id, root, stages, out / "clean" / f"{doc_id}.txt")
    task.row.update(
        title=cleaned.title, published=cleaned.published, source=cleaned.source, chars_clean=len(cleaned.text)
    )
    if not cleaned.text:
        raise DocumentError(task.path, "nothing left after cleaning: every line was boilerplate")
    cached = stages.cache.get(cleaned.text) if stages.cache else None
    task.cached = cached is not None
    if cached is None and len(cleaned.text) > piece_chars(stages.nlp):
        cached, task.modeled = run_in_pieces(stages.nlp, cleaned.text, stages.rule_names), True
    task.doc = make_doc(stages.nlp, cleaned, doc_id=doc_id, cached=cached)


def clean(task: Task, path: Path, doc_id: str, root: Path, stages: Stages, target: Path) -> Cleaned:
    """The cleaned document, its text written to `target`. From the cache, by what the run's first pass read
    of the file, which is then not read again; else the file read and cleaned (a cluster worker, which has
    no first pass, looks it up in the cache first)."""
    first = stages.first_reads.get(task.path)
    if first and stages.clean_cache and (cleaned := stages.clean_cache.get(first)):
        task.row.update(sha256=first.sha256, chars_raw=first.chars, encoding=first.encoding)
        stages.clean_cache.stage(first, cleaned.text, target)
        return cleaned
    raw = read_document(path, root, doc_id=doc_id)
    task.row.update(sha256=raw.sha256, chars_raw=len(raw.text), encoding=raw.encoding)
    if not raw.text.strip():
        raise DocumentError(raw.path, "empty file" if not raw.text else "file holds only whitespace")
    cleaned = stages.clean_cache.get(raw) if stages.clean_cache and not first else None
    if cleaned is None:
        cleaned = clean_document(raw, stages.cleaning, stages.site_lines)
        if stages.clean_cache:
            stages.clean_cache.put(raw, cleaned)
    if stages.clean_cache:
        stages.clean_cache.stage(raw, cleaned.text, target)
    else:
        write_in_place(target, cleaned.text)
    return cleaned


def run_model(tasks: list[Task], stages: Stages) -> None:
    """The statistical components on every Doc not cached (nor modeled in pieces), as one batch; then cache them."""
    todo = [(task, task.doc) for task in tasks if task.doc is not None and not task.cached and not task.modeled]
    if stages.doc_timeout:  # each document against its own limit: a slow one fails alone
        run_one_by_one(todo, stages)
    else:
        try:
            docs = list(stages.nlp.pipe([doc for _, doc in todo], disable=stages.rule_names))
        except Exception:  # find the document that broke the batch: run them one by one
            run_one_by_one(todo, stages)
        else:
            for (task, _), doc in zip(todo, docs):
                task.doc = doc
    if stages.cache:
        for task in tasks:
            if task.doc is not None and not task.cached:  # modeled here, or in pieces by `start`
                stages.cache.put(task.doc)


def run_one_by_one(todo: list[tuple[Task, Doc]], stages: Stages) -> None:
    """The statistical components on each Doc alone, within its time limit; a failure fails that document only."""
    for task, doc in todo:
        try:
            with time_limit(task, stages):
                task.doc = stages.nlp(doc, disable=stages.rule_names)
        except Exception as error:
            fail(task, error)


def finish(task: Task, stages: Stages) -> None:
    """The rule components (run, or replayed where nothing they read changed), then the rows."""
    if task.doc is None:
        return
    try:
        with time_limit(task, stages):
            doc = stages.annotate(task.doc)
            task.rows = doc_rows(doc, task.row["doc_id"])
    except Exception as error:
        fail(task, error)
    task.doc = None  # rows are all that is kept


def process_batch(batch: Batch, root: Path, stages: Stages, out: Path) -> list[Task]:
    """Every stage for a batch of files, in order."""
    tasks = [start(path, doc_id, root, stages, out) for path, doc_id in batch]
    run_model(tasks, stages)
    for task in tasks:
        finish(task, stages)
    return tasks


def crashed(item: tuple[Path, str], root: Path, why: str) -> Task:
    """The task of a document that never came back from a worker: its documents row says why."""
    path, doc_id = item
    task = Task(path.relative_to(root).as_posix(), {"doc_id": doc_id, "status": "ok"})
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
    force: bool = False,
    doc_timeout: float | None = None,
) -> Summary:
    """Process every document under RAW and write the tables to OUT, with `workers` processes (default: one per core).

    RAW and OUT may be fsspec URLs (memory://, s3://, ...). With `scheduler`
    ("local", or a Dask scheduler's address such as tcp://127.0.0.1:8786),
    the batches run on a Dask cluster instead. `on_document` hears of each
    document (its path under RAW) when it is done: as the tables take it, or on
    a cluster as its batch finishes there, in whatever order. A table of more than
    `part_rows` rows is also written as a Parquet dataset, OUT/<table>/part-*.parquet.
    With no document under RAW, tables that hold rows are kept unless `force`.
    A document that takes longer than `doc_timeout` seconds fails alone (forked workers only).
    """
    if scheduler and doc_timeout:
        raise UsageError("--doc-timeout works with the forked workers only, not with --scheduler")
    with local_copies(raw, out) as (raw_folder, out_folder):
        return run_folders(
            raw_folder, out_folder, rules_dir, on_document, workers, cache, scheduler, part_rows, force, doc_timeout,
            shared_url(raw),
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
    force: bool,
    doc_timeout: float | None,
    raw_url: str | None = None,
) -> Summary:
    """`run` on local folders (`raw_url`: where RAW was copied from, for a cluster's workers)."""
    started, started_cpu = time.perf_counter(), time.process_time()
    found = find_documents(raw, out)  # not OUT's own files, when OUT lies inside RAW
    if not found.documents and not force and has_rows(out / "documents.csv"):
        raise UsageError(
            f"{raw}: no documents (.txt, .md, .html) found; the tables in {out} are kept "
            "(run with --force to replace them with empty tables)"
        )
    stages = Stages.load(rules_dir)  # bad rules are reported before OUT is touched
    stages.doc_timeout = doc_timeout
    loading, loading_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    with OutFolder(out) as folder, stopped_by_sigterm():
        cache_dir = out / ".cache" if cache else None
        if cache_dir:
            stages.use_caches(cache_dir, rules_dir or default_rules_dir())
        stages.use_first_pass(first_pass(found.documents, found.root, stages.cleaning))
        named = [(path, found.doc_id(path)) for path in found.documents]
        batches = [named[i : i + BATCH_DOCS] for i in range(0, len(named), BATCH_DOCS)]
        summary = Summary(
            skipped=found.skipped, problems=found.problems, loading=loading, loading_cpu=loading_cpu,
            workers=worker_count(workers, len(batches)),
        )
        gc.freeze()  # the model and rules live for the whole run: the collector need not scan them again and again
        try:
            if scheduler:
                from .cluster import Recipe, RunCache, process_on_cluster  # Dask: imported only when used

                recipe = Recipe.of(
                    rules_dir or default_rules_dir(), cache_dir, stages.site_lines, found.root, folder.staging, raw_url
                )
                held = RunCache(stages, cache_dir, out / "clean") if cache_dir and raw_url else None
                tasks = process_on_cluster(batches, recipe, scheduler, summary.workers, on_document, held)
                on_document = None  # the cluster tells of each batch as it finishes there, before the tables take it
            else:
                tasks = process_all(batches, found.root, stages, folder.staging, summary.workers)
            write_tables(tasks, TableWriter(out, part_rows, before_rename=folder.publish), summary, on_document)
        except OSError as error:  # the disk is full, OUT went away: the tables of the last run stay as they were
            message = f"{out}: cannot write the tables ({error.strerror or error}); the previous tables are kept"
            raise OutputError(message) from None
        finally:
            gc.unfreeze()  # collectable again once the run is over (a caller may run again in the same process)
        build_report(out)  # the review stage reads only what was just written, as `extract review` does
    summary.seconds = time.perf_counter() - started
    return summary


def has_rows(table: Path) -> bool:
    """Whether a CSV table holds a row below its header."""
    try:
        with table.open(encoding="utf-8") as handle:
            return bool(handle.readline()) and bool(handle.readline())
    except OSError:
        return False


@contextmanager
def stopped_by_sigterm() -> Iterator[None]:
    """SIGTERM (a `kill`, a stopping service) ends the run like Ctrl-C: temporary files removed, old tables kept."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def write_tables(tasks: Iterator[Task], writer: TableWriter, summary: Summary, on_document: Callable[[str], None] | None) -> None:
    """Stream every document's rows into the tables, counting them in `summary`."""
    with writer:
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


def process_all(batches: list[Batch], root: Path, stages: Stages, out: Path, workers: int) -> Iterator[Task]:
    """Tasks of every document in order: here, or in a pool of forked workers that share the loaded stages.

    With --doc-timeout, documents always go to workers, so that one stuck
    where no alarm reaches it (C code) can be killed.
    """
    if workers == 1 and not stages.doc_timeout:
        for batch in batches:
            yield from process_batch(batch, root, stages, out)
        return
    yield from pooled(batches, root, stages, out, workers)


def pooled(batches: list[Batch], root: Path, stages: Stages, out: Path, workers: int) -> Iterator[Task]:
    """The batches in a pool of workers, in order, submitted a few ahead of the one the tables wait for
    (submitted all at once, every finished batch's rows stayed in memory until the run ended).

    A worker that dies (killed, out of memory) or overruns the batch's time breaks the pool: that batch
    is then run one document at a time, each alone in a fresh worker, so only the document at fault
    fails; a new pool takes the rest. (multiprocessing.Pool waited for ever on a worker killed by kill -9.)"""
    pending = batches
    while pending:
        with WorkerPool(workers, root, stages, out) as pool:
            ahead: deque[Future[list[Task]]] = deque()
            for index in range(len(pending)):
                for batch in pending[index + len(ahead) : index + AHEAD_PER_WORKER * workers]:
                    ahead.append(pool.submit(work, batch))
                try:
                    tasks = ahead.popleft().result(timeout=hard_limit(stages, len(pending[index])))
                except (BrokenProcessPool, FutureTimeout):
                    pool.kill()
                    break
                yield from tasks
            else:
                return
        for item in pending[index]:
            yield one_alone(item, root, stages, out)
        pending = pending[index + 1 :]


def one_alone(item: tuple[Path, str], root: Path, stages: Stages, out: Path) -> Task:
    """One document in a worker of its own: its Task, or an error row when the worker dies or overruns."""
    with WorkerPool(1, root, stages, out) as pool:
        try:
            return pool.submit(work, [item]).result(timeout=hard_limit(stages, 1))[0]
        except BrokenProcessPool:
            pool.kill()
            return crashed(item, root, "the worker process died on it (killed, or out of memory); left out")
        except FutureTimeout:
            pool.kill()
            return crashed(item, root, str(DocumentTimeout(stages.doc_timeout or 0)))


def hard_limit(stages: Stages, documents: int) -> float | None:
    """How long the parent waits for a batch before killing its worker: the documents' limits and a margin."""
    return stages.doc_timeout * documents + 10 if stages.doc_timeout else None


class WorkerPool(ProcessPoolExecutor):
    """Forked workers that share the loaded stages; leaving it on an error or `kill` does not wait for the queue."""

    def __init__(self, workers: int, root: Path, stages: Stages, out: Path) -> None:
        context = multiprocessing.get_context("fork")  # the children inherit the loaded model; no reload, no pickling
        super().__init__(workers, mp_context=context, initializer=start_worker, initargs=(root, stages, out))

    def kill(self) -> None:
        """End every worker now (a stuck one ignores anything gentler)."""
        for process in list((self._processes or {}).values()):  # the executor offers no public way
            process.kill()

    def __exit__(self, *exc_info: Any) -> None:
        if exc_info[0] is not None:  # Ctrl-C, SIGTERM, an error: stop now, do not finish the queue
            self.kill()
        self.shutdown(wait=True, cancel_futures=True)


_worker: tuple[Path, Stages, Path] | None = None  # what start_worker received, in each worker process


def start_worker(root: Path, stages: Stages, out: Path) -> None:
    """Keep the stages for `work`; Ctrl-C is the parent's to handle (it stops the pool, discards the tables)."""
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the pool ends its workers with SIGTERM
    _worker = (root, stages, out)


def work(batch: Batch) -> list[Task]:
    assert _worker is not None  # start_worker ran in this process first
    root, stages, out = _worker
    return process_batch(batch, root, stages, out)
