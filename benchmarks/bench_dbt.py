"""How long the dbt build of the seeds takes, against its floor: an empty dbt build.

    python benchmarks/bench_dbt.py [--repeat 3]

Builds the warehouse once (wumeng refresh into a temporary folder), then times, `repeat`
times each and keeping the median: `dbt build` of the whole project on that build
database, and `dbt build` of an empty project (dbt's own start-up: the floor). Prints one
JSON document with both and their ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DBT = str(Path(sys.executable).with_name("dbt"))


def timed(args: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"})
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        subprocess.run([sys.executable, "-m", "pipelines.cli", "refresh", "--warehouse",
                        str(tmp / "warehouse")], cwd=ROOT, check=True, capture_output=True)
        build_vars = json.dumps({"build_db": str(tmp / "warehouse" / "build" / "wumeng.duckdb")})
        full = [timed([DBT, "build", "--profiles-dir", ".", "--vars", build_vars,
                       "--target-path", str(tmp / "target")], ROOT / "dbt_project")
                for _ in range(args.repeat)]
        empty_project = tmp / "empty"
        (empty_project / "models").mkdir(parents=True)
        (empty_project / "dbt_project.yml").write_text(
            "name: empty\nversion: '1.0'\nprofile: empty\n", encoding="utf-8")
        (empty_project / "profiles.yml").write_text(
            f"empty:\n  target: t\n  outputs:\n    t:\n      type: duckdb\n"
            f"      path: {tmp / 'empty.duckdb'}\n", encoding="utf-8")
        empty = [timed([DBT, "build", "--profiles-dir", "."], empty_project)
                 for _ in range(args.repeat)]
    full_s, empty_s = statistics.median(full), statistics.median(empty)
    print(json.dumps({"dbt_build_seeds_s": round(full_s, 2), "dbt_build_empty_s": round(empty_s, 2),
                      "ratio_to_floor": round(full_s / empty_s, 2), "repeat": args.repeat}, indent=2))


if __name__ == "__main__":
    main()
