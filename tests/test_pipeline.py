"""The whole pipeline on the seeds: documents and sheets in, tested marts published."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys

import dagster as dg
import duckdb

from pipelines.refresh import format_summary
from pipelines.warehouse import connect_published
from tests.conftest import SEED_DOCUMENTS

SEED_SHA256 = {
    "000_e7477d3aa7d3b9e2.txt": "e4792366052300ba789a7c615742ff628735abec208371e1c5db1892ce3d3f04",
    "002_c24e9d97611dbda4.txt": "54d7895fcf345cde242ca0926ea8dddb56f3545ccdc24df09a24a26f648b1545",
}


def query(settings, sql: str):
    with connect_published(settings.published_db) as con:
        return con.execute(sql).fetchall()


def test_seed_files_are_the_received_bytes():
    for name, sha in SEED_SHA256.items():
        assert hashlib.sha256((SEED_DOCUMENTS / name).read_bytes()).hexdigest() == sha


def test_refresh_succeeds_and_every_dbt_test_passes(seeded):
    _, summary = seeded
    assert summary.success, summary.failures
    assert summary.failures == []
    assert summary.checks_failed == []
    assert summary.checks_passed >= 25  # dbt tests reported as Dagster asset checks


def test_both_seed_files_loaded_with_their_sha256(seeded):
    workspace, _ = seeded
    rows = query(workspace.settings,
                 "select file_path, status, sha256, encoding, reason from document_ledger "
                 "order by file_path")
    assert rows == [(name, "loaded", sha, "utf-8", None) for name, sha in sorted(SEED_SHA256.items())]
    documents = query(workspace.settings,
                      "select file_path, sha256, char_count from dim_document order by file_path")
    assert [(path, sha) for path, sha, _ in documents] == sorted(SEED_SHA256.items())
    assert all(count > 4000 for _, _, count in documents)


def test_dim_region_holds_the_city_and_its_counties(seeded):
    workspace, _ = seeded
    assert query(workspace.settings,
                 "select region_code, name_zh, name_pinyin, region_level, parent_region_code, "
                 "is_official_code from dim_region where name_zh = '镇雄县'") == [
        ("530627", "镇雄县", "Zhenxiong Xian", "county", "530600", True)]
    counties = query(workspace.settings, """
        select count(*) from dim_region
        where parent_region_code = '530600' and region_level = 'county' and is_official_code""")
    assert counties == [(11,)]
    assert query(workspace.settings, """
        select r.name_zh, p.name_zh, p.parent_region_code from dim_region r
        join dim_region p on r.parent_region_code = p.region_code
        where r.name_zh = '幸福里社区'""") == [("幸福里社区", "马树镇", "530622")]


def test_published_snapshot_is_an_immutable_release_apart_from_the_build(seeded):
    workspace, summary = seeded
    settings = workspace.settings
    assert settings.published_db.is_symlink()
    release = settings.published_db.resolve()
    assert release.parent.parent == settings.releases_dir.resolve()
    assert summary.release == release.parent.name and release.name == "wumeng.duckdb"
    # Every release is the database `wumeng` to SQL and BI tools, whatever its folder.
    assert query(settings, "select current_database()") == [("wumeng",)]
    assert not os.stat(release).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert release != settings.build_db.resolve()
    # Readers can open it while the pipeline holds its own build database open for writing.
    with duckdb.connect(str(settings.build_db)):
        assert query(settings, "select count(*) from dim_region") == [(33,)]


def test_summary_tells_what_was_built_and_how_to_query(seeded):
    from pipelines.refresh import format_summary

    _, summary = seeded
    text = format_summary(summary)
    assert "succeeded" in text
    assert "2 loaded" in text
    assert "dim_region 33" in text
    assert f"{summary.checks_passed} passed, 0 failed" in text
    assert 'wumeng sql "select' in text


def test_bad_inputs_are_listed_with_reasons_and_the_rest_loads(workspace):
    docs = workspace.settings.documents_dir
    (docs / "empty.txt").write_bytes(b"")
    (docs / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not an article")
    (docs / "copy of 000.md").write_bytes((docs / "000_e7477d3aa7d3b9e2.txt").read_bytes())
    regions = workspace.settings.sheets_dir / "regions.csv"
    regions.write_text(regions.read_text(encoding="utf-8")
                       + "999999,某某县,Moumou Xian,county,123456,,official,\n", encoding="utf-8")

    summary = workspace.refresh()

    assert summary.success, summary.failures
    ledger = {path: (status, reason) for path, status, reason in query(
        workspace.settings, "select file_path, status, reason from document_ledger")}
    assert ledger["empty.txt"] == ("rejected", "empty: the file has no bytes")
    assert ledger["photo.jpg"][0] == "rejected" and "unsupported file type '.jpg'" in ledger["photo.jpg"][1]
    assert ledger["copy of 000.md"] == ("duplicate", "same text as 000_e7477d3aa7d3b9e2.txt")
    assert sum(status == "loaded" for status, _ in ledger.values()) == 2
    assert query(workspace.settings,
                 "select sheet, row_number, column_name, value, reason from sheet_rejects") == [
        ("regions.csv", 35, "parent_code", "123456", "parent code is not a region in this sheet")]
    assert query(workspace.settings, "select count(*) from dim_region") == [(33,)]


def _latest_metadata(instance: dg.DagsterInstance, asset: str, run_id: str) -> dict:
    event = instance.get_latest_materialization_event(dg.AssetKey(asset.split("/")))
    assert event is not None and event.run_id == run_id, f"{asset} not materialized in {run_id}"
    return {key: getattr(value, "value", value)
            for key, value in event.asset_materialization.metadata.items()}


def test_a_failing_data_test_blocks_publishing_and_keeps_the_last_release(workspace):
    instance = dg.DagsterInstance.ephemeral()
    first = workspace.refresh(instance)
    assert first.success
    # Every mart's materialization carries the row count of the table that was published.
    for mart, rows in first.mart_rows.items():
        assert _latest_metadata(instance, mart, first.run_id)["dagster/row_count"] == rows, mart
    published = _latest_metadata(instance, "published_warehouse", first.run_id)
    assert published["checks_passed"] == first.checks_passed > 40
    assert published["checks_failed"] == 0 and published["failed_checks"] == []
    published_before = workspace.settings.published_db.resolve()

    # Two regions with the same Chinese name pass row validation but break dim_region's
    # uniqueness test: the build must fail and the published snapshot stay as it was.
    regions = workspace.settings.sheets_dir / "regions.csv"
    regions.write_text(regions.read_text(encoding="utf-8")
                       + "530699,镇雄县,Zhenxiong Xian,county,530600,,official,\n", encoding="utf-8")
    second = workspace.refresh(instance)

    assert not second.success
    # The models dbt built before the failing test are still recorded, with their counts.
    assert _latest_metadata(instance, "dim_region", second.run_id)["dagster/row_count"] == 34
    assert any("dbt_models" in failure for failure in second.failures)
    assert "dim_region: unique_dim_region_name_zh" in second.checks_failed
    assert workspace.settings.published_db.resolve() == published_before
    assert query(workspace.settings, "select count(*) from dim_region") == [(33,)]


def test_an_implausible_figure_mapped_automatically_warns_and_still_publishes(workspace):
    (workspace.settings.documents_dir / "misprint.txt").write_text(
        "昭通就业新闻\n\n记者 王明\n\n2026年，昭通全市脱贫人口和“三类对象”人均纯收入1546500元。\n",
        encoding="utf-8")
    summary = workspace.refresh()

    assert summary.success and summary.checks_failed == []
    assert sorted(summary.checks_warned) == [
        "dim_article: dim_article_every_article_is_registered",  # the article is new
        "fct_observation: assert_extracted_observations_in_plausible_ranges"]
    assert "warning: fct_observation: assert_extracted_observations_in_plausible_ranges" in \
        format_summary(summary)
    assert query(workspace.settings, "select obtained_by, value from fct_observation "
                                     "where period_label = '2026' and obtained_by = 'extracted'"
                 ) == [("extracted", 1546500.0)]


def test_views_are_created_when_the_project_changes_not_on_every_refresh(workspace):
    """A view holds its definition only. The first build creates the views; a refresh with
    the dbt project unchanged does not create them again, but runs their data tests; a view
    that is gone (dropped by hand) is created again."""
    from dagster._core.storage.asset_check_execution_record import (
        AssetCheckExecutionRecordStatus)

    instance = dg.DagsterInstance.ephemeral()
    view = dg.AssetKey(["staging", "stg_sheets__documents"])
    check = dg.AssetCheckKey(view, "stg_sheets__documents_estimated_dates_say_why")

    def last_view_run() -> str:
        return instance.get_latest_materialization_event(view).run_id

    first = workspace.refresh(instance)
    assert first.success and last_view_run() == first.run_id
    second = workspace.refresh(instance)
    assert second.success and last_view_run() == first.run_id
    # published all the same (Dagster skips a step whose upstream asset was not materialized)
    assert _latest_metadata(instance, "published_warehouse", second.run_id)["release"]
    assert _latest_metadata(instance, "indicator_pages", second.run_id)["pages"] > 10
    latest = instance.event_log_storage.get_latest_asset_check_execution_by_key([check])[check]
    assert latest.run_id == second.run_id
    assert latest.status == AssetCheckExecutionRecordStatus.SUCCEEDED
    assert _latest_metadata(instance, "fct_observation", second.run_id)["dagster/row_count"] > 0

    with duckdb.connect(str(workspace.settings.build_db)) as con:
        con.execute("drop view staging.stg_sheets__regions")
    third = workspace.refresh(instance)
    assert third.success and last_view_run() == third.run_id


def test_dbt_runs_in_the_refresh_process_builds_a_selected_subset_and_lets_go_of_the_database(
        workspace, monkeypatch):
    """dbt runs inside the process of the run (a dbt process cost 1.4 s of every refresh):
    dagster-dbt gets its events as from a process, a subset chosen in Dagster builds and
    tests only what it selects, and dbt lets go of the build database when it ends."""
    instance = dg.DagsterInstance.ephemeral()
    assert workspace.refresh(instance).success
    from pipelines.definitions import defs

    for name, value in workspace.environment().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(subprocess, "Popen", _no_process)
    result = defs.resolve_job_def("refresh").execute_in_process(
        instance=instance, asset_selection=[dg.AssetKey("dim_region")])
    monkeypatch.undo()

    assert result.success
    materialized = {event.asset_key for event in result.get_asset_materialization_events()}
    assert materialized == {dg.AssetKey("dim_region")}
    checks = {evaluation.check_name: evaluation.passed
              for evaluation in result.get_asset_check_evaluations()}
    assert checks["unique_dim_region_region_code"] is True
    assert {evaluation.asset_key for evaluation in result.get_asset_check_evaluations()} == {
        dg.AssetKey("dim_region")}
    # another process can now write the build database
    opened = subprocess.run([sys.executable, "-c", "import duckdb, sys; duckdb.connect(sys.argv[1])"
                             ".execute('create table free (x int)')",
                             str(workspace.settings.build_db)], capture_output=True, text=True)
    assert opened.returncode == 0, opened.stderr


def _no_process(*args, **kwargs):
    raise AssertionError(f"a process was started: {args} {kwargs}")
