"""Fuzz: `extract run` on a generated adversarial folder, within a time and memory budget.

    python tools/fuzz.py [--scale 1.0] [--seconds 2400] [--memory-mb 12000] [--workers 2]

The folder is made at run time in a temporary directory (never committed):
the shapes of issue 20 at ten times the sizes it reported (at --scale 1),
random bytes and random Unicode, broken links, a link loop, clashing names,
other encodings and broken HTML, beside good/: copies of raw/*.txt. The run
must end within the budget with exit 0 or 1 (no hang, no crash), every
document must have a documents row, and the good documents must get exactly
the rows they get in a run of their own (no row lost or mixed). Prints the
time, the peak memory of the largest process, and the counts.
"""
from __future__ import annotations

import argparse
import csv
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXTRACT = Path(sys.executable).with_name("extract")
SPAN_TABLES = ("entities", "money", "dates", "programs")
csv.field_size_limit(sys.maxsize)


def adversarial(scale: float, seed: int = 20) -> dict[str, bytes]:
    """The adversarial files, by name; sizes are issue 20's times ten, times `scale`."""
    rng = random.Random(seed)

    def n(count: int) -> int:
        return max(1, int(count * 10 * scale))

    report = "".join(
        f"Section {i}. In fiscal year {2000 + i % 25} the Foreign Military Financing program paid "
        f"${i % 900 + 1} million to the border police, and $2.{i % 10} billion followed in {2001 + i % 24}.\n\n"
        for i in range(n(1_500_000) // 170)
    )
    unicode_text = "".join(chr(rng.choice([rng.randint(0x20, 0x7E), rng.randint(0xA0, 0xD7FF), rng.randint(0xE000, 0x10FFFF)]))
                           for _ in range(n(20_000)))
    return {
        "short-lines.txt": ("$1\n" * n(200_000)).encode(),
        "ones.txt": ("Totals: " + ", ".join(["1"] * n(100_000)) + ".\n").encode(),
        "years.txt": ("Aid came in 2020, " + ", ".join(str(2000 + i % 25) for i in range(n(20_000))) + " and 2024.\n").encode(),
        "long-report.txt": ("Annual report on security assistance\n\n" + report).encode(),
        "report.md": b"Report\n\nThe fund paid $5 million in 2020.\n",
        "report.txt": b"Report\n\nThe army got $7 billion in 2021.\n",
        "formula.txt": b'=HYPERLINK("http://x.example/?leak","click")\n\n+The fund paid $5 million in 2020.\n',
        "wide.txt": "Aid\n\nThe fund paid $5 million to the ministère in 2020.\n".encode("utf-16"),
        "western.txt": "Crédits de paiement : 1,2 milliard € pour l'année fiscale ; hausse de 3 %.\n".encode("cp1252"),
        "template.html": (b"<html><head><title>Aid</title></head><body><article><p>The United States provided $5 million "
                          b"to Iraq in 2020 for border security, the embassy said.</p><template><p>$3,210 million</p>"
                          b"</template></article></body></html>"),
        "untitled.html": (b"<html><head><title>Aid to Iraq\n</head><body><p>The United States provided $5 million to "
                          b"Iraq in 2020 for border security, the embassy said.</p></body></html>"),
        "random-bytes.txt": rng.randbytes(n(100_000)),
        "random-unicode.txt": unicode_text.encode("utf-8", "surrogatepass"),
        "random-unicode.md": "".join(rng.choice("aé €$1,\n\t ‐—“”") for _ in range(n(50_000))).encode(),
        "no-space.txt": ("x" * n(100_000)).encode(),
        "empty.txt": b"",
    }


def make_folder(folder: Path, scale: float) -> int:
    """RAW for the fuzz run; returns how many documents it holds (text files, links included)."""
    good = folder / "good"
    good.mkdir(parents=True)
    for path in sorted((ROOT / "raw").glob("*.txt")):
        shutil.copy(path, good / path.name)
    bad = folder / "bad"
    bad.mkdir()
    for name, data in adversarial(scale).items():
        (bad / name).write_bytes(data)
    (bad / "gone.txt").symlink_to(bad / "nowhere.txt")
    (bad / "loop").mkdir()
    (bad / "loop" / "back").symlink_to(folder, target_is_directory=True)
    return len(list(good.iterdir())) + len(adversarial(scale)) + 1


def rows(out: Path, prefix: str) -> dict[str, list[tuple[str, ...]]]:
    """Every span table's rows of the documents whose doc_id starts with `prefix`."""
    found = {}
    for name in SPAN_TABLES:
        with (out / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            found[name] = [tuple(row) for row in csv.reader(handle) if row[0].startswith(prefix)]
    return found


def run(raw: Path, out: Path, workers: int, seconds: float, *extra: str) -> tuple[int, float]:
    """`extract run` as a user runs it; exit code and wall seconds. A run over the budget is a hang."""
    started = time.perf_counter()
    command = [str(EXTRACT), "run", str(raw), "--out", str(out), "--workers", str(workers), "--no-cache", "-q", *extra]
    try:
        code = subprocess.run(command, timeout=seconds, cwd=ROOT).returncode
    except subprocess.TimeoutExpired:
        sys.exit(f"FAIL: no end after {seconds:.0f} s (a hang)")
    return code, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1: issue 20's sizes times ten")
    parser.add_argument("--seconds", type=float, default=2400, help="time budget of the fuzz run")
    parser.add_argument("--memory-mb", type=float, default=12_000, help="peak memory budget of its largest process")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="extract-fuzz-") as temporary:
        folder = Path(temporary)
        expected_documents = make_folder(folder / "raw", args.scale)
        size = sum(p.stat().st_size for p in (folder / "raw").rglob("*") if p.is_file() and not p.is_symlink())
        print(f"fuzz folder: {expected_documents} documents, {size / 1e6:.1f} MB; budget {args.seconds:.0f} s, "
              f"{args.memory_mb:.0f} MB")
        code, seconds = run(folder / "raw", folder / "out", args.workers, args.seconds, "--doc-timeout", "900")
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        shutil.copytree(folder / "raw" / "good", folder / "alone" / "good")
        run(folder / "alone", folder / "alone-out", args.workers, args.seconds)
        problems = []
        if code not in (0, 1):
            problems.append(f"exit {code} (a crash or a usage error)")
        with (folder / "out" / "documents.csv").open(encoding="utf-8", newline="") as handle:
            documents = list(csv.DictReader(handle))
        if len(documents) != expected_documents:
            problems.append(f"{len(documents)} documents rows for {expected_documents} documents")
        failed = [row for row in documents if row["status"] != "ok"]
        kept, alone = rows(folder / "out", "good/"), rows(folder / "alone-out", "good/")
        for name in SPAN_TABLES:
            if kept[name] != alone[name]:
                problems.append(f"{name}: the good documents' rows differ from a run of their own")
        counts = {name: sum(1 for _ in (folder / "out" / f"{name}.csv").open(encoding="utf-8")) - 1 for name in SPAN_TABLES}
        print(f"time {seconds:.1f} s (budget {args.seconds:.0f} s); peak memory {peak:.0f} MB of the largest process "
              f"(budget {args.memory_mb:.0f} MB); exit {code}")
        print(f"documents {len(documents)} ({len(failed)} failed); rows: "
              + ", ".join(f"{name} {count}" for name, count in counts.items())
              + f"; good documents' rows kept: {sum(len(v) for v in kept.values())} of {sum(len(v) for v in alone.values())}")
        for row in failed:
            print(f"  failed: {row['error'][:160]}")
        if seconds > args.seconds:
            problems.append(f"over the time budget: {seconds:.0f} s")
        if peak > args.memory_mb:
            problems.append(f"over the memory budget: {peak:.0f} MB")
        if problems:
            sys.exit("FAIL: " + "; ".join(problems))
        print("fuzz: ok")


if __name__ == "__main__":
    main()
