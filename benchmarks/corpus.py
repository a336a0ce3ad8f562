"""A deterministic generator of realistic newspaper corpora with every figure planted and known.

    python -m benchmarks.corpus --articles 10000 --out /tmp/corpus10k [--seed 0] [--workers 2]

prints one line of JSON (files, articles, bytes, figures planted, seconds) and writes

    OUT/documents/NNNNNN_<hex>.txt|.md   newspaper pages, one to four articles each
    OUT/sheets/documents.csv             the document registry (publication dates per file)
    OUT/sheets/regions.csv               the seeds' gazetteer, byte for byte
    OUT/sheets/indicators.csv            the seeds' indicator catalogue, byte for byte
    OUT/sheets/observations.csv          the header only: no curated facts (see below)
    OUT/gold.jsonl                       every planted figure, in the annotation format of
                                         tests/annotations/README.md

so that `wumeng refresh --documents OUT/documents --sheets OUT/sheets` runs on it (and
publishes, with one warning: mapping mentions to indicators by keyword gives the second
figure of a `甲、乙分别达X、Y` list to 甲, whose plausible range it then fails), and
`pipelines.scoring.score(gold, extract_folder(OUT/documents, OUT/sheets, files))` scores
extraction at scale. The same seed gives the same bytes, whatever the number of workers:
every file is written from its own random stream, seeded by (seed, file number).

What the pages look like, taken from the seeds and the held-out sets: several articles per
file, `# ` or plain headlines, `——` subtitles, bylines (记者 …, 通讯员 …, 文/图, 摄, a bare
name under a commentary), `本报讯（记者 …）` leads, photo captions set apart by blank lines
(图为…), editorial notes (编者按, 记者手记, （本版图片由…提供）, （责任编辑：…）, a bracketed page
header 【昭通日报 … 第3版】), `**bold**`, `## ` and bare section headings, paragraphs cut by a
page column and numbers cut across it (`累计回引8.12` / blank line / `万人…`), full-width
indentation in some files, 10 % of files in GBK (some with CRLF line ends), 3 % in UTF-8 with
a BOM and 0.5 % in UTF-16 (fixed by the file number, so a corpus of 60 articles has them too).

What the figures are: every county-level place (昭通市 and its eleven counties) and the
townships, villages, communities and sites of the region sheet; employment, returnees,
income, housing fund, agriculture, industry, infrastructure, education, health, relocation
and tourism; levels, growth rates (增长x%, 增幅, 个百分点, 分别增长a%、b%), changes (新增,
净增, 比上年增加), targets (力争到2027年…, 到“十五五”末…, 计划…) and forecasts (预计…);
qualifiers 约 近 左右 / 余 多 超过 突破 逾 超 / 以上 不少于 至少 / 不足 不到 / 以内 以下 不超过;
Arabic numbers with 万 and 亿, Chinese numerals (三千五百亩, 两万多元, 十余个, 一万二千余人),
成 shares, ranges, ages; periods 2015–2025 written as years, halves, quarters, months of a
year (今年1—10月), as-of dates (截至目前, 截至今年9月底), spans (3年来, 2021年以来,
“十四五”以来), comparison bases (同比, 比上年, 较3年前, 较2020年) and attributive dates
(由2020年的82.6%提高到2024年的86.9%). Numbers that are not quantities are planted too
(dates, “3815”, “十四五”, 5G, 12345 热线, 7×24小时, 第三届) and must not be extracted.

Gold records follow the conventions of tests/annotations/README.md, not the extractor: the
sentence as the parser gives it with page breaks repaired, the text as written with its
qualifier words and unit, the value in base units, the period in the EDTF-like notation, the
base period of a comparison, the place by its name in the region sheet (the region named
before the figure, else the place in focus of its paragraph, else of its article). The
sentences are built so that each of these is unambiguous under those conventions; where a
convention is open (a 同比 of an as-of total, 年均 over a span that ends mid-year, 新建、改扩建)
the generator does not write the case at all; nor a part of an addition (新增…，其中…),
whose being a change the conventions leave open.

Scale, on this 2-core machine (`--workers 2`, seed 0): 10,000 articles are 4,005 files,
14.7 MB of documents and 204,158 figures, written in about 4 s; 100,000 articles are 39,856
files, 147 MB of documents and 0.83 GB of gold (2,038,563 figures), in about 30 s, each
process staying under 40 MB: workers write the files, and gold and registry rows are
streamed to disk a chunk of 100 files at a time. The extractor scores precision and recall
1.0 on 2,000 articles (40,480 figures, every attribute right) and on 10,000 (204,158
figures; 4 places differ: `县住房公积金管理部` is not read as the county's office). The
templates are written to the annotation conventions, which the extractor also implements,
so this measures consistency and speed at scale and guards against regressions; how well
extraction generalises to unseen writing is what the hand-annotated held-out sets
(tests/heldout*) measure.

Why observations.csv holds only its header: the analysts' facts quote the seed documents,
which are not in the corpus, so a copy would put every row among the rejects; a missing
sheet would reject the whole sheet as not found. An empty sheet loads cleanly.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import json
import multiprocessing
import os
import random
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

from pipelines.parallel import batched

ROOT = Path(__file__).resolve().parent.parent
SEED_SHEETS = ROOT / "seeds" / "sheets"
REGISTRY_COLUMNS = ("file", "title", "newspaper", "publication_date", "date_status",
                    "date_basis", "authors", "notes")
FILES_PER_CHUNK = 100  # files a worker writes before handing back its gold and registry rows


# =============================================================================================
# Regions (from the seeds' region sheet, which the corpus ships with)
# =============================================================================================

@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str
    parent: str | None
    short: str | None  # the alias used in running text: 镇雄, 昭通


def _load_regions() -> dict[str, Region]:
    with open(SEED_SHEETS / "regions.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    regions = {}
    for row in rows:
        aliases = [a for a in row["aliases"].split("|") if a and not a.startswith("全")]
        regions[row["code"]] = Region(row["code"], row["name_zh"], row["level"],
                                      row["parent_code"] or None, aliases[0] if aliases else None)
    return regions


REGIONS = _load_regions()
_BY_NAME = {r.name: r for r in REGIONS.values()}
CITY = REGIONS["530600"]
COUNTIES = tuple(r for r in REGIONS.values() if r.parent == CITY.code and r.level == "county")
COUNTY_LEVEL = (CITY, *COUNTIES)


def _lineage(region: Region) -> list[Region]:
    chain = [region]
    while chain[-1].parent in REGIONS:
        chain.append(REGIONS[chain[-1].parent])
    return chain


def _depth(name: str) -> int:
    return len(_lineage(_BY_NAME[name]))


def _county_of(region: Region) -> Region | None:
    return next((r for r in _lineage(region) if r.level == "county"), None)


# Places below a county, by county: what a township, village, community or site is written as.
_SUBPLACES: dict[str, list[Region]] = {c.name: [] for c in COUNTIES}
for _r in REGIONS.values():
    if _r.level in ("township", "village", "community", "place"):
        _c = _county_of(_r)
        if _c is not None:
            _SUBPLACES[_c.name].append(_r)
# Foreign places workers went to: a figure after one in its sentence is about it, and it is
# never a focus (README of the annotations; seed 002's 深圳).
FOREIGN = (("广东", "广东省"), ("上海", "上海市"), ("深圳", "深圳市"), ("贵州", "贵州省"))
# Every name and alias of the sheet: person names must not contain one.
_PLACE_WORDS = tuple(sorted({w for r in REGIONS.values() for w in (r.name, r.short) if w}
                            | {"全市", "全省", "全县", "全区"}))


# =============================================================================================
# Publication dates and time expressions
# =============================================================================================

@dataclass(frozen=True)
class Pub:
    """When a page appeared: known to the day (printed in its header) or estimated to the month."""

    year: int
    month: int
    day: int | None

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")


@dataclass(frozen=True)
class When:
    text: str  # as written, without the comma after it
    label: str  # the period, in the annotation notation
    kind: str  # year | half | quarter | month | months | as_of | since | span | target

    @property
    def within_a_year(self) -> bool:
        """A growth rate of these is year on year when no base is written."""
        return self.kind in ("year", "half", "quarter", "month", "months")


def _yoy(label: str) -> str:
    """The same period a year before: 2024-H1 → 2023-H1, 2024-01/2024-10 → 2023-01/2023-10."""
    return re.sub(r"\d{4}", lambda m: str(int(m.group()) - 1), label)


_CN_QUARTER = {1: "一", 2: "二", 3: "三", 4: "四"}


def _past(pub: Pub, rng: random.Random) -> int:
    return rng.randint(max(2015, pub.year - 4), pub.year - 1)


def _months_this_year(pub: Pub, rng: random.Random) -> When:
    k = rng.randint(2, pub.month - 1)
    form = rng.choice((f"今年1—{k}月", f"今年1至{k}月", f"今年前{k}个月"))
    return When(form, f"{pub.year}-01/{pub.year}-{k:02d}", "months")


def _month_this_year(pub: Pub, rng: random.Random) -> When:
    k = rng.randint(2, pub.month - 1)
    return When(f"今年{k}月", f"{pub.year}-{k:02d}", "month")


def _quarter(pub: Pub, rng: random.Random) -> When:
    past, quarter = _past(pub, rng), rng.randint(1, 4)
    return When(f"{past}年{rng.choice(('', '第'))}{_CN_QUARTER[quarter]}季度", f"{past}-Q{quarter}",
                "quarter")


def _months_past(pub: Pub, rng: random.Random) -> When:
    past, last = _past(pub, rng), rng.randint(2, 11)
    return When(f"{past}年1—{last}月", f"{past}-01/{past}-{last:02d}", "months")


def _years_span(pub: Pub, rng: random.Random) -> When:
    n = rng.randint(2, 5)
    form = rng.choice((f"{n}年来", f"过去{n}年", f"近{n}年来", f"{'两三四五'[n - 2]}年来"))
    return When(form, f"{pub.year - n + 1}/{pub.year}", "span")


def _since_month(pub: Pub, rng: random.Random) -> When:
    past, month = _past(pub, rng), rng.randint(1, 12)
    verb = rng.choice(("实施", "启动", "运行", "开展"))
    return When(f"自{past}年{month}月{verb}以来", f"{past}-{month:02d}/{pub.label}", "since")


def _as_of_month_end(pub: Pub, rng: random.Random) -> When:
    past, month = _past(pub, rng), rng.randint(1, 11)
    return When(f"截至{past}年{month}月末", f"../{past}-{month:02d}", "as_of")


def _as_of_this_year(pub: Pub, rng: random.Random) -> When:
    k = rng.randint(1, pub.month - 1)
    return When(f"截至今年{k}月底", f"../{pub.year}-{k:02d}", "as_of")


def _in_a_past_year(text: str, label: str, kind: str):
    """A builder of an expression in a past year: `text` and `label` hold {y}."""
    def build(pub: Pub, rng: random.Random) -> When:
        y = _past(pub, rng)
        return When(text.format(y=y), label.format(y=y, now=pub.label), kind)
    return build


# (weight, condition on the publication, builder); growth rates take only the first group
_WITHIN_A_YEAR = (
    (5, lambda p: True, _in_a_past_year("{y}年", "{y}", "year")),
    (2, lambda p: True, lambda p, r: When("去年", str(p.year - 1), "year")),
    (1, lambda p: True, lambda p, r: When("前年", str(p.year - 2), "year")),
    (2, lambda p: True, _in_a_past_year("{y}年上半年", "{y}-H1", "half")),
    (1, lambda p: True, _in_a_past_year("{y}年下半年", "{y}-H2", "half")),
    (1, lambda p: True, _in_a_past_year("{y}年前三季度", "{y}-01/{y}-09", "months")),
    (1, lambda p: True, _quarter),
    (2, lambda p: True, _months_past),
    (4, lambda p: p.month >= 3, lambda p, r: When("今年", str(p.year), "year")),
    (3, lambda p: p.month >= 3, _months_this_year),
    (1, lambda p: p.month >= 3, _month_this_year),
    (3, lambda p: p.month >= 7, lambda p, r: When("今年上半年", f"{p.year}-H1", "half")),
    (1, lambda p: p.month >= 5, lambda p, r: When("今年一季度", f"{p.year}-Q1", "quarter")),
)
_OTHER_TIMES = (
    (5, lambda p: True, lambda p, r: When(r.choice(("截至目前", "目前", "截至目前为止")),
                                          f"../{p.label}", "as_of")),
    (1, lambda p: True, _in_a_past_year("截至{y}年底", "../{y}", "as_of")),
    (1, lambda p: True, _in_a_past_year("截至{y}年末", "../{y}", "as_of")),
    (2, lambda p: True, _in_a_past_year("{y}年以来", "{y}/{now}", "since")),
    (1, lambda p: True, _as_of_month_end),
    (1, lambda p: True, _since_month),
    (2, lambda p: True, _years_span),
    (2, lambda p: p.month >= 3, _as_of_this_year),
    (2, lambda p: p.month >= 3, lambda p, r: When("今年以来", f"{p.year}/{p.label}", "since")),
    (2, lambda p: p.year >= 2022, lambda p, r: When("“十四五”以来", f"2021/{p.label}", "since")),
    (2, lambda p: 2017 <= p.year <= 2020, lambda p, r: When("“十三五”以来", f"2016/{p.label}",
                                                             "since")),
)
_TIME_TABLES: dict[tuple[Pub, bool], tuple[list, list]] = {}


def _when(pub: Pub, rng: random.Random, growth: bool = False) -> When:
    """A time expression that opens a sentence; `growth`: one a growth rate is year on year
    for (a year, half, quarter, month or months of one year)."""
    table = _TIME_TABLES.get((pub, growth))
    if table is None:
        rows = [row for row in _WITHIN_A_YEAR + (() if growth else _OTHER_TIMES) if row[1](pub)]
        table = _TIME_TABLES[(pub, growth)] = ([b for _, _, b in rows], [w for w, _, _ in rows])
    builders, weights = table
    return rng.choices(builders, weights)[0](pub, rng)


def _deadline(pub: Pub, rng: random.Random) -> When:
    """到2027年 / 到2027年底 / 到“十五五”末: a target's period, always after the publication."""
    options = []
    k = rng.randint(1, 5)
    options.append(When(f"到{pub.year + k}年", str(pub.year + k), "target"))
    options.append(When(f"到{pub.year + k}年底", str(pub.year + k), "target"))
    if 2024 <= pub.year <= 2025:
        options.append(When("到“十五五”末", "2030", "target"))
    if 2019 <= pub.year <= 2024:
        options.append(When("到“十四五”末", "2025", "target"))
    return rng.choice(options)


