"""Shared fixtures: the real pipeline, run on copies of the seeds in temporary folders."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from pipelines.settings import ENV_DOCUMENTS, ENV_SHEETS, ENV_WAREHOUSE, REPO_ROOT, Settings

SEED_DOCUMENTS = REPO_ROOT / "seeds" / "documents"
SEED_SHEETS = REPO_ROOT / "seeds" / "sheets"
WUMENG = str(Path(sys.executable).with_name("wumeng"))  # the command, as installed beside Python


@dataclass
class Workspace:
    settings: Settings

    def environment(self) -> dict[str, str]:
        """The variables that point Wumeng at these folders."""
        return {ENV_DOCUMENTS: str(self.settings.documents_dir),
                ENV_SHEETS: str(self.settings.sheets_dir),
                ENV_WAREHOUSE: str(self.settings.warehouse_dir)}

    def command_env(self, dagster_home: Path) -> dict[str, str]:
        """The environment of a `wumeng` command run on these folders in its own process."""
        return {**os.environ, **self.environment(), "DAGSTER_HOME": str(dagster_home)}

    def refresh(self, instance: dg.DagsterInstance | None = None):
        """One full refresh through the real Dagster definitions, with these paths."""
        from pipelines.refresh import run_refresh

        with pytest.MonkeyPatch.context() as patch:
            for name, value in self.environment().items():
                patch.setenv(name, value)
            return run_refresh(self.settings, instance or dg.DagsterInstance.ephemeral())


def make_workspace(root: Path) -> Workspace:
    """Copies of the seed documents and sheets, and an empty warehouse folder."""
    shutil.copytree(SEED_DOCUMENTS, root / "documents")
    shutil.copytree(SEED_SHEETS, root / "sheets")
    return Workspace(Settings(root / "documents", root / "sheets", root / "warehouse"))


@pytest.fixture(scope="session")
def seeded(tmp_path_factory):
    """The seeds refreshed once; tests read the published snapshot and must not change it."""
    workspace = make_workspace(tmp_path_factory.mktemp("seeded"))
    summary = workspace.refresh()
    return workspace, summary


@pytest.fixture
def workspace(tmp_path) -> Workspace:
    return make_workspace(tmp_path)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_dagster(process: subprocess.Popen, url: str, timeout: float = 120) -> None:
    """Until the Dagster webserver at `url` answers; fails if it exits or takes too long."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(f"{url}/server_info", timeout=2)
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the Dagster webserver at {url} did not start")
            time.sleep(1)


# Headless Chromium, from Debian's `chromium` package: the fixture installs it when it is
# missing (as root, the way CI runs), and fails with the command to run otherwise.
CHROMIUM_FLAGS = [  # no sandbox as root; no calls home, which this machine's network refuses
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium")
    if found is None and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-q", "--no-install-recommends", "chromium"],
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
                       capture_output=True, check=False)
        found = shutil.which("chromium")
    if found is None:
        pytest.fail("headless Chromium is needed: apt-get install chromium")
    return found


def rendered(chromium: str, url: str, tmp_path: Path) -> str:
    """The page's DOM once its scripts have run and its data has loaded."""
    completed = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'chromium'}",
         "--window-size=2400,4000", "--virtual-time-budget=30000", "--dump-dom", url],
        capture_output=True, text=True, timeout=180)
    return completed.stdout


# The reliability suite's tally (issue 10): every test that injects a fault, feeds bad input
# or runs fuzz cases counts them here, and counts any data it found lost. pytest prints the
# totals at the end of the run and writes them to .pytest_cache/wumeng-reliability.json.
@dataclass
class ReliabilityTally:
    faults_injected: int = 0
    bad_inputs_tried: int = 0
    fuzz_cases_run: int = 0
    data_lost: int = 0  # rows or files missing after a fault; anything but 0 also fails a test

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


_TALLY = ReliabilityTally()


@pytest.fixture(scope="session")
def reliability() -> ReliabilityTally:
    return _TALLY


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    import json

    if _TALLY == ReliabilityTally():
        return
    terminalreporter.section("reliability")
    terminalreporter.write_line(
        f"{_TALLY.faults_injected} faults injected, {_TALLY.bad_inputs_tried} bad inputs tried, "
        f"{_TALLY.fuzz_cases_run} fuzz cases run; data lost: {_TALLY.data_lost}")
    if getattr(config, "cache", None) is not None:  # absent under -p no:cacheprovider
        out = Path(config.cache._cachedir) / "wumeng-reliability.json"
        out.write_text(json.dumps(_TALLY.as_dict(), indent=2) + "\n", encoding="utf-8")


def table_fingerprints(database: Path, schemas=("main",)) -> dict[str, tuple[int, int]]:
    """Each table's row count and an order-independent hash of its rows, to compare two
    databases row by row without holding them in memory."""
    import duckdb

    from pipelines.warehouse import columns_by_table, rows_hash

    with duckdb.connect(str(database), read_only=True) as con:
        return {f"{schema}.{table}": rows_hash(con, schema, table, [f'"{c}"' for c in columns])
                for schema in schemas for table, columns in columns_by_table(con, schema).items()}
