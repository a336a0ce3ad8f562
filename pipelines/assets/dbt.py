"""dbt models as Dagster assets and dbt tests as asset checks (dagster-dbt).

Importing this module reads dbt_project/target/manifest.json: prepare it first with
`pipelines.dbt_project.prepare_dbt_manifest` (`wumeng refresh`, the tests and `make ui` do).
"""

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from pipelines.assets.raw import WRITES_DUCKDB
from pipelines.automation import DAILY_FRESHNESS
from pipelines.dbt_project import (BuildStamp, dbt_build_args, dbt_project,
                                   documents_tested_since, prepare_if_dev)
from pipelines.resources import WarehouseResource

prepare_if_dev()  # under `dagster dev` only; elsewhere see prepare_dbt_manifest


class WumengDbtTranslator(DagsterDbtTranslator):
    """dbt sources are the raw tables the Python assets write; groups follow the folders."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey(["raw", dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str,
                       project: DbtProject | None) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        if self.get_group_name(self.get_resource_props(manifest, unique_id)) == "marts":
            return spec.replace_attributes(freshness_policy=DAILY_FRESHNESS)
        return spec

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "dbt"  # staging, intermediate, marts


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=WumengDbtTranslator(),
            pool=WRITES_DUCKDB)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource,
               warehouse: WarehouseResource):
    views = view_relations(context.assets_def.specs)
    with warehouse.build_connection() as con:  # retried while another process holds the file
        views_missing = views - set(con.execute(
            "select schema_name, view_name from duckdb_views() where not internal").fetchall())
    build_db = warehouse.settings.build_db
    stamp = BuildStamp(build_db)
    full_refresh = stamp.needs_full_refresh()
    tested_since = None if full_refresh else stamp.last_started_at()
    # A view is its definition only: with the project unchanged since the last successful
    # build and every view in place, the views are not created again (a run of a subset
    # creates those it selects).
    with_views = full_refresh or context.is_subset or bool(views_missing)
    if full_refresh:
        context.log.info("dbt project changed since the last build: rebuilding every table in full")
    else:
        context.log.info("tables built by document: their data tests cover the documents "
                         + (f"loaded since {tested_since}" if tested_since else "all")
                         + ("" if with_views else f"; the {len(views)} views, unchanged, "
                                                 "are not created again"))
    started_at = datetime.now(timezone.utc)
    with documents_tested_since(tested_since):
        # One target folder per warehouse, reused: dagster-dbt would otherwise leave a new
        # one (compiled SQL, a copy of the parse state) behind on every run.
        invocation = dbt.cli(dbt_build_args(build_db, full_refresh, with_views=with_views),
                             context=context, target_path=build_db.parent / "dbt_target")
    yield from with_row_counts(invocation.stream(), invocation.manifest, build_db)
    # Not reached when a model or a test failed: the next build tests the documents loaded
    # since the last one that passed.
    stamp.record(started_at)


def view_relations(specs: Iterable[dg.AssetSpec]) -> set[tuple[str, str]]:
    """(schema, name) of every model the project materializes as a view, from the metadata
    dagster-dbt gives each asset (the manifest it has already read)."""
    return {tuple(spec.metadata["dagster/table_name"].split(".")[-2:]) for spec in specs
            if spec.metadata.get("dagster-dbt/materialization_type") == "view"}


def with_row_counts(events: Iterator[Any], manifest: Mapping[str, Any],
                    build_db: Path) -> Iterator[Any]:
    """The dbt events, each table's materialization with its `dagster/row_count`.

    dbt runs in this process and has ended, and let go of the build database, before its
    events are read (pipelines/dbt_project.py, run_dbt_here), so the tables are counted as
    the events pass, and dbt's error (a failed model or test) comes after them as ever.
    dagster-dbt's own `fetch_row_counts` counts through a dbt adapter that stays open in
    this process, which then keeps publish from opening the file.
    """
    with duckdb.connect(str(build_db), read_only=True) as con:
        for event in events:
            node = manifest["nodes"].get(_unique_id(event), {})
            if isinstance(event, (dg.Output, dg.AssetMaterialization)) \
                    and node.get("config", {}).get("materialized") in ("table", "incremental"):
                rows = con.execute(
                    f'select count(*) from "{node["schema"]}"."{node["alias"]}"').fetchone()[0]
                event = event.with_metadata({**event.metadata, "dagster/row_count": rows})
            yield event


def _unique_id(event: Any) -> str:
    value = event.metadata.get("unique_id")  # a TextMetadataValue on dagster-dbt's events
    return getattr(value, "value", value) or ""
