"""Issue 10 (reliability): bad input of every kind, through the real pipeline.

Each bad document ends in a `document_ledger` row and each bad sheet row (or whole sheet)
in a `sheet_rejects` row, with a reason a person understands; every good file and row
beside them still loads, and the seeds' figures are all still there. The boundaries: a
symlink leading out of the documents folder is never read, and sheet values reach SQL only
as data (text that looks like SQL is stored verbatim, and every table is still there).

A refresh takes some fifteen seconds, so the bad inputs are batched: one refresh holds a
few dozen bad files and rows side by side with the seeds; a second one has every sheet
unreadable in a different way.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from pipelines import sheets
from pipelines.documents import scan_documents
from pipelines.settings import DEFAULT_MAX_DOCUMENT_BYTES
from pipelines.warehouse import connect_published
from tests.conftest import SEED_SHEETS, make_workspace

SEED_000 = "000_e7477d3aa7d3b9e2.txt"
SEED_002 = "002_c24e9d97611dbda4.txt"
SQL_DROP = "'); drop table raw.documents; --"
SQL_OR = "x' or '1'='1"
SECRET = "OUTSIDE-7f3a 外部机密文件，不应入库"
SECRET_IN_FOLDER = "OUTSIDE-9c1d 外部目录里的机密"
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

# Short articles, each a distinct text (two files with one text are one document).
WEIXIN = "# 威信县职工技能提升培训\n\n记者 王明\n\n2024年，威信县完成职工技能提升培训3215人。\n"
WEIXIN_QUOTE = "威信县完成职工技能提升培训3215人"
YILIANG_HEADLINE_ONLY = "# 彝良县召开就业工作会议\n"
SUIJIANG = "# 绥江县返乡创业\n\n通讯员 李华\n\n今年以来，绥江县新增返乡创业312人。\n"
LUDIAN = "# 鲁甸县劳务输出\n\n记者 张三\n\n鲁甸县组织劳务输出1.2万人次。\n"
DAGUAN = "# 大关县筇竹产业\n\n记者 赵四\n\n大关县筇竹种植面积达到50万亩。\n"
SHUIFU = "# 水富市港口物流\n\n记者 钱五\n\n水富港完成货物吞吐量300万吨。\n"

EMPTY_REASON = "empty: the file has no bytes"
BLANK_REASON = "empty: the file holds only white space"
FORMULA = "a spreadsheet formula, not a value (the cell starts with =): write the value itself"
NOT_A_NUMBER = "value is not a number in base units (write 8.12万 as 81200): {!r}"
NOT_A_DATE = "not a date (YYYY, YYYY-MM or YYYY-MM-DD): {!r}"
NO_HEADER = ("a value in column {}, which has no name in the header row; row not loaded "
             "(a comma inside a cell that is not in quotes?)")


def query(settings, sql: str, params=None) -> list[tuple]:
    with connect_published(settings.published_db) as con:
        return con.execute(sql, params or []).fetchall()


def tables_holding(db: Path, text: str) -> list[str]:
    """Every table of the database with a row that holds `text` in any column."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = con.execute("select schema_name, table_name from duckdb_tables()").fetchall()
        return [f"{schema}.{table}" for schema, table in tables if con.execute(
            f'select count(*) from "{schema}"."{table}" as t where contains(cast(t as varchar), ?)',
            [text]).fetchone()[0]]


