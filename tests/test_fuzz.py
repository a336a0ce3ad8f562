"""Property-based fuzzing of the decoder, the document parser and the extractor (issue 10).

The properties hold for any input, not only for newspaper text:

* decoding returns text or raises UndecodableError, never anything else;
* parsing (raw_tables.parse_one) and extraction (extraction.extract_one) never raise;
* every offset of an article, block, sentence or mention lies in the text, and the text at
  it is what the object says it is;
* no document of up to ~20k characters takes longer than TIME_BOUND seconds, so a regex or
  loop gone quadratic fails here, with the input's size and shape, instead of hanging a
  refresh. The explicit adversarial cases at the end are 2-10 times that size, large enough
  that quadratic work in the rule they aim at would blow the same bound.

Inputs found by fuzzing that crashed or hung are kept as @example cases here and as plain
regression tests next to the module they were fixed in (tests/text/).

Hypothesis is derandomised (the same cases on every run, as CI needs) and keeps no example
database; its deadline is off because each property checks the time itself.
"""

from __future__ import annotations

import codecs
import math
import time
from bisect import bisect_right
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipelines import extraction
from pipelines.raw_tables import ARTICLES, BLOCKS, SENTENCES, parse_one
from pipelines.text.context import PublicationDate, time_expressions
from pipelines.text.decoding import UndecodableError, decode_document, normalise_line_ends
from pipelines.text.numerals import parse_chinese, parse_number, parse_percent
from pipelines.text.quantities import extract_quantities
from pipelines.text.structure import Document, Span, parse_document, sentence_bounds
from tests.conftest import SEED_SHEETS

TIME_BOUND = 2.0  # seconds for one document; normal pages of ~10k characters take ~0.02 s
MAX_DOCUMENT = 20_000  # characters of a generated document
LOADED_AT = datetime(2025, 11, 24, tzinfo=timezone.utc)