# =============================================================================================
# Figures as written and as numbers
# =============================================================================================

@dataclass(frozen=True)
class Fig:
    text: str  # as written, qualifier words and unit included
    value: float  # base units
    unit: str
    qualifier: str = "exact"
    high: float | None = None  # a range's high end
    cut: int | None = None  # where a page column may cut the number (after its digits)


QUALIFIERS = {
    "约": "approx", "近": "approx", "左右": "approx", "接近": "approx",
    "余": "gt", "多": "gt", "超过": "gt", "突破": "gt", "逾": "gt", "超": "gt",
    "以上": "ge", "不少于": "ge", "至少": "ge",
    "不足": "lt", "不到": "lt",
    "以内": "le", "以下": "le", "不超过": "le",
}
_PREFIX_WORDS = ("约", "近", "超过", "突破", "逾", "超", "不少于", "至少", "不足", "不到",
                 "不超过", "接近")
_SUFFIX_WORDS = ("以上", "左右", "以内", "以下")
# Characters before 近/约/超 that make them part of another word (就近, 节约, 赶超).
_NOT_BEFORE = {"近": "就附靠最临邻贴亲", "约": "节预签制公契相邀履违隐", "超": "赶高"}

_CN_DIGITS = "零一二三四五六七八九"
CHINESE_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"


def _dec(rng: random.Random, lo: float, hi: float, decimals: int) -> Decimal:
    scale = 10 ** decimals
    return Decimal(rng.randint(int(lo * scale), int(hi * scale))) / scale


def _plain(d: Decimal) -> str:
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def cn_int(n: int, two: str = "两") -> str:
    """An integer below a million with at most two significant digits in Chinese numerals:
    十二, 四十六, 二百一十, 三千五百, 两千, 一万二千, 二十一万, 两万 (`two`: 两 or 二 before
    千 and 万)."""
    if not 0 < n < 1_000_000:
        raise ValueError(n)
    if n >= 10000:
        high, low = divmod(n, 10000)
        text = _cn_small(high, two, big=True) + "万"
        return text + (_cn_small(low, "二", lead=False) if low else "")
    return _cn_small(n, two)


def _cn_small(n: int, two: str, big: bool = False, lead: bool = True) -> str:
    out = ""
    for size, unit in ((1000, "千"), (100, "百"), (10, "十")):
        d = n // size % 10
        if d:
            if lead and not out and size == 10 and d == 1:
                digit = ""  # 十二, not 一十二, at the head of a numeral
            elif d == 2 and size == 1000:
                digit = two
            else:
                digit = _CN_DIGITS[d]
            out += digit + unit
        elif out and n % size:
            raise ValueError(f"{n}: a zero inside")  # two significant digits only
    d = n % 10
    if d:
        out += two if (d == 2 and big and not out) else _CN_DIGITS[d]
    return out


def _cn_round(n: int, two: str = "两") -> tuple[str, int]:
    """n rounded to two significant digits, and the Chinese numeral for it."""
    n = min(max(int(n), 10), 990000)
    if n >= 100:
        step = Decimal(1).scaleb(len(str(n)) - 2)
        n = int(Decimal(n).quantize(step, rounding="ROUND_HALF_UP"))
    return cn_int(n, two), n


def _cn_number(rng: random.Random, lo: float = 10, hi: float = 99000) -> tuple[str, int]:
    """A round number between lo and hi in Chinese numerals."""
    n = rng.randint(int(max(lo, 10)), int(min(hi, 990000)))
    return _cn_round(n, "两" if rng.random() < 0.6 else "二")


@dataclass(frozen=True)
class Kind:
    """How a kind of figure is written: its unit, the range of its number, 万/亿."""

    unit: str
    lo: float
    hi: float
    decimals: int = 0
    magnitude: str = ""  # 万, 亿 or ""
    chinese: bool = False  # may be written in Chinese numerals


K = {
    # people
    "people_wan": Kind("人", 0.3, 40, 2, "万"),
    "people_wan_city": Kind("人", 5, 300, 2, "万"),
    "people": Kind("人", 60, 9800, 0, chinese=True),
    "people_small": Kind("人", 12, 900, 0, chinese=True),
    "ming": Kind("名", 10, 3000, 0, chinese=True),
    "ptimes": Kind("人次", 800, 60000, 0),
    "ptimes_wan": Kind("人次", 1.2, 900, 1, "万"),
    # money
    "yuan_pc": Kind("元", 6800, 24000, 0),
    "yuan_urban": Kind("元", 26000, 46000, 0),
    "yuan_wage": Kind("元", 25, 85, 0),  # ×100 when written
    "yuan_up": Kind("元", 180, 2600, 0),
    "yuan_hh": Kind("元", 1500, 9000, 0),
    "money_wan": Kind("元", 60, 90000, 2, "万"),
    "money_yi": Kind("元", 0.6, 260, 2, "亿"),
    "money_yi_city": Kind("元", 12, 1900, 2, "亿"),
    "loan_wan": Kind("元", 20, 120, 0, "万"),
    # households, firms, things
    "hh": Kind("户", 30, 9800, 0, chinese=True),
    "hh_wan": Kind("户", 0.2, 12, 2, "万"),
    "firms": Kind("家", 4, 4800, 0, chinese=True),
    "items": Kind("个", 3, 1800, 0, chinese=True),
    "schools": Kind("所", 2, 180, 0),
    "sessions": Kind("场", 4, 480, 0, chinese=True),
    "seats": Kind("座", 2, 90, 0),
    "flats": Kind("套", 40, 6000, 0),
    "beds": Kind("张", 60, 3000, 0),
    "projects": Kind("项", 4, 160, 0),
    # land, output, length, power
    "mu": Kind("亩", 120, 9800, 0, chinese=True),
    "mu_wan": Kind("亩", 0.5, 80, 1, "万"),
    "tons": Kind("吨", 300, 9800, 0),
    "tons_wan": Kind("吨", 0.6, 120, 1, "万"),
    "km": Kind("公里", 12, 2600, 1),
    "kw_wan": Kind("千瓦", 0.6, 160, 1, "万"),
    # shares and rates
    "pct_growth": Kind("%", 0.6, 24.9, 1),
    "pct_rate": Kind("%", 60, 99.6, 1),
    "pct_share": Kind("%", 6, 58, 1),
    "pct_low": Kind("%", 3, 6, 1),
    "pp": Kind("个百分点", 0.1, 4.9, 1),
    "age": Kind("岁", 22, 74, 0),
}


def make_fig(rng: random.Random, kind: str, *, qual: str | None = None,
             cn_ok: bool = False, value: Decimal | None = None,
             before: str = "", word: str | None = None) -> Fig:
    """One figure of `kind`. `qual`: which qualifiers may be drawn (None: exact; "level",
    "change", "rate", "upper", "approx", "gt"); `cn_ok`: Chinese numerals allowed here;
    `before`: the text just before the figure (no 就近, 节约 from a prefix)."""
    spec = K[kind]
    coef = value if value is not None else _dec(rng, spec.lo, spec.hi, spec.decimals)
    if kind == "yuan_wage":
        coef = coef * 100
    integral = coef == coef.to_integral_value()
    mag = spec.magnitude
    # Arabic with 万/亿 sometimes drop a decimal: 8.12万, 48万, 460亿
    if mag and rng.random() < 0.3:
        coef = coef.to_integral_value() if coef >= 1 else coef
        integral = coef == coef.to_integral_value()
    if coef <= 0:
        coef = Decimal(1)
        integral = True

    if word is None:
        word = _draw_qualifier(rng, qual, integral)
    prefix = word if word in _PREFIX_WORDS else ""
    if prefix and before and before[-1:] in _NOT_BEFORE.get(prefix[:1], ""):
        prefix, word = "", ""
    suffix = word if word in _SUFFIX_WORDS else ""
    attached = word if word in ("余", "多") else ""

    chinese = cn_ok and spec.chinese and not mag and rng.random() < 0.18 and coef < 990000
    if chinese:
        two = "两" if rng.random() < 0.6 else "二"
        text, number = _cn_round(int(coef), two)
        written = f"{prefix}{text}{attached}{spec.unit}{suffix}"  # 两千余个, 两万多元
        # a column may cut a Chinese numeral too: 二千八 / 百余户
        cut = len(prefix) + rng.randint(1, len(text) - 1) if len(text) >= 3 else None
        return Fig(written, float(number), spec.unit, QUALIFIERS.get(word, "exact"), cut=cut)

    number = _plain(coef)
    factor = Decimal(10) ** {"": 0, "万": 4, "亿": 8}[mag]
    base = coef * factor
    if attached and mag and rng.random() < 0.5 and integral and coef >= 10:
        core = f"{number}{attached}{mag}"  # 10余万户, 350余万元
        cut = None
    elif attached:
        core = f"{number}{mag}{attached}" if mag else f"{number}{attached}"  # 16万余, 5000多
        cut = len(prefix) + len(number) if mag else None
    else:
        core = f"{number}{mag}"
        cut = len(prefix) + len(number) if (mag or spec.unit in ("元", "%")) else None
    written = f"{prefix}{core}{spec.unit}{suffix}"
    return Fig(written, float(base), spec.unit, QUALIFIERS.get(word, "exact"), cut=cut)


def _draw_qualifier(rng: random.Random, qual: str | None, integral: bool) -> str:
    if qual is None:
        return ""
    if qual in ("gt", "approx", "upper", "lower"):
        pool = {"gt": ("超过", "突破", "逾", "超") + (("余", "多") if integral else ()),
                "approx": ("约", "近", "左右", "接近"),
                "upper": ("以内", "不超过", "以下"),
                "lower": ("以上", "不少于", "至少")}[qual]
        return rng.choice(pool)
    if rng.random() > {"level": 0.33, "change": 0.15, "rate": 0.2}[qual]:
        return ""
    if qual == "level":
        pool = ["约", "近", "超过", "突破", "逾", "以上", "左右", "不足", "不到", "至少"]
        if integral:
            pool += ["余", "多", "余", "多"]
    elif qual == "change":
        pool = ["约", "近", "超过", "左右", "以上"] + (["余", "多"] if integral else [])
    else:  # rate: a share or rate of a level
        pool = ["约", "近", "超过", "以上", "左右", "不足"]
    return rng.choice(pool)


def cheng(rng: random.Random, qual: str | None = None) -> Fig:
    """八成, 近四成, 超过八成, 四成以上: a share in tenths, value in percent."""
    n = rng.randint(2, 9)
    word = "" if qual is None else rng.choice({"level": ("", "", "近", "超过", "以上", "不足"),
                                               "gt": ("超过",)}[qual])
    prefix = word if word in _PREFIX_WORDS else ""
    suffix = word if word in _SUFFIX_WORDS else ""
    text = f"{prefix}{'两' if n == 2 else _CN_DIGITS[n]}成{suffix}"
    return Fig(text, float(n * 10), "%", QUALIFIERS.get(word, "exact"))


# =============================================================================================
# Sentences being written, and what each figure in them is
# =============================================================================================

_KEEP = object()


@dataclass
class Planted:
    start: int
    fig: Fig
    period: str | None
    base: str | None
    place: str | None
    change: bool
    target: bool
    forecast: bool


class Sent:
    """One sentence: its text, the period and place in force as it is written, its figures.

    `at` records a region referred to: a subject (also the sentence's focus candidate), a
    part after 其中 or a foreign place (place of what follows, never a focus)."""

    __slots__ = ("parts", "length", "period", "place", "focus", "figs", "template", "quote",
                 "index", "ends_paragraph")

    def __init__(self, template: str):
        self.parts: list[str] = []
        self.length = 0
        self.period: str | None = None
        self.place: str | None = None
        self.focus: list[str] = []
        self.figs: list[Planted] = []
        self.template = template
        self.quote = False
        self.index = -1
        self.ends_paragraph = False  # names several places: what follows in the paragraph
        #                             could not fall back on it unambiguously

    def w(self, text: str) -> Sent:
        self.parts.append(text)
        self.length += len(text)
        return self

    def when(self, when: When | None, comma: str = "，") -> Sent:
        if when is not None:
            self.w(when.text + comma)
            self.period = when.label
        return self

    def at(self, text: str, place: str | None, role: str = "subject") -> Sent:
        self.w(text)
        if place is not None:
            self.place = place
            if role == "subject":
                self.focus.append(place)
        return self

    def fig(self, fig: Fig, *, change: bool = False, target: bool = False,
            forecast: bool = False, base: str | None = None, period=_KEEP) -> Sent:
        before = self.text
        if before and fig.text[0] in CHINESE_NUMERAL_CHARS and before[-1] in CHINESE_NUMERAL_CHARS:
            raise AssertionError(f"Chinese numeral glued to another: {before}|{fig.text}")
        if before and before[-1] in "0123456789.:/+×*#@":
            raise AssertionError(f"figure glued to a code: {before}|{fig.text}")
        self.figs.append(Planted(self.length, fig, self.period if period is _KEEP else period,
                                 base, self.place, change, target, forecast))
        return self.w(fig.text)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    @property
    def focus_place(self) -> str | None:
        """The most specific region the sentence refers to as a subject (the first of them)."""
        if not self.focus:
            return None
        deepest = max(_depth(p) for p in self.focus)
        return next(p for p in self.focus if _depth(p) == deepest)


# =============================================================================================
# Vocabulary
# =============================================================================================

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱尹薛段雷侯龙史陶黎贺顾毛龚邵严武戴孔向汤"
_GIVEN = "明坤顺朝艳思源露涛丽芬敏华军红辉志强伟芳娟英杰斌磊洋勇秀霞平刚桂玉萍燕琴春梅林峰兴文宇浩然静婷雪莉晓东海涵欣悦佳琳德荣福贵才松柏竹菊凤龙虎飞鹏俊豪昊宏瑞祥"

