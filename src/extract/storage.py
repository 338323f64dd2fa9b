"""RAW and OUT as fsspec URLs (memory://, s3://, gs://, file://): the run works on local copies.

A URL of the local file system is just its path. Any other is copied into a
temporary folder first (RAW, and OUT's files from the last run: the cache, the
tables changes are measured against), and OUT's files are copied back once the
run has written its tables; a file the run removed (the part of a table's
Parquet dataset that a shorter table no longer has) is removed there too. A
run that fails copies nothing back.
"""
from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import fsspec
from fsspec.implementations.local import LocalFileSystem
from fsspec.implementations.memory import MemoryFileSystem

from .errors import UsageError


def is_url(location: str | Path) -> bool:
    """Whether a command-line location names a file system (`memory://...`) rather than a plain path."""
    return "://" in str(location)


def local_path(location: str | Path) -> Path | None:
    """The plain path of a local location (a path or a file:// URL); None for any other file system."""
    if not is_url(location):
        return Path(location)
    fs, path = fsspec.core.url_to_fs(str(location))
    return Path(path) if isinstance(fs, LocalFileSystem) else None


def shared_url(location: str | Path) -> str | None:
    """The URL of storage that other machines can read (s3://, gs://, ...), for a cluster's workers; None
    for a local path or file:// URL (read in place) and for memory://, which lives in this process only."""
    if local_path(location) is not None:
        return None
    fs, _ = fsspec.core.url_to_fs(str(location))
    return None if isinstance(fs, MemoryFileSystem) else str(location)


@contextmanager
def local_copies(raw: str | Path, out: str | Path) -> Iterator[tuple[Path, Path]]:
    """Local folders for RAW and OUT; OUT's local copy goes back to its URL when the block ends without error."""
    with ExitStack() as stack:
        local_raw, local_out = local_path(raw), local_path(out)
        if local_raw is None:
            local_raw = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="extract-raw-"))) / "raw"
            if not download(str(raw), local_raw):
                raise UsageError(f"{raw}: no such file or folder")
        if local_out is not None:
            yield local_raw, local_out
            return
        local_out = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="extract-out-"))) / "out"
        download(str(out), local_out)
        yield local_raw, local_out
        upload(local_out, str(out))


def download(url: str, folder: Path) -> bool:
    """Every file under `url` (or the one file it names) into `folder`, keeping their relative paths; False if none is there."""
    fs, root = fsspec.core.url_to_fs(url)
    folder.mkdir(parents=True, exist_ok=True)
    if not fs.exists(root):
        return False
    if fs.isfile(root):
        fs.get_file(root, str(folder / Path(root).name))
        return True
    for remote in fs.find(root):
        local = folder / Path(remote).relative_to(Path(root))
        local.parent.mkdir(parents=True, exist_ok=True)
        fs.get_file(remote, str(local))
    return True


def upload(folder: Path, url: str) -> None:
    """Every file under `folder` to the same relative path under `url`; files only `url` holds are removed."""
    fs, root = fsspec.core.url_to_fs(url)
    root = root.rstrip("/")
    written = set()
    for local in sorted(path for path in folder.rglob("*") if path.is_file()):
        remote = f"{root}/{local.relative_to(folder).as_posix()}"
        fs.makedirs(remote.rsplit("/", 1)[0], exist_ok=True)
        fs.put_file(str(local), remote)
        written.add(remote)
    stale = [remote for remote in fs.find(root) if remote.rstrip("/") not in written]
    if stale:
        fs.rm(stale)
