"""`wumeng sql` and `wumeng shell`: read-only, hardened queries on the published snapshot."""

from __future__ import annotations

import io
import json
import subprocess

import pytest

from pipelines.cli import main
from pipelines.console import Console, Limits, Refused, shell
from tests.conftest import WUMENG

INCOME = ("select year, value from mart_annual_growth "
          "where topic = 'poverty_income' order by year")


@pytest.fixture
def warehouse(seeded) -> str:
    workspace, _ = seeded
    return str(workspace.settings.warehouse_dir)


@pytest.fixture
def console(seeded):
    workspace, _ = seeded
    with Console(workspace.settings.published_db, Limits(timeout_seconds=5)) as session:
        yield session


def test_sql_prints_a_table(warehouse, capsys):
    code = main(["sql", "--warehouse", warehouse,
                 "select region_code, name_zh from dim_region where region_code = '530627'"])
    out = capsys.readouterr().out
    assert code == 0
    assert "530627" in out and "镇雄县" in out and "(1 row)" in out


def test_the_command_prints_everything_and_exits_with_the_status_of_its_work(warehouse):
    """`wumeng` ends its process without Python's teardown (cli.command): what it printed
    still reaches a pipe, and its exit status is still that of the work."""
    ok = subprocess.run([WUMENG, "sql", "--format", "csv", "--warehouse", warehouse, INCOME],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines()[-1] == "2023,15465.0"
    failed = subprocess.run([WUMENG, "sql", "--warehouse", warehouse, "select nothing_at_all"],
                            capture_output=True, text=True)
    assert failed.returncode == 1
    assert "nothing_at_all" in failed.stderr


def test_sql_csv_and_json_lines(warehouse, capsys):
    assert main(["sql", "--format", "csv", "--warehouse", warehouse, INCOME]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "year,value", "2021,11438.0", "2022,13233.0", "2023,15465.0"]
    assert main(["sql", "--format", "json", "--warehouse", warehouse, INCOME]) == 0
    assert [json.loads(line) for line in capsys.readouterr().out.splitlines()] == [
        {"year": 2021, "value": 11438.0}, {"year": 2022, "value": 13233.0},
        {"year": 2023, "value": 15465.0}]


def test_sql_from_a_file(warehouse, tmp_path, capsys):
    query = tmp_path / "income.sql"
    query.write_text(f"-- the income trend\n{INCOME};\n", encoding="utf-8")
    assert main(["sql", "--warehouse", warehouse, "--format", "csv", "--file", str(query)]) == 0
    assert "2023,15465.0" in capsys.readouterr().out
    assert main(["sql", "--warehouse", warehouse, "--file", str(query), "select 1"]) == 2


@pytest.mark.parametrize("statement, says", [
    ("create table t as select 1", "the warehouse is read-only"),
    ("insert into dim_region (region_code) values ('530699')", "the warehouse is read-only"),
    ("update fct_observation set value = 0", "the warehouse is read-only"),
    ("delete from dim_region", "the warehouse is read-only"),
    ("drop table dim_region", "the warehouse is read-only"),
    ("alter table dim_region add column x int", "the warehouse is read-only"),
    # DuckDB itself allows temporary tables on a read-only database; the console does not.
    ("create temp table t as select 1", "the warehouse is read-only"),
    ("create macro m() as 1", "the warehouse is read-only"),
    ("vacuum", "the warehouse is read-only"),
])
def test_writes_are_refused(console, statement, says):
    with pytest.raises(Refused, match=says):
        console.run(statement)
    assert console.run("select count(*) from dim_region").rows == [(33,)]


@pytest.mark.parametrize("statement", [
    "select * from read_csv('{secret}')",
    "select * from read_text('{secret}')",
    "select * from '{secret}'",
    "copy dim_region to '{out}'",
    "copy (select 1) to '{out}' (format csv)",
    "attach '{other}' as other",
    "export database '{folder}'",
    "install httpfs",
    "load httpfs",
])
def test_files_outside_the_warehouse_are_out_of_reach(console, statement, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("password\nhunter2\n", encoding="utf-8")
    sql = statement.format(secret=secret, out=tmp_path / "out.csv", other=tmp_path / "o.duckdb",
                           folder=tmp_path / "export")
    with pytest.raises(Exception) as caught:
        console.run(sql)
    assert "hunter2" not in str(caught.value)
    assert list(tmp_path.iterdir()) == [secret]  # nothing written


def test_file_access_is_refused_with_a_reason(console, tmp_path):
    with pytest.raises(Refused, match="cannot read or write files"):
        console.run(f"select * from read_csv('{tmp_path}/x.csv')")
    with pytest.raises(Refused, match="COPY reaches files outside the warehouse"):
        console.run(f"copy dim_region to '{tmp_path}/x.csv'")


@pytest.mark.parametrize("statement", [
    "set threads = 16", "set memory_limit = '64GB'", "set enable_external_access = true",
    "pragma memory_limit = '64GB'", "reset threads", "set lock_configuration = false",
])
def test_configuration_is_locked(console, statement):
    with pytest.raises(Refused, match="settings are locked"):
        console.run(statement)
    assert console.run("select current_setting('threads'), current_setting('memory_limit'), "
                       "current_setting('enable_external_access')").rows == [(2, "953.6 MiB", False)]


def test_a_script_with_one_write_runs_nothing(console):
    with pytest.raises(Refused):
        console.run("select 1; create temp table t as select 1; select 2")
    assert console.run("select count(*) from duckdb_tables() where temporary").rows == [(0,)]


def test_reading_statements_run(console):
    assert console.run("describe dim_region").rows[0][:2] == ("region_code", "VARCHAR")
    assert console.run("summarize select value from fct_observation").rows[0][0] == "value"
    assert console.run("explain " + INCOME) is not None
    assert console.run("select 1; " + INCOME).rows[-1] == (2023, 15465.0)


def test_a_long_statement_is_stopped_at_the_time_limit(seeded):
    workspace, _ = seeded
    with Console(workspace.settings.published_db, Limits(timeout_seconds=0.5)) as session:
        with pytest.raises(Refused, match="time limit of 0.5 s"):
            session.run("select sum(i) from range(100000000000) t(i)")
        assert session.run("select 1").rows == [(1,)]  # the session is still usable


def test_limits_come_from_options_then_environment(monkeypatch):
    monkeypatch.setenv("WUMENG_SQL_TIMEOUT", "7")
    monkeypatch.setenv("WUMENG_SQL_THREADS", "1")
    assert Limits.from_env() == Limits("1GB", 1, 7.0)
    assert Limits.from_env("256MB", 2, 3.0) == Limits("256MB", 2, 3.0)


def test_sql_messages(warehouse, tmp_path, capsys):
    assert main(["sql", "--warehouse", warehouse, "drop table dim_region"]) == 1
    assert capsys.readouterr().err.startswith("wumeng sql: refused: the warehouse is read-only")
    assert main(["sql", "--warehouse", warehouse, "set threads = 8"]) == 1
    assert "settings are locked" in capsys.readouterr().err
    assert main(["sql", "--warehouse", warehouse, "--timeout", "0.3",
                 "select sum(i) from range(100000000000) t(i)"]) == 1
    assert "stopped: the statement ran past its time limit of 0.3 s" in capsys.readouterr().err
    assert main(["sql", "--warehouse", warehouse, "selec 1"]) == 1
    assert "syntax error" in capsys.readouterr().err
    assert main(["sql", "--warehouse", str(tmp_path), "select 1"]) == 1
    assert "run `make run`" in capsys.readouterr().err


def _shell(console, script: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = shell(console, "test", stdin=io.StringIO(script), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_shell_runs_statements_across_lines_and_dot_commands(console):
    code, out, err = _shell(console, "\n".join([
        ".tables",
        "select year, value",
        "  from mart_annual_growth where topic = 'poverty_income'",
        "  order by year;",
        ".mode csv",
        "select name_zh from dim_region where region_code = '530600';",
        ".schema fct_observation",
        ".quit",
        "select 'not reached';",
    ]))
    assert (code, err) == (0, "")
    assert "fct_claim_check" in out and "2023  15465.0" in out
    assert "name_zh\n昭通市\n" in out
    assert "indicator_code" in out and "not reached" not in out
    assert "The indicator (dim_indicator). 指标代码。" in out  # dbt's docs, persisted to DuckDB


def test_shell_refuses_and_goes_on(console):
    code, out, err = _shell(console, "insert into dim_region (region_code) values ('1');\n"
                                     "set threads = 9;\n.schema nowhere\n.mode xml\n"
                                     "select count(*) as n from dim_region;\nselect 1")
    assert code == 1  # a script with failures exits 1
    assert err.splitlines() == [
        "refused: the warehouse is read-only, so the console runs queries, not changes "
        "(insert into dim_region (region_code) values ('1'))",
        "refused: the console's settings are locked (memory, threads, file access); "
        "set the limits with --memory-limit and --threads",
        "error: no table named 'nowhere' (see .tables)",
        "error: .mode is one of table, csv, json",
        "error: the last statement has no closing ';' and was not run"]
    assert "33" in out


def test_shell_command_reads_stdin(warehouse, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(INCOME + ";\n"))
    assert main(["shell", "--warehouse", warehouse, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "2023,15465.0"
