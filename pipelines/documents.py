"""Read the documents folder: one ledger row per file, one document per distinct text.

Plain Python (no Dagster, no DuckDB): the Dagster asset calls `scan_documents` and writes
what it returns. Nothing is skipped silently: every file under the folder gets a ledger
row, loaded or not, and anything not loaded carries a reason a person understands.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipelines.text.decoding import UndecodableError, decode_document

DOCUMENT_SUFFIXES = (".txt", ".md")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # a newspaper page is ~20 KB; 20 MB is not an article


@dataclass(frozen=True)
class LedgerRow:
    path: str  # relative to the documents folder, with forward slashes
    size_bytes: int | None
    sha256: str | None  # of the bytes as received
    encoding: str | None
    status: str  # loaded | duplicate | rejected
    reason: str | None
    document_id: str | None


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
    documents: list[Document]


def document_id_for(text: str) -> str:
    return "doc_" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _files_under(root: Path) -> Iterator[Path]:
    # Sorted walk: the same folder always yields the same order, so the first of two
    # identical files is the one that loads, every time.
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            yield Path(dirpath) / name


def _reject(path: str, reason: str, size: int | None = None, sha: str | None = None) -> LedgerRow:
    return LedgerRow(path, size, sha, None, "rejected", reason, None)


def scan_documents(root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Scan:
    root = root.resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"documents folder not found: {root}")
    ledger: list[LedgerRow] = []
    documents: list[Document] = []
    first_path_of: dict[str, str] = {}
    for file in _files_under(root):
        rel = file.relative_to(root).as_posix()
        if file.is_symlink() and not file.resolve().is_relative_to(root):
            ledger.append(_reject(rel, "symlink to a file outside the documents folder; not read"))
            continue
        if file.suffix.lower() not in DOCUMENT_SUFFIXES:
            ledger.append(_reject(
                rel, f"unsupported file type '{file.suffix or '(none)'}': only .txt and .md are read"))
            continue
        try:
            size = file.stat().st_size
            if size > max_bytes:
                ledger.append(_reject(rel, f"larger than the configured limit "
                                           f"({size} bytes > {max_bytes} bytes)", size))
                continue
            data = file.read_bytes()
        except OSError as err:
            ledger.append(_reject(rel, f"cannot be read: {err.strerror or err}"))
            continue
        sha = hashlib.sha256(data).hexdigest()
        try:
            decoded = decode_document(data)
        except UndecodableError as err:
            ledger.append(_reject(rel, str(err), len(data), sha))
            continue
        doc_id = document_id_for(decoded.text)
        if doc_id in first_path_of:
            ledger.append(LedgerRow(rel, len(data), sha, decoded.encoding, "duplicate",
                                    f"same text as {first_path_of[doc_id]}", doc_id))
            continue
        first_path_of[doc_id] = rel
        ledger.append(LedgerRow(rel, len(data), sha, decoded.encoding, "loaded", None, doc_id))
        documents.append(Document(doc_id, rel, sha, decoded.encoding, decoded.text))
    return Scan(ledger, documents)
