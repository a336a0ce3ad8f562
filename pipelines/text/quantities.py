"""Find the quantities in one sentence of Chinese news text.

    >>> [(q.text, q.value, q.unit, q.qualifier) for q in extract_quantities("归集总额突破460亿元。")]
    [('突破460亿元', 46000000000.0, '元', 'gt')]

A quantity is a number with a unit (元, 人, 个, %, 亩, 岁 …) or with a 万/亿 magnitude
(185.07万贫困人口), plus the words that qualify it (约, 突破, 余, 以上 …) and range partners
(3至5年). `value` is in base units: 万 and 亿 are applied, every share is in percent
(八成 = 80, 三分之一 = 33.3…, 百分之十五 = 15, unit %). A range reports its low end as
`value` (a number actually written, unlike a midpoint) and both ends in value_low/value_high.
The qualifier comes from the word nearest the number: 余/多 inside it, then 以上/左右 … after
the unit, then 约/突破/不足 … before it.

What is *not* a quantity, and why each rule generalises beyond these seeds:

* Dates and clock times: a number before 月/日/号/时/点, or a four-digit number before 年
  (also 2022年多 in 比2022年多500元: the 多 belongs to the comparative).
  Durations keep their classifier (3个月, 5分钟, 3年来) and stay quantities.
* Names: numbers inside a short quotation or a 《title》 (“3815”战略, “十四五”, “1688”平台).
  A quotation holding clause punctuation is speech (“现在月薪5000多元，…。”) and is read.
  A Chinese numeral right after a name counts the quoted slogans (“产、城、人”三篇文章).
* Ordinals and addresses: after 第 (第二批), Chinese after 初, a 组/栋/幢 number right after a
  place (中坝村6组).
* Codes: digits touching Latin letters or ×+*/:# (5G, G85, 7×24), leading zeros, and any number
  with neither a unit nor a magnitude (12329热线, 年过50).
* Words: newspapers write statistics in Arabic digits (GB/T 15835), so Chinese numerals get
  stricter checks. They must be well formed (千百年, 万千家庭 and 十四五 are not), a bare 一 is an
  article rather than a count (一场, 一次, 一张张) except in 一年半, 一年多, 翻一番, 一倍; a bare power
  of ten needs a qualifier (逾百家 counts, 百万亩笋竹 and 万户家庭 do not), and four-character
  idioms with two numerals (三天两头) are skipped. Other Chinese counts with a unit are kept
  (三年, 两个孩子): they are true counts, and later stages can weigh them.

Flags are sentence-local, for later stages to separate flows from levels:

* is_change: a change verb or rate right before the figure (增长5.2%, 增幅达35%, 比上年增加500元,
  only 了/达/为/分别 between) and the figure ends its phrase (not 提升40余名新入职员工的…);
  or a comparative after 比/较 + another time (比去年高了1元, 比上年多500元, 较上月低0.3个
  百分点), but not after another place or group (增速比全国高0.7个百分点 is a gap, not a
  change); or the first figure after 新增/净增/新建/新开/新培育 in its clause (新增就业1.15万人,
  新建果园4.3万亩; not 新建改建, new and rebuilt together); or a figure listed after a change
  (上浮10%、20%). 提高至/降至 give the new level, which is not a change. `direction` is +1/-1
  from the word; 同比/环比 alone give the sign of the number.
* is_target / is_forecast: the figure follows, in the same sentence, a target word (力争, 争取,
  计划, 目标是, future 将 before a verb, 到…末/底 opening a clause) or is followed by 的目标;
  or it follows a forecast word (预计, 预测, 有望). A forecast stops at a clause that opens
  with a new subject (全县, 该市, 全国 …) once it has given a figure: in `预计全年粮食产量达50
  万吨，全县八成农户参加了医保` the last figure is a fact told beside the forecast
  (预计到2026年，全市将… still forecasts: no figure came before 全市).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from pipelines.text.numerals import (
    CHINESE_DIGITS,
    CHINESE_NUMERAL_CHARS,
    magnitude,
    parse_chinese,
    parse_percent,
    scaled,
    to_halfwidth,
)


@dataclass(frozen=True, slots=True)
class Quantity:
    """One figure of a sentence, as written and as a number."""

    start: int  # sentence[start:end] == text, qualifier words and unit included
    end: int
    text: str
    value: float  # base units; for a range the low end
    unit: str  # as written without 万/亿: 元, 人, %, 个百分点, 倍, 平方公里, "" if only 万/亿
    qualifier: str = "exact"  # exact | approx | gt | ge | lt | le
    value_low: float | None = None  # both set only for a range (3至5年, 10%—15%)
    value_high: float | None = None
    multiplier_kind: str | None = None  # "times" (2倍) or "doubling" (翻一番 = 2倍)
    is_change: bool = False
    direction: int = 0  # +1 up, -1 down, 0 unknown or not a change
    is_target: bool = False
    is_forecast: bool = False

    @property
    def is_range(self) -> bool:
        return self.value_low is not None


# --- vocabulary ---------------------------------------------------------------------------

_MEASURE_UNITS = (
    "元", "美元", "欧元", "港元", "日元", "英镑", "人民币",
    "人次", "人", "名", "位", "户次", "户", "家次", "家",
    "个", "项", "件", "台", "辆", "套", "间", "栋", "幢", "座", "条", "所", "处", "只", "头",
    "匹", "羽", "株", "棵", "批", "场", "次", "车次", "架次", "支", "款", "种", "类", "篇",
    "册", "份", "张", "艘", "架", "组",
    "平方公里", "平方千米", "平方米", "立方米", "公顷", "亩", "公里", "千米", "厘米", "毫米", "米",
    "吨", "公斤", "千克", "克", "斤", "千瓦时", "千瓦", "兆瓦", "标准箱",
    "岁", "周岁", "周年", "分钟", "秒", "个工作日", "工作日",
    "%", "‰", "个百分点", "百分点", "倍",
)
_TIME_UNITS = ("年", "个月", "周", "天", "小时", "个小时")  # take 半 (一年半); 近N年来 is a period
_DATE_UNITS = ("月", "日", "号", "时", "点")  # 7月, 21日, 19时许, 8点: dates and clock times
_UNIT_KIND = {
    **{u: "measure" for u in _MEASURE_UNITS},
    **{u: "time" for u in _TIME_UNITS},
    **{u: "date" for u in _DATE_UNITS},
}
_UNIT = re.compile("|".join(sorted(map(re.escape, _UNIT_KIND), key=len, reverse=True)))
# The second half of 元/吨, 元/月, 元/平方米.
_PER_UNIT = re.compile("|".join(sorted(
    map(re.escape, ("人", "户", "亩", "吨", "公斤", "斤", "平方米", "千瓦时", "小时", "次", "个",
                    "年", "月", "日", "天")), key=len, reverse=True)))

_NUMBER = re.compile(
    r"(?P<arabic>[0-9]{1,3}(?:,[0-9]{3}(?![0-9]))+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
    rf"|(?P<chinese>[{CHINESE_NUMERAL_CHARS}]+(?:点[零〇一二三四五六七八九]+[万亿]*)?)"
    r"|(?P<doubling>翻番)"
)

# Words before the number, longest first, and the qualifier each gives.
_PREFIXES = {
    "不超过": "le", "不少于": "ge", "不低于": "ge", "不高于": "le", "不多于": "le",
    "大约": "approx", "将近": "approx", "接近": "approx",
    "不足": "lt", "不到": "lt", "不满": "lt", "未满": "lt", "少于": "lt", "低于": "lt",
    "多于": "gt", "高于": "gt", "超过": "gt", "突破": "gt",
    "至少": "ge", "最少": "ge", "最多": "le",
    "年过": "gt", "年逾": "gt", "年满": "ge", "年近": "approx",  # ages: 已年过50
    "约": "approx", "近": "approx", "逾": "gt", "超": "gt",
    "上": "gt", "过": "gt",  # only before a bare power of ten: 上百家, 过万人
}
# Words after the unit, and 余/多 written inside the figure (200余家, 16万余名, 5000多元).
_SUFFIXES = {"及以上": "ge", "及以下": "le", "以上": "ge", "以下": "le", "以内": "le",
             "左右": "approx", "上下": "approx"}
_ATTACHED = {"余": "gt", "多": "gt"}
_QUALIFIER = {**_PREFIXES, **_SUFFIXES, **_ATTACHED}

# Characters before a prefix that make it part of another word: 就近, 附近, 节约, 预约, 赶超.
_NOT_BEFORE = {"近": "就附靠最临邻贴亲", "约": "节预签制公契相邀履违隐", "超": "赶高"}

_RANGE_SEPARATORS = "至到-—–~〜"
_CLOSING_QUOTES = frozenset("”’」』》〉\"")
_CLAUSE_BREAKS = "，,；;：:。！？!?…（）()\n"
_CLAUSE_BREAK = re.compile(f"[{re.escape(_CLAUSE_BREAKS)}]")
_PHRASE_ENDS = set(_CLAUSE_BREAKS + "、”’」』》\" \t") | set("至到的和及与或")
_CODE_NEIGHBOURS = set("×*+#@/:") | set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_ADDRESS_UNITS = {"组", "栋", "幢"}
# 万/亿 figures of people name the people instead of a classifier: 48万群众, 185.07万贫困人口.
_PERSON_NOUN = re.compile(
    "(?:农村|城镇|城乡|贫困|脱贫|搬迁|务工|外出|返乡|流动|常住|户籍|在校|就业|困难)?"
    "(?:群众|人口|劳动力|农民工|职工|居民|村民|学生|游客|员工|党员|干部|农民|工人|人员|患者|老人|儿童)")
_AGE_PREFIXES = ("年过", "年逾", "年满", "年近")  # 年过50: an age with its unit left unsaid
# A span of years or months that dates other figures is a period, not a quantity:
# 3年来, 过去3年, 近3年, 较3年前, 三年行动 (the context stage reads them as periods).
_PERIOD_BEFORE = ("过去", "最近", "未来", "今后", "近", "这", "前")
_PERIOD_AFTER = ("来", "以来", "前", "后", "里", "间", "内", "成就", "行动", "规划", "计划", "攻坚")
_PLACE_ENDINGS = frozenset("村组区镇乡街路巷苑")
_NUMERAL_SET = frozenset(CHINESE_NUMERAL_CHARS)
_NOT_A_RATIO = set("员本为功立果交熟型长品")  # 成员, 成本, 成为 …: 成 starting a word

# Change words. A verb or rate must sit right before the figure, with only these between.
_UP = ("增长率", "增长", "增加", "提高", "提升", "上升", "上涨", "上浮", "上调", "增收", "增产",
       "扩大", "加快", "回升", "攀升", "增幅", "增速", "涨幅", "增", "涨", "升")
_DOWN = ("下降", "减少", "降低", "下滑", "下跌", "回落", "压缩", "缩减", "缩短", "下调", "减收",
         "减产", "放缓", "收窄", "降幅", "跌幅", "减幅", "减", "降", "跌")
_NEUTRAL = ("同比", "环比")
_DIRECTION = {**{w: 1 for w in _UP}, **{w: -1 for w in _DOWN}, **{w: 0 for w in _NEUTRAL}}
_CHANGE_BEFORE = re.compile(
    "(" + "|".join(sorted(_DIRECTION, key=len, reverse=True)) + ")"
    "(?:分别|累计|合计|共计|达到|达|为|是|了|共)*$")
# Counts of additions: the first figure after them in the clause is a change. 新建改建 (new
# and rebuilt together) is no addition, nor the 新开 of 创新开展 or 重新开放.
_ADDITIONS = re.compile("新增|净增|净减|(?<![重创革更全出])(?:新建(?![、和及与]?(?:改建|扩建|改造|续建))"
                        "|新开|新培育)")
_ADDITION_DIRECTION = {"净减": -1}  # every other addition is +1
# 比去年高了1元, 比上年多500元, 较上月低0.3个百分点: a comparison with another time is a
# change; with another place or group (比全国高0.7个百分点) it is a gap, not a change.
_COMPARATIVE = re.compile(r"(?:比|较)(?P<object>[^，,。；;：:比较]{1,12}?)(?:还|更)?"
                          r"(?P<word>高|低|多|少|快|慢)(?:出|了)*$")
_COMPARATIVE_DIRECTION = {"高": 1, "多": 1, "快": 1, "低": -1, "少": -1, "慢": -1}
_TIME_OBJECT = re.compile("年|月|季度|同期|以前|过去|以往|往年")
# A clause opening with a new subject (全县, 该市, 全国 …) after a forecast's figures ends it.
_NEW_SUBJECT = re.compile(r"(?:全|该|本|我)(?:县|市|省|州|区|镇|乡|村)(?![场域民级])|全国")

_TARGET = re.compile(
    r"力争|争取|计划(?!生育|单列|[，,。；;、])|目标(?:任务)?(?:是|为|[：:])"
    r"|将(?=(?:再|进一步|持续|继续)?(?:达到?|实现|突破|超过|新增|增加|增长|提高|提升|建成|完成"
    r"|投入|带动|吸纳|新建|累计|减少|下降|有(?!效)))"
    r"|(?:^|(?<=[，,；;：:。]))到[^，,；;。！？!?]{1,15}?[末底]")
_FORECAST = re.compile("预计|预测|有望")
_TARGET_AFTER = ("的目标", "的预期目标", "的目标任务")  # 增长5%左右的预期目标

_QUOTES = re.compile("[“”‘’「」『』《》〈〉\"]")
_OPENING = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "〈": "〉"}
_SPEECH_PUNCTUATION = re.compile("[，。！？；：!?;…]")

_MAX_DIGITS = 15  # longer digit strings are identifiers, and would lose float precision
_MAX_DOUBLINGS = 10  # 翻十番 is 1024 times already; 翻2000番 is no figure (and overflows a float)


# --- the sentence and its figures --------------------------------------------------------

class _Sentence:
    """One sentence with what every figure needs to look up: names, clauses, target words."""

    def __init__(self, sentence: str):
        self.text = to_halfwidth(sentence)
        self._names = _name_spans(self.text)
        self._name_starts = [start for start, _ in self._names]
        self.clause_breaks = [m.start() for m in _CLAUSE_BREAK.finditer(self.text)]
        self.target_at = self._first_marker(_TARGET)
        self.forecast_at = self._first_marker(_FORECAST)
        self.forecast_stop: int | None = None  # set at the forecast's first figure

    def in_name(self, i: int) -> bool:
        k = bisect_right(self._name_starts, i) - 1
        return k >= 0 and i < self._names[k][1]

    def clause_start(self, i: int) -> int:
        k = bisect_right(self.clause_breaks, i - 1) - 1
        return self.clause_breaks[k] + 1 if k >= 0 else 0

    def _first_marker(self, pattern: re.Pattern) -> int:
        for match in pattern.finditer(self.text):
            if not self.in_name(match.start()):
                return match.start()
        return len(self.text)


def _name_spans(text: str) -> list[tuple[int, int]]:
    """Insides of quotations that name something (no clause punctuation) and of 《titles》,
    merged into disjoint (start, end) spans."""
    stack: list[tuple[str, int]] = []
    spans = []
    # Speech punctuation found once: nested quotes would search the text again and again.
    speech = [m.start() for m in _SPEECH_PUNCTUATION.finditer(text)]
    for match in _QUOTES.finditer(text):
        ch, at = match.group(), match.start()
        if ch == '"' and stack and stack[-1][0] == '"':
            ch = "closing"
        if ch in _OPENING or ch == '"':
            stack.append((ch, at))
            continue
        if stack and (ch == "closing" or _OPENING.get(stack[-1][0]) == ch):
            opening, opened_at = stack.pop()
            k = bisect_right(speech, opened_at)  # the first after the opening quote
            if opening == "《" or not (k < len(speech) and speech[k] < at):
                spans.append((opened_at + 1, at))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@dataclass
class _Figure:
    """A figure while it is being read; becomes a Quantity if no exclusion rule drops it."""

    num_start: int  # the number itself, without sign or prefix words
    core_end: int  # end of its digits
    end: int
    coefficient: float  # as written before its magnitude: 1.8 in 1.8亿
    scale: int = 1  # 万, 亿, 千万; 10 for 八成
    chinese: str = ""  # the Chinese numeral as written, "" for Arabic digits
    attached: str = ""  # 余 or 多 inside the figure
    unit: str = ""
    unit_end: int = 0
    suffix: str = ""
    prefix: str = ""
    start: int = 0
    negative: bool = False
    half: bool = False  # 一年半
    doubling: bool = False  # 翻一番, 翻番
    high: float | None = None  # a range's high end
    code_like: bool = False  # 5G, G85, 7×24, 0870
    year_like: bool = False  # 2023 before 年
    sequence: bool = False  # 二〇二三, 三四: digits with no unit between them
    fraction: bool = False  # 三分之一, 百分之三十

    @property
    def unit_kind(self) -> str:
        return _UNIT_KIND.get(self.unit.split("/")[0], "")

    @property
    def value(self) -> float:
        """The low end of a range: the high end is read as a figure of its own."""
        if self.doubling:
            return 2.0 ** self.coefficient
        value = scaled(self.coefficient + 0.5 * self.half, self.scale)
        return -value if self.negative else value

    @property
    def qualifier(self) -> str:
        word = self.attached or self.suffix or self.prefix  # the word nearest the number wins
        return _QUALIFIER[word] if word else "exact"


def extract_quantities(sentence: str) -> list[Quantity]:
    """Quantities in one sentence, in order of appearance."""
    doc = _Sentence(sentence)
    found: list[Quantity] = []
    pos = 0
    while match := _NUMBER.search(doc.text, pos):
        figure = _read_figure(doc.text, match)
        pos = figure.end if figure else match.end()
        if figure and not _exclusion(doc, figure):
            found.append(_to_quantity(doc, sentence, figure, found[-1] if found else None))
    return found


# --- reading a figure forward from its number --------------------------------------------

def _read_figure(text: str, match: re.Match) -> _Figure | None:
    start, end = match.span()
    if match.lastgroup == "doubling":  # 翻番 with no numeral: doubled once
        return _Figure(start, start, end, 1.0, start=start, unit="倍", unit_end=end, doubling=True)
    figure = _read_number(text, match)
    if figure is None:
        return None
    _read_unit(text, figure)
    _read_range(text, figure)
    _read_suffix(text, figure)
    _read_prefix(text, figure)
    return figure


def _read_number(text: str, match: re.Match) -> _Figure | None:
    """The numeral with its magnitude and any 余/多 inside it; ratios (三分之一, 八成) too."""
    start, end = match.span()
    if match.lastgroup == "arabic":
        digits = match.group().replace(",", "")
        if len(digits.split(".")[0]) > _MAX_DIGITS:
            return None
        figure = _Figure(start, end, end, float(digits))
        figure.code_like = (digits.startswith("0") and len(digits) > 1 and "." not in digits)
        figure.year_like = len(digits) == 4 and 1000 <= figure.coefficient < 3000
    else:
        figure = _read_chinese(text, match)
        if figure is None:
            return None
    figure.code_like |= _touches_code(text, figure.num_start, figure.core_end)
    if _read_ratio(text, figure):
        return figure
    figure.attached = _attached_at(text, figure.end)  # 200余家, 10余万户
    figure.end += len(figure.attached)
    try:
        if not figure.chinese:
            _read_magnitude(text, figure, "百千万亿")  # 1.8亿, 3千万
        elif figure.attached:
            _read_magnitude(text, figure, "万亿")  # 一千二百余万; otherwise the run holds its 万
    except ValueError:  # 1亿亿亿…: past any magnitude a paper writes
        return None
    if not figure.attached and figure.scale > 1:
        figure.attached = _attached_at(text, figure.end)  # 16万余名
        figure.end += len(figure.attached)
    return figure


def _read_magnitude(text: str, figure: _Figure, powers: str) -> None:
    """万, 亿, 千万 after the digits; not the 千 of 千瓦 nor the 百 of 百分点."""
    stop = figure.end
    while stop < len(text) and text[stop] in powers and not (
            text[stop] in "千百" and _UNIT.match(text, stop)):
        stop += 1
    figure.scale *= magnitude(text[figure.end:stop])
    figure.end = stop


def _read_chinese(text: str, match: re.Match) -> _Figure | None:
    start, end = match.span()
    run = match.group()
    try:
        parse_chinese(run)
    except ValueError:
        # 三万千瓦: a malformed run may end in the 千 of a unit.
        if not (len(run) > 1 and run[-1] in "千百" and _UNIT.match(text, end - 1)):
            return None
        run, end = run[:-1], end - 1
        try:
            parse_chinese(run)
        except ValueError:
            return None
    # Keep 万/亿 apart from the coefficient so that 三至五万人 can share it.
    coefficient_text = run.rstrip("万亿")
    if coefficient_text and not any(ch in "万亿" for ch in coefficient_text) and "点" not in run:
        coefficient, scale = parse_chinese(coefficient_text), magnitude(run[len(coefficient_text):])
    else:
        coefficient, scale = parse_chinese(run), 1
    figure = _Figure(start, end, end, coefficient, scale, chinese=run)
    figure.sequence = len(run) > 1 and all(ch in CHINESE_DIGITS for ch in run)
    return figure


def _read_ratio(text: str, figure: _Figure) -> bool:
    """三分之一, 百分之三十 and 八成 are shares: value in percent, unit %."""
    end = figure.end
    if text.startswith("分之", end) and (numerator := _NUMBER.match(text, end + 2)):
        try:
            figure.coefficient = parse_percent(text[figure.num_start:numerator.end()])
        except ValueError:
            return False
        figure.scale, figure.fraction = 1, True
    elif text.startswith("成", end) and text[end + 1:end + 2] not in _NOT_A_RATIO:
        figure.scale = 10
        numerator = None
    else:
        return False
    figure.end = figure.unit_end = numerator.end() if numerator else end + 1
    figure.unit = "%"
    return True


def _attached_at(text: str, i: int) -> str:
    return text[i] if i < len(text) and text[i] in _ATTACHED else ""


def _touches_code(text: str, start: int, end: int) -> bool:
    """5G, G85, 7×24, PM2.5, 3.5.2: digits that belong to an identifier or formula."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    version = after == "." and text[end + 1:end + 2].isdigit()
    return before in _CODE_NEIGHBOURS or after in _CODE_NEIGHBOURS or before == "." or version


