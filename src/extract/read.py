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

from .errors import DocumentError, UsageError

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


def find_documents(raw: Path) -> Found:
    """List RAW's text files (recursively), sorted by doc_id; other files are skipped."""
    if not raw.exists():
        raise UsageError(f"{raw}: no such file or folder")
    if raw.is_file():
        return Found(raw.parent, [raw], [])
    documents: list[Path] = []
    skipped: list[Path] = []
    for path in raw.rglob("*"):
        if not path.is_file() or any(part.startswith(".") for part in path.relative_to(raw).parts):
            continue
        (documents if path.suffix.lower() in TEXT_SUFFIXES else skipped).append(path)
    documents.sort(key=lambda p: doc_id_of(p, raw))
    skipped.sort()
    return Found(raw, documents, skipped)


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
