"""Corrupting the data in a copy of the build makes the right data test or contract fail.

Each case changes raw rows of a copy of the seeded build database, the way a faulty
extractor or a slip in a sheet would (a document's rows written again carry a new
loaded_at, so that the tables built by document rebuild it), and runs the refresh's own
`dbt build` on it, scoped as a refresh scopes it: the data tests of the tables built by
document cover the documents loaded since the last build (macros/get_where_subquery.sql),
here the corrupted one. Data tests fail as tests; row rules enforced by the marts'
contracts (not null, check constraints) fail the model as it is built. Either way the
build fails and nothing would be published.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import duckdb
import pytest

from pipelines.dbt_project import DBT_EXECUTABLE, ENV_TESTED_SINCE, dbt_build_args
from pipelines.settings import DBT_PROJECT_DIR

FIRST_MENTION = "rowid = (select min(rowid) from raw.mentions)"

CORRUPTIONS = {
    "a sentence that ends where it starts": (
        "update raw.sentences set end_offset = start_offset, loaded_at = now() "
        "where rowid = (select min(rowid) from raw.sentences)",
        ["Runtime Error in model dim_sentence", "CHECK constraint failed"]),
    "a sentence whose offsets cut other text out of its document": (
        "update raw.sentences set pieces = list_transform(pieces, lambda p: [p[1] + 1, p[2] + 1]), "
        "loaded_at = now() where rowid = (select min(rowid) from raw.sentences)",
        ["Failure in test assert_sentence_offsets_find_the_text_again"]),
    "a range whose ends are swapped": (
        f"update raw.mentions set value_low = 10, value_high = 5, loaded_at = now() where {FIRST_MENTION}",
        ["Runtime Error in model fct_mention", "CHECK constraint failed"]),
    "a figure its sentence does not contain": (
        f"update raw.mentions set text = '98765', loaded_at = now() where {FIRST_MENTION}",
        ["Failure in test fct_mention_sentence_contains_the_figure"]),
    "a place that is not in the region dimension": (
        f"update raw.mentions set place_code = '999999', loaded_at = now() where {FIRST_MENTION}",
        ["Failure in test relationships_fct_mention_region_code"]),
    "an income a hundred times too large": (
        "update raw.sheet_observations set value = '1546500' "
        "where indicator_code = 'POVERTY_ALLEVIATED_INCOME_PER_CAPITA' and value = '15465'",
        ["Failure in test assert_curated_observations_in_plausible_ranges"]),
    "a region without its Chinese name": (
        "update raw.sheet_regions set name_zh = null where code = '530621'",
        ["Runtime Error in model dim_region", "NOT NULL constraint failed"]),
    "a sentence counted twice": (
        "insert into raw.sentences select * replace (now() as loaded_at) from raw.sentences "
        "where rowid = (select min(rowid) from raw.sentences)",
        ["Failure in test unique_dim_sentence_sentence_id"]),
    "a document counted twice": (
        "insert into raw.documents select * replace (now() as loaded_at) from raw.documents "
        "where rowid = (select min(rowid) from raw.documents)",
        ["Failure in test unique_dim_document_document_id"]),
}


def _dbt_build(database, target, tested_since: str | None) -> subprocess.CompletedProcess:
    """The refresh's dbt build; `tested_since` as the refresh passes it (None: every row)."""
    env = {k: v for k, v in os.environ.items() if k != ENV_TESTED_SINCE}
    if tested_since:
        env[ENV_TESTED_SINCE] = tested_since
    return subprocess.run(
        [DBT_EXECUTABLE, *dbt_build_args(database), "--profiles-dir", ".", "--target-path",
         str(target)], cwd=DBT_PROJECT_DIR, capture_output=True, text=True, env=env)


@pytest.mark.parametrize("corruption", CORRUPTIONS)
def test_corrupted_data_fails_the_right_check(seeded, tmp_path, corruption):
    workspace, _ = seeded
    database = tmp_path / "build.duckdb"
    shutil.copyfile(workspace.settings.build_db, database)
    statement, expected = CORRUPTIONS[corruption]
    with duckdb.connect(str(database)) as con:
        before_corruption = con.execute("select now()::varchar").fetchone()[0]
        assert con.execute(statement).fetchall() != [(0,)], "the corruption changed nothing"
    completed = _dbt_build(database, tmp_path / "target", tested_since=before_corruption)
    assert completed.returncode != 0, completed.stdout
    for fragment in expected:
        assert fragment in completed.stdout, completed.stdout


def test_a_refresh_tests_the_documents_it_built_and_a_full_test_every_row(seeded, tmp_path):
    """What the scope means: a row of a document no refresh loaded again is not tested
    again. A duplicate written straight into the mart (no raw row changes, so no build
    rewrites that document) passes the refresh's scoped tests, and fails the same build
    testing every row, as a full rebuild or a first build does."""
    workspace, _ = seeded
    database = tmp_path / "build.duckdb"
    shutil.copyfile(workspace.settings.build_db, database)
    with duckdb.connect(str(database)) as con:
        since = con.execute("select (now() + interval 1 second)::varchar").fetchone()[0]
        con.execute("insert into main.dim_sentence select * from main.dim_sentence "
                    "where rowid = (select min(rowid) from main.dim_sentence)")
    scoped = _dbt_build(database, tmp_path / "scoped", tested_since=since)
    assert scoped.returncode == 0, scoped.stdout
    every_row = _dbt_build(database, tmp_path / "every-row", tested_since=None)
    assert every_row.returncode != 0
    assert "Failure in test unique_dim_sentence_sentence_id" in every_row.stdout, every_row.stdout
