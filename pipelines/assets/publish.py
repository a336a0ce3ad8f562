"""Publish: the last asset of a refresh, run only when the dbt build and its tests passed."""

import dagster as dg
import duckdb

from pipelines.assets.dbt import dbt_models
from pipelines.assets.raw import WRITES_DUCKDB
from pipelines.resources import WarehouseResource
from pipelines.dbt_project import project_fingerprint
from pipelines.warehouse import inputs_signature, publish, release_with_signature


# What is published: the marts. Not every dbt asset: a refresh with the dbt project unchanged
# does not create the views again (assets/dbt.py), and Dagster skips a step whose upstream
# asset was not materialized in its run.
MARTS = [spec.key for spec in dbt_models.specs if spec.group_name == "marts"]


@dg.asset(
    deps=MARTS,
    group_name="publish",
    kinds={"duckdb"},
    pool=WRITES_DUCKDB,
    description="The read-only snapshot analysts and BI tools open: <warehouse>/wumeng.duckdb, "
                "an atomic symlink to an immutable file under releases/.",
)
def published_warehouse(context: dg.AssetExecutionContext,
                        warehouse: WarehouseResource) -> dg.MaterializeResult:
    settings = warehouse.settings
    # A refresh that changed nothing publishes nothing: the release in place is already what
    # a new copy would be (idempotent refreshes; no churn of identical releases).
    signature = inputs_signature(settings.build_db, project_fingerprint())
    release = release_with_signature(settings.published_db, signature)
    is_new = release is None
    if is_new:
        release = publish(settings.build_db, settings.published_db, settings.releases_dir,
                          signature=signature)
    with duckdb.connect(str(release.path), read_only=True) as con:
        tables = con.execute(
            "select table_name, estimated_size from duckdb_tables() "
            "where schema_name = 'main' order by table_name").fetchall()
    passed, failed = checks_of_run(context)
    context.log.info(f"{'published' if is_new else 'inputs unchanged: kept'} {release.name} at "
                     f"{settings.published_db}: {len(passed)} checks passed, "
                     f"{len(failed)} failed without blocking")
    return dg.MaterializeResult(metadata={
        "release": release.name,
        "new_release": is_new,
        "path": dg.MetadataValue.path(str(settings.published_db)),
        "size_bytes": release.size_bytes,
        "tables": dg.MetadataValue.json({name: rows for name, rows in tables}),
        "checks_passed": len(passed),
        "checks_failed": len(failed),
        # Blocking checks stop the run before publish, so these are the warnings let through.
        "failed_checks": dg.MetadataValue.json(failed),
    })


def checks_of_run(context: dg.AssetExecutionContext) -> tuple[list[str], list[str]]:
    """The asset checks this run evaluated before publish: names passed, names failed."""
    records = context.instance.get_records_for_run(
        context.run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION).records
    passed, failed = [], []
    for record in records:
        evaluation = record.event_log_entry.dagster_event.event_specific_data
        name = f"{evaluation.asset_key.to_user_string()}: {evaluation.check_name}"
        (passed if evaluation.passed else failed).append(name)
    return sorted(passed), sorted(failed)
