"""Read and validate the analysts' curated sheets.

Plain Python (pandas; no Dagster, no DuckDB). A sheet is a CSV file (UTF-8 or GBK) or an
Excel workbook (first worksheet) named after what it holds, e.g. `regions.csv` or
`regions.xlsx`. Every row either loads or becomes a reject with the sheet, the row number
as the analyst sees it (header = row 1), the column, the value and a reason; a sheet that
lacks a required column is rejected whole, with that reason, and the others still load.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from pipelines.text.decoding import UndecodableError, decode_document

SHEET_SUFFIXES = (".csv", ".xlsx")
REGION_LEVELS = ("province", "city", "county", "township", "village", "community", "place")


@dataclass(frozen=True)
class Reject:
    sheet: str
    row_number: int | None  # None when the whole sheet is rejected
    column: str | None
    value: str | None
    reason: str


@dataclass(frozen=True)
class SheetSpec:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    key: tuple[str, ...]  # the columns that identify a row; no two rows may share them
    # Row checks return (column, reason) for the first problem found, or None.
    check_row: Callable[[dict[str, str], set[str]], tuple[str, str] | None]

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


def _check_region(row: dict[str, str], known_codes: set[str]) -> tuple[str, str] | None:
    if not re.fullmatch(r"[0-9A-Za-z_]+", row["code"]):
        return "code", "region code must be letters, digits or _ (an official code or our own)"
    if not row["name_zh"]:
        return "name_zh", "region has no Chinese name"
    if row["level"] not in REGION_LEVELS:
        return "level", f"unknown level; expected one of {', '.join(REGION_LEVELS)}"
    if row["level"] not in ("province", "city") and not row["parent_code"]:
        return "parent_code", "every region below a city needs a parent"
    if row["parent_code"] and row["parent_code"] not in known_codes:
        return "parent_code", "parent code is not a region in this sheet"
    return None


REGIONS = SheetSpec(
    name="regions",
    required=("code", "name_zh", "name_pinyin", "level", "parent_code"),
    optional=("aliases", "code_source", "notes"),  # aliases: short names, separated by |
    key=("code",),
    check_row=_check_region,
)

DATE_STATUSES = ("known", "estimated")


def parse_partial_date(text: str) -> tuple[date, str]:
    """`2025-11-03` (day), `2025-11` (month) or `2025` (year): the first day of the period
    and its precision. Raises ValueError for anything else."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
    if not match:
        raise ValueError(f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {text!r}")
    year, month, day = match.groups()
    precision = "day" if day else "month" if month else "year"
    return date(int(year), int(month or 1), int(day or 1)), precision


def _check_document(row: dict[str, str], _keys: set) -> tuple[str, str] | None:
    if not row["title"]:
        return "title", "document has no title"
    try:
        parse_partial_date(row["publication_date"])
    except ValueError as err:
        return "publication_date", str(err)
    if row["date_status"] not in DATE_STATUSES:
        return "date_status", f"expected one of {', '.join(DATE_STATUSES)}"
    if row["date_status"] == "estimated" and not row["date_basis"]:
        return "date_basis", "an estimated date must say what it was estimated from"
    return None


DOCUMENTS = SheetSpec(
    name="documents",
    required=("file", "title", "newspaper", "publication_date", "date_status"),
    optional=("date_basis", "authors", "notes"),
    key=("file", "title"),
    check_row=_check_document,
)

SHEETS = {spec.name: spec for spec in (REGIONS, DOCUMENTS)}


def read_sheet_file(path: Path) -> pd.DataFrame:
    """Every cell as text, blanks as empty strings, column names trimmed and lower-cased."""
    if path.suffix.lower() == ".xlsx":
        frame = pd.read_excel(path, dtype=str, keep_default_na=False)
    else:
        text = decode_document(path.read_bytes()).text
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    return frame.map(lambda v: v.strip() if isinstance(v, str) else ("" if v is None else str(v)))


def find_sheet(folder: Path, name: str) -> Path | None:
    candidates = [folder / f"{name}{suffix}" for suffix in SHEET_SUFFIXES]
    found = [p for p in candidates if p.is_file()]
    return found[0] if found else None


def load_sheet(folder: Path, spec: SheetSpec) -> tuple[pd.DataFrame, list[Reject]]:
    """Valid rows (with `row_number`) and rejects for one sheet."""
    empty = pd.DataFrame(columns=[*spec.columns, "row_number"])
    path = find_sheet(folder, spec.name)
    if path is None:
        return empty, [Reject(spec.name, None, None, None,
                              f"sheet not found: expected {spec.name}.csv or {spec.name}.xlsx")]
    try:
        frame = read_sheet_file(path)
    except (UndecodableError, ValueError, OSError) as err:
        return empty, [Reject(path.name, None, None, None, f"sheet cannot be read: {err}")]
    missing = [c for c in spec.required if c not in frame.columns]
    if missing:
        return empty, [Reject(path.name, None, ", ".join(missing), None,
                              f"missing required column(s): {', '.join(missing)}; sheet not loaded")]
    for column in spec.optional:
        if column not in frame.columns:
            frame[column] = ""
    frame = frame[list(spec.columns)]
    frame.insert(len(frame.columns), "row_number", range(2, len(frame) + 2))

    known_keys = {tuple(key) for key in frame[list(spec.key)].itertuples(index=False)}
    if len(spec.key) == 1:
        known_keys = {key for (key,) in known_keys}
    rejects: list[Reject] = []
    keep: list[bool] = []
    seen: set[tuple[str, ...]] = set()
    for row in frame.to_dict("records"):
        key = tuple(row[column] for column in spec.key)
        empty = next((column for column in spec.key if not row[column]), None)
        if empty:
            problem = (empty, "key column is empty")
        elif key in seen:
            problem = (spec.key[-1], "duplicate key: the same value appears on an earlier row")
        else:
            problem = spec.check_row(row, known_keys)
        seen.add(key)
        if problem:
            column, reason = problem
            rejects.append(Reject(path.name, row["row_number"], column, row[column], reason))
        keep.append(problem is None)
    return frame[keep].reset_index(drop=True), rejects
