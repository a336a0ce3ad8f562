"""The schedule, the input-folder sensor and the freshness policies, evaluated for real."""

from __future__ import annotations

import shutil
from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from pipelines.automation import (DAILY_FRESHNESS, ENV_REFRESH_CRON, ENV_REFRESH_TIMEZONE,
                                  build_daily_schedule)
from pipelines.settings import ENV_DOCUMENTS, ENV_SHEETS
from tests.conftest import SEED_DOCUMENTS, SEED_SHEETS


@pytest.fixture(scope="module")
def defs():
    from pipelines.dbt_project import prepare_dbt_manifest

    prepare_dbt_manifest()
    from pipelines.definitions import defs

    return defs


def test_the_schedule_refreshes_everything_at_six_in_shanghai(defs):
    schedule = defs.resolve_schedule_def("daily_refresh")
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("0 6 * * *", "Asia/Shanghai")
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    tick = datetime(2026, 11, 24, 6, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with dg.build_schedule_context(scheduled_execution_time=tick) as context:
        [request] = schedule.evaluate_tick(context).run_requests
    assert schedule.job_name == "refresh"
    assert request.job_name in (None, "refresh")
    job = defs.resolve_job_def("refresh")
    assert dg.AssetKey("published_warehouse") in job.asset_layer.executable_asset_keys


def test_the_schedule_time_is_configurable(monkeypatch, defs):
    monkeypatch.setenv(ENV_REFRESH_CRON, "30 2 * * 1-5")
    monkeypatch.setenv(ENV_REFRESH_TIMEZONE, "UTC")
    schedule = build_daily_schedule(defs.resolve_job_def("refresh"))
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("30 2 * * 1-5", "UTC")


class Folders:
    """Copies of the seed folders, watched by the sensor through the path variables."""

    def __init__(self, root, monkeypatch):
        self.documents = root / "documents"
        self.sheets = root / "sheets"
        shutil.copytree(SEED_DOCUMENTS, self.documents)
        shutil.copytree(SEED_SHEETS, self.sheets)
        monkeypatch.setenv(ENV_DOCUMENTS, str(self.documents))
        monkeypatch.setenv(ENV_SHEETS, str(self.sheets))


def test_the_sensor_starts_one_run_of_what_each_change_affects(tmp_path, monkeypatch, defs):
    folders = Folders(tmp_path, monkeypatch)
    sensor = defs.resolve_sensor_def("input_files_sensor")
    cursor = None
    run_keys = []

    def tick():
        nonlocal cursor
        with dg.build_sensor_context(cursor=cursor, definitions=defs) as context:
            result = sensor.evaluate_tick(context)
        cursor = result.cursor
        run_keys.extend(r.run_key for r in result.run_requests)
        return [r.job_name for r in result.run_requests], result.skip_message

    # Nothing watched before: one refresh, so the warehouse matches the folders.
    assert tick() == (["refresh"], None)
    assert tick() == ([], "no file added, changed or removed")

    new_article = folders.documents / "2026_new.txt"
    new_article.write_text("昭通新闻\n\n2025年，全市新增就业3.2万人。\n", encoding="utf-8")
    assert tick() == (["refresh"], None)
    assert tick() == ([], "no file added, changed or removed")

    regions = folders.sheets / "regions.csv"
    regions.write_text(regions.read_text(encoding="utf-8") + "530699,新区,Xin Qu,place,530600,,own,\n",
                       encoding="utf-8")
    assert tick() == (["refresh_after_sheets"], None)  # the documents are not read again

    new_article.unlink()
    assert tick() == (["refresh"], None)
    assert tick() == ([], "no file added, changed or removed")

    # Back to a state seen before is still a change, and a run key never seen.
    assert len(set(run_keys)) == len(run_keys) == 4


def test_the_sensor_cursor_survives_a_restart(tmp_path, monkeypatch, defs):
    """The cursor is all the sensor remembers: a new daemon evaluating with the stored
    cursor starts nothing for changes the old one already handled."""
    Folders(tmp_path, monkeypatch)
    sensor = defs.resolve_sensor_def("input_files_sensor")
    with dg.build_sensor_context(definitions=defs) as context:
        first = sensor.evaluate_tick(context)
    with dg.build_sensor_context(cursor=first.cursor, definitions=defs) as context:
        after_restart = sensor.evaluate_tick(context)
    assert len(first.run_requests) == 1 and after_restart.run_requests == []


def test_sources_and_marts_must_be_fresh_within_26_hours(defs):
    graph = defs.resolve_asset_graph()
    policies = {key.to_user_string(): graph.get(key).freshness_policy
                for key in graph.get_all_asset_keys()}
    assert DAILY_FRESHNESS.fail_window.to_timedelta().total_seconds() == 26 * 3600
    for key in ("raw/documents", "raw/sentences", "raw/mentions", "raw/sheet_observations",
                "dim_region", "fct_observation", "fct_claim_check", "mart_annual_growth"):
        assert policies[key] == DAILY_FRESHNESS, key
    # Staging views are rebuilt with the marts; only what people read is watched.
    assert policies["staging/stg_sheets__regions"] is None


def test_status_reports_materializations_freshness_and_failing_checks(workspace, tmp_path):
    from pipelines.definitions import defs
    from pipelines.status import collect_status, format_status

    (tmp_path / "dagster_home").mkdir()
    with dg.DagsterInstance.local_temp(str(tmp_path / "dagster_home")) as instance:
        assert collect_status(defs, instance)[0].freshness == "UNKNOWN"  # nothing run yet
        assert workspace.refresh(instance).success
        statuses = {s.key: s for s in collect_status(defs, instance)}
        assert statuses["raw/documents"].freshness == "PASS"
        assert "unique_dim_region_region_code" in statuses["dim_region"].checks_passed
        assert not any(s.checks_failed for s in statuses.values())
        assert statuses["dim_region"].rows == 33 and statuses["raw/documents"].rows == 2
        assert statuses["staging/stg_sheets__regions"].rows is None  # a view: not counted

        # A day and three hours later, with no refresh: the marts are stale.
        later = statuses["fct_observation"].last_materialized + 27 * 3600
        assert {s.key: s.freshness for s in collect_status(defs, instance, now=later)}[
            "fct_observation"] == "FAIL"

        # Two regions with one name: the refresh fails and status names the failing check.
        regions = workspace.settings.sheets_dir / "regions.csv"
        regions.write_text(regions.read_text(encoding="utf-8")
                           + "530699,镇雄县,Zhenxiong Xian,county,530600,,official,\n",
                           encoding="utf-8")
        assert not workspace.refresh(instance).success
        report = format_status(collect_status(defs, instance))
        assert "failing check: dim_region: unique_dim_region_name_zh" in report
        assert report.splitlines()[1].startswith("raw/")  # in the order the data flows
        [dim_region_line] = [line for line in report.splitlines() if line.startswith("dim_region ")]
        assert " 34 " in dim_region_line  # built with the duplicate, then its test failed