_SITES = {
    "employment": ("帮扶车间", "就业服务站", "产业园区", "零工市场", "劳务合作社"),
    "returnees": ("返乡创业园", "创业孵化基地", "电商直播基地"),
    "income": ("脱贫村", "种植基地", "乡村振兴示范村", "农民专业合作社"),
    "housing_fund": ("住房公积金服务大厅", "政务服务中心公积金窗口"),
    "agriculture": ("苹果基地", "天麻种植基地", "高标准农田", "马铃薯良种繁育基地", "竹笋基地"),
    "industry": ("工业园区", "绿色铝生产车间", "新能源电池生产线", "竹材加工厂"),
    "infrastructure": ("农村公路建设现场", "供水工程建设工地", "光伏电站", "客运站"),
    "education": ("乡村幼儿园", "寄宿制学校", "职业技术学校"),
    "health": ("卫生院", "村卫生室", "县域医共体总院"),
    "relocation": ("易地扶贫搬迁安置社区", "安置区就业帮扶车间", "安置区便民服务站"),
    "tourism": ("乡村民宿", "旅游景区", "农家乐"),
}

_SCENES = {
    "employment": ("机器轰鸣，工人们正在流水线上有序忙碌", "求职者排起了长队", "工人们正忙着赶制订单"),
    "returnees": ("返乡青年正在直播间里介绍家乡特产", "一排排厂房整齐排列", "创业者们正在洽谈订单"),
    "income": ("群众正忙着采摘、分拣、装箱", "合作社的社员们正在分红现场排队", "处处呈现出一派繁忙景象"),
    "housing_fund": ("前来办事的群众排起了长队", "工作人员正在为职工办理提取业务"),
    "agriculture": ("群众正忙着采摘、分拣、装箱", "农技人员正在指导果农修剪果树", "处处呈现出一派丰收景象"),
    "industry": ("机器轰鸣，工人们正在流水线上有序忙碌", "一排排厂房整齐排列", "满载货物的货车有序驶出"),
    "infrastructure": ("施工人员正在加紧作业", "整洁的道路通到了家门口", "工程车辆往来穿梭"),
    "education": ("孩子们的读书声清脆响亮", "学生们正在宽敞明亮的教室里上课"),
    "health": ("前来就诊的群众有序排队", "医护人员正在为群众测量血压"),
    "relocation": ("搬迁群众正在帮扶车间里忙碌", "整洁的楼房整齐排列", "老人们在广场上晒着太阳"),
    "tourism": ("游客络绎不绝", "民宿老板正忙着招呼客人", "游客们正在拍照打卡"),
}

_ACTIONS = {
    "employment": ("坚持把稳就业作为最大的民生工程来抓", "健全就业服务体系，推动群众在家门口实现稳定就业",
                   "抓实稳岗留工、信息摸排、岗位推送等环节", "持续打造特色劳务品牌"),
    "returnees": ("鼓励外出务工人员返乡创业", "搭建创业平台，落实创业担保贷款等扶持政策",
                  "持续优化返乡创业服务"),
    "income": ("坚持把脱贫人口增收作为头等大事", "细化监测清单、增收清单、帮扶清单",
               "压紧压实帮扶责任，全力促进脱贫群众持续增收"),
    "housing_fund": ("推动住房公积金制度向灵活就业人员延伸", "持续优化提取、贷款政策",
                     "深化住房公积金业务线上办理"),
    "agriculture": ("坚持用工业化思路抓农业产业化", "做好“土特产”文章", "推广水肥一体化等新技术",
                    "培育壮大新型农业经营主体"),
    "industry": ("坚持把园区作为稳增长的主阵地", "持续延链补链强链", "大力推进招商引资"),
    "infrastructure": ("加快补齐基础设施短板", "持续推进“四好农村路”建设", "统筹推进水网、路网建设"),
    "education": ("坚持教育优先发展", "持续改善办学条件", "推动城乡教育均衡发展"),
    "health": ("持续深化医药卫生体制改革", "推进紧密型县域医共体建设", "提升基层医疗服务能力"),
    "relocation": ("抓好易地扶贫搬迁后续扶持", "推动搬迁群众稳得住、能致富", "完善安置区配套设施"),
    "tourism": ("推动农文旅融合发展", "打造精品旅游线路", "持续提升乡村旅游服务水平"),
}

_SPEECH = {
    "employment": ("在家门口上班，既能挣钱又能照顾老人孩子", "工资按时发放，干活心里踏实",
                   "以前在外面打工，一年到头回不了几次家"),
    "returnees": ("家乡的政策好，回来创业有底气", "在外面学到的技术，终于在家乡派上了用场"),
    "income": ("日子一天比一天好", "跟着合作社干，收入稳稳当当"),
    "housing_fund": ("公积金的政策太暖心了", "线上就能办，少跑了好多路"),
    "agriculture": ("这茬果子品相好，价钱也不错", "有技术员指导，心里有底"),
    "industry": ("订单已经排满了，我们正在招工", "厂子就在家门口，上下班很方便"),
    "infrastructure": ("路修好了，农产品运得出去了", "自来水通到了家里，再也不用挑水了"),
    "education": ("孩子在新学校读书，我们很放心", "教室宽敞明亮，老师也很负责"),
    "health": ("在家门口就能看病，方便多了", "家庭医生经常上门，我们很安心"),
    "relocation": ("搬进新房子，还在家门口找到了工作", "住上了楼房，日子越过越有盼头"),
    "tourism": ("游客多了，我家农家乐的生意越来越好", "村子变美了，来玩的人也多了"),
}

_GENERAL_HEADINGS = ("一张蓝图绘到底", "民生实事件件落地", "实干笃行 久久为功", "真抓实干 勇毅前行")

_TOPIC_WORDS = {
    "employment": ("就业", "稳岗"), "returnees": ("返乡创业", "归雁"),
    "income": ("增收", "致富"), "housing_fund": ("公积金", "安居"),
    "agriculture": ("产业", "丰收"), "industry": ("工业", "园区"),
    "infrastructure": ("交通", "民生"), "education": ("教育", "学校"),
    "health": ("健康", "医疗"), "relocation": ("搬迁", "安居"),
    "tourism": ("文旅", "乡村旅游"),
}
TOPICS = tuple(_TOPIC_WORDS)

_HEADLINE_PHRASES = {
    "employment": ("家门口圆就业梦", "端稳“就业饭碗”", "就业路越走越宽", "稳岗就业暖民心"),
    "returnees": ("归雁返乡兴家园", "返乡创业正当时", "“归雁经济”激活乡村"),
    "income": ("群众增收有奔头", "持续增收的“答卷”", "致富路上步履铿锵"),
    "housing_fund": ("安居惠民谱新篇", "公积金托起安居梦", "惠民安居谱新篇"),
    "agriculture": ("特色产业“链”出增收路", "田间地头丰收忙", "高原特色产业结硕果"),
    "industry": ("园区“强引擎”蓄势发力", "工业经济稳中向好", "绿色产业动能澎湃"),
    "infrastructure": ("民生路通向幸福门", "补短板 强基础", "基础设施提档升级"),
    "education": ("办好家门口的好学校", "教育均衡发展提速", "点亮乡村孩子的未来"),
    "health": ("守护群众健康幸福", "看病就医更方便", "基层医疗服务提质"),
    "relocation": ("搬迁群众稳得住能致富", "安置区里新生活", "新家园 新生活"),
    "tourism": ("乡村旅游火起来", "文旅融合激活发展新动能", "好风景带来好“钱景”"),
}

_SUBTITLE_PHRASES = (
    "{P}{W}工作综述", "{P}推动{W}工作见闻", "{P}{W}发展纪实", "{P}以{W}为抓手推动高质量发展",
    "{P}多措并举促进{W}", "{P}{W}工作三年成就纪实",
)

_REFLECTIONS = (
    "一组组数据的背后，是一个个家庭的幸福生活。",
    "发展的成色，最终要体现在群众的获得感上。",
    "民生无小事，枝叶总关情。",
    "只要方向对了，路就不怕远。",
    "把群众的小事当作自己的大事，才能赢得群众的信任。",
    "实干，是最好的答卷。",
)

_EDITORIAL = (
    "编者按：民生是最大的政治。本报今起推出专栏，聚焦各地在{W}方面的生动实践。",
    "编者按：高质量发展，关键在落实。本报记者深入基层，记录{W}工作中的新变化、新成效。",
    "（编者按：为展示各地{W}工作的新进展，本报推出系列报道，敬请关注。）",
)

# Sentences holding numbers that are not quantities (dates, codes, quoted names, ordinals).
_DISTRACTORS = (
    "{P}深入践行“3815”战略发展目标，扎实做好“产、城、人”三篇文章。",
    "群众可拨打12345政务服务便民热线咨询相关政策。",
    "{P}推行“3+2”帮扶模式，建立“一户一档”工作台账。",
    "{P}通过“7×24小时”线上平台为群众提供政策咨询服务。",
    "{P}已连续举办第三届“春风行动”专场活动。",
    "{P}在“十四五”规划实施中统筹推进各项民生工作。",
    "{P}依托5G网络推进“互联网+政务服务”。",
)


# =============================================================================================
# An article being written
# =============================================================================================

@dataclass
class Block:
    kind: str  # headline subtitle byline caption heading paragraph note
    sents: list[Sent] = field(default_factory=list)
    text: str = ""  # for a byline or note
    style: str = ""  # headline: md|plain; heading: bold|md|bare
    cut: int | None = None  # paragraph: offset of a page-column break


_SUB_TOPICS = ("employment", "returnees", "income", "agriculture", "relocation", "tourism")


class Article:
    """An article being written: its page's date, the region it is about (its focus: named
    in its headline or subtitle), its topic, its blocks."""

    def __init__(self, rng: random.Random, pub: Pub, focus: Region):
        self.rng = rng
        self.pub = pub
        self.focus = focus
        self.city = focus.level == "city"
        self.topic = rng.choice(TOPICS)
        self.all_subs = _SUBPLACES.get(focus.name, [])
        # figures of a township, village or site: not for a county's GDP or housing fund
        self.subs = self.all_subs if self.topic in _SUB_TOPICS else []
        self.blocks: list[Block] = []
        self.counties = [c for c in COUNTIES if c.name != "水富市"]  # see _scope
        self.levels: dict[str, Decimal] = {}  # an indicator's level in this article
        self.authors: list[str] = []

    # --- names of places -----------------------------------------------------------------

    def _scope(self) -> str:
        """全市 in a city article (the city is all it names apart from counties other than
        水富市, a county-level city that 全市 would mean once named); 全区 for 昭阳区, 全市 for
        水富市, 全县 for the other counties."""
        if self.city:
            return "全市"
        return {"昭阳区": "全区", "水富市": "全市"}.get(self.focus.name, "全县")

    def _organ(self) -> str:
        head = "市" if self.city or self.focus.name == "水富市" else (
            "区" if self.focus.name == "昭阳区" else "县")
        organ = {"employment": "人社局", "returnees": "人社局", "income": "乡村振兴局",
                 "housing_fund": "住房公积金管理中心" if self.city else self.rng.choice(
            ("住房公积金管理部", "住房和城乡建设局", "住房和城乡建设局")),
                 "agriculture": "农业农村局", "industry": "工业和信息化局",
                 "infrastructure": "交通运输局", "education": "教育体育局",
                 "health": "卫生健康局", "relocation": "发展和改革局",
                 "tourism": "文化和旅游局"}[self.topic]
        return head + organ

    def subject(self, s: Sent, *, sub: bool = True, organ: bool = True, county: bool = False,
                scope: bool = True) -> str:
        """Write the subject of a statement: the focus by name, short name, scope word or
        organ, or (county articles) a township, village or site of the sheet, or (city
        articles, `county`) one of the counties. Returns the region's name."""
        rng = self.rng
        choices = ["name", "name", "short"]
        if scope:
            choices += ["scope", "scope"]
        if organ:
            choices.append("organ")
        if sub and self.subs:
            choices += ["sub", "sub"]
        if county and self.city:
            choices += ["county", "county", "county"]
        pick = rng.choice(choices)
        focus = self.focus
        if pick == "name":
            s.at(focus.name, focus.name)
        elif pick == "short" and focus.short:
            s.at(focus.short, focus.name)
        elif pick == "scope":
            s.at(self._scope(), focus.name)
        elif pick == "organ":
            s.at(self._organ(), focus.name)
        elif pick == "sub":
            return self.subplace(s)
        elif pick == "county":
            c = rng.choice(self.counties)
            s.at(c.name if rng.random() < 0.7 else (c.short or c.name), c.name)
            return c.name
        else:
            s.at(focus.name, focus.name)
        return focus.name

    def subplace(self, s: Sent, role: str = "subject", pool: list[Region] | None = None) -> str:
        """A township, village, community or site of the focus county, maybe with its county
        and township before it (巧家县马树镇幸福里社区): the place is the last, most specific."""
        rng = self.rng
        leaf = rng.choice(pool or self.subs)
        chain = [leaf]
        parent = REGIONS.get(leaf.parent)
        if parent is not None and parent.level in ("township", "place") and rng.random() < 0.5:
            chain.insert(0, parent)
        county = _county_of(leaf)
        if not leaf.name.startswith(county.name) and rng.random() < 0.4:
            chain.insert(0, county)
        for r in chain[:-1]:
            s.at(r.name, r.name, role)
        s.at(leaf.name, leaf.name, role)
        return leaf.name

    def person(self) -> str:
        rng = self.rng
        for _ in range(20):
            name = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.randint(1, 2)))
            if not any(w in name for w in _PLACE_WORDS):
                return name
        return "李明"

    # --- figures -----------------------------------------------------------------------------

    def f(self, kind: str, s: Sent | None = None, **kw) -> Fig:
        if self.city and kind in ("people_wan", "money_yi"):
            kind += "_city"
        if s is not None:
            kw["before"] = s.text
        return make_fig(self.rng, kind, **kw)


# =============================================================================================
# Indicators: the statements most sentences are made of
# =============================================================================================

_VERBAL = ("发放", "开展", "完成", "实现", "举办", "认定", "开发", "归集", "招聘", "报销", "建成",
           "配备", "改造", "新增", "新建", "培育", "接待", "累计", "城镇新增", "乡村旅游接待",
           "新培育", "搬迁劳动力实现", "安置区")
_FLOWS = ("发放", "完成", "接待", "实现", "归集", "报销", "开展", "乡村旅游接待")


@dataclass(frozen=True)
class Ind:
    noun: str  # what comes before the figure
    kind: str
    verbs: tuple[str, ...] = ("", "达", "达到", "为")
    change: bool = False  # the noun makes the figure a change (新增…, 新建…)
    growth: bool = True  # a growth rate of it reads naturally
    qual: str | None = "level"
    cn: bool = True

    @property
    def verbal(self) -> bool:
        """What an office does (发放…, 开展…): an organ (县人社局) may be its subject."""
        return self.noun.startswith(_VERBAL)

    @property
    def flow(self) -> bool:
        """An amount over time (发放…, 接待…): 3年来累计… and 年均增长 read naturally."""
        return self.noun.startswith(_FLOWS)


