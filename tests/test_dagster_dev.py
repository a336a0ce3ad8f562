"""`dagster dev` for real: the daemon queues runs one writer at a time, and a file dropped
into the documents folder starts a run that updates the marts.

Slow (the runs are real: about two minutes in all), and the closest the suite comes to a
person running `make ui`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.instance.ref import InstanceRef
from dagster_graphql import DagsterGraphQLClient

from pipelines.settings import ENV_DOCUMENTS, ENV_SHEETS, ENV_WAREHOUSE, REPO_ROOT
from pipelines.warehouse import connect_published
from tests.conftest import SEED_DOCUMENTS, SEED_SHEETS, free_port, wait_for_dagster

FINISHED = {dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED}


@pytest.fixture(scope="module")
def dagster_dev(tmp_path_factory):
    from pipelines.dbt_project import prepare_dbt_manifest

    root = tmp_path_factory.mktemp("dagster_dev")
    shutil.copytree(SEED_DOCUMENTS, root / "documents")
    shutil.copytree(SEED_SHEETS, root / "sheets")
    home = root / "dagster_home"
    home.mkdir()
    shutil.copy(REPO_ROOT / ".dagster" / "dagster.yaml", home)
    env = {**os.environ, "DAGSTER_HOME": str(home), ENV_DOCUMENTS: str(root / "documents"),
           ENV_SHEETS: str(root / "sheets"), ENV_WAREHOUSE: str(root / "warehouse")}
    prepare_dbt_manifest(root / "warehouse" / "build" / "wumeng.duckdb")
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("dagster")), "dev", "-m", "pipelines.definitions",
         "-h", "127.0.0.1", "-p", str(port)],
        cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    try:
        wait_for_dagster(server, f"http://127.0.0.1:{port}")
        instance = dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home)))
        yield root, DagsterGraphQLClient("127.0.0.1", port_number=port), instance
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=60)


def wait_until_idle(instance, timeout: float = 600) -> list:
    """Every run, once none is queued or running; fails if two ever ran at once."""
    deadline = time.monotonic() + timeout
    while True:
        runs = instance.get_runs()
        started = [r for r in runs if r.status == dg.DagsterRunStatus.STARTED]
        assert len(started) <= 1, "two runs wrote at once"
        if runs and all(r.status in FINISHED for r in runs):
            return runs
        assert time.monotonic() < deadline, "runs did not finish"
        time.sleep(0.5)


def test_two_runs_launched_at_once_run_one_after_the_other(dagster_dev):
    _, client, instance = dagster_dev
    submitted = [client.submit_job_execution("refresh") for _ in range(2)]
    runs = wait_until_idle(instance)
    assert set(submitted) <= {run.run_id for run in runs}
    assert all(run.status == dg.DagsterRunStatus.SUCCESS for run in runs)
    records = sorted((instance.get_run_record_by_id(run.run_id) for run in runs),
                     key=lambda record: record.start_time)
    for earlier, later in zip(records, records[1:]):
        assert later.start_time >= earlier.end_time  # queued, not failed on DuckDB's lock


def test_a_dropped_article_starts_a_run_that_updates_the_marts(dagster_dev):
    root, _, instance = dagster_dev
    wait_until_idle(instance)  # the sensor's first look at the folders refreshes once
    before = {run.run_id for run in instance.get_runs()}
    (root / "documents" / "2026_new_jobs.txt").write_text(
        "昭通就业新闻\n\n记者 王明\n\n2025年，昭通全市脱贫人口和“三类对象”人均纯收入18000元。\n",
        encoding="utf-8")
    deadline = time.monotonic() + 180
    while not {run.run_id for run in instance.get_runs()} - before:
        assert time.monotonic() < deadline, "the sensor started no run"
        time.sleep(1)
    runs = wait_until_idle(instance)
    [new_run] = [run for run in runs if run.run_id not in before]
    assert new_run.status == dg.DagsterRunStatus.SUCCESS
    assert new_run.tags["wumeng/changed"] == "documents"
    with connect_published(root / "warehouse" / "wumeng.duckdb") as con:
        assert con.execute("select value from fct_observation where period_label = '2025' and "
                           "indicator_code = 'POVERTY_ALLEVIATED_INCOME_PER_CAPITA'").fetchall() == [
            (18000.0,)]
        rows = con.execute("select count(*) from fct_observation").fetchone()[0]
    # Each step runs in its own process here: the row count still reaches the UI's metadata.
    event = instance.get_latest_materialization_event(dg.AssetKey("fct_observation"))
    assert event.run_id == new_run.run_id
    assert event.asset_materialization.metadata["dagster/row_count"].value == rows
