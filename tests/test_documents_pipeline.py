"""Issue 3 through the real pipeline: a ledger for every file, articles, blocks and
sentences in the warehouse, offsets that find the text again, incremental refreshes."""

from __future__ import annotations

import codecs
import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.text.decoding import decode_document
from pipelines.warehouse import connect_published

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "articles"
SEED_000 = "000_e7477d3aa7d3b9e2.txt"
SEED_002 = "002_c24e9d97611dbda4.txt"


def query(settings, sql: str, params=None):
    with connect_published(settings.published_db) as con:
        return con.execute(sql, params or []).fetchall()


def test_seed_articles_with_headlines_and_bylines(seeded):
    workspace, _ = seeded
    rows = query(workspace.settings, """
        select d.file_path, a.article_index, a.headline, a.subtitle, a.byline, a.authors
        from dim_article a join dim_document d using (document_id)
        order by d.file_path, a.article_index""")
    assert rows == [
        (SEED_000, 0, "48万群众家门口圆就业梦", "昭通市以园区为基、创业为翼绘就乡村振兴新图景",
         "记者 李明坤 文/图", ["李明坤"]),
        (SEED_000, 1, "砥砺奋进铸华章 安居惠民谱新篇", "昭通市住房公积金事业发展三年成就纪实",
         "通讯员 杨天顺 文/图", ["杨天顺"]),
        (SEED_002, 0, "脱贫群众持续增收的“昭通答卷”", None, "记者 田朝艳", ["田朝艳"]),
        (SEED_002, 1, "解群众之需 拓增收之路", None, "杨明", ["杨明"]),
    ]
    assert query(workspace.settings, "select title from dim_document order by file_path") == [
        ("48万群众家门口圆就业梦",), ("脱贫群众持续增收的“昭通答卷”",)]


def test_page_breaks_repaired_and_captions_are_not_paragraphs(seeded):
    workspace, _ = seeded
    repaired = query(workspace.settings,
                     "select count(*) from dim_block where is_repaired and block_kind = 'paragraph'")
    assert repaired == [(10,)]  # 11 junctions: one paragraph of seed 002 has two
    counts = query(workspace.settings, """
        select block_kind, count(*) from dim_block
        where block_kind in ('paragraph', 'caption', 'note') group by all order by 1""")
    assert counts == [("caption", 8), ("note", 1), ("paragraph", 66)]
    captions = [t for (t,) in query(workspace.settings,
                                    "select block_text from dim_block where block_kind = 'caption'")]
    assert "昭通天麻。" in captions and "镇雄县绿色产业园区的工人正在工作。" in captions
    assert query(workspace.settings, """
        select count(*) from dim_block where block_kind = 'paragraph'
        and (block_text like '%昭通天麻%' or block_text like '%本版图片来源%')""") == [(0,)]
    truncated = query(workspace.settings,
                      "select block_text from dim_block where is_truncated")
    assert len(truncated) == 1 and truncated[0][0].endswith("“双线并行”的常")


def test_a_number_broken_across_columns_is_whole_and_found_again_in_the_file(seeded):
    workspace, _ = seeded
    [(text, start, end, pieces, document_text)] = query(workspace.settings, """
        select s.sentence_text, s.start_offset, s.end_offset, s.pieces, d.document_text
        from dim_sentence s join dim_document d using (document_id)
        where s.sentence_text like '%累计回引8.12万人%'""")
    assert text == "截至目前，全县累计回引8.12万人返乡创业就业，其中创业2.83万人，就业5.29万人。"
    assert len(pieces) == 2 and end - start > len(text)  # the sentence spans the break
    assert "".join(document_text[a:b] for a, b in pieces) == text
    raw = (workspace.settings.documents_dir / SEED_000).read_bytes()
    assert decode_document(raw).text == document_text


def test_every_sentence_is_found_again_at_its_offsets(seeded):
    workspace, _ = seeded
    rows = query(workspace.settings, """
        select s.sentence_text, s.pieces, d.document_text
        from dim_sentence s join dim_document d using (document_id)""")
    assert len(rows) > 150
    for text, pieces, document_text in rows:
        assert "".join(document_text[a:b] for a, b in pieces) == text


