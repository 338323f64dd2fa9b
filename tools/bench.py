"""Benchmark: extract's whole pipeline against bare spaCy on the same documents.

    python tools/bench.py [CORPUS] [--limit N]      # throughput (make bench)
    python tools/bench.py --memory [CORPUS]         # peak memory, a tenth vs all (make bench-memory)
    python tools/bench.py --dask [CORPUS]           # one process, --workers 2, Dask LocalCluster (make bench-dask)
    python tools/bench.py --ladder [CORPUS]         # one document of each shape, 7.8 KB to 1 MB (make bench-ladder)

Each measurement runs in its own process, so peak memory (ru_maxrss) is its
own; with workers, the largest worker's peak is shown too. The corpus is read
in place (its license forbids copying it into the project): a subset is a
temporary folder of symbolic links. Timings of extract include loading the
pipeline, reading, cleaning and writing the tables; bare spaCy is timed on
nlp.pipe alone (with extract's batch size), over texts already in memory.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from extract.clean.read import find_documents  # noqa: E402
from extract.nlp import SENTENCES, STATISTICAL, load_model  # noqa: E402
from extract.pipeline import BATCH_DOCS, run  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
# Other choices of the model's components, for comparison (extract.nlp says why it runs what it runs):
# bare spaCy with the model's senter instead of the sentencizer, and the tagger on every Doc as well.
CHOICES = {"spacy-senter": ("senter", "ner"), "spacy-tagger": ("tok2vec", "tagger", "senter", "ner")}


def peak_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest finished child, in MB (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and its finished children, e.g. the workers."""
    return sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))


def measure(kind: str, raw: Path, out: Path, workers: int, rules: Path) -> dict:
    """One measurement, in this process: seconds, documents, characters, peak memory."""
    paths = find_documents(raw).documents
    chars = sum(len(p.read_text(encoding="utf-8")) for p in paths)
    loading, loading_cpu, errors = 0.0, 0.0, []  # extract's time to load its rules and pipeline; its errors
    if kind.startswith("spacy"):
        nlp = load_model({"spacy-full": None, **CHOICES}.get(kind, STATISTICAL), on_demand=())
        if kind == "spacy":  # the same components as extract's pipeline (without its own)
            nlp.add_pipe(SENTENCES, first=True)
        texts = [p.read_text(encoding="utf-8") for p in paths]
        cpu, started = cpu_seconds(), time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=BATCH_DOCS):  # extract's batch size (spaCy's default, 1000, was slower here)
            pass
        seconds = time.perf_counter() - started
        label = f"bare spaCy, {'+'.join(nlp.pipe_names)}"
    else:
        cpu, started = cpu_seconds(), time.perf_counter()
        scheduler = "local" if kind == "extract-dask" else None
        summary = run(raw, out, rules, workers=workers, cache=kind == "extract", scheduler=scheduler)
        seconds = time.perf_counter() - started
        label = f"extract, {summary.workers} worker(s){', Dask LocalCluster' if scheduler else ''}, {summary.cached} docs from cache"
        loading, loading_cpu, errors = summary.loading, summary.loading_cpu, summary.errors
    cpu = cpu_seconds() - cpu
    own, children = peak_mb()
    return {"label": label, "seconds": seconds, "cpu": cpu, "docs": len(paths), "chars": chars, "rss": own,
            "rss_child": children, "loading": loading,
            "loading_cpu": loading_cpu, "errors": errors}


def stages(raw: Path, out: Path) -> dict[str, float]:
    """Seconds spent in each stage, one process, no cache: where the whole pipeline's time goes."""
    from extract.pipeline import Stages, start
    from extract.tables import doc_rows

    loaded = Stages.load(ROOT / "rules")
    found = find_documents(raw)
    paths = found.documents
    spent = {"read + clean": 0.0, "model (nlp.pipe)": 0.0, **{name: 0.0 for name in loaded.rule_names}, "rows": 0.0}
    for i in range(0, len(paths), BATCH_DOCS):
        clock = time.perf_counter()
        tasks = [start(path, found.doc_id(path), found.root, loaded, out) for path in paths[i : i + BATCH_DOCS]]
        spent["read + clean"] += time.perf_counter() - clock
        clock = time.perf_counter()
        docs = list(loaded.nlp.pipe([t.doc for t in tasks if t.doc is not None], disable=loaded.rule_names))
        spent["model (nlp.pipe)"] += time.perf_counter() - clock
        for doc in docs:
            for name in loaded.rule_names:
                clock = time.perf_counter()
                doc = loaded.nlp.get_pipe(name)(doc)
                spent[name] += time.perf_counter() - clock
            clock = time.perf_counter()
            doc_rows(doc, doc._.doc_id)
            spent["rows"] += time.perf_counter() - clock
    return spent