FUZZ = settings(derandomize=True, database=None, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --- inputs -------------------------------------------------------------------------------

# What the rules look at: numerals, qualifiers, units, periods, places, the punctuation that
# ends clauses and sentences, and the layout a page leaves (blank lines, markdown, bylines).
RULE_TOKENS = [
    *"0123456789", *"０１２３４５６７８９", *"〇零一二两三四五六七八九十百千万亿",
    "余", "多", "以上", "以下", "突破", "近", "约", "左右", "超过", "不足",
    "%", "％", "‰", "个百分点", "百分之", "分之", "成", "倍", "翻", "番", "点", ".", ",", "-", "—", "~",
    "至", "到", "元", "万元", "亿元", "人", "户", "亩", "个", "吨", "岁", "平方米", "元/吨",
    "年", "月", "日", "时", "号", "季度", "上半年", "前三季度", "年底", "今年", "去年", "同期", "当月",
    "同比", "环比", "增长", "下降", "提高至", "比去年", "较上年", "比全国高", "新增", "力争", "预计", "将",
    "截至目前", "以来", "3年来", "全年", "“十四五”", "第",
    "县", "镇", "乡", "村", "全县", "全市", "全省", "全国", "镇雄县", "昭通", "昭通市", "彝良县",
    "是", "其中", "等", "从", "搬迁", "有限公司", "的", "和", "、",
    "，", "。", "；", "：", "！", "？", "…", "……", "——", "（", "）", "(", ")",
    "“", "”", "‘", "’", "《", "》", "「", "」", '"',
    " ", "\u3000", "\t", "\n", "\n\n", "\n\n\n",  # a page-column break leaves blank lines
    "# ", "## ", "**", "记者 ", "通讯员", "王明", "文/图", "（完）", "![图](a.jpg)", "---",
]
# Characters no rule expects: controls, the separators str.strip and str.split treat as
# space or line ends, a BOM, combining and direction marks, astral and lone surrogate code
# points (text from a lenient decoder can hold them).
ODD_CHARACTERS = ["\x00", "\x01", "\x0b", "\x0c", "\x1c", "\x1f", "\x7f", "\x85", "\r", "\r\n",
                  "\u2028", "\u2029", "\ufeff", "\ufffd", "\u0301", "\u200b", "\u202e",
                  "\ud800", "\udfff", "\U0001f600", "\U00020000"]

any_character = st.characters(codec=None, exclude_categories=())  # surrogates included
# A figure as the extractor reads one, [qualifier] number [magnitude] [ratio or range and a
# second number] [unit] [suffix], with numbers of any size, in Arabic, full-width or Chinese.
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
number = st.one_of(
    st.integers(0, 10**24).map(str),
    st.decimals(min_value=0, max_value=10**6, places=3).map(str),
    st.integers(0, 10**9).map(lambda n: str(n).translate(FULL_WIDTH)),
    st.lists(st.sampled_from("〇零一二两三四五六七八九十百千万亿点"), min_size=1, max_size=8)
    .map("".join),
)
figure = st.builds(
    lambda *parts: "".join(parts),
    st.sampled_from(["", "约", "近", "突破", "超过", "不足", "增长", "下降", "同比增长", "比去年多",
                     "翻", "第", "力争", "年均"]),
    number,
    st.sampled_from(["", "", "万", "亿", "千万", "万亿", "余", "多", "余万"]),
    st.one_of(st.just(""), st.builds(lambda link, n: link + n,
                                      st.sampled_from(["分之", "至", "-", "—", ".", ","]), number)),
    st.sampled_from(["", "元", "%", "个百分点", "人", "亩", "年", "个月", "月", "日", "成", "番", "倍",
                     "平方米"]),
    st.sampled_from(["", "", "以上", "左右", "的", "，", "。"]),
)
token = st.one_of(st.sampled_from(RULE_TOKENS), figure, st.sampled_from(ODD_CHARACTERS),
                  st.text(any_character, min_size=1, max_size=3))
rule_text = st.lists(token, max_size=120).map("".join)
unicode_text = st.text(any_character, max_size=400)


@st.composite
def repeated_text(draw) -> str:
    """A unit repeated up to MAX_DOCUMENT characters between a head and a tail: long lines,
    long runs of digits or 万, and the repetition that makes a regex or loop backtrack."""
    unit = draw(st.lists(token, min_size=1, max_size=6).map("".join))
    copies = draw(st.integers(1, MAX_DOCUMENT // len(unit)))
    head, tail = draw(rule_text), draw(rule_text)
    return (head + unit * copies + tail)[:MAX_DOCUMENT]


documents = st.one_of(rule_text, unicode_text, repeated_text())
publication_dates = st.sampled_from(
    [None, "2025-11", "2024", "2024-02-29", "2026-01-13", "1950-01"])


def run_timed(what: str, text: str, call, *args):
    """call(*args), failing if it takes longer than TIME_BOUND."""
    started = time.perf_counter()
    result = call(*args)
    elapsed = time.perf_counter() - started
    assert elapsed < TIME_BOUND, (
        f"{what} took {elapsed:.2f} s (bound {TIME_BOUND} s) on {len(text)} characters "
        f"starting {text[:60]!r}")
    return result


# --- checks -------------------------------------------------------------------------------

def check_pieces(text: str, span_text: str, start: int, end: int, pieces) -> None:
    """The offsets contract of text/structure.py: pieces in order inside the text, and the
    text they cover is the span's text."""
    assert span_text, "an empty block or sentence"
    previous_end = 0
    for a, b in pieces:
        assert previous_end <= a < b <= len(text), (pieces, len(text))
        previous_end = b
    assert (start, end) == (pieces[0][0], pieces[-1][1])
    assert 0 <= start <= end <= len(text)
    assert "".join(text[a:b] for a, b in pieces) == span_text


def check_span(text: str, span: Span) -> None:
    check_pieces(text, span.text, span.start, span.end, span.pieces)
    # to_doc_offset at both ends and where each of the first pieces begins
    points, offset = {0, len(span.text) - 1}, 0
    for a, b in span.pieces[:10]:
        points.add(offset)
        offset += b - a
    for i in points:
        assert text[span.to_doc_offset(i)] == span.text[i]
    assert span.to_doc_offset(len(span.text)) == span.end


def check_rows(text: str, rows: dict) -> None:
    """raw.articles, raw.blocks and raw.sentences rows of one document."""
    for row in rows[ARTICLES]:
        start, end = row[-3], row[-2]
        assert 0 <= start <= end <= len(text)
    for row in rows[BLOCKS]:
        span_text, start, end, pieces = row[5], row[6], row[7], row[8]
        check_pieces(text, span_text, start, end, [tuple(p) for p in pieces])
    for row in rows[SENTENCES]:
        span_text, start, end, pieces = row[5], row[6], row[7], row[8]
        check_pieces(text, span_text, start, end, [tuple(p) for p in pieces])


def check_document(text: str, doc: Document) -> None:
    for article in doc.articles:
        assert article.blocks
        assert 0 <= article.start <= article.end <= len(text)
        for block in article.blocks:
            check_span(text, block)
        for sentence in article.sentences:
            check_span(text, sentence)
            block = article.blocks[sentence.block_index]
            assert block.start <= sentence.start < sentence.end <= block.end
    for span in (*doc.blocks, *doc.sentences):
        check_span(text, span)


def check_mentions(text: str, doc: Document, records: list[dict]) -> None:
    """Each mention record's offsets lie in the text and cover, within its sentence's pieces,
    exactly the figure it quotes; its numbers are finite (JSON and DOUBLE hold them)."""
    piece_ends: dict[tuple, list[int]] = {}  # per sentence, found once: a sentence may have 10^4
    for record in records:
        start, end = record["start"], record["end"]
        assert 0 <= start < end <= len(text), record
        key = (record["article"], record["sentence_index"])
        owner = doc.articles[key[0]] if key[0] is not None else doc
        sentence = owner.sentences[key[1]]
        if key not in piece_ends:
            assert record["sentence"] == sentence.text
            piece_ends[key] = [b for _, b in sentence.pieces]
        first = bisect_right(piece_ends[key], start)
        covered = []
        for a, b in sentence.pieces[first:]:
            if a >= end:
                break
            covered.append(text[max(a, start):min(b, end)])
        assert "".join(covered) == record["text"], record
        for name in ("value", "value_low", "value_high"):
            assert record[name] is None or math.isfinite(record[name]), record


# --- decoding -----------------------------------------------------------------------------

ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "gb18030", "big5", "utf-16", "utf-16-le", "utf-16-be",
             "utf-32", "latin-1"]
BOMS = [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE]


@st.composite
def file_bytes(draw) -> bytes:
    """Random bytes, or text in some encoding behind some BOM, cut anywhere (a multi-byte
    character in two) and maybe with one byte damaged."""
    if draw(st.booleans()):
        data = draw(st.binary(max_size=600))
    else:
        text = draw(st.one_of(rule_text, unicode_text))
        data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="ignore")
        data = data[:draw(st.integers(0, len(data)))]
    data = draw(st.sampled_from(BOMS)) + data
    if data and draw(st.booleans()):
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1:]
    return data


