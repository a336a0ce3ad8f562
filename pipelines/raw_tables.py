"""The raw tables the Python assets write (schema `raw`), and how rows are shaped for them.

dbt reads these as sources; their columns are declared once, here.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines import sheets
from pipelines.text.structure import Block, Document as ParsedDocument, Sentence, parse_document


@dataclass(frozen=True)
class Table:
    name: str  # schema.table
    columns: tuple[tuple[str, str], ...]  # (name, DuckDB type)


LOADED_AT = ("loaded_at", "TIMESTAMPTZ")
PIECES = ("pieces", "INTEGER[][]")  # ranges of the document text; see text/structure.py

DOCUMENT_LEDGER = Table("raw.document_ledger", (
    ("path", "VARCHAR"), ("size_bytes", "BIGINT"), ("sha256", "VARCHAR"), ("encoding", "VARCHAR"),
    ("status", "VARCHAR"), ("reason", "VARCHAR"), ("document_id", "VARCHAR"),
    ("modified_ns", "BIGINT"), ("inode", "UBIGINT"), LOADED_AT))
DOCUMENTS = Table("raw.documents", (
    ("document_id", "VARCHAR"), ("path", "VARCHAR"), ("sha256", "VARCHAR"), ("encoding", "VARCHAR"),
    ("text", "VARCHAR"), ("char_count", "INTEGER"), LOADED_AT))
ARTICLES = Table("raw.articles", (
    ("document_id", "VARCHAR"), ("article_index", "INTEGER"), ("headline", "VARCHAR"),
    ("subtitle", "VARCHAR"), ("byline", "VARCHAR"), ("authors", "VARCHAR[]"),
    ("author_roles", "VARCHAR[]"), ("start_offset", "INTEGER"), ("end_offset", "INTEGER"),
    LOADED_AT))
BLOCKS = Table("raw.blocks", (
    ("document_id", "VARCHAR"), ("article_index", "INTEGER"), ("block_index", "INTEGER"),
    ("kind", "VARCHAR"), ("level", "INTEGER"), ("text", "VARCHAR"), ("start_offset", "INTEGER"),
    ("end_offset", "INTEGER"), PIECES, ("repaired", "BOOLEAN"), ("truncated", "BOOLEAN"),
    LOADED_AT))
SENTENCES = Table("raw.sentences", (
    ("document_id", "VARCHAR"), ("article_index", "INTEGER"), ("sentence_index", "INTEGER"),
    ("block_index", "INTEGER"), ("block_kind", "VARCHAR"), ("text", "VARCHAR"),
    ("start_offset", "INTEGER"), ("end_offset", "INTEGER"), PIECES, LOADED_AT))
MENTIONS = Table("raw.mentions", (
    ("document_id", "VARCHAR"), ("article_index", "INTEGER"), ("sentence_index", "INTEGER"),
    ("mention_index", "INTEGER"), ("start_offset", "INTEGER"), ("end_offset", "INTEGER"),
    ("text", "VARCHAR"), ("value", "DOUBLE"), ("value_low", "DOUBLE"), ("value_high", "DOUBLE"),
    ("unit", "VARCHAR"), ("qualifier", "VARCHAR"), ("multiplier_kind", "VARCHAR"),
    ("is_change", "BOOLEAN"), ("direction", "INTEGER"), ("is_target", "BOOLEAN"),
    ("is_forecast", "BOOLEAN"), ("period", "VARCHAR"), ("period_start", "DATE"),
    ("period_end", "DATE"), ("period_kind", "VARCHAR"), ("period_source", "VARCHAR"),
    ("base_period", "VARCHAR"), ("place_code", "VARCHAR"), ("place_source", "VARCHAR"),
    ("context_hash", "VARCHAR"), LOADED_AT))
# Bookkeeping, not a dbt source: which documents were extracted, under which context, so a
# document with no figure at all is not extracted again on every refresh.
EXTRACTED_DOCUMENTS = Table("raw.extracted_documents", (
    ("document_id", "VARCHAR"), ("context_hash", "VARCHAR"), ("mention_count", "INTEGER"),
    LOADED_AT))


def parse_one(item: tuple[str, str, object]) -> dict[Table, list[tuple]]:
    """(document_id, text, loaded_at) -> its rows of raw.articles, raw.blocks and
    raw.sentences; a module-level function, so that worker processes can run it."""
    document_id, text, loaded_at = item
    return structure_rows(document_id, parse_document(text), loaded_at)


def mention_rows(document_id: str, records: list[dict], context_hash: str, loaded_at) -> list[tuple]:
    """Rows of raw.mentions from extraction.extract_mentions records of one document."""
    rows, counter = [], {}
    for r in records:
        key = (r["article"], r["sentence_index"])
        counter[key] = counter.get(key, -1) + 1
        rows.append((document_id, r["article"], r["sentence_index"], counter[key], r["start"],
                     r["end"], r["text"], r["value"], r["value_low"], r["value_high"], r["unit"],
                     r["qualifier"], r["multiplier_kind"], r["is_change"], r["direction"],
                     r["is_target"], r["is_forecast"], r["period"], r["period_start"],
                     r["period_end"], r["period_kind"], r["period_source"], r["base_period"],
                     r["place_code"], r["place_source"], context_hash, loaded_at))
    return rows


def _sheet_table(spec: sheets.SheetSpec) -> Table:
    """raw.sheet_<name>: the valid rows of a curated sheet, every cell as text."""
    return Table(f"raw.sheet_{spec.name}", tuple((c, "VARCHAR") for c in spec.columns)
                 + (("row_number", "INTEGER"), LOADED_AT))


SHEET_TABLES = {name: _sheet_table(spec) for name, spec in sheets.SHEETS.items()}
# The fingerprint of the inputs the sheet tables were last checked against (sheets_fingerprint).
# The last check of the sheets: a hash of the sheet files and the checking code, and the
# documents it consulted ({file: its document_id, why it is not loaded, or null}, JSON).
SHEETS_CHECKED = Table("raw.sheets_checked", (("fingerprint", "VARCHAR"),
                                              ("documents_consulted", "VARCHAR"), LOADED_AT))
SHEET_REJECTS = Table("raw.sheet_rejects", (
    ("sheet", "VARCHAR"), ("row_number", "INTEGER"), ("column_name", "VARCHAR"),
    ("value", "VARCHAR"), ("reason", "VARCHAR"), LOADED_AT))


def _pieces(span: Block | Sentence) -> list[list[int]]:
    return [list(piece) for piece in span.pieces]


def structure_rows(document_id: str, parsed: ParsedDocument, loaded_at) -> dict[Table, list[tuple]]:
    """Rows of raw.articles, raw.blocks and raw.sentences for one parsed document.
    Blocks outside any article (a leading note, say) have article_index NULL."""
    rows: dict[Table, list[tuple]] = {ARTICLES: [], BLOCKS: [], SENTENCES: []}
    owners = [(a.index, a.blocks, a.sentences) for a in parsed.articles]
    owners.append((None, parsed.blocks, parsed.sentences))
    for article in parsed.articles:
        names = [(b.role, name) for b in article.bylines for name in b.names]
        byline_block = next((b for b in article.blocks if b.kind == "byline"), None)
        rows[ARTICLES].append((
            document_id, article.index, article.headline, article.subtitle,
            byline_block.text if byline_block else None,
            [name for _, name in names], [role for role, _ in names],
            article.start, article.end, loaded_at))
    for article_index, blocks, sentences in owners:
        for i, b in enumerate(blocks):
            rows[BLOCKS].append((document_id, article_index, i, b.kind, b.level, b.text, b.start,
                                 b.end, _pieces(b), b.repaired, b.truncated, loaded_at))
        for s in sentences:
            rows[SENTENCES].append((document_id, article_index, s.index, s.block_index, s.kind,
                                    s.text, s.start, s.end, _pieces(s), loaded_at))
    return rows