def _read_unit(text: str, figure: _Figure) -> None:
    if figure.unit:  # a ratio already has its unit
        return
    if text.startswith("番", figure.end):  # 翻一番, 翻了两番: the number of doublings
        marker = next((m for m in ("翻了", "翻") if text.startswith(m, figure.num_start - len(m))), "")
        if marker and figure.coefficient <= _MAX_DOUBLINGS:
            figure.doubling, figure.unit = True, "倍"
            figure.end = figure.unit_end = figure.end + 1
            figure.start = figure.num_start - len(marker)
        return
    unit = _UNIT.match(text, figure.end)
    if not unit:
        figure.unit_end = figure.end
        if figure.scale > 1 and _PERSON_NOUN.match(text, figure.end):
            figure.unit = "人"
        elif text.startswith(_AGE_PREFIXES, max(0, figure.num_start - 2)) and not figure.chinese:
            figure.unit = "岁"
        return
    figure.unit, figure.end = unit.group(), unit.end()
    if text.startswith("/", figure.end) and (per := _PER_UNIT.match(text, figure.end + 1)):
        figure.unit, figure.end = f"{figure.unit}/{per.group()}", per.end()
    figure.unit_end = figure.end
    if figure.unit in _TIME_UNITS:
        if text.startswith("半", figure.end):
            figure.half, figure.end = True, figure.end + 1
        elif not figure.attached and (attached := _attached_at(text, figure.end)):
            figure.attached, figure.end = attached, figure.end + 1  # 一年多