@settings(FUZZ, max_examples=600)
@given(data=file_bytes())
@example(data=b"\xef\xbb\xbf\xe6\x98\xad")  # UTF-8 BOM, 昭 cut in two
@example(data=codecs.BOM_UTF16_LE + "昭通".encode("utf-16-le")[:-1])  # odd UTF-16 length
@example(data=codecs.BOM_UTF16_LE + b"\x00\xd8")  # a lone surrogate in UTF-16
@example(data=b"\xed\xa0\x80")  # a surrogate encoded in UTF-8
@example(data="昭通市".encode("gbk")[:-1])
def test_decoding_returns_text_or_says_why(data, reliability):
    reliability.fuzz_cases_run += 1
    try:
        decoded = run_timed("decode_document", repr(data[:60]), decode_document, data)
    except UndecodableError:
        return
    assert decoded.encoding in {"utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"}
    assert decoded.text.strip()
    assert "\r" not in decoded.text


@settings(FUZZ, max_examples=300)
@given(text=st.one_of(rule_text, unicode_text))
def test_utf8_and_utf16_text_decodes_to_itself(text, reliability):
    """Never mojibake: a readable text file comes back as its own text, line ends aside."""
    reliability.fuzz_cases_run += 1
    try:
        utf8 = text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates have no UTF-8 form
        return
    readable = text.strip() and not any(
        ch < " " and ch not in "\t\n\r\f" or "\x7f" <= ch <= "\x9f" for ch in text)
    utf16 = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    for data, encoding in ((utf8, "utf-8"), (utf16, "utf-16")):
        if not readable:
            with pytest.raises(UndecodableError):
                decode_document(data)
        elif not text.startswith("\ufeff"):  # a leading BOM character is read as a BOM
            decoded = decode_document(data)
            assert (decoded.text, decoded.encoding) == (normalise_line_ends(text), encoding)


