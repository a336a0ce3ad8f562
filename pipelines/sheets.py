"""Read and validate the analysts' curated sheets.

Plain Python (pandas; no Dagster, no DuckDB). A sheet is a CSV file (UTF-8 or GBK) or an
Excel workbook (first worksheet) named after what it holds: `regions`, `documents`,
`indicators`, `observations` (.csv or .xlsx; seeds/sheets/README.md describes each). Every
row either loads or becomes a reject with the sheet, the row number as the analyst sees it
(header = row 1), the column, the value and a reason; a sheet that lacks a required column
is rejected whole, with that reason, and the others still load.

Sheets are checked against each other, in order: an observation must name a region of the
region sheet and an indicator of the indicator sheet, in that indicator's unit, and quote
its document word for word, a quote that holds the stated value.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Mapping
from typing import Protocol
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipelines.period_labels import parse_period
from pipelines.text.context import PublicationDate
from pipelines.text.decoding import UndecodableError, decode_document

SHEET_SUFFIXES = (".csv", ".xlsx")
REGION_LEVELS = ("province", "city", "county", "township", "village", "community", "place")
DATE_STATUSES = ("known", "estimated")
TOPICS = ("employment", "returnees", "entrepreneurship", "labour_transfer", "poverty_income",
          "relocation", "housing_fund", "agriculture", "recruitment", "tourism", "investment",
          "population")
MEASURE_TYPES = ("stock", "flow", "rate", "share", "count")
RELATIONS = ("component_of", "growth_of", "change_of", "share_of")
QUALIFIERS = ("exact", "approx", "gt", "ge", "lt", "le")
OBSERVATION_STATUSES = ("verified", "left_out")
BOOLEANS = {"true": True, "false": False, "": False}

Problem = tuple[str, str] | None  # (column, reason) of the first problem of a row


@dataclass(frozen=True)
class Reject:
    sheet: str
    row_number: int | None  # None when the whole sheet is rejected
    column: str | None
    value: str | None
    reason: str


class DocumentLookup(Protocol):
    """The loaded documents' texts by file, as the sheets are checked against them: only
    `file in texts` and `texts[file]` are asked (a dict will do)."""

    def __contains__(self, file: object) -> bool: ...

    def __getitem__(self, file: str) -> str: ...


@dataclass
class SheetContext:
    """What the rows of one sheet are checked against: the sheets loaded before it and the
    loaded documents' texts (file → normalised text; None when not available), and why the
    files of the folder that are not loaded were not (file → reason: a duplicate, rejected)."""
    document_texts: DocumentLookup | None = None
    not_loaded: Mapping[str, str] = field(default_factory=dict)
    region_codes: set[str] = field(default_factory=set)
    indicator_units: dict[str, str] = field(default_factory=dict)
    own_keys: set = field(default_factory=set)  # the keys of the sheet being checked
    _quotable: dict[str, str] = field(default_factory=dict)

    def quotable_text(self, file: str) -> str | None:
        """The document's text and its sentences with page breaks repaired: a quote may be
        copied from either (`累计回引8.12万人` is whole only in the repaired sentence)."""
        if self.document_texts is None or file not in self.document_texts:
            return None
        if file not in self._quotable:
            from pipelines.text.structure import parse_document

            text = self.document_texts[file]
            parsed = parse_document(text)
            sentences = [s.text for a in parsed.articles for s in a.sentences]
            self._quotable[file] = "\n".join([text, *sentences, *(s.text for s in parsed.sentences)])
        return self._quotable[file]


@dataclass(frozen=True)
class SheetSpec:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    key: tuple[str, ...]  # the columns that identify a row; no two rows may share them
    check_row: Callable[[dict[str, str], SheetContext], Problem]
    key_applies: Callable[[dict[str, str]], bool] = lambda row: True

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


# --- regions -------------------------------------------------------------------------------

def _check_region(row: dict[str, str], ctx: SheetContext) -> Problem:
    if not re.fullmatch(r"[0-9A-Za-z_]+", row["code"]):
        return "code", "region code must be letters, digits or _ (an official code or our own)"
    if not row["name_zh"]:
        return "name_zh", "region has no Chinese name"
    if row["level"] not in REGION_LEVELS:
        return "level", f"unknown level; expected one of {', '.join(REGION_LEVELS)}"
    if row["level"] not in ("province", "city") and not row["parent_code"]:
        return "parent_code", "every region below a city needs a parent"
    if row["parent_code"] and row["parent_code"] not in ctx.own_keys:
        return "parent_code", "parent code is not a region in this sheet"
    return None


REGIONS = SheetSpec(
    name="regions",
    required=("code", "name_zh", "name_pinyin", "level", "parent_code"),
    optional=("aliases", "code_source", "notes"),  # aliases: short names, separated by |
    key=("code",),
    check_row=_check_region,
)


# --- documents (the registry) -----------------------------------------------------------------

def _check_document(row: dict[str, str], ctx: SheetContext) -> Problem:
    if not row["title"]:
        return "title", "document has no title"
    try:
        PublicationDate.parse(row["publication_date"])
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


# --- indicators (the catalogue) ------------------------------------------------------------

def _check_indicator(row: dict[str, str], ctx: SheetContext) -> Problem:
    if not re.fullmatch(r"[A-Z][A-Z0-9_]*", row["code"]):
        return "code", "indicator code must be UPPER_SNAKE_CASE (letters, digits, _)"
    for column in ("name_zh", "name_en", "unit"):
        if not row[column]:
            return column, f"{column} is empty"
    if row["topic"] not in TOPICS:
        return "topic", f"unknown topic; expected one of {', '.join(TOPICS)}"
    if row["measure_type"] not in MEASURE_TYPES:
        return "measure_type", f"unknown measure type; expected one of {', '.join(MEASURE_TYPES)}"
    if row["relation"] and row["relation"] not in RELATIONS:
        return "relation", f"unknown relation; expected one of {', '.join(RELATIONS)} or empty"
    if bool(row["relation"]) != bool(row["related_code"]):
        return "related_code", "a relation needs a related indicator, and a related indicator a relation"
    if row["related_code"] and row["related_code"] not in ctx.own_keys:
        return "related_code", "related indicator is not in this sheet"
    if row["related_code"] == row["code"]:
        return "related_code", "an indicator cannot be related to itself"
    bounds = {}
    for column in ("plausible_min", "plausible_max"):
        if row[column]:
            try:
                bounds[column] = parse_number(row[column])
            except ValueError as err:
                return column, str(err)
    if len(bounds) == 2 and bounds["plausible_min"] > bounds["plausible_max"]:
        return "plausible_max", "plausible_max is below plausible_min"
    return None


INDICATORS = SheetSpec(
    name="indicators",
    required=("code", "name_zh", "name_en", "topic", "unit", "measure_type"),
    optional=("relation", "related_code", "plausible_min", "plausible_max", "keywords", "notes"),
    key=("code",),
    check_row=_check_indicator,
)


# --- observations (the analysts' verified facts) ---------------------------------------------

def parse_number(text: str) -> float:
    """A value in base units: digits, a decimal point, thousands separators. Not 8.12万."""
    cleaned = text.replace(",", "").replace("，", "").strip()
    if not cleaned:
        raise ValueError("value is empty")
    # ASCII digits only: DuckDB, which casts the cell in the staging model, reads no other
    # (Python's float() takes １２３ and would let the row through to fail the dbt build).
    if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", cleaned):
        raise ValueError(f"value is not a number in base units (write 8.12万 as 81200): {text!r}")
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(f"value is too large to be a figure: {text[:40]!r}…")
    return value


_NUMERAL_RUN = re.compile(r"[0-9０-９.,]+[万亿]*|[零〇一二两三四五六七八九十百千万亿]+")


def _quote_holds(quote: str, value: float) -> bool:
    """Whether the quote states `value`: as a figure the extractor reads (8.12万人 → 81200,
    八成 → 80) or, failing that, as any numeral written in it (百万亩 → 1000000, which the
    extractor leaves aside as rhetoric but an analyst may verify)."""
    from pipelines.text.numerals import parse_number
    from pipelines.text.quantities import extract_quantities

    def same(candidate: float | None) -> bool:
        return candidate is not None and math.isclose(candidate, value, rel_tol=1e-9, abs_tol=1e-9)

    if any(same(q.value) or same(q.value_high) for q in extract_quantities(quote)):
        return True
    for run in _NUMERAL_RUN.findall(quote):
        try:
            if same(parse_number(run.replace(",", ""))):
                return True
        except ValueError:
            continue
    return False


def _check_observation(row: dict[str, str], ctx: SheetContext) -> Problem:
    if row["status"] not in OBSERVATION_STATUSES:
        return "status", f"expected one of {', '.join(OBSERVATION_STATUSES)}"
    try:
        value = parse_number(row["value"])
    except ValueError as err:
        return "value", str(err)
    if row["qualifier"] not in QUALIFIERS:
        return "qualifier", f"unknown qualifier; expected one of {', '.join(QUALIFIERS)}"
    if row["is_target"].lower() not in BOOLEANS:
        return "is_target", "expected true or false"
    if not row["quote"]:
        return "quote", "quote is empty: give the words the figure stands in"
    quotable = ctx.quotable_text(row["document"])
    if ctx.document_texts is not None and quotable is None:
        if row["document"] in ctx.not_loaded:  # the file is there: say why it is not loaded
            return "document", f"document is not loaded: {ctx.not_loaded[row['document']]}"
        return "document", "document is not a loaded file of the documents folder"
    if quotable is not None and row["quote"] not in quotable:
        return "quote", "quote is not found word for word in its document"
    if not _quote_holds(row["quote"], value):
        return "value", "the quote does not contain the stated value"
    if row["status"] == "left_out":
        return None if row["notes"] else ("notes", "a statistic left out must say why in notes")
    if row["indicator_code"] not in ctx.indicator_units:
        return "indicator_code", "unknown indicator code (not in the indicator sheet)"
    if row["region_code"] not in ctx.region_codes:
        return "region_code", "unknown region code (not in the region sheet)"
    try:
        parse_period(row["period"])
    except ValueError as err:
        return "period", str(err)
    if row["unit"] != ctx.indicator_units[row["indicator_code"]]:
        return "unit", (f"unit does not fit the indicator "
                        f"(expected {ctx.indicator_units[row['indicator_code']]})")
    return None


OBSERVATIONS = SheetSpec(
    name="observations",
    required=("status", "indicator_code", "region_code", "period", "value", "unit", "qualifier",
              "document", "quote"),
    optional=("is_target", "notes"),
    key=("indicator_code", "region_code", "period", "document", "is_target"),
    check_row=_check_observation,
    key_applies=lambda row: row["status"] == "verified",  # left-out rows name no fact
)

SHEETS = {spec.name: spec for spec in (REGIONS, DOCUMENTS, INDICATORS, OBSERVATIONS)}


# --- reading -------------------------------------------------------------------------------

def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _read_grid(path: Path) -> list[list[object]]:
    if path.suffix.lower() == ".xlsx":
        try:
            frame = pd.read_excel(path, header=None, dtype=str, keep_default_na=False)
        except OSError:
            raise
        except Exception as err:
            # zipfile, openpyxl and pandas each raise their own kinds for a damaged workbook
            # or another file renamed .xlsx; to the analyst they all mean the same.
            raise ValueError(f"not a readable .xlsx workbook (damaged, or another kind of "
                             f"file renamed .xlsx): {type(err).__name__}: {err}") from None
        return frame.values.tolist()
    text = decode_document(path.read_bytes()).text
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error as err:
        raise ValueError(f"not a readable CSV file: {err}") from None


def read_sheet_file(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header (names trimmed and lower-cased) and the rows under it, each with its row
    number as the analyst sees it (header = row 1) and every cell as trimmed text. Rows
    with nothing in them hold no data and are left out; the others keep their numbers.
    ValueError (or UndecodableError) with the reason when the file is not a readable sheet.

    Read cell by cell, not with pandas' CSV reader: that one skips blank lines (so the row
    numbers in rejects drift), takes a row with one cell too many as an index column
    (shifting every cell of every row) and fails the whole sheet on a longer row."""
    numbered = [(number, [_cell(value) for value in cells])
                for number, cells in enumerate(_read_grid(path), start=1)]
    numbered = [(number, cells) for number, cells in numbered if any(cells)]
    if not numbered:
        raise ValueError("the sheet is empty: no header row")
    (_, header), *rows = numbered
    return [name.lower() for name in header], rows


