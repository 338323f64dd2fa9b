"""The run's batches on a Dask cluster: a LocalCluster in this process, or a scheduler's address.

The stages are the pipeline's own (`process_batch`); only the dispatch differs
from the forked pool. Each worker loads the rules and the model once, in a
worker plugin, and keeps them for every batch it is sent. Results are taken
back in the order of the batches, so the tables are the same bytes whatever
the workers and the order batches finish in. A worker that dies takes its
batch with it; the scheduler sends the batch to another worker (Dask's
`distributed.scheduler.allowed-failures`). A batch that killed too many
workers is tried again one document at a time, so the document that kills a
worker fails alone, with its error in documents.

Workers need not share the machine or its disk. The rules travel in the
plugin (the files' text), so a worker loads what the run's machine would.
When RAW is a URL of shared storage (`s3://...`), each worker reads its
batch's documents from there into a folder of its own, and the cleaned texts
it writes come back with the rows, for the run's machine to put in OUT. The
caches go the same way: OUT/.cache stays on the run's machine, which sends
each batch the entries it holds for the batch's documents (RunCache), and the
entries the worker made come back with the rows. When RAW is a local folder,
the workers read it and write OUT (and OUT/.cache) in place: they must see
the same paths (the same machine, or a shared file system).
"""
from __future__ import annotations

import shutil
import tempfile
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import dask
import fsspec
from distributed import Client, Future, LocalCluster, Worker, WorkerPlugin, get_worker, wait
from distributed.scheduler import KilledWorker

from .clean.boilerplate import SiteLines
from .rules import RULE_FILES
from .write import write_file

if TYPE_CHECKING:
    from .pipeline import Stages  # setup() imports it when a worker starts

LOCAL = "local"  # --scheduler local: a LocalCluster started in this process
# A LocalCluster's upkeep, which otherwise costs about a seventh of a core while the run goes on (an idle
# cluster of two workers, 20 s: 2.9 s CPU with Dask's defaults, 0.6 s with these): no statistical profiler,
# no work stealing (the scheduler queues batches and hands them to free workers anyway), and its event-loop
# checks and monitors less often: these feed the dashboard, which a run does not start, and the memory
# limits, checked each second instead of ten times a second.
LOCAL_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.scheduler.work-stealing": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
}


@dataclass
class Recipe:
    """How a worker loads the run's stages (the rules files' text, the cache, the site lines counted up
    front) and where the batches' documents are: under `root` on a shared disk, or under `raw_url`."""

    rules: dict[str, str]  # file name -> text, of every rules file
    cache_dir: Path | None  # OUT/.cache on the run's machine; None: no cache (--no-cache)
    site_lines: SiteLines
    root: Path
    out: Path
    raw_url: str | None = None  # RAW on shared storage: workers read it there, not under `root`

    @classmethod
    def of(cls, rules_dir: Path, cache_dir: Path | None, site_lines: SiteLines, root: Path, out: Path,
           raw_url: str | None) -> Recipe:
        """The recipe of a run whose rules are in `rules_dir` (read here, so a worker needs no copy)."""
        rules = {name: (rules_dir / name).read_text(encoding="utf-8") for name in RULE_FILES}
        return cls(rules, cache_dir, site_lines, root, out, raw_url)

    def worker_cache(self, folder: Path) -> Path | None:
        """Where a worker's stages keep the caches: OUT/.cache itself when the worker shares the run's disk;
        with RAW on shared storage, under the worker's own `folder`, moved for each batch (see work_on_worker)."""
        return folder / "cache" if self.cache_dir and self.raw_url else self.cache_dir