def _read_range(text: str, figure: _Figure) -> None:
    """3至5年, 10%—15%, 3-5万元: one figure from its low end to its high end."""
    if (figure.end >= len(text) or text[figure.end] not in _RANGE_SEPARATORS
            or figure.attached or figure.doubling or figure.half):
        return
    match = _NUMBER.match(text, figure.end + 1)
    if not match or match.lastgroup == "doubling":
        return
    high = _read_number(text, match)
    if high is None:
        return
    _read_unit(text, high)
    if not (high.unit or high.scale > 1) or figure.unit not in ("", high.unit) or high.doubling:
        return
    if not figure.unit and figure.scale == 1:  # 3至5万人: the low end shares 万 and the unit
        figure.scale = high.scale
    figure.high = high.value
    figure.end, figure.unit, figure.unit_end = high.end, high.unit, high.unit_end
    figure.code_like |= high.code_like
    figure.year_like |= high.year_like
    figure.sequence |= high.sequence
    figure.chinese = figure.chinese or high.chinese


def _read_suffix(text: str, figure: _Figure) -> None:
    for word in _SUFFIXES:
        if text.startswith(word, figure.end) and not (
                word == "上下" and text.startswith("游", figure.end + 2)):
            figure.suffix, figure.end = word, figure.end + len(word)
            return