def csv_rows(*rows: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def records(path: Path) -> int:
    """Records in a CSV file, the header included: the number of its last row."""
    return len(list(csv.reader(io.StringIO(path.read_text(encoding="utf-8")))))


@dataclass
class World:
    workspace: object
    summary: object
    ledger: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # path: (status, reason)
    rejects: set[tuple] = field(default_factory=set)  # (sheet, row, column, value, reason)
    good_rows: dict[str, set[int]] = field(default_factory=dict)  # sheet: row numbers that must load

    @property
    def settings(self):
        return self.workspace.settings


# --- one refresh: bad documents and bad sheet rows beside the seeds ---------------------------

def _bad_documents(world: World, root: Path) -> None:
    docs = world.settings.documents_dir
    expect = world.ledger
    expect[SEED_000] = expect[SEED_002] = ("loaded", None)

    (docs / "empty.md").write_bytes(b"")
    expect["empty.md"] = ("rejected", EMPTY_REASON)
    (docs / "全角空格.txt").write_bytes("\u3000\u3000\n \t\r\n".encode())
    expect["全角空格.txt"] = ("rejected", BLANK_REASON)
    (docs / "bom_only.txt").write_bytes(codecs.BOM_UTF8)
    expect["bom_only.txt"] = ("rejected", BLANK_REASON)
    (docs / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    expect["photo.txt"] = ("rejected", "binary: NUL byte at byte 8 (not a text file)")
    nul_at = len(LUDIAN.encode()) // 2
    (docs / "nul_inside.txt").write_bytes(LUDIAN.encode()[:nul_at] + b"\x00" + LUDIAN.encode()[nul_at:])
    expect["nul_inside.txt"] = ("rejected", f"binary: NUL byte at byte {nul_at} (not a text file)")
    (docs / "terminal_colours.txt").write_bytes("昭通\x1b[31m红色\n".encode())
    expect["terminal_colours.txt"] = (
        "rejected", "binary: control character U+001B at character 2 (not a text file)")
    (docs / "latin1.txt").write_bytes("Zhaotong café résumé\n".encode("latin-1"))
    expect["latin1.txt"] = ("rejected", "not decodable: not UTF-8 (byte 12) and not GB18030 (byte 12)")
    cut = DAGUAN.rstrip("\n").encode()[:-1]  # the last 。 cut in half
    (docs / "cut_utf8.txt").write_bytes(cut)
    expect["cut_utf8.txt"] = ("rejected", (
        f"not decodable: the file ends in the middle of a UTF-8 character (byte {len(cut) - 2}); "
        f"it was cut off, perhaps while being copied"))
    cut = DAGUAN.rstrip("\n").encode("gbk")[:-1]
    (docs / "cut_gbk.txt").write_bytes(cut)
    expect["cut_gbk.txt"] = ("rejected", (
        f"not decodable: GBK text that ends in the middle of a character (byte {len(cut) - 1}); "
        f"it was cut off, perhaps while being copied"))
    (docs / "utf16_no_bom.txt").write_bytes(SHUIFU.encode("utf-16-le"))
    expect["utf16_no_bom.txt"] = ("rejected", "not decodable: UTF-16 (little-endian) without a "
                                              "byte order mark; save it as UTF-8 (or as UTF-16 "
                                              "with a byte order mark)")
    with open(docs / "huge.txt", "wb") as handle:  # sparse: one byte over the limit, no disk used
        handle.truncate(DEFAULT_MAX_DOCUMENT_BYTES + 1)
    expect["huge.txt"] = ("rejected", f"larger than the configured limit "
                                      f"({DEFAULT_MAX_DOCUMENT_BYTES + 1} bytes > "
                                      f"{DEFAULT_MAX_DOCUMENT_BYTES} bytes)")
    (docs / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    expect["scan.pdf"] = ("rejected", "unsupported file type '.pdf': only .txt and .md are read")
    (docs / "README").write_text(SUIJIANG, encoding="utf-8")
    expect["README"] = ("rejected", "unsupported file type '(none)': only .txt and .md are read")
    os.mkfifo(docs / "pipe.txt")  # reading it would wait for a writer for ever
    expect["pipe.txt"] = ("rejected", "not a regular file (a named pipe, socket or device); not read")
    (docs / f"{SQL_DROP}.txt").write_bytes(b"\x00\x01")
    expect[f"{SQL_DROP}.txt"] = ("rejected", "binary: NUL byte at byte 0 (not a text file)")

    # A folder named like a document: listed, and the file inside it read on its own.
    (docs / "folder.txt").mkdir()
    (docs / "folder.txt" / "inside.txt").write_text(SUIJIANG, encoding="utf-8")
    expect["folder.txt"] = ("rejected", "a folder named like a document, not a file: not read "
                                        "as one (the files inside it, if any, are listed on their own)")

    # Good files with odd names, and one text under two names and two encodings.
    (docs / "威信 技能 培训 (二).txt").write_text(WEIXIN, encoding="utf-8")
    expect["威信 技能 培训 (二).txt"] = ("loaded", None)
    (docs / "威信 技能 培训 (二)_副本.md").write_bytes(WEIXIN.replace("\n", "\r\n").encode("gbk"))
    expect["威信 技能 培训 (二)_副本.md"] = ("duplicate", "same text as 威信 技能 培训 (二).txt")
    (docs / "只有标题.md").write_text(YILIANG_HEADLINE_ONLY, encoding="utf-8")
    expect["只有标题.md"] = ("loaded", None)
    (docs / "NOTES.TXT").write_text(LUDIAN, encoding="utf-8")
    expect["NOTES.TXT"] = ("loaded", None)
    # A name that is not UTF-8 (GBK bytes for 昭通, as a Windows zip leaves them): kept with
    # \x escapes for the bytes that are not UTF-8 (\xcd\xa8 happens to be, as U+0368).
    (docs / os.fsdecode("昭通.txt".encode("gbk"))).write_text(DAGUAN, encoding="utf-8")
    expect["\\xd5\\xd1\u0368.txt"] = ("loaded", None)
    (docs / f"{SQL_OR}.txt").write_text(SHUIFU, encoding="utf-8")
    expect[f"{SQL_OR}.txt"] = ("loaded", None)

    # Symlinks: out of the folder (never read), in circles, nowhere, and within the folder.
    outside = root / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.txt").write_text(f"# 外部\n\n{SECRET}。\n", encoding="utf-8")
    (outside / "folder" / "secret.txt").write_text(f"# 外部\n\n{SECRET_IN_FOLDER}。\n", encoding="utf-8")
    os.symlink(outside / "secret.txt", docs / "leak.txt")
    os.symlink("../outside/secret.txt", docs / "leak relative.md")
    os.symlink(outside / "folder", docs / "leak_folder")
    os.symlink(outside / "folder", docs / "leak_folder.txt")
    for name in ("leak.txt", "leak relative.md"):
        expect[name] = ("rejected", "symlink to a file outside the documents folder; not read")
    for name in ("leak_folder", "leak_folder.txt"):
        expect[name] = ("rejected", "symlink to a folder outside the documents folder; not read")
    os.symlink("loop.txt", docs / "loop.txt")
    os.symlink("pong.txt", docs / "ping.txt")
    os.symlink("ping.txt", docs / "pong.txt")
    for name in ("loop.txt", "ping.txt", "pong.txt"):
        expect[name] = ("rejected", "symlink loop: following it leads back to itself, never to "
                                    "a file; not read")
    os.symlink("nowhere.txt", docs / "dangling.txt")
    expect["dangling.txt"] = ("rejected", "broken symlink: its target cannot be reached "
                                          "(No such file or directory); not read")
    os.symlink("folder.txt/inside.txt", docs / "shortcut.txt")  # read: it stays inside
    expect["shortcut.txt"] = ("loaded", None)
    expect["folder.txt/inside.txt"] = ("duplicate", "same text as shortcut.txt")
    os.symlink("folder.txt", docs / "shortcut_folder")
    expect["shortcut_folder"] = ("rejected", "symlink to a folder inside the documents folder; "
                                             "not followed (its files are listed where they are)")

    if not AS_ROOT:  # root reads any file, whatever its mode
        (docs / "locked.txt").write_text(LUDIAN + "锁住。\n", encoding="utf-8")
        (docs / "locked.txt").chmod(0)
        expect["locked.txt"] = ("rejected", "cannot be read: Permission denied")
        (docs / "locked_folder").mkdir()
        (docs / "locked_folder" / "a.txt").write_text(SUIJIANG + "锁住。\n", encoding="utf-8")
        (docs / "locked_folder").chmod(0)
        expect["locked_folder"] = ("rejected", "folder cannot be listed: Permission denied; "
                                               "the files in it were not read")


def _bad_sheet_rows(world: World) -> None:
    folder = world.settings.sheets_dir
    expect = world.rejects

    # regions: an extra column, a blank line (row numbers must not drift), bad rows, a good one.
    path = folder / "regions.csv"
    header, *rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    path.write_text(csv_rows([*header, "reviewed_by"], *[[*row, "杨明"] for row in rows]),
                    encoding="utf-8")
    expect.add(("regions.csv", None, "reviewed_by", None, "column(s) not part of the regions "
                "sheet, ignored: reviewed_by; the rows were loaded without them"))
    first = records(path) + 2  # after one blank line
    bad = [
        ([SQL_DROP, "注入", "Zhuru", "village", "530602", "", "own", "", ""], "code",
         "region code must be letters, digits or _ (an official code or our own)"),
        (["530602_link", '=HYPERLINK("http://example.com","昭通")', "Lianjie", "village", "530602",
          "", "own", "", ""], "name_zh", FORMULA),
        (["530600", "昭通市重复", "Zhaotong", "city", "530000", "", "official", "", ""], "code",
         "duplicate key: the same code appears on an earlier row"),
        (["530602_na", "不适用", "Bushiyong", "N/A", "530602", "", "own", "", ""], "level",
         "unknown level; expected one of province, city, county, township, village, community, place"),
        (["530602_orphan", "孤儿村", "Guer", "village", "999999", "", "own", "", ""], "parent_code",
         "parent code is not a region in this sheet"),
        (["", "无代码", "Wudaima", "village", "530602", "", "own", "", ""], "code", "key column is empty"),
    ]
    good = ["530602_sqltest", "测试社区", "Ceshi Shequ", "community", "530602", "", "own", SQL_DROP, ""]
    ragged = ["530602_ragged", "多一格", "Duoyige", "village", "530602", "", "own", "", "", "stray"]
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("\n" + csv_rows(*[row for row, _, _ in bad], good, ragged))
    for n, (row, column, reason) in enumerate(bad):
        value = row[header.index(column)]
        expect.add(("regions.csv", first + n, column, value, reason))
    world.good_rows["regions"] = {*range(2, first - 1), first + len(bad)}
    expect.add(("regions.csv", first + len(bad) + 1, None, "stray", NO_HEADER.format(10)))

    # documents (the registry): dates that do not parse, a duplicate, a good row with SQL text.
    path = folder / "documents.csv"
    first = records(path) + 1
    dates = ["2024-02-30", "昨天", "２０２４-０５", "2024/05/06", "N/A"]
    bad = [[f"bad_{i}.txt", f"坏日期{i}", "昭通日报", d, "known", "", "", ""] for i, d in enumerate(dates)]
    bad += [["bad_status.txt", "无状态", "昭通日报", "2024-05-06", "", "", "", ""],
            [SEED_002, "脱贫群众持续增收的“昭通答卷”", "昭通日报", "2024-01", "known", "", "", ""],
            ["bad_title.txt", "", "昭通日报", "2024-05-06", "known", "", "", ""]]
    reasons = ([("publication_date", "not a calendar date: '2024-02-30' (day is out of range for month)")]
               + [("publication_date", NOT_A_DATE.format(d)) for d in dates[1:]]
               + [("date_status", "expected one of known, estimated"),
                  ("title", "duplicate key: the same file + title appears on an earlier row"),
                  ("title", "key column is empty")])
    good = ["威信 技能 培训 (二).txt", SQL_OR, "昭通日报", "2024-05-06", "known", "", "王明", SQL_DROP]
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(csv_rows(*bad, good))
    header = sheets.DOCUMENTS.columns
    for n, (row, (column, reason)) in enumerate(zip(bad, reasons)):
        expect.add(("documents.csv", first + n, column, row[header.index(column)], reason))
    world.good_rows["documents"] = {*range(2, first), first + len(bad)}

    # indicators: numbers that are words, a full-width number DuckDB cannot cast, formulas.
    path = folder / "indicators.csv"
    first = records(path) + 1

    def indicator(code="NEW_INDICATOR", name_en="New indicator", topic="population", relation="",
                  related="", low="", high="", notes=""):
        return [code, "新指标", name_en, topic, "个", "count", relation, related, low, high, "", notes]
    bad = [
        (indicator("WORDS_MAX", high="一万"), "plausible_max", NOT_A_NUMBER.format("一万")),
        (indicator("NA_MIN", low="N/A"), "plausible_min", NOT_A_NUMBER.format("N/A")),
        (indicator("FULLWIDTH_MAX", high="１０００"), "plausible_max", NOT_A_NUMBER.format("１０００")),
        (indicator("RURAL_LABOUR_FORCE"), "code", "duplicate key: the same code appears on an earlier row"),
        (indicator("ORPHAN_PART", relation="component_of", related="NO_SUCH_INDICATOR"), "related_code",
         "related indicator is not in this sheet"),
        (indicator("FORMULA_NAME", name_en="=1+1"), "name_en", FORMULA),
        (indicator(SQL_OR), "code", "indicator code must be UPPER_SNAKE_CASE (letters, digits, _)"),
        (indicator("NO_TOPIC", topic=""), "topic", f"unknown topic; expected one of {', '.join(sheets.TOPICS)}"),
    ]
    good = indicator("SQL_TEXT_IN_NOTES", notes=SQL_OR)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(csv_rows(*[row for row, _, _ in bad], good))
    for n, (row, column, reason) in enumerate(bad):
        expect.add(("indicators.csv", first + n, column, row[sheets.INDICATORS.columns.index(column)], reason))
    world.good_rows["indicators"] = {*range(2, first), first + len(bad)}

    # observations: every kind of wrong value, period and code, SQL text, a formula, a ragged row.
    path = folder / "observations.csv"
    header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    first = records(path) + 1
    quote = "脱贫人口和“三类对象”人均纯收入15465元"

    def obs(status="verified", indicator_code="POVERTY_ALLEVIATED_INCOME_PER_CAPITA",
            region="530600", period="2023", value="15465", quote=quote, notes=""):
        return [status, indicator_code, region, period, value, "元", "exact", "false", SEED_002,
                quote, notes]
    bad = [
        (obs(value="一万"), "value", NOT_A_NUMBER.format("一万")),
        (obs(value="N/A"), "value", NOT_A_NUMBER.format("N/A")),
        (obs(value=""), "value", "value is empty"),
        (obs(value="=1+1"), "value", FORMULA),
        (obs(value="１５４６５"), "value", NOT_A_NUMBER.format("１５４６５")),
        (obs(period="2023-13"), "period", "not a period: '2023-13' (month 13)"),
        (obs(period="２０２３"), "period", "not a period: '２０２３' (expected e.g. 2023, 2024-H1, "
                                          "2024-Q3, 2024-07, 2023-12-21)"),
        (obs(period="2024-02-30"), "period", "not a period: '2024-02-30' (day is out of range for month)"),
        (obs(indicator_code="NO_SUCH_INDICATOR"), "indicator_code",
         "unknown indicator code (not in the indicator sheet)"),
        (obs(region="999999"), "region_code", "unknown region code (not in the region sheet)"),
        (obs(), "is_target", "duplicate key: the same indicator_code + region_code + period + "
                             "document + is_target appears on an earlier row"),
        (obs(quote=SQL_OR), "quote", "quote is not found word for word in its document"),
        (obs(indicator_code=SQL_DROP), "indicator_code", "unknown indicator code (not in the indicator sheet)"),
        (obs(notes='=HYPERLINK("http://example.com","详情")'), "notes", FORMULA),
        (obs(status="Verified"), "status", "expected one of verified, left_out"),
        ([*obs()[:8], "威信 技能 培训 (二)_副本.md", WEIXIN_QUOTE, ""], "document",
         "document is not loaded: it holds the same text as 威信 技能 培训 (二).txt, the file that "
         "is loaded; name that one"),
        ([*obs()[:8], "cut_utf8.txt", "大关县", ""], "document", (
            "document is not loaded: the file was rejected (" + world.ledger["cut_utf8.txt"][1] + ")")),
    ]
    good = ["verified", "SKILLS_TRAINING_PARTICIPANTS", "530629", "2024", "3215", "人", "exact",
            "false", "威信 技能 培训 (二).txt", WEIXIN_QUOTE, SQL_DROP]
    ragged = [*obs(period="2022"), "stray"]
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(csv_rows(*[row for row, _, _ in bad], good, ragged))
    for n, (row, column, reason) in enumerate(bad):
        expect.add(("observations.csv", first + n, column, row[header.index(column)], reason))
    world.good_rows["observations"] = {*range(2, first), first + len(bad)}
    expect.add(("observations.csv", first + len(bad) + 1, None, "stray", NO_HEADER.format(12)))

    # Two files for one sheet, and a sheet under a name the loader does not know.
    pd.DataFrame({"status": ["verified"]}).to_excel(folder / "observations.xlsx", index=False)
    expect.add(("observations.xlsx", None, None, None, "not read: observations.csv holds the "
                "observations sheet too and is the one read; keep only one of them"))
    shutil.copy(folder / "observations.csv", folder / "observation.csv")
    expect.add(("observation.csv", None, None, None, "not a sheet Wumeng reads (expected regions, "
                "documents, indicators or observations, as .csv or .xlsx); not loaded"))


@pytest.fixture(scope="module")
def bad_world(tmp_path_factory, reliability) -> World:
    root = tmp_path_factory.mktemp("bad_world")
    world = World(make_workspace(root), None)
    _bad_documents(world, root)
    _bad_sheet_rows(world)
    reliability.bad_inputs_tried += (
        sum(status != "loaded" for status, _ in world.ledger.values()) + len(world.rejects))
    try:
        world.summary = world.workspace.refresh()
    finally:
        for locked in ("locked.txt", "locked_folder"):  # so that the folder can be removed
            if (world.settings.documents_dir / locked).exists():
                (world.settings.documents_dir / locked).chmod(0o755)
    return world


def test_the_refresh_with_bad_input_beside_the_seeds_publishes(bad_world):
    assert bad_world.summary.success, bad_world.summary.failures
    assert bad_world.summary.checks_failed == []


def test_every_bad_document_has_its_ledger_row_and_reason(bad_world, reliability):
    settings = bad_world.settings
    ledger = {path: (status, reason) for path, status, reason in query(
        settings, "select file_path, status, reason from document_ledger")}
    # Good files: each in the ledger as loaded (or as a duplicate of one), and its words in
    # the sentences of a document that is not a seed.
    good = {path: status for path, (status, _) in bad_world.ledger.items() if status != "rejected"}
    texts = [WEIXIN, YILIANG_HEADLINE_ONLY, LUDIAN, DAGUAN, SHUIFU, SUIJIANG]
    found = [t for t in texts if query(settings, """
        select count(*) from dim_sentence s join dim_document d using (document_id)
        where d.file_path not in (?, ?) and contains(?, s.sentence_text)""",
        [SEED_000, SEED_002, t])[0][0]]
    documents = {path for (path,) in query(settings, "select file_path from dim_document")}
    lost = (sum(ledger.get(path, ("missing",))[0] != status for path, status in good.items())
            + len(set(texts) - set(found))
            + len({path for path, status in good.items() if status == "loaded"} - documents))
    reliability.data_lost += lost
    assert lost == 0
    assert ledger == bad_world.ledger
    assert query(settings, "select headline, byline from dim_article a join dim_document d "
                           "using (document_id) where d.file_path = '只有标题.md'") == [
        ("彝良县召开就业工作会议", None)]


def test_nothing_behind_a_symlink_out_of_the_folder_is_read(bad_world):
    for db in (bad_world.settings.published_db, bad_world.settings.build_db):
        assert tables_holding(db, "OUTSIDE-") == [], db
    # The marker is found where it is (the search itself works).
    assert tables_holding(bad_world.settings.build_db, "彝良县召开就业工作会议") != []


def test_every_bad_sheet_row_is_rejected_with_its_reason(bad_world):
    rejects = set(query(bad_world.settings,
                        "select sheet, row_number, column_name, value, reason from sheet_rejects"))
    assert rejects == bad_world.rejects


def test_every_good_sheet_row_still_loads(bad_world, reliability):
    loaded = {name: {n for (n,) in query(bad_world.settings,
                                         f"select sheet_row_number from staging.stg_sheets__{name}")}
              for name in bad_world.good_rows}
    lost = sum(len(expected - loaded[name]) for name, expected in bad_world.good_rows.items())
    reliability.data_lost += lost
    assert lost == 0
    assert loaded == bad_world.good_rows  # and no bad row among them


def test_the_seeds_figures_are_all_still_there(bad_world, reliability):
    settings = bad_world.settings
    assert query(settings, """
        select year, value, reported_growth_pct, recomputed_growth_pct
        from mart_annual_growth where topic = 'poverty_income' and region_code = '530600'
        order by year""") == [(2021, 11438.0, 15.53, None), (2022, 13233.0, 15.69, 15.69),
                              (2023, 15465.0, 16.8, 16.87)]
    seed = pd.read_csv(SEED_SHEETS / "observations.csv", dtype=str, keep_default_na=False)
    verified = {(r.indicator_code, r.region_code, r.period, float(r.value))
                for r in seed.itertuples() if r.status == "verified"}
    curated = set(query(settings, "select indicator_code, region_code, period_label, value "
                                  "from fct_observation where obtained_by = 'curated'"))
    missing = verified - curated
    reliability.data_lost += len(missing)
    assert missing == set()
    assert curated - verified == {("SKILLS_TRAINING_PARTICIPANTS", "530629", "2024", 3215.0)}


def test_sql_text_in_cells_and_names_is_stored_verbatim_and_never_run(bad_world):
    settings = bad_world.settings
    # Rejected cells keep their text…
    assert ("regions.csv", "code", SQL_DROP) in {
        (s, c, v) for s, _, c, v, _ in query(settings, "select * exclude (loaded_at) from sheet_rejects")}
    assert query(settings, "select count(*) from sheet_rejects where value = ?", [SQL_OR]) == [(2,)]
    # …and loaded ones reach the marts as they were written.
    assert query(settings, "select notes from dim_region where region_code = '530602_sqltest'") == [(SQL_DROP,)]
    assert query(settings, "select notes from dim_indicator where indicator_code = 'SQL_TEXT_IN_NOTES'") == [
        (SQL_OR,)]
    assert query(settings, "select title, notes from staging.stg_sheets__documents "
                           "where file_path = '威信 技能 培训 (二).txt'") == [(SQL_OR, SQL_DROP)]
    assert query(settings, "select quote from fct_observation where indicator_code = "
                           "'SKILLS_TRAINING_PARTICIPANTS' and region_code = '530629'") == [(WEIXIN_QUOTE,)]
    assert query(settings, "select notes from staging.stg_sheets__observations "
                           "where quote = ?", [WEIXIN_QUOTE]) == [(SQL_DROP,)]
    assert query(settings, "select status from document_ledger where file_path = ?",
                 [f"{SQL_OR}.txt"]) == [("loaded",)]
    # Every table is still there, and raw.documents holds every document.
    with duckdb.connect(str(settings.build_db), read_only=True) as con:
        raw = {t for (t,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'raw'").fetchall()}
        assert {"documents", "document_ledger", "articles", "blocks", "sentences", "mentions",
                "sheet_regions", "sheet_documents", "sheet_indicators", "sheet_observations",
                "sheet_rejects"} <= raw
        loaded = sum(status == "loaded" for status, _ in bad_world.ledger.values())
        assert con.execute("select count(*) from raw.documents").fetchone() == (loaded,)
    marts = {t for (t,) in query(settings, "select table_name from duckdb_tables() "
                                           "where schema_name = 'main'")}
    assert {"dim_region", "dim_indicator", "dim_document", "fct_observation", "fct_mention",
            "document_ledger", "sheet_rejects", "mart_annual_growth"} <= marts


# --- a second refresh: every sheet unreadable in its own way --------------------------------

@pytest.fixture(scope="module")
def broken_sheets(tmp_path_factory, reliability) -> World:
    world = World(make_workspace(tmp_path_factory.mktemp("broken_sheets")), None)
    folder = world.settings.sheets_dir
    (folder / "regions.csv").unlink()
    openpyxl.Workbook().save(folder / "regions.xlsx")  # a workbook with no cell filled in
    (folder / "indicators.csv").write_bytes(b"")
    registry = (folder / "documents.csv").read_text(encoding="utf-8")
    (folder / "documents.csv").write_bytes(registry.encode("utf-16-le"))
    (folder / "observations.csv").unlink()
    (folder / "observations.xlsx").write_bytes(b"PK\x03\x04" + b"\x00not really a workbook" * 10)
    world.rejects = {
        ("regions.xlsx", None, None, None, "sheet cannot be read: the sheet is empty: no header row"),
        ("indicators.csv", None, None, None, "sheet cannot be read: empty: the file has no bytes"),
        ("documents.csv", None, None, None, "sheet cannot be read: not decodable: UTF-16 "
         "(little-endian) without a byte order mark; save it as UTF-8 (or as UTF-16 with a byte "
         "order mark)"),
        ("observations.xlsx", None, None, None, "sheet cannot be read: not a readable .xlsx "
         "workbook (damaged, or another kind of file renamed .xlsx): BadZipFile: File is not a "
         "zip file"),
    }
    reliability.bad_inputs_tried += len(world.rejects)
    world.summary = world.workspace.refresh()
    return world


def test_unreadable_sheets_are_each_rejected_whole_and_the_documents_still_load(broken_sheets,
                                                                               reliability):
    assert broken_sheets.summary.success, broken_sheets.summary.failures
    settings = broken_sheets.settings
    assert set(query(settings, "select sheet, row_number, column_name, value, reason "
                               "from sheet_rejects")) == broken_sheets.rejects
    ledger = dict(query(settings, "select file_path, status from document_ledger"))
    lost = sum(ledger.get(seed) != "loaded" for seed in (SEED_000, SEED_002))
    reliability.data_lost += lost
    assert lost == 0
    assert query(settings, "select count(*) from dim_article") == [(4,)]
    # The figures are still read from the text, without the gazetteer or the registry.
    assert query(settings, "select count(*) from fct_mention where value = 15465 and unit = '元'") == [(1,)]


# --- without a refresh: what a scan or a sheet load alone shows -------------------------------

def test_a_folder_that_cannot_be_listed_gets_a_ledger_row(tmp_path, monkeypatch, reliability):
    """Root lists any folder, so the refusal is simulated where os.walk lists one."""
    (tmp_path / "a.txt").write_text(WEIXIN, encoding="utf-8")
    (tmp_path / "closed").mkdir()
    (tmp_path / "closed" / "b.txt").write_text(LUDIAN, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path="."):
        if Path(path).name == "closed":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    reliability.bad_inputs_tried += 1
    ledger = {row.path: (row.status, row.reason) for row in scan_documents(tmp_path).ledger}
    assert ledger == {
        "a.txt": ("loaded", None),
        "closed": ("rejected", "folder cannot be listed: Permission denied; the files in it were not read"),
    }


@pytest.mark.skipif(AS_ROOT, reason="root reads a file whatever its mode")
def test_a_file_without_read_permission_is_rejected(tmp_path, reliability):
    (tmp_path / "locked.txt").write_text(WEIXIN, encoding="utf-8")
    (tmp_path / "locked.txt").chmod(0)
    reliability.bad_inputs_tried += 1
    try:
        [row] = scan_documents(tmp_path).ledger
    finally:
        (tmp_path / "locked.txt").chmod(0o644)
    assert (row.status, row.reason) == ("rejected", "cannot be read: Permission denied")


def _regions(folder: Path, name: str = "regions.csv", text: str | None = None, data: bytes | None = None):
    if data is None:
        data = text.encode("utf-8")
    (folder / name).write_bytes(data)
    return sheets.load_sheet(folder, sheets.REGIONS)


REGIONS_HEADER = "code,name_zh,name_pinyin,level,parent_code,aliases,code_source,notes\n"
CITY = "530600,昭通市,Zhaotong Shi,city,,昭通,official,\n"
COUNTY = "530602,昭阳区,Zhaoyang Qu,county,530600,昭阳,official,\n"


@pytest.mark.parametrize("name, data, reason", [
    ("regions.xlsx", b"PK\x03\x04" + b"\x00" * 40, "sheet cannot be read: not a readable .xlsx workbook "
     "(damaged, or another kind of file renamed .xlsx): BadZipFile: File is not a zip file"),
    ("regions.xlsx", "code,name_zh\n530600,昭通市\n".encode(), "sheet cannot be read: not a readable "
     ".xlsx workbook (damaged, or another kind of file renamed .xlsx): ValueError: Excel file format "
     "cannot be determined, you must specify an engine manually."),
    ("regions.xlsx", b"", "sheet cannot be read: not a readable .xlsx workbook (damaged, or another "
     "kind of file renamed .xlsx): ValueError: Excel file format cannot be determined, you must "
     "specify an engine manually."),
    ("regions.csv", "Zhaotong café\n".encode("latin-1"),
     "sheet cannot be read: not decodable: not UTF-8 (byte 12) and not GB18030 (byte 12)"),
    ("regions.csv", b"\r\n\r\n \t\n", "sheet cannot be read: empty: the file holds only white space"),
    ("regions.csv", b",,,\n,,,\n", "sheet cannot be read: the sheet is empty: no header row"),
    ("regions.csv", ("Code," + REGIONS_HEADER + "1," + CITY).encode(),
     "column(s) named twice in the header: code; sheet not loaded (which of them holds the data?)"),
])
def test_a_sheet_that_cannot_be_read_is_one_reject_with_the_reason(tmp_path, reliability, name, data,
                                                                  reason):
    reliability.bad_inputs_tried += 1
    frame, rejects = _regions(tmp_path, name, data=data)
    assert frame.empty
    assert [(r.sheet, r.row_number, r.value, r.reason) for r in rejects] == [(name, None, None, reason)]


def test_a_sheet_with_a_header_and_no_rows_loads_nothing_and_is_no_error(tmp_path):
    # A legitimate state (no curated observation yet: the generated corpora have one).
    frame, rejects = _regions(tmp_path, text=REGIONS_HEADER + "\n,,,,,,,\n")
    assert frame.empty and rejects == []


def test_a_truncated_workbook_is_rejected_not_a_crash(tmp_path, reliability):
    pd.read_csv(io.StringIO(REGIONS_HEADER + CITY), dtype=str, keep_default_na=False).to_excel(
        tmp_path / "whole.xlsx", index=False)
    reliability.bad_inputs_tried += 1
    frame, [reject] = _regions(tmp_path, "regions.xlsx", data=(tmp_path / "whole.xlsx").read_bytes()[:300])
    assert frame.empty and reject.reason.startswith("sheet cannot be read: not a readable .xlsx workbook")


def test_blank_lines_and_empty_rows_keep_the_row_numbers_the_analyst_sees(tmp_path, reliability):
    text = REGIONS_HEADER + CITY + "\n,,,,,,,\n\n" + COUNTY + "530602,x,y,bogus,530600,,own,\n"
    reliability.bad_inputs_tried += 1
    frame, rejects = _regions(tmp_path, text=text)
    assert list(frame.row_number) == [2, 6]
    assert [(r.row_number, r.column, r.value) for r in rejects] == [(7, "level", "bogus")]


def test_a_row_with_a_cell_too_many_is_rejected_alone(tmp_path, reliability):
    # pandas took the first column of such a sheet as its index, shifting every cell of every
    # row: 530600 read as a name, 昭通市 as a code, and all rows rejected for a wrong code.
    text = REGIONS_HEADER + "530600,昭通市,Zhaotong Shi,city,,昭通,official,,一格太多\n" + COUNTY
    reliability.bad_inputs_tried += 1
    frame, rejects = _regions(tmp_path, text=text)
    assert [(r.row_number, r.column, r.value, r.reason) for r in rejects] == [
        (2, None, "一格太多", NO_HEADER.format(9)),
        (3, "parent_code", "530600", "parent code is not a region in this sheet")]


def test_a_workbook_keeps_its_row_numbers_and_is_found_whatever_the_case_of_its_name(tmp_path,
                                                                                     reliability):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(REGIONS_HEADER.strip().split(","))
    sheet.append(CITY.strip().split(","))
    sheet.append([])  # a blank row: row 3
    sheet.append(COUNTY.strip().split(",")[:4] + ["999"])  # row 4: an unknown parent
    sheet.cell(row=5, column=1, value="530602_x")
    sheet.cell(row=5, column=2, value="某村")
    sheet.cell(row=5, column=4, value="village")
    sheet.cell(row=5, column=5, value="530600")
    sheet.cell(row=5, column=10, value="stray")  # under no header
    book.save(tmp_path / "Regions.xlsx")
    reliability.bad_inputs_tried += 2
    frame, rejects = sheets.load_sheet(tmp_path, sheets.REGIONS)
    assert list(frame.code) == ["530600"] and list(frame.row_number) == [2]
    assert [(r.sheet, r.row_number, r.column, r.value, r.reason) for r in rejects] == [
        ("Regions.xlsx", 5, None, "stray", "a value in column 10, which has no name in the header "
         "row; row not loaded"),
        ("Regions.xlsx", 4, "parent_code", "999", "parent code is not a region in this sheet")]


def test_numbers_dates_and_periods_duckdb_cannot_cast_are_rejected_before_dbt():
    """Python reads ２０２４ and １２３ as numbers; DuckDB does not, so such a cell used to
    load and then fail the dbt build, and nothing was published."""
    from pipelines.period_labels import parse_period
    from pipelines.text.context import PublicationDate

    for bad in ("１２３", "٣", "1" * 400):
        with pytest.raises(ValueError, match="value is"):
            sheets.parse_number(bad)
    with pytest.raises(ValueError, match="not a date"):
        PublicationDate.parse("２０２４-０１")
    with pytest.raises(ValueError, match="not a period"):
        parse_period("2023/２０２４")
    assert sheets.parse_number("1，234.5") == 1234.5


# --- a file that holds no article ---------------------------------------------------------

# dim_document required article_count >= 1 and a page of only a note or a caption stopped every
# release; the contract now allows 0.
def test_a_file_with_only_a_note_and_a_caption_does_not_stop_the_release(tmp_path, reliability):
    workspace = make_workspace(tmp_path)
    (workspace.settings.documents_dir / "credits.txt").write_text(
        "（本版编辑：王芳）\n\n\n\n昭通天麻。\n", encoding="utf-8")
    reliability.bad_inputs_tried += 1
    summary = workspace.refresh()
    assert summary.success, summary.failures
    assert query(workspace.settings, "select status from document_ledger "
                                     "where file_path = 'credits.txt'") == [("loaded",)]