def _sheet_files(folder: Path, name: str) -> list[Path]:
    """The files holding sheet `name`, the one read first (CSV before Excel). Names match
    whatever their case: Excel users save Observations.xlsx."""
    if not folder.is_dir():
        return []
    wanted = [f"{name}{suffix}" for suffix in SHEET_SUFFIXES]
    files = [p for p in sorted(folder.iterdir()) if p.name.lower() in wanted and p.is_file()]
    return sorted(files, key=lambda p: wanted.index(p.name.lower()))


def find_sheet(folder: Path, name: str) -> Path | None:
    found = _sheet_files(folder, name)
    return found[0] if found else None


def _frame(path: Path, spec: SheetSpec, header: list[str], rows: list[tuple[int, list[str]]],
           ) -> tuple[pd.DataFrame | None, list[Reject]]:
    """The rows as a frame of the sheet's columns (with `row_number`), or None when the
    header does not allow it, and the rejects found on the way."""
    named = [name for name in header if name]
    doubled = sorted({name for name in named if named.count(name) > 1})
    if doubled:
        return None, [Reject(path.name, None, ", ".join(doubled), None,
                             f"column(s) named twice in the header: {', '.join(doubled)}; "
                             f"sheet not loaded (which of them holds the data?)")]
    missing = [c for c in spec.required if c not in named]
    if missing:
        return None, [Reject(path.name, None, ", ".join(missing), None,
                             f"missing required column(s): {', '.join(missing)}; sheet not loaded")]
    rejects: list[Reject] = []
    unknown = [name for name in named if name not in spec.columns]
    if unknown:  # nothing the analyst typed is dropped without a word
        rejects.append(Reject(path.name, None, ", ".join(unknown), None,
                              f"column(s) not part of the {spec.name} sheet, ignored: "
                              f"{', '.join(unknown)}; the rows were loaded without them"))
    records: list[dict[str, object]] = []
    for number, cells in rows:
        stray = next((i for i, value in enumerate(cells)
                      if value and (i >= len(header) or not header[i])), None)
        if stray is not None:
            hint = (" (a comma inside a cell that is not in quotes?)"
                    if path.suffix.lower() == ".csv" else "")
            rejects.append(Reject(path.name, number, None, cells[stray],
                                  f"a value in column {stray + 1}, which has no name in the "
                                  f"header row; row not loaded{hint}"))
            continue
        cells = cells + [""] * (len(header) - len(cells))
        record = {column: "" for column in spec.columns}
        record.update((name, value) for name, value in zip(header, cells) if name in record)
        record["row_number"] = number
        records.append(record)
    return pd.DataFrame(records, columns=[*spec.columns, "row_number"]), rejects


