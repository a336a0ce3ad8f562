"""The period, comparison base and place of every figure of an article.

    mentions = resolve_document(parse_document(text), Gazetteer.from_rows(rows),
                                PublicationDate.parse("2025-11"))

Periods are written as in `tests/annotations/README.md` (EDTF-like): `2023`, `2024-07`,
`2023-12-21`, `2024-H1`, `2024-Q3`, `2021/2023`, `../2025-07` (as of), `2021/2025-11`.

Period
------
A figure takes the nearest time expression before it in its sentence that applies to it.
Every time expression counts, even a narrative date that dates no figure (`2023年12月21日
19时许，…20余位村民`), and each carries forward to the end of the sentence, in whichever
clause it stands (`分县区看，镇雄县前三季度…增长6%，…；彝良县增长5.5%` dates 5.5% too),
with two exceptions:

* An attributive date, a date followed by 的 right after a verb or preposition (达, 至, 由,
  是, 为, 占, 于 …), modifies one figure: it dates the first figure after it in its clause and
  carries no further (`截至目前，…就业率达2020年的82.6%提升至2025年的86.9%，省外稳定就业131万人`
  leaves 131万人 to 截至目前). In subject position it is the sentence's topic and carries like
  any other (`中坝村2023年的人均纯收入达到了15650元，…1万元以下…`). A multiple taken of it
  (`是2015年的2倍`, `是过去种粮时的5倍`, `是“十三五”时期的1.4倍`) has it as its base, not its
  period; the figures after it keep the period before it.
* A duration (5分钟, 3年, 半小时: a commute, a term) is a property, not a figure of the
  period: only an expression of its own clause or one leading the sentence (opening its
  clause, or in its first clause) dates it (`…，我上个月拿到了7300元，从家里过来上班只要5分钟`).

Nothing carries across sentences, except that a sentence opening with 同期 (or 当月, 当年 with
no date before them) means the period in force at the end of the sentence before (`上半年，
全市…增长5.1%。同期，全省增长4.3%` → `2025-H1`).

* Relative expressions (今年, 截至目前, 3年来, 2021年以来, a month with no year …) need the
  publication date; without one the period is None, source "needs publication date".
* The article's reference year (`reference_year`): a year named in its headline or subtitle
  (`彝良县2023年国民经济和社会发展统计公报`), but not by a full date, which says when a report
  was given or published (`——2026年1月13日在…人民代表大会…上`); for a review (公报, 年报,
  工作报告; a headline ending in 总结 or 回顾: `…工作回顾`, not `回顾峥嵘岁月`) whose headline
  names no period, the year before publication (a report on a year comes out after the
  year, whatever the month); else the latest whole year (2024年，… ; 去年) named in the
  first paragraph, if it is the publication's year or the one before (a reporting year, not
  a story's 2018年); else the publication's year. Source "reference year" when the text
  states it. 今年 is always the publication's year (a report's `今年…预期目标` are the coming
  year's).
* 全年, 年内 and a bare 年末/年底/年初 are the year of the expression before them in the
  sentence (`去年，…全年农村居民人均可支配收入1.5万元` → 2024), else the reference year; 年末
  and 年初 are labelled with the year (a stock at the year's end is the year's figure).
  全年目标/全年任务 name a goal, not a period (`一季度…完成全年目标任务的30%` stays `…-Q1`).
* A month, quarter or half with no year (1—10月, 1至10月, 前10个月, 前10月, 前三季度, 上半年)
  takes the year of the expression before it in the sentence, else a reference year stated
  by the headline or a review, else the latest year in which it is over by the publication
  (12月28日 in a January 2024 paper is 2023). A deadline (到年底), and one in a forecast or
  target (预计, 预期, 有望, 力争, 争取 or 目标 before it in its clause: `预计四季度…` in an
  October 2026 paper is 2026-Q4), looks forward: the first not yet over.
  前N个月 is `YYYY-01/YYYY-MM`; `10月当月` is the month just named (当月 never means the
  publication's month; with no month before it, it is vague).
* 2023年初/年底 is the year 2023. N年来, 过去N年, 近N年: the N calendar years up to the
  publication's (`2023/2025`), or up to the reference year when the headline states it
  (五年来 in a report on 2025 given in January 2026 is `2021/2025`); 未来N年 is the N years
  after that year, N年前 the one N before it. 今年以来 starts with the year (`2025/2025-11`).
* A 以来 or 至今 with no start written: after a founding verb (开设以来, 成立以来, 运行以来,
  投产至今 …) and a bare 至今 it is cumulative as of the publication (`../2024`); after any
  other (主题教育开展以来, 实施以来: a start the reader is assumed to know) it is vague.
* 到 + a date opening a clause (到2027年, 到“十五五”末) is a deadline, kind "target"; a date
  already past at publication is read as "as of" (到2023年底, told in 2024: `../2023`).
* 近年来, 多年来, 一直以来, 下一步, 后续, 以前 … are vague: the nearest expression, but no
  period (source "vague"), so that an earlier date does not leak past them.
* 每年, 年均, 常年, 月均, 日均 … are rates, not periods: they set `Mention.rate` and leave the
  period to the other expressions (`3年来…年均…2亿元` is `2023/2025`, rate "year").

Base
----
A comparison (比2022年, 较上年, 同比, 环比, 较3年前, 与…相比) sets `base_period`, never the
period. It applies to the first figure after it in its clause and to every change after it
until the next time expression; one right after a growth rate's noun (`增速比上半年加快0.3个
百分点`) compares that rate only. 上年/去年/同比/上年同期 shift the figure's own period back a
year (2024-H1 → 2023-H1, 1—10月 → `2024-01/2024-10`, `../2025-11` → `../2024-11`), 环比 back
one of its units (a month: the month before), and 较N年前 is the year N before the end of the
figure's period. 比年初 is the first month of the figure's year (`2024-01`), 比上年末/较去年底
the year before it (`2023`), 比2022年末 the year 2022. A figure with no period of its own
takes the reference year as its year. With no comparison applying to it, a growth rate (a
change in % or 个百分点, as a verb: 增长6.8%, 下降2.1%, or a noun: 增幅15.53%, 增速将达6%)
of one calendar year, half, quarter or months of one year is year on year, the statistical
convention (2021年…增幅15.53% → 2020; 今年…预期目标是：…增长6%左右 → the year before);
a mean yearly rate (`五年来…年均增长6.1%`) is measured from the year before a span of whole
years (2020) and has no base otherwise (`到2027年…年均增长8%`). A gap to another place
(增速比全国高0.7个百分点) has no base.

Place
-----
The region referred to nearest before the figure in its sentence: in an address chain
(巧家县马树镇幸福里社区) the most specific, and between unrelated names the subject nearest
the figure (`发界安置区是昭通…的9个` is about 昭通市). What a reference is matters:

* A region on the other side of a comparison (`增速比全国高…`, `高于全省平均`, `与全省…相比`)
  is not the figure's place: it is skipped; so is a scope word naming a ranking's scope,
  followed by a superlative or a rank (`…安置区是全省规模最大的…，安置…近9万人`, 居全市第一,
  全省前列, 领先, 平均水平, 排名).
* A region someone came from (从/自 X 搬迁, 迁, 来, 返, 走出: `从鲁甸县搬迁而来`) is an origin,
  not where the figures are: skipped.
* Regions of an enumeration ending in 等 (`永善县苹果销往上海、广东等10多个省市`) are members
  of a list, not the figure's subject: skipped; the place is the subject's (永善县).
* After `X是` with X a region, a region in the predicate (`镇雄县是全省人口第一大县，总人口
  170万人`) is the place of its own clause only; later clauses go on with X (镇雄县).
* A region after 其中 is a part (`16个州（市）中有11个…，其中昭通市…1180亿元`): the place of
  the figures after it, but not of those before it, and no focus.
* A region outside the article's home (the province of a provincial report, else the city of
  the article's focus: 广东, 上海, 深圳 in a Zhaotong story) is the place of the figures after it
  in its own sentence (`在深圳服装厂上班，…8000多元`), but never a focus: not for later
  sentences, the paragraph or the scope words.

Failing a reference before the figure, in order: the focus of the nearest earlier sentence
of the paragraph (a sentence's focus is the most specific region it refers to as a subject,
not foreign), the most specific region named later in the sentence; for a quote, the focus of
the next sentence of the paragraph (a quote before its speaker: `“现在月薪5000多元…”在大关县
靖安新区…`); in a paragraph opening with a quote, the focus of the paragraph before (the
speaker is in the scene just told); the article's focus; None. Focus does not otherwise
cross paragraphs: a report's paragraph naming no place is about the article's region, not
about a village the paragraph before named. The article's focus is the most specific region
of its headline or subtitle, else its most frequent county or city (a township counts for
its county; on a tie the city: a city-wide report).

Scope words refer to the region in focus at their level: 全县/该县/我县 the last county
referred to earlier in the article (or the county of a township, village … referred to),
全市 and 市…中心/局/委/政府 the city (a county-level city such as 水富市 counts as one),
全省 the province, 全村 the village, a bare 社区 opening a clause the community. Only subject
references are in focus: a comparison's other side, an enumeration's member, an origin, a
predicate after 是, a part after 其中 and a foreign region are not. The sheet's 全市/全省
aliases are not used as names (in a Qujing article 全市 is not Zhaotong). 全镇, 全乡, 全村
with nothing of their level in focus (a township the sheet lacks) mean the region in focus
that would contain it, its county; 全国, and any other scope word with nothing in focus, give
None.

Names are matched longest first, never inside a longer word that is not about the place:
media named after a place (昭通日报社) are sources, not subjects, and a few common words hold
a short alias (重大关切). A company named after a region (大关县金竹工艺品公司) is located
there; if the place in focus lies inside that region (云南龙升誉成…公司 in a Zhenxiong park)
the focus is the better answer. Places not in the gazetteer (曲靖市, 麒麟区) are not guessed:
their figures fall back as above, usually to None.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from pipelines.text.numerals import CHINESE_DIGITS, parse_chinese, to_halfwidth
from pipelines.text.quantities import Quantity, extract_quantities
from pipelines.text.structure import Document, Sentence

# --- public data ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    code: str
    name: str  # name_zh, the full name: 镇雄县, 昭通市
    level: str  # province, city, county, township, village, community, place
    parent_code: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Period:
    label: str  # `2023`, `2024-H1`, `2021/2025-11`, `../2025-07`
    start: date | None  # first day covered; None when open (as of)
    end: date | None  # last day covered
    kind: str  # year, half, quarter, month, day, span, as_of, target


@dataclass(frozen=True)
class PublicationDate:
    """When the paper appeared, as far as it is known: `day` is the first day of the known
    period (the seeds' dates are known to the month: 2025-11-01, precision "month")."""

    day: date
    precision: str = "day"  # year | month | day

    def __post_init__(self):
        if self.precision not in ("year", "month", "day"):
            raise ValueError(f"unknown precision {self.precision!r}")

    @classmethod
    def parse(cls, text: str) -> PublicationDate:
        """`2025` (year), `2025-11` (month) or `2025-11-03` (day), written in full;
        ValueError with the reason for anything else (`2025-1`, `2025-13`)."""
        # ASCII digits only: the registry's dates are cast by DuckDB too, which reads no
        # other (２０２５ would pass here and fail the dbt build).
        match = re.fullmatch(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", text.strip())
        if not match:
            raise ValueError(f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {text!r}")
        year, month, day = match.groups()
        if not 1900 <= int(year) < 2100:  # relative periods reckoned from it must stay dates
            raise ValueError(f"not a publication date of this era (1900 to 2099): {text!r}")
        precision = "day" if day else "month" if month else "year"
        try:
            return cls(date(int(year), int(month or 1), int(day or 1)), precision)
        except ValueError as err:  # 2025-13, 2025-02-30: say which text, not just why
            raise ValueError(f"not a calendar date: {text!r} ({err})") from None

    @property
    def label(self) -> str:
        return _now(self).label


@dataclass(frozen=True)
class Mention:
    """A quantity in its context."""

    quantity: Quantity
    sentence: Sentence
    article_index: int | None  # None for a caption outside any article
    period: Period | None
    base_period: Period | None
    place: Region | None
    period_source: str  # sentence | publication date | reference year | needs publication
    #                     date | vague | none
    place_source: str  # named | 全县 → county in focus | paragraph focus | named later in
    #                    the sentence | paragraph focus (named after) | scene of the
    #                    paragraph before | article focus | none
    period_text: str | None = None  # the time expression the period comes from, as written
    rate: str | None = None  # year, month, day: a figure per year (每年, 年均), month, day


# --- the calendar ---------------------------------------------------------------------------

_MONTHS_IN = {"year": 12, "half": 6, "quarter": 3, "month": 1}


@dataclass(frozen=True)
class _Unit:
    """One calendar unit: 2023, 2024-H1, 2024-Q3, 2024-07 or 2023-12-21."""

    year: int
    kind: str = "year"  # year | half | quarter | month | day
    index: int = 1  # which half, quarter or month
    day: int = 1

    @property
    def label(self) -> str:
        y = f"{self.year:04d}"
        return {"year": y, "half": f"{y}-H{self.index}", "quarter": f"{y}-Q{self.index}",
                "month": f"{y}-{self.index:02d}",
                "day": f"{y}-{self.index:02d}-{self.day:02d}"}[self.kind]

    @property
    def first(self) -> date:
        if self.kind == "day":
            return date(self.year, self.index, self.day)
        return date(self.year, (self.index - 1) * _MONTHS_IN[self.kind] + 1, 1)

    @property
    def last(self) -> date:
        if self.kind == "day":
            return self.first
        month = self.index * _MONTHS_IN[self.kind]
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def shifted(self, years: int = 0, steps: int = 0) -> _Unit:
        """`years` years and `steps` units of its own kind away."""
        if self.kind == "day":
            day = min(self.day, calendar.monthrange(self.year + years, self.index)[1])
            moved = date(self.year + years, self.index, day).toordinal() + steps
            d = date.fromordinal(moved)
            return _Unit(d.year, "day", d.month, d.day)
        per_year = 12 // _MONTHS_IN[self.kind]
        n = (self.year + years) * per_year + self.index - 1 + steps
        return replace(self, year=n // per_year, index=n % per_year + 1)


@dataclass(frozen=True)
class _Time:
    """A resolved time expression: one unit, a span, "as of" a unit, or a deadline."""

    last: _Unit
    first: _Unit | None = None  # for a span
    kind: str = "unit"  # unit | span | as_of | target

    def period(self) -> Period:
        if self.kind == "as_of":
            return Period(f"../{self.last.label}", None, self.last.last, "as_of")
        if self.kind == "span" and self.first != self.last:
            return Period(f"{self.first.label}/{self.last.label}", self.first.first,
                          self.last.last, "span")
        kind = "target" if self.kind == "target" else self.last.kind
        return Period(self.last.label, self.last.first, self.last.last, kind)

    @property
    def start(self) -> _Unit:
        return self.first or self.last

    def shifted(self, years: int = 0, steps: int = 0) -> _Time | None:
        if steps and self.kind == "span":
            return None  # 环比 of a span has no defined previous period
        first = self.first.shifted(years, steps) if self.first else None
        return replace(self, first=first, last=self.last.shifted(years, steps))


def _span(first: _Unit, last: _Unit) -> _Time:
    if first.first > last.last:
        raise ValueError(f"{first.label} after {last.label}")  # 自2026年以来, told in 2025
    return _Time(last, first, "span")


# --- time expressions -----------------------------------------------------------------------

_CN_DIGITS = "〇零一二三四五六七八九"
_MONTH_NUMBER = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
# A year (2023年, 二〇二三年, 今年 …) and what may follow or stand alone (上半年, 7月, 1—10月,
# 12月28日19时许, 年底). Written once with group names for reading a date, and stripped of
# them for the one regex that finds every time expression.
_YEAR_NAMED = (
    rf"(?:(?P<year>(?:19|20)\d{{2}}|[{_CN_DIGITS}]{{4}})年度?"
    r"|(?P<rel_year>今|本|明|上|(?<!过)去|(?<![提目之以此空往])前)年度?(?![轻纪龄代级华])"
    r")")
_PART_NAMED = (
    r"(?:(?P<half>[上下])半年"
    r"|前(?P<upto_quarter>[一二三1-3])季度"
    r"|(?<![提目之以此空往])前(?P<upto_month>1[0-2]|0?[1-9]|十[一二]?|[一二两三四五六七八九])个?月"
    r"|第?(?P<quarter>[一二三四1-4])季度"
    rf"|(?P<from_month>{_MONTH_NUMBER})(?:月份?)?[—\-–~至到](?P<to_month>{_MONTH_NUMBER})月份?"
    rf"|(?P<month>{_MONTH_NUMBER})月份?"
    r"(?:(?P<day>[12]\d|3[01]|0?[1-9])[日号](?:\d{1,2}[时点](?:\d{1,2}分)?许?)?)?"
    r"(?:[初底末]|[上中下]旬)?"
    r"|(?:(?<=年)|年)(?P<edge>[初底末]))")
_DATE_READER = re.compile(f"{_YEAR_NAMED}?{_PART_NAMED}?")


def _unnamed(pattern: str) -> str:
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


_YEAR, _PART = _unnamed(_YEAR_NAMED), _unnamed(_PART_NAMED)
_DATE = rf"(?<![\d.])(?:{_YEAR}(?:{_PART})?|{_PART})"
_NUMBER = r"(?:\d{1,3}|[一二两三四五六七八九十]{1,3})"
_PLAN = r"“?十[一二三四五六七八九]五”?"  # five-year plans: “十四五”
# 到 opens a deadline only at the start of a clause or after a word of intent.
_DEADLINE_START = (r"(?:^|(?<=[，,；;：:。！？!?、])"
                   + "".join(f"|(?<={w})" for w in ("力争", "争取", "计划", "确保", "预计", "目标",
                                                    "将", "要"))
                   + ")")
_FOUNDED = ("开设|开办|成立|运行|运营|建成|建立|投运|投产|开园|开业|开馆|挂牌|启用|组建|创建|设立"
            "|上线|开通|入驻|落户")
_TIME = re.compile("|".join([
    rf"(?P<base>(?:比|较之?|对比)(?:{_DATE}(?:同期)?|同期|上个?月|{_NUMBER}个?年前)"
    rf"|(?:与|同|跟|和)(?:{_DATE}(?:同期)?|{_NUMBER}个?年前)(?:相比|相较|比较)|[同环]比)",
    rf"(?P<as_of>(?:截至|截止)[到至]?(?:{_DATE}|目前|当前|现在|今天|今日)(?:为止)?"
    r"|[到至]目前为止|迄今为止|迄今|至今为止|时至今日|目前|当前|如今|(?<![体表实出发呈])现在"
    r"|眼下|时下|现阶段)",
    rf"(?P<since>(?:自从|自|从)?(?:{_DATE}|{_PLAN})[^，,。；;！？!?：:]{{0,10}}?(?:以来|至今)"
    rf"|(?:自从|自|从)(?:{_DATE}|{_PLAN})起)",
    rf"(?P<deadline>{_DEADLINE_START}[到至](?:{_DATE}|{_PLAN}末))",
    rf"(?P<plan>{_PLAN}(?:期间|时期|末期|末|初期|初))",
    rf"(?P<span>从?{_DATE}[至到—\-–~]{_DATE}|(?<!\d)(?:19|20)\d{{2}}[至到—\-–~](?:19|20)\d{{2}}年)",
    rf"(?P<duration>(?:近|过去|最近|这|未来|今后)的?{_NUMBER}(?:年|个月)(?:来|以来|间|里)?"
    rf"|(?<![数几多\d.]){_NUMBER}(?:年|个月)(?:来|以来|以?前))",
    rf"(?P<date>{_DATE})",
    r"(?P<month>上个?月|本月|这个月)",
    # 全年, 年内: the year in force, else the article's reference year (not 全年目标, a goal).
    r"(?P<whole_year>全年度?(?![龄级])(?!的?(?:目标|任务))"
    r"|(?<![\d〇零一二两三四五六七八九十百几多数半今本明去前上当同全每])年内)",
    r"(?P<same_unit>当月|当年)",  # the month (year) of the expression before it
    r"(?P<same_period>^同期(?!比|相比))",  # the previous sentence's period
    r"(?P<vague>近年来|近些年来?|近年以来|近年|这些年来?|多年以来|多年来|长期以来|一直以来|有史以来"
    r"|自古以来|以往|以前(?!所)|此前|往年|历年"
    r"|(?<![走跑回看飞说])过去(?![\d一二两三四五六七八九十几])|下一步|后续|今后|未来)",
    # 开设以来, 成立以来, 运营至今: since a facility or body began, its start unwritten: as
    # of the publication; so is a bare 至今. Any other bare 以来 (开展以来, 实施以来: since a
    # campaign the reader is assumed to know) is vague.
    rf"(?P<open_since>(?:{_FOUNDED})(?:以来|至今)|(?<![迄截])至今)",
    r"(?P<open_vague>以来)",
]))
# The characters a time expression can begin with (tests derive them from _TIME): looking
# for them first spares trying every branch of _TIME at every character of a sentence.
_TIME_STARTS = re.compile(r"[\d〇零一二两三四五六七八九十“上下与今从以入全创初到前历去同后启和多如"
                          r"对年底建开当往成截投挂时明最有未末本此比环现目眼第组自至落设跟较迄过运近这长]")


def _time_matches(text: str) -> Iterator[re.Match]:
    """What _TIME.finditer(text) finds, found faster."""
    pos = 0
    while (start := _TIME_STARTS.search(text, pos)) is not None:
        match = _TIME.match(text, start.start())
        if match is not None:
            yield match
        pos = match.end() if match is not None else start.start() + 1


_RELATIVE_YEARS = {"今": 0, "本": 0, "明": 1, "上": -1, "去": -1, "前": -2}
_RATES = re.compile(
    r"(?P<year>每年度?|年均|年平均|平均每年|常年)|(?P<month>每个?月|月均|月平均|平均每月|月薪|月收入)"
    r"|(?P<day>日均|每天|每日|平均每天)")
_CLAUSE_BREAK = re.compile(r"[，,；;。！？!?：:]|——|……")
# What may stand before a time expression that still opens its clause: 在2023年，…
_CLAUSE_OPENERS = ("", "在", "于", "而", "但", "并", "同时", "其中")
_RATE_UNITS = ("%", "‰", "个百分点", "百分点")

NEEDS_PUBLICATION = "needs publication date"


class _NeedsPublication(Exception):
    """A relative expression met with no publication date."""


@dataclass(frozen=True)
class ReferenceYear:
    """The year an article's bare 全年, 年末, 年初 and 年内 refer to, and where it comes from:
    `headline` (a year named in the headline or subtitle), `review` (a 公报, 年报, 工作报告,
    总结 or 回顾 with no period in its headline: the year before its publication),
    `first paragraph` (the latest whole year named there) or `publication date`."""

    year: int
    source: str

    @property
    def stated(self) -> bool:
        """Stated by the headline: strong enough to date a month with no year (1—10月 in a
        2024 bulletin) and to end the years of 5年来 (in a report on 2025 given in 2026)."""
        return self.source in ("headline", "review")

    @property
    def period_source(self) -> str:
        return ("publication date" if self.source in ("publication date", "review")
                else "reference year")


@dataclass(frozen=True)
class _Comparison:
    """What a comparison's base is: a period written out (比2022年), the figure's own period
    moved by (years, steps) (同比, 环比), the year N before it (较3年前), or the start or end
    of its year or of the year before (比年初 → `2024-01`, 比上年末 → `2023`)."""

    fixed: _Time | None = None
    shift: tuple[int, int] | None = None
    years_ago: int | None = None
    year_edge: tuple[int, str] | None = None  # (years back, "start" | "end")
    yearly: bool = False  # 比上年 where the figure has no period: the year before the anchor

    def base(self, period: _Time | None, anchor_year: int | None) -> Period | None:
        """`anchor_year` stands in for the figure's year when it has no period: the
        article's reference year (the publication's by default)."""
        if self.fixed is not None:
            return self.fixed.period()
        if self.shift is not None and period is not None:
            shifted = period.shifted(*self.shift)
            return shifted.period() if shifted else None
        anchor = period.last.year if period is not None else anchor_year
        if anchor is None:
            return None
        if self.years_ago is not None:
            return _Time(_Unit(anchor - self.years_ago)).period()
        if self.year_edge is not None:
            back, edge = self.year_edge
            unit = _Unit(anchor - back, "month", 1) if edge == "start" else _Unit(anchor - back)
            return _Time(unit).period()
        return _Time(_Unit(anchor - 1)).period() if self.yearly else None


@dataclass(frozen=True)
class TimeExpression:
    """A time expression of a sentence (offsets into it): a period, or the base of a
    comparison. `time_expressions` lists them, for tests and for explaining a period."""

    start: int
    end: int
    text: str
    time: _Time | None  # the period it gives; None if vague or not resolvable
    source: str  # sentence | publication date | reference year | needs publication date | vague
    carries: bool  # dates every later figure; False: attributive, dates only its own figure
    comparison: _Comparison | None = None  # set for a comparison, whose `time` is None
    kind: str = ""  # the group of _TIME that found it: date, as_of, since, whole_year …


def _small_int(text: str) -> int:
    return int(text) if text.isdigit() else int(parse_chinese(text))


def _now(published: PublicationDate | None) -> _Unit:
    if published is None:
        raise _NeedsPublication
    day, precision = published.day, published.precision
    if precision == "year":
        return _Unit(day.year)
    if precision == "month":
        return _Unit(day.year, "month", day.month)
    return _Unit(day.year, "day", day.month, day.day)


def _this_month(published: PublicationDate | None) -> _Unit:
    now = _now(published)
    if now.kind == "year":
        raise _NeedsPublication  # 上个月 in a paper known only to the year
    return _Unit(now.year, "month", now.index)


def _read_date(text: str, context_year: int | None, published: PublicationDate | None,
               deadline: bool = False,
               reference: ReferenceYear | None = None) -> tuple[_Time, str]:
    """A date expression as (time, source). Raises ValueError if it is no real date and
    _NeedsPublication if it is relative and no publication date is known. With no year
    written and none before it in the sentence, a bare 年初/年末/年底 is the reference year's,
    a month, quarter or half the stated reference year's (headline, bulletin), else the
    latest year in which it is over by the publication (a deadline: the first not over)."""
    match = _DATE_READER.fullmatch(text)
    if match is None:
        raise ValueError(text)
    g = match.groupdict()

    def at(year: int) -> _Time:
        if g["half"]:
            return _Time(_Unit(year, "half", 1 if g["half"] == "上" else 2))
        if g["upto_quarter"] or g["upto_month"]:  # 前三季度, 前10个月
            last_month = (3 * _small_int(g["upto_quarter"]) if g["upto_quarter"]
                          else _small_int(g["upto_month"]))
            if not 1 <= last_month <= 12:
                raise ValueError(text)
            return _span(_Unit(year, "month", 1), _Unit(year, "month", last_month))
        if g["quarter"]:
            return _Time(_Unit(year, "quarter", _small_int(g["quarter"])))
        if g["from_month"]:
            first, last = _small_int(g["from_month"]), _small_int(g["to_month"])
            if not 1 <= first < last <= 12:
                raise ValueError(text)
            return _span(_Unit(year, "month", first), _Unit(year, "month", last))
        if g["month"]:
            month = _small_int(g["month"])
            if not 1 <= month <= 12:
                raise ValueError(text)
            if g["day"]:
                unit = _Unit(year, "day", month, int(g["day"]))
                unit.first  # noqa: B018 - raises ValueError on 2月30日
                return _Time(unit)
            return _Time(_Unit(year, "month", month))
        return _Time(_Unit(year))  # 2023年, and 2023年初/年底: early or late in the year

    at(2000)  # a leap year: raises on 2月30日 or 13月 before any year is looked for
    if g["year"]:
        digits = g["year"]
        year = int(digits) if digits.isdigit() else int(
            "".join(str(CHINESE_DIGITS[ch]) for ch in digits))  # 二〇二三
        if not 1900 <= year < 2100:  # as for Arabic digits: 〇〇〇〇年 is no date
            raise ValueError(text)
        return at(year), "sentence"
    if g["rel_year"]:
        return at(_now(published).year + _RELATIVE_YEARS[g["rel_year"]]), "publication date"
    if context_year is not None:
        return at(context_year), "sentence"
    if reference is not None and not deadline and (reference.stated or g["edge"]):
        return at(reference.year), reference.period_source
    now = _now(published)
    year = now.year
    if now.kind != "year":  # the latest year in which it is over (a deadline: not yet over)
        if deadline and at(year).last.last < now.first:
            year += 1
        elif not deadline and at(year).last.last > now.last:
            year -= 1
    return at(year), "publication date"


def _plan_years(text: str) -> tuple[int, int]:
    match = re.search("十(.)五", text)
    if match is None:
        raise ValueError(text)
    start = 2016 + 5 * (10 + _small_int(match.group(1)) - 13)  # 十三五 is 2016–2020
    return start, start + 4


def _number_in(text: str) -> int:
    match = re.search(r"\d+|[一二两三四五六七八九十]+", text)
    if match is None:
        raise ValueError(text)
    return _small_int(match.group())


def _resolve(kind: str, text: str, context: _Time | None, published: PublicationDate | None,
             reference: ReferenceYear | None = None,
             ahead: bool = False) -> tuple[_Time | None, str]:
    """The period of one expression found by _TIME, and its source; `context` is the period
    of the expression before it in the sentence; `ahead`: in a forecast or target, so a
    date with no year is the first not yet over. Raises ValueError if it is no real period
    and _NeedsPublication if it needs the publication date."""
    context_year = context.last.year if context is not None else None
    if kind == "date":
        return _read_date(text, context_year, published, ahead, reference)
    dates = [m.group() for m in re.finditer(_DATE, text)]
    if kind in ("vague", "open_vague"):
        return None, "vague"
    if kind == "as_of":
        if not dates:  # 截至目前, 目前, 如今
            return _Time(_now(published), kind="as_of"), "publication date"
        time, source = _read_date(dates[0], context_year, published, reference=reference)
        return _Time(time.last, kind="as_of"), source
    if kind == "since":
        start = (_read_date(dates[0], context_year, published, reference=reference)[0].start
                 if dates else _Unit(_plan_years(text)[0]))
        return _span(start, _now(published)), "publication date"
    if kind == "open_since":  # 开设以来: since an unstated start, so as of the publication
        return _Time(_now(published), kind="as_of"), "publication date"
    if kind == "whole_year":  # 全年, 年内
        if context_year is not None:
            return _Time(_Unit(context_year)), "sentence"
        if reference is None:
            raise _NeedsPublication
        return _Time(_Unit(reference.year)), reference.period_source
    if kind == "same_unit":  # 10月当月, 2018年…当年: the month (year) just named
        if context is None:
            return None, "vague"
        if text == "当年":
            return _Time(_Unit(context.last.year)), "sentence"
        last = context.last
        if last.kind not in ("month", "day"):
            return None, "vague"
        return _Time(_Unit(last.year, "month", last.index)), "sentence"
    if kind == "plan":
        first, last = _plan_years(text)
        if "末" in text:
            return _Time(_Unit(last)), "sentence"
        if "初" in text:
            return _Time(_Unit(first)), "sentence"
        return _span(_Unit(first), _Unit(last)), "sentence"
    if kind == "deadline":
        if not dates:  # 到“十五五”末
            return _Time(_Unit(_plan_years(text)[1]), kind="target"), "sentence"
        time, source = _read_date(dates[-1], context_year, published, deadline=True,
                                  reference=reference)
        past = published is not None and time.last.last < _now(published).first
        return _Time(time.last, kind="as_of" if past else "target"), source
    if kind == "span":
        if len(dates) < 2:  # 2021—2023年
            first_year, last_year = map(int, re.findall(r"(?:19|20)\d{2}", text))
            return _span(_Unit(first_year), _Unit(last_year)), "sentence"
        first, source = _read_date(dates[0], context_year, published, reference=reference)
        last, _ = _read_date(dates[1], first.last.year, published)
        return _span(first.start, last.last), source
    if kind == "duration":
        return _duration(text, published, reference)
    if kind == "month":  # 上个月, 本月
        month = _this_month(published)
        if text.startswith("上"):
            month = month.shifted(steps=-1)
        return _Time(month), "publication date"
    raise ValueError(kind)


def _duration(text: str, published: PublicationDate | None,
              reference: ReferenceYear | None = None) -> tuple[_Time, str]:
    """3年来, 过去3年, 近3个月: the last N years (months) up to the publication's, or up to
    the reference year the headline states (五年来 in a report on 2025 is 2021/2025); 未来3年
    the N after it; 3年前 the one N before it."""
    n = _number_in(text)
    if not 1 <= n <= 50:
        raise ValueError(text)  # 近2000年: history, not a reporting period
    if "个月" in text:
        now, source = _this_month(published), "publication date"
    elif reference is not None and reference.stated:
        now, source = _Unit(reference.year), reference.period_source
    else:
        now, source = _Unit(_now(published).year), "publication date"
    if text.endswith("前"):
        return _Time(now.shifted(steps=-n)), source
    if text.startswith(("未来", "今后")):
        return _span(now.shifted(steps=1), now.shifted(steps=n)), source
    return _span(now.shifted(steps=1 - n), now), source


_EXPLICIT_YEAR = re.compile(rf"(?:19|20)\d{{2}}年|[{_CN_DIGITS}]{{4}}年")
# A date followed by 的 right after a verb or preposition modifies the object: 就业率达2020年的
# 82.6%提升至2025年的86.9%, 是过去种玉米时的近20倍.
_ATTRIBUTIVE_AFTER = frozenset("达至到由从是为于占过")
_ATTRIBUTE = re.compile(r"(?:同期)?[^，,；;。！？!?：:、\d]{0,10}?的")
_ATTRIBUTIVE_KINDS = ("date", "span", "plan", "vague")


def _comparison(text: str, context_year: int | None, published: PublicationDate | None,
                reference: ReferenceYear | None = None) -> _Comparison:
    if "环比" in text or re.search("上个?月", text):
        return _Comparison(shift=(0, -1))
    edge = re.search("年([初底末])", text)
    if edge and not _EXPLICIT_YEAR.search(text):  # 比年初, 比上年末, 较去年底
        back = 2 if "前年" in text else 1 if re.search("上年|去年", text) else 0
        return _Comparison(year_edge=(back, "start" if edge.group(1) == "初" else "end"))
    if re.search("同比|同期|上年|去年", text):
        return _Comparison(shift=(-1, 0), yearly="同" not in text)
    if re.search("年以?前", text):
        return _Comparison(years_ago=_number_in(text))
    date_text = re.search(_DATE, text)
    if date_text is None:
        raise ValueError(text)
    fixed = _read_date(date_text.group(), context_year, published, reference=reference)[0]
    if edge and edge.group(1) == "初" and fixed.kind == "unit" and fixed.last.kind == "year":
        fixed = _Time(_Unit(fixed.last.year, "month", 1))  # 比2024年初: January 2024
    return _Comparison(fixed=fixed)


def time_expressions(sentence: str, published: PublicationDate | None, *,
                     reference: ReferenceYear | None = None,
                     previous: TimeExpression | None = None) -> list[TimeExpression]:
    """Every time expression of one sentence, in order, resolved. `reference` is the
    article's reference year (for 全年, 年末 …), `previous` the expression in force at the
    end of the sentence before (for a leading 同期)."""
    text = to_halfwidth(sentence)
    clause_ends = [m.end() for m in _CLAUSE_BREAK.finditer(text)]
    found: list[TimeExpression] = []
    context: _Time | None = None  # the period before: a month with no year takes its year
    context_source = ""
    for match in _time_matches(text):
        kind, start, end = match.lastgroup, match.start(), match.end()
        time, source, comparison = None, NEEDS_PUBLICATION, None
        context_year = context.last.year if context is not None else None
        try:
            if kind == "base":
                comparison, source = _comparison(match.group(), context_year, published,
                                                 reference), ""
            elif kind == "same_period":  # 同期，… : the period of the sentence before
                time, source = (previous.time, previous.source) if previous else (None, "vague")
            elif kind == "same_unit" and context is None:  # 当月，… : of the sentence before
                time, source = (_resolve(kind, match.group(), previous.time, published)
                                if previous and previous.time else (None, "vague"))
                source = previous.source if time is not None else source
            else:
                ahead = (kind == "date" and context is None
                         and _looks_ahead(text, start, clause_ends))
                time, source = _resolve(kind, match.group(), context, published, reference,
                                        ahead)
                if kind in ("whole_year", "same_unit") and context is not None:
                    source = context_source  # as dependent as the expression it refers to
        except _NeedsPublication:
            if kind == "base":
                comparison = _Comparison()
        except ValueError:
            continue  # no real date (2月30日, 近2000年): not a time expression
        if time is not None:
            context, context_source = time, source
        attributive = kind in _ATTRIBUTIVE_KINDS and _attributive(text, start, end)
        found.append(TimeExpression(start, end, sentence[start:end], time, source,
                                    not attributive, comparison, kind))
    return found


# Words of a forecast or target: 预计四季度…, 力争上半年….
_AHEAD = re.compile("预计|预期|有望|力争|争取|目标")


def _looks_ahead(text: str, start: int, clause_ends: Sequence[int]) -> bool:
    """Whether a forecast or target word stands before offset `start` in its clause;
    `clause_ends` are the ends of the clause breaks of `text`."""
    k = bisect_right(clause_ends, start) - 1
    clause = clause_ends[k] if k >= 0 else 0
    return _AHEAD.search(text, clause, start) is not None


def _leads(text: str, start: int, breaks: Sequence[int]) -> bool:
    """Whether a time expression leads a statement: it opens its clause (2023年，… ; 自2024年7月
    运行以来，…) or stands in the sentence's first clause (中坝村2023年的…), rather than sitting
    inside a later clause after its subject (…，我上个月拿到了7300元). `breaks` are the
    starts of the clause breaks of `text`."""
    k = bisect_left(breaks, start) - 1
    if k < 0:
        return True
    clause = _CLAUSE_BREAK.match(text, breaks[k]).end()
    return text[clause:start].strip(" “”‘’「」\"") in _CLAUSE_OPENERS


def _attributive(text: str, start: int, end: int) -> bool:
    """A date in object position that modifies a figure through 的 (达2020年的82.6%, 是过去
    种玉米时的近20倍): it dates that figure only. Every other expression carries to the end
    of the sentence (中坝村2023年的人均纯收入… is the sentence's topic, not an attribute)."""
    return (start > 0 and text[start - 1] in _ATTRIBUTIVE_AFTER
            and _ATTRIBUTE.match(text, end) is not None)


@dataclass(frozen=True)
class _Timing:
    period: Period | None
    base_period: Period | None
    source: str
    text: str | None
    rate: str | None


# Units of a length of time. A duration is a property (a commute, a term), dated only by an
# expression of its own clause or one leading the sentence's statement (截至目前，…).
_DURATION_UNITS = frozenset(("年", "个月", "周", "天", "日", "小时", "个小时", "分钟", "秒",
                             "工作日", "个工作日"))


# A growth rate named as a noun (增幅15.53%, 增速将达6%, 增速有望保持在5%左右): the figure
# is a growth rate; a comparison right after it (增速比上半年加快…) compares the rate itself.
_RATE_NOUN = re.compile(r"(?:增幅|增速|涨幅|降幅|跌幅|减幅|增长率|增长速度)"
                        r"(?:分别|达到|达|为|是|了|约|将|有望|预计|保持|稳定|维持|在)*$")


def _timings(sentence: str, quantities: Sequence[Quantity], published: PublicationDate | None,
             reference: ReferenceYear | None = None, previous: TimeExpression | None = None,
             ) -> tuple[list[_Timing], TimeExpression | None]:
    """Period, base and rate of each figure of one sentence, and the expression in force at
    its end (for a 同期 opening the next sentence)."""
    expressions = time_expressions(sentence, published, reference=reference, previous=previous)
    periods = [e for e in expressions if e.comparison is None]
    comparisons = [e for e in expressions if e.comparison is not None]
    rates = list(_RATES.finditer(sentence))
    break_spans = [m.span() for m in _CLAUSE_BREAK.finditer(sentence)]
    breaks = [a for a, _ in break_spans]
    # Figures, expressions and rate words come in order and do not overlap (figures may touch
    # an expression): a sentence may hold thousands of each, so they are bisected, not scanned.
    starts = [q.start for q in quantities]
    period_starts = [e.start for e in periods]
    comparison_ends = [c.end for c in comparisons]
    rate_ends = [r.end() for r in rates]

    def same_clause(a: int, b: int) -> bool:  # no clause break between offsets a and b
        return bisect_left(breaks, a) == bisect_left(breaks, b)

    def first_figure_after(e: TimeExpression) -> int | None:  # in its clause
        k = bisect_left(starts, e.end)
        return k if k < len(starts) and same_clause(e.end, starts[k]) else None

    # An attributive expression dates the first figure after it in its clause, and no other.
    owner = {e.start: first_figure_after(e) for e in periods if not e.carries}
    leads = {e.start: _leads(sentence, e.start, breaks) for e in periods}
    anchor = reference.year if reference else published.day.year if published else None
    out = []
    for k, q in enumerate(quantities):
        def applies(e: TimeExpression) -> bool:
            if not e.carries:
                return owner[e.start] == k
            return q.unit not in _DURATION_UNITS or leads[e.start] or same_clause(e.end, q.start)

        latest = bisect_right(period_starts, q.start)
        before = (periods[j] for j in range(latest - 1, -1, -1) if applies(periods[j]))
        expression = next(before, None)
        multiple_of = None  # 是2015年的2倍: the attribute is what the multiple is taken of
        if expression is not None and not expression.carries and q.unit == "倍":
            multiple_of, expression = expression, next(before, None)
        time = expression.time if expression else None
        # The nearest rate word before the figure, if in its clause (a rate word ends on a Han
        # character, so the first break after it is the first _CLAUSE_BREAK finds).
        i = bisect_right(rate_ends, q.start) - 1
        b = bisect_left(breaks, rate_ends[i]) if i >= 0 else 0
        in_clause = i >= 0 and (b == len(breaks) or break_spans[b][1] > q.start)
        rate = rates[i] if in_clause else None
        i = bisect_right(comparison_ends, q.start) - 1
        compared = comparisons[i] if i >= 0 else None
        previous = quantities[k - 1] if k else None
        if multiple_of is not None:
            base = multiple_of.time.period() if multiple_of.time else None
        elif compared is not None and _compares(compared, q, previous, period_starts, sentence):
            base = compared.comparison.base(time, anchor)
        else:
            base = _unwritten_base(sentence, q, time, rate)
        out.append(_Timing(period=time.period() if time else None, base_period=base,
                           source=expression.source if expression else "none",
                           text=expression.text if expression else None,
                           rate=rate.lastgroup if rate else None))
    final = next((e for e in reversed(periods) if e.carries), None)
    return out, final


def _unwritten_base(sentence: str, q: Quantity, time: _Time | None,
                    rate: re.Match | None) -> Period | None:
    """The base of a growth rate (增长6.8%, 增速将达6%) that no comparison applies to: the same
    period a year before for a year, half, quarter or months of one year; for a mean yearly
    rate (年均增长6.1%) the year before a span of whole years; else none."""
    if time is None or q.unit not in _RATE_UNITS or not (
            q.is_change or _RATE_NOUN.search(sentence, max(0, q.start - 12), q.start)):
        return None
    if rate is not None:  # 五年来…年均增长6.1%: measured from the year before the five
        of_years = rate.lastgroup == "year" and time.kind == "span" and time.start.kind == "year"
        return _Time(time.start.shifted(years=-1)).period() if of_years else None
    return time.shifted(years=-1).period() if _within_a_year(time) else None


def _within_a_year(time: _Time | None) -> bool:
    """A year, half, quarter or month, or months of one year (1—10月): periods whose growth
    rates are year on year unless the text says otherwise."""
    return (time is not None and time.kind in ("unit", "span") and time.last.kind != "day"
            and time.start.year == time.last.year)


def _compares(comparison: TimeExpression, q: Quantity, previous: Quantity | None,
              period_starts: Sequence[int], sentence: str) -> bool:
    """A comparison applies to the first figure after it in its clause (比2022年多500元), and
    to every change after it until the next time expression; one of a growth rate (增速比
    上半年加快0.3个百分点) compares that rate only. `previous` is the figure before `q`."""
    k = bisect_left(period_starts, comparison.end)
    if k < len(period_starts) and period_starts[k] <= q.start:
        return False
    first_in_clause = ((previous is None or previous.start < comparison.end)
                       and not _CLAUSE_BREAK.search(sentence, comparison.end, q.start))
    of_a_rate = _RATE_NOUN.search(sentence, max(0, comparison.start - 12), comparison.start)
    return first_in_clause or (q.is_change and not of_a_rate)


# --- places ---------------------------------------------------------------------------------

# Words holding a region's name that are not about the region: media are sources, not
# subjects (昭通日报社), and a few common words hold a short alias (重大关切, 山水富饶).
_MEDIA_SUFFIXES = ("日报", "晚报", "报社", "电视台", "广播电视台", "融媒体中心", "新闻网")
NOT_PLACES = ("重大关", "威信力", "树立威信", "山水富")

_LEVEL_RANK = {"province": 0, "city": 1, "county": 2, "township": 3, "village": 4,
               "community": 4}
_SCOPE_LEVELS = {"省": "province", "市": "city", "县": "county", "区": "county",
                 "镇": "township", "乡": "township", "街道": "township", "村": "village",
                 "社区": "community"}
# 全县, 该市, 我省, 本村 … (not 全市场, 全区域, 本村民); 全国 is no region of the sheet.
_SCOPE = re.compile(r"全国|(?:全|该|本|我)(?P<level>街道|社区|[省市县区镇乡村])(?![场域民])")
# 市公积金中心, 市委, 县人社局: an organ of the city or county in focus.
_HAN = "\u4e00-\u9fff"
_ORGAN = re.compile(rf"(?<![{_HAN}])(?P<level>[省市县区])(?![场域民级外内])"
                    rf"(?=委|政府|人大|政协|[{_HAN}]{{1,8}}?(?:中心|局|厅|办))")
# 云南天度投资集团有限公司, 巴食川珍农业发展(彝良)有限公司: the rest of a company's name.
_COMPANY = re.compile(r"[^，,。；;：:、“”\s]{0,16}?(?:有限责任公司|股份有限公司|有限公司|公司|集团)")
_BARE_COMMUNITY = re.compile(rf"(?<![{_HAN}])(?P<level>社区)(?=[{_HAN}])")


class Gazetteer:
    """The regions of the sheet, and where their names occur in a text."""

    def __init__(self, regions: Iterable[Region], not_places: Iterable[str] = NOT_PLACES):
        self.regions = tuple(regions)
        self._by_code = {r.code: r for r in self.regions}
        names: dict[str, Region | None] = {}
        for region in self.regions:
            for name in (region.name, *region.aliases):
                if name and not _SCOPE.fullmatch(name):  # 全市 means the city in focus
                    names.setdefault(name, region)
        for name in list(names):
            for suffix in _MEDIA_SUFFIXES:
                names.setdefault(name + suffix, None)
        for word in not_places:
            names.setdefault(word, None)
        self._names = names
        longest_first = sorted(names, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, longest_first))) if names else None

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]]) -> Gazetteer:
        """From rows of regions.csv: code, name_zh, level, parent_code, aliases (`|`)."""
        def cell(row, key):
            return str(row.get(key) or "").strip()

        regions = [
            Region(code=cell(row, "code"), name=cell(row, "name_zh"), level=cell(row, "level"),
                   parent_code=cell(row, "parent_code") or None,
                   aliases=tuple(a.strip() for a in cell(row, "aliases").split("|") if a.strip()))
            for row in rows if cell(row, "code") and cell(row, "name_zh")]
        return cls(regions)

    def get(self, code: str | None) -> Region | None:
        return self._by_code.get(code) if code else None

    def lineage(self, region: Region) -> list[Region]:
        """The region and its ancestors, nearest first."""
        chain, seen = [], set()
        while region is not None and region.code not in seen:
            chain.append(region)
            seen.add(region.code)
            region = self.get(region.parent_code)
        return chain

    def depth(self, region: Region) -> int:
        return len(self.lineage(region))

    def at_level(self, region: Region, level: str) -> Region | None:
        """The region itself or its ancestor at `level`."""
        return next((r for r in self.lineage(region) if r.level == level), None)

    def find(self, text: str) -> list[tuple[int, int, Region]]:
        """Regions named in `text`: (start, end, region), left to right, longest match first,
        none inside a longer word that is not about the place."""
        if self._pattern is None:
            return []
        return [(m.start(), m.end(), self._names[m.group()]) for m in self._pattern.finditer(text)
                if self._names[m.group()] is not None]


