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
        (4, "code", "duplicate key: the same value appears on an earlier row"),
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
