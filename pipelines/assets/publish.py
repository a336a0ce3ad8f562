"""Publish: the last asset of a refresh, run only when the dbt build and its tests passed."""

import dagster as dg
import duckdb

from pipelines.assets.dbt import dbt_models
from pipelines.assets.raw import WRITES_DUCKDB
from pipelines.resources import WarehouseResource
from pipelines.warehouse import publish


@dg.asset(
    deps=[dbt_models],
    group_name="publish",
    kinds={"duckdb"},
    pool=WRITES_DUCKDB,
    description="The read-only snapshot analysts and BI tools open: <warehouse>/wumeng.duckdb, "
                "an atomic symlink to an immutable file under releases/.",
)
def published_warehouse(context: dg.AssetExecutionContext,
                        warehouse: WarehouseResource) -> dg.MaterializeResult:
    settings = warehouse.settings
    release = publish(settings.build_db, settings.published_db, settings.releases_dir)
    with duckdb.connect(str(release.path), read_only=True) as con:
        tables = con.execute(
            "select table_name, estimated_size from duckdb_tables() "
            "where schema_name = 'main' order by table_name").fetchall()
    context.log.info(f"published {release.path.name} at {settings.published_db}")
    return dg.MaterializeResult(metadata={
        "release": release.path.name,
        "path": dg.MetadataValue.path(str(settings.published_db)),
        "size_bytes": release.size_bytes,
        "tables": dg.MetadataValue.json({name: rows for name, rows in tables}),
    })
