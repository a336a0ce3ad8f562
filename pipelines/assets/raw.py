"""Python assets: read the input folders into raw tables of the build database.

Thin wrappers: reading, decoding, parsing and validation live in plain modules
(pipelines.documents, pipelines.text, pipelines.sheets) that tests call directly; these
assets read what they need, call them, and write the tables declared in raw_tables.

Document tables are kept incrementally: a file whose bytes have not changed is not
decoded or parsed again, and the rows of a document that left the folder are deleted.
"""

import json
import os
import pickle
from collections import Counter
from collections.abc import Iterator
from dataclasses import fields
from datetime import datetime, timezone
from pathlib import Path

import dagster as dg

from pipelines import extraction, sheets
from pipelines import raw_tables as t
from pipelines.automation import DAILY_FRESHNESS
from pipelines.documents import KnownFile, scan_documents
from pipelines.parallel import Progress, batched, map_documents
from pipelines.resources import WarehouseResource
from pipelines.warehouse import (append_together, delete_documents, ensure_table, replace_table,
                                 sync_documents)

WRITES_DUCKDB = "duckdb_writer"  # one writer at a time: DuckDB allows no concurrent writers
BATCH_DOCUMENTS = 1000  # rows are written this many documents at a time, to bound memory


def _spec(table: t.Table, group: str, description: str, deps=()) -> dg.AssetSpec:
    return dg.AssetSpec(table.name.split("."), group_name=group, kinds={"python", "duckdb"},
                        description=description, deps=deps, freshness_policy=DAILY_FRESHNESS)


def _values(row) -> tuple:
    """A dataclass row's fields in order: dataclasses.astuple deep-copies every value, which
    took a second for a ledger of 40k files."""
    return tuple(getattr(row, f.name) for f in fields(row))


def _ensure_together(con, tables: tuple[t.Table, ...]) -> None:
    """Tables computed together from each document: if any is new (or recreated by a new
    version of Wumeng), empty them all, so every document is computed again."""
    if [ensure_table(con, table.name, table.columns) for table in tables].count(True):
        for table in tables:
            con.execute(f"DELETE FROM {table.name}")


def _known_files(con) -> dict[str, KnownFile]:
    """Files loaded by earlier refreshes whose documents are still in raw.documents."""
    rows = con.execute(
        f"select l.path, l.sha256, l.encoding, l.document_id, l.size_bytes, l.modified_ns, "
        f"l.inode from {t.DOCUMENT_LEDGER.name} l join {t.DOCUMENTS.name} d using (document_id) "
        f"where l.status in ('loaded', 'unchanged')").fetchall()
    return {path: KnownFile(*known) for path, *known in rows}