_INDICATORS: dict[str, tuple[Ind, ...]] = {
    "employment": (
        Ind("农村劳动力转移就业", "people_wan"),
        Ind("脱贫劳动力务工就业规模", "people_wan"),
        Ind("省外务工人员", "people_wan"),
        Ind("城镇新增就业", "people", ("",), change=True, qual="change"),
        Ind("开展职业技能培训", "ptimes", ("",)),
        Ind("实现劳务收入", "money_yi", ("",)),
        Ind("认定就业帮扶车间", "items", ("",)),
        Ind("开发公益性岗位", "items", ("",), growth=False),
        Ind("举办专场招聘会", "sessions", ("",), growth=False),
        Ind("城镇调查失业率", "pct_low", ("控制在",), growth=False, qual="upper"),
        Ind("脱贫劳动力务工就业率", "pct_rate", ("达", "稳定在"), growth=False, qual="rate"),
    ),
    "returnees": (
        Ind("累计回引返乡创业就业人员", "people_wan", ("",)),
        Ind("返乡创业人员", "people", ("达",)),
        Ind("发放创业担保贷款", "money_wan", ("",)),
        Ind("返乡创业园入驻企业", "firms", ("达", "")),
        Ind("新培育返乡创业市场主体", "firms", ("",), change=True, qual="change"),
    ),
    "income": (
        Ind("脱贫人口人均纯收入", "yuan_pc", ("", "达", "达到"), qual=None, cn=False),
        Ind("农村常住居民人均可支配收入", "yuan_pc", ("", "达"), qual=None, cn=False),
        Ind("城镇常住居民人均可支配收入", "yuan_urban", ("", "达"), qual=None, cn=False),
        Ind("村集体经济总收入", "money_wan", ("", "达")),
        Ind("发放脱贫人口小额信贷", "money_yi", ("",)),
        Ind("防止返贫监测对象", "hh", ("",), growth=False),
    ),
    "housing_fund": (
        Ind("归集住房公积金", "money_yi", ("",)),
        Ind("住房公积金提取额", "money_yi", ("", "达", "为")),
        Ind("发放个人住房公积金贷款", "money_yi", ("",)),
        Ind("住房公积金缴存职工", "people_wan", ("", "达")),
        Ind("新增缴存职工", "people", ("",), change=True, qual="change"),
        Ind("个贷率", "pct_rate", ("为", "保持在"), growth=False, qual="rate"),
        Ind("住房公积金增值收益", "money_wan", ("", "达")),
    ),
    "agriculture": (
        Ind("粮食播种面积", "mu_wan", ("", "稳定在", "达")),
        Ind("粮食总产量", "tons_wan", ("", "达")),
        Ind("苹果种植面积", "mu_wan", ("", "达")),
        Ind("马铃薯种植面积", "mu_wan", ("", "达")),
        Ind("天麻种植面积", "mu_wan", ("", "达")),
        Ind("花椒种植面积", "mu", ("", "达")),
        Ind("茶叶产量", "tons", ("", "达")),
        Ind("农业总产值", "money_yi", ("", "达", "突破")),
        Ind("新建高标准农田", "mu_wan", ("",), change=True, qual="change"),
        Ind("培育农民专业合作社", "items", ("",), growth=False),
        Ind("建成冷链保鲜库", "seats", ("",), growth=False),
        Ind("农产品线上销售额", "money_yi", ("", "达")),
    ),
    "industry": (
        Ind("规模以上工业增加值", "money_yi", ("", "达")),
        Ind("完成规模以上工业总产值", "money_yi", ("",)),
        Ind("规模以上工业企业", "firms", ("达", "")),
        Ind("完成工业固定资产投资", "money_yi", ("",)),
        Ind("园区入驻企业", "firms", ("达", "")),
        Ind("地区生产总值", "money_yi", ("", "达", "突破")),
        Ind("社会消费品零售总额", "money_yi", ("", "达")),
        Ind("绿色铝产量", "tons_wan", ("", "达")),
        Ind("签约招商引资项目", "projects", ("",), growth=False),
    ),
    "infrastructure": (
        Ind("农村公路总里程", "km", ("", "达")),
        Ind("高速公路通车里程", "km", ("", "达", "突破")),
        Ind("完成交通固定资产投资", "money_yi", ("",)),
        Ind("农村自来水普及率", "pct_rate", ("", "达"), growth=False, qual="rate"),
        Ind("光伏发电装机容量", "kw_wan", ("", "达")),
        Ind("建成5G基站", "items", ("",), growth=False),
        Ind("新增农村公路", "km", ("",), change=True, qual="change"),
        Ind("改造农村危房", "hh", ("",), growth=False),
    ),
    "education": (
        Ind("学前教育毛入园率", "pct_rate", ("达", "为"), growth=False, qual="rate"),
        Ind("义务教育巩固率", "pct_rate", ("达", "为"), growth=False, qual="rate"),
        Ind("在校学生", "people_wan", ("", "达")),
        Ind("建成寄宿制学校", "schools", ("",), growth=False),
        Ind("发放各类学生资助资金", "money_wan", ("",)),
        Ind("招聘特岗教师", "ming", ("",), growth=False),
        Ind("新增学位", "items", ("",), change=True, qual="change"),
        Ind("高考本科上线人数", "people", ("达", "")),
    ),
    "health": (
        Ind("城乡居民基本医疗保险参保率", "pct_rate", ("稳定在", "达"), growth=False, qual="lower"),
        Ind("家庭医生签约服务", "people_wan", ("",)),
        Ind("建成标准化村卫生室", "items", ("",), growth=False),
        Ind("配备乡村医生", "ming", ("",), growth=False),
        Ind("患者县域内就诊率", "pct_rate", ("达", "为"), growth=False, qual="rate"),
        Ind("报销医疗费用", "money_wan", ("",)),
        Ind("医疗卫生机构床位", "beds", ("", "达")),
    ),
    "relocation": (
        Ind("搬迁劳动力实现就业", "people", ("",)),
        Ind("安置区引进商户", "hh", ("",), growth=False),
        Ind("安置区帮扶车间吸纳就业", "people", ("",)),
        Ind("建成安置住房", "flats", ("",), growth=False),
        Ind("搬迁群众参加技能培训", "ptimes", ("",)),
    ),
    "tourism": (
        Ind("接待游客", "ptimes_wan", ("",)),
        Ind("实现旅游总收入", "money_yi", ("",)),
        Ind("乡村旅游接待游客", "ptimes_wan", ("",)),
        Ind("精品民宿", "firms", ("达", "")),
        Ind("旅游从业人员", "people", ("达", "")),
    ),
}


def _bare(noun: str) -> str:
    """The noun without the verb that opens it: 发放创业担保贷款 → 创业担保贷款 (for 增长, 突破)."""
    for verb in ("完成", "实现", "开展", "发放", "举办", "认定", "开发", "归集", "招聘", "报销",
                 "建成", "配备", "改造", "培育", "签约"):
        if noun.startswith(verb):
            return noun[len(verb):]
    return noun


def _ind(a: Article, growth: bool | None = None, change: bool | None = None) -> Ind:
    pool = [i for i in _INDICATORS[a.topic]
            if (growth is None or i.growth == growth) and (change is None or i.change == change)]
    return a.rng.choice(pool or list(_INDICATORS[a.topic]))


def _state(a: Article, s: Sent, ind: Ind, *, target: bool = False, forecast: bool = False,
           qual=_KEEP, verb: str | None = None) -> None:
    """`{noun}{verb}{figure}`: one indicator's figure. 突破 is a qualifier of the figure,
    not a verb; another qualifier before the number takes the place of 达, 为, 稳定在."""
    s.w(ind.noun)
    verb = a.rng.choice(ind.verbs) if verb is None else verb
    q = ind.qual if qual is _KEEP else qual
    word = None
    if verb == "突破":
        verb, word = "", "突破"
    value = _level(a, s, ind)
    fig = a.f(ind.kind, None, qual=q, cn_ok=ind.cn, word=word, before=s.text + verb, value=value)
    _verb_and_fig(a, s, verb, fig, change=ind.change, target=target, forecast=forecast,
                  kind=ind.kind)


def _level(a: Article, s: Sent, ind: Ind) -> Decimal | None:
    """A value near the indicator's level in this article (the same statistic, reported
    for several periods, stays of one size); a tenth for a township or village, a sixth
    for a county of a city article. None for shares and rates: drawn freely."""
    spec = K[ind.kind + ("_city" if a.city and ind.kind in ("people_wan", "money_yi") else "")]
    if spec.unit in ("%", "个百分点") or ind.change:
        return None
    rng = a.rng
    base = a.levels.get(ind.noun)
    if base is None:
        base = a.levels[ind.noun] = _dec(rng, spec.lo, spec.hi, spec.decimals)
    factor = Decimal(repr(rng.uniform(0.75, 1.3)))
    if s.place is not None and s.place != a.focus.name:
        factor *= Decimal("0.08") if _depth(s.place) > 3 else Decimal("0.16")
    value = (base * factor).quantize(Decimal(1) / (10 ** spec.decimals))
    floor = Decimal(1) / (10 ** spec.decimals) if spec.magnitude else Decimal(1)
    return max(value, floor)


def _verb_and_fig(a: Article, s: Sent, verb: str, fig: Fig, kind: str, **flags) -> None:
    """Write `verb` then `fig`; a qualifier before the number (超过, 突破, 不足 …) stands in
    for 达, 为, 稳定在 (not 达超过), except 近 (达近5000)."""
    prefix = next((w for w in _PREFIX_WORDS if fig.text.startswith(w)), "")
    if prefix and prefix != "近":
        if verb in ("达", "达到", "为", "稳定在", "保持在", "控制在", "有"):
            verb = ""
        elif verb[-1:] in ("达", "为"):
            verb = verb[:-1]  # 增幅达 → 增幅超过16%
        if (s.text + verb)[-1:] in _NOT_BEFORE.get(prefix[:1], ""):
            fig = make_fig(a.rng, kind, before=s.text + verb)
    s.w(verb)
    s.fig(fig, **flags)


def _growth_words(a: Article, when: When | None) -> tuple[str, str | None]:
    """A growth phrase and its base: 同比增长 / 增长 / 比上年增长 → year on year."""
    rng = a.rng
    if when is None or not when.within_a_year:
        raise ValueError("a growth rate with no base written needs a period within a year")
    words = ["同比增长", "增长", "同比增长", "增幅达", "增速为", "同比下降"]
    if when.kind == "year":
        words += ["比上年增长", "较上年增长"]
    else:
        words += ["比上年同期增长"]
    word = rng.choice(words)
    return word, _yoy(when.label)


# =============================================================================================
# Templates: each writes one or more sentences of a paragraph
# =============================================================================================

def _inds(a: Article, n: int, **filters) -> list[Ind]:
    """n different indicators of the article's topic that pass `filters` (attribute: value)."""
    pool = [i for i in _INDICATORS[a.topic]
            if all(getattr(i, key) == value for key, value in filters.items())]
    pool = pool or list(_INDICATORS[a.topic])
    return a.rng.sample(pool, min(n, len(pool)))


_RATES_BY_TOPIC = {
    "employment": ("农村劳动力就业率", "脱贫劳动力务工就业率"),
    "returnees": ("返乡创业成功率",),
    "income": ("脱贫户家庭经营性收入占比", "工资性收入占比"),
    "housing_fund": ("住房公积金个贷率", "住房公积金使用率"),
    "agriculture": ("农产品加工转化率", "主要农作物耕种收综合机械化率"),
    "industry": ("工业产品销售率", "园区工业增加值占比"),
    "infrastructure": ("农村自来水普及率", "建制村通客车率"),
    "education": ("义务教育巩固率", "学前教育毛入园率"),
    "health": ("城乡居民基本医疗保险参保率", "患者县域内就诊率"),
    "relocation": ("搬迁劳动力就业率", "安置区配套设施完成率"),
    "tourism": ("乡村旅游接待游客占比", "旅游民宿入住率"),
}


def t_level(a: Article) -> list[Sent]:
    """{T}，{P}{noun}{F}[，{noun}{F}]。"""
    rng = a.rng
    s = Sent("level")
    inds = _inds(a, 1 if rng.random() < 0.4 else 2)
    s.when(_when(a.pub, rng) if rng.random() < 0.85 else None)
    a.subject(s, county=True, organ=all(i.verbal for i in inds))
    for n, ind in enumerate(inds):
        if n:
            s.w(rng.choice(("，", "，", "；")))
        _state(a, s, ind)
    return [s.w("。")]


def t_growth(a: Article) -> list[Sent]:
    """{T}，{P}{noun}{F}，同比增长{x%}。 (base: the same period a year before)"""
    rng = a.rng
    s = Sent("growth")
    when = _when(a.pub, rng, growth=True)
    s.when(when)
    ind = _inds(a, 1, growth=True, change=False)[0]
    a.subject(s, county=True, organ=ind.verbal)
    _state(a, s, ind)
    word, base = _growth_words(a, when)
    s.w("，")
    _verb_and_fig(a, s, word, a.f("pct_growth", None, qual="change", before=s.text + word),
                  "pct_growth", change=True, base=base)
    return [s.w("。")]


def t_growth_pair(a: Article) -> list[Sent]:
    """{T}，{P}{noun}{F}、{noun}{F}，分别增长{a%}、{b%}。"""
    rng = a.rng
    s = Sent("growth.pair")
    when = _when(a.pub, rng, growth=True)
    s.when(when)
    inds = _inds(a, 2, growth=True, change=False)
    a.subject(s, county=True, organ=all(i.verbal for i in inds))
    for n, ind in enumerate(inds):
        if n:
            s.w("，")
        _state(a, s, ind, qual=None)
    base = _yoy(when.label)
    s.w("，分别" + rng.choice(("增长", "同比增长",
                               "比上年同期增长" if when.kind != "year" else "比上年增长")))
    for n in range(len(inds)):
        if n:
            s.w("、")
        s.fig(a.f("pct_growth", s), change=True, base=base)
    return [s.w("。")]


_INTEGER_UNITS = ("人", "家", "个", "户", "名", "所", "场", "座", "套", "张", "项", "人次")


