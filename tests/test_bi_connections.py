"""BI tools read the published snapshot through SQLAlchemy (duckdb-engine), read-only.

The first tests go the way Apache Superset does: list schemas and tables through the
inspector, reflect columns and keys, then run SQL; pandas.read_sql is how notebooks do it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import sqlalchemy as sa

from pipelines.bi import create_reader_engine, sqlalchemy_url
from pipelines.warehouse import publish

# duckdb-engine does not reflect indexes (DuckDB's are not constraints) and says so.
pytestmark = pytest.mark.filterwarnings("ignore:duckdb-engine doesn't yet support reflection")

MARTS = {"dim_region", "dim_indicator", "dim_period", "dim_document", "fct_observation",
         "fct_mention", "fct_claim_check", "mart_annual_growth", "mart_latest_value",
         "mart_housing_fund", "mart_employment_and_returnees", "document_ledger", "sheet_rejects"}

POVERTY_INCOME = """
    select year, value from main.mart_annual_growth
    where topic = 'poverty_income' and year between :first and :last order by year"""


@pytest.fixture(scope="module")
def published(seeded) -> Path:
    return seeded[0].settings.published_db


@pytest.fixture(scope="module")
def engine(published):
    engine = create_reader_engine(published)
    yield engine
    engine.dispose()


def test_the_url_names_the_symlink_not_the_release(published):
    url = sqlalchemy_url(published)
    assert url == f"duckdb:///{published.absolute().as_posix()}"
    assert url.startswith("duckdb:////") and url.endswith("/warehouse/wumeng.duckdb")
    assert sa.make_url(url).database == published.absolute().as_posix()


def test_superset_lists_schemas_tables_and_views(engine, published):
    inspector = sa.inspect(engine)
    assert inspector.default_schema_name == "main"
    # duckdb-engine lists schemas as catalog.schema. DuckDB names the catalog after the file,
    # and every release is a wumeng.duckdb in its own folder, so a dataset saved against
    # "wumeng.main" outlives the next publish.
    assert published.resolve().name == "wumeng.duckdb"
    assert "wumeng.main" in inspector.get_schema_names()
    tables = set(inspector.get_table_names(schema="main"))
    assert MARTS <= tables
    assert set(inspector.get_table_names(schema="wumeng.main")) == tables
    assert inspector.get_view_names(schema="main") == []  # the marts are tables
    assert "stg_sheets__observations" in inspector.get_view_names(schema="staging")


def test_superset_reflects_columns_and_keys(engine):
    inspector = sa.inspect(engine)
    columns = {c["name"]: c for c in inspector.get_columns("fct_observation", schema="main")}
    assert list(columns)[:5] == ["observation_id", "obtained_by", "indicator_code",
                                 "region_code", "period_label"]
    assert isinstance(columns["value"]["type"], sa.Float)  # DOUBLE; a Numeric for BI tools
    assert isinstance(columns["value"]["type"], sa.Numeric)
    assert isinstance(columns["period_label"]["type"], sa.String)
    assert isinstance(columns["period_end"]["type"], sa.Date)
    assert isinstance(columns["is_cumulative"]["type"], sa.Boolean)
    assert columns["value"]["nullable"] is False and columns["region_code"]["nullable"] is True
    # dbt builds the marts without constraints; what matters is that these calls work
    # (SQLAlchemy 2.0.55+ makes them fail on DuckDB: see pyproject.toml).
    primary_key = inspector.get_pk_constraint("fct_observation", schema="main")
    assert primary_key["constrained_columns"] == []
    assert inspector.get_foreign_keys("fct_observation", schema="main") == []
    assert inspector.get_indexes("fct_observation", schema="main") == []
    assert inspector.get_unique_constraints("fct_observation", schema="main") == []
    # A physical dataset: Superset (and pandas.read_sql_table) autoload the table.
    table = sa.Table("mart_annual_growth", sa.MetaData(), schema="main", autoload_with=engine)
    assert isinstance(table.c.year.type, sa.Integer) and isinstance(table.c.value.type, sa.Float)


def test_mart_queries_return_the_real_figures(engine):
    with engine.connect() as con:
        rows = con.execute(sa.text(POVERTY_INCOME), {"first": 2021, "last": 2023}).all()
        assert [tuple(row) for row in rows] == [(2021, 11438.0), (2022, 13233.0), (2023, 15465.0)]
        # Unqualified names resolve in the release's catalog too.
        assert con.execute(sa.text("select count(*) from fct_observation")).scalar_one() == 95
        # SQLAlchemy Core, as Superset builds its chart queries.
        growth = sa.table("mart_annual_growth", sa.column("topic"), sa.column("year"),
                          sa.column("value"), schema="main")
        query = (sa.select(growth.c.year, sa.func.max(growth.c.value))
                 .where(growth.c.topic == "poverty_income").group_by(growth.c.year)
                 .order_by(growth.c.year))
        assert con.execute(query).all()[:3] == [(2021, 11438.0), (2022, 13233.0), (2023, 15465.0)]


def test_pandas_reads_marts_through_the_engine(engine):
    frame = pd.read_sql(sa.text(POVERTY_INCOME), engine, params={"first": 2021, "last": 2023})
    assert frame.to_dict("list") == {"year": [2021, 2022, 2023],
                                     "value": [11438.0, 13233.0, 15465.0]}
    table = pd.read_sql_table("mart_annual_growth", engine, schema="main")
    income = table[table.topic == "poverty_income"].sort_values("year")
    assert income.value.tolist()[:3] == [11438.0, 13233.0, 15465.0]


def driver_error(engine, sql: str) -> Exception:
    """The DuckDB error `sql` raises (a fresh connection: a failed statement aborts it)."""
    with pytest.raises(sa.exc.DBAPIError) as raised:
        with engine.connect() as con:
            con.execute(sa.text(sql))
    return raised.value.orig


@pytest.mark.parametrize("sql", [
    "insert into dim_region select * from dim_region",
    "delete from fct_observation",
    "create table main.scratch (i integer)",
    "drop table mart_latest_value",
])
def test_the_engine_cannot_write(engine, sql):
    error = driver_error(engine, sql)
    assert isinstance(error, duckdb.InvalidInputException)
    assert "read-only mode" in str(error)


@pytest.mark.parametrize("sql", [
    "select * from read_csv('/etc/passwd')",
    "attach '/tmp/wumeng-bi-test.duckdb' as other",
    "copy (select 1) to '/tmp/wumeng-bi-test.csv'",
    "load httpfs",
])
def test_the_engine_cannot_reach_other_files(engine, sql):
    assert isinstance(driver_error(engine, sql), duckdb.PermissionException)
    assert not Path("/tmp/wumeng-bi-test.csv").exists()


@pytest.mark.parametrize("sql", ["set threads = 8", "set enable_external_access = true",
                                 "reset lock_configuration"])
def test_the_engine_cannot_change_its_configuration(engine, sql):
    error = driver_error(engine, sql)
    assert "the configuration has been locked" in str(error)


def test_limits_are_applied(published):
    engine = create_reader_engine(published, memory_limit="256MB", threads=2)
    try:
        with engine.connect() as con:
            threads, locked = con.execute(sa.text(
                "select current_setting('threads'), current_setting('lock_configuration')")).one()
        assert (threads, locked) == (2, True)
    finally:
        engine.dispose()


def test_no_published_warehouse_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="make run"):
        create_reader_engine(tmp_path / "wumeng.duckdb")


def test_an_engine_sees_a_new_release_on_its_next_connection(seeded, tmp_path):
    # A copy of the seeded build database, published twice; the session's warehouse is untouched.
    build = tmp_path / "warehouse" / "build" / "wumeng.duckdb"
    build.parent.mkdir(parents=True)
    shutil.copyfile(seeded[0].settings.build_db, build)
    published = tmp_path / "warehouse" / "wumeng.duckdb"
    releases = tmp_path / "warehouse" / "releases"
    first = publish(build, published, releases)

    engine = create_reader_engine(published)
    count = sa.text("select count(*), current_database() from fct_observation")
    try:
        with engine.connect() as con:
            assert tuple(con.execute(count).one()) == (95, first.path.stem)

        with engine.connect() as before:  # a query running across the publish
            assert before.execute(count).one()[0] == 95
            with duckdb.connect(str(build)) as writer:
                writer.execute(
                    "delete from fct_observation where indicator_code = 'HPF_DEPOSITS_CUM'")
            second = publish(build, published, releases)
            assert second.path != first.path
            # The open connection keeps its consistent view of the old release ...
            assert before.execute(count).one()[0] == 95
            # ... and the next checkout opens the new one.
            with engine.connect() as after:
                assert tuple(after.execute(count).one()) == (94, second.path.stem)

        with engine.connect() as con:
            assert con.execute(sa.text(
                "select count(*) from fct_observation where indicator_code = 'HPF_DEPOSITS_CUM'"
            )).scalar_one() == 0
    finally:
        engine.dispose()