def _formula(row: dict[str, str], spec: SheetSpec) -> Problem:
    # A CSV keeps a formula as its text (=1+1, =HYPERLINK(...)): it is not a value, and
    # stored as one it would run again in the spreadsheet of whoever exports it.
    column = next((c for c in spec.columns if row[c].startswith("=") and len(row[c]) > 1), None)
    return (column, "a spreadsheet formula, not a value (the cell starts with =): "
                    "write the value itself") if column else None


def load_sheet(folder: Path, spec: SheetSpec, ctx: SheetContext | None = None,
               ) -> tuple[pd.DataFrame, list[Reject]]:
    """Valid rows (with `row_number`) and rejects for one sheet."""
    ctx = ctx or SheetContext()
    empty = pd.DataFrame(columns=[*spec.columns, "row_number"])
    path, *others = _sheet_files(folder, spec.name) or [None]
    if path is None:
        return empty, [Reject(spec.name, None, None, None,
                              f"sheet not found: expected {spec.name}.csv or {spec.name}.xlsx")]
    # Two files for one sheet: one is read, and the other must not be ignored in silence.
    rejects: list[Reject] = [Reject(other.name, None, None, None,
                                    f"not read: {path.name} holds the {spec.name} sheet too and "
                                    f"is the one read; keep only one of them")
                             for other in others]
    try:
        header, rows = read_sheet_file(path)
    except (UndecodableError, ValueError, OSError) as err:
        return empty, rejects + [Reject(path.name, None, None, None, f"sheet cannot be read: {err}")]
    frame, found = _frame(path, spec, header, rows)
    rejects += found
    if frame is None:
        return empty, rejects

    rows = frame.to_dict("records")
    keys = [tuple(row[column] for column in spec.key) for row in rows]
    ctx.own_keys = {key[0] if len(key) == 1 else key for key in keys}
    keep: list[bool] = []
    seen: set[tuple[str, ...]] = set()
    for row, key in zip(rows, keys):
        keyed = spec.key_applies(row)
        empty_column = next((column for column in spec.key if not row[column]), None) if keyed else None
        problem = (_formula(row, spec)
                   or ((empty_column, "key column is empty") if empty_column else None)
                   or spec.check_row(row, ctx))
        if problem is None and keyed:
            # Only a loaded row holds its key: a duplicate is the same fact as a loaded row.
            if key in seen:
                problem = (spec.key[-1], "duplicate key: the same "
                           + " + ".join(spec.key) + " appears on an earlier row")
            seen.add(key)
        if problem:
            column, reason = problem
            rejects.append(Reject(path.name, row["row_number"], column, row[column], reason))
        keep.append(problem is None)
    return frame[keep].reset_index(drop=True), rejects


