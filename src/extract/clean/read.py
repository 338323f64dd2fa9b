"""Find the raw documents, read their bytes, decode them and name them.

Everything that can go wrong with a file on disk (missing, unreadable,
binary, not UTF-8, too large) is caught here and becomes a DocumentError, so
the later stages only ever see text.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from ..errors import DocumentError, UsageError
from ..rules import RULE_FILES

TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm")


WESTERN = ("cp1252", "latin_1", "iso8859_15")  # preferred among equally plausible guesses


MAX_BYTES = 20_000_000  # larger files are refused with a clear message, read unread


@dataclass(frozen=True)
class RawDocument:
    """One file's bytes decoded to text, with what the tables need to say about it."""

    doc_id: str
    path: str  # relative to RAW, with forward slashes
    text: str
    sha256: str
    encoding: str  # "utf-8", or the detected charset when it was not UTF-8
    is_html: bool


@dataclass(frozen=True)
class Found:
    """What lies under RAW: the documents to read and the files passed over."""

    root: Path
    documents: list[Path]
    skipped: list[Path]


def find_documents(raw: Path, out: Path | None = None) -> Found:
    """List RAW's text files (recursively), sorted by doc_id; other files are skipped.

    Hidden files, what a run wrote and rules folders (see LeftOut) are
    neither: a run's cleaned texts read back as documents would double every
    row, and a project's rules/ is no pile of files skipped one by one.
    """
    if not raw.exists():
        raise UsageError(f"{raw}: no such file or folder")
    if raw.is_file():
        return Found(raw.parent, [raw], [])
    documents: list[Path] = []
    skipped: list[Path] = []
    left_out = LeftOut(raw, out)
    for path in raw.rglob("*"):
        parts = path.relative_to(raw).parts
        if not path.is_file() or any(part.startswith(".") for part in parts) or left_out.hold(parts):
            continue
        (documents if path.suffix.lower() in TEXT_SUFFIXES else skipped).append(path)
    documents.sort(key=lambda p: doc_id_of(p, raw))
    skipped.sort()
    return Found(raw, documents, skipped)


class LeftOut:
    """The folders under RAW that hold no documents: OUT, any earlier run's output, and rules folders.

    An earlier run may have had another --out, and `extract clean` and `extract
    suggest` know no OUT, so a folder is also known by what every run leaves in
    it: documents.csv beside clean/ (TABLES.md). When the output folder is RAW
    itself (`--out RAW`), only its clean/ and review/ are left out, not the
    documents. A rules folder is known by its rule files (`extract run .` in a
    project).
    """

    def __init__(self, raw: Path, out: Path | None) -> None:
        self.raw = raw
        self.known: dict[tuple[str, ...], bool] = {(): False}  # parts relative to RAW -> left out
        inside = parts_inside(out, raw) if out is not None else None
        if inside == () or is_output_folder(raw):
            self.known[("clean",)] = True
            self.known[("review",)] = True  # the review report's page and scripts
        if inside:
            self.known[inside] = True

    def hold(self, parts: tuple[str, ...]) -> bool:
        """Whether the file at `parts` (relative to RAW) lies in a folder left out."""
        return any(self.is_left_out(parts[:depth]) for depth in range(len(parts)))

    def is_left_out(self, folder: tuple[str, ...]) -> bool:
        if folder not in self.known:
            path = self.raw.joinpath(*folder)
            self.known[folder] = is_output_folder(path) or is_rules_folder(path)
        return self.known[folder]


def is_output_folder(folder: Path) -> bool:
    """A folder `extract run` wrote its tables to: its documents table beside the cleaned texts."""
    return (folder / "documents.csv").is_file() and (folder / "clean").is_dir()


def is_rules_folder(folder: Path) -> bool:
    """A folder of rule files, such as a project's rules/: every file `extract run` needs is there."""
    return all((folder / name).is_file() for name in RULE_FILES)


def parts_inside(path: Path, root: Path) -> tuple[str, ...] | None:
    """`path` relative to `root` as parts (() for root itself), or None when it lies elsewhere."""
    try:
        return path.resolve().relative_to(root.resolve()).parts
    except ValueError:
        return None


def doc_id_of(path: Path, root: Path) -> str:
    """The path relative to RAW without its extension: raw/state/iraq.txt -> state/iraq."""
    return path.relative_to(root).with_suffix("").as_posix()


def read_document(path: Path, root: Path, max_bytes: int = MAX_BYTES) -> RawDocument:
    """Read and decode one file; every failure is a DocumentError naming the file."""
    relative = path.relative_to(root).as_posix()
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(
                relative, f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit for one document"
            )
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise DocumentError(relative, "file disappeared before it could be read") from exc
    except OSError as exc:
        raise DocumentError(relative, f"cannot read file ({exc.strerror})") from exc
    text, encoding = decode(data, relative)
    return RawDocument(
        doc_id=doc_id_of(path, root),
        path=relative,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        is_html=path.suffix.lower() in (".html", ".htm"),
    )


def decode(data: bytes, name: str) -> tuple[str, str]:
    """UTF-8 when it is; else the charset charset-normalizer detects; binary is refused."""
    if b"\x00" in data[:65536]:
        raise DocumentError(name, "binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    matches = list(from_bytes(data))
    if not matches:
        raise DocumentError(name, "not UTF-8 and no text encoding could be detected")
    # Short English texts fit several code pages equally well; the Western one is the likely one.
    western = [m for m in matches if m.encoding in WESTERN and m.chaos <= matches[0].chaos]
    best = western[0] if western else matches[0]
    return str(best), best.encoding
