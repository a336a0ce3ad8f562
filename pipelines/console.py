"""The SQL console behind `wumeng sql` and `wumeng shell`: read-only and hardened.

Three layers keep a session harmless. DuckDB opens the published release read-only, with
no access to other files and its configuration locked (warehouse.connect_published). Before
anything runs, every statement's type is checked, so that a script mixing a SELECT with a
CREATE TEMP TABLE (which DuckDB allows on a read-only database) runs nothing. And each
statement has a time limit, enforced by interrupting it.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import duckdb

from pipelines.warehouse import connect_published

ENV_MEMORY_LIMIT = "WUMENG_SQL_MEMORY_LIMIT"
ENV_THREADS = "WUMENG_SQL_THREADS"
ENV_TIMEOUT = "WUMENG_SQL_TIMEOUT"
FORMATS = ("table", "csv", "json")

# Statements that only read. Everything else is refused before anything runs.
_READING = {"SELECT", "EXPLAIN", "PRAGMA", "CALL", "SET", "TRANSACTION", "PREPARE", "EXECUTE",
            "MULTI", "RELATION"}
_FILES = {"COPY", "COPY_DATABASE", "ATTACH", "DETACH", "EXPORT", "LOAD", "EXTENSION"}


class Refused(Exception):
    """A statement the console will not run or stopped, with the reason a person needs."""


@dataclass(frozen=True)
class Limits:
    memory_limit: str = "1GB"
    threads: int = 2
    timeout_seconds: float = 60.0

    @classmethod
    def from_env(cls, memory_limit: str | None = None, threads: int | None = None,
                 timeout_seconds: float | None = None) -> Limits:
        """Command-line values first, then WUMENG_SQL_* variables, then the defaults."""
        env = os.environ
        return cls(
            memory_limit=memory_limit or env.get(ENV_MEMORY_LIMIT) or cls.memory_limit,
            threads=threads or int(env.get(ENV_THREADS) or cls.threads),
            timeout_seconds=timeout_seconds or float(env.get(ENV_TIMEOUT) or cls.timeout_seconds))


@dataclass
class Result:
    columns: list[str]
    rows: list[tuple]


class Console:
    """One read-only session on the published snapshot."""

    def __init__(self, published: Path, limits: Limits):
        self.limits = limits
        self.con = connect_published(published, limits.memory_limit, limits.threads)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Console:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def run(self, sql: str) -> Result | None:
        """Run `sql` (one or more statements); the last statement's rows, if it has any.

        Raises Refused for a statement that would write, touch files or change settings,
        or that runs past the time limit; duckdb.Error for a query DuckDB rejects.
        """
        statements = self.con.extract_statements(sql)  # a syntax error raises here
        for statement in statements:
            _check(statement.type.name, statement.query)
        result = None
        for statement in statements:
            result = self._run_one(statement.query)
        return result

    def _run_one(self, sql: str) -> Result | None:
        timer = threading.Timer(self.limits.timeout_seconds, self.con.interrupt)
        timer.start()
        try:
            return _result(self.con.execute(sql))
        except duckdb.InterruptException:
            raise Refused(f"stopped: the statement ran past its time limit of "
                          f"{self.limits.timeout_seconds:g} s (--timeout or {ENV_TIMEOUT})") from None
        except duckdb.PermissionException as err:
            raise Refused(f"refused: the console cannot read or write files or load "
                          f"extensions ({first_line(err)})") from None
        except duckdb.InvalidInputException as err:
            message = first_line(err)
            if "configuration has been locked" in message:
                raise Refused("refused: the console's settings are locked (memory, threads, "
                              "file access); set the limits with --memory-limit and --threads") from None
            if "read-only mode" in message:
                raise Refused(f"refused: {_READ_ONLY}") from None
            raise
        finally:
            timer.cancel()

    def tables(self) -> Result:
        return self._run_one(
            "select table_name, estimated_size as rows, column_count from duckdb_tables() "
            "where schema_name = 'main' order by table_name")

    def columns(self, table: str) -> Result:
        return _result(self.con.execute(
            "select column_name, data_type, is_nullable, comment from duckdb_columns() "
            "where schema_name = 'main' and table_name = ? order by column_index", [table]))


def _result(cursor: duckdb.DuckDBPyConnection) -> Result | None:
    """The rows of the statement just run, or None for a statement that returns none."""
    if cursor.description is None:
        return None
    return Result([d[0] for d in cursor.description], cursor.fetchall())


_READ_ONLY = "the warehouse is read-only, so the console runs queries, not changes"


def _check(kind: str, sql: str) -> None:
    if kind in _READING:
        return
    statement = " ".join(sql.split()).rstrip(";")[:60]
    if kind in _FILES:
        raise Refused(f"refused: {kind} reaches files outside the warehouse, which the console "
                      f"does not allow ({statement})")
    raise Refused(f"refused: {_READ_ONLY} ({statement})")


def first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


def write_result(result: Result, fmt: str, out: TextIO) -> None:
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows(result.rows)
    elif fmt == "json":  # JSON Lines: one object per row
        for row in result.rows:
            out.write(json.dumps(dict(zip(result.columns, row)), ensure_ascii=False,
                                 default=str) + "\n")
    else:
        out.write(as_table(result.columns, result.rows) + "\n")


def as_table(columns: Sequence[str], rows: Iterable[tuple]) -> str:
    def width(text: str) -> int:  # CJK characters take two terminal columns
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([width(c)] + [width(r[i]) for r in cells]) for i, c in enumerate(columns)]
    line = lambda values: "  ".join(v + " " * (w - width(v)) for v, w in zip(values, widths))
    out = [line(columns), line(["-" * w for w in widths])] + [line(r) for r in cells]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out)


SHELL_HELP = """\
Statements end with ';' and may span lines. Read-only: queries, EXPLAIN, DESCRIBE, SUMMARIZE.
  .tables              the tables of the warehouse, with their rows
  .schema TABLE        the columns of TABLE, with their types and descriptions
  .mode table|csv|json how results are printed
  .timeout SECONDS     the time limit of each statement
  .help                this text
  .quit                leave (or Ctrl-D)"""


def shell(console: Console, release: str, stdin: TextIO | None = None,
          stdout: TextIO | None = None, stderr: TextIO | None = None, fmt: str = "table") -> int:
    """An interactive read-only session. Without a terminal (a script piped in), no prompts,
    and the exit status is 1 when any statement failed."""
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    interactive = stdin.isatty()
    if interactive:
        try:
            import readline  # noqa: F401  (line editing and history for input())
        except ImportError:
            pass
        stdout.write(f"wumeng shell on {release} (read-only). .help for help, .quit to leave.\n")
    failed = False
    buffer: list[str] = []
    while True:
        prompt = ("   ...> " if buffer else "wumeng> ") if interactive else ""
        line = _read_line(stdin, stdout, prompt, interactive)
        if line is None:
            break
        if not buffer and line.strip().startswith("."):
            command, _, argument = line.strip().partition(" ")
            if command in (".quit", ".exit"):
                break
            try:
                fmt = _dot_command(console, command, argument.strip(), fmt, stdout)
            except (Refused, ValueError, duckdb.Error) as err:
                stderr.write(f"error: {err}\n")
                failed = True
            continue
        buffer.append(line)
        text = "\n".join(buffer)
        if not text.strip():
            buffer.clear()
            continue
        if not text.rstrip().endswith(";"):
            continue
        buffer.clear()
        try:
            result = console.run(text)
        except Refused as err:
            stderr.write(f"{err}\n")
            failed = True
            continue
        except duckdb.Error as err:
            stderr.write(f"error: {first_line(err)}\n")
            failed = True
            continue
        if result is not None:
            write_result(result, fmt, stdout)
        stdout.flush()
    if buffer and "".join(buffer).strip():
        stderr.write("error: the last statement has no closing ';' and was not run\n")
        failed = True
    return 1 if failed and not interactive else 0


def _read_line(stdin: TextIO, stdout: TextIO, prompt: str, interactive: bool) -> str | None:
    if interactive and stdin is sys.stdin:
        try:
            return input(prompt)
        except EOFError:
            stdout.write("\n")
            return None
    line = stdin.readline()
    return None if line == "" else line.rstrip("\n")


def _dot_command(console: Console, command: str, argument: str, fmt: str,
                 stdout: TextIO) -> str:
    if command == ".tables":
        write_result(console.tables(), "table", stdout)
    elif command == ".schema":
        if not argument:
            raise ValueError(".schema needs a table name (see .tables)")
        result = console.columns(argument)
        if not result.rows:
            raise ValueError(f"no table named {argument!r} (see .tables)")
        write_result(result, "table", stdout)
    elif command == ".mode":
        if argument not in FORMATS:
            raise ValueError(f".mode is one of {', '.join(FORMATS)}")
        return argument
    elif command == ".timeout":
        seconds = float(argument)
        if seconds <= 0:
            raise ValueError(".timeout needs a number of seconds above 0")
        console.limits = Limits(console.limits.memory_limit, console.limits.threads, seconds)
    elif command == ".help":
        stdout.write(SHELL_HELP + "\n")
    else:
        raise ValueError(f"unknown command {command}; .help lists them")
    return fmt