def _read_prefix(text: str, figure: _Figure) -> None:
    """Sign and qualifier words before the number: 突破460亿元, 近5000平方米, 同比-3.2%."""
    if figure.doubling:
        return
    i = figure.num_start
    if i and text[i - 1] == "-" and (i == 1 or text[i - 2] in "比为是达至到长降：:，,（( "):
        figure.negative, i = True, i - 1
    figure.start = i
    for word in _PREFIXES:
        at = i - len(word)
        if at < 0 or not text.startswith(word, at):
            continue
        before = text[at - 1] if at else ""
        if before and before in _NOT_BEFORE.get(word, ""):
            continue
        if word in ("上", "过") and not (_is_bare_power(figure) and before not in _NUMERAL_SET):
            continue  # 上百家 but not 成千上万 (an idiom) nor 通过5种方式
        if word == "近" and _is_recent_period(text, figure, at):
            continue
        figure.prefix, figure.start = word, at
        return


def _is_recent_period(text: str, figure: _Figure, at: int) -> bool:
    """近3年来, 近五年，…: 近 means "the last", not "nearly"."""
    if figure.unit not in ("年", "个月", "周", "天"):
        return False
    return text.startswith(("来", "以来"), figure.end) or at == 0 or text[at - 1] in _CLAUSE_BREAKS


