"""The dbt project handle and its manifest preparation.

Kept apart from the assets module on purpose: `@dbt_assets` reads the manifest when its
module is imported, so the manifest must be prepared before that import, from here.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from pipelines.settings import DBT_PROJECT_DIR

# The dbt installed beside this Python, so a virtualenv works without being activated.
_beside_python = Path(sys.executable).with_name("dbt")
DBT_EXECUTABLE = str(_beside_python) if _beside_python.exists() else (shutil.which("dbt") or "dbt")

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def prepare_dbt_manifest() -> None:
    """Parse the dbt project into target/manifest.json (needed before definitions load)."""
    DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE).cli(
        ["parse", "--quiet"], target_path=dbt_project.target_path).wait()