def _smaller(a: Article, fig: Fig, kind: str, lo: float, hi: float, before: str) -> Fig:
    """A figure of the same kind and unit, a fraction (lo–hi) of `fig`: a part or a change."""
    spec = K[kind]
    ratio = Decimal(repr(a.rng.uniform(lo, hi))).quantize(Decimal("0.001"))
    if spec.magnitude:
        factor = Decimal(10) ** {"万": 4, "亿": 8}[spec.magnitude]
        coef = (Decimal(repr(fig.value)) * ratio / factor).quantize(Decimal("0.01"))
        if coef >= Decimal("0.1"):
            return make_fig(a.rng, kind, value=coef, before=before)
        value = (Decimal(repr(fig.value)) * ratio).to_integral_value()
    elif spec.decimals and spec.unit not in _INTEGER_UNITS:
        value = (Decimal(repr(fig.value)) * ratio).quantize(Decimal("0.1"))
    else:
        value = (Decimal(repr(fig.value)) * ratio).to_integral_value()
    value = max(value, Decimal(1))
    number = _plain(value)
    return Fig(f"{number}{spec.unit}", float(value), spec.unit,
               cut=len(number) if spec.unit in ("元", "%") else None)


def t_change_abs(a: Article) -> list[Sent]:
    """{T}，{P}{noun}{F}，比上年增加{F}。 (the change's base is the same period a year before)"""
    rng = a.rng
    s = Sent("change.abs")
    when = _when(a.pub, rng, growth=True)
    s.when(when)
    ind = _inds(a, 1, growth=True, change=False)[0]
    a.subject(s, county=True, organ=ind.verbal)
    _state(a, s, ind, qual=None)
    level = s.figs[-1].fig
    compare = "比上年" if when.kind == "year" else "比上年同期"
    verbs = ("增加", "增加了", "多") if level.unit not in _INTEGER_UNITS else ("增加", "净增", "增加了")
    s.w(f"，{compare}{rng.choice(verbs)}")
    kind = ind.kind + ("_city" if a.city and ind.kind in ("people_wan", "money_yi") else "")
    s.fig(_smaller(a, level, kind, 0.02, 0.15, s.text), change=True, base=_yoy(when.label))
    return [s.w("。")]


def t_rate_change(a: Article) -> list[Sent]:
    """{T}，{P}{rate}达{x%}，比上年提高{pp}个百分点。"""
    rng = a.rng
    s = Sent("rate.pp")
    when = _when(a.pub, rng, growth=True)
    s.when(when)
    a.subject(s, county=True, organ=False)
    s.w(rng.choice(_RATES_BY_TOPIC[a.topic] + ("城镇化率", "森林覆盖率"))
        + rng.choice(("达", "达到", "为")))
    s.fig(a.f("pct_rate", s))
    compare = "比上年" if when.kind == "year" else "比上年同期"
    s.w("，" + compare + rng.choice(("提高", "提升", "下降")))
    s.fig(a.f("pp", s), change=True, base=_yoy(when.label))
    return [s.w("。")]


def t_asof_growth(a: Article) -> list[Sent]:
    """截至目前，{P}{stock}突破{F}，较{k}年前增长{x%}。 / …较2020年增长{x%}。"""
    rng = a.rng
    s = Sent("asof.base")
    pub = a.pub
    options = [When(rng.choice(("截至目前", "目前")), f"../{pub.label}", "as_of")]
    if pub.month >= 3:
        k = rng.randint(1, pub.month - 1)
        options.append(When(f"截至今年{k}月底", f"../{pub.year}-{k:02d}", "as_of"))
    past = rng.randint(max(2016, pub.year - 3), pub.year - 1) if pub.year > 2016 else None
    if past:
        options.append(When(f"截至{past}年底", f"../{past}", "as_of"))
    when = rng.choice(options)
    s.when(when)
    ind = _inds(a, 1, growth=True, change=False)[0]
    a.subject(s, county=True, organ=ind.verbal)
    _state(a, s, ind)
    year = int(re.search(r"\d{4}", when.label).group())
    if rng.random() < 0.5 or year <= 2016:
        k = rng.randint(2, 5)
        s.w(f"，较{k if rng.random() < 0.7 else '两三四五'[k - 2]}年前增长")
        base = str(year - k)
    else:
        y0 = rng.randint(max(2015, year - 6), year - 1)
        s.w(rng.choice((f"，较{y0}年", f"，比{y0}年", f"，与{y0}年相比")) + rng.choice(("增长", "增长了")))
        base = str(y0)
    s.fig(a.f("pct_growth", s, qual="change"), change=True, base=base)
    return [s.w("。")]


def t_span_average(a: Article) -> list[Sent]:
    """3年来，{P}累计{flow}{F}，年均增长{x%}。 (base: the year before the span)"""
    rng = a.rng
    s = Sent("span.average")
    n = rng.randint(2, 5)
    form = rng.choice((f"{n}年来", f"过去{n}年", f"近{n}年来", f"{'两三四五'[n - 2]}年来"))
    y = a.pub.year
    s.when(When(form, f"{y - n + 1}/{y}", "span"))
    flows = [i for i in _INDICATORS[a.topic] if i.flow and not i.change]
    if not flows:
        return t_level(a)
    ind = rng.choice(flows)
    a.subject(s, county=True, organ=True)
    s.w("累计")
    _state(a, s, ind, verb="")
    s.w("，年均增长")
    s.fig(a.f("pct_growth", s), change=True, base=str(y - n))
    return [s.w("。")]


def t_part(a: Article) -> list[Sent]:
    """{T}，{scope}{noun}{F}，其中{sub or county}{F}。 (the part's place is the sub-place)"""
    rng = a.rng
    if not a.city and not a.subs:
        return t_level(a)
    s = Sent("part")
    s.when(_when(a.pub, rng))
    s.at(a._scope() if rng.random() < 0.6 else a.focus.name, a.focus.name)
    # not the part of an addition (新增…，其中…): whether the part is a change is left open
    pool = [i for i in _INDICATORS[a.topic] if not K[i.kind].unit.endswith("%") and not i.change]
    ind = rng.choice(pool)
    _state(a, s, ind)
    total = s.figs[-1].fig
    s.w("，其中")
    if a.city:
        c = rng.choice(a.counties)
        s.at(c.name, c.name, role="part")
    else:
        a.subplace(s, role="part")
    kind = ind.kind + ("_city" if a.city and ind.kind in ("people_wan", "money_yi") else "")
    s.fig(_smaller(a, total, kind, 0.08, 0.4, s.text), change=ind.change)
    return [s.w("。")]