def _is_bare_power(figure: _Figure) -> bool:
    return figure.chinese[:1] in ("百", "千", "万", "亿", "佰", "仟")


# --- what is not a quantity ----------------------------------------------------------------

def _exclusion(doc: _Sentence, figure: _Figure) -> str:
    """Why this figure is not a quantity, or "" if it is one."""
    text = doc.text
    before = text[figure.start - 1] if figure.start else ""
    if doc.in_name(figure.num_start):
        return "inside a quoted name"
    if figure.code_like:
        return "part of a code or formula"
    if figure.sequence:
        return "digits read one by one: a year, code or plan name"
    if figure.unit_kind == "date" or (figure.unit == "年" and _is_year(text, figure)):
        return "a date or clock time"
    if figure.unit == "年" and text.startswith(("级", "代"), figure.unit_end):
        return "a school grade or decade"
    if _is_period_span(text, figure):
        return "a span of time that dates other figures (3年来, 过去3年): a period"
    if before == "第":
        return "an ordinal"
    if figure.unit in _ADDRESS_UNITS and before in _PLACE_ENDINGS:
        return "an address"
    if len(figure.unit) == 1 and text.startswith(figure.unit, figure.unit_end):
        return "a reduplicated classifier (一张张)"
    if not figure.unit and figure.scale == 1:
        return "no unit and no magnitude"
    if figure.chinese:
        return _chinese_exclusion(text, figure, before)
    return ""


