"""Curated sheets: good rows load, each bad row is listed with its reason."""

from __future__ import annotations

import pandas as pd

from pipelines.sheets import REGIONS, load_sheet
from tests.conftest import SEED_SHEETS

HEADER = "code,name_zh,name_pinyin,level,parent_code,aliases,code_source,notes\n"


def test_seed_region_sheet_loads_whole():
    frame, rejects = load_sheet(SEED_SHEETS, REGIONS)
    assert rejects == []
    assert len(frame) == 33
    city = frame[frame.code == "530600"].iloc[0]
    assert (city.name_zh, city.level, city.parent_code, city.row_number) == ("昭通市", "city", "530000", 3)
    assert city.aliases == "昭通|全市"


def test_each_bad_row_is_rejected_with_its_reason(tmp_path):
    (tmp_path / "regions.csv").write_bytes((HEADER
        + "530600,昭通市,Zhaotong Shi,city,,昭通,official,\n"
        + "530627,镇雄县,Zhenxiong Xian,county,530600,镇雄,official,\n"
        + "530627,镇雄县重复,Dup,county,530600,,official,\n"
        + "530628,彝良县,Yiliang Xian,prefecture,530600,,official,\n"
        + "530629,威信县,Weixin Xian,county,,,official,\n"
        + ",无代码,Nobody,county,530600,,own,\n").encode("gbk"))
    frame, rejects = load_sheet(tmp_path, REGIONS)
    assert list(frame.code) == ["530600", "530627"]
    assert [(r.row_number, r.column, r.reason.split(";")[0]) for r in rejects] == [
        (4, "code", "duplicate key: the same code appears on an earlier row"),
        (5, "level", "unknown level"),
        (6, "parent_code", "every region below a city needs a parent"),
        (7, "code", "key column is empty"),
    ]


def test_a_sheet_without_a_required_column_is_rejected_whole(tmp_path):
    (tmp_path / "regions.csv").write_text("code,name_zh\n530600,昭通市\n", encoding="utf-8")
    frame, rejects = load_sheet(tmp_path, REGIONS)
    assert frame.empty
    assert len(rejects) == 1 and rejects[0].row_number is None
    assert rejects[0].reason.startswith("missing required column(s): name_pinyin, level, parent_code")


def test_excel_and_csv_forms_load_the_same_rows(tmp_path):
    csv_frame, _ = load_sheet(SEED_SHEETS, REGIONS)
    pd.read_csv(SEED_SHEETS / "regions.csv", dtype=str, keep_default_na=False).to_excel(
        tmp_path / "regions.xlsx", index=False)
    xlsx_frame, rejects = load_sheet(tmp_path, REGIONS)
    assert rejects == []
    pd.testing.assert_frame_equal(csv_frame, xlsx_frame)


# --- indicators and observations, checked against each other and the documents -------------

from pipelines.sheets import load_sheets  # noqa: E402

DOC = "000.txt"
DOC_TEXT = "截至目前，全县累计回引8.12\n\n万人返乡创业就业，其中创业2.83万人。\n"
INDICATORS_CSV = """code,name_zh,name_en,topic,unit,measure_type,relation,related_code,keywords,notes
RETURNEES_CUM,累计回引返乡人员,Returnees attracted back (cumulative),returnees,人,stock,,,回引,
RETURNEE_ENTREPRENEURS_CUM,返乡创业人员,Returnee entrepreneurs (cumulative),entrepreneurship,人,stock,component_of,RETURNEES_CUM,创业,
BAD_RELATION,坏关系,Bad relation,returnees,人,stock,component_of,NO_SUCH_CODE,,
bad code,坏代码,Bad code,returnees,人,stock,,,,
"""
OBSERVATIONS_HEADER = "status,indicator_code,region_code,period,value,unit,qualifier,is_target,document,quote,notes\n"
GOOD = f"verified,RETURNEES_CUM,530627,../2025-11,81200,人,exact,false,{DOC},全县累计回引8.12万人返乡创业就业,\n"