def t_components(a: Article) -> list[Sent]:
    """{T}，{P}累计回引{total}返乡创业就业，其中创业{a}，就业{b}。 (a + b = total)"""
    rng = a.rng
    s = Sent("components")
    s.when(_when(a.pub, rng))
    a.subject(s)
    scale = 100 if not a.city else 1000
    x, y = rng.randint(30, 99 * scale // 10), rng.randint(30, 99 * scale // 10)
    total = x + y
    noun, n1, n2 = rng.choice((("累计回引", "返乡创业就业，其中创业", "，就业"),
                               ("累计转移农村劳动力", "，其中省内转移", "，省外转移"),
                               ("累计带动就业", "，其中就地就近就业", "，外出务工")))

    def wan(v: int) -> Fig:
        coef = Decimal(v) / 100
        return make_fig(rng, "people_wan" if not a.city else "people_wan_city", value=coef,
                        before=s.text)

    s.w(noun)
    s.fig(wan(total))
    s.w(n1)
    s.fig(wan(x))
    s.w(n2)
    s.fig(wan(y))
    return [s.w("。")]


def t_breakdown(a: Article) -> list[Sent]:
    """分县区看，A县{F}，B县{F}，C县{F}。 (city articles; several places: ends its paragraph)"""
    rng = a.rng
    if not a.city:
        return t_level(a)
    s = Sent("breakdown")
    when = _when(a.pub, rng, growth=True)
    s.when(when)
    s.w(rng.choice(("分县区看，", "从各县区看，")))
    ind = rng.choice([i for i in _INDICATORS[a.topic] if i.growth and not i.change])
    counties = rng.sample(a.counties, rng.randint(2, 3))
    growth = rng.random() < 0.5
    for n, c in enumerate(counties):
        if n:
            s.w(rng.choice(("，", "；")))
        s.at(c.name, c.name)
        if growth:
            s.w(_bare(ind.noun) + "增长" if n == 0 else "增长")
            s.fig(a.f("pct_growth", s), change=True, base=_yoy(when.label))
        else:
            s.w(ind.noun if n == 0 else rng.choice(("", "为")))
            s.fig(make_fig(rng, ind.kind.replace("_city", ""), before=s.text))
    s.ends_paragraph = True
    return [s.w("。")]


def t_same_period(a: Article) -> list[Sent]:
    """{T}，{P}{noun}增长{x%}。同期，{Q}{noun}增长{y%}。 (同期: the period before)"""
    rng = a.rng
    first = t_growth(a)[0]
    when_label = first.period
    s = Sent("same.period")
    s.w("同期，")
    s.period = when_label
    if a.city:
        c = rng.choice(a.counties)
        s.at(c.name, c.name)
    elif a.subs and rng.random() < 0.5:
        a.subplace(s)
    else:
        s.at(a.focus.name, a.focus.name)
    ind = _ind(a, growth=True, change=False)
    s.w(_bare(ind.noun) + rng.choice(("同比增长", "增长")))
    s.fig(a.f("pct_growth", s), change=True, base=_yoy(when_label))
    return [first, s.w("。")]


def t_attributive(a: Article) -> list[Sent]:
    """截至目前，{P}{noun}由2020年的{x%}提高到2024年的{y%}。"""
    rng = a.rng
    s = Sent("attributive")
    s.when(When(rng.choice(("截至目前", "目前")), f"../{a.pub.label}", "as_of"))
    a.subject(s, sub=False, organ=False)
    y1 = max(2016, a.pub.year - rng.randint(0, 1))
    y0 = rng.randint(max(2015, y1 - 5), y1 - 1)
    s.w(rng.choice(_RATES_BY_TOPIC[a.topic] + ("城镇化率",)) + "由")
    s.w(f"{y0}年的")
    lo = a.f("pct_share", s)
    s.fig(lo, period=str(y0))
    s.w(rng.choice(("提高到", "提升至", "提高至")) + f"{y1}年的")
    hi_value = Decimal(repr(lo.value)) + _dec(rng, 1, 20, 1)
    s.fig(Fig(f"{_plain(hi_value)}%", float(hi_value), "%"), period=str(y1))
    return [s.w("。")]


def t_policy(a: Article) -> list[Sent]:
    """{P}将单缴存职工家庭最高贷款额度从{F}万元提高至{F}万元。 (levels, no period)"""
    rng = a.rng
    s = Sent("policy")
    if a.topic == "housing_fund" or rng.random() < 0.5:
        s.at(a._organ() if rng.random() < 0.7 else a.focus.name, a.focus.name)
        s.w(rng.choice(("将单缴存职工家庭最高贷款额度从", "把双缴存职工家庭最高贷款额度从")))
        lo = rng.randint(20, 60)
        s.fig(make_fig(rng, "loan_wan", value=Decimal(lo), before=s.text))
        s.w("提高至")
        s.fig(make_fig(rng, "loan_wan", value=Decimal(lo + rng.choice((10, 20, 30, 40))),
                       before=s.text))
    else:
        a.subject(s, sub=False)
        s.w("将脱贫户产业奖补标准从每户")
        lo = rng.randint(10, 40) * 100
        s.fig(Fig(f"{lo}元", float(lo), "元", cut=len(str(lo))))
        s.w("提高至每户")
        hi = lo + rng.randint(1, 10) * 100
        s.fig(Fig(f"{hi}元", float(hi), "元", cut=len(str(hi))))
    return [s.w("。")]


def t_threshold(a: Article) -> list[Sent]:
    """{T}，{P}村集体经济收入10万元以上的村达{F}个。"""
    rng = a.rng
    s = Sent("threshold")
    s.when(_when(a.pub, rng))
    a.subject(s, sub=False, county=True, organ=False)
    lo = rng.choice((5, 10, 20, 50))
    s.w("村集体经济收入")
    s.fig(Fig(f"{lo}万元以上", float(lo * 10000), "元", "ge"))
    s.w("的村" + rng.choice(("达", "达到", "有")))
    s.fig(a.f("items", s, cn_ok=True))
    return [s.w("。")]


def t_households(a: Article) -> list[Sent]:
    """{P}共安置搬迁群众{F}户{F}人[，其中劳动力{F}人]。 (no period; may be Chinese)"""
    rng = a.rng
    s = Sent("households")
    if rng.random() < 0.5:
        s.when(_when(a.pub, rng))
    a.subject(s, organ=False)
    s.w(rng.choice(("共安置易地扶贫搬迁群众", "有易地搬迁人口", "累计识别纳入监测对象")))
    if rng.random() < 0.4:
        hh, hh_v = _cn_number(rng)
        while hh_v >= 100000:
            hh, hh_v = _cn_number(rng)
        people_v = hh_v * rng.randint(3, 5)
        s.fig(Fig(f"{hh}余户", float(hh_v), "户", "gt"))
        cn_people = _cn_round(people_v)
        s.fig(Fig(f"{cn_people[0]}余人", float(cn_people[1]), "人", "gt"))
        if rng.random() < 0.5:
            s.w("，其中劳动力")
            lab = _cn_round(int(cn_people[1] * rng.uniform(0.4, 0.6)))
            s.fig(Fig(f"{lab[0]}余人", float(lab[1]), "人", "gt"))
    else:
        hh = make_fig(rng, "hh_wan", before=s.text)
        s.fig(hh)
        people = Decimal(repr(hh.value)) * Decimal(rng.randint(30, 45)) / 10 / 10000
        s.fig(make_fig(rng, "people_wan", value=people.quantize(Decimal("0.01")), before=s.text))
    return [s.w("。")]


def t_cheng(a: Article) -> list[Sent]:
    """{T}，{P}搬迁劳动力就业{F}人，就业率超过八成。"""
    rng = a.rng
    s = Sent("cheng")
    s.when(_when(a.pub, rng))
    a.subject(s, organ=False)
    s.w(rng.choice(("搬迁劳动力实现就业", "脱贫劳动力务工就业", "有劳动能力的监测对象实现就业")))
    s.fig(a.f("people", s, cn_ok=True, qual="level"))
    s.w(rng.choice(("，就业率", "，就业率达", "，其中就近就业的占")))
    s.fig(cheng(rng, "level"))
    return [s.w("。")]


def t_range(a: Article) -> list[Sent]:
    """{P}{workers}月薪多在3000元至6000元之间。 (a range: value is its low end)"""
    rng = a.rng
    s = Sent("range")
    a.subject(s, organ=False)
    s.w(rng.choice(("帮扶车间务工人员", "园区一线员工", "搬迁群众务工")) + "月薪多在")
    lo = rng.randint(2, 4) * 1000
    hi = lo + rng.randint(1, 3) * 1000
    if rng.random() < 0.5:
        text = f"{lo}元至{hi}元"
    else:
        text = f"{_CN_DIGITS[lo // 1000]}千元至{_CN_DIGITS[hi // 1000]}千元".replace("二千", "两千")
    s.fig(Fig(text, float(lo), "元", high=float(hi)))
    return [s.w("之间。")]


def t_age_quote(a: Article) -> list[Sent]:
    """在{sub}的{site}，52岁的{name}正在…。“…，现在每个月能拿{F}元，…。”"""
    rng = a.rng
    s = Sent("age")
    s.w("在")
    if a.subs and rng.random() < 0.7:
        a.subplace(s)
    elif a.city:
        c = rng.choice(a.counties)
        s.at(c.name, c.name)
    else:
        s.at(a.focus.name, a.focus.name)
    s.w("的" + rng.choice(_SITES[a.topic]) + "，")
    s.fig(a.f("age", s))
    name = a.person()
    s.w(f"的{rng.choice(('脱贫户', '务工群众', '返乡青年', '村民', '职工'))}{name}"
        f"{rng.choice(('正在忙着手里的活计', '一边干活一边和记者聊了起来', '正熟练地操作着机器'))}。")
    out = [s]
    q = Sent("quote.wage")
    q.quote = True
    speech = rng.choice(_SPEECH[a.topic])
    if rng.random() < 0.5:
        q.w(f"“{speech}，")
        q.when(When("现在", f"../{a.pub.label}", "as_of"), comma="")
        q.w(rng.choice(("每个月能拿", "每月收入有", "一个月能挣")))
    else:
        q.w(f"“{speech}，" + rng.choice(("每个月能拿", "一个月能挣")))
    q.fig(a.f("yuan_wage", q, qual="level"))
    q.w(rng.choice(("，日子越过越有盼头。”", "，比在外面打工强多了。”", "。”")))
    out.append(q)
    return out


def t_foreign_quote(a: Article) -> list[Sent]:
    """“以前在广东打工，每个月能拿8000多元，但是照顾不到家里。” (the place is 广东省)"""
    rng = a.rng
    first = t_age_quote(a)[0]
    q = Sent("quote.foreign")
    q.quote = True
    short, full = rng.choice(FOREIGN)
    q.w("“以前在")
    q.at(short, full, role="foreign")
    q.w(rng.choice(("的工厂上班", "打工", "的工地务工")) + "，" + rng.choice(("每个月能拿", "一个月能挣")))
    q.period = None  # 以前 is vague
    q.fig(a.f("yuan_wage", q, qual="level"))
    q.w(rng.choice(("，但是照顾不到家里。”", "，可一年到头见不到孩子。”")))
    return [first, q]


def t_target(a: Article) -> list[Sent]:
    """下一步，{P}将…，力争到2027年{noun}突破{F}、{noun}达到{F}。"""
    rng = a.rng
    s = Sent("target")
    deadline = _deadline(a.pub, rng)
    style = rng.randint(0, 2)
    if style == 0:
        s.w("下一步，")
        a.subject(s, sub=False)
        s.w("将" + rng.choice(_ACTIONS[a.topic]).split("，")[0] + "，力争")
        s.when(deadline, comma="")
    elif style == 1:
        s.when(deadline)
        a.subject(s, sub=False)
        s.w(rng.choice(("力争", "计划", "争取")))
    else:
        a.subject(s, sub=False, scope=False)
        s.w("提出，")
        s.when(deadline)
        s.w(rng.choice(("力争", "争取")))
    inds = [i for i in _INDICATORS[a.topic] if i.kind not in ("pct_low",)]
    first, second = rng.sample(inds, 2)
    s.w(first.noun)
    verb = rng.choice(("突破", "达到", "稳定在"))
    if verb == "突破":
        s.fig(a.f(first.kind, s, word="突破"), change=first.change, target=True)
    else:
        s.w(verb)
        s.fig(a.f(first.kind, s, qual=rng.choice((None, "lower"))), change=first.change,
              target=True)
    s.w(rng.choice(("、", "，")) + second.noun + rng.choice(("达到", "")))
    s.fig(a.f(second.kind, s), change=second.change, target=True)
    if rng.random() < 0.4 and style != 0:
        s.w("，" + _bare(first.noun) + "年均增长")
        s.fig(a.f("pct_growth", s), change=True, target=True)  # a mean rate to a deadline: no base
    return [s.w("。")]


def t_target_yearly(a: Article) -> list[Sent]:
    """{P}力争每年引导{F}返乡创业就业。 (每年 is a rate, not a period) / 今年计划…"""
    rng = a.rng
    s = Sent("target.yearly")
    if rng.random() < 0.5 or a.pub.month < 3:
        a.subject(s, sub=False)
        verb = rng.choice(("引导", "新增", "培训", "帮助"))
        s.w(rng.choice(("力争每年", "计划每年")) + verb)
        s.fig(a.f("people", s, cn_ok=True), change=verb == "新增", target=True)
        s.w(rng.choice(("返乡创业就业。", "农村劳动力转移就业。", "群众稳定增收。")))
        return [s]
    s.when(When("今年", str(a.pub.year), "year"))
    a.subject(s, sub=False)
    s.w(rng.choice(("计划", "计划再")) + rng.choice(("招聘", "培训", "帮助")))
    s.fig(a.f("people", s, cn_ok=True), target=True)
    return [s.w(rng.choice(("，确保群众稳定就业。", "。")))]


def t_plan_end(a: Article) -> list[Sent]:
    """到“十五五”末，{P}力争新增返乡创业就业{F}。"""
    rng = a.rng
    if a.pub.year < 2019:
        return t_target(a)
    s = Sent("target.plan")
    if a.pub.year >= 2024:
        s.when(When("到“十五五”末", "2030", "target"))
    else:
        s.when(When("到“十四五”末", "2025", "target"))
    a.subject(s, sub=False)
    s.w("力争新增" + rng.choice(("返乡创业就业", "转移就业", "城镇就业")))
    s.fig(a.f("people_wan", s), change=True, target=True)
    return [s.w("。")]


def t_forecast(a: Article) -> list[Sent]:
    """预计今年{P}{noun}达{F}、{noun}突破{F}。 / {P}预计今年{noun}增长{x%}左右。"""
    rng = a.rng
    s = Sent("forecast")
    year = When("今年", str(a.pub.year), "year")
    if rng.random() < 0.5:
        s.w("预计")
        s.when(year, comma="")
        a.subject(s, sub=False, organ=False)
        inds = [i for i in _INDICATORS[a.topic] if not i.change]
        first, second = rng.sample(inds, 2)
        _state(a, s, first, forecast=True, verb=rng.choice(("达", "达到", "")))
        s.w("、" + second.noun)
        s.fig(a.f(second.kind, s, word="突破"), forecast=True)
    else:
        a.subject(s, sub=False, organ=False)
        s.w("预计")
        s.when(year, comma="")
        ind = rng.choice([i for i in _INDICATORS[a.topic] if i.growth and not i.change])
        s.w(_bare(ind.noun) + rng.choice(("同比增长", "增长")))
        fig = a.f("pct_growth", s, qual="approx")
        s.fig(fig, change=True, forecast=True, base=str(a.pub.year - 1))
    return [s.w("。")]


def t_cn_counts(a: Article) -> list[Sent]:
    """{T}，{P}组织四十六家企业提供岗位两千余个。 (Chinese numerals)"""
    rng = a.rng
    s = Sent("chinese")
    s.when(_when(a.pub, rng) if rng.random() < 0.7 else None)
    a.subject(s)
    s.w(rng.choice(("举办专场招聘会，组织", "开展“送岗下乡”活动，组织")))
    firms, fv = _cn_round(rng.randint(20, 95))
    s.fig(Fig(f"{firms}家", float(fv), "家"))
    s.w("企业提供" + rng.choice(("纺织服装、电子装配等", "餐饮服务、物流运输等")) + "岗位")
    jobs, jv = _cn_round(rng.randint(1000, 9000))
    word = rng.choice(("余", "多", ""))
    s.fig(Fig(f"{jobs}{word}个", float(jv), "个", QUALIFIERS.get(word, "exact")))
    return [s.w("。")]


def t_dated_event(a: Article) -> list[Sent]:
    """2023年12月21日，{P}举办…招聘会，{F}家企业提供岗位{F}个。 (period: the day)"""
    rng = a.rng
    s = Sent("dated.event")
    pub = a.pub
    year = rng.randint(max(2015, pub.year - 1), pub.year)
    month = rng.randint(1, 12 if year < pub.year else max(1, pub.month - 1))
    day = rng.randint(1, 28)
    if year == pub.year and month == pub.month and pub.day is not None:
        day = rng.randint(1, pub.day)
    s.when(When(f"{year}年{month}月{day}日", f"{year}-{month:02d}-{day:02d}", "day"))
    a.subject(s, organ=True)
    s.w(rng.choice(("举办“春风行动”专场招聘会，", "举办返乡人员就业招聘会，", "开展“送岗下乡”活动，")))
    s.fig(a.f("firms", s, cn_ok=True, qual="level"))
    s.w("企业现场提供岗位")
    s.fig(a.f("items", s, cn_ok=True, qual="level"))
    s.w("，" + rng.choice(("达成就业意向", "初步达成就业意向")))
    s.fig(a.f("people_small", s, qual="level"))
    return [s.w("。")]


def t_rate_words(a: Article) -> list[Sent]:
    """{P}常年转移就业{F}以上 / 每年提供季节性务工岗位{F}: 每年, 常年 are rates, not periods."""
    rng = a.rng
    s = Sent("rate.words")
    a.subject(s, organ=False, county=True)
    word = rng.choice(("常年", "每年", "年均"))
    noun, kind = rng.choice((("转移就业", "people_wan"), ("提供季节性务工岗位", "items"),
                             ("实现劳务收入", "money_yi"), ("开展技能培训", "ptimes")))
    s.w(word + noun)
    s.fig(a.f(kind, s, qual=rng.choice(("lower", "level", None))))
    return [s.w("。")]


def t_per_household(a: Article) -> list[Sent]:
    """{T}，{P}带动{F}户农户户均增收{F}元。 (增收: a change)"""
    rng = a.rng
    s = Sent("per.household")
    s.when(_when(a.pub, rng) if rng.random() < 0.7 else None)
    a.subject(s, organ=False)
    s.w(rng.choice(("发展特色产业带动", "通过合作社带动", "依托产业基地带动")))
    s.fig(a.f("hh", s, cn_ok=True, qual="level"))
    s.w(rng.choice(("农户户均增收", "脱贫户户均增收", "群众人均增收")))
    s.fig(a.f("yuan_hh", s, qual="change"), change=True)
    return [s.w("。")]


def t_respectively(a: Article) -> list[Sent]:
    """{T}，{P}{noun}、{noun}分别达{F}、{F}。 (levels listed after 分别)"""
    rng = a.rng
    s = Sent("respectively")
    s.when(_when(a.pub, rng))
    inds = [i for i in _INDICATORS[a.topic] if not i.change and not i.verbal]
    same = {}
    for i in inds:
        same.setdefault(K[i.kind].unit, []).append(i)
    groups = [g for g in same.values() if len(g) >= 2]
    if not groups:
        return t_level(a)
    first, second = rng.sample(rng.choice(groups), 2)
    a.subject(s, county=True, organ=False)
    s.w(f"{first.noun}、{second.noun}分别{rng.choice(('达', '为', '达到'))}")
    s.fig(a.f(first.kind, s))
    s.w("、")
    s.fig(a.f(second.kind, s))
    return [s.w("。")]


def t_fraction(a: Article) -> list[Sent]:
    """{T}，{P}…占比约三分之一 / 近三分之二 (a fraction: value in percent)."""
    rng = a.rng
    s = Sent("fraction")
    s.when(_when(a.pub, rng))
    a.subject(s, organ=False)
    s.w(rng.choice(("脱贫人口中务工收入占家庭收入的比重", "返乡创业人员中女性所占比重",
                    "安置区劳动力中就近就业的比例", "全部农户中参加合作社的比例")))
    num, den, word = rng.choice(((1, 3, "三分之一"), (2, 3, "三分之二"), (1, 4, "四分之一"),
                                 (3, 4, "四分之三"), (1, 5, "五分之一"), (15, 100, "百分之十五"),
                                 (30, 100, "百分之三十"), (45, 100, "百分之四十五")))
    prefix = rng.choice(("约", "近", "超过", ""))
    s.w(rng.choice(("达", "为", "")) if not prefix else "")
    value = float(num) / float(den) * 100
    s.fig(Fig(f"{prefix}{word}", value, "%", QUALIFIERS.get(prefix, "exact")))
    return [s.w("。")]


_BUILT = {
    "health": ("标准化村卫生室", "items"), "education": ("乡村幼儿园", "schools"),
    "agriculture": ("冷链保鲜库", "seats"), "relocation": ("安置住房", "flats"),
    "employment": ("就业帮扶车间", "items"), "tourism": ("精品民宿", "firms"),
    "infrastructure": ("农村公路", "km"), "industry": ("标准厂房", "items"),
    "returnees": ("返乡创业园", "items"), "income": ("产业路", "km"),
    "housing_fund": ("保障性租赁住房", "flats"),
}


def t_parenthesis(a: Article) -> list[Sent]:
    """{T}，{P}建成{noun}{F}（其中新建{F}）。 (the part in brackets is an addition)"""
    rng = a.rng
    s = Sent("parenthesis")
    s.when(_when(a.pub, rng))
    a.subject(s, organ=True)
    noun, kind = _BUILT[a.topic]
    s.w(rng.choice(("累计建成", "建成", "共有")) + noun)
    total = make_fig(rng, kind, before=s.text)
    s.fig(total)
    s.w("（其中" + rng.choice(("新建", "新增")))
    s.fig(_smaller(a, total, kind, 0.1, 0.5, s.text), change=True)
    return [s.w("）。")]


def t_narrative(a: Article) -> list[Sent]:
    """No figure: a scene, a policy, a voice, a non-quantity number."""
    rng = a.rng
    r = rng.random()
    s = Sent("narrative")
    if r < 0.3:
        s.w("走进")
        if a.all_subs and rng.random() < 0.5:
            a.subplace(s, pool=a.all_subs)
        else:
            a.subject(s, organ=False, scope=False)
        s.w(f"的{rng.choice(_SITES[a.topic])}，{rng.choice(_SCENES[a.topic])}。")
    elif r < 0.55:
        if rng.random() < 0.5:
            s.w("近年来，")
        a.subject(s, sub=False)
        s.w(rng.choice(_ACTIONS[a.topic]) + "。")
    elif r < 0.75:
        text = rng.choice(_DISTRACTORS)
        head, _, tail = text.partition("{P}")
        if _:
            s.w(head)
            a.subject(s, sub=False, organ=False)
            s.w(tail)
        else:
            s.w(text)
    elif r < 0.88:
        day = rng.randint(1, 28)
        month = rng.randint(1, 12)
        year = a.pub.year - 1 if (month, day) >= (a.pub.month, a.pub.day or 28) else a.pub.year
        s.w(f"{year}年{month}月{day}日，记者来到")
        a.subject(s, organ=False, scope=False)
        s.w(f"的{rng.choice(_SITES[a.topic])}，{rng.choice(_SCENES[a.topic])}。")
    else:
        q = Sent("narrative.quote")
        q.quote = True
        q.w(f"“{rng.choice(_SPEECH[a.topic])}。”")
        t = Sent("narrative")
        t.w(f"{a.person()}{rng.choice(('说', '笑着说', '告诉记者'))}。")
        return [q, t]
    return [s]


_PEOPLE = ("employment", "returnees", "relocation", "income")
# (weight, template, topics it fits or None for all)
FIGURE_TEMPLATES = (
    (12, t_level, None), (8, t_growth, None), (3, t_growth_pair, None),
    (3, t_change_abs, None), (3, t_rate_change, None), (3, t_asof_growth, None),
    (2, t_span_average, None), (3, t_part, None), (3, t_components, _PEOPLE),
    (2, t_breakdown, None), (2, t_same_period, None), (2, t_attributive, None),
    (2, t_policy, ("housing_fund", "income", "agriculture")),
    (3, t_threshold, ("income", "agriculture")),
    (3, t_households, ("relocation", "income")), (3, t_cheng, _PEOPLE),
    (2, t_range, ("employment", "relocation", "industry", "returnees")),
    (3, t_age_quote, None), (2, t_foreign_quote, _PEOPLE), (2, t_forecast, None),
    (3, t_cn_counts, ("employment", "returnees", "relocation")),
    (2, t_dated_event, ("employment", "returnees", "relocation")),
    (2, t_rate_words, ("employment", "returnees")),
    (3, t_per_household, ("income", "agriculture", "tourism")),
    (2, t_respectively, None), (1, t_fraction, _PEOPLE), (2, t_parenthesis, None),
)
CLOSING_TEMPLATES = ((5, t_target), (2, t_target_yearly), (2, t_plan_end), (2, t_forecast))


# =============================================================================================
# Composing an article
# =============================================================================================

def _pick(rng: random.Random, table) -> object:
    return rng.choices([t for _, t in table], [w for w, _ in table])[0]


def _paragraph(a: Article, n_figure: int) -> Block:
    """A paragraph: a lead sentence (often placing the scene), figure sentences, narrative.
    A paragraph never opens with a quote (its scene would come from the paragraph before)."""
    rng = a.rng
    sents: list[Sent] = []
    if rng.random() < 0.45:
        sents += t_narrative(a)
    table = [(w, t) for w, t, topics in FIGURE_TEMPLATES if topics is None or a.topic in topics]
    for _ in range(n_figure):
        template = _pick(rng, table)
        sents += template(a)
        if sents[-1].ends_paragraph:
            break
    if not sents or not sents[-1].ends_paragraph and rng.random() < 0.3:
        sents += t_narrative(a)
    return Block("paragraph", _repair_openings(a, sents))


def _repair_openings(a: Article, sents: list[Sent]) -> list[Sent]:
    """A paragraph opening with a quote takes its scene from the paragraph before; put a
    sentence naming the place first instead. A sentence naming several places ends its
    paragraph (what follows could not fall back on one of them)."""
    if sents and sents[0].quote:
        lead = Sent("narrative")
        lead.w("在")
        a.subject(lead, organ=False, scope=False)
        lead.w(f"的{a.rng.choice(_SITES[a.topic])}，{a.rng.choice(_SCENES[a.topic])}。")
        sents = [lead, *sents]
    for k, s in enumerate(sents):
        if s.ends_paragraph:
            return sents[:k + 1]
    return sents


def _headline(a: Article) -> tuple[Sent, Sent | None]:
    """The headline and subtitle; one of them names the focus region, so it is the article's
    focus. A figure in a headline has no period and is about the focus."""
    rng = a.rng
    focus = a.focus
    short = focus.short or focus.name
    h = Sent("headline")
    phrase = rng.choice(_HEADLINE_PHRASES[a.topic])
    style = rng.randint(0, 4)
    named = False
    if style == 0:  # 镇雄：2.1万名搬迁群众端稳“就业饭碗”
        h.at(short, focus.name)
        h.w("：")
        fig, noun = (make_fig(rng, "people_wan", before=h.text), "") if rng.random() < 0.5 \
            else _person_noun_fig(rng)
        h.fig(fig)
        h.w(noun + phrase)
        named = True
    elif style == 1:  # 48万群众家门口圆就业梦
        fig, noun = _person_noun_fig(rng)
        h.fig(fig)
        h.w(noun + phrase)
    elif style == 2:  # 镇雄县苹果种植面积突破22万亩
        h.at(short if rng.random() < 0.5 else focus.name, focus.name)
        ind = rng.choice([i for i in _INDICATORS[a.topic]
                          if not i.change and i.kind not in ("pct_low", "pct_rate")])
        h.w(_bare(ind.noun))
        h.fig(make_fig(rng, ind.kind, word="突破", before=h.text))
        named = True
    elif style == 3:
        h.at(short, focus.name)
        h.w("：" + phrase)
        named = True
    else:
        h.w(phrase + " " + rng.choice(("砥砺奋进谱新篇", "实干笃行开新局", "奋楫扬帆正当时")))
    sub = None
    if not named or rng.random() < 0.5:
        sub = Sent("subtitle")
        template = rng.choice(_SUBTITLE_PHRASES)
        head, _, tail = template.partition("{P}")
        sub.w(head)
        sub.at(focus.name, focus.name)
        sub.w(tail.replace("{W}", rng.choice(_TOPIC_WORDS[a.topic])))
    return h, sub


def _person_noun_fig(rng: random.Random) -> tuple[Fig, str]:
    """48万群众 (the noun stands for the unit 人, and is part of the figure as written, as in
    the seed annotations), or 2.1万名 + 搬迁群众 (the figure and the noun after it)."""
    coef = _dec(rng, 0.5, 60, rng.choice((0, 1, 2)))
    coef_text = _plain(coef)
    value = float(coef * 10000)
    noun = rng.choice(("群众", "搬迁群众", "农村劳动力", "脱贫人口", "务工人员"))
    if rng.random() < 0.5:
        return Fig(f"{coef_text}万{noun}", value, "人"), ""
    return Fig(f"{coef_text}万名", value, "名"), noun


def _byline(a: Article, kind: str) -> Block:
    rng = a.rng
    names = [a.person() for _ in range(rng.randint(1, 2))]
    a.authors = names
    if kind == "commentary":
        return Block("byline", text=names[0])
    role = rng.choice(("记者", "记者", "本报记者", "融媒体记者", "通讯员"))
    text = f"{role} {' '.join(names)}" if rng.random() < 0.6 or len(names) == 1 else (
        f"{role} {names[0]} 通讯员 {names[1]}")
    credit = rng.choice(("", "", "文/图", "摄"))
    return Block("byline", text=(text + (" " + credit if credit else "")).strip())


def _caption(a: Article) -> Block:
    rng = a.rng
    s = Sent("caption")
    if rng.random() < 0.5:
        s.w("图为")
    if a.all_subs and rng.random() < 0.5:
        a.subplace(s, pool=a.all_subs)
    elif a.city and rng.random() < 0.5:
        c = rng.choice(a.counties)
        s.at(c.name, c.name)
    else:
        s.at(a.focus.name, a.focus.name)
    s.w(rng.choice(("的群众正在采摘苹果。", "帮扶车间里的工人正在赶制订单。", "的安置社区。",
                    "的高标准农田。", "工作人员正在为群众办理业务。", "的学生在新教室里上课。",
                    "的乡村民宿。", "新修建的农村公路。", "的村卫生室。")))
    return Block("caption", [s])


_TOPIC_HEADINGS = {
    "employment": ("稳就业 促增收", "让群众在家门口就业", "建好车间 留住人才", "园区兴 就业稳"),
    "returnees": ("归雁返乡 创业兴业", "建好平台 留住人才"),
    "income": ("联农带农 共享发展成果", "做强产业 拓宽增收路", "从“输血”到“造血”"),
    "housing_fund": ("扩面强基 织密保障网", "精准施策 圆安居梦", "数字赋能 服务提速"),
    "agriculture": ("把小产业做成大产业", "从“卖得出”到“卖得好”", "特色产业拓宽增收门路"),
    "industry": ("科技赋能 提质增效", "延链补链 做强园区"),
    "infrastructure": ("补齐短板 夯实基础", "路通了 产业活了"),
    "education": ("教育兴 乡村兴", "办好每一所学校"),
    "health": ("守护群众健康", "小病不出村 大病不出县"),
    "relocation": ("搬得出 更要稳得住", "新家园 新生活"),
    "tourism": ("文旅融合 激活乡村", "好风景带来好“钱景”"),
}


def _heading(a: Article) -> Block:
    """A section heading; now and then one stating a figure (镇雄天麻种植面积突破12万亩):
    its place is the one it names, and no time expression dates it."""
    rng = a.rng
    s = Sent("heading")
    style = rng.choice(("bold", "bold", "md", "bare"))
    if rng.random() < 0.12:
        s.at(a.focus.short or a.focus.name, a.focus.name)
        ind = rng.choice([i for i in _INDICATORS[a.topic]
                          if not i.change and K[i.kind].unit not in ("%", "个百分点")])
        s.w(_bare(ind.noun))
        s.fig(make_fig(rng, ind.kind, word=rng.choice(("突破", "超过", None)), before=s.text))
        if len(s.text) <= 25:
            return Block("heading", [s], style=style)
        s = Sent("heading")
    s.w(rng.choice(_TOPIC_HEADINGS[a.topic] + _GENERAL_HEADINGS))
    return Block("heading", [s], style=style)


def compose_article(rng: random.Random, pub: Pub, focus: Region, kind: str,
                    opens_page: bool = False) -> Article:
    """The blocks of one article: header, body (sections of paragraphs), closing. A plain
    headline (no `# `) is followed by a subtitle or byline, or opens the page: otherwise
    nothing would mark it as a headline, to a parser or a reader."""
    a = Article(rng, pub, focus)
    head, sub = _headline(a)
    a.blocks.append(Block("headline", [head], style="md" if rng.random() < 0.6 else "plain"))
    if kind == "brief" and sub is None and not opens_page:
        a.blocks[-1].style = "md"
    if kind == "commentary":
        a.blocks[-1].style = "plain"
        if sub is not None:
            a.blocks.append(Block("subtitle", [sub]))
        a.blocks.append(_byline(a, "commentary"))
        for _ in range(rng.randint(2, 3)):
            block = _paragraph(a, rng.randint(0, 1))
            a.blocks.append(block)
        a.blocks.append(Block("paragraph", [Sent("reflection").w(rng.choice(_REFLECTIONS))]))
        return a
    if sub is not None:
        a.blocks.append(Block("subtitle", [sub]))
    if kind == "brief":
        a.authors = [a.person()]
        lead_sents = _paragraph(a, rng.randint(1, 3)).sents
        lead_sents[0].parts.insert(0, f"本报讯（记者 {a.authors[0]}）")
        lead_sents[0].length += len(lead_sents[0].parts[0])
        for p in lead_sents[0].figs:
            p.start += len(lead_sents[0].parts[0])
        a.blocks.append(Block("paragraph", lead_sents))
        for _ in range(rng.randint(1, 3)):
            a.blocks.append(_paragraph(a, rng.randint(1, 3)))
        if rng.random() < 0.6:
            a.blocks.append(Block("paragraph", _pick(rng, CLOSING_TEMPLATES)(a)))
        a.blocks.append(Block("note", text=f"（责任编辑：{a.person()}）"))
        return a
    # a feature
    if a.blocks[0].style == "plain" or rng.random() < 0.9:
        a.blocks.append(_byline(a, "feature"))
    if rng.random() < 0.5:
        a.blocks.append(_caption(a))
    if rng.random() < 0.15:
        note = rng.choice(_EDITORIAL).replace("{W}", rng.choice(_TOPIC_WORDS[a.topic]))
        if note.startswith("（"):
            a.blocks.append(Block("note", text=note))
        else:
            first, _, second = note.partition("。")
            a.blocks.append(Block("paragraph", [Sent("editorial").w(first + "。"),
                                                Sent("editorial").w(second)]))
    a.blocks.append(_paragraph(a, rng.randint(1, 2)))
    for _ in range(rng.randint(1, 4)):
        if rng.random() < 0.6:
            a.blocks.append(_heading(a))
        for _ in range(rng.randint(1, 3)):
            a.blocks.append(_paragraph(a, rng.randint(1, 3)))
        if rng.random() < 0.12:
            a.blocks.append(_caption(a))
    a.blocks.append(Block("paragraph", _pick(rng, CLOSING_TEMPLATES)(a)))
    if rng.random() < 0.15:
        a.blocks.append(Block("heading", [Sent("heading").w("记者手记")], style="bold"))
        a.blocks.append(Block("paragraph", [Sent("reflection").w(t)
                                            for t in rng.sample(_REFLECTIONS, 2)]))
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        a.blocks.append(_caption(a))
    if rng.random() < 0.3:
        a.blocks.append(Block("note", text=f"（本版图片由{a.focus.name}融媒体中心提供）"))
    return a


# =============================================================================================
# From an article to text and gold records
# =============================================================================================

_SENTENCE_KINDS = ("headline", "subtitle", "heading", "paragraph", "caption")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _place_page_break(rng: random.Random, block: Block, number: bool) -> None:
    """Cut a paragraph as a page column does: inside a number (`8.12` / `万人`) or between two
    characters of a word. The first piece must read as an unfinished paragraph line, not a
    heading or headline: it holds a full stop or is longer than 45 characters."""
    text = "".join(s.text for s in block.sents)
    spans, cuts = [], []
    offset = 0
    for s in block.sents:
        for p in s.figs:
            spans.append((offset + p.start, offset + p.start + len(p.fig.text)))
            if p.fig.cut is not None:
                cuts.append(offset + p.start + p.fig.cut)
        offset += s.length

    def acceptable(k: int) -> bool:
        return 0 < k < len(text) and ("。" in text[:k] or k > 45)

    if number:
        options = [k for k in cuts if acceptable(k)]
        if options:
            block.cut = rng.choice(options)
            return
    if len(text) < 8:
        return
    for _ in range(40):  # a random point between two characters of a word
        k = rng.randint(2, len(text) - 3)
        if (acceptable(k) and _CJK.match(text[k - 1]) and _CJK.match(text[k])
                and not any(a < k < b for a, b in spans)):
            block.cut = k
            return


def render_article(a: Article, first: bool, indent: str = "") -> tuple[str, str]:
    """(text, title): the article's lines with their blank lines; `indent` (full-width
    spaces, as some offices type) opens each paragraph, not the rest of one cut by a column."""
    rng = a.rng
    out: list[str] = []
    title = ""
    previous = None
    for block in a.blocks:
        kind = block.kind
        if kind == "headline":
            title = block.sents[0].text
            gap = rng.randint(0, 2) if first else rng.randint(2, 3)
            out.append("\n" * gap + ("# " if block.style == "md" else "") + title)
        elif kind == "subtitle":
            out.append("\n\n——" + block.sents[0].text)
        elif kind in ("byline", "note"):
            out.append("\n\n" + block.text)
        elif kind == "caption":
            out.append("\n\n\n\n" + block.sents[0].text)
        elif kind == "heading":
            text = block.sents[0].text
            if block.style == "bold":
                out.append("\n\n**" + text + "**" + rng.choice(("", "  ")))
            elif block.style == "md":
                out.append("\n\n## " + text)
            else:
                out.append("\n\n" + text)
        else:
            text = "".join(s.text for s in block.sents)
            if block.cut is not None:
                text = text[:block.cut] + "\n\n" + text[block.cut:]
            joiner = "\n" if previous is not None and previous.kind == "heading" and \
                previous.style == "bold" and rng.random() < 0.6 else "\n\n"
            out.append(joiner + indent + text)
        previous = block
    return "".join(out), title


def gold_records(a: Article, doc: str, article_index: int) -> Iterator[dict]:
    """The figures of one article as annotation records, places resolved as the
    conventions say: the region named before the figure, else the focus of the nearest
    earlier sentence of the paragraph (a quote: of the nearest later one), else the
    article's focus."""
    index = 0
    for block in a.blocks:
        if block.kind not in _SENTENCE_KINDS:
            continue
        sents = block.sents
        for s in sents:
            s.index = index
            index += 1
        for k, s in enumerate(sents):
            if not s.figs:
                continue
            text = s.text
            for p in s.figs:
                place = p.place
                if place is None:
                    if s.focus:
                        raise AssertionError(f"a place named after a figure: {text}")
                    earlier = next((t.focus_place for t in reversed(sents[:k]) if t.focus_place), None)
                    later = next((t.focus_place for t in sents[k + 1:] if t.focus_place), None)
                    if earlier is not None:
                        place = earlier
                    elif s.quote and later is not None:
                        place = later
                    elif block.kind == "paragraph" and sents[0].quote:
                        raise AssertionError(f"paragraph opening with a quote: {text}")
                    else:
                        place = a.focus.name
                occurrence = _occurrences_before(text, p.fig.text, p.start)
                record = {
                    "doc": doc, "article": article_index, "sentence_index": s.index,
                    "sentence": text, "text": p.fig.text, "occurrence": occurrence,
                    "value": float(p.fig.value), "unit": p.fig.unit, "qualifier": p.fig.qualifier,
                    "period": p.period, "base_period": p.base, "place": place,
                    "is_change": p.change, "is_target": p.target, "is_forecast": p.forecast,
                }
                if p.fig.high is not None:
                    record["value_high"] = float(p.fig.high)
                note = s.template
                if block.cut is not None and p.fig.cut is not None:
                    offset = sum(t.length for t in sents[:k]) + p.start + p.fig.cut
                    if offset == block.cut:
                        k = p.fig.cut
                        note += f"; page-column break: {p.fig.text[:k]}|{p.fig.text[k:]}"
                record["note"] = note
                yield record


def _occurrences_before(sentence: str, needle: str, start: int) -> int:
    """How many (possibly overlapping) occurrences of needle start before `start`."""
    count, i = 0, sentence.find(needle)
    while 0 <= i < start:
        count += 1
        i = sentence.find(needle, i + 1)
    if i != start:
        raise AssertionError(f"{needle!r} not at {start} in {sentence!r}")
    return count


# =============================================================================================
# Pages (files)
# =============================================================================================

def encoding_of(number: int) -> str:
    """The encoding of file `number`: GBK for one in ten, UTF-8 with a BOM for about one in
    thirty, UTF-16 for one in two hundred, UTF-8 for the rest. Fixed by the file number, so
    that even a small corpus has GBK and BOM files."""
    r = number % 200
    if r == 101:
        return "utf-16"
    if r % 33 == 3:
        return "utf-8-sig"
    if r % 10 == 7:
        return "gbk"
    return "utf-8"


def crlf_of(number: int) -> bool:
    """Windows line ends: half the GBK files (as office PCs save them) and one in 200 others."""
    r = number % 200
    return r % 20 == 7 or r == 21


@dataclass(frozen=True)
class FileJob:
    number: int
    foci: tuple[str, ...]  # the focus region of each article, by name


@dataclass
class FileResult:
    name: str
    size: int
    encoding: str
    articles: int
    figures: int
    number_cuts: int
    gold: str  # JSON lines
    registry: list[list[str]]


def _pub(rng: random.Random) -> Pub:
    year = rng.randint(2016, 2025)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28) if rng.random() < 0.55 else None
    return Pub(year, month, day)


