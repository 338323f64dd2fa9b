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
"""
from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import dask
from distributed import Client, Future, LocalCluster, Worker, WorkerPlugin, get_worker, wait
from distributed.scheduler import KilledWorker

from .clean.boilerplate import SiteLines

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
    """How a worker loads the run's stages: what `Stages.load` takes, and the site lines counted up front."""

    rules_dir: Path | None
    cache_dir: Path | None
    site_lines: SiteLines
    root: Path
    out: Path


class StagesPlugin(WorkerPlugin):
    """Loads the stages once per worker (and again on a worker that replaces a dead one)."""

    def __init__(self, recipe: Recipe) -> None:
        self.recipe = recipe
        self.name = f"extract-{uuid.uuid4().hex}"  # one per run: a cluster may serve several runs
        self.stages: Stages | None = None

    def setup(self, worker: Worker) -> None:
        from .pipeline import Stages

        self.stages = Stages.load(self.recipe.rules_dir, self.recipe.cache_dir)
        self.stages.use_site_lines(self.recipe.site_lines)

    def __getstate__(self) -> dict:
        return {"recipe": self.recipe, "name": self.name, "stages": None}  # the loaded model never travels


def work_on_worker(batch: list, plugin_name: str) -> list:
    """One batch through every stage, with the stages this worker's plugin loaded."""
    from .pipeline import process_batch

    plugin = get_worker().plugins[plugin_name]
    assert isinstance(plugin, StagesPlugin) and plugin.stages is not None  # registered, and set up on this worker
    return process_batch(batch, plugin.recipe.root, plugin.stages, plugin.recipe.out)


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
            for path in batch:
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
    try:
        return entry.future.result()
    except KilledWorker:
        tasks = []
        for item in entry.batch:  # one at a time: a worker the killer takes down holds no other document of the batch
            try:
                tasks.extend(submit(client, [item], plugin.name).result())
            except KilledWorker:
                tasks.append(killed(item, plugin.recipe.root))
            done([item])
        return tasks


def killed(item: Any, root: Path) -> Any:
    """The task of a document whose worker died each time it was tried: an error row in documents."""
    from .pipeline import crashed

    return crashed(item, root, "the worker processing it died each time it was tried")
