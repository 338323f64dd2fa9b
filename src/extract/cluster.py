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
it writes come back with the rows, for the run's machine to put in OUT; such
a worker keeps no Doc cache (OUT's cache is on the run's machine). When RAW
is a local folder, the workers read it and write OUT in place: they must see
the same paths (the same machine, or a shared file system).
"""
from __future__ import annotations

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
AHEAD_PER_WORKER = 4  # batches in flight per worker thread: enough to keep each busy, few to hold in memory


@dataclass
class Recipe:
    """How a worker loads the run's stages (the rules files' text, the cache, the site lines counted up
    front) and where the batches' documents are: under `root` on a shared disk, or under `raw_url`."""

    rules: dict[str, str]  # file name -> text, of every rules file
    cache_dir: Path | None
    site_lines: SiteLines
    root: Path
    out: Path
    raw_url: str | None = None  # RAW on shared storage: workers read it there, not under `root`

    @classmethod
    def of(cls, rules_dir: Path, cache_dir: Path | None, site_lines: SiteLines, root: Path, out: Path,
           raw_url: str | None) -> Recipe:
        """The recipe of a run whose rules are in `rules_dir` (read here, so a worker needs no copy)."""
        rules = {name: (rules_dir / name).read_text(encoding="utf-8") for name in RULE_FILES}
        return cls(rules, None if raw_url else cache_dir, site_lines, root, out, raw_url)


class StagesPlugin(WorkerPlugin):
    """Loads the stages once per worker (and again on a worker that replaces a dead one)."""

    def __init__(self, recipe: Recipe) -> None:
        self.recipe = recipe
        self.name = f"extract-{uuid.uuid4().hex}"  # one per run: a cluster may serve several runs
        self.stages: Stages | None = None

    def setup(self, worker: Worker) -> None:
        from .pipeline import Stages

        rules_dir = Path(tempfile.mkdtemp(prefix="extract-rules-")) / "rules"  # the worker's copy of the run's rules
        rules_dir.mkdir()
        for name, text in self.recipe.rules.items():
            (rules_dir / name).write_text(text, encoding="utf-8")
        self.stages = Stages.load(rules_dir, self.recipe.cache_dir)
        self.stages.use_site_lines(self.recipe.site_lines)

    def __getstate__(self) -> dict:
        return {"recipe": self.recipe, "name": self.name, "stages": None}  # the loaded model never travels


@dataclass
class Returned:
    """What a worker sends back for a batch: its tasks, and the files it wrote under OUT when OUT is not
    on its disk (relative path -> bytes; empty when the worker writes OUT in place)."""

    tasks: list
    files: dict[str, bytes]


def work_on_worker(batch: list, plugin_name: str) -> Returned:
    """One batch through every stage, with the stages this worker's plugin loaded."""
    from .pipeline import process_batch

    plugin = get_worker().plugins[plugin_name]
    assert isinstance(plugin, StagesPlugin) and plugin.stages is not None  # registered, and set up on this worker
    recipe = plugin.recipe
    if recipe.raw_url is None:
        return Returned(process_batch(batch, recipe.root, plugin.stages, recipe.out), {})
    with tempfile.TemporaryDirectory(prefix="extract-batch-") as folder:
        root, out = Path(folder) / "raw", Path(folder) / "out"
        fs, base = fsspec.core.url_to_fs(recipe.raw_url)
        fetched = []
        for path, doc_id in batch:  # each document comes with its doc_id
            relative = path.relative_to(recipe.root).as_posix()
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            fs.get_file(f"{base.rstrip('/')}/{relative}", str(root / relative))
            fetched.append((root / relative, doc_id))
        tasks = process_batch(fetched, root, plugin.stages, out)
        files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    return Returned(tasks, files)


def take_back(done: Returned, out: Path) -> list:
    """A batch's tasks, once the files its worker wrote elsewhere are in OUT on this machine."""
    for relative, data in done.files.items():
        write_file(out / relative, data)
    return done.tasks


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
    batches: list[list], recipe: Recipe, scheduler: str, workers: int, on_document: Callable[[str], None] | None
) -> Iterator:
    """Every batch's tasks, in the order of the batches, computed on the cluster.

    `on_document` hears of each document as its batch finishes on the cluster.
    """
    with connect(scheduler, workers) as client:
        plugin = StagesPlugin(recipe)
        client.register_plugin(plugin)
        done = Done(recipe.root, on_document)
        try:
            yield from in_order(client, batches, plugin, done)
        finally:
            client.unregister_worker_plugin(plugin.name)


@dataclass
class Done:
    """Tells `on_document` of a batch's documents (their paths relative to RAW), if there is any listener."""

    root: Path
    on_document: Callable[[str], None] | None

    def __call__(self, batch: list) -> None:
        if self.on_document:
            for path, _ in batch:  # each document comes with its doc_id
                self.on_document(path.relative_to(self.root).as_posix())


def in_order(client: Client, batches: list[list], plugin: StagesPlugin, done: Done) -> Iterator:
    """Submit batches a window ahead and yield each one's tasks in order, so a slow batch stalls only the writer."""
    ahead = max(2, AHEAD_PER_WORKER * sum(client.nthreads().values()))
    pending: deque[Pending] = deque()
    queue = iter(batches)
    for batch in queue:
        pending.append(Pending(batch, submit(client, batch, plugin.name)))
        if len(pending) >= ahead:
            break
    while pending:
        follow(pending, done)
        head = pending.popleft()
        yield from result_of(client, head, plugin, done)
        for batch in queue:
            pending.append(Pending(batch, submit(client, batch, plugin.name)))
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


def submit(client: Client, batch: list, plugin_name: str) -> Future:
    """One batch as one task; `pure=False` so a batch tried again is a new task, never a cached failure."""
    return client.submit(work_on_worker, batch, plugin_name, pure=False)


def result_of(client: Client, entry: Pending, plugin: StagesPlugin, done: Done) -> list:
    """A batch's tasks; if its workers kept dying, each document on its own, the killer failing alone."""
    out = plugin.recipe.out
    try:
        return take_back(entry.future.result(), out)
    except KilledWorker:
        tasks = []
        for item in entry.batch:  # one at a time: a worker the killer takes down holds no other document of the batch
            try:
                tasks.extend(take_back(submit(client, [item], plugin.name).result(), out))
            except KilledWorker:
                tasks.append(killed(item, plugin.recipe.root))
            done([item])
        return tasks


def killed(item: Any, root: Path) -> Any:
    """The task of a document whose worker died each time it was tried: an error row in documents."""
    from .pipeline import crashed

    return crashed(item, root, "the worker processing it died each time it was tried")
