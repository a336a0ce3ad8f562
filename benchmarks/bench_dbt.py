"""How long the dbt build of the seeds takes, against two floors.

    python benchmarks/bench_dbt.py [--repeat 7]

Builds the warehouse once (wumeng refresh into a temporary folder), then times, `repeat`
times each and alternating so that a busy moment of the machine weighs on all alike, the
refresh's own `dbt build` (every model and data test; pipelines.dbt_project.dbt_build_args):

- on the seeds, in a `dbt` process as a person runs it: the figure;
- on the same raw tables emptied: the project's fixed cost, dbt's work per model and test
  with no data (floor "empty inputs");
- of an empty project with the same flags: dbt's own start-up (floor "empty project");
- on the seeds inside a Python process that has imported dagster-dbt, its first dbt
  command, as a refresh runs it (pipelines.dbt_project.run_dbt_here), the imports not
  counted: what the refresh saves by not starting a `dbt` process.

Prints one JSON document with the medians and the ratio of the figure to each floor.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from pipelines.dbt_project import DBT_RUN_FLAGS, dbt_build_args

ROOT = Path(__file__).resolve().parent.parent
DBT = str(Path(sys.executable).with_name("dbt"))


# The first dbt command of a process that has what a refresh has imported when dbt starts;
# later commands in one process reuse dbt's caches, which a refresh never does.
IN_PROCESS = """
import sys, time
from pipelines.dbt_project import run_dbt_here
started = time.perf_counter()
finished = run_dbt_here(sys.argv[2:], sys.argv[1])
print(time.perf_counter() - started if finished.returncode == 0 else "failed")
"""


def timed(args: list[str], cwd: Path) -> float:
    if args[0] != DBT:
        run = subprocess.run([sys.executable, "-c", IN_PROCESS, str(cwd), *args], cwd=ROOT,
                             check=True, capture_output=True, text=True)
        seconds = run.stdout.split()[-1]  # the last line; dbt's own output comes before it
        if seconds == "failed":
            raise SystemExit(f"dbt {' '.join(args)} failed in process:\n{run.stdout}")
        return float(seconds)
    started = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"})
    return time.perf_counter() - started


def empty_raw_tables(database: Path) -> None:
    with duckdb.connect(str(database)) as con:
        tables = con.execute("select table_name from information_schema.tables "
                             "where table_schema = 'raw' and table_type = 'BASE TABLE'").fetchall()
        for (table,) in tables:
            con.execute(f'delete from raw."{table}"')


def write_empty_project(folder: Path) -> None:
    (folder / "models").mkdir(parents=True)
    (folder / "dbt_project.yml").write_text(
        "name: empty\nversion: '1.0'\nprofile: empty\n", encoding="utf-8")
    (folder / "profiles.yml").write_text(
        f"empty:\n  target: t\n  outputs:\n    t:\n      type: duckdb\n"
        f"      path: {folder / 'empty.duckdb'}\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        subprocess.run([sys.executable, "-m", "pipelines.cli", "refresh", "--warehouse",
                        str(tmp / "warehouse")], cwd=ROOT, check=True, capture_output=True)
        seeds_db = tmp / "warehouse" / "build" / "wumeng.duckdb"
        empty_inputs_db = tmp / "empty_inputs.duckdb"
        shutil.copyfile(seeds_db, empty_inputs_db)
        empty_raw_tables(empty_inputs_db)
        write_empty_project(tmp / "empty_project")
        runs = {
            "seeds": ([DBT, *dbt_build_args(seeds_db), "--profiles-dir", ".",
                       "--target-path", str(tmp / "target_seeds")], ROOT / "dbt_project"),
            "empty_inputs": ([DBT, *dbt_build_args(empty_inputs_db), "--profiles-dir", ".",
                              "--target-path", str(tmp / "target_empty")], ROOT / "dbt_project"),
            "empty_project": ([DBT, "build", *DBT_RUN_FLAGS, "--profiles-dir", "."],
                              tmp / "empty_project"),
            "seeds_in_process": ([*dbt_build_args(seeds_db), "--profiles-dir", ".",
                                  "--target-path", str(tmp / "target_in_process")],
                                 ROOT / "dbt_project"),
        }
        for command, cwd in runs.values():  # the first run of each parses the project in full
            timed(command, cwd)
        seconds: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.repeat):
            for name, (command, cwd) in runs.items():
                seconds[name].append(timed(command, cwd))
    median = {name: statistics.median(values) for name, values in seconds.items()}
    print(json.dumps({
        "dbt_build_seeds_s": round(median["seeds"], 2),
        "dbt_build_empty_inputs_s": round(median["empty_inputs"], 2),
        "dbt_build_empty_project_s": round(median["empty_project"], 2),
        "ratio_to_empty_inputs": round(median["seeds"] / median["empty_inputs"], 2),
        "ratio_to_empty_project": round(median["seeds"] / median["empty_project"], 2),
        "dbt_build_seeds_in_process_s": round(median["seeds_in_process"], 2),
        "saved_by_running_in_process_s": round(median["seeds"] - median["seeds_in_process"], 2),
        "repeat": args.repeat,
    }, indent=2))


if __name__ == "__main__":
    main()
