"""The dbt project handle and its manifest preparation.

Kept apart from the assets module on purpose: `@dbt_assets` reads the manifest when its
module is imported, so the manifest must be prepared before that import, from here.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cached_property
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from packaging.version import Version

from pipelines.settings import DBT_PROJECT_DIR, Settings

# The dbt installed beside this Python, so a virtualenv works without being activated.
_beside_python = Path(sys.executable).with_name("dbt")
DBT_EXECUTABLE = str(_beside_python) if _beside_python.exists() else (shutil.which("dbt") or "dbt")

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


class WumengDbtCliResource(DbtCliResource):
    """dagster-dbt's resource without two steps it takes before every dbt command, which
    Wumeng does not use and which took 3 s of every refresh:
    - running `dbt --version` to learn the version: the dbt run is the dbt-core installed
      beside this Python (DBT_EXECUTABLE), whose version is known without a process;
    - loading dbt's macros into an adapter in this process, which dagster-dbt needs only
      for column metadata and `fetch_row_counts`: Wumeng counts rows itself, after dbt ends
      (assets/dbt.py, with_row_counts), so that no adapter holds the build database open.
    Both override private methods of the pinned dagster-dbt (requirements.lock):
    tests/test_definitions.py fails if a new version stops calling them."""

    @cached_property
    def _cli_version(self) -> Version:
        from importlib.metadata import version

        return Version(version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None


def dbt_cli_resource() -> WumengDbtCliResource:
    return WumengDbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)


def dbt_vars(build_db: Path) -> list[str]:
    """The vars every dbt command gets: the build database the profile opens."""
    return ["--vars", json.dumps({"build_db": str(build_db)})]


# Flags of every dbt run a refresh makes. Results reach Dagster through dbt's event stream,
# so the JSON artifacts (a 1 MB manifest rewritten on every run) are not written; the log
# file keeps results and errors, not every statement.
DBT_RUN_FLAGS = ["--no-write-json", "--log-level-file", "info"]


# Every model but the views, and every data test, the views' own included: selected for
# itself, not through the models it tests (indirect selection).
WITHOUT_VIEWS = ["--exclude", "config.materialized:view", "--indirect-selection", "empty"]


def dbt_build_args(build_db: Path, full_refresh: bool = False,
                   with_views: bool = True) -> list[str]:
    """The refresh's `dbt build`: every model and data test on the build database, or,
    `with_views` False, every model but the views (the dbt asset says when).

    dbt's unit tests check SQL logic on fixed inputs, not the data, so they run in CI
    (tests/test_dbt_unit_tests.py), as dbt recommends, and not in every refresh.
    """
    return ["build", *dbt_vars(build_db), "--exclude-resource-type", "unit_test", *DBT_RUN_FLAGS,
            *(["--full-refresh"] if full_refresh else []), *([] if with_views else WITHOUT_VIEWS)]


def project_fingerprint(*extra: str) -> str:
    """A hash of every file of the dbt project (not its target folder) and of dbt's version:
    what a parse and the tables built incrementally depend on."""
    from importlib.metadata import version

    digest = hashlib.sha256("\0".join([version("dbt-core"), version("dbt-duckdb"), *extra]).encode())
    for path in sorted(DBT_PROJECT_DIR.rglob("*")):
        relative = path.relative_to(DBT_PROJECT_DIR)
        if path.is_file() and relative.parts[0] not in ("target", "logs", ".user.yml"):
            digest.update(str(relative).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class BuildStamp:
    """The project fingerprint the build database's incremental tables were last built with,
    and when that build started, kept beside it: written only when a build succeeds.

    Any change to the models, macros or dbt (or no stamp: a new or restored database) means
    one full rebuild, so that no table keeps rows built by older code. The start of the last
    successful build bounds the documents the next one tests (documents_tested_since)."""

    def __init__(self, build_db: Path):
        self.path = build_db.with_name("dbt_project.sha256")

    def _fields(self) -> list[str]:
        return self.path.read_text().split() if self.path.exists() else []

    def needs_full_refresh(self) -> bool:
        fields = self._fields()
        return not fields or fields[0] != project_fingerprint()

    def last_started_at(self) -> str | None:
        """When the last successful build started (ISO 8601, UTC); None if not recorded."""
        fields = self._fields()
        return fields[1] if len(fields) > 1 else None

    def record(self, started_at: datetime) -> None:
        self.path.write_text(f"{project_fingerprint()}\n{started_at.isoformat()}\n")


# Read by macros/get_where_subquery.sql: the data tests of the tables built by document test
# the documents loaded since then; unset, every row.
ENV_TESTED_SINCE = "WUMENG_TEST_DOCUMENTS_LOADED_SINCE"


@contextmanager
def documents_tested_since(started_at: str | None) -> Iterator[None]:
    """The environment a dbt command started inside gets: its by-document data tests cover
    the documents loaded since `started_at` (None: every document). An environment
    variable, not a dbt var: dbt parses the whole project again when its vars change."""
    before = os.environ.pop(ENV_TESTED_SINCE, None)
    if started_at:
        os.environ[ENV_TESTED_SINCE] = started_at
    try:
        yield
    finally:
        os.environ.pop(ENV_TESTED_SINCE, None)
        if before is not None:
            os.environ[ENV_TESTED_SINCE] = before


def prepare_dbt_manifest(build_db: Path | None = None) -> None:
    """Parse the dbt project into target/manifest.json (needed before definitions load).

    Parsed with the vars the build will pass, so that the build can parse partially:
    dbt parses everything again when its vars change.
    """
    build_db = build_db or Settings.from_env().build_db
    # `dbt parse` takes 6 s even when nothing changed (a process, then the manifest written
    # again): skipped when the project, dbt and the vars are those of the manifest there.
    manifest = dbt_project.manifest_path
    stamp = manifest.with_name("manifest.sha256")
    fingerprint = project_fingerprint(*dbt_vars(build_db))
    if manifest.exists() and stamp.exists() and stamp.read_text().strip() == fingerprint:
        return
    dbt_cli_resource().cli(
        ["parse", "--quiet", *dbt_vars(build_db)], target_path=dbt_project.target_path).wait()
    stamp.write_text(fingerprint + "\n")


def prepare_if_dev() -> None:
    """Under `dagster dev`, parse again on every code load so that edits to the dbt project
    show. dagster-dbt's own `DbtProject.prepare_if_dev` would call a `dbt` found on PATH
    (absent when the virtualenv is not activated) and without the build's vars."""
    if os.getenv("DAGSTER_IS_DEV_CLI"):
        prepare_dbt_manifest()
