"""`wumeng sql`: read-only queries on the published snapshot."""

from __future__ import annotations

import json

from pipelines.cli import main


def test_sql_prints_a_table(seeded, capsys):
    workspace, _ = seeded
    code = main(["sql", "--warehouse", str(workspace.settings.warehouse_dir),
                 "select region_code, name_zh from dim_region where region_code = '530627'"])
    out = capsys.readouterr().out
    assert code == 0
    assert "530627" in out and "镇雄县" in out and "(1 row)" in out


def test_sql_json_lines(seeded, capsys):
    workspace, _ = seeded
    main(["sql", "--format", "json", "--warehouse", str(workspace.settings.warehouse_dir),
          "select count(*) as n from dim_region"])
    assert json.loads(capsys.readouterr().out) == {"n": 33}


def test_sql_cannot_write_or_read_other_files(seeded, capsys, tmp_path):
    workspace, _ = seeded
    warehouse = str(workspace.settings.warehouse_dir)
    assert main(["sql", "--warehouse", warehouse, "create table t as select 1"]) == 1
    assert "read-only" in capsys.readouterr().err
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n")
    assert main(["sql", "--warehouse", warehouse, f"select * from read_csv('{secret}')"]) == 1
    assert "wumeng sql:" in capsys.readouterr().err


def test_sql_without_a_warehouse_explains_what_to_do(tmp_path, capsys):
    assert main(["sql", "--warehouse", str(tmp_path), "select 1"]) == 1
    assert "run `make run`" in capsys.readouterr().err
