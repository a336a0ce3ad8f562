"""The `wumeng` command."""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys

from pipelines.settings import ENV_WAREHOUSE, REPO_ROOT, export_paths


def _add_path_options(parser: argparse.ArgumentParser, inputs: bool = True) -> None:
    if inputs:
        parser.add_argument("--documents", metavar="DIR",
                            help="documents folder (env WUMENG_DOCUMENTS; default seeds/documents)")
        parser.add_argument("--sheets", metavar="DIR",
                            help="curated sheets folder (env WUMENG_SHEETS; default seeds/sheets)")
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

    sql = commands.add_parser("sql", help="run a read-only query on the published warehouse")
    _add_path_options(sql, inputs=False)
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table")
    sql.add_argument("query")
    sql.set_defaults(run=cmd_sql)

    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