def _is_period_span(text: str, figure: _Figure) -> bool:
    if figure.unit not in ("年", "个月") or figure.qualifier != "exact" or figure.half:
        return False
    before = text[max(0, figure.start - 2):figure.start]
    return before.endswith(_PERIOD_BEFORE) or text.startswith(_PERIOD_AFTER, figure.end)


def _is_year(text: str, figure: _Figure) -> bool:
    """2023年 is a year; 2000余年 and 近2000年 are spans of time. A 多 or 余 after the 年 of a
    year of this era belongs to the next word (比2022年多500元)."""
    if not figure.year_like or figure.prefix or figure.scale > 1:
        return False
    after_unit = text[figure.unit_end:figure.unit_end + 1] == figure.attached
    return not figure.attached or (after_unit and 1900 <= figure.coefficient <= 2100)


def _chinese_exclusion(text: str, figure: _Figure, before: str) -> str:
    if figure.fraction:
        return ""
    if figure.chinese in ("一", "壹") and not (figure.half or figure.attached or figure.doubling
                                              or figure.unit == "倍" or figure.high is not None):
        return "a bare 一 is an article, not a count"  # but 一年半, 一年多, 翻一番, 一倍 are measures
    if before == "初" or (before in ("数", "几") and figure.chinese[0] in "十百千万亿"):
        return "an ordinal or a vague number"
    if before in _CLOSING_QUOTES:
        return "counts the quoted slogans"
    if _is_bare_power(figure) and not (figure.attached or figure.suffix or figure.prefix):
        return "a rhetorical power of ten"
    if figure.high is None and _in_idiom(text, figure.num_start):
        return "part of an idiom"
    if text.startswith(("一体", "合一"), figure.unit_end):  # 五位一体, 多规合一
        return "part of an idiom"
    return ""