def spawn(
    kind: str, raw: Path, out: Path, workers: int = 1, rules: Path = ROOT / "rules", timeout: float | None = None
) -> dict:
    """Run `measure` in a fresh process and return its result (raises subprocess.TimeoutExpired past `timeout`)."""
    command = [sys.executable, __file__, str(raw), "--measure", kind, "--out", str(out), "--workers", str(workers),
               "--rules", str(rules)]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=timeout)
    if result.returncode != 0:
        sys.exit(f"{kind} failed:\n{result.stderr}")
    return json.loads(result.stdout.splitlines()[-1])


def show(result: dict, base: dict | None = None, note: str = "") -> None:
    """One line: time, throughput, memory and the ratio to `base`; `note` tells apart runs of the same kind."""
    docs_s, chars_s = result["docs"] / result["seconds"], result["chars"] / result["seconds"]
    memory = f"{result['rss']:7.0f} MB" + (f" (largest worker {result['rss_child']:.0f} MB)" if result["rss_child"] > 1 else "")
    against = f"  {ratio(result, base):5.2f}x (CPU {base['cpu'] / result['cpu']:4.2f}x)" if base else ""
    print(f"{result['label'] + note:60} {result['seconds']:6.1f} s ({result['cpu']:6.1f} s CPU) {docs_s:6.1f} docs/s "
          f"{chars_s / 1000:6.1f} k chars/s {memory}{against}")


def versus(result: dict, base: dict) -> str:
    """Throughput of result relative to base, by wall time and by CPU time (fairer on a busy machine)."""
    return f"{ratio(result, base):.2f}x by wall time, {base['cpu'] / result['cpu']:.2f}x by CPU time"


def subset(raw: Path, count: int, folder: Path) -> Path:
    """The first `count` documents of raw, as symbolic links (the corpus is never copied)."""
    for path in find_documents(raw).documents[:count]:
        link = folder / path.relative_to(raw)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(path)
    return folder