@pytest.fixture
def odd_folder(workspace):
    """The seeds plus bad and odd files the pipeline has never seen."""
    docs = workspace.settings.documents_dir
    shutil.copy(FIXTURES / "yiliang_relocation.txt", docs / "彝良 搬迁.txt")  # GBK, CRLF
    (docs / "曲靖 就业 (BOM).md").write_bytes(
        codecs.BOM_UTF8 + (FIXTURES / "qujing_employment.md").read_bytes())
    (docs / "empty.txt").write_bytes(b"")
    (docs / "blank.md").write_bytes(b" \r\n\r\n ")
    (docs / "scan.txt").write_bytes(b"%PDF-1.4\x00\x01\x02binary")
    damaged = bytearray((FIXTURES / "qujing_employment.md").read_bytes())
    damaged[100] = 0xFF
    (docs / "damaged.txt").write_bytes(bytes(damaged))
    (docs / "nested").mkdir()
    (docs / "nested" / "copy of 002.txt").write_bytes((docs / SEED_002).read_bytes())
    (docs / "readme.pdf").write_bytes(b"%PDF")
    return workspace


def test_a_folder_of_odd_files_loads_the_good_ones_and_explains_the_rest(odd_folder):
    summary = odd_folder.refresh()
    assert summary.success, summary.failures
    settings = odd_folder.settings
    ledger = {path: (status, encoding, reason) for path, status, encoding, reason in query(
        settings, "select file_path, status, encoding, reason from document_ledger")}
    files = sorted(p.relative_to(settings.documents_dir).as_posix()
                   for p in settings.documents_dir.rglob("*") if p.is_file())
    assert sorted(ledger) == files  # every file has its row
    assert ledger["彝良 搬迁.txt"][:2] == ("loaded", "gbk")
    assert ledger["曲靖 就业 (BOM).md"][:2] == ("loaded", "utf-8-sig")
    assert ledger["empty.txt"] == ("rejected", None, "empty: the file has no bytes")
    assert ledger["blank.md"] == ("rejected", None, "empty: the file holds only white space")
    assert ledger["scan.txt"][2] == "binary: NUL byte at byte 8 (not a text file)"
    try:
        (settings.documents_dir / "damaged.txt").read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        bad_byte = err.start  # the start of the sequence that byte 100 broke
    assert ledger["damaged.txt"] == ("rejected", None, (
        f"not decodable: byte {bad_byte} is not valid UTF-8 in a file that is otherwise "
        f"UTF-8 (damaged file; refusing to guess another encoding)"))
    assert ledger["nested/copy of 002.txt"] == ("duplicate", "utf-8", f"same text as {SEED_002}")
    assert ledger["readme.pdf"][0] == "rejected"

    headlines = [h for (h,) in query(settings, "select headline from dim_article order by 1")]
    assert "彝良：搬迁群众稳得住能致富" in headlines and "曲靖“家门口”就业提质扩容" in headlines
    # The GBK file with Windows line ends: its text is right, and offsets refer to the
    # decoded text with LF line ends.
    [(text, pieces, document_text)] = query(settings, """
        select s.sentence_text, s.pieces, d.document_text
        from dim_sentence s join dim_document d using (document_id)
        where s.sentence_text like '%就业率稳定在95%'""")
    assert text == "下一步，彝良县将力争到2027年实现搬迁劳动力就业率稳定在95%以上。"
    assert "\r" not in document_text
    raw = (settings.documents_dir / "彝良 搬迁.txt").read_bytes()
    assert raw.decode("gbk").replace("\r\n", "\n") == document_text
    assert "".join(document_text[a:b] for a, b in pieces) == text


