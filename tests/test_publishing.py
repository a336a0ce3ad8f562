"""Publishing: readers never blocked, never shown a half-made release; rollback; kills.

The design: the pipeline writes a build database only it opens, and publishes an immutable
copy under releases/ by swapping the `wumeng.duckdb` symlink in one atomic rename.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from pipelines import warehouse
from pipelines.cli import main
from pipelines.settings import REPO_ROOT
from pipelines.warehouse import (ReleaseError, connect_published, list_releases, publish,
                                 rollback)
from tests.conftest import WUMENG

NEW_ARTICLE = "昭通就业新闻\n\n记者 王明\n\n2025年，昭通全市脱贫人口和“三类对象”人均纯收入18000元。\n"


def _build(build_db: Path, value: int, rows: int = 10) -> None:
    build_db.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(build_db)) as con:
        con.execute("create or replace table facts as "
                    f"select i as id, {value} as value from range({rows}) t(i)")


def _published_value(published: Path) -> tuple[str, int, int]:
    """(release name, rows, value) of what `published` opens."""
    with connect_published(published) as con:
        count, value = con.execute("select count(*), max(value) from facts").fetchone()
        return published.resolve().parent.name, count, value


# ---- rollback ---------------------------------------------------------------------------

def test_rollback_points_the_snapshot_at_an_earlier_release(tmp_path, capsys):
    build, published, releases = tmp_path / "build" / "w.duckdb", tmp_path / "wumeng.duckdb", \
        tmp_path / "releases"
    names = []
    for value in (1, 2, 3):
        _build(build, value)
        names.append(publish(build, published, releases).name)
    assert _published_value(published) == (names[2], 10, 3)

    assert rollback(published, releases).name == names[1]
    assert _published_value(published) == (names[1], 10, 2)
    assert rollback(published, releases).name == names[0]
    with pytest.raises(ReleaseError, match=f"{names[0]} is the oldest kept"):
        rollback(published, releases)
    assert rollback(published, releases, to=f"releases/{names[2]}/").name == names[2]
    with pytest.raises(ReleaseError, match="no release named 'wumeng-1999'; kept: wumeng-"):
        rollback(published, releases, to="wumeng-1999")
    assert _published_value(published) == (names[2], 10, 3)

    # The next publish is the newest release again, whatever was rolled back to.
    rollback(published, releases, to=names[0])
    _build(build, 4)
    assert _published_value(Path(publish(build, published, releases).path))[2] == 4
    assert published.resolve() == list_releases(releases)[-1].path


def test_publish_command_lists_releases_and_rolls_back(tmp_path, capsys):
    warehouse = tmp_path / "warehouse"
    build, published = warehouse / "build" / "wumeng.duckdb", warehouse / "wumeng.duckdb"
    assert main(["publish", "--warehouse", str(warehouse)]) == 0
    assert "no releases" in capsys.readouterr().out
    for value in (1, 2):
        _build(build, value)
        publish(build, published, warehouse / "releases")
    first, second = list_releases(warehouse / "releases")

    assert main(["publish", "--warehouse", str(warehouse)]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].startswith(f"  {first.name}") and listing[1].startswith(f"* {second.name}")
    assert main(["publish", "--warehouse", str(warehouse), "--rollback"]) == 0
    assert f"now points to {first.name}" in capsys.readouterr().out
    assert _published_value(published)[2] == 1
    assert main(["publish", "--warehouse", str(warehouse), "--rollback"]) == 1
    assert "no earlier release" in capsys.readouterr().err
    assert main(["publish", "--warehouse", str(warehouse), "--rollback", second.name]) == 0
    assert _published_value(published)[2] == 2


def test_the_last_few_releases_are_kept(tmp_path):
    build, published, releases = tmp_path / "b.duckdb", tmp_path / "wumeng.duckdb", tmp_path / "r"
    for value in range(7):
        _build(build, value)
        publish(build, published, releases, keep=3)
    kept = list_releases(releases)
    assert len(kept) == 3 and published.resolve() == kept[-1].path
    assert [_published_value(release.path)[2] for release in kept] == [4, 5, 6]
    assert sorted(p.name for p in releases.iterdir()) == [r.name for r in kept]


# ---- a publish that fails or is killed half-way ---------------------------------------------

@pytest.mark.parametrize("failing", ["copy", "fsync", "release rename", "symlink swap"])
def test_a_publish_that_fails_half_way_leaves_the_snapshot_as_it_was(tmp_path, monkeypatch,
                                                                      failing, reliability):
    build, published, releases = tmp_path / "b.duckdb", tmp_path / "wumeng.duckdb", tmp_path / "r"
    _build(build, 1)
    before = publish(build, published, releases)
    _build(build, 2)
    real_replace, replaced = os.replace, []

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    def replace(src, dst):
        replaced.append(dst)
        if (failing == "release rename" and len(replaced) == 1) or \
                (failing == "symlink swap" and len(replaced) == 2):
            fail()
        real_replace(src, dst)

    def half_copy(src, dst):
        Path(dst).write_bytes(Path(src).read_bytes()[:4096])  # a torn file
        fail()

    with monkeypatch.context() as patch:
        if failing == "copy":
            patch.setattr(warehouse, "copy_durably", half_copy)
        elif failing == "fsync":
            patch.setattr(os, "fsync", fail)
        else:
            patch.setattr(os, "replace", replace)
        with pytest.raises(OSError, match="No space left"):
            publish(build, published, releases)
        reliability.faults_injected += 1

    assert published.resolve() == before.path
    assert _published_value(published)[1:] == (10, 1)
    after = publish(build, published, releases)  # the next publish cleans up and succeeds
    assert _published_value(published)[1:] == (10, 2)
    assert sorted(p.name for p in releases.iterdir()) == sorted(
        [r.name for r in list_releases(releases)])  # no .partial left behind
    assert not list(tmp_path.glob(".wumeng.duckdb.*.tmp")) and after.path.exists()


def _takes_direct_io(folder: Path) -> bool:
    try:
        os.close(os.open(folder / "probe", os.O_WRONLY | os.O_CREAT | os.O_DIRECT))
        return True
    except OSError:
        return False


@pytest.mark.parametrize("refused", [None, "on setting O_DIRECT", "on the first write"])
@pytest.mark.parametrize("size", [0, 100, 3 * 4096, 5 * 4096 + 123, (16 << 20) + 3 * 4096 + 7])
def test_a_release_is_copied_byte_for_byte_whatever_its_length(tmp_path, monkeypatch, size,
                                                              refused):
    """Whole blocks go to the disk directly, a shorter last piece through the cache; where
    the file system refuses direct I/O, all of it through the cache."""
    data = random.Random(size).randbytes(size)
    source, target = tmp_path / "source", tmp_path / "target"
    source.write_bytes(data)
    real_fcntl, real_write, direct_writes = warehouse.fcntl.fcntl, os.write, []

    def set_flags(fd, command, arg=0):
        if (command == warehouse.fcntl.F_SETFL and arg & os.O_DIRECT
                and refused == "on setting O_DIRECT"):
            raise OSError(22, "Invalid argument")
        return real_fcntl(fd, command, arg)

    def write(fd, data):
        if real_fcntl(fd, warehouse.fcntl.F_GETFL) & os.O_DIRECT:
            if refused == "on the first write":
                raise OSError(22, "Invalid argument")
            direct_writes.append(len(data))
        return real_write(fd, data)

    monkeypatch.setattr(warehouse.fcntl, "fcntl", set_flags)
    monkeypatch.setattr(os, "write", write)
    warehouse.copy_durably(source, target)
    assert target.read_bytes() == data
    if refused is None and _takes_direct_io(tmp_path):
        assert sum(direct_writes) == size - size % 4096
    with pytest.raises(FileExistsError):  # a release file is new, never written over
        warehouse.copy_durably(source, target)


PUBLISH_FOREVER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from pipelines.warehouse import publish
    build, published, releases = (Path(p) for p in sys.argv[1:4])
    while True:
        publish(build, published, releases, keep=2)
""")