@dataclass(frozen=True)
class _Ref:
    """A place reference in a sentence: a name, or a scope word resolved to the focus."""

    start: int
    end: int
    region: Region | None
    source: str
    # subject: about what follows it; compared: a comparison's other side (增速比全国高…) or
    # a ranking's scope (全省规模最大); member: one of an enumeration ending in 等 (销往上海、
    # 广东等10多个省市); origin: where someone came from (从鲁甸县搬迁而来); predicate: after
    # the 是 of a region subject (镇雄县是全省…第一大县), about its own clause only; part: a
    # part after 其中, about what follows it but no focus.
    role: str = "subject"
    foreign: bool = False  # outside the article's home region: a focus for no other sentence

    @property
    def is_focus(self) -> bool:
        return self.region is not None and self.role == "subject" and not self.foreign


# What puts a region on the other side of a comparison, before it (比全国, 高于全省) or
# around it (与全国平均水平相比).
_COMPARED_BEFORE = re.compile(r"(?:比|较|高于|低于|快于|慢于|好于|优于|多于|少于|超过|超出|领先"
                              r"|相对于|相较于)$")
_COMPARED_AROUND = re.compile(r"[^，,。；;：:]{0,10}?(?:相比|相较|比较)")
_ENUMERATION = re.compile(r"(?:[、和及与][^，,。；;：:、和及与]{1,8}?){0,12}等(?![级待候同])")
# A scope word followed by a superlative or a rank: 全省规模最大, 居全市第一, 全国平均水平
# (not 我县…居全市第一, 全市第一季度).
_RANKING = re.compile(r"[^，,。；;：:、的居全]{0,6}?(?:最[大多强快优先早]|第[一二三四五六七八九十\d]"
                      r"(?![产季])|前列|前茅|领先|平均水平|排名|排位|首位|之首|首个|首家)")
