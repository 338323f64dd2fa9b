"""Every error `extract` reports, each rendered as one line that names the file.

A user scanning a run's output or a CI log should see at once which file is at
fault and, for rule files, which line; so every message is built here and
nowhere else.
"""
from __future__ import annotations

from pathlib import Path


class ExtractError(Exception):
    """Base class: anything `extract` reports to the user as one line."""


class RuleError(ExtractError):
    """A rules/*.yml file that cannot be used: bad YAML, unknown key, wrong value."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else f"{self.path}"
        super().__init__(f"{where}: {message}")


class DocumentError(ExtractError):
    """A raw document that cannot be read or processed; the run goes on without it."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        self.message = message
        super().__init__(f"{self.path}: {message}")


class OutputError(ExtractError):
    """OUT cannot take the run's output: a file, not writable, in use by another run, or the disk is full."""


class RuleTimeout(ExtractError):
    """A rule pattern that ran too long on one line: it backtracks without end there (`^(a|aa)+$` on a run of a's)."""


class UsageError(ExtractError):
    """A command-line argument that points nowhere useful (missing folder, ...)."""


class SetupError(ExtractError):
    """Something the installation lacks, such as the spaCy model; the message says what to install."""
