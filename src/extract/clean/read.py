"""Find the raw documents, read their bytes, decode them and name them.

Everything that can go wrong with a file on disk (missing, unreadable,
binary, not UTF-8, too large) is caught here and becomes a DocumentError, so
the later stages only ever see text.
"""
from __future__ import annotations

import codecs
import hashlib
import os
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

from ..errors import DocumentError, UsageError
from ..rules import RULE_FILES

TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm")


WESTERN = ("cp1252", "latin_1", "iso8859_15")  # preferred among equally plausible guesses
# UTF-32's marks first: UTF-32-LE's begins with UTF-16-LE's.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)


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
class RawInfo:
    """What reading a file told besides its text: its cleaned text's cache entry is named by it, so a run
    that read the file once (for the site lines) need not read it again to find that entry."""

    path: str  # relative to RAW, with forward slashes
    sha256: str
    encoding: str
    chars: int
    is_html: bool

    @classmethod
    def of(cls, raw: RawDocument) -> RawInfo:
        return cls(raw.path, raw.sha256, raw.encoding, len(raw.text), raw.is_html)


@dataclass(frozen=True)
class Found:
    """What lies under RAW: the documents to read and the files passed over."""

    root: Path
    documents: list[Path]
    skipped: list[Path]
    doc_ids: dict[Path, str] = field(default_factory=dict)  # every document's doc_id, unique (see unique_doc_ids)
    problems: list[str] = field(default_factory=list)  # folders that could not be read, symbolic link loops

    def doc_id(self, path: Path) -> str:
        return self.doc_ids.get(path) or doc_id_of(path, self.root)


def find_documents(raw: Path, out: Path | None = None) -> Found:
    """List RAW's text files (recursively), sorted by doc_id; other files are skipped.

    Hidden files, what a run wrote and rules folders (see LeftOut) are
    neither: a run's cleaned texts read back as documents would double every
    row, and a project's rules/ is no pile of files skipped one by one.
    """
    if not raw.exists():
        raise UsageError(f"{raw}: no such file or folder")
    if raw.is_file():
        return Found(raw.parent, [raw], [], {raw: doc_id_of(raw, raw.parent)})
    documents: list[Path] = []
    skipped: list[Path] = []
    problems: list[str] = []
    left_out = LeftOut(raw, out)
    walked: set[tuple[int, int]] = set()  # (device, inode) of every folder walked, so a symbolic link loop ends

    def unreadable(error: OSError) -> None:
        where = Path(error.filename).relative_to(raw).as_posix() if error.filename else str(raw)
        problems.append(f"{where}: cannot read this folder ({error.strerror}); its files are left out")

    for folder, subfolders, files in os.walk(raw, onerror=unreadable, followlinks=True):
        here = Path(folder)
        parts = here.relative_to(raw).parts
        try:
            status = here.stat()
        except OSError as error:
            unreadable(error)
            subfolders.clear()
            continue
        if (status.st_dev, status.st_ino) in walked:
            problems.append(f"{here.relative_to(raw).as_posix()}: a symbolic link back to a folder already read; not read again")
            subfolders.clear()
            continue
        walked.add((status.st_dev, status.st_ino))
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and not left_out.is_left_out((*parts, d)))
        for name in files:
            if not name.startswith("."):
                path = here / name
                (documents if path.suffix.lower() in TEXT_SUFFIXES else skipped).append(path)
    doc_ids = unique_doc_ids(documents, raw)
    documents.sort(key=doc_ids.__getitem__)
    skipped.sort()
    return Found(raw, documents, skipped, doc_ids, problems)


def unique_doc_ids(paths: list[Path], root: Path) -> dict[Path, str]:
    """Each document's doc_id: its path under RAW without the extension, unless two files share
    that (`report.txt` and `report.md`): then each keeps its extension (`report.txt`, `report.md`),
    and a clash still left takes `~2`, `~3`, ... in path order. Cleaned texts and rows never mix."""
    plain = {path: doc_id_of(path, root) for path in paths}
    shared = Counter(plain.values())
    wanted = {path: path.relative_to(root).as_posix() if shared[plain[path]] > 1 else plain[path] for path in paths}
    taken: set[str] = set()
    ids: dict[Path, str] = {}
    for path in sorted(paths, key=lambda p: (wanted[p], p.as_posix())):
        doc_id, number = wanted[path], 2
        while doc_id in taken:
            doc_id, number = f"{wanted[path]}~{number}", number + 1
        taken.add(doc_id)
        ids[path] = doc_id
    return ids


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


def read_document(path: Path, root: Path, max_bytes: int = MAX_BYTES, doc_id: str | None = None) -> RawDocument:
    """Read and decode one file; every failure is a DocumentError naming the file."""
    relative = path.relative_to(root).as_posix()
    try:
        if path.is_symlink() and not path.exists():
            raise DocumentError(relative, f"broken symbolic link: it points to {os.readlink(path)}, which cannot be reached")
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise DocumentError(relative, "not a regular file (a pipe, socket or device); not read")
        size = status.st_size
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
        doc_id=doc_id or doc_id_of(path, root),
        path=relative,
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        is_html=path.suffix.lower() in (".html", ".htm"),
    )


def decode(data: bytes, name: str) -> tuple[str, str]:
    """UTF-8 when it is; UTF-16 or UTF-32 when a byte-order mark says so; else the charset
    charset-normalizer detects, Western when that fits as well; binary is refused."""
    for mark, codec in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data[len(mark) :].decode(codec), codec
            except UnicodeDecodeError:
                raise DocumentError(name, f"starts with a {codec} byte-order mark but is not {codec}") from None
    if b"\x00" in data[:65536]:
        raise DocumentError(name, "binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    matches = list(from_bytes(data))
    if not matches:
        raise DocumentError(name, "not UTF-8 and no text encoding could be detected")
    # Short texts fit several code pages equally well (a French "ministère" reads as "ministčre" in
    # cp1257): among the least chaotic guesses, and the code pages each guess decodes the same as,
    # a Western one is the likely one.
    least = min(match.chaos for match in matches)
    for match in matches:
        if match.chaos > least:
            continue
        for encoding in WESTERN:
            if encoding in match.could_be_from_charset:
                try:
                    return data.decode(encoding), encoding
                except UnicodeDecodeError:
                    continue
    best = matches[0]
    return str(best), best.encoding