_ORIGIN_AFTER = re.compile(r"[^，,。；;：:]{0,4}?(?:搬迁|迁|来|返|走出)")
_AFTER_SUBJECT = ("", "也", "就", "还", "则", "正", "便", "都", "更", "既")


class _Places:
    """The place references of one article's sentences, read in order so that every scope
    word is resolved against what was named before it, and what each figure is about."""

    def __init__(self, gazetteer: Gazetteer, sentences: Sequence[Sentence]):
        self.gazetteer = gazetteer
        self.article_focus = self._article_focus(sentences)
        focus = self.article_focus
        self.home = None if focus is None else focus if focus.level == "province" else (
            gazetteer.at_level(focus, "city") or focus)
        # Every region referred to so far, each at its latest reference (a dict keeps them in
        # order): scope words look through them, and a list of every reference grows too long.
        self.named: dict[Region, None] = {}
        self.texts = [s.text for s in sentences]
        self.refs = [self._refs(s.text) for s in sentences]
        self.refs_before = [_RefsBefore(text, refs) for text, refs in zip(self.texts, self.refs)]
        # A sentence's own focus: the most specific region it refers to (the first of them).
        self.focus = [max((r.region for r in refs if r.is_focus), key=gazetteer.depth, default=None)
                      for refs in self.refs]
        self.blocks = [s.block_index for s in sentences]
        first_of: dict[int, int] = {}
        self.block_start = [first_of.setdefault(b, k) for k, b in enumerate(self.blocks)]
        # The focus of the nearest sentence of the same paragraph before and after each one.
        self.focus_before, self.focus_after = self._nearest_focus(-1), self._nearest_focus(1)

    def _article_focus(self, sentences: Sequence[Sentence]) -> Region | None:
        g = self.gazetteer
        title = [r for s in sentences if s.kind in ("headline", "subtitle")
                 for _, _, r in g.find(s.text)]
        if title:
            return max(title, key=g.depth)  # the first of the most specific
        counts: Counter[str] = Counter()
        order: dict[str, int] = {}
        for s in sentences:
            for _, _, region in g.find(s.text):
                rolled = g.at_level(region, "county") or g.at_level(region, "city")
                if rolled is not None:
                    counts[rolled.code] += 1
                    order.setdefault(rolled.code, len(order))
        if not counts:
            return None
        # Most frequent; on a tie the city (a city-wide report), then the first named.
        best = max(counts, key=lambda c: (counts[c], g.get(c).level == "city", -order[c]))
        return g.get(best)

    def _in_focus(self, level: str) -> Region | None:
        for region in self._focus_order():
            if found := self._at_scope(region, level):
                return found
        return None

    def _focus_order(self) -> list[Region]:
        """The regions in focus, latest first, then the article's focus."""
        return [*reversed(self.named), *([self.article_focus] if self.article_focus else [])]

    def _nearest_focus(self, step: int) -> list[Region | None]:
        """For each sentence, the focus of the nearest other sentence of its paragraph in the
        direction `step` (-1 before, 1 after); found once, not per figure, as a paragraph may
        hold thousands of sentences."""
        n = len(self.focus)
        nearest: list[Region | None] = [None] * n
        for k in range(1, n) if step < 0 else range(n - 2, -1, -1):
            j = k + step
            if self.blocks[j] == self.blocks[k]:
                nearest[k] = self.focus[j] if self.focus[j] is not None else nearest[j]
        return nearest

    def _containing(self, level: str) -> Region | None:
        """For 全镇, 全村 with no township or village in focus (one not in the sheet): the
        region in focus that would contain it, its county."""
        latest = next(iter(self._focus_order()), None)
        if latest is None:
            return None
        return next((r for r in self.gazetteer.lineage(latest)
                     if _LEVEL_RANK.get(r.level, len(_LEVEL_RANK)) < _LEVEL_RANK[level]), None)

    def _at_scope(self, region: Region, level: str) -> Region | None:
        """The region or its ancestor that a scope word of `level` means: for 全市 a county-level
        city (水富市) is the city, as its own paper calls it."""
        for r in self.gazetteer.lineage(region):
            if r.level == level or (level == "city" and r.level == "county"
                                    and r.name.endswith("市")):
                return r
        return None

    def _refs(self, text: str) -> list[_Ref]:
        names = self.gazetteer.find(text)
        name_starts = [a for a, _, _ in names]

        def in_name(m: re.Match) -> bool:  # names do not overlap: only the last before can
            k = bisect_left(name_starts, m.end()) - 1
            return k >= 0 and names[k][1] > m.start()

        words = [m for pattern in (_SCOPE, _ORGAN, _BARE_COMMUNITY) for m in pattern.finditer(text)
                 if not in_name(m)]
        items = sorted([*names, *words], key=lambda x: x[0] if isinstance(x, tuple) else x.start())
        refs: list[_Ref] = []
        subjects: list[_Ref] = []  # those of refs that are subjects with a region
        breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text)]
        copulas = [m.start() for m in re.finditer("是", text)]
        for item in items:
            ref = self._name_ref(text, *item) if isinstance(item, tuple) else self._scope_ref(item)
            if ref is None:
                continue
            role = _role(text, ref, subjects, breaks, copulas)
            ref = replace(ref, role=role, foreign=self._foreign(ref.region))
            refs.append(ref)
            if ref.region is not None and ref.role == "subject":
                subjects.append(ref)
            if ref.is_focus:
                self.named.pop(ref.region, None)
                self.named[ref.region] = None
        return refs

    def _foreign(self, region: Region | None) -> bool:
        """Outside the article's home: the province of a provincial report, else the city
        of its focus (广东, 上海 in a Zhaotong story; 昭通 in a Qujing one)."""
        if region is None or self.home is None:
            return False
        g = self.gazetteer
        return self.home not in g.lineage(region) and region not in g.lineage(self.home)

    def _name_ref(self, text: str, start: int, end: int, region: Region) -> _Ref:
        """A company named after a region (云南龙升誉成…有限公司) is registered there; if the
        place in focus lies inside that region, the focus says more precisely where it is."""
        if _COMPANY.match(text, end) and self.named:
            focus = next(reversed(self.named))
            if focus != region and region in self.gazetteer.lineage(focus):
                return _Ref(start, end, focus, f"company of {region.name} → place in focus")
        return _Ref(start, end, region, "named")

    def _scope_ref(self, match: re.Match) -> _Ref | None:
        word = match.group()
        if word == "全国":
            return _Ref(match.start(), match.end(), None, "全国: not in the gazetteer")
        level = _SCOPE_LEVELS[match.group("level")]
        region = self._in_focus(level)
        if match.re is not _SCOPE and region is None:
            return None  # a bare 社区 or 市…中心 with nothing in focus says nothing
        label = word if match.re is _SCOPE else f"{word}…"
        source = f"{label} → {level} in focus" if region else f"{label} → no {level} in focus"
        if region is None and _LEVEL_RANK[level] > _LEVEL_RANK["county"]:
            region = self._containing(level)
            source = f"{label} → the region in focus containing it" if region else source
        return _Ref(match.start(), match.end(), region, source)

    def place_of(self, k: int, q: Quantity) -> tuple[Region | None, str]:
        """The place of figure `q` of sentence `k`, and where it came from."""
        if (before := self.refs_before[k].nearest(q.start)) is not None:
            return before.region, before.source
        if earlier := self.focus_before[k]:
            return earlier, "paragraph focus"
        if self.focus[k] is not None:
            return self.focus[k], "named later in the sentence"
        if self._quote(k) and (later := self.focus_after[k]):
            return later, "paragraph focus (named after)"  # a quote before its speaker
        first = self.block_start[k]
        if first and self._quote(first) and (
                scene := self.focus[first - 1] or self.focus_before[first - 1]):
            return scene, "scene of the paragraph before"  # a quote opening a paragraph
        if self.article_focus is not None:
            return self.article_focus, "article focus"
        return None, "none"

    def _quote(self, k: int) -> bool:
        return self.texts[k].startswith(("“", "「", "‘", '"'))


