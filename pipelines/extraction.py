"""From a document's text to flat mention records: what `wumeng extract` prints, what the
mentions asset writes and what the scorer compares.

Plain Python (no Dagster, no DuckDB). A record's `start`/`end` are offsets into the
document's normalised text (see text/structure.py); `text` is the figure as written, with a
page break inside it repaired, so `text` may be shorter than `end - start`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipelines import sheets
from pipelines.text.context import Gazetteer, Mention, PublicationDate, resolve_document
from pipelines.text.structure import parse_document

# Change this when the rules change, so stored mentions are extracted again.
EXTRACTOR_VERSION = "3"  # 3: years in Chinese digits (二〇二三年), no 亿亿 or 翻2000番 figures


@dataclass(frozen=True)
class ExtractionContext:
    """What mentions depend on besides the text: the gazetteer (places), the registry's
    publication dates (relative periods) and the rules. `fingerprint` covers the rules and
    the gazetteer; `document_hash` adds one document's date, so a registry row added for a
    new article sends only that article through extraction again, not the whole corpus."""
    gazetteer: Gazetteer
    dates: dict[str, PublicationDate]  # by file; a page's articles share it: the earliest
    fingerprint: str

    def document_hash(self, path: str) -> str:
        published = self.dates.get(path)
        day = f"{published.day.isoformat()}/{published.precision}" if published else "undated"
        return hashlib.sha256(f"{self.fingerprint}:{day}".encode()).hexdigest()[:16]


def load_context(sheets_dir: Path, registry_dir: Path | None = None) -> ExtractionContext:
    """Read the region sheet and the registry (of `registry_dir`, default `sheets_dir`) once."""
    regions, _ = sheets.load_sheet(sheets_dir, sheets.REGIONS)
    registry, _ = sheets.load_sheet(registry_dir or sheets_dir, sheets.DOCUMENTS)
    dates: dict[str, PublicationDate] = {}
    for row in registry.to_dict("records"):
        published = PublicationDate.parse(row["publication_date"])
        current = dates.get(row["file"])
        if current is None or published.day < current.day:
            dates[row["file"]] = published
    payload = json.dumps([EXTRACTOR_VERSION, regions.drop(columns="row_number").values.tolist()],
                         ensure_ascii=False)
    return ExtractionContext(Gazetteer.from_rows(regions.to_dict("records")), dates,
                             hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16])


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def mention_record(doc: str, mention: Mention) -> dict:
    q, s = mention.quantity, mention.sentence
    period, base, place = mention.period, mention.base_period, mention.place
    return {
        "doc": doc,
        "article": mention.article_index,
        "sentence_index": s.index,
        "block_kind": s.kind,
        "start": s.to_doc_offset(q.start),
        "end": s.to_doc_offset(q.end - 1) + 1,
        "text": q.text,
        "value": q.value,
        "value_low": q.value_low,
        "value_high": q.value_high,
        "unit": q.unit,
        "qualifier": q.qualifier,
        "multiplier_kind": q.multiplier_kind,
        "is_change": q.is_change,
        "direction": q.direction,
        "is_target": q.is_target,
        "is_forecast": q.is_forecast,
        "period": period.label if period else None,
        "period_start": _iso(period.start) if period else None,
        "period_end": _iso(period.end) if period else None,
        "period_kind": period.kind if period else None,
        "period_source": mention.period_source,
        "base_period": base.label if base else None,
        "place": place.name if place else None,
        "place_code": place.code if place else None,
        "place_source": mention.place_source,
        "sentence": s.text,
    }


def extract_mentions(doc: str, text: str, gazetteer: Gazetteer,
                     published: PublicationDate | None) -> list[dict]:
    """Every mention of one document's normalised text, as flat records."""
    mentions = resolve_document(parse_document(text), gazetteer, published)
    return [mention_record(doc, m) for m in mentions]


# For worker processes (pipelines.parallel): the gazetteer is sent once, when a worker starts.
_worker_gazetteer: Gazetteer | None = None


def init_worker(gazetteer: Gazetteer) -> None:
    global _worker_gazetteer
    _worker_gazetteer = gazetteer


def extract_one(item: tuple[str, str, str, PublicationDate | None]) -> tuple[str, list[dict]]:
    """(document_id, path, text, publication date) -> (document_id, mention records)."""
    document_id, path, text, published = item
    return document_id, extract_mentions(path, text, _worker_gazetteer, published)


def read_annotations(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def extract_folder(documents_dir: Path, sheets_dir: Path, files: Iterable[str],
                   registry_dir: Path | None = None) -> list[dict]:
    """Mentions of the named files of a documents folder, with the registry's dates (the
    documents sheet of `registry_dir`, by default of `sheets_dir`)."""
    from pipelines.text.decoding import decode_document

    ctx = load_context(sheets_dir, registry_dir)
    records: list[dict] = []
    for name in files:
        text = decode_document((documents_dir / name).read_bytes()).text
        records += extract_mentions(name, text, ctx.gazetteer, ctx.dates.get(name))
    return records


def as_json_line(record: Mapping) -> str:
    return json.dumps(record, ensure_ascii=False)
