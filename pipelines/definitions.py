"""The one Dagster code location of Wumeng: assets, checks, jobs, schedules, resources."""

import dagster as dg

from pipelines.assets.dbt import dbt_models
from pipelines.assets.pages import indicator_pages
from pipelines.assets.publish import published_warehouse
from pipelines.assets.raw import raw_document_structure, raw_documents, raw_mentions, raw_sheets
from pipelines.automation import build_daily_schedule, build_input_files_sensor
from pipelines.dbt_project import dbt_cli_resource
from pipelines.resources import WarehouseResource

# The run queue starts one run with this tag at a time (.dagster/dagster.yaml).
WRITES_DUCKDB_TAG = {"wumeng/writes_duckdb": "true"}

refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all(),
    tags=WRITES_DUCKDB_TAG,
    description="Read every input, build every dbt model and test, publish a new snapshot "
                "and its indicator pages.",
)

refresh_after_sheets_job = dg.define_asset_job(
    "refresh_after_sheets",
    selection=dg.AssetSelection.assets(raw_sheets).downstream(),
    tags=WRITES_DUCKDB_TAG,
    description="Only the curated sheets changed: load them, extract mentions again where "
                "the gazetteer or registry changed, rebuild what depends on them, publish.",
)

defs = dg.Definitions(
    assets=[raw_documents, raw_document_structure, raw_mentions, raw_sheets, dbt_models,
            published_warehouse, indicator_pages],
    jobs=[refresh_job, refresh_after_sheets_job],
    schedules=[build_daily_schedule(refresh_job)],
    sensors=[build_input_files_sensor(refresh_job, refresh_after_sheets_job)],
    resources={
        "warehouse": WarehouseResource(),
        "dbt": dbt_cli_resource(),
    },
    # Steps share one DuckDB file, which takes one writer at a time: run them in sequence.
    executor=dg.in_process_executor,
)
