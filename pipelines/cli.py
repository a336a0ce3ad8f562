"""The `wumeng` command."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import sys
from typing import NoReturn

from pipelines.settings import ENV_WAREHOUSE, REPO_ROOT, export_paths


def _add_path_options(parser: argparse.ArgumentParser, inputs: bool = True,
                      warehouse: bool = True) -> None:
    if inputs:
        parser.add_argument("--documents", metavar="DIR",
                            help="documents folder (env WUMENG_DOCUMENTS; default seeds/documents)")
        parser.add_argument("--sheets", metavar="DIR",
                            help="curated sheets folder (env WUMENG_SHEETS; default seeds/sheets)")
    if warehouse:
        parser.add_argument("--warehouse", metavar="DIR",
                            help=f"warehouse folder (env {ENV_WAREHOUSE}; default warehouse)")


def _dagster_instance():
    import dagster as dg

    # Runs are recorded in the repository's Dagster home, so `make ui` shows them.
    home = os.environ.setdefault("DAGSTER_HOME", str(REPO_ROOT / ".dagster"))
    os.makedirs(home, exist_ok=True)
    return dg.DagsterInstance.get()


def cmd_refresh(args: argparse.Namespace) -> int:
    from pipelines.refresh import format_summary, run_refresh

    from pipelines.parallel import ENV_PROGRESS_TERMINAL
    from pipelines.warehouse import one_writer

    settings = export_paths(args.documents, args.sheets, args.warehouse)
    if sys.stderr.isatty():  # long work shows its progress to the person watching
        os.environ[ENV_PROGRESS_TERMINAL] = "1"
    with one_writer(settings.warehouse_dir, waiting=lambda text: print(text, file=sys.stderr)):
        summary = run_refresh(settings, _dagster_instance(), one_per_process=True)
    print(format_summary(summary))
    return 0 if summary.success else 1


def cmd_status(args: argparse.Namespace) -> int:
    from pipelines.dbt_project import prepare_dbt_manifest
    from pipelines.status import collect_status, format_status

    settings = export_paths(args.documents, args.sheets, args.warehouse)
    prepare_dbt_manifest(settings.build_db)
    from pipelines.definitions import defs  # needs the manifest prepared above

    statuses = collect_status(defs, _dagster_instance())
    print(format_status(statuses))
    return 0 if all(s.is_healthy for s in statuses) else 1


def _console(args: argparse.Namespace):
    from pipelines.console import Console, Limits

    settings = export_paths(warehouse=args.warehouse)
    limits = Limits.from_env(args.memory_limit, args.threads, args.timeout)
    return Console(settings.published_db, limits), settings.published_db


def cmd_sql(args: argparse.Namespace) -> int:
    import duckdb

    from pipelines.console import Refused, first_line, write_result

    if (args.query is None) == (args.file is None):
        print("wumeng sql: give a query or --file FILE (not both)", file=sys.stderr)
        return 2
    try:
        sql = args.query if args.file is None else open(args.file, encoding="utf-8").read()
        console, _ = _console(args)
        with console:
            result = console.run(sql)
    except Refused as err:
        print(f"wumeng sql: {err}", file=sys.stderr)
        return 1
    except (duckdb.Error, OSError) as err:
        print(f"wumeng sql: {first_line(err)}", file=sys.stderr)
        return 1
    if result is not None:
        write_result(result, args.format, sys.stdout)
    return 0


def cmd_shell(args: argparse.Namespace) -> int:
    import duckdb

    from pipelines.console import first_line, shell
    from pipelines.warehouse import current_release

    try:
        console, published = _console(args)
    except (duckdb.Error, FileNotFoundError) as err:
        print(f"wumeng shell: {first_line(err)}", file=sys.stderr)
        return 1
    with console:
        return shell(console, current_release(published).name, fmt=args.format)


def cmd_publish(args: argparse.Namespace) -> int:
    from pipelines.pages import show_release_pages
    from pipelines.warehouse import ReleaseError, current_release, list_releases, rollback

    settings = export_paths(warehouse=args.warehouse)
    if args.rollback is not None:
        try:
            target = rollback(settings.published_db, settings.releases_dir,
                              args.rollback or None)
        except ReleaseError as err:
            print(f"wumeng publish: {err}", file=sys.stderr)
            return 1
        print(f"{settings.published_db} now points to {target.name}; the next successful "
              f"refresh publishes over it")
        # The pages show what the console reads: the release's own, kept beside it.
        if show_release_pages(target, settings.pages_dir):
            print(f"{settings.pages_dir} now shows {target.name}")
        elif settings.pages_dir.exists():
            print(f"{target.name} has no indicator pages: {settings.pages_dir} still shows "
                  f"another release until the next refresh", file=sys.stderr)
        return 0
    current = current_release(settings.published_db)
    releases = list_releases(settings.releases_dir)
    if not releases:
        print(f"no releases under {settings.releases_dir}: run `make run` (or `wumeng refresh`)")
        return 0
    for release in releases:
        # by name: the warehouse path may run through a symlink that resolve() follows
        marker = "*" if current and release.name == current.name else " "
        print(f"{marker} {release.name}  {release.size_bytes:>12,d} bytes")
    print(f"(* is {settings.published_db}; `wumeng publish --rollback [RELEASE]` points it "
          f"to an earlier one)")
    return 0


def cmd_serve_pages(args: argparse.Namespace) -> int:
    from pipelines.pages import serve_pages

    settings = export_paths(warehouse=args.warehouse)
    if not (settings.pages_dir / "index.html").exists():
        print(f"wumeng serve-pages: no pages at {settings.pages_dir}: run `make run` (or "
              f"`wumeng refresh`) first", file=sys.stderr)
        return 1

    def announce(url: str) -> None:
        print(f"Serving the indicator pages of {settings.warehouse_dir} at {url}  "
              f"(this machine only; Ctrl-C to stop)", flush=True)

    try:
        serve_pages(settings.pages_dir, args.port, announce)
    except OSError as err:
        print(f"wumeng serve-pages: cannot serve on 127.0.0.1:{args.port}: "
              f"{err.strerror or err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from pathlib import Path

    from pipelines import extraction
    from pipelines.text.decoding import UndecodableError, decode_document

    settings = export_paths(sheets=args.sheets, documents=args.documents)
    ctx = extraction.load_context(settings.sheets_dir)
    failed = 0
    for name in args.files:
        path = Path(name)
        try:
            text = decode_document(path.read_bytes()).text
        except (OSError, UndecodableError) as err:
            print(f"wumeng extract: {name}: {getattr(err, 'strerror', None) or err}", file=sys.stderr)
            failed += 1
            continue
        published = ctx.dates.get(_registry_name(path, settings.documents_dir), args.published)
        for record in extraction.extract_mentions(name, text, ctx.gazetteer, published):
            print(extraction.as_json_line(record))
    return 1 if failed else 0


def _publication_date(text: str):
    """argparse type: a bad --published is a one-line usage error, not a traceback."""
    from pipelines.text.context import PublicationDate

    try:
        return PublicationDate.parse(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _registry_name(path, documents_dir) -> str:
    """The registry names files relative to the documents folder; elsewhere, by name."""
    resolved = path.resolve()
    if resolved.is_relative_to(documents_dir):
        return resolved.relative_to(documents_dir).as_posix()
    return path.name


def cmd_score(args: argparse.Namespace) -> int:
    from pathlib import Path

    from pipelines import extraction
    from pipelines.scoring import score

    settings = export_paths(documents=args.documents, sheets=args.sheets)
    gold = extraction.read_annotations(Path(args.annotations))
    files = sorted({g["doc"] for g in gold})
    registry = Path(args.registry) if args.registry else None
    result = score(gold, extraction.extract_folder(settings.documents_dir, settings.sheets_dir,
                                                   files, registry))
    if args.errors:
        for error in result.errors:
            print(json.dumps(error, ensure_ascii=False), file=sys.stderr)
    print(json.dumps(result.as_dict(), ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wumeng", description=(
        "Wumeng: a warehouse of regional development statistics built from news articles "
        "and curated sheets."))
    commands = parser.add_subparsers(dest="command", required=True)

    refresh = commands.add_parser("refresh", help="materialize every asset once and publish")
    _add_path_options(refresh)
    refresh.set_defaults(run=cmd_refresh)

    status = commands.add_parser(
        "status", help="each asset's last materialization, freshness and check results "
                       "(exit 1 when something is stale or failing)")
    _add_path_options(status)
    status.set_defaults(run=cmd_status)

    sql = commands.add_parser(
        "sql", help="run read-only SQL on the published warehouse",
        description="Run SQL on the published snapshot, read-only: statements that write, "
                    "touch files or change settings are refused, and each statement has a "
                    "time limit.")
    sql.add_argument("query", nargs="?", help="the SQL (one or more statements)")
    sql.add_argument("--file", metavar="FILE", help="read the SQL from FILE (e.g. an analysis "
                                                    "under dbt_project/analyses/)")
    shell_parser = commands.add_parser(
        "shell", help="an interactive read-only SQL session on the published warehouse")
    publish = commands.add_parser(
        "publish", help="list the kept releases, or roll the published snapshot back")
    publish.add_argument("--rollback", nargs="?", const="", metavar="RELEASE",
                         help="point the published snapshot to RELEASE, by default the one "
                              "before the current")
    _add_path_options(publish, inputs=False)
    publish.set_defaults(run=cmd_publish)
    for parser_, run in ((sql, cmd_sql), (shell_parser, cmd_shell)):
        _add_path_options(parser_, inputs=False)
        parser_.add_argument("--format", choices=("table", "csv", "json"), default="table",
                             help="json prints one object per row (JSON Lines)")
        parser_.add_argument("--timeout", type=float, metavar="SECONDS",
                             help="time limit of each statement (env WUMENG_SQL_TIMEOUT; default 60)")
        parser_.add_argument("--memory-limit", metavar="SIZE",
                             help="DuckDB memory limit (env WUMENG_SQL_MEMORY_LIMIT; default 1GB)")
        parser_.add_argument("--threads", type=int, metavar="N",
                             help="DuckDB threads (env WUMENG_SQL_THREADS; default 2)")
        parser_.set_defaults(run=run)

    serve = commands.add_parser(
        "serve-pages", help="serve the indicator pages of the published warehouse on 127.0.0.1",
        description="Serve <warehouse>/pages (built by every refresh) over HTTP on 127.0.0.1 "
                    "only, logging each request. The pages also work opened from disk.")
    serve.add_argument("--port", type=int, default=8000,
                       help="port (default 8000; 0 picks a free one)")
    _add_path_options(serve, inputs=False)
    serve.set_defaults(run=cmd_serve_pages)

    extract = commands.add_parser(
        "extract", help="print every numeric mention of the files as JSON Lines",
        description="Print one JSON object per numeric mention. Relative periods (今年, 截至目前) "
                    "use the document registry's publication date, or --published for a file "
                    "the registry does not know; with neither they are left open.")
    extract.add_argument("--published", metavar="YYYY-MM-DD", type=_publication_date,
                         help="publication date (YYYY, YYYY-MM or YYYY-MM-DD) of files not in the registry")
    _add_path_options(extract, warehouse=False)
    extract.add_argument("files", nargs="+", metavar="FILE")
    extract.set_defaults(run=cmd_extract)

    score_parser = commands.add_parser(
        "score", help="score the extractor against the hand annotation of the seeds")
    score_parser.add_argument("--annotations", metavar="FILE",
                              default=str(REPO_ROOT / "tests" / "annotations" / "seed_mentions.jsonl"))
    score_parser.add_argument("--registry", metavar="DIR",
                              help="folder whose documents.csv dates the files (default: --sheets)")
    score_parser.add_argument("--errors", action="store_true",
                              help="also print every miss and error (JSON Lines on stderr)")
    _add_path_options(score_parser, warehouse=False)
    score_parser.set_defaults(run=cmd_score)

    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:  # `wumeng extract … | head`: the reader has what it wanted
        sys.stderr.close()
        return 0


def command() -> NoReturn:
    """The `wumeng` command: main(), then the end of the process."""
    code = main()
    # Python's own teardown is a last garbage collection over every object, then every
    # module freed one by one (the last second of a refresh of 100k articles in a profile),
    # memory that the end of the process frees anyway. As multiprocessing ends its workers: the exit
    # handlers run (logs flushed, dbt's database handle closed), then the process exits.
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: the reader has gone
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    command()
