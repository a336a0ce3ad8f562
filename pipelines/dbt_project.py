"""The dbt project handle, its manifest preparation and the resource that runs dbt in process.

Kept apart from the assets module on purpose: `@dbt_assets` reads the manifest when its
module is imported, so the manifest must be prepared before that import, from here.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliInvocation, DbtCliResource, DbtProject
from dagster_dbt.asset_utils import (extract_runtime_selection_from_args,
                                     get_updated_cli_invocation_params_for_context)
from dagster_dbt.dbt_manifest import DbtManifestParam, validate_manifest
from packaging.version import Version

from pipelines.settings import DBT_PROJECT_DIR, Settings

# The dbt installed beside this Python, so a virtualenv works without being activated
# (for the commands a person or a test runs by hand; the pipeline runs dbt in process).
_beside_python = Path(sys.executable).with_name("dbt")
DBT_EXECUTABLE = str(_beside_python) if _beside_python.exists() else (shutil.which("dbt") or "dbt")

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


class WumengDbtCliResource(DbtCliResource):
    """dagster-dbt's resource, with each dbt command run in this process (dbt's programmatic
    invocation) instead of a `dbt` process, which cost a Python start and dbt imported once
    more, when this process has imported it through dagster-dbt (1.2 s of the seeds' build:
    benchmarks/bench_dbt.py).

    `cli` is dagster-dbt's own, down to the DbtCliInvocation it returns, except that:
    - the invocation's process is a command finished in this process (run_dbt_here), so
      that dagster-dbt turns its output into Dagster events and errors as ever;
    - the settings dagster-dbt passes a process in its environment are dbt flags here;
    - dbt's version is the dbt-core installed beside this Python, known without the
      `dbt --version` process, and no adapter is loaded beside dbt's own, which dagster-dbt
      needs only for column metadata and `fetch_row_counts` (Wumeng counts rows itself,
      once dbt has let go of the database: assets/dbt.py, with_row_counts).
    The selection helpers are those of the pinned dagster-dbt (requirements.lock);
    tests/test_pipeline.py runs a subset selected in Dagster through this resource."""

    @cached_property
    def _cli_version(self) -> Version:
        from importlib.metadata import version

        return Version(version("dbt-core"))

    def cli(self, args: Sequence[str], *, raise_on_error: bool = True,
            manifest: DbtManifestParam | None = None,
            dagster_dbt_translator: DagsterDbtTranslator | None = None,
            context: dg.OpExecutionContext | dg.AssetExecutionContext | None = None,
            target_path: Path | None = None) -> DbtCliInvocation:
        args, selects, excludes = extract_runtime_selection_from_args(args)
        params = get_updated_cli_invocation_params_for_context(
            context=context, manifest=validate_manifest(manifest) if manifest else {},
            dagster_dbt_translator=dagster_dbt_translator or DagsterDbtTranslator(),
            runtime_selects=selects, runtime_excludes=excludes)
        project_dir = Path(params.dbt_project.project_dir if params.dbt_project
                           else self.project_dir)
        target_path = project_dir / (target_path or self._get_unique_target_path(context=context))
        command = [*self.global_config_flags, *args, *params.selection_args,
                   "--project-dir", str(project_dir), "--target-path", str(target_path),
                   "--log-path", str(target_path), "--log-format", "json",
                   "--no-send-anonymous-usage-stats"]
        for flag, value in (("--profiles-dir", self.profiles_dir), ("--profile", self.profile),
                            ("--target", self.target),
                            ("--indirect-selection", params.indirect_selection)):
            if value and flag not in command:  # the caller's own flag wins, as over the env
                command += [flag, value]
        _reuse_parse_state(project_dir, target_path)
        return DbtCliInvocation(
            process=run_dbt_here(command, cwd=project_dir), manifest=params.manifest,
            dagster_dbt_translator=params.dagster_dbt_translator, project_dir=project_dir,
            target_path=target_path, raise_on_error=raise_on_error,
            cli_version=self._cli_version, project=params.dbt_project, context=context)


@dataclass
class FinishedDbtCommand:
    """A dbt command run to its end in this process, seen through the part of
    `subprocess.Popen` that dagster-dbt's DbtCliInvocation reads: `args`, `stdout` (dbt's
    JSON log lines, as a `dbt` process prints them), `wait()` and `returncode`."""

    args: list[str]
    returncode: int
    stdout: io.BytesIO

    def wait(self, timeout: float | None = None) -> int:
        return self.returncode

    def send_signal(self, signal: int) -> None:
        """Nothing to interrupt: the command has ended."""


def run_dbt_here(command: list[str], cwd: Path) -> FinishedDbtCommand:
    """Run `dbt <command>` in this process (dbt's programmatic invocation)."""
    from dbt.cli.main import dbtRunner

    args = ["dbt", *command]
    dg.get_dagster_logger().info(f"Running dbt command: `{' '.join(args)}`.")
    output = io.StringIO()
    try:
        with contextlib.chdir(cwd), contextlib.redirect_stdout(output):
            result = dbtRunner().invoke(command)
    finally:
        _close_dbt_database()
    if result.exception is not None and not isinstance(result.exception, Exception):
        raise result.exception  # Ctrl-C, or Dagster terminating the run: stop here
    if result.exception is not None and '"level": "error"' not in output.getvalue():
        output.write(f"dbt could not run: {result.exception}\n")  # e.g. a bad flag
    # dbt's exit codes: 1 when a model or test failed, 2 when dbt itself could not run
    returncode = 0 if result.success else 1 if result.exception is None else 2
    return FinishedDbtCommand(args, returncode, io.BytesIO(output.getvalue().encode()))


def _close_dbt_database() -> None:
    """dbt-duckdb keeps the database open for the life of the process (its `keep_open`
    default) and closes it at exit: closed now, so that the steps after dbt can open it."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    try:
        environment = DuckDBConnectionManager.env()
    except Exception:  # dbt opened no database (a parse, or a command that failed first)
        return
    environment.close()
    DuckDBConnectionManager.close_all_connections()


def _reuse_parse_state(project_dir: Path, target_path: Path) -> None:
    """Give a new target folder the parse state of the project's own (dbt_project/target), so
    that dbt parses only what changed since: what dagster-dbt does before a dbt process."""
    state = project_dir / "target" / "partial_parse.msgpack"
    copy = target_path / "partial_parse.msgpack"
    if state.exists() and not copy.exists():
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(state, copy)


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