class StagesPlugin(WorkerPlugin):
    """Loads the stages once per worker (and again on a worker that replaces a dead one)."""

    def __init__(self, recipe: Recipe) -> None:
        self.recipe = recipe
        self.name = f"extract-{uuid.uuid4().hex}"  # one per run: a cluster may serve several runs
        self.stages: Stages | None = None
        self.folder: Path | None = None  # the worker's own, for its copy of the run's rules; teardown removes it

    def setup(self, worker: Worker) -> None:
        from .pipeline import Stages

        # In the worker's own scratch folder, which Dask removes with a worker that closes, and with one that
        # was killed when the next worker starts there; teardown removes it when the run ends.
        self.folder = Path(tempfile.mkdtemp(prefix="extract-", dir=worker.local_directory))
        rules_dir = self.folder / "rules"
        rules_dir.mkdir()
        for name, text in self.recipe.rules.items():
            (rules_dir / name).write_text(text, encoding="utf-8")
        self.stages = Stages.load(rules_dir, self.recipe.worker_cache(self.folder))
        self.stages.use_site_lines(self.recipe.site_lines)

    def teardown(self, worker: Worker) -> None:
        """Remove the worker's folder when the run unregisters the plugin (or the worker closes)."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __getstate__(self) -> dict:
        return {"recipe": self.recipe, "name": self.name, "stages": None, "folder": None}  # the model never travels


@dataclass
class Returned:
    """What a worker sends back for a batch: its tasks, and when OUT is not on its disk, the files it wrote
    under OUT and the cache entries it made (relative paths -> bytes; both empty when it writes OUT in place)."""

    tasks: list
    files: dict[str, bytes]
    entries: dict[str, bytes]  # relative to OUT/.cache


def work_on_worker(batch: list, plugin_name: str, held: dict[str, bytes]) -> Returned:
    """One batch through every stage, with the stages this worker's plugin loaded.

    With RAW on shared storage, the batch runs in a folder of its own: its
    documents fetched from RAW's URL, its caches holding the entries the run's
    machine `held` for them (relative to OUT/.cache). A held entry is used
    only if the worker, from what it reads and cleans, looks up that very name.
    """
    from .pipeline import process_batch

    plugin = get_worker().plugins[plugin_name]
    assert isinstance(plugin, StagesPlugin) and plugin.stages is not None  # registered, and set up on this worker
    recipe = plugin.recipe
    if recipe.raw_url is None:
        return Returned(process_batch(batch, recipe.root, plugin.stages, recipe.out), {}, {})
    with tempfile.TemporaryDirectory(prefix="extract-batch-") as folder:
        root, out, cache = Path(folder) / "raw", Path(folder) / "out", Path(folder) / "cache"
        fetched = fetch(batch, recipe, root)
        for relative, data in held.items():
            write_file(cache / relative, data)
        tasks = process_batch(fetched, root, plugin.stages.with_caches_in(cache), out)
        made = {relative: data for relative, data in files_under(cache).items() if held.get(relative) != data}
        return Returned(tasks, files_under(out), made)


def fetch(batch: list, recipe: Recipe, root: Path) -> list:
    """The batch's documents copied from RAW's URL to `root`, each with its doc_id."""
    fs, base = fsspec.core.url_to_fs(recipe.raw_url)
    fetched = []
    for path, doc_id in batch:
        relative = path.relative_to(recipe.root).as_posix()
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        fs.get_file(f"{base.rstrip('/')}/{relative}", str(root / relative))
        fetched.append((root / relative, doc_id))
    return fetched


def files_under(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`: its path relative to the folder -> its bytes."""
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def take_back(done: Returned, recipe: Recipe) -> list:
    """A batch's tasks, once the files and cache entries its worker made elsewhere are in OUT on this machine."""
    for relative, data in done.files.items():
        write_file(recipe.out / relative, data)
    if recipe.cache_dir:
        for relative, data in done.entries.items():
            write_file(recipe.cache_dir / relative, data)
    return done.tasks


@dataclass
class RunCache:
    """OUT/.cache on the run's machine, for workers that read RAW from shared storage: the entries it holds
    for a batch's documents go with the batch, so a re-run after a rules edit takes its Docs from the cache."""

    stages: Stages  # the run's own, with its caches: keyed as a worker's when it runs the same extract and model
    folder: Path  # OUT/.cache
    last_clean: Path  # OUT/clean/, the texts the last run cleaned

    def held(self, batch: list, root: Path) -> dict[str, bytes]:
        """The entries a worker would look up for the batch's documents, of those this machine holds.

        A cleaned text's entry is named by its raw file, as the run's first
        pass read it here (the worker reads the same bytes). A Doc's entry is named by its clean text, which only
        the worker knows: the text the last run cleaned from the file stands
        in for it (the same unless cleaning.yml or the file changed). A wrong
        guess costs a miss, never a stale Doc: the worker looks entries up by
        what it cleans itself.
        """
        entries = {}
        for path, doc_id in batch:
            for entry in self.names(path, doc_id, root):
                try:
                    entries[entry.relative_to(self.folder).as_posix()] = entry.read_bytes()
                except OSError:  # not cached
                    pass
        return entries

    def names(self, path: Path, doc_id: str, root: Path) -> list[Path]:
        """The paths of the cleaned text's, the Doc's and its steps' entries of one document, as far as they can be told."""
        names = []
        first = self.stages.first_reads.get(path.relative_to(root).as_posix())  # what the run's first pass read of it
        if self.stages.clean_cache and first:  # a file the first pass could not read: the worker reports it
            names.append(self.stages.clean_cache.path(first))
        if self.stages.cache and self.stages.steps:
            try:
                text = (self.last_clean / f"{doc_id}.txt").read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):  # a new document, or one the last run could not clean
                return names
            names += [self.stages.cache.path(text), self.stages.steps.path(text)]
        return names