def _in_idiom(text: str, i: int) -> bool:
    """三天两头, 七嘴八舌: a four-character idiom with numerals in first and third place."""
    def numeral(k: int) -> bool:
        return 0 <= k < len(text) and text[k] in _NUMERAL_SET

    def lone_numeral(k: int) -> bool:
        return numeral(k) and not numeral(k - 1) and not numeral(k + 1)

    return lone_numeral(i) and (lone_numeral(i + 2) or lone_numeral(i - 2))


# --- flags ----------------------------------------------------------------------------------

def _to_quantity(doc: _Sentence, sentence: str, figure: _Figure,
                 previous: Quantity | None) -> Quantity:
    is_change, direction = (True, 1) if figure.doubling else _change(doc, figure, previous)
    is_range = figure.high is not None
    return Quantity(
        start=figure.start,
        end=figure.end,
        text=sentence[figure.start:figure.end],
        value=figure.value,
        unit=figure.unit,
        qualifier=figure.qualifier,
        value_low=figure.value if is_range else None,
        value_high=figure.high,
        multiplier_kind="doubling" if figure.doubling else "times" if figure.unit == "倍" else None,
        is_change=is_change,
        direction=direction,
        is_target=doc.target_at < figure.start or doc.text.startswith(_TARGET_AFTER, figure.end),
        is_forecast=_forecast(doc, figure),
    )