def write_sheets(folder, observations: str, indicators: str = INDICATORS_CSV):
    (folder / "regions.csv").write_text(HEADER
        + "530600,昭通市,Zhaotong Shi,city,,昭通,official,\n"
        + "530627,镇雄县,Zhenxiong Xian,county,530600,镇雄,official,\n", encoding="utf-8")
    (folder / "documents.csv").write_text(
        "file,title,newspaper,publication_date,date_status,date_basis,authors,notes\n"
        f"{DOC},标题,昭通日报,2025-11,estimated,from the text,李明坤,\n", encoding="utf-8")
    (folder / "indicators.csv").write_text(indicators, encoding="utf-8")
    (folder / "observations.csv").write_text(OBSERVATIONS_HEADER + observations, encoding="gbk")


def test_each_kind_of_bad_observation_is_rejected_and_the_good_ones_load(tmp_path):
    write_sheets(tmp_path, GOOD
        + f"verified,NO_SUCH,530627,../2025-11,81200,人,exact,false,{DOC},全县累计回引8.12万人,\n"
        + f"verified,RETURNEE_ENTREPRENEURS_CUM,999999,../2025-11,28300,人,exact,false,{DOC},其中创业2.83万人,\n"
        + f"verified,RETURNEE_ENTREPRENEURS_CUM,530627,../2025-11,2.83万,人,exact,false,{DOC},其中创业2.83万人,\n"
        + f"verified,RETURNEE_ENTREPRENEURS_CUM,530627,../2025-11,28300,户,exact,false,{DOC},其中创业2.83万人,\n"
        + f"verified,RETURNEE_ENTREPRENEURS_CUM,530627,../2025-11,28300,人,exact,false,{DOC},其中创业2.38万人,\n"
        + f"verified,RETURNEE_ENTREPRENEURS_CUM,530627,../2025-11,28000,人,exact,false,{DOC},其中创业2.83万人,\n"
        + f"verified,RETURNEES_CUM,530627,../2025-11,81200,人,exact,false,{DOC},全县累计回引8.12万人,\n"
        + f"verified,RETURNEE_ENTREPRENEURS_CUM,530627,今年,28300,人,exact,false,{DOC},其中创业2.83万人,\n"
        + f"verified,RETURNEE_ENTREPRENEURS_CUM,530627,../2025-11,28300,人,exact,false,missing.txt,其中创业2.83万人,\n"
        + f"left_out,,,,28300,人,exact,false,{DOC},其中创业2.83万人,\n"
        + f"left_out,,,,28300,人,exact,false,{DOC},其中创业2.83万人,a component; the total is kept\n")
    frames, rejects = load_sheets(tmp_path, {DOC: DOC_TEXT})

    assert [(r.row_number, r.column, r.reason) for r in rejects if r.sheet == "indicators.csv"] == [
        (4, "related_code", "related indicator is not in this sheet"),
        (5, "code", "indicator code must be UPPER_SNAKE_CASE (letters, digits, _)")]
    reasons = {r.row_number: (r.column, r.value, r.reason)
               for r in rejects if r.sheet == "observations.csv"}
    assert reasons == {
        3: ("indicator_code", "NO_SUCH", "unknown indicator code (not in the indicator sheet)"),
        4: ("region_code", "999999", "unknown region code (not in the region sheet)"),
        5: ("value", "2.83万", "value is not a number in base units (write 8.12万 as 81200): '2.83万'"),
        6: ("unit", "户", "unit does not fit the indicator (expected 人)"),
        7: ("quote", "其中创业2.38万人", "quote is not found word for word in its document"),
        8: ("value", "28000", "the quote does not contain the stated value"),
        9: ("is_target", "false",
            "duplicate key: the same indicator_code + region_code + period + document + is_target "
            "appears on an earlier row"),
        10: ("period", "今年", "not a period: '今年' (expected e.g. 2023, 2024-H1, 2024-Q3, 2024-07, 2023-12-21)"),
        11: ("document", "missing.txt", "document is not a loaded file of the documents folder"),
        12: ("notes", "", "a statistic left out must say why in notes"),
    }
    observations = frames["observations"]
    assert list(observations.row_number) == [2, 13]
    assert list(observations.status) == ["verified", "left_out"]