def test_refreshes_are_incremental_and_follow_changes_and_removals(workspace):
    settings = workspace.settings
    assert workspace.refresh().success
    ids_before = dict(query(settings, "select file_path, document_id from dim_document"))

    second = workspace.refresh()  # nothing changed: nothing read again
    assert second.success, second.failures
    assert second.ledger == {"unchanged": 2}
    assert dict(query(settings, "select file_path, document_id from dim_document")) == ids_before

    seed = settings.documents_dir / SEED_000
    seed.write_bytes(seed.read_bytes().replace("累计引导19.06万人".encode(), "累计引导19.07万人".encode()))
    (settings.documents_dir / SEED_002).unlink()
    shutil.copy(FIXTURES / "yiliang_relocation.txt", settings.documents_dir / "new.txt")
    third = workspace.refresh()
    assert third.success
    assert dict(query(settings, "select file_path, status from document_ledger")) == {
        SEED_000: "loaded", "new.txt": "loaded"}
    documents = dict(query(settings, "select file_path, document_id from dim_document"))
    assert set(documents) == {SEED_000, "new.txt"}
    assert documents[SEED_000] != ids_before[SEED_000]  # changed text, new document
    assert query(settings, "select count(*) from dim_sentence where sentence_text like '%19.06万人%'") == [(0,)]
    assert query(settings, "select count(*) from dim_sentence where sentence_text like '%19.07万人%'") == [(1,)]
    assert query(settings, "select count(distinct document_id) from dim_sentence") == [(2,)]
    assert query(settings, "select count(*) from dim_article") == [(3,)]
    sha = hashlib.sha256(seed.read_bytes()).hexdigest()
    assert query(settings, "select sha256 from document_ledger where file_path = ?", [SEED_000]) == [(sha,)]


def test_a_file_saved_again_in_another_encoding_stays_one_document(workspace):
    """New bytes, the same text: the file is decoded again and its document replaced, not
    kept twice (two rows of one document_id would fail dim_document's unique test)."""
    settings = workspace.settings
    assert workspace.refresh().success
    ids_before = query(settings, "select file_path, document_id from dim_document order by 1")
    seed = settings.documents_dir / SEED_002
    seed.write_bytes(seed.read_text(encoding="utf-8").encode("gb18030"))

    summary = workspace.refresh()
    assert summary.success, summary.failures + summary.checks_failed
    assert dict(query(settings, "select file_path, status from document_ledger")) == {
        SEED_000: "unchanged", SEED_002: "loaded"}
    assert query(settings, "select encoding from document_ledger where file_path = ?",
                 [SEED_002])[0][0] in ("gbk", "gb18030")
    assert query(settings, "select file_path, document_id from dim_document order by 1") == ids_before
    assert query_build(settings, "select count(*), count(distinct document_id) from raw.documents") == [(2, 2)]
    assert query(settings, "select value from fct_observation where indicator_code = "
                           "'POVERTY_ALLEVIATED_INCOME_PER_CAPITA' and period_label = '2023'") == [(15465.0,)]