def _change(doc: _Sentence, figure: _Figure, previous: Quantity | None) -> tuple[bool, int]:
    """(is_change, direction) by the three rules of the module docstring, in that order."""
    text, start = doc.text, figure.start
    if previous and previous.is_change and text[previous.end:start] in ("、", "和", "及", "与", "或"):
        return True, previous.direction  # 分别上浮10%、20%
    ends_phrase = figure.end == len(text) or text[figure.end] in _PHRASE_ENDS
    verb = _CHANGE_BEFORE.search(text, max(0, start - 12), start)
    if verb and ends_phrase:
        direction = _DIRECTION[verb.group(1)] or (-1 if figure.negative else 0)
        return True, direction
    clause_start = max(doc.clause_start(start), start - 40)
    comparative = _COMPARATIVE.search(text, clause_start, start)
    if comparative and ends_phrase and _TIME_OBJECT.search(comparative.group("object")):
        return True, _COMPARATIVE_DIRECTION[comparative.group("word")]
    additions = list(_ADDITIONS.finditer(text, clause_start, start))
    if additions and (previous is None or previous.end <= additions[-1].start()):
        return True, _ADDITION_DIRECTION.get(additions[-1].group(), 1)
    return False, 0


def _forecast(doc: _Sentence, figure: _Figure) -> bool:
    """After a forecast word, until a clause opens with a new subject once the forecast has
    given a figure (预计全年粮食产量达50万吨，全县八成农户… : the last is no forecast)."""
    if doc.forecast_at >= figure.start:
        return False
    if doc.forecast_stop is None:  # the forecast's first figure: its scope ends at the next
        doc.forecast_stop = next((b for b in doc.clause_breaks[bisect_left(
            doc.clause_breaks, figure.end):] if _NEW_SUBJECT.match(doc.text, b + 1)), len(doc.text))
        return True
    return figure.start < doc.forecast_stop
