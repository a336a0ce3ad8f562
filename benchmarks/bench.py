"""`make bench`: Wumeng at scale, measured in one run, printed as one JSON document.

    python -m benchmarks.bench [--articles 10000,100000] [--workdir DIR] [--query-repeat 7]

For each corpus size it generates a corpus (benchmarks/corpus.py, seed 0), then runs the
real `wumeng refresh` on it in a subprocess, as a person would:

- full refresh: wall time, peak memory (the resident memory of the refresh and all its
  processes, dbt and the workers included, summed and sampled every 0.2 s) and the time of
  each step from the run log;
- on the largest corpus, again with no change (the ledger's hashes skip every document),
  then after adding one article (a seed page): incremental refresh times;
- publish time (the publish step of the full refresh);
- the analyst queries (dbt_project/analyses and the README's) on the published marts:
  median latency over --query-repeat runs, each on an open read-only connection.

Extraction throughput is measured apart, on the corpus's own text: one core (the text
library called directly) and every core (pipelines.parallel, as the refresh runs it); and
recall and precision on the planted figures of a sample of files (every 20th).

Floors, on the same machine and corpus, bound each figure from below: reading the files
(Python, warm cache), DuckDB loading the same files in bulk (read_blob), an empty dbt build
(the refresh's own dbt build on empty raw tables), copying the build database (what publish
must at least do), and a trivial query. Each figure is reported with its ratio to its floor.

Targets on a 2-core machine (issue 9): full refresh of 100k articles < 6 min and < 4 GB;
refresh after one new article < 15 s; median analyst query < 200 ms; recall >= 0.97.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb

from benchmarks.bench_dbt import empty_raw_tables
from pipelines.dbt_project import DBT_EXECUTABLE, dbt_build_args
from pipelines.settings import DBT_PROJECT_DIR, REPO_ROOT
from pipelines.warehouse import copy_durably

SEEDS = REPO_ROOT / "seeds"
WUMENG = str(Path(sys.executable).with_name("wumeng"))
ANALYSES = sorted((DBT_PROJECT_DIR / "analyses").glob("*.sql"))
# What the README shows an analyst first; with the analyses, the query mix measured.
README_QUERIES = {
    "income_trend": "select year, value, reported_growth_pct, recomputed_growth_pct, quote "
                    "from mart_annual_growth where topic = 'poverty_income' order by year",
    "mentions_by_words": "select period_label, value, unit, region_name_zh, sentence_text "
                         "from fct_mention where unit = '元' and sentence_text like '%人均纯收入%' "
                         "and not is_change order by period_label",
    "latest_by_place": "select indicator_name_zh, region_name_zh, period_label, value, quote "
                       "from mart_latest_value where region_name_zh = '镇雄县' order by indicator_code",
}
TRIVIAL_QUERY = "select count(*) from dim_region"


# -- measuring ---------------------------------------------------------------------------

class PeakMemory:
    """The peak of the summed resident memory of a process and its descendants (Linux /proc)."""

    def __init__(self, pid: int, every: float = 0.2):
        self.pid, self.every, self.peak_bytes = pid, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        while not self._stop.is_set():
            total = 0
            for pid in _tree(self.pid):
                try:
                    total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
                except (OSError, IndexError, ValueError):
                    pass  # the process ended between the listing and the read
            self.peak_bytes = max(self.peak_bytes, total)
            self._stop.wait(self.every)


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int(Path(entry, "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def refresh(corpus: Path, warehouse: Path) -> dict:
    """One `wumeng refresh` of the corpus: wall time, peak memory, step times, its summary."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [WUMENG, "refresh", "--documents", str(corpus / "documents"), "--sheets",
         str(corpus / "sheets"), "--warehouse", str(warehouse)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with PeakMemory(process.pid) as memory:
        output, _ = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"wumeng refresh failed on {corpus}:\n{output}")
    return {"wall_s": round(seconds, 2), "peak_memory_mb": round(memory.peak_bytes / 2**20),
            "steps_s": step_seconds(warehouse / "logs" / "refresh.log")}


_STEP = re.compile(r' - (\w+) - STEP_SUCCESS - Finished execution of step "\w+" in ([\d.]+)(ms|s|m)')


def step_seconds(log: Path) -> dict[str, float]:
    """Each step's duration, from Dagster's STEP_SUCCESS lines in the run log."""
    scale = {"ms": 0.001, "s": 1.0, "m": 60.0}
    return {step: round(float(value) * scale[unit], 2)
            for step, value, unit in _STEP.findall(log.read_text(encoding="utf-8"))}


# Refreshes after one new article, one at a time: a single one varies by a second or so
# with what the machine is doing; the figure is their median.
ONE_ARTICLE_RUNS = 3


