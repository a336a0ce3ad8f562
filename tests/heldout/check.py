"""Check `tests/heldout/mentions.jsonl`, the hand annotation of the held-out documents.

Adapted from `tests/annotations/check_annotation.py` (same checks) for the held-out set:
- the documents are every .txt/.md file of `tests/heldout/documents/`, read through
  `decoding.decode_document` (one of them is GBK with CRLF line ends);
- every document must have a row in `tests/heldout/documents.csv`;
- the unit list is extended with the units the held-out articles use (座, 条, 头, 所, 张,
  千瓦) and the Chinese-numeral reader with 成 (八成 = 80 %), 分之 (三分之一 = 33.3… %)
  and a bare 半 (半小时 = 0.5).

Independent of the extractor: it uses only the decoder, the structure parser (to get the
sentences as the pipeline sees them) and the region sheet. Run from the repository root:

    python tests/heldout/check.py [--unannotated]

It exits 1 on any error. With `--unannotated` it also lists every sentence that contains a
digit or a Chinese numeral but carries no annotation, so each can be confirmed quantity-free.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from pipelines.text.decoding import decode_document
from pipelines.text.structure import parse_document

ROOT = Path(__file__).resolve().parents[2]
ANNOTATION = ROOT / "tests/heldout/mentions.jsonl"
DOCUMENTS = ROOT / "tests/heldout/documents"
REGISTRY = ROOT / "tests/heldout/documents.csv"
REGIONS = ROOT / "seeds/sheets/regions.csv"
SEEDS = tuple(sorted(p.name for p in DOCUMENTS.iterdir() if p.suffix in (".txt", ".md")))

QUALIFIERS = {"exact", "approx", "gt", "ge", "lt", "le"}
UNITS = {
    "元", "人", "人次", "户", "个", "家", "名", "亩", "平方米", "平方公里", "%", "个百分点",
    "岁", "年", "月", "天", "分钟", "小时", "项", "场", "位", "次", "倍", "吨", "公里",
    # held-out additions
    "座", "条", "头", "所", "张", "千瓦",
}
REQUIRED = {
    "doc": str, "article": int, "sentence_index": int, "sentence": str, "text": str,
    "occurrence": int, "value": float, "unit": str, "qualifier": str,
    "period": (str, type(None)), "base_period": (str, type(None)), "place": (str, type(None)),
    "is_change": bool, "is_target": bool, "is_forecast": bool,
}
OPTIONAL = {"value_high": float, "note": str}

_DATE = r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?|-H[12]|-Q[1-4])?"
PERIOD = re.compile(rf"^(?:{_DATE}|\.\./{_DATE}|{_DATE}/{_DATE})$")

ARABIC = re.compile(r"\d+(?:\.\d+)?")
MAGNITUDE = {"万": 1e4, "亿": 1e8}
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
NUMERAL_CHARS = set("0123456789") | set(CN_DIGITS) | set(CN_UNITS) | set(MAGNITUDE) | set("半双")


def occurrences(haystack: str, needle: str) -> list[int]:
    """Start of every (possibly overlapping) occurrence of needle."""
    found, i = [], haystack.find(needle)
    while i >= 0:
        found.append(i)
        i = haystack.find(needle, i + 1)
    return found


def arabic_value(text: str) -> float | None:
    """The digits times the 万/亿 after them (余/多 may sit between: 10余万, 16万余)."""
    m = ARABIC.search(text)
    if not m:
        return None
    value, rest = float(m.group()), text[m.end():]
    rest = rest.lstrip("余多")
    while rest and rest[0] in MAGNITUDE:
        value *= MAGNITUDE[rest[0]]
        rest = rest[1:]
    return value


def chinese_value(text: str) -> float | None:
    """The seeds' reader plus the held-out shares and halves: 八成 = 80, 近三成 = 30,
    三分之一 = 33.3…, 翻一番 = 2 (倍, twice the base), 半小时 = 0.5."""
    if text.startswith("翻") and text.endswith("番"):
        n = _seed_chinese_value(text.strip("翻了番"))
        return None if n is None else 2.0 ** n
    if "分之" in text:
        den, num = text.split("分之", 1)
        d, n = _seed_chinese_value(den), _seed_chinese_value(num)
        return None if d is None or n is None else 100.0 * n / d
    value = _seed_chinese_value(text)
    if value is None and "半" in text:
        return 0.5
    i = text.find("成")
    if value is not None and i > 0 and text[i - 1] in NUMERAL_CHARS:
        return value * 10  # 成 = tenths, shares are in percent
    return value


def _seed_chinese_value(text: str) -> float | None:
    """A small reader for the Chinese numerals of the seeds: 二, 两个, 一年半, 百万, 万元."""
    total, section, digit, seen = 0.0, 0.0, None, False
    for i, ch in enumerate(text):
        if ch in CN_DIGITS:
            digit, seen = CN_DIGITS[ch], True
        elif ch in CN_UNITS:
            section += (digit if digit is not None else 1) * CN_UNITS[ch]
            digit, seen = None, True
        elif ch in MAGNITUDE:
            total += (section + (digit or 0) or 1) * MAGNITUDE[ch]
            section, digit, seen = 0.0, None, True
        elif seen:
            value = total + section + (digit or 0)
            return value + (0.5 if "半" in text[i:i + 2] else 0)
    return total + section + (digit or 0) if seen else None


def load_sentences() -> dict[tuple[str, int, int], str]:
    sentences = {}
    for name in SEEDS:
        doc = parse_document(decode_document((DOCUMENTS / name).read_bytes()).text)
        for article in doc.articles:
            for s in article.sentences:
                sentences[(name, article.index, s.index)] = s.text
    return sentences


def load_places() -> set[str]:
    with REGIONS.open(encoding="utf-8", newline="") as f:
        return {row["name_zh"] for row in csv.DictReader(f)}


def main(argv: list[str]) -> int:
    sentences, places = load_sentences(), load_places()
    errors: list[str] = []
    with REGISTRY.open(encoding="utf-8", newline="") as f:
        registered = {row["file"] for row in csv.DictReader(f)}
    for name in SEEDS:
        if name not in registered:
            errors.append(f"{name}: no row in {REGISTRY.name}")
    for name in registered - set(SEEDS):
        errors.append(f"{REGISTRY.name}: {name} is not a document")
    spans: dict[tuple[str, int, int], list[tuple[int, int, int]]] = defaultdict(list)
    seen: set[tuple] = set()
    per_doc: dict[str, int] = defaultdict(int)
    per_article: dict[tuple[str, int], int] = defaultdict(int)
    by_hand: list[str] = []

    lines = ANNOTATION.read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines, 1):
        where = f"line {n}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{where}: not JSON ({exc})")
            continue
        for key, kind in REQUIRED.items():
            if key not in rec:
                errors.append(f"{where}: missing {key}")
            elif kind is float and isinstance(rec[key], bool):
                errors.append(f"{where}: {key} is a bool")
            elif not isinstance(rec[key], kind):
                errors.append(f"{where}: {key} has type {type(rec[key]).__name__}")
        for key in rec.keys() - REQUIRED.keys():
            if key not in OPTIONAL:
                errors.append(f"{where}: unknown field {key}")
            elif not isinstance(rec[key], OPTIONAL[key]):
                errors.append(f"{where}: {key} has type {type(rec[key]).__name__}")
        if any(e.startswith(where + ":") for e in errors):
            continue
        where = f"line {n} ({rec['doc'][:3]} {rec['article']}.{rec['sentence_index']} {rec['text']})"

        key = (rec["doc"], rec["article"], rec["sentence_index"])
        sentence = sentences.get(key)
        if sentence is None:
            errors.append(f"{where}: no such sentence in the parser output")
            continue
        if rec["sentence"] != sentence:
            errors.append(f"{where}: sentence differs from the parser's")
        starts = occurrences(sentence, rec["text"])
        if not rec["text"] or rec["occurrence"] >= len(starts) or rec["occurrence"] < 0:
            errors.append(f"{where}: text not found at occurrence {rec['occurrence']}")
            continue
        start = starts[rec["occurrence"]]
        end = start + len(rec["text"])
        if rec["text"][0].isdigit() and start > 0 and (sentence[start - 1].isdigit() or sentence[start - 1] == "."):
            errors.append(f"{where}: span starts inside a longer number (check occurrence)")
        if end < len(sentence) and rec["text"][-1].isdigit() and sentence[end].isdigit():
            errors.append(f"{where}: span ends inside a longer number")
        spans[key].append((start, end, n))
        ident = key + (rec["text"], rec["occurrence"])
        if ident in seen:
            errors.append(f"{where}: duplicate annotation")
        seen.add(ident)

        if rec["qualifier"] not in QUALIFIERS:
            errors.append(f"{where}: qualifier {rec['qualifier']!r} not allowed")
        if rec["unit"] not in UNITS:
            errors.append(f"{where}: unit {rec['unit']!r} not allowed")
        if rec["place"] is not None and rec["place"] not in places:
            errors.append(f"{where}: place {rec['place']!r} not in regions.csv")
        for field in ("period", "base_period"):
            if rec[field] is not None and not PERIOD.match(rec[field]):
                errors.append(f"{where}: {field} {rec[field]!r} not in the notation")
        if "value_high" in rec and rec["value_high"] < rec["value"]:
            errors.append(f"{where}: value_high below value")

        expected = arabic_value(rec["text"])
        if expected is None:
            expected = chinese_value(rec["text"])
            by_hand.append(f"{where}: Chinese numeral, read as {expected}")
        if expected is None:
            errors.append(f"{where}: no number in text")
        elif abs(expected - rec["value"]) > 1e-6 * max(1.0, abs(expected)):
            errors.append(f"{where}: value {rec['value']} but the text reads {expected}")

        per_doc[rec["doc"]] += 1
        per_article[(rec["doc"], rec["article"])] += 1

    for key, found in spans.items():
        found.sort()
        for (a0, a1, n0), (b0, b1, n1) in zip(found, found[1:]):
            if b0 < a1:
                errors.append(f"lines {n0} and {n1}: overlapping spans in {key}")

    for line in by_hand:
        print("note:", line)
    for doc in SEEDS:
        print(f"{doc}: {per_doc[doc]} quantities")
        for (d, article), count in sorted(per_article.items()):
            if d == doc:
                print(f"  article {article}: {count}")
    print(f"total: {sum(per_doc.values())}")

    if "--unannotated" in argv:
        print("\nsentences with a digit or a Chinese numeral and no annotation:")
        for key, text in sentences.items():
            if key not in spans and NUMERAL_CHARS & set(text):
                print(f"  {key[0][:3]} {key[1]}.{key[2]}: {text}")

    for e in errors:
        print("ERROR:", e)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
