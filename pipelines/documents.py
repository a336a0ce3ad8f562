"""Read the documents folder: one ledger row per file, one document per distinct text.

Plain Python (no Dagster, no DuckDB): the Dagster asset calls `scan_documents` and writes
what it returns. Nothing is skipped silently: every file under the folder gets a ledger
row, loaded or not, and anything not loaded carries a reason a person understands.

Statuses: `loaded` (new or changed text, decoded now), `unchanged` (same bytes, by sha256,
as when the file was last loaded: not decoded again; its document is kept), `duplicate`
(the same text as another file: one document, not two), `rejected` (with the reason).

A file whose size, modification time and inode are those it had when its bytes were last
hashed is not read at all, as git and rsync decide: reading and hashing every file took
2.5 s of every refresh at a hundred thousand articles. That stamp is trusted only when the
file had not been modified for STABLE_SECONDS before it was hashed, so that a write in the
same clock tick as the read (or within a coarse file system's 2-s resolution) is never
mistaken for no change.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from pipelines.settings import DEFAULT_MAX_DOCUMENT_BYTES
from pipelines.text.decoding import UndecodableError, decode_document

DOCUMENT_SUFFIXES = (".txt", ".md")
STABLE_SECONDS = 2


@dataclass(frozen=True)
class LedgerRow:
    path: str  # relative to the documents folder, with forward slashes
    size_bytes: int | None
    sha256: str | None  # of the bytes as received
    encoding: str | None
    status: str  # loaded | duplicate | rejected
    reason: str | None
    document_id: str | None
    # the file's modification time and inode when its bytes were hashed (None: not stable
    # then, or not read): with size_bytes, what says later that the bytes did not change
    modified_ns: int | None = None
    inode: int | None = None


@dataclass(frozen=True)
class KnownFile:
    """A file as it was when last loaded: if its bytes still hash the same, it is unchanged;
    if its stamp (size, modification time, inode) is the same, they are not even read."""
    sha256: str
    encoding: str
    document_id: str
    size_bytes: int | None = None
    modified_ns: int | None = None
    inode: int | None = None

    def stamp_matches(self, info: os.stat_result) -> bool:
        return (self.modified_ns is not None and stat.S_ISREG(info.st_mode)
                and (info.st_size, info.st_mtime_ns, info.st_ino)
                == (self.size_bytes, self.modified_ns, self.inode))


def _stable_stamp(info: os.stat_result, read_at_ns: int) -> tuple[int | None, int | None]:
    """(modification time, inode) to keep in the ledger, if the file was last modified well
    before its bytes were read; else (None, None): the next scan reads it again."""
    if info.st_mtime_ns < read_at_ns - STABLE_SECONDS * 10**9:
        return info.st_mtime_ns, info.st_ino
    return None, None


@dataclass(frozen=True)
class Document:
    document_id: str  # derived from the text, so re-reading a file never changes it
    path: str
    sha256: str
    encoding: str
    text: str  # normalised text; all character offsets refer to it


@dataclass(frozen=True)
class Scan:
    ledger: list[LedgerRow]
    documents: list[Document]  # decoded in this scan: new or changed texts only

    @property
    def current_document_ids(self) -> set[str]:
        """Every document the folder holds now, loaded in this scan or unchanged."""
        return {r.document_id for r in self.ledger if r.status in ("loaded", "unchanged")}


def document_id_for(text: str) -> str:
    return "doc_" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def files_under(root: Path) -> Iterator[Path]:
    """Everything under `root` that gets a ledger row: the files, and the folders a scan
    does not go into (a symlink to a folder, a folder that cannot be listed) or that are
    named like a document."""
    for path, _, _ in _entries(root):
        yield Path(path)


def _entries(root: Path) -> Iterator[tuple[str, str, str | None]]:
    """(path, path relative to `root` with / between folders, reason it is not read when
    the walk already knows one). Paths as strings: pathlib's relative_to and as_posix were
    half of a scan of a hundred thousand unchanged files."""
    # Sorted walk: the same folder always yields the same order, so the first of two
    # identical files is the one that loads, every time. os.walk does not follow symlinked
    # folders and by default skips a folder it cannot list without a word: both are
    # yielded here, so the ledger says what was not read.
    top = str(root)
    unlisted: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(top, onerror=unlisted.append):
        yield from _unlisted(unlisted, top)
        folder = os.path.relpath(dirpath, top).replace(os.sep, "/")
        prefix = "" if folder == "." else folder + "/"
        dirnames.sort()
        for name in sorted(filenames):
            yield os.path.join(dirpath, name), prefix + name, None
        for name in dirnames:
            path = os.path.join(dirpath, name)
            if os.path.islink(path):
                yield path, prefix + name, None  # _read says where it leads
            elif Path(name).suffix.lower() in DOCUMENT_SUFFIXES:
                yield path, prefix + name, (
                    "a folder named like a document, not a file: not read as one "
                    "(the files inside it, if any, are listed on their own)")
    yield from _unlisted(unlisted, top)


def _unlisted(errors: list[OSError], top: str) -> Iterator[tuple[str, str, str]]:
    for err in errors:
        yield err.filename, os.path.relpath(err.filename, top).replace(os.sep, "/"), (
            f"folder cannot be listed: {err.strerror or err}; the files in it were not read")
    errors.clear()


def _display(rel: str) -> str:
    """A file name that is not valid UTF-8 (a GBK name from a Windows zip) is kept with its
    bad bytes as \\x escapes: the lone surrogates Python reads it with cannot be stored."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _reject(path: str, reason: str, size: int | None = None, sha: str | None = None) -> LedgerRow:
    return LedgerRow(path, size, sha, None, "rejected", reason, None)