def test_killed_at_random_moments_while_publishing_the_snapshot_stays_whole(tmp_path, reliability):
    """SIGKILL a process that publishes over and over, at 12 random moments: mid-copy,
    mid-fsync, between the rename and the swap. The snapshot always opens, complete."""
    build, published, releases = tmp_path / "b.duckdb", tmp_path / "wumeng.duckdb", tmp_path / "r"
    _build(build, 7, rows=2_000_000)  # tens of MB: a copy takes long enough to be interrupted
    publish(build, published, releases)
    moments = random.Random(8).sample(range(50, 1500), 12)
    for moment in moments:
        child = subprocess.Popen([sys.executable, "-c", PUBLISH_FOREVER, build, published,
                                  releases], cwd=REPO_ROOT)
        time.sleep(moment / 1000)
        child.kill()
        child.wait()
        reliability.faults_injected += 1
        name, count, value = _published_value(published)
        if (count, value) != (2_000_000, 7):
            reliability.data_lost += 1
        assert (count, value) == (2_000_000, 7), f"killed at {moment} ms"
        assert (releases / name / "wumeng.duckdb").exists()
    publish(build, published, releases)
    assert not list(releases.glob(".*.partial"))


# ---- readers during a real refresh ------------------------------------------------------------

READER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from pipelines.warehouse import connect_published
    published, stop, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    SQL = ("select count(*), sum(value), max(period_label) from fct_observation "
           "where indicator_code = 'POVERTY_ALLEVIATED_INCOME_PER_CAPITA'")
    held = connect_published(published)
    held_views, fresh_views = [], []
    while not stop.exists():
        held_views.append(held.execute(SQL).fetchone())
        with connect_published(published) as con:  # a new connection for each query
            fresh_views.append(con.execute(SQL).fetchone())
        time.sleep(0.02)
    out.write_text(json.dumps({"held": held_views, "fresh": fresh_views}))
