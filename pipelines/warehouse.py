"""The DuckDB files: the pipeline's private build database and the published snapshots.

DuckDB allows one writer or many readers, never both. So the pipeline writes only
`<warehouse>/build/wumeng.duckdb`, which no reader opens; after the dbt build and its
blocking tests pass, `publish` copies it to an immutable file under `releases/` and swaps
the `<warehouse>/wumeng.duckdb` symlink to it in one atomic rename. A reader that opened
the old release keeps its consistent view; a reader that opens the path afterwards sees the
new one; a run that fails or is killed before the swap leaves the published release as it was.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import mmap
import os
import shutil
import stat
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

KEEP_RELEASES = 5


@contextmanager
def one_writer(warehouse_dir: Path, waiting: Callable[[str], None] | None = None):
    """Hold the warehouse's writer lock (an flock on <warehouse>/.writer.lock) for a refresh:
    a second `wumeng refresh` of the same warehouse waits for the first to end instead of
    failing on DuckDB's lock half-way. The kernel releases the lock when its process ends,
    however it ends, so a killed refresh never leaves it held."""
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    with open(warehouse_dir / ".writer.lock", "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            if waiting:
                waiting(f"another refresh of {warehouse_dir} is running ({holder}); waiting for it to end")
            fcntl.flock(lock, fcntl.LOCK_EX)
        lock.seek(0)
        lock.truncate()
        lock.write(f"pid {os.getpid()}\n")
        lock.flush()
        yield


def open_build(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection to the build database (a context manager that closes it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(path))


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection):
    con.execute("BEGIN")
    try:
        yield
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def _create(con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[tuple[str, str]]) -> None:
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {table.split('.')[0]}")
    ddl = ", ".join(f'"{name}" {kind}' for name, kind in columns)
    con.execute(f"CREATE OR REPLACE TABLE {table} ({ddl})")


def _insert(con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[tuple[str, str]],
            rows: Iterable[Sequence]) -> int:
    """Append `rows`, cast to the declared types, through a pandas frame (one bulk insert)."""
    frame = pd.DataFrame(list(rows), columns=[name for name, _ in columns])
    if len(frame):
        select = ", ".join(f'CAST("{name}" AS {kind}) AS "{name}"' for name, kind in columns)
        con.register("_incoming", frame)
        con.execute(f"INSERT INTO {table} SELECT {select} FROM _incoming")
        con.unregister("_incoming")
    return len(frame)


def replace_table(con: duckdb.DuckDBPyConnection, table: str,
                  columns: Sequence[tuple[str, str]], rows: Iterable[Sequence]) -> int:
    """Replace `schema.table` with `rows`, typed by `columns` [(name, duckdb_type)], in one
    transaction, so a failure leaves the previous table intact."""
    with _transaction(con):
        _create(con, table, columns)
        return _insert(con, table, columns, rows)


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    schema, name = table.split(".")
    return con.execute(
        "select column_name, data_type from duckdb_columns() "
        "where schema_name = ? and table_name = ? order by column_index", [schema, name]).fetchall()


def ensure_table(con: duckdb.DuckDBPyConnection, table: str,
                 columns: Sequence[tuple[str, str]]) -> bool:
    """Create `table` if it is missing, or recreate it empty if its columns changed (a new
    version of Wumeng). True when the table is new: what it held must be computed again."""
    existing = table_columns(con, table)
    if existing and [n for n, _ in existing] == [n for n, _ in columns]:
        return False
    _create(con, table, columns)
    return True


def sync_documents(con: duckdb.DuckDBPyConnection, table: str,
                   columns: Sequence[tuple[str, str]], keep_ids: set[str],
                   new_rows: Iterable[Sequence]) -> tuple[int, int]:
    """Incremental upkeep of a table keyed by `document_id`: delete the rows of documents
    no longer in `keep_ids`, then append `new_rows`, in one transaction.
    Returns (rows deleted, rows inserted)."""
    with _transaction(con):
        deleted = _delete_documents(con, table, {doc_id: None for doc_id in keep_ids})
        return deleted, _insert(con, table, columns, new_rows)


def delete_documents(con: duckdb.DuckDBPyConnection, tables: Sequence[str],
                     keep: dict[str, str | None]) -> int:
    """Delete, from each table keyed by `document_id`, the rows of documents not in `keep`;
    where `keep` maps a document to a context hash, also its rows with another hash.
    One transaction; returns the rows deleted from the first table."""
    with _transaction(con):
        return [_delete_documents(con, table, keep) for table in tables][0]


def _delete_documents(con: duckdb.DuckDBPyConnection, table: str,
                      keep: dict[str, str | None]) -> int:
    con.register("_keep", pd.DataFrame({"document_id": list(keep),
                                        "context_hash": list(keep.values())}, dtype=object))
    hashed = any(value is not None for value in keep.values())
    matches = " AND k.context_hash = t.context_hash" if hashed else ""
    deleted = con.execute(f"DELETE FROM {table} AS t WHERE NOT EXISTS (SELECT 1 FROM _keep AS k "
                          f"WHERE k.document_id = t.document_id{matches})").fetchone()[0]
    con.unregister("_keep")
    return deleted


def append_together(con: duckdb.DuckDBPyConnection,
                    parts: Sequence[tuple[str, Sequence[tuple[str, str]], Iterable[Sequence]]]
                    ) -> list[int]:
    """Append rows to several tables in one transaction: a run killed between two batches
    leaves whole documents behind, never half of one. Returns the rows added to each."""
    with _transaction(con):
        return [_insert(con, table, columns, rows) for table, columns, rows in parts]


@dataclass(frozen=True)
class Release:
    path: Path  # releases/<name>/wumeng.duckdb

    @property
    def name(self) -> str:
        return self.path.parent.name

    @property
    def size_bytes(self) -> int:
        return self.path.stat().st_size


# Raw tables of a document's content: a document's rows there are written together with one
# loaded_at, so (document_id, loaded_at) says whether they changed without reading the text.
_DOCUMENT_CONTENT_TABLES = ("documents", "articles", "blocks", "sentences", "mentions")
# The ledger's file stamps say when to read a file again, not what it holds: a file touched
# (same bytes) is no new input.
_FILE_STAMP_COLUMNS = ("modified_ns", "inode")
SIGNATURE_FILE = "inputs.sha256"


def columns_by_table(con: duckdb.DuckDBPyConnection, schema: str,
                     without_timestamps: bool = False) -> dict[str, list[str]]:
    """Each table of `schema` and its columns in order; `without_timestamps` leaves out load
    and scan times, which differ between two runs of the same inputs."""
    kept = " and data_type not like 'TIMESTAMP%'" if without_timestamps else ""
    return dict(con.execute(
        "select table_name, list(column_name order by column_index) from duckdb_columns() "
        f"where schema_name = ? and not internal{kept} group by table_name order by table_name",
        [schema]).fetchall())


def rows_hash(con: duckdb.DuckDBPyConnection, schema: str, table: str,
              expressions: Sequence[str]) -> tuple[int, int]:
    """(rows, an order-independent hash of `expressions` over them): two tables compared row
    by row without holding either in memory."""
    return con.execute(f"select count(*), coalesce(sum(hash({', '.join(expressions)})::hugeint), 0) "
                       f'from "{schema}"."{table}"').fetchone()


def inputs_signature(build_db: Path, code_version: str) -> str:
    """A hash of what the marts are built from: the raw tables (a document's content by its
    (document_id, loaded_at), every other table's rows without their timestamps) and the
    code that builds them. Two builds with one signature have the same marts, but for the
    time the sheets were last validated. About 0.2 s at a hundred thousand articles."""
    digest = hashlib.sha256(code_version.encode())
    with duckdb.connect(str(build_db), read_only=True) as con:
        for table, columns in columns_by_table(con, "raw", without_timestamps=True).items():
            hashed = (["document_id", "loaded_at"] if table in _DOCUMENT_CONTENT_TABLES
                      else [f'"{c}"' for c in columns if c not in _FILE_STAMP_COLUMNS])
            count, total = rows_hash(con, "raw", table, hashed)
            digest.update(f"{table}:{count}:{total}\n".encode())
    return digest.hexdigest()


def release_with_signature(published: Path, signature: str) -> Release | None:
    """The published release if it was built from inputs with this signature: publishing
    again would copy the same marts to a new file."""
    release = current_release(published)
    if release is None:
        return None
    recorded = release.path.parent / SIGNATURE_FILE
    return release if recorded.exists() and recorded.read_text().strip() == signature else None


def publish(build_db: Path, published: Path, releases_dir: Path,
            keep: int = KEEP_RELEASES, signature: str | None = None) -> Release:
    """Copy the build database to a new immutable release and point `published` at it.

    Each release is a folder, `releases/wumeng-<time>/`, holding a file of the published
    path's name: DuckDB names the database after the file, so every release is `wumeng`
    to SQL and to BI tools, however many times it is published. `signature`
    (inputs_signature) is kept beside it.
    """
    releases_dir.mkdir(parents=True, exist_ok=True)
    # Checkpoint so the copied file holds everything (no pending write-ahead log).
    con = duckdb.connect(str(build_db))
    con.execute("CHECKPOINT")
    con.close()
    now_ns = time.time_ns()  # names sort in publication order
    name = time.strftime("wumeng-%Y%m%dT%H%M%S", time.gmtime(now_ns // 10**9)) + f"-{now_ns % 10**9:09d}"
    partial = releases_dir / f".{name}.partial"
    partial.mkdir()
    copy = partial / published.name
    copy_durably(build_db, copy)
    os.chmod(copy, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    if signature:
        (partial / SIGNATURE_FILE).write_text(signature + "\n")
    os.replace(partial, releases_dir / name)  # whole, or not there at all
    release = Release(releases_dir / name / published.name)
    swap_symlink(published, os.path.relpath(release.path, published.parent))
    _prune(releases_dir, keep, current=release)
    return release


# Direct I/O moves whole blocks from buffers aligned to them; 4 KiB suits every disk.
_DIRECT_ALIGNMENT = 4096
_COPY_CHUNK = 16 << 20


def copy_durably(source: Path, target: Path) -> None:
    """Copy `source` to the new file `target`, on disk when this returns (fsync).

    The bytes go to the disk directly (O_DIRECT) where the file system allows it, rather
    than through the page cache: a release must reach the disk anyway, and first filling
    a gigabyte of cache pages the system had to allocate afresh was most of a publish (on
    the benchmark's machine 2.5 s of a 1.2 GB copy, against 0.8 s direct). Elsewhere, or
    for a last piece shorter than a block, the copy goes through the cache (sendfile).
    """
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with open(source, "rb", buffering=0) as src:
            size = os.fstat(src.fileno()).st_size
            done = _copy_direct(src, fd, size)
            while done < size:
                sent = os.sendfile(fd, src.fileno(), done, size - done)
                if sent == 0:
                    raise OSError(f"{source} ended at byte {done} of {size} while being copied")
                done += sent
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_direct(src, fd: int, size: int) -> int:
    """Copy the whole blocks of `src` to `fd` with direct I/O; the bytes copied (0 where
    the file system refuses direct I/O)."""
    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    try:
        fcntl.fcntl(fd, fcntl.F_SETFL, flags | os.O_DIRECT)
    except (AttributeError, OSError):  # no O_DIRECT here (not Linux), or not on this file system
        return 0
    buffer = mmap.mmap(-1, _COPY_CHUNK)  # page-aligned, as direct I/O requires
    done, whole = 0, size - size % _DIRECT_ALIGNMENT
    try:
        with memoryview(buffer) as view:
            while done < whole:
                read = src.readinto(view[:min(_COPY_CHUNK, whole - done)])
                if read == 0 or read % _DIRECT_ALIGNMENT:
                    raise OSError(f"{src.name} changed size while being copied")
                try:
                    os.write(fd, view[:read])
                except OSError as err:
                    if done or err.errno != errno.EINVAL:
                        raise
                    return 0  # opened with O_DIRECT, refused on writing (some file systems)
                done += read
    finally:
        buffer.close()
        fcntl.fcntl(fd, fcntl.F_SETFL, flags)
    return done


class ReleaseError(Exception):
    """A rollback that cannot be done, with the reason."""


def list_releases(releases_dir: Path) -> list[Release]:
    """The kept releases, oldest first (their names sort in publication order)."""
    if not releases_dir.exists():
        return []
    return [Release(path) for path in sorted(releases_dir.glob("wumeng-*/*.duckdb"))]


def current_release(published: Path) -> Release | None:
    return Release(published.resolve()) if published.exists() else None


def rollback(published: Path, releases_dir: Path, to: str | None = None) -> Release:
    """Point `published` at an earlier kept release: the one before the current, or `to`.

    The swap is the same atomic rename as a publish. The next successful refresh publishes
    a new release over it, as usual.
    """
    releases = list_releases(releases_dir)
    current = current_release(published)
    if to is not None:
        matches = [r for r in releases if r.name == to.strip("/").split("/")[-1]]
        if not matches:
            raise ReleaseError(f"no release named {to!r}; kept: "
                               + (", ".join(r.name for r in releases) or "none"))
        target = matches[0]
    else:
        earlier = [r for r in releases if current is None or r.name < current.name]
        if not earlier:
            raise ReleaseError("no earlier release to roll back to" + (
                f": {current.name} is the oldest kept" if current else ""))
        target = earlier[-1]
    swap_symlink(published, os.path.relpath(target.path, published.parent))
    return target


def swap_symlink(link: Path, target: str) -> None:
    for leftover in link.parent.glob(f".{link.name}.*.tmp"):
        leftover.unlink(missing_ok=True)  # from a run killed between its two steps
    tmp = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    os.symlink(target, tmp)
    os.replace(tmp, link)  # atomic on POSIX: readers see the old or the new target


def _prune(releases_dir: Path, keep: int, current: Release) -> None:
    for old in list_releases(releases_dir)[:-keep]:
        if old != current:
            shutil.rmtree(old.path.parent, ignore_errors=True)
    for leftover in releases_dir.glob(".*.partial"):
        shutil.rmtree(leftover, ignore_errors=True)  # from a run killed mid-copy


# A reader of the published snapshot: no file outside it (no read_csv, COPY, ATTACH, or
# extension loading), and a configuration the session cannot change.
READER_CONFIG = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}


def reader_config(memory_limit: str | None = None, threads: int | None = None) -> dict:
    """DuckDB's config for a read-only reader, with optional memory and thread limits."""
    limits = {"memory_limit": memory_limit, "threads": threads}
    return {**{k: v for k, v in limits.items() if v is not None}, **READER_CONFIG}


def require_published(published: Path) -> None:
    """What a reader is told before anything has been published."""
    if not published.exists():
        raise FileNotFoundError(
            f"no published warehouse at {published}: run `make run` (or `wumeng refresh`) first")


def connect_published(published: Path, memory_limit: str | None = None,
                      threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published snapshot (the release the symlink points
    to now) that cannot reach other files."""
    require_published(published)
    return duckdb.connect(str(published), read_only=True,
                          config=reader_config(memory_limit, threads))