def scan_documents(root: Path, known: Mapping[str, KnownFile] | None = None,
                   max_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES) -> Scan:
    """Scan `root`; files in `known` (by relative path) whose bytes have not changed are
    `unchanged` and not decoded again."""
    root = root.resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"documents folder not found: {root}")
    known = known or {}
    rows: dict[str, LedgerRow] = {}
    to_decode: list[tuple[str, bytes, str, tuple]] = []
    first_path_of: dict[str, str] = {}
    for path, rel, problem in _entries(root):
        rel = _display(rel)
        before = known.get(rel)
        if (problem is None and before is not None and before.size_bytes is not None
                and before.size_bytes <= max_bytes and _stamp_matches(path, before)):
            rows[rel] = LedgerRow(rel, before.size_bytes, before.sha256, before.encoding,
                                  "unchanged", "unchanged since it was loaded (same size, "
                                  "modification time and inode as when its sha256 was taken); "
                                  "not read again", before.document_id, before.modified_ns,
                                  before.inode)
            first_path_of.setdefault(before.document_id, rel)
            continue
        read = _reject(rel, problem) if problem else _read(Path(path), root, rel, max_bytes)
        if isinstance(read, LedgerRow):
            rows[rel] = read
            continue
        data, stamp = read
        sha = hashlib.sha256(data).hexdigest()
        if before is not None and before.sha256 == sha:
            rows[rel] = LedgerRow(rel, len(data), sha, before.encoding, "unchanged",
                                  "unchanged since it was loaded (same sha256); not read again",
                                  before.document_id, *stamp)
            first_path_of.setdefault(before.document_id, rel)
        else:
            rows[rel] = LedgerRow(rel, len(data), sha, None, "pending", None, None)
            to_decode.append((rel, data, sha, stamp))
    # Unchanged files were registered first, so a new copy of an unchanged text is the
    # duplicate, whatever the order of their names.
    documents: list[Document] = []
    for rel, data, sha, stamp in to_decode:
        try:
            decoded = decode_document(data)
        except UndecodableError as err:
            rows[rel] = _reject(rel, str(err), len(data), sha)
            continue
        doc_id = document_id_for(decoded.text)
        if doc_id in first_path_of:
            rows[rel] = LedgerRow(rel, len(data), sha, decoded.encoding, "duplicate",
                                  f"same text as {first_path_of[doc_id]}", doc_id)
            continue
        first_path_of[doc_id] = rel
        rows[rel] = LedgerRow(rel, len(data), sha, decoded.encoding, "loaded", None, doc_id,
                              *stamp)
        documents.append(Document(doc_id, rel, sha, decoded.encoding, decoded.text))
    return Scan(list(rows.values()), documents)


def _stamp_matches(file: str, before: KnownFile) -> bool:
    """The file is a regular file (not a symlink: those are checked on every read) with the
    stamp it had when its bytes were last hashed."""
    try:
        return before.stamp_matches(os.lstat(file))
    except OSError:
        return False


def _read(file: Path, root: Path, rel: str, max_bytes: int
          ) -> tuple[bytes, tuple[int | None, int | None]] | LedgerRow:
    """The file's bytes and its stable stamp (see _stable_stamp), or a rejected ledger row
    saying why they were not read."""
    linked = file.is_symlink()
    if linked:
        try:
            target = file.resolve(strict=True)
        except RuntimeError:  # Python 3.11 reports a loop of links this way, not as OSError
            return _reject(rel, "symlink loop: following it leads back to itself, never to a file; "
                                "not read")
        except OSError as err:
            return _reject(rel, f"broken symlink: its target cannot be reached "
                                f"({err.strerror or err}); not read")
        kind = "folder" if target.is_dir() else "file"
        if not target.is_relative_to(root):
            return _reject(rel, f"symlink to a {kind} outside the documents folder; not read")
        if kind == "folder":
            return _reject(rel, "symlink to a folder inside the documents folder; not followed "
                                "(its files are listed where they are)")
    if file.suffix.lower() not in DOCUMENT_SUFFIXES:
        return _reject(rel, f"unsupported file type '{file.suffix or '(none)'}': "
                            f"only .txt and .md are read")
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer (it would hang the
        # refresh); the checks below are on what was opened, not on a name that may change.
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            read_at_ns = time.time_ns()
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                return _reject(rel, "not a regular file (a named pipe, socket or device); not read")
            if info.st_size > max_bytes:
                return _reject(rel, f"larger than the configured limit ({info.st_size} bytes > "
                                    f"{max_bytes} bytes)", info.st_size)
            data = handle.read(max_bytes + 1)  # a file still growing stops at the limit too
        if len(data) > max_bytes:
            return _reject(rel, f"larger than the configured limit (more than {max_bytes} bytes)")
        # a symlink's stamp would be its target's: symlinks are read every time
        return data, (None, None) if linked else _stable_stamp(info, read_at_ns)
    except OSError as err:
        return _reject(rel, f"cannot be read: {err.strerror or err}")