@dg.multi_asset(
    specs=[
        _spec(t.DOCUMENT_LEDGER, "documents", "One row per file under the documents folder: "
              "path, size, sha256, encoding, status (loaded, unchanged, duplicate, rejected) "
              "and, for anything not loaded, the reason."),
        _spec(t.DOCUMENTS, "documents", "One row per distinct document text, decoded and "
              "normalised (BOM dropped, LF line ends); every character offset refers to it."),
    ],
    pool=WRITES_DUCKDB,
)
def raw_documents(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    settings = warehouse.settings
    now = datetime.now(timezone.utc)
    with warehouse.build_connection() as con:
        ensure_table(con, t.DOCUMENT_LEDGER.name, t.DOCUMENT_LEDGER.columns)
        if ensure_table(con, t.DOCUMENTS.name, t.DOCUMENTS.columns):
            context.log.info("raw.documents is new: every file is read again")
        scan = scan_documents(settings.documents_dir, known=_known_files(con),
                              max_bytes=settings.max_document_bytes)
        replace_table(con, t.DOCUMENT_LEDGER.name, t.DOCUMENT_LEDGER.columns,
                      (_values(row) + (now,) for row in scan.ledger))
        # A document decoded in this scan that was already there (its file re-encoded to the
        # same text, or a ledger made again by a new version of Wumeng) replaces its row.
        before = {doc_id for (doc_id,) in con.execute(
            f"select document_id from {t.DOCUMENTS.name}").fetchall()}
        decoded = {d.document_id for d in scan.documents}
        sync_documents(
            con, t.DOCUMENTS.name, t.DOCUMENTS.columns, scan.current_document_ids - decoded,
            ((d.document_id, d.path, d.sha256, d.encoding, d.text, len(d.text), now)
             for d in scan.documents))
    statuses = Counter(row.status for row in scan.ledger)
    for row in scan.ledger:
        if row.status in ("rejected", "duplicate"):
            context.log.warning(f"{row.path}: {row.status}: {row.reason}")
    yield dg.MaterializeResult(
        asset_key=t.DOCUMENT_LEDGER.name.split("."),
        metadata={"dagster/row_count": len(scan.ledger), "folder": str(settings.documents_dir),
                  **{f"files_{s}": statuses.get(s, 0)
                     for s in ("loaded", "unchanged", "duplicate", "rejected")}})
    yield dg.MaterializeResult(
        asset_key=t.DOCUMENTS.name.split("."),
        metadata={"dagster/row_count": len(scan.current_document_ids),
                  "documents_new_or_changed": len(decoded - before),
                  "documents_removed": len(before - scan.current_document_ids)})


@dg.multi_asset(
    specs=[
        _spec(t.ARTICLES, "documents", "One row per article: a file may hold several. "
              "Headline, subtitle (the —— line), byline and authors.", deps=[t.DOCUMENTS.name.split(".")]),
        _spec(t.BLOCKS, "documents", "One row per block of an article: headline, subtitle, "
              "byline, heading, paragraph (page breaks repaired), caption or editorial note.",
              deps=[t.DOCUMENTS.name.split(".")]),
        _spec(t.SENTENCES, "documents", "One row per sentence of the headlines, headings, "
              "paragraphs and captions, with its character offsets in the document text.",
              deps=[t.DOCUMENTS.name.split(".")]),
    ],
    pool=WRITES_DUCKDB,
)
def raw_document_structure(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    now = datetime.now(timezone.utc)
    tables = (t.ARTICLES, t.BLOCKS, t.SENTENCES)
    with warehouse.build_connection() as con:
        _ensure_together(con, tables)
        current = {doc_id for (doc_id,) in con.execute(
            f"select document_id from {t.DOCUMENTS.name}").fetchall()}
        delete_documents(con, [table.name for table in tables], dict.fromkeys(current))
        to_parse = con.execute(
            f"select document_id, text from {t.DOCUMENTS.name} where document_id not in "
            f"(select document_id from {t.ARTICLES.name}) order by document_id").fetchall()
        progress = Progress("parsing documents", len(to_parse), context.log.info)
        parsed = map_documents(t.parse_one, [(doc_id, text, now) for doc_id, text in to_parse],
                               progress)
        for batch in batched(parsed, BATCH_DOCUMENTS):  # whole documents per transaction
            append_together(con, [(table.name, table.columns,
                                   [row for rows in batch for row in rows[table]])
                                  for table in tables])
        totals = {table: con.execute(f"select count(*) from {table.name}").fetchone()[0]
                  for table in tables}
        kinds = dict(con.execute(f"select kind, count(*) from {t.BLOCKS.name} group by kind "
                                 f"order by kind").fetchall())
        repaired, truncated = con.execute(
            f"select count(*) filter (where repaired), count(*) filter (where truncated) "
            f"from {t.BLOCKS.name}").fetchone()
    context.log.info(f"parsed {len(to_parse)} new or changed documents of {len(current)}")
    yield dg.MaterializeResult(asset_key=t.ARTICLES.name.split("."), metadata={
        "dagster/row_count": totals[t.ARTICLES], "documents_parsed": len(to_parse)})
    yield dg.MaterializeResult(asset_key=t.BLOCKS.name.split("."), metadata={
        "dagster/row_count": totals[t.BLOCKS], "blocks_by_kind": dg.MetadataValue.json(kinds),
        "paragraphs_repaired_across_page_breaks": repaired, "paragraphs_truncated": truncated})
    yield dg.MaterializeResult(asset_key=t.SENTENCES.name.split("."), metadata={
        "dagster/row_count": totals[t.SENTENCES]})


SHEET_DESCRIPTIONS = {
    "regions": "The gazetteer (regions.csv or .xlsx): every region and named place, with its "
               "level, parent and aliases; valid rows.",
    "documents": "The document registry (documents.csv or .xlsx): title, newspaper, "
                 "publication date (known or estimated, and from what) and authors of each "
                 "article; valid rows.",
    "indicators": "The indicator catalogue (indicators.csv or .xlsx): code, names, topic, "
                  "unit, measure type, relation to another indicator and mapping keywords; "
                  "valid rows.",
    "observations": "The analysts' verified facts (observations.csv or .xlsx): indicator, "
                    "region, period, value, unit, qualifier, document and the exact quote, "
                    "or a statistic left out with the reason; valid rows.",
}


class DocumentTexts:
    """The loaded documents' texts by path (sheets.DocumentLookup), each read from the build
    database when a sheet row quotes it: the analysts quote a few documents, and reading
    every text (147 MB at a hundred thousand articles) took 3 s of every refresh.

    It remembers which files the check asked about and what each was then (`consulted`): the
    check depends on those files only, so a refresh that loads other documents need not
    check the sheets again."""

    def __init__(self, con, not_loaded: dict[str, str]):
        self._con = con
        self._not_loaded = not_loaded
        self._ids = dict(con.execute(f"select path, document_id from {t.DOCUMENTS.name}").fetchall())
        self.consulted: dict[str, str | None] = {}

    def state(self, path: str) -> str | None:
        """What the check sees of a file: its loaded document, why it is not loaded, or None."""
        if path in self._ids:
            return self._ids[path]
        return f"not loaded: {self._not_loaded[path]}" if path in self._not_loaded else None

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, str):
            return False
        self.consulted[path] = self.state(path)
        return path in self._ids

    def __getitem__(self, path: str) -> str:
        if path not in self:
            raise KeyError(path)
        return self._con.execute(f"select text from {t.DOCUMENTS.name} where path = ?",
                                 [path]).fetchone()[0]


@dg.multi_asset(
    specs=[_spec(table, "sheets", SHEET_DESCRIPTIONS[name], deps=[t.DOCUMENTS.name.split(".")])
           for name, table in t.SHEET_TABLES.items()]
    + [_spec(t.SHEET_REJECTS, "sheets", "Every sheet row that failed validation, with the reason.")],
    pool=WRITES_DUCKDB,
)
def raw_sheets(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    settings = warehouse.settings
    now = datetime.now(timezone.utc)
    with warehouse.build_connection() as con:
        # An observation may name a file that is in the folder but not loaded: its reject
        # says why (the same text as another file, or the file's own reason).
        not_loaded = dict(con.execute(
            f"select l.path, case when l.status = 'duplicate' then 'it holds the same text as ' "
            f"|| d.path || ', the file that is loaded; name that one' "
            f"else 'the file was rejected (' || l.reason || ')' end "
            f"from {t.DOCUMENT_LEDGER.name} l left join {t.DOCUMENTS.name} d using (document_id) "
            f"where l.status in ('duplicate', 'rejected')").fetchall())
        # Checked again only when a sheet or the checking code changed, or one of the files
        # the last check consulted did (observations quote documents): a 100k-row registry
        # takes seconds to check, and a new article is quoted by no sheet yet.
        fingerprint = sheets.folder_fingerprint(settings.sheets_dir)
        texts = DocumentTexts(con, not_loaded)
        if _unchanged_since_checked(con, fingerprint, texts):
            yield from _sheet_results(con, unchanged=True)
            return
        frames, rejects = sheets.load_sheets(settings.sheets_dir, texts, not_loaded)
        for name, table in t.SHEET_TABLES.items():
            replace_table(con, table.name, table.columns,
                          (tuple(row) + (now,) for row in frames[name].itertuples(index=False)))
        replace_table(con, t.SHEET_REJECTS.name, t.SHEET_REJECTS.columns,
                      (_values(r) + (now,) for r in rejects))
        # last, so that a run killed before it checks the sheets again
        replace_table(con, t.SHEETS_CHECKED.name, t.SHEETS_CHECKED.columns,
                      [(fingerprint, json.dumps(texts.consulted, ensure_ascii=False), now)])
        for reject in rejects:
            context.log.warning(f"{reject.sheet} row {reject.row_number}: {reject.reason}")
        yield from _sheet_results(con, unchanged=False)


def _unchanged_since_checked(con, fingerprint: str, texts: DocumentTexts) -> bool:
    """The sheets and code are those of the last check, and so is every file it consulted."""
    ensure_table(con, t.SHEETS_CHECKED.name, t.SHEETS_CHECKED.columns)
    row = con.execute(f"select fingerprint, documents_consulted from {t.SHEETS_CHECKED.name}").fetchone()
    return (row is not None and row[0] == fingerprint
            and all(texts.state(path) == state for path, state in json.loads(row[1]).items()))


def _sheet_results(con, unchanged: bool) -> Iterator[dg.MaterializeResult]:
    """Each sheet table's rows and rejects, as its materialization's metadata."""
    rejected = Counter(sheet for (sheet,) in con.execute(
        f"select sheet from {t.SHEET_REJECTS.name}").fetchall())
    for name, table in t.SHEET_TABLES.items():
        rows = con.execute(f"select count(*) from {table.name}").fetchone()[0]
        yield dg.MaterializeResult(asset_key=table.name.split("."), metadata={
            "dagster/row_count": rows, "unchanged_since_last_check": unchanged,
            "rows_rejected": sum(n for sheet, n in rejected.items() if sheet.startswith(name))})
    yield dg.MaterializeResult(asset_key=t.SHEET_REJECTS.name.split("."), metadata={
        "dagster/row_count": sum(rejected.values()), "unchanged_since_last_check": unchanged})


def _extraction_context(settings) -> extraction.ExtractionContext:
    """extraction.load_context, kept beside the build database and made again only when a
    sheet or the code changed: reading a 100k-row registry took 2 s of every refresh."""
    cache = settings.build_db.with_name("extraction_context.pickle")
    key = sheets.folder_fingerprint(settings.sheets_dir, Path(extraction.__file__).read_text())
    try:
        cached_key, ctx = pickle.loads(cache.read_bytes())
        if cached_key == key:
            return ctx
    except Exception:  # no cache, or one from other code: made again below
        pass
    ctx = extraction.load_context(settings.sheets_dir)
    partial = cache.with_suffix(".partial")
    partial.write_bytes(pickle.dumps((key, ctx)))
    os.replace(partial, cache)  # whole or not at all
    return ctx


@dg.asset(
    key=t.MENTIONS.name.split("."),
    deps=[t.DOCUMENTS.name.split("."), t.SENTENCES.name.split("."),
          t.SHEET_TABLES["regions"].name.split("."), t.SHEET_TABLES["documents"].name.split(".")],
    group_name="documents",
    kinds={"python", "duckdb"},
    pool=WRITES_DUCKDB,
    freshness_policy=DAILY_FRESHNESS,
    description="Every numeric mention in every sentence: value in base units, unit, "
                "qualifier, period, base period, place, and whether it is a change, target "
                "or forecast. Places come from the region sheet, relative periods from the "
                "document registry's publication dates.",
)
def raw_mentions(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    settings = warehouse.settings
    now = datetime.now(timezone.utc)
    # The gazetteer, the registry and the rules decide the mentions as much as the text.
    ctx = _extraction_context(settings)
    with warehouse.build_connection() as con:
        _ensure_together(con, (t.MENTIONS, t.EXTRACTED_DOCUMENTS))
        documents = con.execute(f"select document_id, path from {t.DOCUMENTS.name}").fetchall()
        # A document that left, or whose context changed (its date, the gazetteer, the
        # rules), loses its mentions; only those and new documents are extracted.
        expected = {doc_id: ctx.document_hash(path) for doc_id, path in documents}
        removed = delete_documents(con, [t.MENTIONS.name, t.EXTRACTED_DOCUMENTS.name], expected)
        to_extract = con.execute(
            f"select document_id, path, text from {t.DOCUMENTS.name} where document_id not in "
            f"(select document_id from {t.EXTRACTED_DOCUMENTS.name}) order by document_id"
        ).fetchall()
        undated = [path for _, path, _ in to_extract if path not in ctx.dates]
        progress = Progress("extracting mentions", len(to_extract), context.log.info)
        extracted = map_documents(
            extraction.extract_one,
            [(doc_id, path, text, ctx.dates.get(path)) for doc_id, path, text in to_extract],
            progress, initializer=extraction.init_worker, initargs=(ctx.gazetteer,))
        added = 0
        for batch in batched(extracted, BATCH_DOCUMENTS):
            added += append_together(con, [
                (t.MENTIONS.name, t.MENTIONS.columns,
                 (row for doc_id, records in batch
                  for row in t.mention_rows(doc_id, records, expected[doc_id], now))),
                (t.EXTRACTED_DOCUMENTS.name, t.EXTRACTED_DOCUMENTS.columns,
                 ((doc_id, expected[doc_id], len(records), now) for doc_id, records in batch)),
            ])[0]
        total, open_periods = con.execute(
            f"select count(*), count(*) filter (where period is null) "
            f"from {t.MENTIONS.name}").fetchone()
    for path in undated:
        context.log.warning(f"{path}: not in the document registry; relative periods "
                            f"(今年, 截至目前 …) are left open")
    return dg.MaterializeResult(metadata={
        "dagster/row_count": total, "documents_extracted": len(to_extract),
        "mentions_added": added, "mentions_removed": removed,
        "mentions_without_period": open_periods, "documents_not_in_registry": len(undated)})