# --- the text library, one call at a time --------------------------------------------------

numeral_text = st.lists(st.sampled_from(
    [*"0123456789０１２３〇零一二两三四五六七八九十百千万亿壹拾佰仟点.,%％‰成", "分之", "百分之"]),
    max_size=30).map("".join)
long_numeral_text = st.builds(lambda unit, n: unit * n, numeral_text, st.integers(1, 2000))


@settings(FUZZ, max_examples=500)
@given(text=st.one_of(numeral_text, long_numeral_text))
@example(text="零分之五")  # ZeroDivisionError
@example(text="亿" * 2000)  # RecursionError
@example(text="亿" * 40)  # OverflowError
@example(text="一" * 310)  # inf
def test_numerals_read_a_finite_number_or_raise_value_error(text, reliability):
    """The parsers' documented contract: a number, or ValueError for what is no numeral."""
    reliability.fuzz_cases_run += 1
    for parse in (parse_number, parse_chinese, parse_percent):
        try:
            value = run_timed(parse.__name__, text, parse, text)
        except ValueError:
            continue
        assert math.isfinite(value), (parse.__name__, text, value)


@settings(FUZZ, max_examples=400)
@given(sentence=st.one_of(rule_text, unicode_text, repeated_text()))
@example(sentence="0分之0")  # ZeroDivisionError
@example(sentence="收入翻2000番。")  # OverflowError
@example(sentence="收入1" + "亿" * 600 + "元。")  # ValueError from int(): 4800 digits
@example(sentence="百分之三点五" + "亿" * 50 + "。")  # inf
def test_quantities_and_time_expressions_quote_their_sentence(sentence, reliability):
    reliability.fuzz_cases_run += 1
    for a, b in run_timed("sentence_bounds", sentence, sentence_bounds, sentence):
        assert 0 <= a < b <= len(sentence)
    previous_start = 0
    for q in run_timed("extract_quantities", sentence, extract_quantities, sentence):
        assert previous_start <= q.start < q.end <= len(sentence)  # in order of appearance
        assert sentence[q.start:q.end] == q.text
        assert all(v is None or math.isfinite(v) for v in (q.value, q.value_low, q.value_high)), q
        previous_start = q.start
    published = PublicationDate.parse("2025-11")
    for e in run_timed("time_expressions", sentence, time_expressions, sentence, published):
        assert 0 <= e.start < e.end <= len(sentence)
        assert sentence[e.start:e.end] == e.text


# --- documents: parsing and extraction ------------------------------------------------------

@pytest.fixture(scope="module")
def extraction_worker():
    """The gazetteer of the seed sheets, installed as a worker process would have it."""
    previous = extraction._worker_gazetteer
    extraction.init_worker(extraction.load_context(SEED_SHEETS).gazetteer)
    yield
    extraction._worker_gazetteer = previous


def parse_and_extract(text: str, published: PublicationDate | None) -> None:
    """Both per-document entry points on one text, with every property checked."""
    rows = run_timed("parse_one", text, parse_one, ("doc", text, LOADED_AT))
    check_rows(text, rows)
    doc = parse_document(text)
    check_document(text, doc)
    document_id, records = run_timed("extract_one", text, extraction.extract_one,
                                     ("doc", "doc.txt", text, published))
    assert document_id == "doc"
    check_mentions(text, doc, records)


@settings(FUZZ, max_examples=250)
@given(text=documents, published=publication_dates)
@example(text="〇〇〇〇年收入5元。", published="2025-11")  # ValueError: year 0 is out of range
def test_any_document_parses_and_extracts_in_bounded_time(text, published, extraction_worker,
                                                          reliability):
    reliability.fuzz_cases_run += 1
    parse_and_extract(text, PublicationDate.parse(published) if published else None)