class _RefsBefore:
    """One sentence's references, indexed to find the one a figure at some offset is about:
    the nearest before it that is a subject or a part, or a predicate of the figure's own
    clause. Looked up, not scanned: a sentence may hold thousands of references and figures.
    References do not overlap, so their ends rise with their starts."""

    def __init__(self, text: str, refs: Sequence[_Ref]):
        self.refs = refs
        self.ends = [r.end for r in refs]
        # The index of the nearest subject (or part) and predicate at or before each reference.
        self.subject, self.predicate = [], []
        subject = predicate = -1
        for i, r in enumerate(refs):
            subject = i if r.role in ("subject", "part") else subject
            predicate = i if r.role == "predicate" else predicate
            self.subject.append(subject)
            self.predicate.append(predicate)
        self.breaks = [m.span() for m in _CLAUSE_BREAK.finditer(text)]
        self.break_starts = [a for a, _ in self.breaks]

    def nearest(self, at: int) -> _Ref | None:
        i = bisect_right(self.ends, at) - 1
        if i < 0:
            return None
        subject, predicate = self.subject[i], self.predicate[i]
        if predicate > subject:  # a predicate is the place of its own clause only
            k = bisect_left(self.break_starts, self.refs[predicate].end)
            if k == len(self.breaks) or self.breaks[k][1] > at:
                return self.refs[predicate]
        return self.refs[subject] if subject >= 0 else None


