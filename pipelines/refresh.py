"""One full refresh, in process, through the same Dagster definitions the schedule uses."""

from __future__ import annotations

import contextlib
import gc
import time
from dataclasses import dataclass, field

import dagster as dg

from pipelines.settings import DEFAULT_WAREHOUSE_DIR, Settings
from pipelines.warehouse import connect_published, current_release


@dataclass
class RefreshSummary:
    success: bool
    run_id: str
    seconds: float
    settings: Settings
    failures: list[str] = field(default_factory=list)
    checks_passed: int = 0
    checks_failed: list[str] = field(default_factory=list)
    checks_warned: list[str] = field(default_factory=list)  # failed, with severity warn
    ledger: dict[str, int] = field(default_factory=dict)
    sheet_rejects: int = 0
    mart_rows: dict[str, int] = field(default_factory=dict)
    release: str | None = None
    new_release: bool = False  # False when the inputs had not changed since the release
    log_path: str | None = None
    page_count: int = 0  # indicator pages this run generated
    pages_seconds: float | None = None
    pages_index: str | None = None  # file:// address of the published pages' index


def run_refresh(settings: Settings, instance: dg.DagsterInstance,
                one_per_process: bool = False) -> RefreshSummary:
    """Materialize every asset once. The caller exports `settings` to the environment first
    (see settings.export_paths) so that dbt sees the same paths.

    `one_per_process`: the process runs this refresh and ends (`wumeng refresh`), so what it
    has loaded lives until the end and the garbage collector can stop walking it."""
    from pipelines.dbt_project import prepare_dbt_manifest

    started = time.monotonic()
    log_path = settings.warehouse_dir / "logs" / "refresh.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # dbt's and Dagster's step-by-step output goes to the log; the terminal gets the summary.
    with open(log_path, "w", encoding="utf-8", buffering=1) as log, \
            contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        try:
            prepare_dbt_manifest(settings.build_db)
        except Exception as err:  # a dbt project that does not parse: nothing can run
            return RefreshSummary(success=False, run_id="-" * 8, settings=settings,
                                  seconds=time.monotonic() - started, log_path=str(log_path),
                                  failures=[f"dbt parse: {_readable(str(err))}"])
        from pipelines.definitions import defs  # needs the manifest prepared above

        if one_per_process:
            # Dagster, dbt and the definitions: some 200,000 objects that every full
            # collection would otherwise walk again.
            gc.freeze()
        result = defs.resolve_job_def("refresh").execute_in_process(
            instance=instance, raise_on_error=False)
    summary = RefreshSummary(success=result.success, run_id=result.run_id,
                             seconds=time.monotonic() - started, settings=settings,
                             log_path=str(log_path))
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data.error:
            summary.failures.append(
                f"{event.step_key}: {_readable(event.step_failure_data.error.message)}")
        elif event.is_step_skipped and result.success:
            # Dagster skips a step whose upstream asset was not materialized, and calls the
            # run a success: a refresh that published nothing has not succeeded.
            summary.success = False
            summary.failures.append(f"{event.step_key}: skipped (an asset it depends on was "
                                    "not materialized in this run)")
    for evaluation in result.get_asset_check_evaluations():
        name = f"{evaluation.asset_key.to_user_string()}: {evaluation.check_name}"
        if evaluation.passed:
            summary.checks_passed += 1
        elif evaluation.severity == dg.AssetCheckSeverity.WARN:
            summary.checks_warned.append(name)
        else:
            summary.checks_failed.append(name)
    for materialization in result.asset_materializations_for_node("published_warehouse"):
        summary.new_release = bool(materialization.metadata["new_release"].value)
    for materialization in result.asset_materializations_for_node("indicator_pages"):
        summary.page_count = materialization.metadata["pages"].value
        summary.pages_seconds = materialization.metadata["generation_seconds"].value
    if settings.published_db.exists():
        _describe_published(summary)
    return summary


def _readable(message: str) -> str:
    """The part of an error a person needs: for dbt, the errors it reported, not the command."""
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    marker = "Errors parsed from dbt logs:"
    if marker in lines:
        return " | ".join(lines[lines.index(marker) + 1:][:4])
    return lines[0] if lines else "unknown error"


def _describe_published(summary: RefreshSummary) -> None:
    published = summary.settings.published_db
    summary.release = current_release(published).name
    index = summary.settings.pages_dir / "index.html"
    if index.exists():  # built by this run, or by an earlier one if this run stopped before
        summary.pages_index = index.as_uri()
    with connect_published(published) as con:
        summary.ledger = dict(con.execute(
            "select status, count(*) from document_ledger group by status order by status").fetchall())
        summary.sheet_rejects = con.execute("select count(*) from sheet_rejects").fetchone()[0]
        tables = [name for (name,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'main' "
            "order by table_name").fetchall()]
        summary.mart_rows = {t: con.execute(f'select count(*) from "{t}"').fetchone()[0]
                             for t in tables}


EXAMPLE_QUERY = ("select year, value, reported_growth_pct, recomputed_growth_pct, quote "
                 "from mart_annual_growth where topic = 'poverty_income' order by year")


def format_summary(summary: RefreshSummary) -> str:
    s = summary.settings
    lines = [f"Wumeng refresh {'succeeded' if summary.success else 'FAILED'} in "
             f"{summary.seconds:.1f} s (Dagster run {summary.run_id[:8]})"]
    for failure in summary.failures:
        lines.append(f"  failed step  {failure}")
    if summary.ledger:
        ledger = ", ".join(f"{n} {status}" for status, n in summary.ledger.items())
        lines.append(f"  documents    {ledger}   (details: select * from document_ledger)")
        lines.append(f"  sheets       {summary.sheet_rejects} rows rejected   "
                     f"(details: select * from sheet_rejects)")
        marts = ", ".join(f"{t} {n}" for t, n in summary.mart_rows.items())
        lines.append(f"  marts (rows) {marts}")
    lines.append(f"  data tests   {summary.checks_passed} passed, {len(summary.checks_failed)} "
                 f"failed, {len(summary.checks_warned)} warnings")
    for failed in summary.checks_failed:
        lines.append(f"    failed: {failed}")
    for warned in summary.checks_warned:
        lines.append(f"    warning: {warned} (published; see the check's rows in `make ui`)")
    lines.append(f"  full log     {summary.log_path}")
    if summary.release:
        state = "published" if summary.success else "still published (unchanged)"
        kept = "   (inputs unchanged: no new release)" if summary.success and not summary.new_release else ""
        lines.append(f"  {state}    {s.published_db} -> releases/{summary.release}/{kept}")
        if summary.page_count:
            lines.append(f"  pages        {summary.page_count} generated in "
                         f"{summary.pages_seconds:.2f} s   ({s.pages_dir})")
        lines += ["", "Query it (read-only):",
                  f'  .venv/bin/wumeng sql "{EXAMPLE_QUERY}"',
                  f"  python: duckdb.connect('{s.published_db}', read_only=True)"]
    if summary.pages_index:
        warehouse = ("" if s.warehouse_dir == DEFAULT_WAREHOUSE_DIR
                     else f" --warehouse {s.warehouse_dir}")
        lines += ["", "Open the indicator pages (offline, printable):",
                  f"  {summary.pages_index}",
                  f"  or serve them: .venv/bin/wumeng serve-pages{warehouse}   "
                  f"(then http://127.0.0.1:8000/)"]
    return "\n".join(lines)
