"""Faults and idempotency (issue 10): a refresh killed at random moments recovers by itself to
exactly what an unbroken run builds, and refreshes with no change in the inputs change nothing.

The stage-by-stage kills, the publish failures (disk full) and the readers held open during a
refresh are in test_publishing.py; bad input of every kind in test_bad_input.py.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import duckdb

from pipelines.refresh import format_summary
from pipelines.warehouse import columns_by_table, list_releases, rows_hash
from tests.conftest import WUMENG, make_workspace, table_fingerprints

FIXTURES = Path(__file__).parent / "fixtures" / "articles"


# `loaded` by this run or `unchanged` (with its reason saying so) since an earlier one
_LEDGER_RUN_NEUTRAL = {
    "status": "status in ('loaded', 'unchanged')",
    "reason": "case when status not in ('loaded', 'unchanged') then reason end",
}


def comparable_fingerprints(database: Path) -> dict[str, tuple[int, int]]:
    """Each published table's rows, hashed without what differs between two correct runs of
    the same inputs: load times, and whether the ledger says a file was `loaded` by this run
    or `unchanged` since an earlier one."""
    with duckdb.connect(str(database), read_only=True) as con:
        return {table: rows_hash(con, "main", table, [
                    _LEDGER_RUN_NEUTRAL.get(name, f'"{name}"') if table == "document_ledger"
                    else f'"{name}"' for name in names])
                for table, names in columns_by_table(con, "main", without_timestamps=True).items()}


def with_more_articles(root: Path):
    workspace = make_workspace(root)
    for fixture in sorted(FIXTURES.iterdir()):
        shutil.copy(fixture, workspace.settings.documents_dir / fixture.name)
    return workspace


def test_a_refresh_killed_at_random_moments_recovers_to_what_an_unbroken_run_builds(
        tmp_path, reliability):
    reference = with_more_articles(tmp_path / "reference")
    unbroken = reference.refresh()
    assert unbroken.success, unbroken.failures
    expected = comparable_fingerprints(reference.settings.published_db)
    assert expected["fct_observation"][0] > 0 and expected["fct_mention"][0] > 0

    victim = with_more_articles(tmp_path / "victim")
    settings = victim.settings
    env = victim.command_env(tmp_path / "dagster_home")
    # Moments across a whole run, as a person pressing Ctrl-C or a machine losing power would
    # pick them: the first refresh (nothing published yet) and the ones after.
    moments = random.Random(10).sample([x / 10 for x in range(5, int(unbroken.seconds * 10))], 6)
    for moment in moments:
        child = subprocess.Popen([WUMENG, "refresh"], env=env, start_new_session=True,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(moment)
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        reliability.faults_injected += 1
        if settings.published_db.exists():  # once published, always whole
            prints = comparable_fingerprints(settings.published_db)
            assert prints == expected, f"killed after {moment} s"

    # The next run needs no clean-up and ends where the unbroken run did: no row lost, none twice.
    completed = subprocess.run([WUMENG, "refresh"], env=env, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout
    recovered = comparable_fingerprints(settings.published_db)
    reliability.data_lost += sum(abs(recovered.get(t, (0, 0))[0] - n) for t, (n, _) in expected.items())
    assert recovered == expected
    assert not list(settings.releases_dir.glob(".*.partial"))


def test_refreshes_with_no_change_in_the_inputs_change_nothing(workspace):
    settings = workspace.settings
    assert workspace.refresh().success
    second = workspace.refresh()  # the ledger now says `unchanged`: a new release
    assert second.success and second.new_release and second.ledger == {"unchanged": 2}
    releases = [r.name for r in list_releases(settings.releases_dir)]
    build_after_second = table_fingerprints(settings.build_db, ("main", "intermediate", "raw"))
    marts_after_second = comparable_fingerprints(settings.build_db)

    third = workspace.refresh()
    assert third.success and not third.new_release
    assert "(inputs unchanged: no new release)" in format_summary(third)
    # No new release: the file published is the second run's, unchanged.
    assert [r.name for r in list_releases(settings.releases_dir)] == releases
    assert third.release == second.release
    # The marts the third run built are the second's row for row; all columns of every
    # table are, but the times the folder was scanned (the ledger's seen_at) and the sheets
    # validated (their loaded_at): documents keep their load times, nothing is rebuilt.
    assert comparable_fingerprints(settings.build_db) == marts_after_second
    build_after_third = table_fingerprints(settings.build_db, ("main", "intermediate", "raw"))
    changed = {table for table in build_after_second
               if build_after_second[table] != build_after_third[table]}
    assert changed <= {"raw.document_ledger", "main.document_ledger"} | {
        f"raw.sheet_{name}" for name in ("documents", "indicators", "observations", "regions",
                                         "rejects")} | {
        "main.dim_region", "main.dim_indicator", "main.sheet_rejects"}, changed
    assert "main.fct_mention" not in changed and "raw.mentions" not in changed


def test_two_refreshes_started_at_once_run_one_after_the_other(workspace, tmp_path, reliability):
    settings = workspace.settings
    env = workspace.command_env(tmp_path / "dagster_home")
    runs = [subprocess.Popen([WUMENG, "refresh"], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=600) for run in runs]
    reliability.faults_injected += 1
    assert [run.returncode for run in runs] == [0, 0], outputs
    waited = [err for _, err in outputs if "waiting for it to end" in err]
    assert len(waited) == 1 and f"another refresh of {settings.warehouse_dir} is running" in waited[0]
    assert {out.splitlines()[1].split()[1] for out, _ in outputs} == {"2"}  # "documents 2 …"
    with duckdb.connect(str(settings.published_db), read_only=True) as con:
        assert con.execute("select count(*) from dim_document").fetchone() == (2,)
