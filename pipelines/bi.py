"""SQLAlchemy access to the published snapshot, for BI tools (Superset) and pandas.read_sql.

duckdb-engine is DuckDB's SQLAlchemy dialect. Its connect() hands `read_only` and `config`
to `duckdb.connect`, so a reader opened here gets the same hardened configuration as
`warehouse.connect_published`: it runs no `SET` for DuckDB's own settings, loads no extension
and registers no filesystem unless asked to, so `enable_external_access=false` and
`lock_configuration=true` do not get in its way.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from pipelines.warehouse import reader_config, require_published


def _database(published: Path) -> str:
    # Absolute, but not resolved: the engine must keep opening the symlink, not the release
    # it pointed to when the engine was made.
    return Path(published).absolute().as_posix()


def sqlalchemy_url(published: Path) -> str:
    """The URL to give a BI tool, e.g. `duckdb:////srv/wumeng/warehouse/wumeng.duckdb`."""
    return f"duckdb:///{_database(published)}"


def create_reader_engine(published: Path, memory_limit: str | None = None,
                         threads: int | None = None) -> sqlalchemy.Engine:
    """A read-only engine on the published snapshot that cannot reach other files.

    Every checkout opens the release the symlink points to at that moment (no pool), so a
    long-running server sees a new release on its next query, and an old release file is not
    held open once its queries finish. Every release's catalog is `wumeng`, so datasets saved
    as `wumeng.main.<table>` (or `main.<table>`) outlive a publish.

    DuckDB refuses two configurations for one file in one process: while a connection from
    this engine is open, `connect_published` (whose config lacks duckdb-engine's user agent)
    or an engine with other limits cannot open the same release.
    """
    require_published(published)
    return sqlalchemy.create_engine(
        # URL.create rather than sqlalchemy_url: a path with '?', '#' or '%' stays a path.
        URL.create("duckdb", database=_database(published)),
        connect_args={"read_only": True, "config": reader_config(memory_limit, threads)},
        poolclass=NullPool,
    )