def write_file(job: FileJob, out_dir: Path, seed: int) -> FileResult:
    """One newspaper page: its articles, written in its encoding; its gold and registry rows."""
    rng = random.Random(f"wumeng-corpus:{seed}:{job.number}")
    pub = _pub(rng)
    suffix = ".md" if rng.random() < 0.1 else ".txt"
    name = f"{job.number:06d}_{rng.getrandbits(64):016x}{suffix}"
    encoding = encoding_of(job.number)
    paper = "昭通日报" if rng.random() < 0.9 else "云南日报"

    parts: list[str] = []
    if pub.day is not None and rng.random() < 0.7:
        page = rng.randint(1, 8)
        section = rng.choice(("要闻", "综合", "民生", "经济", "专题"))
        parts.append(rng.choice((
            f"【{paper} · {pub.year}年{pub.month}月{pub.day}日 · 第{page}版 {section}】\n\n",
            f"【{paper}{pub.year}年{pub.month}月{pub.day}日第{page}版】\n",
        )))
        header = True
    else:
        header = False
    indent = "\u3000\u3000" if rng.random() < 0.1 else ""
    gold_lines: list[str] = []
    registry: list[list[str]] = []
    titles: set[str] = set()
    figures = cuts = 0
    for k, focus_name in enumerate(job.foci):
        focus = _BY_NAME[focus_name]
        kind = rng.choices(("feature", "brief", "commentary"), (65, 25, 10))[0]
        for _ in range(10):
            a = compose_article(rng, pub, focus, kind, opens_page=k == 0)
            if a.blocks[0].sents[0].text not in titles:
                break
        # page-column breaks: about a quarter of the paragraphs, a third of those in a number
        for block in a.blocks:
            if block.kind == "paragraph" and rng.random() < 0.25:
                _place_page_break(rng, block, number=rng.random() < 0.45)
        text, title = render_article(a, first=not parts, indent=indent)
        titles.add(title)
        parts.append(text if not parts or parts[-1].endswith("\n") or text.startswith("\n")
                     else "\n\n" + text)
        for record in gold_records(a, name, k):
            figures += 1
            cuts += "page-column break:" in record["note"]
            gold_lines.append(json.dumps(record, ensure_ascii=False))
        status = "known" if pub.day is not None else "estimated"
        basis = ("printed in the page header" if header else "") if status == "known" else (
            "generated page: the month its relative periods (今年, 截至目前, 3年来) are read against")
        registry.append([name, title, paper, pub.label, status, basis, "|".join(a.authors),
                         f"generated by benchmarks/corpus.py (seed {seed})"])
    body = "".join(parts).rstrip("\n") + "\n"
    if crlf_of(job.number):
        body = body.replace("\n", "\r\n")
    if encoding == "utf-16":
        data = codecs.BOM_UTF16_LE + body.encode("utf-16-le")
    elif encoding == "utf-8-sig":
        data = codecs.BOM_UTF8 + body.encode("utf-8")
    else:
        data = body.encode(encoding)
    (out_dir / "documents" / name).write_bytes(data)
    return FileResult(name, len(data), encoding, len(job.foci), figures, cuts,
                      "".join(line + "\n" for line in gold_lines), registry)