def _role(text: str, ref: _Ref, subjects: Sequence[_Ref], breaks: Sequence[int],
          copulas: Sequence[int]) -> str:
    """What a region reference is to the figures after it (see _Ref.role); `subjects` are the
    sentence's references before it that are subjects with a region, `breaks` the ends of
    its clause breaks, `copulas` where its 是 stand."""
    if _COMPARED_BEFORE.search(text, max(0, ref.start - 4), ref.start) or (
            ref.start and text[ref.start - 1] in "与同和跟" and _COMPARED_AROUND.match(text, ref.end)
    ) or (_RANKING.match(text, ref.end) and _SCOPE.fullmatch(text, ref.start, ref.end)):
        return "compared"
    if _ENUMERATION.match(text, ref.end):
        return "member"
    if ref.start and text[ref.start - 1] in "从自" and _ORIGIN_AFTER.match(text, ref.end):
        return "origin"
    if text.endswith(("其中", "其中，", "其中,"), max(0, ref.start - 3), ref.start):
        return "part"
    k = bisect_right(breaks, ref.start) - 1
    clause = breaks[k] if k >= 0 else 0
    k = bisect_left(copulas, clause)  # the clause's first 是
    if k == len(copulas) or copulas[k] >= ref.start:
        return "subject"
    copula = copulas[k]
    for r in reversed(subjects):
        # Only a subject ending one character (_AFTER_SUBJECT's words) or less before the 是
        # makes this a predicate; the earlier ones end further away.
        if r.start < clause or r.end < copula - 1:
            break
        if text[r.end:copula] in _AFTER_SUBJECT:
            return "predicate"
    return "subject"