# --- explicit adversarial documents -----------------------------------------------------------

# Ten times the largest generated document for long runs, where the work per character is
# small; twice for the rest, which hold a figure, sentence or line every few characters.
# Linear work takes a third of TIME_BOUND or less at these sizes; quadratic work takes far
# longer (before issue 10's fixes, "a predicate's places and figures" took 68 s at 10k).
LONG = 200_000
LARGE = 40_000


def repeat_to(unit: str, size: int, head: str = "") -> str:
    return head + unit * ((size - len(head)) // len(unit))


ADVERSARIAL = {
    # Long lines and runs: no punctuation, digits, magnitudes, numerals.
    "line without punctuation": repeat_to("全县同比增长就业收入镇雄县人口", LONG),
    "run of digits": repeat_to("1", LONG),
    "run of 万": repeat_to("万", LONG),
    "run of 亿 after a digit": repeat_to("亿", LONG, head="1"),
    "run of Chinese numerals": repeat_to("一二三四五六七八九十百千万亿", LONG),
    "digits with thousands commas": repeat_to("1,234", LARGE),
    "decimal points": repeat_to("1.", LARGE),
    "full-width digits and percent": repeat_to("１２％", LARGE),
    # Repetitions a backtracking regex or a scan per figure would turn quadratic.
    "one sentence of figures": repeat_to("5元", LARGE),
    "one sentence of places and figures": repeat_to("全县5元", LARGE),
    "a predicate's places and figures": repeat_to("全县5元", LARGE, head="镇雄县是"),
    "places in one clause after 是": repeat_to("全县", LARGE, head="镇雄县是"),
    "places and scope words": repeat_to("镇雄县全县", LARGE),
    "scope words below the places named": repeat_to("镇雄县全村", LARGE),
    "enumerated places": repeat_to("、镇雄县", LARGE),
    "compared places before figures": repeat_to("比全国高", LARGE // 2) + repeat_to("5元", LARGE // 2),
    "many sentences in one paragraph": repeat_to("5元。", LARGE),
    "many quoted sentences": repeat_to("“5元。”", LARGE),
    "many paragraphs": repeat_to("5元。\n", LARGE),
    "many one-line paragraphs": repeat_to("a\n", LARGE),
    "a paragraph cut at every line": repeat_to("5元的\n", LARGE),
    "nested quotes": repeat_to("“", LONG // 2) + repeat_to("”", LONG // 2),
    "nested brackets": repeat_to("（", LONG // 2) + repeat_to("）", LONG // 2),
    "dates and figures": repeat_to("2023年5元", LARGE),
    "attributive dates": repeat_to("达2020年的5元", LARGE),
    "growth rates with years": repeat_to("2023年增长5%，", LARGE),
    "comparisons": repeat_to("比去年增长5%", LARGE),
    "impossible dates": repeat_to("2月30日，", LARGE),
    "a rate word before figures": repeat_to("5元", LARGE, head="年均"),
    "a comparison before figures": repeat_to("增长5%", LARGE, head="比去年"),
    "relative dates": repeat_to("今年，", LARGE),
    "forecasts": repeat_to("预计5元，", LARGE),
    "ranges": repeat_to("1至2至3-4—5", LARGE),
    "qualifiers": repeat_to("约突破近5余万元以上左右", LARGE),
    "ratios": repeat_to("三分之一", LARGE),
    "doublings": repeat_to("翻一番", LARGE),
    "headlines": repeat_to("# 标题\n", LARGE),
    "bold headings": repeat_to("**小标题**\n", LARGE),
    "bylines": repeat_to("记者 王明 通讯员 李华\n", LARGE),
    "blank lines": repeat_to("\n", LONG),
    "control characters": repeat_to("\x0b\x1c\x85\u2028", LONG),
}


@pytest.mark.parametrize("name", ADVERSARIAL)
def test_adversarial_document_is_handled_in_bounded_time(name, extraction_worker, reliability):
    reliability.fuzz_cases_run += 1
    parse_and_extract(ADVERSARIAL[name], PublicationDate.parse("2025-11"))
