"""The one Dagster code location of Wumeng: assets, checks, jobs, schedules, resources."""

import dagster as dg
from dagster_dbt import DbtCliResource

from pipelines.assets.dbt import dbt_models
from pipelines.assets.publish import published_warehouse
from pipelines.assets.raw import raw_document_structure, raw_documents, raw_mentions, raw_sheets
from pipelines.dbt_project import DBT_EXECUTABLE, dbt_project
from pipelines.resources import WarehouseResource

refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all(),
    description="Read every input, build every dbt model and test, publish a new snapshot.",
)

daily_refresh = dg.ScheduleDefinition(
    name="daily_refresh",
    job=refresh_job,
    cron_schedule="0 6 * * *",
    execution_timezone="Asia/Shanghai",
)

defs = dg.Definitions(
    assets=[raw_documents, raw_document_structure, raw_mentions, raw_sheets, dbt_models,
            published_warehouse],
    jobs=[refresh_job],
    schedules=[daily_refresh],
    resources={
        "warehouse": WarehouseResource(),
        "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE),
    },
    # Steps share one DuckDB file, which takes one writer at a time: run them in sequence.
    executor=dg.in_process_executor,
)