def query_build(settings, sql: str):
    """The raw tables are in the build database, which only the pipeline opens; a test
    may read it between refreshes."""
    with duckdb.connect(str(settings.build_db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_only_new_and_affected_documents_are_parsed_and_extracted_again(workspace):
    """The ledger's hashes decide what is read again; a document's context (its date in
    the registry) decides what is extracted again; a document without a single figure is
    remembered as extracted, not extracted on every refresh, and one whose figures map to
    no indicator as mapped, not mapped on every build."""
    import dagster as dg

    settings = workspace.settings
    instance = dg.DagsterInstance.ephemeral()

    def work_done(summary) -> tuple[int, int]:
        def latest(asset: str, key: str) -> int:
            event = instance.get_latest_materialization_event(dg.AssetKey(["raw", asset]))
            assert event.run_id == summary.run_id
            return event.asset_materialization.metadata[key].value
        return latest("articles", "documents_parsed"), latest("mentions", "documents_extracted")

    first = workspace.refresh(instance)
    assert work_done(first) == (2, 2)
    (settings.documents_dir / "no_figures.txt").write_text(
        "昭通新闻\n\n记者 王明\n\n春天来了，昭阳区的樱花开了。\n", encoding="utf-8")
    (settings.documents_dir / "unmapped_figures.txt").write_text(
        "昭通新闻\n\n记者 王明\n\n2024年，昭阳区樱花树种了3000棵。\n", encoding="utf-8")
    assert work_done(workspace.refresh(instance)) == (2, 2)
    assert work_done(workspace.refresh(instance)) == (0, 0)
    mapped = query_build(settings, """
        select m.mention_id, m.indicator_code from intermediate.int_mentions_mapped_to_indicators m
        join raw.documents d using (document_id) where d.path = 'unmapped_figures.txt'""")
    assert mapped == [(None, None)]  # mapped, nothing found: its one row says so
    to_map = query_build(settings, """
        select document_id, loaded_at from staging.stg_documents__mentions
        except select document_id, loaded_at from intermediate.int_mentions_mapped_to_indicators""")
    assert to_map == []  # the next build maps no document again
    of_000 = ("select count(*), max(m.loaded_at) from raw.mentions m join raw.documents d "
              f"using (document_id) where d.path = '{SEED_000}'")
    mentions_of_000 = query_build(settings, of_000)

    # A new date for one page in the registry: only that page's mentions are extracted again.
    registry = settings.sheets_dir / "documents.csv"
    assert registry.read_text(encoding="utf-8").count(",2024-01,") == 2  # the 002 page's rows
    registry.write_text(registry.read_text(encoding="utf-8").replace(",2024-01,", ",2024-02,"),
                        encoding="utf-8")
    assert work_done(workspace.refresh(instance)) == (0, 1)
    assert query_build(settings, of_000) == mentions_of_000  # the other page: untouched


def test_tables_built_by_document_end_as_a_full_rebuild_would(workspace, tmp_path):
    """dim_document, dim_block, dim_sentence, fct_mention and the intermediate tables are
    built by document, and the tables that compare documents (fct_observation, the claim
    checks …) written by difference: after an added, a removed and a re-dated document and
    a changed mapping rule, every table equals what a full rebuild of the same raw tables
    gives."""
    import subprocess

    from pipelines.dbt_project import DBT_EXECUTABLE, dbt_build_args
    from pipelines.settings import DBT_PROJECT_DIR
    from tests.conftest import table_fingerprints

    settings = workspace.settings
    shutil.copy(FIXTURES / "yiliang_relocation.txt", settings.documents_dir / "to_remove.txt")
    assert workspace.refresh().success
    (settings.documents_dir / "to_remove.txt").unlink()
    shutil.copy(FIXTURES / "qujing_employment.md", settings.documents_dir / "new.md")
    # page 000 re-dated (extracted again); page 002 untouched but for a rule that maps it
    registry = settings.sheets_dir / "documents.csv"
    registry.write_text(registry.read_text(encoding="utf-8").replace(",2025-11,", ",2025-10,"),
                        encoding="utf-8")
    indicators = settings.sheets_dir / "indicators.csv"
    indicators.write_text(indicators.read_text(encoding="utf-8").replace(
        "三类对象”人均纯收入|", ""), encoding="utf-8")
    assert workspace.refresh().success

    removed = query(settings, f"""
        select (select count(*) from dim_sentence where document_id = d.document_id)
             + (select count(*) from fct_mention where document_id = d.document_id)
             + (select count(*) from dim_block where document_id = d.document_id)
        from dim_document as d where file_path = 'to_remove.txt'""")
    assert removed == []  # no row of the removed page is left, not even its document
    assert query(settings, "select count(*) from dim_sentence s join dim_document d "
                           "using (document_id) where d.file_path = 'new.md'")[0][0] > 0

    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copyfile(settings.build_db, rebuilt)
    subprocess.run([DBT_EXECUTABLE, *dbt_build_args(rebuilt, full_refresh=True),
                    "--profiles-dir", ".", "--target-path", str(tmp_path / "target")],
                   cwd=DBT_PROJECT_DIR, check=True, capture_output=True)
    schemas = ("main", "intermediate")
    incremental, full = table_fingerprints(settings.build_db, schemas), table_fingerprints(rebuilt, schemas)
    assert "intermediate.int_mentions_mapped_to_indicators" in full
    assert incremental == full