def throughput(raw: Path, work: Path) -> None:
    """Every throughput line, printed as each run ends.

    The machine's speed drifts over minutes, so the ratios the targets are about
    (whole pipeline / bare spaCy with the same components, and / the full
    en_core_web_sm) are each measured twice, in the order bare, full, extract,
    ..., extract, full, bare: a drift that is steady over the bench slows both
    sides alike, and the ratio of the summed times cancels it. CPU time is
    printed beside wall time: on a machine shared with other work it is the
    fairer of the two.
    """
    rules = work / "rules"
    shutil.copytree(ROOT / "rules", rules)
    print(f"{len(find_documents(raw).documents)} documents; one line per run, ratio against the first line (*)\n")
    bare = spawn("spacy", raw, work / "o")
    show(bare, bare, " (1st)")
    full = spawn("spacy-full", raw, work / "o")
    show(full, bare, " (1st)")
    cold = spawn("extract-nocache", raw, work / "cold")
    show(cold, bare, " (1st)")
    for kind in CHOICES:
        show(spawn(kind, raw, work / "o"), bare)
    two = spawn("extract-nocache", raw, work / "two", workers=2)
    show(two, bare)
    dask = spawn("extract-dask", raw, work / "dask", workers=2)
    show(dask, bare)
    first = spawn("extract", raw, work / "cached", rules=rules)
    show(first, bare, " (cold, filling the cache)")
    with (rules / "programs.yml").open("a", encoding="utf-8") as rule_file:  # a copy: rules/ is never touched
        rule_file.write("\n# edited by the benchmark: a rules change, as when tuning\n")
    again = spawn("extract", raw, work / "cached", rules=rules)
    show(again, bare, " (after a rules edit)")
    cold_again = spawn("extract-nocache", raw, work / "cold")
    show(cold_again, bare, " (2nd)")
    full_again = spawn("spacy-full", raw, work / "o")
    show(full_again, bare, " (2nd)")
    bare_again = spawn("spacy", raw, work / "o")
    show(bare_again, bare, " (2nd)")
    both_cold = pair(cold, cold_again)
    print("\ntargets:")
    print(f"  whole pipeline / bare spaCy with the same components: {versus(both_cold, pair(bare, bare_again))} "
          f"(the two pairs apart: {ratio(cold, bare):.2f}x, {ratio(cold_again, bare_again):.2f}x; target >= 0.8)")
    print(f"  whole pipeline / bare full en_core_web_sm: {versus(both_cold, pair(full, full_again))} "
          f"(the two pairs apart: {ratio(cold, full):.2f}x, {ratio(cold_again, full_again):.2f}x; target >= 1.5)")
    print(f"  2 workers / 1 worker: {ratio(two, cold):.2f}x wall (target >= 1.7; CPU time "
          f"{two['cpu'] / cold['cpu']:.2f}x of one worker's: the cost of the pool)")
    print(f"  Dask LocalCluster of 2 workers / fastest one-machine mode: "
          f"{ratio(dask, min(cold, two, key=lambda result: result['seconds'])):.2f}x wall (target >= 0.9)")
    print(f"  re-run after a rules edit, with the cache / cold run: {again['seconds'] / first['seconds']:.0%} of the "
          f"time, {again['cpu'] / first['cpu']:.0%} of the CPU time (target <= 10%)")
    compared, changes_cpu = changes_cost(work / "cold", work / "cached")
    print(f"  the changes table (two runs' tables compared, {compared} rows): {changes_cpu:.2f} s CPU, "
          f"{changes_cpu / cold['cpu']:.1%} of a cold run's CPU time, {changes_cpu / again['cpu']:.1%} of the re-run's "
          "(target < 5% of a cold run)")
    spent = spawn("stages", raw, work / "stages")
    total = sum(spent.values())
    print("\nwhere one worker's time goes (no cache; loading and writing the tables left out):")
    for stage, seconds in spent.items():
        print(f"  {stage:30} {seconds:7.1f} s {seconds / total:5.0%}")


def changes_cost(old: Path, new: Path) -> tuple[int, float]:
    """Rows in NEW's tables and the CPU seconds of comparing them with OLD's, as each run does before
    replacing its tables (extract.changes); the best of three, so a busy machine inflates it least."""
    import pandas as pd

    from extract.changes import compare_folders, csv_paths

    rows = sum(len(pd.read_csv(path, usecols=[0])) for path in csv_paths(new).values() if path.is_file())
    times = []
    for _ in range(3):
        clock = time.process_time()
        compare_folders(old, new)
        times.append(time.process_time() - clock)
    return rows, min(times)


def dask_modes(raw: Path, work: Path) -> None:
    """One process, 2 forked workers and a Dask LocalCluster of 2 workers, in the order A B C C B A (drift cancels)."""
    kinds = [("one process", 1, "extract-nocache"), ("--workers 2", 2, "extract-nocache"),
             ("Dask LocalCluster, 2 workers", 2, "extract-dask")]
    print(f"{len(find_documents(raw).documents)} documents, no cache; each mode twice, in the order A B C C B A\n")
    runs: dict[str, list[dict]] = {name: [] for name, _, _ in kinds}
    for name, workers, kind in kinds + kinds[::-1]:
        result = spawn(kind, raw, work / f"{kind}-{workers}", workers=workers)
        runs[name].append(result)
        show(result)
    one, two, dask = (pair(*runs[name]) for name, _, _ in kinds)
    print(f"\n  2 workers / one process: {ratio(two, one):.2f}x wall (target >= 1.8)")
    print(f"  Dask LocalCluster / --workers 2: {ratio(dask, two):.2f}x wall")
    print(f"  Dask LocalCluster / fastest one-machine mode: {ratio(dask, min(one, two, key=lambda r: r['seconds'])):.2f}x "
          "wall (target >= 0.9)")


