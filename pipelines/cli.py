"""The `wumeng` command."""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys

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

    settings = export_paths(args.documents, args.sheets, args.warehouse)
    summary = run_refresh(settings, _dagster_instance())
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


def cmd_sql(args: argparse.Namespace) -> int:
    import duckdb

    from pipelines.warehouse import connect_published

    settings = export_paths(warehouse=args.warehouse)
    try:
        with connect_published(settings.published_db) as con:
            relation = con.sql(args.query)
            if relation is None:
                return 0
            columns, rows = relation.columns, relation.fetchall()
    except (duckdb.Error, FileNotFoundError) as err:
        print(f"wumeng sql: {str(err).splitlines()[0]}", file=sys.stderr)
        return 1
    if args.format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    elif args.format == "json":
        for row in rows:
            print(json.dumps(dict(zip(columns, row)), ensure_ascii=False, default=str))
    else:
        print(_as_table(columns, rows))
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


def _as_table(columns: list[str], rows: list[tuple]) -> str:
    import unicodedata

    def width(text: str) -> int:  # CJK characters take two terminal columns
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([width(c)] + [width(r[i]) for r in cells]) for i, c in enumerate(columns)]
    line = lambda values: "  ".join(v + " " * (w - width(v)) for v, w in zip(values, widths))
    out = [line(columns), line(["-" * w for w in widths])] + [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


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

    sql = commands.add_parser("sql", help="run a read-only query on the published warehouse")
    _add_path_options(sql, inputs=False)
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table")
    sql.add_argument("query")
    sql.set_defaults(run=cmd_sql)

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


if __name__ == "__main__":
    sys.exit(main())
