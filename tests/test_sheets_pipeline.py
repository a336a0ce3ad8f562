"""Issue 5 through the pipeline: the seed sheets, their rejects and the reconciliation."""

from __future__ import annotations

import json

from pipelines.warehouse import connect_published
from tests.conftest import SEED_DOCUMENTS

GOLD = SEED_DOCUMENTS.parent.parent / "tests" / "annotations" / "seed_mentions.jsonl"


def query(settings, sql: str):
    with connect_published(settings.published_db) as con:
        return con.execute(sql).fetchall()


def test_every_statistic_of_the_seeds_is_an_observation_or_left_out_with_a_reason(seeded):
    workspace, _ = seeded
    rows = query(workspace.settings, """
        select o.observation_status, o.file_path, o.quote, o.value, o.unit, r.notes
        from observation_reconciliation o
        join staging.stg_sheets__observations r using (observation_id)""")
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    unmatched = list(rows)
    for g in gold:
        match = next((r for r in unmatched if r[1] == g["doc"] and r[2] in g["sentence"]
                      and g["text"] in r[2] and abs(r[3] - g["value"]) < 1e-6), None)
        assert match is not None, f"no observation for {g['text']} in {g['sentence'][:40]}"
        unmatched.remove(match)
    assert unmatched == []
    assert all(notes for status, *_, notes in rows if status == "left_out")
    statuses = {status for status, *_ in rows}
    assert statuses == {"verified", "left_out"}


def test_the_curated_returnee_figure_agrees_with_the_extracted_mention(seeded):
    workspace, _ = seeded
    assert query(workspace.settings, """
        select indicator_code, region_code, period_label, value, mention_text,
               reconciliation_status, disagreements
        from observation_reconciliation where quote = '全县累计回引8.12万人返乡创业就业'""") == [
        ("RETURNEE_ENTREPRENEURS_EMPLOYED_CUM", "530627", "../2025-11", 81200.0, "8.12万人",
         "agrees", [])]


def test_bad_sheet_rows_are_listed_and_the_good_ones_still_load(workspace):
    observations = workspace.settings.sheets_dir / "observations.csv"
    text = observations.read_text(encoding="utf-8")
    # A figure mistyped in the sheet: 48万 (480000) entered as 490000.
    header, first, *rest = text.splitlines()
    assert ",480000," in first
    observations.write_text("\n".join([header, first.replace(",480000,", ",490000,"), *rest]) + "\n",
                            encoding="utf-8")

    summary = workspace.refresh()

    assert summary.success, summary.failures
    [(sheet, row_number, reason)] = query(workspace.settings,
                                          "select sheet, row_number, reason from sheet_rejects")
    assert (sheet, row_number, reason) == (
        "observations.csv", 2, "the quote does not contain the stated value")
    assert query(workspace.settings, "select count(*) from observation_reconciliation") == [(138,)]


def test_sheets_are_checked_again_only_when_they_or_the_documents_they_quote_change(workspace):
    """A 100k-row registry takes seconds to check: unchanged sheets, code and quoted
    documents are not checked again, and their tables keep their rows and validation time."""
    import dagster as dg
    import duckdb

    settings = workspace.settings
    instance = dg.DagsterInstance.ephemeral()

    def checked_again(summary) -> bool:
        event = instance.get_latest_materialization_event(dg.AssetKey(["raw", "sheet_regions"]))
        assert event.run_id == summary.run_id
        return not event.asset_materialization.metadata["unchanged_since_last_check"].value

    def validated_at():  # the build database: only the pipeline writes it, a test may read it
        with duckdb.connect(str(settings.build_db), read_only=True) as con:
            return con.execute("select max(loaded_at), count(*) from raw.sheet_regions").fetchone()

    def rejects():
        return query(settings, "select sheet, row_number, reason from sheet_rejects "
                               "where sheet = 'observations.csv' order by row_number")

    assert checked_again(workspace.refresh(instance))
    first, first_rejects = validated_at(), rejects()
    assert not checked_again(workspace.refresh(instance))
    assert validated_at() == first

    # A new article no observation quotes yet: nothing the check read has changed.
    (settings.documents_dir / "new.txt").write_text(
        "昭通新闻\n\n记者 王明\n\n2024年，昭阳区新增就业1200人。\n", encoding="utf-8")
    assert not checked_again(workspace.refresh(instance))
    assert validated_at() == first and rejects() == first_rejects

    # A quoted document gone: every observation quoting it is rejected, with the reason.
    quoted = settings.documents_dir / "002_c24e9d97611dbda4.txt"
    text = quoted.read_bytes()
    quoted.unlink()
    assert checked_again(workspace.refresh(instance))
    gone = [r for r in rejects() if r not in first_rejects]
    assert len(gone) == sum(1 for line in (settings.sheets_dir / "observations.csv").read_text(
        encoding="utf-8").splitlines() if ",002_c24e9d97611dbda4.txt," in line)
    assert {reason for _, _, reason in gone} == {"document is not a loaded file of the documents folder"}
    # Back as it was: the observations load again.
    quoted.write_bytes(text)
    assert checked_again(workspace.refresh(instance))
    assert rejects() == first_rejects
    # Its text changed where an observation quotes it: that quote is rejected.
    changed = text.decode("utf-8").replace("15465", "15466")
    assert changed != text.decode("utf-8")
    quoted.write_text(changed, encoding="utf-8")
    assert checked_again(workspace.refresh(instance))
    new_rejects = [reject for reject in rejects() if reject not in first_rejects]
    assert len(new_rejects) == 2  # the two observations quoting 15465
    assert {reason for _, _, reason in new_rejects} == {
        "quote is not found word for word in its document"}
    quoted.write_bytes(text)
    # A changed sheet: a region renamed is in the marts after the next refresh.
    regions = settings.sheets_dir / "regions.csv"
    regions.write_text(regions.read_text(encoding="utf-8").replace(",昭阳区,", ",昭阳区新,", 1),
                       encoding="utf-8")
    assert checked_again(workspace.refresh(instance))
    with connect_published(settings.published_db) as con:
        assert con.execute("select name_zh from dim_region where region_code = '530602'"
                           ).fetchone() == ("昭阳区新",)
