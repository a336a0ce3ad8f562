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
