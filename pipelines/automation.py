"""When Wumeng refreshes by itself: the daily schedule, the input-folder sensor, freshness.

- `daily_refresh` runs the `refresh` job (everything) at 06:00 Asia/Shanghai, or at
  WUMENG_REFRESH_CRON in WUMENG_REFRESH_TIMEZONE.
- `input_files_sensor` looks at the documents and sheets folders every 30 seconds. A file
  added, changed or removed starts one run: `refresh` when a document changed (the sheets
  are checked against the documents' text, so everything downstream of them rebuilds),
  `refresh_after_sheets` when only sheets changed (the documents are not read again). Its
  cursor, kept by the Dagster instance and so across daemon restarts, holds a fingerprint
  of each folder: the same state of the folders never starts two runs.
- Sources and marts carry a freshness policy: older than 26 hours fails (a missed daily
  refresh), older than 25 hours warns.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import timedelta
from pathlib import Path

import dagster as dg

from pipelines.documents import files_under
from pipelines.settings import Settings

ENV_REFRESH_CRON = "WUMENG_REFRESH_CRON"
ENV_REFRESH_TIMEZONE = "WUMENG_REFRESH_TIMEZONE"
DEFAULT_REFRESH_CRON = "0 6 * * *"
DEFAULT_REFRESH_TIMEZONE = "Asia/Shanghai"
SENSOR_INTERVAL_SECONDS = 30

# A daily refresh that did not happen: the data is more than a day and two hours old.
DAILY_FRESHNESS = dg.FreshnessPolicy.time_window(
    fail_window=timedelta(hours=26), warn_window=timedelta(hours=25))


def folder_fingerprint(folder: Path) -> str:
    """A digest of the path, size and modification time of every file under `folder`
    (symlinks not followed): it changes when a file is added, changed or removed."""
    digest = hashlib.sha256()
    if not folder.is_dir():
        return "missing"
    for path in files_under(folder):
        stat = path.lstat()
        digest.update(f"{path.relative_to(folder).as_posix()}\0{stat.st_size}\0"
                      f"{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def build_daily_schedule(job: dg.UnresolvedAssetJobDefinition) -> dg.ScheduleDefinition:
    cron = os.environ.get(ENV_REFRESH_CRON) or DEFAULT_REFRESH_CRON
    timezone = os.environ.get(ENV_REFRESH_TIMEZONE) or DEFAULT_REFRESH_TIMEZONE
    return dg.ScheduleDefinition(
        name="daily_refresh", job=job, cron_schedule=cron, execution_timezone=timezone,
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description=f"Refresh everything at {cron} ({timezone}); set {ENV_REFRESH_CRON} and "
                    f"{ENV_REFRESH_TIMEZONE} to change it.")


def build_input_files_sensor(refresh: dg.UnresolvedAssetJobDefinition,
                             refresh_after_sheets: dg.UnresolvedAssetJobDefinition,
                             ) -> dg.SensorDefinition:
    @dg.sensor(
        name="input_files_sensor",
        jobs=[refresh, refresh_after_sheets],
        minimum_interval_seconds=SENSOR_INTERVAL_SECONDS,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Starts one refresh when a file is added to, changed in or removed from "
                    "the documents or sheets folder.",
    )
    def input_files_sensor(context: dg.SensorEvaluationContext):
        settings = Settings.from_env()
        now = {"documents": folder_fingerprint(settings.documents_dir),
               "sheets": folder_fingerprint(settings.sheets_dir)}
        before = json.loads(context.cursor) if context.cursor else {}
        changed = [folder for folder in ("documents", "sheets")
                   if before.get(folder) != now[folder]]
        if not changed:
            return dg.SkipReason("no file added, changed or removed")
        # The first evaluation has no cursor: it refreshes once, so the warehouse matches
        # the folders whatever happened while nothing was watching.
        job = refresh_after_sheets if changed == ["sheets"] else refresh
        sequence = before.get("sequence", 0) + 1
        context.update_cursor(json.dumps({**now, "sequence": sequence}))
        return dg.RunRequest(
            # The same evaluation retried after a crash asks for the same run key, which
            # Dagster starts once; a later return to an earlier state is a new sequence.
            run_key=f"{sequence}:{now['documents']}:{now['sheets']}",
            job_name=job.name,
            tags={"wumeng/changed": ",".join(changed)},
        )

    return input_files_sensor
