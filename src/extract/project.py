"""`extract init`: a new project folder, copied from the starter the package ships.

The starter is what a new user needs to run at once and then tune: raw/ with
a sample text, rules/ (the default rules, comments and all) and a README of
the daily loop. A file already there is never overwritten, so running init
again, or in a folder that holds work, only adds what is missing.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from .errors import UsageError

STARTER_SUFFIXES = (".md", ".txt", ".yml")  # what the package ships in starter/ (pyproject.toml)


@dataclass
class Created:
    """What `init_project` did, file by file."""

    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # already there, left as they were


def init_project(folder: Path) -> Created:
    """Copy the starter into `folder` (made if missing), skipping every file that exists."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder}: is a file, not a folder")
    created = Created()
    for source, relative in starter_files(resources.files("extract") / "starter"):
        target = folder.joinpath(*relative)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("xb") as handle:  # "x": fails instead of overwriting
                handle.write(source.read_bytes())
        except FileExistsError:
            created.kept.append(target)
            continue
        except OSError as error:
            raise UsageError(f"{target}: cannot write ({error.strerror})") from error
        created.written.append(target)
    return created


def starter_files(folder: Traversable, prefix: tuple[str, ...] = ()) -> Iterator[tuple[Traversable, tuple[str, ...]]]:
    """Every shipped file under `folder` with its path relative to the starter (as parts), in name order."""
    for entry in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if entry.is_dir():
            yield from starter_files(entry, (*prefix, entry.name))
        elif entry.name.endswith(STARTER_SUFFIXES):
            yield entry, (*prefix, entry.name)
