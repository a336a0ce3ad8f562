"""dbt models as Dagster assets and dbt tests as asset checks (dagster-dbt).

Importing this module reads dbt_project/target/manifest.json: prepare it first with
`pipelines.dbt_project.prepare_dbt_manifest` (`wumeng refresh`, the tests and `make ui` do).
"""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from pipelines.assets.raw import WRITES_DUCKDB
from pipelines.automation import DAILY_FRESHNESS
from pipelines.dbt_project import dbt_build_args, dbt_project
from pipelines.resources import WarehouseResource

dbt_project.prepare_if_dev()  # under `dagster dev` only; elsewhere see prepare_dbt_manifest


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
    with warehouse.build_connection():  # retried while another process holds the file
        pass
    # One target folder per warehouse, reused: dagster-dbt would otherwise leave a new one
    # (compiled SQL, a copy of the parse state) behind on every run.
    target_path = warehouse.settings.build_db.parent / "dbt_target"
    yield from dbt.cli(dbt_build_args(warehouse.settings.build_db), context=context,
                       target_path=target_path).stream()