""")


def test_readers_keep_reading_while_a_refresh_runs_and_publishes(workspace, tmp_path):
    assert workspace.refresh().success
    published = workspace.settings.published_db
    stop, out = tmp_path / "stop", tmp_path / "views.json"
    reader = subprocess.Popen([sys.executable, "-c", READER, published, stop, out],
                              cwd=REPO_ROOT, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(1)
        (workspace.settings.documents_dir / "2026_income.txt").write_text(NEW_ARTICLE,
                                                                         encoding="utf-8")
        assert workspace.refresh().success
        time.sleep(1)
    finally:
        stop.touch()
        _, errors = reader.communicate(timeout=60)
    assert reader.returncode == 0, errors  # no lock error, no torn read, in any query

    views = json.loads(out.read_text())
    old, new = [3, 40136.0, "2023"], [4, 58136.0, "2025"]
    # The connection opened before the refresh saw one consistent release all along.
    assert {tuple(v) for v in views["held"]} == {tuple(old)}
    # New connections saw the old release, then the new one, never a mix or a step back.
    fresh = [tuple(v) for v in views["fresh"]]
    assert fresh[0] == tuple(old) and fresh[-1] == tuple(new)
    switch = fresh.index(tuple(new))
    assert set(fresh[:switch]) == {tuple(old)} and set(fresh[switch:]) == {tuple(new)}


# ---- a refresh killed at each stage ------------------------------------------------------------

STAGES = ['Started execution of step "raw_documents"',
          'Started execution of step "raw__mentions"',
          "Running dbt command",
          'Started execution of step "published_warehouse"']


def test_a_refresh_killed_at_any_stage_leaves_the_snapshot_unchanged(workspace, tmp_path,
                                                                     reliability):
    assert workspace.refresh().success
    settings = workspace.settings
    published = settings.published_db
    release = published.resolve()
    with connect_published(published) as con:
        before = con.execute("select count(*), sum(value) from fct_observation").fetchall()
    (settings.documents_dir / "2026_income.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    env = workspace.command_env(tmp_path / "dagster_home")
    log = settings.warehouse_dir / "logs" / "refresh.log"
    for marker in STAGES:
        log.unlink(missing_ok=True)
        # Its own process group, as a terminal's Ctrl-C or a killed container would take
        # the extraction's worker processes down with it.
        child = subprocess.Popen([WUMENG, "refresh"], env=env, start_new_session=True,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while not (log.exists() and marker in log.read_text(encoding="utf-8")):
            assert child.poll() is None, f"the refresh ended before {marker!r}"
            assert time.monotonic() < deadline, f"never reached {marker!r}"
            time.sleep(0.05)
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        reliability.faults_injected += 1
        with connect_published(published) as con:
            now = con.execute("select count(*), sum(value) from fct_observation").fetchall()
        if marker.endswith('"published_warehouse"'):  # the kill may land after the swap
            assert now in (before, [(before[0][0] + 1, before[0][1] + 18000)])
        else:
            assert (now, published.resolve()) == (before, release), marker

    # The next run needs no clean-up: it builds, tests and publishes the new article.
    assert subprocess.run([WUMENG, "refresh"], env=env, capture_output=True).returncode == 0
    with connect_published(published) as con:
        assert con.execute("select value from fct_observation where period_label = '2025' and "
                           "indicator_code = 'POVERTY_ALLEVIATED_INCOME_PER_CAPITA'"
                           ).fetchall() == [(18000.0,)]