# --- putting it together --------------------------------------------------------------------

# A review of a year: a 公报, 年报 or 工作报告, or a headline ending in 总结 or 回顾 (…工作回顾,
# not 回顾峥嵘岁月), maybe with a note in brackets (（摘要）).
_REVIEW = re.compile(r"公报|年报|工作报告|(?:总结|回顾)(?:[（(][^）)]*[）)])?$")


def reference_year(sentences: Sequence[Sentence],
                   published: PublicationDate | None) -> ReferenceYear | None:
    """The year an article's bare 全年, 年末, 年初, 年内 refer to: a year named in its headline
    or subtitle (`彝良县2023年国民经济和社会发展统计公报`), not in a full date (`——2026年1月13日
    在…会议上`: when a report was given); for a review (_REVIEW) naming no period there,
    the year before its publication (a report on a year comes out after it); else the
    latest whole year named in the first paragraph, if it is the publication's or the one
    before (a reporting year, not a story's 2018年); else the year of publication; None if
    nothing says."""
    title = [s for s in sentences if s.kind in ("headline", "subtitle")]
    periods = [e for s in title for e in time_expressions(s.text, published)
               if e.time is not None and e.time.last.kind != "day"]
    named = [e.time.last.year for e in periods if e.kind == "date" and e.source == "sentence"]
    if named:
        return ReferenceYear(max(named), "headline")
    if published is not None and not periods and any(_REVIEW.search(s.text) for s in title):
        return ReferenceYear(published.day.year - 1, "review")
    lead = next((s.block_index for s in sentences if s.kind == "paragraph"), None)
    whole = [e.time.last.year for s in sentences if s.block_index == lead and s.kind == "paragraph"
             for e in time_expressions(s.text, published)
             if e.kind == "date" and e.time is not None and e.time.kind == "unit"
             and e.time.last.kind == "year"
             and (published is None
                  or published.day.year - 1 <= e.time.last.year <= published.day.year)]
    if whole:
        return ReferenceYear(max(whole), "first paragraph")
    return ReferenceYear(published.day.year, "publication date") if published else None