def folder_fingerprint(folder: Path, *extra: str) -> str:
    """A hash of the sheet files of `folder` (names and bytes), of the code that checks them
    and of `extra`: what a check of the sheets depends on besides the loaded documents."""
    import hashlib

    digest = hashlib.sha256("\0".join(extra).encode())
    code = Path(__file__).parent
    for source in sorted([Path(__file__), code / "period_labels.py", *(code / "text").glob("*.py")]):
        digest.update(source.read_bytes())
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in SHEET_SUFFIXES and path.is_file():
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def load_sheets(folder: Path, document_texts: DocumentLookup | None = None,
                not_loaded: Mapping[str, str] | None = None,
                ) -> tuple[dict[str, pd.DataFrame], list[Reject]]:
    """Every sheet, in order, each checked against those before it and the documents
    (`not_loaded`: why a file of the documents folder is not among them)."""
    ctx = SheetContext(document_texts=document_texts, not_loaded=not_loaded or {})
    frames: dict[str, pd.DataFrame] = {}
    rejects: list[Reject] = []
    for name, spec in SHEETS.items():
        frames[name], sheet_rejects = load_sheet(folder, spec, ctx)
        rejects += sheet_rejects
        if name == "regions":
            ctx.region_codes = set(frames[name]["code"])
        elif name == "indicators":
            ctx.indicator_units = dict(zip(frames[name]["code"], frames[name]["unit"]))
    known = {f"{name}{suffix}" for name in SHEETS for suffix in SHEET_SUFFIXES}
    if folder.is_dir():  # a sheet under another name would otherwise be ignored in silence
        rejects += [Reject(p.name, None, None, None,
                           "not a sheet Wumeng reads (expected regions, documents, indicators "
                           "or observations, as .csv or .xlsx); not loaded")
                    for p in sorted(folder.iterdir())
                    if p.suffix.lower() in SHEET_SUFFIXES and p.name.lower() not in known]
    return frames, rejects
