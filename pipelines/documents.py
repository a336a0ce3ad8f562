"""Read the documents folder: one ledger row per file, one document per distinct text.

Plain Python (no Dagster, no DuckDB): the Dagster asset calls `scan_documents` and writes
what it returns. Nothing is skipped silently: every file under the folder gets a ledger
row, loaded or not, and anything not loaded carries a reason a person understands.

Statuses: `loaded` (new or changed text, decoded now), `unchanged` (same bytes, by sha256,
as when the file was last loaded: not decoded again; its document is kept), `duplicate`
(the same text as another file: one document, not two), `rejected` (with the reason).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from pipelines.settings import DEFAULT_MAX_DOCUMENT_BYTES
from pipelines.text.decoding import UndecodableError, decode_document

DOCUMENT_SUFFIXES = (".txt", ".md")


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
class KnownFile:
    """A file as it was when last loaded: if its bytes still hash the same, it is unchanged."""
    sha256: str
    encoding: str
    document_id: str


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
    # Sorted walk: the same folder always yields the same order, so the first of two
    # identical files is the one that loads, every time.
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            yield Path(dirpath) / name


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
    to_decode: list[tuple[str, bytes, str]] = []
    first_path_of: dict[str, str] = {}
    for file in files_under(root):
        rel = file.relative_to(root).as_posix()
        data_or_reject = _read(file, root, rel, max_bytes)
        if isinstance(data_or_reject, LedgerRow):
            rows[rel] = data_or_reject
            continue
        data = data_or_reject
        sha = hashlib.sha256(data).hexdigest()
        before = known.get(rel)
        if before is not None and before.sha256 == sha:
            rows[rel] = LedgerRow(rel, len(data), sha, before.encoding, "unchanged",
                                  "unchanged since it was loaded (same sha256); not read again",
                                  before.document_id)
            first_path_of.setdefault(before.document_id, rel)
        else:
            rows[rel] = LedgerRow(rel, len(data), sha, None, "pending", None, None)
            to_decode.append((rel, data, sha))
    # Unchanged files were registered first, so a new copy of an unchanged text is the
    # duplicate, whatever the order of their names.
    documents: list[Document] = []
    for rel, data, sha in to_decode:
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
        rows[rel] = LedgerRow(rel, len(data), sha, decoded.encoding, "loaded", None, doc_id)
        documents.append(Document(doc_id, rel, sha, decoded.encoding, decoded.text))
    return Scan(list(rows.values()), documents)


def _read(file: Path, root: Path, rel: str, max_bytes: int) -> bytes | LedgerRow:
    """The file's bytes, or a rejected ledger row saying why they were not read."""
    if file.is_symlink() and not file.resolve().is_relative_to(root):
        return _reject(rel, "symlink to a file outside the documents folder; not read")
    if file.suffix.lower() not in DOCUMENT_SUFFIXES:
        return _reject(rel, f"unsupported file type '{file.suffix or '(none)'}': "
                            f"only .txt and .md are read")
    try:
        size = file.stat().st_size
        if size > max_bytes:
            return _reject(rel, f"larger than the configured limit ({size} bytes > {max_bytes} bytes)",
                           size)
        return file.read_bytes()
    except OSError as err:
        return _reject(rel, f"cannot be read: {err.strerror or err}")