def after_new_articles(corpus: Path, warehouse: Path, runs: int) -> dict:
    """`runs` refreshes, each after adding one new article (a page of the seeds made new by
    an editor's note of its own): the median run, and every run's wall time."""
    page = (SEEDS / "documents" / "002_c24e9d97611dbda4.txt").read_text(encoding="utf-8")
    added, measured = [], []
    try:
        for run in range(1, runs + 1):
            article = corpus / "documents" / f"zz_new_article_{run}.txt"
            article.write_text(page + f"\n（本版编辑 王明　第{run}稿）\n", encoding="utf-8")
            added.append(article)
            measured.append(refresh(corpus, warehouse))
            require_loaded(warehouse / "wumeng.duckdb", article.name)
    finally:
        for article in added:
            article.unlink()
    median = sorted(measured, key=lambda r: r["wall_s"])[len(measured) // 2]
    return median | {"runs_wall_s": [r["wall_s"] for r in measured]}


def require_loaded(published: Path, path: str) -> None:
    """The article added was loaded as a new document: a leftover copy of the same text in
    the corpus would make it a duplicate, and the figure would time no work."""
    with duckdb.connect(str(published), read_only=True) as con:
        status = con.execute("select status, reason from document_ledger where file_path = ?",
                             [path]).fetchone()
    if status is None or status[0] != "loaded":
        raise SystemExit(f"{path} was not loaded as a new document: {status}")


def median_seconds(work, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def ratio(figure: float, floor: float) -> float | None:
    return round(figure / floor, 2) if floor else None


# -- the parts -----------------------------------------------------------------------------

def generate(articles: int, out: Path) -> dict:
    if not (out / "gold.jsonl").exists():
        subprocess.run([sys.executable, "-m", "benchmarks.corpus", "--articles", str(articles),
                        "--out", str(out)], check=True, cwd=REPO_ROOT, capture_output=True)
    files = sorted((out / "documents").iterdir())
    return {"articles": articles, "files": len(files),
            "mb": round(sum(f.stat().st_size for f in files) / 1e6, 1)}


def extraction_throughput(corpus: Path, seconds: float = 10.0) -> dict:
    """Documents decoded, parsed and extracted per second on one core (the text library
    called directly) and on every core (the refresh's worker pool)."""
    from pipelines import extraction, parallel
    from pipelines.text.decoding import decode_document

    ctx = extraction.load_context(corpus / "sheets")
    paths = sorted((corpus / "documents").iterdir())
    texts = [(p.name, decode_document(p.read_bytes()).text) for p in paths]

    done = found = size = 0
    started = time.perf_counter()
    for name, text in texts:
        found += len(extraction.extract_mentions(name, text, ctx.gazetteer, ctx.dates.get(name)))
        size += len(text.encode("utf-8"))
        done += 1
        if time.perf_counter() - started > seconds:
            break
    one = time.perf_counter() - started

    # about `seconds` of work on two cores, and enough that starting the workers is amortised
    sample = texts[:max(done * 2, 2000)]
    cores = parallel.worker_count()
    started = time.perf_counter()
    found_all = sum(len(mentions) for _, mentions in parallel.map_documents(
        extraction.extract_one, [(name, name, text, ctx.dates.get(name)) for name, text in sample],
        initializer=extraction.init_worker, initargs=(ctx.gazetteer,)))
    every = time.perf_counter() - started
    size_all = sum(len(text.encode("utf-8")) for _, text in sample)
    return {
        "one_core": {"documents": done, "mb_per_s": round(size / one / 1e6, 3),
                     "mentions_per_s": round(found / one)},
        "all_cores": {"cores": cores, "documents": len(sample),
                      "mb_per_s": round(size_all / every / 1e6, 3),
                      "mentions_per_s": round(found_all / every),
                      "mb_per_s_per_core": round(size_all / every / 1e6 / cores, 3)},
    }


def extraction_quality(corpus: Path, every: int = 20) -> dict:
    """Recall and precision on the planted figures of every `every`-th file."""
    from pipelines.extraction import extract_folder
    from pipelines.scoring import score

    files = [p.name for p in sorted((corpus / "documents").iterdir())][::every]
    wanted = set(files)
    with open(corpus / "gold.jsonl", encoding="utf-8") as lines:
        gold = [record for record in map(json.loads, lines) if record["doc"] in wanted]
    result = score(gold, extract_folder(corpus / "documents", corpus / "sheets", files))
    return {"files_scored": len(files), "figures_planted": result.gold,
            "recall": round(result.found / result.gold, 4) if result.gold else None,
            "precision": round(result.found / result.predicted, 4) if result.predicted else None}


def analyst_queries(published: Path, repeat: int) -> dict:
    queries = {path.stem: path.read_text(encoding="utf-8") for path in ANALYSES} | README_QUERIES
    with duckdb.connect(str(published), read_only=True) as con:
        for sql in queries.values():  # once to warm the cache, as a BI tool's second look
            con.execute(sql).fetchall()
        per_query = {name: round(median_seconds(lambda: con.execute(sql).fetchall(), repeat) * 1000, 1)
                     for name, sql in queries.items()}
        trivial = median_seconds(lambda: con.execute(TRIVIAL_QUERY).fetchall(), repeat) * 1000
    median = statistics.median(per_query.values())
    return {"median_ms": round(median, 1), "per_query_ms": per_query,
            "floor_trivial_query_ms": round(trivial, 2), "ratio_to_floor": ratio(median, trivial)}


def floors(corpus: Path, work: Path, build_db: Path) -> dict:
    documents = corpus / "documents"
    read = median_seconds(lambda: [p.read_bytes() for p in documents.iterdir()], 3)

    def bulk_load() -> None:
        target = work / "bulk.duckdb"
        target.unlink(missing_ok=True)
        with duckdb.connect(str(target)) as con:
            con.execute("create table documents as select * from read_blob(?)",
                        [str(documents / "*")])
        target.unlink()
    bulk = median_seconds(bulk_load, 3)

    copy = work / "copy.duckdb"
    def copy_build() -> None:  # as publish copies, to disk
        copy.unlink(missing_ok=True)
        copy_durably(build_db, copy)
    publish_copy = median_seconds(copy_build, 3)
    copy.unlink()
    size = sum(p.stat().st_size for p in documents.iterdir())
    return {"read_files_s": round(read, 3), "read_files_mb_per_s": round(size / read / 1e6, 1),
            "duckdb_bulk_load_s": round(bulk, 2),
            "copy_build_database_s": round(publish_copy, 2)}


def empty_dbt_build(work: Path) -> float:
    """The refresh's dbt build on the raw tables of the seeds, emptied: dbt's fixed cost.
    As after one article: the project unchanged, so the views are not created again."""
    warehouse = work / "seeds-warehouse"
    subprocess.run([WUMENG, "refresh", "--documents", str(SEEDS / "documents"), "--sheets",
                    str(SEEDS / "sheets"), "--warehouse", str(warehouse)],
                   check=True, capture_output=True)
    database = work / "empty.duckdb"
    shutil.copyfile(warehouse / "build" / "wumeng.duckdb", database)
    empty_raw_tables(database)
    command = [DBT_EXECUTABLE, *dbt_build_args(database, with_views=False), "--profiles-dir", ".",
               "--target-path", str(work / "empty_target")]
    run = lambda: subprocess.run(command, cwd=DBT_PROJECT_DIR, check=True, capture_output=True)  # noqa: E731
    run()  # the first build creates the tables; the next ones find nothing to do
    return median_seconds(run, 3)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default="10000,100000",
                        help="corpus sizes, comma-separated (default 10000,100000)")
    parser.add_argument("--workdir", type=Path,
                        help="keep corpora and warehouses here (default: a temporary folder)")
    parser.add_argument("--query-repeat", type=int, default=7)
    args = parser.parse_args(argv)
    sizes = sorted(int(n) for n in args.articles.split(","))

    with tempfile.TemporaryDirectory(prefix="wumeng-bench-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        report: dict = {"machine": {"cores": os.cpu_count(),
                                    "memory_gb": round(os.sysconf("SC_PHYS_PAGES")
                                                       * os.sysconf("SC_PAGE_SIZE") / 2**30, 1)}}
        dbt_floor = empty_dbt_build(work)
        report["floors"] = {"empty_dbt_build_s": round(dbt_floor, 2)}
        largest = sizes[-1]
        for articles in sizes:
            corpus, warehouse = work / f"corpus-{articles}", work / f"warehouse-{articles}"
            shutil.rmtree(warehouse, ignore_errors=True)
            entry: dict = {"corpus": generate(articles, corpus)}
            full = refresh(corpus, warehouse)
            floor = floors(corpus, work, warehouse / "build" / "wumeng.duckdb")
            entry["full_refresh"] = full | {
                "floor_bulk_load_and_empty_dbt_s": round(floor["duckdb_bulk_load_s"] + dbt_floor, 2),
                "ratio_to_floor": ratio(full["wall_s"], floor["duckdb_bulk_load_s"] + dbt_floor)}
            publish = full["steps_s"].get("published_warehouse")
            entry["publish"] = {"seconds": publish, "floor_copy_s": floor["copy_build_database_s"],
                                "ratio_to_floor": ratio(publish or 0, floor["copy_build_database_s"])}
            entry["floors"] = floor
            if articles == largest:
                unchanged = refresh(corpus, warehouse)
                entry["refresh_unchanged"] = unchanged | {
                    "ratio_to_empty_dbt_build": ratio(unchanged["wall_s"], dbt_floor)}
                one = after_new_articles(corpus, warehouse, ONE_ARTICLE_RUNS)
                entry["refresh_after_one_article"] = one | {
                    "ratio_to_empty_dbt_build": ratio(one["wall_s"], dbt_floor)}
                entry["analyst_queries"] = analyst_queries(warehouse / "wumeng.duckdb",
                                                           args.query_repeat)
                throughput = extraction_throughput(corpus)
                throughput["read_files_mb_per_s"] = floor["read_files_mb_per_s"]
                # a throughput's floor is a ceiling: how many times slower than reading the files
                throughput["one_core_times_slower_than_reading"] = ratio(
                    throughput["read_files_mb_per_s"], throughput["one_core"]["mb_per_s"])
                report["extraction_throughput"] = throughput
                report["extraction_quality"] = extraction_quality(corpus)
            report[f"articles_{articles}"] = entry
            print(json.dumps({articles: entry}, ensure_ascii=False), file=sys.stderr)
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
