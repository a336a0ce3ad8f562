"""The dbt project handle and its manifest preparation.

Kept apart from the assets module on purpose: `@dbt_assets` reads the manifest when its
module is imported, so the manifest must be prepared before that import, from here.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from pipelines.settings import DBT_PROJECT_DIR, Settings

# The dbt installed beside this Python, so a virtualenv works without being activated.
_beside_python = Path(sys.executable).with_name("dbt")
DBT_EXECUTABLE = str(_beside_python) if _beside_python.exists() else (shutil.which("dbt") or "dbt")

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def dbt_vars(build_db: Path) -> list[str]:
    """The vars every dbt command gets: the build database the profile opens."""
    return ["--vars", json.dumps({"build_db": str(build_db)})]


# Flags of every dbt run a refresh makes. Results reach Dagster through dbt's event stream,
# so the JSON artifacts (a 1 MB manifest rewritten on every run) are not written; the log
# file keeps results and errors, not every statement.
DBT_RUN_FLAGS = ["--no-write-json", "--log-level-file", "info"]


def dbt_build_args(build_db: Path) -> list[str]:
    """The refresh's `dbt build`: every model and data test on the build database.

    dbt's unit tests check SQL logic on fixed inputs, not the data, so they run in CI
    (tests/test_dbt_unit_tests.py), as dbt recommends, and not in every refresh.
    """
    return ["build", *dbt_vars(build_db), "--exclude-resource-type", "unit_test", *DBT_RUN_FLAGS]


def prepare_dbt_manifest(build_db: Path | None = None) -> None:
    """Parse the dbt project into target/manifest.json (needed before definitions load).

    Parsed with the vars the build will pass, so that the build can parse partially:
    dbt parses everything again when its vars change.
    """
    build_db = build_db or Settings.from_env().build_db
    DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE).cli(
        ["parse", "--quiet", *dbt_vars(build_db)], target_path=dbt_project.target_path).wait()


def prepare_if_dev() -> None:
    """Under `dagster dev`, parse again on every code load so that edits to the dbt project
    show. dagster-dbt's own `DbtProject.prepare_if_dev` would call a `dbt` found on PATH
    (absent when the virtualenv is not activated) and without the build's vars."""
    if os.getenv("DAGSTER_IS_DEV_CLI"):
        prepare_dbt_manifest()