def test_a_quote_repaired_across_a_page_break_is_found(tmp_path):
    write_sheets(tmp_path, GOOD)  # 8.12万人 is broken across columns in the raw text
    _, rejects = load_sheets(tmp_path, {DOC: DOC_TEXT})
    assert [r for r in rejects if r.sheet == "observations.csv"] == []


def test_an_observations_sheet_without_a_required_column_is_rejected_whole(tmp_path):
    write_sheets(tmp_path, "")
    (tmp_path / "observations.csv").write_text("status,value\nverified,1\n", encoding="utf-8")
    frames, rejects = load_sheets(tmp_path, {DOC: DOC_TEXT})
    assert frames["observations"].empty
    [reject] = [r for r in rejects if r.sheet == "observations.csv"]
    assert reject.reason.startswith("missing required column(s): indicator_code, region_code, period")
    assert len(frames["indicators"]) == 2  # the other sheets still load


def test_every_seed_sheet_loads_the_same_from_csv_and_from_excel(tmp_path):
    from pipelines.documents import scan_documents

    texts = {d.path: d.text for d in scan_documents(SEED_SHEETS.parent / "documents").documents}
    from_csv, csv_rejects = load_sheets(SEED_SHEETS, texts)
    for name in from_csv:
        pd.read_csv(SEED_SHEETS / f"{name}.csv", dtype=str, keep_default_na=False).to_excel(
            tmp_path / f"{name}.xlsx", index=False)
    from_excel, excel_rejects = load_sheets(tmp_path, texts)
    assert csv_rejects == [] and excel_rejects == []
    for name, frame in from_csv.items():
        pd.testing.assert_frame_equal(frame, from_excel[name])
    assert {name: len(frame) for name, frame in from_csv.items()} == {
        "regions": 33, "documents": 4, "indicators": 82, "observations": 139}


def test_a_registry_date_must_be_written_in_full(tmp_path):
    write_sheets(tmp_path, "")
    (tmp_path / "documents.csv").write_text(
        "file,title,newspaper,publication_date,date_status,date_basis,authors,notes\n"
        f"{DOC},标题,昭通日报,2025-1,known,,李明坤,\n", encoding="utf-8")
    _, rejects = load_sheets(tmp_path, {DOC: DOC_TEXT})
    [reject] = [r for r in rejects if r.sheet == "documents.csv"]
    assert (reject.column, reject.reason) == (
        "publication_date", "not a date (YYYY, YYYY-MM or YYYY-MM-DD): '2025-1'")


def test_an_indicator_range_must_be_two_numbers_in_order(tmp_path):
    from pipelines.sheets import INDICATORS

    (tmp_path / "indicators.csv").write_text(
        "code,name_zh,name_en,topic,unit,measure_type,plausible_min,plausible_max\n"
        "INCOME,人均收入,Income per head,poverty_income,元,flow,1000,\"200,000\"\n"
        "RATE,就业率,Employment rate,employment,%,share,,\n"
        "BACKWARDS,人数,People,employment,人,stock,500,100\n"
        "WORDS,人数,People,employment,人,stock,0,五百万\n", encoding="utf-8")
    frame, rejects = load_sheet(tmp_path, INDICATORS)
    assert list(frame.code) == ["INCOME", "RATE"]
    assert frame.plausible_max.iloc[0] == "200,000"  # cast by the staging model
    assert [(r.row_number, r.column, r.reason) for r in rejects] == [
        (4, "plausible_max", "plausible_max is below plausible_min"),
        (5, "plausible_max", "value is not a number in base units (write 8.12万 as 81200): '五百万'"),
    ]