def resolve_sentences(sentences: Sequence[Sentence], article_index: int | None,
                      gazetteer: Gazetteer, published: PublicationDate | None) -> list[Mention]:
    """Mentions of one article's sentences (or of the captions outside any article)."""
    places = _Places(gazetteer, sentences)
    reference = reference_year(sentences, published) if article_index is not None else (
        ReferenceYear(published.day.year, "publication date") if published else None)
    mentions = []
    previous: TimeExpression | None = None
    for k, sentence in enumerate(sentences):
        quantities = extract_quantities(sentence.text)
        timings, previous = _timings(sentence.text, quantities, published, reference, previous)
        for q, timing in zip(quantities, timings):
            place, place_source = places.place_of(k, q)
            mentions.append(Mention(
                quantity=q, sentence=sentence, article_index=article_index,
                period=timing.period, base_period=timing.base_period, place=place,
                period_source=timing.source, place_source=place_source,
                period_text=timing.text, rate=timing.rate))
    return mentions


def resolve_document(parsed: Document, gazetteer: Gazetteer,
                     published: PublicationDate | None) -> list[Mention]:
    """Every figure of every article, with its period, base period and place; then the
    figures of captions that belong to no article."""
    mentions = []
    for article in parsed.articles:
        mentions += resolve_sentences(article.sentences, article.index, gazetteer, published)
    mentions += resolve_sentences(parsed.sentences, None, gazetteer, published)
    return mentions