@contextmanager
def connect(scheduler: str, workers: int) -> Iterator[Client]:
    """A client of the scheduler at `scheduler`, or of a LocalCluster of `workers` processes for `local`."""
    if scheduler != LOCAL:
        with Client(scheduler) as client:
            yield client
        return
    with dask.config.set(LOCAL_CONFIG):
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=50
        )
        try:
            with Client(cluster) as client:
                yield client
        finally:
            cluster.close()


@dataclass
class Pending:
    """A batch submitted, and whether its documents were reported done."""

    batch: list
    future: Future
    reported: bool = False


def process_on_cluster(
    batches: list[list], recipe: Recipe, scheduler: str, workers: int, on_document: Callable[[str], None] | None,
    cache: RunCache | None = None,
) -> Iterator:
    """Every batch's tasks, in the order of the batches, computed on the cluster.

    `on_document` hears of each document as its batch finishes on the cluster.
    `cache` sends each batch the entries held for it (RAW on shared storage).
    """
    with connect(scheduler, workers) as client:
        plugin = StagesPlugin(recipe)
        client.register_plugin(plugin)
        send = Sender(client, plugin, cache)
        done = Done(recipe.root, on_document)
        try:
            yield from in_order(send, batches, done)
        finally:
            client.unregister_worker_plugin(plugin.name)


@dataclass
class Sender:
    """Submits one batch as one task, with the cache entries held for it."""

    client: Client
    plugin: StagesPlugin
    cache: RunCache | None

    def __call__(self, batch: list) -> Future:
        """The batch's task; `pure=False` so a batch tried again is a new task, never a cached failure."""
        held = self.cache.held(batch, self.plugin.recipe.root) if self.cache else {}
        return self.client.submit(work_on_worker, batch, self.plugin.name, held, pure=False)


@dataclass
class Done:
    """Tells `on_document` of a batch's documents (their paths relative to RAW), if there is any listener."""

    root: Path
    on_document: Callable[[str], None] | None

    def __call__(self, batch: list) -> None:
        if self.on_document:
            for path, _ in batch:  # each document comes with its doc_id
                self.on_document(path.relative_to(self.root).as_posix())


def in_order(send: Sender, batches: list[list], done: Done) -> Iterator:
    """Submit batches a window ahead and yield each one's tasks in order, so a slow batch stalls only the writer."""
    from .pipeline import AHEAD_PER_WORKER

    ahead = max(2, AHEAD_PER_WORKER * sum(send.client.nthreads().values()))
    pending: deque[Pending] = deque()
    queue = iter(batches)
    for batch in queue:
        pending.append(Pending(batch, send(batch)))
        if len(pending) >= ahead:
            break
    while pending:
        follow(pending, done)
        head = pending.popleft()
        yield from result_of(send, head, done)
        for batch in queue:
            pending.append(Pending(batch, send(batch)))
            break


def follow(pending: deque[Pending], done: Done) -> None:
    """Report each batch that finishes, in the order they finish, until the first one in line is done."""
    while True:
        for entry in pending:
            if not entry.reported and entry.future.status == "finished":
                entry.reported = True
                done(entry.batch)
        if pending[0].future.done():
            return
        wait([entry.future for entry in pending if not entry.future.done()], return_when="FIRST_COMPLETED")


def result_of(send: Sender, entry: Pending, done: Done) -> list:
    """A batch's tasks; if its workers kept dying, each document on its own, the killer failing alone."""
    recipe = send.plugin.recipe
    try:
        return take_back(entry.future.result(), recipe)
    except KilledWorker:
        tasks = []
        for item in entry.batch:  # one at a time: a worker the killer takes down holds no other document of the batch
            try:
                tasks.extend(take_back(send([item]).result(), recipe))
            except KilledWorker:
                tasks.append(killed(item, recipe.root))
            done([item])
        return tasks


def killed(item: Any, root: Path) -> Any:
    """The task of a document whose worker died each time it was tried: an error row in documents."""
    from .pipeline import crashed

    return crashed(item, root, "the worker processing it died each time it was tried")
