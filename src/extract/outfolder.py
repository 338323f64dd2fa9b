"""OUT for one run: one run at a time, the cleaned texts staged and swapped in with the tables.

A run writes its cleaned texts to a hidden staging folder, OUT/.staging.<pid>/clean/,
and only when every table is complete does that folder take the place of
OUT/clean/, right before the tables are renamed into place. An interrupted
run (Ctrl-C, SIGTERM, SIGKILL, a full disk) so leaves clean/ and the tables
as the last complete run wrote them: `clean[char_start:char_end] == text`
holds for every kept row. Whatever an interrupted run left behind (staging
folders, temporary files) the next run removes, under the lock that keeps
two runs out of one OUT at a time.
"""
from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path
from types import TracebackType
from typing import IO

from .errors import OutputError

LOCK = ".lock"
LEFTOVERS = (".*.tmp", ".staging.*", ".old-clean.*", "clean/.*.tmp", ".cache/*/*/*/.*.tmp", ".cache/*/*/.*.tmp")


class OutFolder:
    """OUT, locked for this run, with the staging folder its cleaned texts go to."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.staging = out / f".staging.{os.getpid()}"
        self.lock: IO[str] | None = None

    def __enter__(self) -> OutFolder:
        usable_folder(self.out)
        self.lock = take_lock(self.out)
        remove_leftovers(self.out)
        (self.staging / "clean").mkdir(parents=True)
        return self

    def publish(self) -> None:
        """Put the staged cleaned texts in place of OUT/clean/ (two renames), the old ones then deleted."""
        current, old = self.out / "clean", self.out / f".old-clean.{os.getpid()}"
        if current.exists():
            os.replace(current, old)
        os.replace(self.staging / "clean", current)
        shutil.rmtree(old, ignore_errors=True)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        if self.lock is not None:
            self.lock.close()  # closing the file releases the lock


def usable_folder(out: Path) -> None:
    """OUT is a folder this run can write in, or a one-line OutputError says why not, before any work."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: is a file, not a folder; choose another --out")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".probe.{os.getpid()}.tmp"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise OutputError(f"{out}: cannot write the tables there ({error.strerror or error})") from None
    clean = out / "clean"
    if clean.exists() and not (out / "documents.csv").is_file() and any(clean.iterdir()):
        raise OutputError(
            f"{clean}: holds files that no extract run wrote (no documents.csv beside it), and a run replaces "
            "clean/ whole; move them, or choose another --out"
        )


def take_lock(out: Path) -> IO[str]:
    """OUT/.lock, held until the run ends (the system lets it go when the process dies, even by SIGKILL)."""
    handle = (out / LOCK).open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "?"
        handle.close()
        raise OutputError(f"{out}: another extract run (process {holder}) is writing there; wait for it to end") from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle


def remove_leftovers(out: Path) -> None:
    """Temporary files and staging folders of runs that were killed; no other run is in OUT (we hold the lock)."""
    for pattern in LEFTOVERS:
        for path in out.glob(pattern):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
