"""Python assets: read the input folders into raw tables of the build database.

Thin wrappers: the reading and validation live in plain modules (pipelines.documents,
pipelines.sheets) that tests call directly; these assets only write what they return.
"""

from dataclasses import astuple
from datetime import datetime, timezone

import dagster as dg

from pipelines import sheets
from pipelines.documents import scan_documents
from pipelines.resources import WarehouseResource
from pipelines.warehouse import replace_table

WRITES_DUCKDB = "duckdb_writer"  # one writer at a time: DuckDB allows no concurrent writers

LEDGER_COLUMNS = [("path", "VARCHAR"), ("size_bytes", "BIGINT"), ("sha256", "VARCHAR"),
                  ("encoding", "VARCHAR"), ("status", "VARCHAR"), ("reason", "VARCHAR"),
                  ("document_id", "VARCHAR"), ("loaded_at", "TIMESTAMPTZ")]
DOCUMENT_COLUMNS = [("document_id", "VARCHAR"), ("path", "VARCHAR"), ("sha256", "VARCHAR"),
                    ("encoding", "VARCHAR"), ("text", "VARCHAR"), ("char_count", "INTEGER"),
                    ("loaded_at", "TIMESTAMPTZ")]
REGION_COLUMNS = [(c, "VARCHAR") for c in sheets.REGIONS.columns] + [
    ("row_number", "INTEGER"), ("loaded_at", "TIMESTAMPTZ")]
REJECT_COLUMNS = [("sheet", "VARCHAR"), ("row_number", "INTEGER"), ("column_name", "VARCHAR"),
                  ("value", "VARCHAR"), ("reason", "VARCHAR"), ("loaded_at", "TIMESTAMPTZ")]


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["raw", "document_ledger"], group_name="documents", kinds={"python", "duckdb"},
                     description="One row per file under the documents folder: path, size, "
                                 "sha256, encoding, status and, if not loaded, the reason."),
        dg.AssetSpec(["raw", "documents"], group_name="documents", kinds={"python", "duckdb"},
                     description="One row per distinct document text, decoded and normalised."),
    ],
    pool=WRITES_DUCKDB,
)
def raw_documents(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    settings = warehouse.settings
    scan = scan_documents(settings.documents_dir)
    now = datetime.now(timezone.utc)
    with warehouse.build_connection() as con:
        replace_table(con, "raw.document_ledger", LEDGER_COLUMNS,
                      (astuple(row) + (now,) for row in scan.ledger))
        replace_table(con, "raw.documents", DOCUMENT_COLUMNS,
                      ((d.document_id, d.path, d.sha256, d.encoding, d.text, len(d.text), now)
                       for d in scan.documents))
    statuses = {s: sum(r.status == s for r in scan.ledger) for s in ("loaded", "duplicate", "rejected")}
    for row in scan.ledger:
        if row.status != "loaded":
            context.log.warning(f"{row.path}: {row.status}: {row.reason}")
    yield dg.MaterializeResult(
        asset_key=["raw", "document_ledger"],
        metadata={"files": len(scan.ledger), **{f"files_{s}": n for s, n in statuses.items()},
                  "folder": str(settings.documents_dir)})
    yield dg.MaterializeResult(
        asset_key=["raw", "documents"],
        metadata={"dagster/row_count": len(scan.documents),
                  "characters": sum(len(d.text) for d in scan.documents)})


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["raw", "sheet_regions"], group_name="sheets", kinds={"python", "duckdb"},
                     description="The gazetteer sheet (regions.csv or regions.xlsx), valid rows."),
        dg.AssetSpec(["raw", "sheet_rejects"], group_name="sheets", kinds={"python", "duckdb"},
                     description="Every sheet row that failed validation, with the reason."),
    ],
    pool=WRITES_DUCKDB,
)
def raw_sheets(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    settings = warehouse.settings
    regions, rejects = sheets.load_sheet(settings.sheets_dir, sheets.REGIONS)
    now = datetime.now(timezone.utc)
    with warehouse.build_connection() as con:
        replace_table(con, "raw.sheet_regions", REGION_COLUMNS,
                      (tuple(row) + (now,) for row in regions.itertuples(index=False)))
        replace_table(con, "raw.sheet_rejects", REJECT_COLUMNS,
                      (astuple(r) + (now,) for r in rejects))
    for reject in rejects:
        context.log.warning(f"{reject.sheet} row {reject.row_number}: {reject.reason}")
    yield dg.MaterializeResult(asset_key=["raw", "sheet_regions"],
                               metadata={"dagster/row_count": len(regions)})
    yield dg.MaterializeResult(asset_key=["raw", "sheet_rejects"],
                               metadata={"dagster/row_count": len(rejects)})
