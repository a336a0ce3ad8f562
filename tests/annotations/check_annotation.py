"""Check a hand annotation of quantities (tests/annotations/README.md) against its documents.

Independent of the extractor: it uses only the decoder and the structure parser (to get the
sentences as the pipeline sees them), the region sheet and the set's document registry.
It checks every field and type; that each sentence is the parser's and the text occurs in
it at its occurrence; that spans do not overlap nor start inside a longer number; that the
place is a region of the sheet and the period follows the notation; that the value agrees
with the digits or Chinese numerals written (成, 分之, 半, 翻…番, 余/多 understood), a
range's value_high with its second number, and the qualifier with the qualifier words; and
that every annotated document is registered and every registered document exists.

    python tests/annotations/check_annotation.py                  # the seeds
    python tests/annotations/check_annotation.py tests/heldout2   # a set: mentions.jsonl,
                                                                  # documents/, documents.csv
    python tests/annotations/check_annotation.py SET --unannotated

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

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipelines.text.decoding import decode_document  # noqa: E402
from pipelines.text.structure import parse_document  # noqa: E402

REGIONS = ROOT / "seeds/sheets/regions.csv"
# The seeds by default; a held-out set is a folder with the same three parts.
ANNOTATION = ROOT / "tests/annotations/seed_mentions.jsonl"
DOCUMENTS = ROOT / "seeds/documents"
REGISTRY = ROOT / "seeds/sheets/documents.csv"


def use_set(folder: Path) -> None:
    global ANNOTATION, DOCUMENTS, REGISTRY
    ANNOTATION, DOCUMENTS, REGISTRY = (
        folder / "mentions.jsonl", folder / "documents", folder / "documents.csv")


def document_files() -> tuple[str, ...]:
    return tuple(sorted(p.name for p in DOCUMENTS.iterdir() if p.suffix in (".txt", ".md")))

QUALIFIERS = {"exact", "approx", "gt", "ge", "lt", "le"}
UNITS = {
    "元", "人", "人次", "户", "个", "家", "名", "亩", "平方米", "平方公里", "%", "个百分点",
    "岁", "年", "月", "天", "分钟", "小时", "项", "场", "位", "次", "倍", "吨", "公里",
    "条", "趟", "套", "斤", "头", "千瓦", "千瓦时", "座", "所", "张", "件", "万", "亿",
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
CN_NUMERAL = set(CN_DIGITS) | set(CN_UNITS) | set(MAGNITUDE)
NUMERAL_CHARS = set("0123456789") | CN_NUMERAL | set("半双")

# Words in the text that fix the qualifier (checked only when present).
QUALIFIER_WORDS = (
    ("以上", "ge"), ("不少于", "ge"), ("至少", "ge"),
    ("以内", "le"), ("以下", "le"), ("不超过", "le"),
    ("不足", "lt"), ("不到", "lt"),
    ("超过", "gt"), ("突破", "gt"), ("余", "gt"), ("多", "gt"), ("逾", "gt"),
    ("约", "approx"), ("近", "approx"), ("左右", "approx"),
)


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


def arabic_high(text: str) -> float | None:
    """The second number of a range (`8%—10%`, `三千元至六千元`), with its magnitude; None if
    there is none."""
    numbers = list(ARABIC.finditer(text))
    if len(numbers) >= 2:
        return arabic_value(text[numbers[1].start():])
    m = re.search(r"[至到—–~-]", text)
    if not numbers and m and any(ch in CN_NUMERAL for ch in text[:m.start()]):  # not 不到十分钟
        return chinese_value(text[m.end():])
    return None


def read_numeral(text: str) -> tuple[float, int] | None:
    """The Chinese numeral at the start of text and how many characters it takes:
    `一百二十` → 120, `三千余` → 3000, `十多万` → 100000, `两万` → 20000, `一年半` → 1 (the
    caller adds the half)."""
    total, section, digit, seen, i = 0.0, 0.0, None, False, 0
    while i < len(text):
        ch = text[i]
        if ch in CN_DIGITS:
            digit, seen = CN_DIGITS[ch], True
        elif ch in CN_UNITS:
            section += (digit if digit is not None else 1) * CN_UNITS[ch]
            digit, seen = None, True
        elif ch in MAGNITUDE:
            total += (section + (digit or 0) or 1) * MAGNITUDE[ch]
            section, digit, seen = 0.0, None, True
        elif ch in "余多" and seen and i + 1 < len(text) and text[i + 1] in MAGNITUDE:
            pass  # 十多万: the 多 sits between the number and its magnitude
        else:
            break
        i += 1
    if not seen:
        return None
    return total + section + (digit or 0), i


def chinese_value(text: str, unit: str = "") -> float | None:
    """A small reader for the Chinese numerals of these documents."""
    m = re.search(r"翻([一二两三四五六七八九十]+)番", text)
    if m:  # 翻一番 = ×2, 翻两番 = ×4
        n = read_numeral(m.group(1))
        return 2.0 ** n[0] if n else None
    m = re.search(r"([零〇一二两三四五六七八九十百千]+)分之([零〇一二两三四五六七八九十百千]+)", text)
    if m:  # 三分之二 = 2/3, as a percentage
        denominator, numerator = read_numeral(m.group(1)), read_numeral(m.group(2))
        if denominator and numerator and denominator[0]:
            return numerator[0] / denominator[0] * 100
        return None
    if unit == "%" and ("一半" in text or text.startswith("半")):
        return 50.0
    if re.match(r"半(?:小时|年|个月|天)", text.lstrip("近约")):  # 半小时 = 0.5 小时
        return 0.5
    for start, ch in enumerate(text):
        if ch in CN_NUMERAL:
            break
    else:
        return None
    read = read_numeral(text[start:])
    if read is None:
        return None
    value, length = read
    rest = text[start + length:]
    rest_no_qualifier = rest.lstrip("余多")
    if rest_no_qualifier.startswith("成"):  # 四成 = 40 %
        return value * 10
    return value + (0.5 if "半" in rest[:2] else 0)


def load_sentences() -> dict[tuple[str, int, int], str]:
    sentences = {}
    for name in document_files():
        text = decode_document((DOCUMENTS / name).read_bytes()).text
        for article in parse_document(text).articles:
            for s in article.sentences:
                sentences[(name, article.index, s.index)] = s.text
    return sentences


def load_places() -> set[str]:
    with REGIONS.open(encoding="utf-8", newline="") as f:
        return {row["name_zh"] for row in csv.DictReader(f)}


def load_registry() -> set[str]:
    with REGISTRY.open(encoding="utf-8", newline="") as f:
        return {row["file"] for row in csv.DictReader(f)}


def main(argv: list[str]) -> int:
    folders = [a for a in argv if not a.startswith("--")]
    if folders:
        use_set(Path(folders[0]))
    FILES = document_files()
    sentences, places, registered = load_sentences(), load_places(), load_registry()
    errors: list[str] = []
    spans: dict[tuple[str, int, int], list[tuple[int, int, int]]] = defaultdict(list)
    seen: set[tuple] = set()
    per_doc: dict[str, int] = defaultdict(int)
    per_article: dict[tuple[str, int], int] = defaultdict(int)
    by_hand: list[str] = []

    for name in FILES:
        if name not in registered:
            errors.append(f"{name}: not in documents.csv")
    for name in registered - set(FILES):
        errors.append(f"documents.csv names {name}, which is not a file under documents/")

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
            elif kind is float and isinstance(rec[key], int):
                errors.append(f"{where}: {key} is an int, write it as a float")
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
        if rec["text"][0] in CN_NUMERAL and start > 0 and sentence[start - 1] in CN_NUMERAL:
            errors.append(f"{where}: span starts inside a longer Chinese numeral")
        spans[key].append((start, end, n))
        ident = key + (rec["text"], rec["occurrence"])
        if ident in seen:
            errors.append(f"{where}: duplicate annotation")
        seen.add(ident)

        if rec["doc"] not in registered:
            errors.append(f"{where}: document not in documents.csv")
        if rec["qualifier"] not in QUALIFIERS:
            errors.append(f"{where}: qualifier {rec['qualifier']!r} not allowed")
        for word, qualifier in QUALIFIER_WORDS:
            if word in rec["text"] and rec["qualifier"] != qualifier:
                errors.append(f"{where}: text has {word} but qualifier is {rec['qualifier']}")
                break
        if rec["unit"] not in UNITS:
            errors.append(f"{where}: unit {rec['unit']!r} not allowed")
        if rec["place"] is not None and rec["place"] not in places:
            errors.append(f"{where}: place {rec['place']!r} not in regions.csv")
        for field in ("period", "base_period"):
            if rec[field] is not None and not PERIOD.match(rec[field]):
                errors.append(f"{where}: {field} {rec[field]!r} not in the notation")
        if rec["base_period"] is not None and rec["period"] is not None and rec["base_period"] == rec["period"]:
            errors.append(f"{where}: base_period equals period")

        expected = arabic_value(rec["text"])
        if expected is None:
            expected = chinese_value(rec["text"], rec["unit"])
            by_hand.append(f"{where}: Chinese numeral, read as {expected}")
        if expected is None:
            errors.append(f"{where}: no number in text")
        elif abs(expected - rec["value"]) > 1e-6 * max(1.0, abs(expected)):
            errors.append(f"{where}: value {rec['value']} but the text reads {expected}")
        high = arabic_high(rec["text"])
        if "value_high" in rec:
            if rec["value_high"] < rec["value"]:
                errors.append(f"{where}: value_high below value")
            if high is None or abs(high - rec["value_high"]) > 1e-6 * max(1.0, abs(high)):
                errors.append(f"{where}: value_high {rec['value_high']} but the text reads {high}")
        elif high is not None:
            errors.append(f"{where}: two numbers in the text but no value_high")

        per_doc[rec["doc"]] += 1
        per_article[(rec["doc"], rec["article"])] += 1

    for key, found in spans.items():
        found.sort()
        for (a0, a1, n0), (b0, b1, n1) in zip(found, found[1:]):
            if b0 < a1:
                errors.append(f"lines {n0} and {n1}: overlapping spans in {key}")

    for line in by_hand:
        print("note:", line)
    for doc in FILES:
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