def pair(a: dict, b: dict) -> dict:
    """Two runs of the same kind as one: their times added."""
    return {"seconds": a["seconds"] + b["seconds"], "cpu": a["cpu"] + b["cpu"]}


def ratio(result: dict, base: dict) -> float:
    """result's throughput as a multiple of base's, by wall time."""
    return base["seconds"] / result["seconds"]


def memory(raw: Path, work: Path) -> None:
    total = len(find_documents(raw).documents)
    tenth = subset(raw, total // 10, work / "tenth")
    small = spawn("extract-nocache", tenth, work / "o1", workers=2)
    large = spawn("extract-nocache", raw, work / "o2", workers=2)
    show(small)
    show(large)
    both = lambda result: result["rss"] + result["rss_child"]  # noqa: E731
    print(f"  -> peak memory (main + largest worker), all {total} documents / a tenth: "
          f"{both(large) / both(small):.2f}x (target <= 1.5)")


# The ladder: one document of each shape at doubling sizes, 7.8 KB to 1 MB (spaCy's max_length is 1,000,000
# characters). Each is made here at run time, into the bench's temporary folder, never kept.
LADDER_SIZES = [1_000_000 >> k for k in range(7, -1, -1)]
LADDER_GROWTH = 2.5  # the most a step's time or memory may grow for twice the input
LADDER_BUDGET = 120.0  # seconds: past this, a shape's larger steps are not run (they would take many times longer)
NATO = ("Alpha Bravo Charlie Delta Echo Foxtrot Golf Hotel India Juliett Kilo Lima Mike November Oscar Papa Quebec "
        "Romeo Sierra Tango Uniform Victor Whiskey Xray Yankee Zulu").split()


def definitions() -> Iterator[str]:
    """ "Alpha Bravo Program (ABP)", over every pair of words, again and again."""
    for first, second in itertools.cycle(itertools.product(NATO, repeat=2)):
        yield f"{first} {second} Program ({first[0]}{second[0]}P)"


def definition_sentences() -> Iterator[str]:
    """A definition in a short sentence, so that cleaning keeps a line of each (a bare list is a menu)."""
    for definition in definitions():
        yield f"The {definition} was reviewed."


def amount_lines() -> Iterator[str]:
    """One amount a line, as in a budget table."""
    for i in itertools.count(1):
        yield f"Line {i}: ${i % 997}.{i % 10} million for {NATO[i % 26]} in fiscal year {2000 + i % 25}"


def articles(corpus: Path) -> Iterator[str]:
    """The corpus's articles in order, again and again if the size needs it."""
    paths = find_documents(corpus).documents
    for path in itertools.cycle(paths):
        yield path.read_text(encoding="utf-8").strip()


def ladder_shapes(corpus: Path) -> dict[str, tuple[Callable[[], Iterator[str]], str]]:
    """Each shape: its pieces and what joins them."""
    return {
        "acronym definitions, inline": (definitions, " "),
        "acronym definitions, one a line": (definition_sentences, "\n"),
        "numbers, comma-separated": (lambda: itertools.repeat("1"), ", "),
        "amounts, one a line": (amount_lines, "\n"),
        "corpus articles, joined": (lambda: articles(corpus), "\n\n"),
    }


def sized(pieces: Iterator[str], joiner: str, size: int) -> str:
    """Whole pieces joined until the text holds `size` characters, cut at the last whole piece."""
    parts, length = [], 0
    for piece in pieces:
        if length + len(piece) > size:
            break
        parts.append(piece)
        length += len(piece) + len(joiner)
    return joiner.join(parts) + "\n"


def ladder(corpus: Path, work: Path) -> None:
    """Seconds per 100 KB and peak memory for each shape at each size, each run its own `extract run` process.

    The time per 100 KB is CPU time past loading the pipeline (a fixed cost,
    printed apart): on a machine shared with other work, wall time says more
    about the neighbours than about extract. The growth columns compare each
    step with the one before, for twice the input. Memory is the process's
    peak, the model's few hundred MB included, so it grows much less than twice.
    """
    print(f"sizes: {', '.join(f'{size / 1000:g} KB' for size in LADDER_SIZES)}; one document a run, 1 worker, no cache")
    print(f"target: no step more than {LADDER_GROWTH}x the one before (CPU time past loading, and peak memory)\n")
    verdicts = []
    for shape, (pieces, joiner) in ladder_shapes(corpus).items():
        print(shape)
        print(f"  {'size':>9} {'wall':>7} {'CPU':>7} {'loading':>8} {'s/100 KB':>9} {'growth':>7} {'peak MB':>8} {'growth':>7}")
        previous, worst = None, (0.0, 0.0)
        for size in LADDER_SIZES:
            folder = work / f"ladder-{len(verdicts)}-{size}"
            folder.mkdir()
            text = sized(pieces(), joiner, size)
            (folder / "doc.txt").write_text(text, encoding="utf-8")
            try:
                result = spawn("extract-nocache", folder, work / "ladder-out", timeout=10 * LADDER_BUDGET)
            except subprocess.TimeoutExpired:
                print(f"  {len(text) / 1000:6.1f} KB: stopped after {10 * LADDER_BUDGET:.0f} s")
                worst = (float("inf"), worst[1])
                break
            work_seconds = result["cpu"] - result["loading_cpu"]
            growth = work_seconds / previous["work"] if previous else None
            memory = result["rss"] / previous["rss"] if previous else None
            if growth is not None:
                worst = (max(worst[0], growth), max(worst[1], memory))
            print(f"  {len(text) / 1000:6.1f} KB {result['seconds']:6.1f}s {result['cpu']:6.1f}s {result['loading_cpu']:7.1f}s "
                  f"{work_seconds / len(text) * 100_000:9.2f} {f'{growth:.2f}x' if growth else '':>7} "
                  f"{result['rss']:8.0f} {f'{memory:.2f}x' if memory else '':>7}"
                  + (f"  ERROR {result['errors'][0]}" if result["errors"] else ""))
            previous = {"work": work_seconds, "rss": result["rss"]}
            if work_seconds > LADDER_BUDGET:
                print(f"  (larger sizes not run: this step took over {LADDER_BUDGET:.0f} s of CPU)")
                worst = (float("inf"), worst[1])
                break
        verdicts.append((shape, worst))
    print("\ntargets (largest growth for twice the input, CPU time past loading / peak memory; target <= "
          f"{LADDER_GROWTH}x):")
    for shape, (time_growth, memory_growth) in verdicts:
        ok = time_growth <= LADDER_GROWTH and memory_growth <= LADDER_GROWTH
        shown = "not all sizes ran" if time_growth == float("inf") else f"{time_growth:.2f}x"
        print(f"  {shape:35} time {shown:>17}, memory {memory_growth:.2f}x  {'ok' if ok else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path)
    parser.add_argument("--limit", type=int, help="only the first N documents")
    parser.add_argument("--memory", action="store_true", help="peak memory on a tenth and on all documents")
    parser.add_argument("--dask", action="store_true", help="only one process, --workers 2 and a Dask LocalCluster")
    parser.add_argument("--ladder", action="store_true", help="time and memory of one document of each shape, by size")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--rules", type=Path, default=ROOT / "rules", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure == "stages":
        print(json.dumps(stages(args.corpus, args.out)))
        return
    if args.measure:
        print(json.dumps(measure(args.measure, args.corpus, args.out, args.workers, args.rules)))
        return
    sys.stdout.reconfigure(line_buffering=True)  # each line as its run ends, also into a file or a pipe
    raw = args.corpus or CORPORA / ("reuters-21578" if args.memory else "bbc-news-2005")
    print(f"machine: {os.cpu_count()} cores, {cpu_model()}; Python {sys.version.split()[0]}")
    print(f"corpus: {raw}" + (f", the first {args.limit} documents" if args.limit else ""))
    with tempfile.TemporaryDirectory(prefix="extract-bench-") as folder:
        work = Path(folder)
        if args.limit:
            raw = subset(raw, args.limit, work / "subset")
        if args.ladder:
            ladder(raw, work)
        else:
            (memory if args.memory else dask_modes if args.dask else throughput)(raw, work)


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


if __name__ == "__main__":
    main()
