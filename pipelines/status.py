"""`wumeng status`: what the orchestrator knows, from the command line.

For each asset of the code location, from the Dagster instance (DAGSTER_HOME, the
repository's .dagster by default: the runs of `wumeng refresh`, `make ui`, the schedule
and the sensor): the last materialization, its freshness against the asset's policy, and
the latest result of each of its checks.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

import dagster as dg
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus


# Groups in the order the data flows through them.
FLOW_ORDER = ["documents", "sheets", "staging", "intermediate", "marts", "publish"]


@dataclass
class AssetStatus:
    key: str
    group: str
    last_materialized: float | None  # unix time
    last_run_id: str | None
    freshness: str  # PASS, WARN, FAIL, UNKNOWN (never materialized) or - (no policy)
    rows: int | None = None  # the last materialization's dagster/row_count (tables only)
    checks_passed: list[str] = field(default_factory=list)
    checks_failed: list[str] = field(default_factory=list)
    checks_not_run: list[str] = field(default_factory=list)

    @property
    def is_stale(self) -> bool:
        return self.freshness in ("FAIL", "UNKNOWN")

    @property
    def is_healthy(self) -> bool:
        return not self.is_stale and not self.checks_failed


# Evaluated here from the policy and the last materialization: Dagster stores a freshness
# state only when its daemon runs, and `wumeng refresh` runs without one.
def _freshness(policy, last: float | None, now: float) -> str:
    if policy is None:
        return "-"
    if last is None:
        return "UNKNOWN"
    age = now - last
    if age > policy.fail_window.to_timedelta().total_seconds():
        return "FAIL"
    if policy.warn_window and age > policy.warn_window.to_timedelta().total_seconds():
        return "WARN"
    return "PASS"


def collect_status(defs: dg.Definitions, instance: dg.DagsterInstance,
                   now: float | None = None) -> list[AssetStatus]:
    now = time.time() if now is None else now
    graph = defs.resolve_asset_graph()
    check_keys = list(graph.asset_check_keys)
    latest_checks = instance.event_log_storage.get_latest_asset_check_execution_by_key(check_keys)
    checks_of: dict[dg.AssetKey, list[dg.AssetCheckKey]] = {}
    for check_key in sorted(check_keys, key=lambda c: c.name):
        checks_of.setdefault(check_key.asset_key, []).append(check_key)

    def flow_position(key: dg.AssetKey) -> tuple[int, str]:
        group = graph.get(key).group_name
        return (FLOW_ORDER.index(group) if group in FLOW_ORDER else len(FLOW_ORDER),
                key.to_user_string())

    statuses = []
    for key in sorted(graph.get_all_asset_keys(), key=flow_position):
        node = graph.get(key)
        event = instance.get_latest_materialization_event(key)
        last = event.timestamp if event else None
        status = AssetStatus(key.to_user_string(), node.group_name or "", last,
                             event.run_id if event else None,
                             _freshness(node.freshness_policy, last, now))
        if event and (rows := event.asset_materialization.metadata.get("dagster/row_count")) is not None:
            status.rows = rows.value
        for check_key in checks_of.get(key, []):
            record = latest_checks.get(check_key)
            if record is None or record.status == AssetCheckExecutionRecordStatus.PLANNED:
                status.checks_not_run.append(check_key.name)
            elif record.status == AssetCheckExecutionRecordStatus.SUCCEEDED:
                status.checks_passed.append(check_key.name)
            else:
                status.checks_failed.append(check_key.name)
        statuses.append(status)
    return statuses


def _age(seconds: float) -> str:
    minutes = int(seconds // 60)
    return f"{minutes // 1440}d{minutes // 60 % 24:02d}h" if minutes >= 1440 else \
        f"{minutes // 60}h{minutes % 60:02d}m"


def format_status(statuses: list[AssetStatus], now: float | None = None) -> str:
    now = time.time() if now is None else now
    rows = [("asset", "group", "last materialized (UTC)", "age", "rows", "freshness", "checks")]
    for s in statuses:
        when = (datetime.fromtimestamp(s.last_materialized, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
                if s.last_materialized else "never")
        age = _age(now - s.last_materialized) if s.last_materialized else "-"
        total = len(s.checks_passed) + len(s.checks_failed) + len(s.checks_not_run)
        checks = (f"{len(s.checks_passed)}/{total} passed" + (
            f", {len(s.checks_failed)} FAILED" if s.checks_failed else "")) if total else "-"
        rows.append((s.key, s.group, when, age, "-" if s.rows is None else str(s.rows),
                     s.freshness, checks))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
             for row in rows]
    failing = [(s.key, name) for s in statuses for name in s.checks_failed]
    stale = [s.key for s in statuses if s.is_stale]
    lines.append("")
    lines.append(f"{len(statuses)} assets; {len(stale)} not fresh; "
                 f"{sum(len(s.checks_passed) for s in statuses)} checks passed, "
                 f"{len(failing)} failed")
    lines += [f"  failing check: {key}: {name}" for key, name in failing]
    return "\n".join(lines)