def _write_chunk(args: tuple[list[FileJob], str, int]) -> list[FileResult]:
    jobs, out_dir, seed = args
    return [write_file(job, Path(out_dir), seed) for job in jobs]


def _jobs(articles: int, seed: int, per_file: tuple[int, int]) -> Iterator[FileJob]:
    """Files and the focus of each article. Foci cycle through blocks of 16 articles (the
    city five times, each county once, in an order shuffled per block), so every
    county-level place appears in any 16 consecutive articles."""
    rng = random.Random(f"wumeng-corpus:{seed}:plan")
    slots = [CITY.name] * 5 + [c.name for c in COUNTIES]
    cycle: list[str] = []
    left, number = articles, 0
    while left > 0:
        n = min(left, rng.randint(*per_file))
        foci = []
        for _ in range(n):
            if not cycle:
                cycle = slots[:]
                rng.shuffle(cycle)
            foci.append(cycle.pop())
        yield FileJob(number, tuple(foci))
        number += 1
        left -= n


@dataclass
class CorpusSummary:
    out_dir: str
    seed: int
    files: int = 0
    articles: int = 0
    bytes: int = 0
    figures: int = 0
    number_cuts: int = 0  # figures whose number a page-column break cuts in two
    encodings: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def as_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=False)


def generate(out_dir: Path, articles: int, seed: int = 0, articles_per_file=(1, 4),
             workers: int = 1, force: bool = False) -> CorpusSummary:
    """Write a corpus of `articles` articles into `out_dir` (see the module docstring).

    A corpus written before (out_dir/gold.jsonl exists) is replaced: documents/, sheets/
    and gold.jsonl are removed first, nothing else. A documents folder holding files but no
    gold beside it is someone's documents: refused unless `force`. `workers` > 1 writes
    files in parallel processes; the output is the same."""
    started = time.perf_counter()
    out_dir = Path(out_dir)
    lo, hi = articles_per_file
    if articles < 1 or not 1 <= lo <= hi:
        raise ValueError("need at least one article and 1 <= min <= max articles per file")
    documents, sheets = out_dir / "documents", out_dir / "sheets"
    if documents.is_dir() and any(documents.iterdir()) and not force \
            and not (out_dir / "gold.jsonl").is_file():
        raise FileExistsError(f"{documents} holds files that are not a generated corpus "
                              f"(no gold.jsonl beside it); use force=True / --force to replace them")
    for path in (documents, sheets):
        if path.is_dir():
            shutil.rmtree(path)
    (out_dir / "gold.jsonl").unlink(missing_ok=True)
    documents.mkdir(parents=True, exist_ok=True)
    sheets.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SEED_SHEETS / "regions.csv", sheets / "regions.csv")
    shutil.copyfile(SEED_SHEETS / "indicators.csv", sheets / "indicators.csv")
    with open(SEED_SHEETS / "observations.csv", encoding="utf-8", newline="") as handle:
        header = handle.readline()
    (sheets / "observations.csv").write_text(header, encoding="utf-8", newline="")

    summary = CorpusSummary(str(out_dir), seed)
    chunks = ((chunk, str(out_dir), seed)
              for chunk in batched(_jobs(articles, seed, (lo, hi)), FILES_PER_CHUNK))
    with open(out_dir / "gold.jsonl", "w", encoding="utf-8", newline="\n") as gold, \
            open(sheets / "documents.csv", "w", encoding="utf-8", newline="") as registry_file:
        registry = csv.writer(registry_file, lineterminator="\n")
        registry.writerow(REGISTRY_COLUMNS)
        if workers > 1:
            # spawn, as pipelines/parallel.py: a fork of a process holding threads (pytest after
            # the Dagster tests) can inherit a held lock and hang the child for ever
            with multiprocessing.get_context("spawn").Pool(workers) as pool:
                _consume(pool.imap(_write_chunk, chunks), gold, registry, summary)
        else:
            _consume(map(_write_chunk, chunks), gold, registry, summary)
    summary.encodings = dict(sorted(summary.encodings.items()))
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary


def _consume(results, gold, registry, summary: CorpusSummary) -> None:
    for chunk in results:
        for result in chunk:
            gold.write(result.gold)
            registry.writerows(result.registry)
            summary.files += 1
            summary.articles += result.articles
            summary.bytes += result.size
            summary.figures += result.figures
            summary.number_cuts += result.number_cuts
            summary.encodings[result.encoding] = summary.encodings.get(result.encoding, 0) + 1


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--min-per-file", type=int, default=1)
    parser.add_argument("--max-per-file", type=int, default=4)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--force", action="store_true",
                        help="replace documents/ in --out even when no gold.jsonl is beside it")
    args = parser.parse_args(argv)
    summary = generate(args.out, args.articles, args.seed,
                       (args.min_per_file, args.max_per_file), args.workers, args.force)
    print(summary.as_json())


if __name__ == "__main__":
    main()
