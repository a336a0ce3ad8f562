"""Dagster resources: where the pipeline reads and writes."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import dagster as dg
import duckdb

from pipelines import warehouse
from pipelines.settings import Settings


class WarehouseResource(dg.ConfigurableResource):
    """Paths of the inputs and the warehouse, resolved when a run starts.

    Left empty, each path comes from its environment variable (WUMENG_DOCUMENTS,
    WUMENG_SHEETS, WUMENG_WAREHOUSE) or its default inside the repository; the largest
    document read comes from WUMENG_MAX_DOCUMENT_BYTES (default 20 MB).
    """

    documents_dir: str = ""
    sheets_dir: str = ""
    warehouse_dir: str = ""

    @property
    def settings(self) -> Settings:
        env = Settings.from_env()
        return replace(
            env,
            documents_dir=Path(self.documents_dir).resolve() if self.documents_dir else env.documents_dir,
            sheets_dir=Path(self.sheets_dir).resolve() if self.sheets_dir else env.sheets_dir,
            warehouse_dir=Path(self.warehouse_dir).resolve() if self.warehouse_dir else env.warehouse_dir,
        )

    @contextmanager
    def build_connection(self):
        """A read-write connection to the pipeline's private build database.

        Another process holding the file (a person who opened the build database by hand,
        a run of another Dagster instance) is a transient failure: the step is retried a
        few times, a minute apart, before the run fails with DuckDB's message.
        """
        try:
            con = warehouse.open_build(self.settings.build_db)
        except duckdb.IOException as err:
            if "lock" not in str(err).lower():
                raise
            raise dg.RetryRequested(max_retries=3, seconds_to_wait=60) from err
        with con:
            yield con
