"""Period, base period and place of the figures: the seeds (000 published 2025-11, 002
published 2024-01), the two fixture articles, sentences in other papers' styles, the same
documents with no publication date, and robustness against any input."""

from __future__ import annotations

import csv
import json
import random
from datetime import date
from pathlib import Path

import pytest

from pipelines.text.context import (Gazetteer, Mention, Period, PublicationDate, Region,
                                    resolve_document, time_expressions)
from pipelines.text.decoding import decode_document
from pipelines.text.structure import parse_document

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds" / "documents"
FIXTURES = ROOT / "tests" / "fixtures" / "articles"
ANNOTATIONS = ROOT / "tests" / "annotations" / "seed_mentions.jsonl"
SEED_FILES = {"000": "000_e7477d3aa7d3b9e2.txt", "002": "002_c24e9d97611dbda4.txt"}
PUBLISHED = {"000": "2025-11", "002": "2024-01"}


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    with open(ROOT / "seeds" / "sheets" / "regions.csv", encoding="utf-8") as handle:
        return Gazetteer.from_rows(csv.DictReader(handle))


def read(path: Path) -> str:
    return decode_document(path.read_bytes()).text


def resolve(text: str, gazetteer: Gazetteer, published: str | None) -> list[Mention]:
    return resolve_document(parse_document(text), gazetteer,
                            PublicationDate.parse(published) if published else None)


@pytest.fixture(scope="module")
def seeds(gazetteer) -> dict[str, list[Mention]]:
    return {name: resolve(read(SEEDS / file), gazetteer, PUBLISHED[name])
            for name, file in SEED_FILES.items()}


def find(mentions: list[Mention], sentence: str, figure: str, occurrence: int = 0) -> Mention:
    """The `occurrence`-th mention written `figure` in the sentence containing `sentence`."""
    hits = [m for m in mentions if sentence in m.sentence.text and m.quantity.text == figure]
    assert len(hits) > occurrence, f"{figure} not found in a sentence with {sentence}"
    return hits[occurrence]


def label(period: Period | None) -> str | None:
    return period.label if period else None


def summary(m: Mention) -> tuple:
    return label(m.period), label(m.base_period), m.place.name if m.place else None


# --- the README's table and rules, on the seed sentences where they occur -----------------

SEED_CASES = [
    # (seed, sentence fragment, figure, period, base period, place, period source)
    ("000", "全县累计回引", "8.12万人", "../2025-11", None, "镇雄县", "publication date"),
    ("000", "全县累计回引", "5.29万人", "../2025-11", None, "镇雄县", "publication date"),
    ("000", "截至今年7月", "600万元", "../2025-07", None, "大关县", "publication date"),
    ("000", "自2024年7月运行以来", "200余家", "2024-07/2025-11", None, "幸福里社区",
     "publication date"),
    ("000", "日均派工", "40%", "2024-07/2025-11", None, "幸福里社区", "publication date"),
    ("000", "社区已吸纳", "1500余名", "../2025-11", None, "幸福里社区", "publication date"),
    # 后续 is a new, undatable time expression: the carry of 目前 ends.
    ("000", "社区已吸纳", "500人", None, None, "幸福里社区", "vague"),
    ("000", "301万农村劳动力", "260万人以上", "../2025-11", None, "昭通市", "publication date"),
    ("000", "301万农村劳动力", "82.6%", "2020", None, "昭通市", "sentence"),
    ("000", "301万农村劳动力", "86.9%", "2025", None, "昭通市", "sentence"),
    # 2025年的 dates only its own clause; the leading 截至目前 governs the rest of the list.
    ("000", "301万农村劳动力", "131万人", "../2025-11", None, "昭通市", "publication date"),
    ("000", "301万农村劳动力", "54.6万人", "../2025-11", None, "昭通市", "publication date"),
    ("000", "力争每年", "15万人", None, None, "昭通市", "vague"),  # 下一步
    ("000", "力争每年", "100万人", "2030", None, "昭通市", "sentence"),  # 到“十五五”末
    ("000", "归集总额突破460亿元", "突破460亿元", "../2025-11", None, "昭通市", "publication date"),
    ("000", "归集总额突破460亿元", "37.8%", "../2025-11", "2022", "昭通市", "publication date"),
    ("000", "归集总额突破460亿元", "126亿元", "2023/2025", None, "昭通市", "publication date"),
    ("000", "新增灵活就业人员", "7000余人", "2023/2025", None, "昭通市", "publication date"),
    ("000", "缴存职工总数", "突破24万人", "../2025-11", None, "昭通市", "publication date"),
    ("000", "缴存职工总数", "6.5万人", "../2025-11", "2022", "昭通市", "publication date"),
    ("000", "缴存职工总数", "35%", "../2025-11", "2022", "昭通市", "publication date"),
    ("000", "网上业务大厅", "30余项", "../2025-11", None, "昭通市", "publication date"),
    ("000", "超过70%的业务", "超过70%", "../2025-11", None, "昭通市", "publication date"),
    ("000", "年均实现增值收益", "2亿元以上", "2023/2025", None, "昭通市", "publication date"),
    ("000", "单缴存职工家庭", "80万元", None, None, "昭通市", "none"),
    ("002", "2021年，昭通全市", "11438元", "2021", None, "昭通市", "sentence"),
    # A growth rate of a calendar year is year on year when no base is written.
    ("002", "2021年，昭通全市", "15.53%", "2021", "2020", "昭通市", "sentence"),
    ("002", "2021年，昭通全市", "13233元", "2022", None, "昭通市", "sentence"),
    ("002", "2021年，昭通全市", "15.69%", "2022", "2021", "昭通市", "sentence"),
    ("002", "2021年，昭通全市", "15465元", "2023", None, "昭通市", "sentence"),
    ("002", "2021年，昭通全市", "16.8%", "2023", "2022", "昭通市", "sentence"),  # 同比
    # A narrative date still dates the figures after it.
    ("002", "19时许", "20余位", "2023-12-21", None, "中坝村", "sentence"),
    ("002", "全村规划种植", "20000亩", None, None, "中坝村", "none"),
    ("002", "开园至今", "25万余人次", "2022-07/2024-01", None, "云中苗寨", "publication date"),
    ("002", "2021年以来", "43个", "2021/2024-01", None, "昭通市", "publication date"),
    ("002", "已完成投资", "45054.35万元", "../2024-01", None, "昭通市", "publication date"),
    # 上个月 inside a later clause dates only that clause.
    ("002", "上个月拿到了", "7300元", "2023-12", None, "彝良县", "publication date"),
    ("002", "上个月拿到了", "5分钟", None, None, "彝良县", "none"),
    ("002", "2019年12月", "25725名", "2019-12", None, "发界安置区", "sentence"),
    ("002", "局长直播带货”150余场", "298.39万人", "2023", None, "昭通市", "sentence"),
    ("002", "常年转移就业", "260万人以上", None, None, "昭通市", "none"),
    ("002", "2023年初", "7000多元", "2023", None, "贵州省", "sentence"),
    ("002", "中坝村2023年的", "15650元", "2023", None, "中坝村", "sentence"),
    ("002", "中坝村2023年的", "1万元以下", "2023", None, "中坝村", "sentence"),
    ("002", "带动从事产业农户", "1200亿元", "2023", None, "昭通市", "sentence"),
    ("002", "带动从事产业农户", "500元", "2023", "2022", "昭通市", "sentence"),  # 比2022年
    ("002", "消除29.2万人", "11.6万人", "2023", None, "昭通市", "sentence"),
]


@pytest.mark.parametrize("seed,sentence,figure,period,base,place,source", SEED_CASES,
                         ids=[f"{c[0]}-{c[2]}" for c in SEED_CASES])
def test_seed_figures(seeds, seed, sentence, figure, period, base, place, source):
    m = find(seeds[seed], sentence, figure)
    assert summary(m) == (period, base, place)
    assert m.period_source == source


def test_period_kinds_and_dates(seeds):
    as_of = find(seeds["000"], "全县累计回引", "8.12万人").period
    assert as_of == Period("../2025-11", None, date(2025, 11, 30), "as_of")
    target = find(seeds["000"], "力争每年", "100万人")
    assert target.period == Period("2030", date(2030, 1, 1), date(2030, 12, 31), "target")
    assert target.quantity.is_target and target.period_text == "到“十五五”末"
    since = find(seeds["002"], "开园至今", "25万余人次").period
    assert (since.start, since.end, since.kind) == (date(2022, 7, 1), date(2024, 1, 31), "span")
    day = find(seeds["002"], "19时许", "20余位")
    assert day.period.kind == "day" and day.period_text == "2023年12月21日19时许"


def test_rates_are_not_periods(seeds):
    assert find(seeds["000"], "年均实现增值收益", "2亿元以上").rate == "year"
    assert find(seeds["000"], "力争每年", "15万人").rate == "year"
    assert find(seeds["000"], "日均派工", "150人次").rate == "day"
    assert find(seeds["000"], "日均派工", "2万人次").rate is None  # the next clause
    assert find(seeds["002"], "每月有7000多元", "7000多元").rate == "month"


# --- places --------------------------------------------------------------------------------

PLACE_CASES = [
    ("000", "全县累计回引", "8.12万人", "镇雄县", "全县 → county in focus"),
    ("000", "归集总额突破460亿元", "37.8%", "昭通市", "全市 → city in focus"),
    ("000", "网上业务大厅", "30余项", "昭通市", "市… → city in focus"),  # 市公积金中心
    ("002", "全村规划种植", "300亩", "中坝村", "全村 → village in focus"),
    ("000", "社区已吸纳", "30%", "幸福里社区", "社区… → community in focus"),
    # The last of an address chain is its most specific name.
    ("000", "巧家县马树镇依托", "2.5万亩", "马树镇", "named"),
    ("000", "在镇雄县呢噜坪", "39岁", "呢噜坪纺织服装产业园", "named"),
    # Between unrelated names, the subject nearest the figure.
    ("002", "发界安置区是昭通", "9个", "昭通市", "named"),
    # 界安安置区, the seed's misprint, is an alias; named after the figure.
    ("002", "2019年12月", "25725名", "发界安置区", "named later in the sentence"),
    ("000", "指导16家企业", "2033人", "镇雄县", "paragraph focus"),
    # The paragraph's focus comes before a name later in the sentence (依托大关…资源).
    ("000", "占地近5000平方米", "近5000平方米", "靖安新区", "paragraph focus"),
    # A quote before its speaker: the next sentence of the paragraph says where.
    ("000", "现在月薪5000多元", "5000多元", "靖安新区", "paragraph focus (named after)"),
    # A company registered in the province, newly settled in the park of the paragraph before.
    ("000", "云南龙升誉成", "二人", "呢噜坪纺织服装产业园", "company of 云南省 → place in focus"),
    ("000", "截至今年7月", "120名", "大关县", "named"),  # 大关县金竹工艺品公司
    # A paragraph naming no place is about the article's region.
    ("000", "2个分中心", "2个", "昭通市", "article focus"),
    ("002", "8500元以下", "8500元以下", "昭通市", "paragraph focus"),
]


@pytest.mark.parametrize("seed,sentence,figure,place,source", PLACE_CASES,
                         ids=[f"{c[0]}-{c[2]}" for c in PLACE_CASES])
def test_seed_places(seeds, seed, sentence, figure, place, source):
    m = find(seeds[seed], sentence, figure)
    assert (m.place.name if m.place else None, m.place_source) == (place, source)


def test_gazetteer_finds_longest_names_and_skips_words_that_are_not_places(gazetteer):
    def names(text):
        return [(text[a:b], r.name) for a, b, r in gazetteer.find(text)]

    assert names("巧家县马树镇幸福里社区居民") == [
        ("巧家县", "巧家县"), ("马树镇", "马树镇"), ("幸福里社区", "幸福里社区")]
    assert names("镇雄县绿色产业园区的工人") == [("镇雄县绿色产业园区", "镇雄县绿色产业园区")]
    assert names("搬入彝良界安安置区") == [("彝良", "彝良县"), ("界安安置区", "发界安置区")]
    assert names("依托大关“中国独有、大关独大”") == [("大关", "大关县"), ("大关", "大关县")]
    assert names("大关县金竹工艺品公司") == [("大关县", "大关县")]  # a company is located there
    assert names("本版图片来源于昭通日报社图库") == []  # a newspaper is a source, not a subject
    assert names("回应群众重大关切") == []
    assert names("全市住房公积金") == []  # the sheet's alias 全市 is a scope word, not a name


def test_gazetteer_from_plain_rows():
    g = Gazetteer.from_rows([
        {"code": "1", "name_zh": "甲市", "level": "city", "parent_code": "", "aliases": "甲"},
        {"code": "2", "name_zh": "乙县", "level": "county", "parent_code": "1", "aliases": None},
        {"code": "", "name_zh": "无码", "level": "county"},  # skipped
    ])
    county = g.get("2")
    assert county == Region("2", "乙县", "county", "1", ())
    assert [r.code for r in g.lineage(county)] == ["2", "1"]
    assert g.at_level(county, "city").name == "甲市" and g.depth(county) == 2
    assert [(a, b, r.code) for a, b, r in g.find("甲乙县")] == [(0, 1, "1"), (1, 3, "2")]
    assert Gazetteer([]).find("昭通") == []


def test_scope_words_follow_the_article(gazetteer):
    text = ("镇雄县新闻\n\n在镇雄县，全县新增就业1万人。全市新增就业5万人。全省新增就业50万人。"
            "全国新增就业1000万人。")
    places = [(m.quantity.text, m.place.name if m.place else None, m.place_source)
              for m in resolve(text, gazetteer, "2025-11")]
    assert places == [("1万人", "镇雄县", "全县 → county in focus"),
                      ("5万人", "昭通市", "全市 → city in focus"),
                      ("50万人", "云南省", "全省 → province in focus"),
                      ("1000万人", None, "全国: not in the gazetteer")]


# --- the fixture articles ------------------------------------------------------------------

def test_qujing_article_places_not_in_the_gazetteer_are_not_guessed(gazetteer):
    mentions = resolve(read(FIXTURES / "qujing_employment.md"), gazetteer, "2025-11")
    # 曲靖市, 麒麟区 and 越州镇 are not in the sheet, and no region of it is named.
    assert {m.place for m in mentions} == {None}
    assert find(mentions, "全区城镇新增就业", "1.86万人").place_source == "全区 → no county in focus"
    assert [(m.quantity.text, label(m.period)) for m in mentions] == [
        ("1.2万个", "2025/2025-11"),  # 今年以来
        ("1.86万人", "../2025-10"), ("112%", "../2025-10"), ("23.5万人", "../2025-10"),
        ("6000多元", "../2025-11"),  # 现在, in speech
        ("32岁", None),
        ("1.5万人次", "2025"), ("超过六成", "2025"),  # 全区今年
    ]


def test_qujing_article_without_publication_date(gazetteer):
    mentions = resolve(read(FIXTURES / "qujing_employment.md"), gazetteer, None)
    dated = [m for m in mentions if m.period_source != "none"]
    assert dated and all(m.period is None and m.period_source == "needs publication date"
                         for m in dated)


def test_yiliang_article_gbk_crlf(gazetteer):
    mentions = resolve(read(FIXTURES / "yiliang_relocation.txt"), gazetteer, "2024-03")
    assert [(m.quantity.text, *summary(m)) for m in mentions] == [
        ("18个", None, None, "彝良县"),
        ("1300余人", None, None, "彝良县"),
        ("近3000元", None, None, "彝良县"),
        ("14210元", "2023", None, "彝良县"),
        ("12.4%", "2023", "2022", "彝良县"),  # 比上年
        ("4.6万件", None, None, "彝良县"),
        ("98%以上", None, None, "彝良县"),
        ("95%以上", "2027", None, "彝良县"),  # 到2027年
    ]
    assert find(mentions, "全县共建成", "近3000元").rate == "month"  # 人均月收入
    assert find(mentions, "到2027年", "95%以上").period.kind == "target"


# --- other papers' styles ------------------------------------------------------------------

STYLE_CASES = [
    # (publication, sentence, figure, period, base period)
    ("2025-11", "1—10月，全省规模以上工业增加值同比增长5.2%。", "5.2%",
     "2025-01/2025-10", "2024-01/2024-10"),
    ("2025-11", "2024年1至10月，全县接待游客320万人次，同比增长12%。", "320万人次",
     "2024-01/2024-10", None),
    ("2025-11", "2024年1至10月，全县接待游客320万人次，同比增长12%。", "12%",
     "2024-01/2024-10", "2023-01/2023-10"),
    ("2025-11", "今年上半年，全市地区生产总值600亿元，同比增长4.5%。", "4.5%", "2025-H1", "2024-H1"),
    ("2025-11", "2024年下半年，全市新增就业2万人。", "2万人", "2024-H2", None),
    ("2025-11", "第三季度，全县新增就业1.2万人，环比增长8%。", "8%", "2025-Q3", "2025-Q2"),
    ("2025-11", "一季度，全市完成固定资产投资80亿元。", "80亿元", "2025-Q1", None),
    # A growth rate with no comparison, as a noun or a verb, is year on year.
    ("2025-11", "前三季度，全市GDP增速为5%。", "5%", "2025-01/2025-09", "2024-01/2024-09"),
    ("2025-11", "前三季度，全市GDP增长5%。", "5%", "2025-01/2025-09", "2024-01/2024-09"),
    ("2025-11", "2023年，全县粮食产量达50万吨，较上年增长3.1%。", "3.1%", "2023", "2022"),
    ("2025-11", "2024年7月，全市发放贷款3亿元。", "3亿元", "2024-07", None),
    ("2025-11", "今年10月，全市新增市场主体3000户。", "3000户", "2025-10", None),
    ("2025-11", "2021年至2023年，全市新增就业15万人。", "15万人", "2021/2023", None),
    ("2025-11", "2021—2023年，全市新增就业15万人。", "15万人", "2021/2023", None),
    ("2025-11", "截至2025年7月，全县产值已达600万元。", "600万元", "../2025-07", None),
    ("2025-11", "截至2023年底，全县共有养老机构20个。", "20个", "../2023", None),
    ("2025-11", "如今，全村有民宿30家。", "30家", "../2025-11", None),
    ("2025-11", "近3年，全县累计减贫3万人。", "3万人", "2023/2025", None),
    ("2025-11", "过去五年，全县累计减贫10万人。", "10万人", "2021/2025", None),
    ("2025-11", "近年来，全市累计建成高标准农田100万亩。", "100万亩", None, None),
    ("2025-11", "到2027年，全市农村居民人均可支配收入将达到2万元。", "2万元", "2027", None),
    ("2025-11", "力争到年底，全县新增就业1万人。", "1万人", "2025", None),
    ("2025-11", "“十四五”期间，全市累计投入资金300亿元。", "300亿元", "2021/2025", None),
    ("2025-11", "“十四五”以来，全市累计投入资金300亿元。", "300亿元", "2021/2025-11", None),
    ("2025-11", "2022年底，全市常住人口500万人，比2021年底减少2万人。", "2万人", "2022", "2021"),
    ("2025-11", "去年全市粮食产量60万吨，前年55万吨。", "55万吨", "2023", None),
    ("2025-11", "今年以来，全县新增就业1.2万人，同比增长5%。", "5%",
     "2025/2025-11", "2024/2024-11"),
    ("2025-11", "3年前，全市缴存职工17.5万人。", "17.5万人", "2022", None),
    ("2025-11", "与2020年相比，全市森林覆盖率提高5个百分点。", "5个百分点", None, "2020"),
    # A month with no year is the latest one over by the publication.
    ("2024-01", "12月28日，全县发放贷款1亿元。", "1亿元", "2023-12-28", None),
    ("2024-01", "1—11月，全县新增就业1万人。", "1万人", "2023-01/2023-11", None),
    ("2025-11-03", "截至目前，全县累计回引8万人。", "8万人", "../2025-11-03", None),
    # A paper known only to the year: 今年 resolves, 上个月 cannot.
    ("2025", "截至目前，全县累计回引8万人。", "8万人", "../2025", None),
    ("2025", "上个月，全县新增就业1万人。", "1万人", None, None),
]


@pytest.mark.parametrize("published,sentence,figure,period,base", STYLE_CASES,
                         ids=[f"{c[0]}-{c[1][:8]}-{c[2]}" for c in STYLE_CASES])
def test_other_styles(gazetteer, published, sentence, figure, period, base):
    m = find(resolve(sentence, gazetteer, published), sentence, figure)
    assert (label(m.period), label(m.base_period)) == (period, base)


def test_time_expressions_of_a_sentence():
    found = time_expressions("截至目前，全市住房公积金累计归集总额突破460亿元，较3年前增长37.8%；"
                             "过去3年新增归集总额126亿元。", PublicationDate.parse("2025-11"))
    assert [(e.text, e.comparison is not None) for e in found] == [
        ("截至目前", False), ("较3年前", True), ("过去3年", False)]
    # Words that only look like dates: 如今年轻人, 提前年度, 2月30日.
    assert time_expressions("如今年轻人提前年度完成，2月30日。", None)[0].text == "如今"
    assert len(time_expressions("如今年轻人提前年度完成，2月30日。", None)) == 1


def _first_characters(items) -> tuple[set[str], set, bool]:
    """The characters (and categories such as \\d) a parsed regex sequence can begin with,
    and whether it can match the empty string."""
    from re import _constants as sre

    chars: set[str] = set()
    categories: set = set()
    for op, av in items:
        if op is sre.LITERAL:
            return chars | {chr(av)}, categories, False
        if op is sre.IN:
            for kind, value in av:
                if kind is sre.LITERAL:
                    chars.add(chr(value))
                elif kind is sre.RANGE:
                    chars.update(map(chr, range(value[0], value[1] + 1)))
                else:
                    assert kind is sre.CATEGORY, kind
                    categories.add(value)
            return chars, categories, False
        if op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT):
            continue  # zero width
        alternatives = {sre.SUBPATTERN: lambda: [av[3]], sre.BRANCH: lambda: av[1],
                        sre.MAX_REPEAT: lambda: [av[2]], sre.MIN_REPEAT: lambda: [av[2]]}[op]()
        empty = False
        for alternative in alternatives:
            c, k, e = _first_characters(alternative)
            chars, categories, empty = chars | c, categories | k, empty or e
        if not empty and not (op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] == 0):
            return chars, categories, False
    return chars, categories, True


def test_time_expressions_start_with_the_listed_characters():
    parser = pytest.importorskip("re._parser")
    from re import _constants as sre

    from pipelines.text import context

    chars, categories, empty = _first_characters(parser.parse(context._TIME.pattern))
    assert not empty and categories <= {sre.CATEGORY_DIGIT}
    assert all(context._TIME_STARTS.match(ch) for ch in chars)
    assert context._TIME_STARTS.match("٣")  # \d: any digit, as in _TIME
    rng = random.Random(7)
    pieces = ["2023年", "今年", "上半年", "同比", "比上年", "截至目前", "以来", "3年来", "全年",
              "1—10月", "前三季度", "，", "全县", "增长", "5%", "到", "“十四五”末", "当月", "近年来"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert ([m.span() for m in context._time_matches(text)]
                == [m.span() for m in context._TIME.finditer(text)])


# --- spans of months, 当月, 同期, 全年, 以来 with no start, and clause scope ---------------

MORE_STYLE_CASES = [
    # (publication, text, figure, period, base period)
    # 前N个月 / 前N月 are months 1..N; a 同比 on a span is the same span a year earlier.
    ("2025-11", "前8个月，全市外贸进出口额45亿元，较上年同期增长12%。", "45亿元",
     "2025-01/2025-08", None),
    ("2025-11", "前8个月，全市外贸进出口额45亿元，较上年同期增长12%。", "12%",
     "2025-01/2025-08", "2024-01/2024-08"),
    ("2025-11", "全省前7月快递业务量8.6亿件，同比增长15%。", "15%",
     "2025-01/2025-07", "2024-01/2024-07"),
    ("2025-11", "入驻企业提前3个月投产，年产值2亿元。", "2亿元", None, None),  # 提前, no period
    # 当月 is the month just named; 环比 on a month is the month before.
    ("2025-11", "1至9月，全县社会消费品零售总额70亿元；9月当月，全县零售额8亿元，环比增长1.2%。",
     "8亿元", "2025-09", None),
    ("2025-11", "1至9月，全县社会消费品零售总额70亿元；9月当月，全县零售额8亿元，环比增长1.2%。",
     "1.2%", "2025-09", "2025-08"),
    ("2025-11", "当月，全县零售额8亿元。", "8亿元", None, None),  # no month to refer to
    # 比年初, 比上年末: the start of the figure's year, the end of the year before.
    ("2025-11", "截至9月末，全市贷款余额1500亿元，比年初增加120亿元，较上年末增长8.7%。",
     "120亿元", "../2025-09", "2025-01"),
    ("2025-11", "截至9月末，全市贷款余额1500亿元，比年初增加120亿元，较上年末增长8.7%。",
     "8.7%", "../2025-09", "2024"),
    ("2025-11", "全市光伏装机300万千瓦，比2022年末翻一番。", "翻一番", None, "2022"),
    ("2025-11", "2024年末，全县存款余额90亿元，比2024年初增加6亿元。", "6亿元", "2024", "2024-01"),
    # 全年 and 年内 take the year in force; 全年目标 names a goal.
    ("2025-11", "去年，全县粮食总产量40万吨，全年农村居民人均可支配收入1.5万元。", "1.5万元",
     "2024", None),
    ("2025-11", "力争年内完成投资10亿元。", "10亿元", "2025", None),
    ("2025-11", "一季度，全县新增就业3000人，完成全年目标任务的30%。", "30%", "2025-Q1", None),
    # 当年 is the year just named.
    ("2025-11", "2018年，他种下30亩苹果，当年收入2万元。", "2万元", "2018", None),
    # 以来 with no start: founding verbs give "as of"; a campaign is vague.
    ("2025-11", "合作社成立以来，累计分红200万元。", "200万元", "../2025-11", None),
    ("2024", "驿站投运以来，累计接待群众1.2万人次。", "1.2万人次", "../2024", None),
    ("2025-11", "专项行动开展以来，全县办结实事300件。", "300件", None, None),
    # An expression in a later clause carries to the end of the sentence …
    ("2025-11", "分县区看，镇雄县前三季度地区生产总值增长6%，增速居全市第一；彝良县增长5.5%。",
     "5.5%", "2025-01/2025-09", "2024-01/2024-09"),
    ("2025-11", "全县共有合作社300个，其中2023年新建50个，带动农户2000户。", "2000户", "2023", None),
    # … but an attributive date dates only the figure it modifies.
    ("2025-11", "截至目前，全县转移就业率由2020年的70%提升到2025年的85%，带动增收3亿元。", "70%",
     "2020", None),
    ("2025-11", "截至目前，全县转移就业率由2020年的70%提升到2025年的85%，带动增收3亿元。", "85%",
     "2025", None),
    ("2025-11", "截至目前，全县转移就业率由2020年的70%提升到2025年的85%，带动增收3亿元。", "3亿元",
     "../2025-11", None),
    # A multiple of an attributive date has it as base.
    ("2025-11", "今年全县GDP达到300亿元，是2015年的2倍。", "2倍", "2025", "2015"),
    ("2025-11", "今年他家收入8万元，是过去种粮时的5倍。", "5倍", "2025", None),
    # A duration is dated only by its own clause or a leading expression.
    ("2025-11", "她说，我上个月领到工资6000元，走路上班只要10分钟。", "10分钟", None, None),
    ("2025-11", "今年以来，全县新增就业1.2万人，审批时限压缩至3个工作日。", "3个工作日",
     "2025/2025-11", None),
]


@pytest.mark.parametrize("published,text,figure,period,base", MORE_STYLE_CASES,
                         ids=[f"{c[0]}-{c[1][:8]}-{c[2]}" for c in MORE_STYLE_CASES])
def test_more_styles(gazetteer, published, text, figure, period, base):
    m = find(resolve(text, gazetteer, published), "", figure)
    assert (label(m.period), label(m.base_period)) == (period, base)


def test_same_period_and_same_month_open_a_sentence(gazetteer):
    text = ("上半年，全市地区生产总值620亿元，同比增长5.1%。同期，全省增长4.3%，同比增速为4.3%。"
            "分行业看，农业增长3%。")
    mentions = resolve(text, gazetteer, "2025-11")
    assert [(m.quantity.text, label(m.period), label(m.base_period)) for m in mentions] == [
        ("620亿元", "2025-H1", None), ("5.1%", "2025-H1", "2024-H1"),
        ("4.3%", "2025-H1", "2024-H1"), ("4.3%", "2025-H1", "2024-H1"),
        ("3%", None, None)]  # nothing else carries across sentences
    monthly = resolve("1月份，全市接待游客200万人次。当月，全市旅游收入20亿元。", gazetteer, "2025-02")
    assert label(find(monthly, "当月", "20亿元").period) == "2025-01"
    alone = resolve("同期，全省增长4.3%。", gazetteer, "2025-11")  # nothing before it
    assert (alone[0].period, alone[0].period_source) == (None, "vague")


# --- the reference year of an article: 全年, 年末, 年初 with no year ----------------------

def test_reference_year_from_the_headline(gazetteer):
    text = ("# 彝良县2023年国民经济和社会发展统计公报\n\n"
            "全年全县生产总值180亿元，比上年增长5%。\n\n"
            "年末常住人口50万人，比上年末减少0.2万人。年末金融机构存款余额200亿元，比年初增加12亿元。\n\n"
            "1—6月，全县完成固定资产投资30亿元。")
    mentions = resolve(text, gazetteer, "2024-04")
    assert [(m.quantity.text, label(m.period), label(m.base_period), m.period_source)
            for m in mentions] == [
        ("180亿元", "2023", None, "reference year"), ("5%", "2023", "2022", "reference year"),
        ("50万人", "2023", None, "reference year"), ("0.2万人", "2023", "2022", "reference year"),
        ("200亿元", "2023", None, "reference year"), ("12亿元", "2023", "2023-01", "reference year"),
        # a month with no year takes the year the headline states
        ("30亿元", "2023-01/2023-06", None, "reference year")]
    assert {m.place.name for m in mentions} == {"彝良县"}


def test_reference_year_of_a_bulletin_with_no_year_in_its_headline(gazetteer):
    text = "# 盐津县国民经济和社会发展统计公报\n\n全年全县地区生产总值120亿元，比上年增长4%。"
    for published in ("2025-04", "2025-09"):  # the year reported is over, whatever the month
        m = find(resolve(text, gazetteer, published), "全年", "4%")
        assert (label(m.period), label(m.base_period)) == ("2024", "2023")


def test_reference_year_from_the_first_paragraph(gazetteer):
    text = ("# 绥江县经济运行简况\n\n2024年，绥江县经济稳中有进。全年全县接待游客300万人次，同比增长8%。"
            "\n\n年末全县户籍人口16万人。")
    assert [(m.quantity.text, label(m.period), label(m.base_period))
            for m in resolve(text, gazetteer, "2025-03")] == [
        ("300万人次", "2024", None), ("8%", "2024", "2023"), ("16万人", "2024", None)]
    # A story's old year is no reporting year: the publication's year stands.
    story = "# 大关县：竹编合作社见闻\n\n2018年，李明返乡创办竹编合作社。\n\n全年合作社销售额达500万元。"
    m = find(resolve(story, gazetteer, "2025-11"), "全年", "500万元")
    assert (label(m.period), m.period_source) == ("2025", "publication date")


def test_reference_year_function(gazetteer):
    from pipelines.text.context import ReferenceYear, reference_year

    def ref(text, published):
        sentences = parse_document(text).articles[0].sentences
        return reference_year(sentences, PublicationDate.parse(published) if published else None)

    assert ref("# 2024年鲁甸县经济运行情况\n\n正文。", "2025-11") == ReferenceYear(2024, "headline")
    assert ref("# 某县统计年报\n\n正文。", "2025-05") == ReferenceYear(2024, "review")
    assert ref("# 新闻\n\n去年，全县经济平稳。", "2025-02") == ReferenceYear(2024, "first paragraph")
    assert ref("# 新闻\n\n正文。", "2025-11") == ReferenceYear(2025, "publication date")
    assert ref("# 新闻\n\n正文。", None) is None
    assert ref("# 2024年鲁甸县经济运行情况\n\n正文。", None) == ReferenceYear(2024, "headline")


# --- places: comparisons, enumerations, 是, foreign regions, paragraphs -------------------

def places_of(text: str, gazetteer: Gazetteer, published: str = "2025-11") -> list[tuple]:
    return [(m.quantity.text, m.place.name if m.place else None)
            for m in resolve(text, gazetteer, published)]


def test_a_comparison_base_is_not_the_place(gazetteer):
    text = ("# 水富市经济观察\n\n前三季度，水富市规上工业增加值增长9%，增速比全省高1.2个百分点，"
            "高于全国平均水平2个百分点。与全省平均水平相比，全市人均收入高出3个百分点。")
    assert places_of(text, gazetteer) == [("9%", "水富市"), ("1.2个百分点", "水富市"),
                                          ("2个百分点", "水富市"), ("3个百分点", "水富市")]


def test_enumerated_regions_are_members_not_the_place(gazetteer):
    text = "# 永善县苹果俏销\n\n永善县苹果销往上海、广东等10多个省市，年销售额5亿元。"
    assert places_of(text, gazetteer) == [("10多个", "永善县"), ("5亿元", "永善县")]


def test_the_subject_before_shi_is_the_place_of_later_clauses(gazetteer):
    text = "镇雄县是全省人口第一大县，总人口170万人。"
    assert places_of(text, gazetteer) == [("170万人", "镇雄县")]
    # Inside the predicate's own clause the nearer name is the subject of the figure.
    assert places_of("马树镇是巧家县3个花椒主产镇之一。", gazetteer) == [("3个", "巧家县")]


def test_a_foreign_region_is_no_focus_for_later_sentences(gazetteer):
    text = ("# 威信县：返乡创业添活力\n\n在威信县扎西镇，返乡青年张强曾在深圳打工8年，月薪1万元。"
            "“家乡政策好，我回来办了厂。”他说，去年工厂产值达300万元。\n\n工厂现有工人50名。")
    assert places_of(text, gazetteer) == [
        ("8年", "深圳市"), ("1万元", "深圳市"),  # its own sentence
        ("300万元", "威信县"), ("50名", "威信县")]
    mentions = resolve(text, gazetteer, "2025-11")
    assert find(mentions, "工人", "50名").place_source == "article focus"


def test_scope_words_skip_predicates_and_know_county_level_cities(gazetteer):
    text = "# 水富市见闻\n\n水富市是昭通市唯一的县级市，全市有人口15万人。"
    assert places_of(text, gazetteer) == [("15万人", "水富市")]


# --- reviews of a year: dated subtitles, 工作报告/总结/回顾, N年来 up to the year reviewed ------

def test_a_work_report_reviews_the_year_before_its_delivery(gazetteer):
    text = ("# 威信县人民政府工作报告\n\n——2025年1月8日在威信县第十八届人民代表大会第四次会议上\n\n"
            "过去一年，全县经济稳中有进。全年完成地区生产总值98亿元，增长5.1%。"
            "年末住户存款余额80亿元，比年初增加6亿元。\n\n"
            "过去五年，全县累计减贫4万人，地区生产总值年均增长7%。\n\n"
            "今年全县经济社会发展的主要预期目标是：地区生产总值增长6%左右，新增就业5000人。"
            "未来五年，全县力争建成高标准农田10万亩。")
    mentions = resolve(text, gazetteer, "2025-01")
    assert [(m.quantity.text, label(m.period), label(m.base_period)) for m in mentions] == [
        ("98亿元", "2024", None), ("5.1%", "2024", "2023"),  # growth with no base: on a year
        ("80亿元", "2024", None), ("6亿元", "2024", "2024-01"),
        ("4万人", "2020/2024", None), ("7%", "2020/2024", "2019"),  # 年均: from before the span
        ("6%左右", "2025", "2024"), ("5000人", "2025", None),  # 今年: the publication's year
        ("10万亩", "2025/2029", None)]
    assert {m.place.name for m in mentions} == {"威信县"}


@pytest.mark.parametrize("headline,published,year", [
    ("# 镇雄县2024年工作总结", "2025-02", 2024),  # a year named: that year
    ("# 昭阳区教育工作回顾", "2025-01", 2024),  # a review naming no period: the year before
    ("# 永善县上半年工作总结", "2025-07", 2025),  # a half-year review is no year's review
    ("# 回顾峥嵘岁月 传承红色基因", "2025-07", 2025),  # 回顾 as a verb: no review
    ("# 盐津县统计公报发布", "2025-04", 2024),
    ("# 大关县：春耕生产忙\n\n——2025年3月12日记者走访", "2025-03", 2025),  # a full date: when
])
def test_reference_year_of_reviews_and_dated_subtitles(headline, published, year):
    from pipelines.text.context import reference_year
    sentences = parse_document(headline + "\n\n正文。").articles[0].sentences
    assert reference_year(sentences, PublicationDate.parse(published)).year == year


# --- growth rates with no base, forecasts and targets ---------------------------------------

GROWTH_CASES = [
    # (publication, text, figure, period, base period)
    # A growth rate with no comparison written is year on year, verb or noun, any period.
    ("2025-05", "一季度，全县规模以上工业增加值增长8.5%，固定资产投资下降3.2%。", "3.2%",
     "2025-Q1", "2024-Q1"),
    ("2025-04", "3月份，全市居民消费价格上涨0.4%。", "0.4%", "2025-03", "2024-03"),
    ("2025-11", "1至9月，全县社会消费品零售总额增长6.1%；其中，限额以上单位零售额增长4%。", "4%",
     "2025-01/2025-09", "2024-01/2024-09"),
    ("2025-11", "今年以来，全市外贸进出口额增长12%。", "12%", "2025/2025-11", "2024/2024-11"),
    # Not a growth rate: a level, a gap to another place, a change of no calendar period.
    ("2025-11", "前三季度，全县城镇化率为48%。", "48%", "2025-01/2025-09", None),
    ("2025-11", "前三季度，全县增速高于全市1.2个百分点。", "1.2个百分点", "2025-01/2025-09", None),
    ("2025-11", "截至目前，全县贷款余额增长9%。", "9%", "../2025-11", None),
    # A comparison of a growth rate compares that rate only; the next rate is year on year.
    ("2025-11", "上半年，全市固定资产投资增长4.1%，增速比一季度加快1.3个百分点；民间投资增长2%。",
     "1.3个百分点", "2025-H1", "2025-Q1"),
    ("2025-11", "上半年，全市固定资产投资增长4.1%，增速比一季度加快1.3个百分点；民间投资增长2%。",
     "2%", "2025-H1", "2024-H1"),
    # A mean yearly rate: from the year before a span of years, else no base.
    ("2025-11", "近三年，全县农村居民人均可支配收入年均增长8%。", "8%", "2023/2025", "2022"),
    ("2025-11", "到2030年，全市数字经济规模年均增长15%以上。", "15%以上", "2030", None),
    # Forecasts and targets look forward: a quarter, half or month with no year is the first
    # not yet over, and 全年 after it is that year.
    ("2025-10-20", "预计四季度全县工业增加值增速将达7%，全年增速有望保持在6%左右。", "7%",
     "2025-Q4", "2024-Q4"),
    ("2025-10-20", "预计四季度全县工业增加值增速将达7%，全年增速有望保持在6%左右。", "6%左右",
     "2025", "2024"),
    ("2025-11", "力争上半年，全市新开工项目100个。", "100个", "2026-H1", None),
    ("2025-11", "预计12月，全县发电量将达3亿千瓦时。", "3亿千瓦时", "2025-12", None),
    # … but not a period told as past, nor one whose clause holds no forecast word.
    ("2025-11", "上半年，全县完成目标任务的60%。", "60%", "2025-H1", None),
    ("2025-11", "按照年度目标，上半年全县完成投资20亿元。", "20亿元", "2025-H1", None),
    # A multiple of a five-year plan's period has it as base; later figures keep their period.
    ("2025-11", "五年来，全市累计完成投资900亿元，是“十三五”时期的1.6倍；新建农村公路3000公里。",
     "1.6倍", "2021/2025", "2016/2020"),
    ("2025-11", "五年来，全市累计完成投资900亿元，是“十三五”时期的1.6倍；新建农村公路3000公里。",
     "3000公里", "2021/2025", None),
]


@pytest.mark.parametrize("published,text,figure,period,base", GROWTH_CASES,
                         ids=[f"{c[0]}-{c[1][:8]}-{c[2]}" for c in GROWTH_CASES])
def test_growth_rates_forecasts_and_multiples(gazetteer, published, text, figure, period, base):
    m = find(resolve(text, gazetteer, published), "", figure)
    assert (label(m.period), label(m.base_period)) == (period, base)


# --- places: rankings, origins, parts, 全镇 outside the sheet, paragraphs -------------------

def test_a_ranking_scope_is_not_the_place(gazetteer):
    text = ("# 大关县：安置区里稳就业\n\n靖安新区是全市规模最大的安置区之一，安置群众3万余人。"
            "安置区就业率居全省前列，达到92%。\n\n全省第一产业增加值增长4%。")
    assert places_of(text, gazetteer) == [
        ("3万余人", "靖安新区"), ("92%", "靖安新区"), ("4%", "云南省")]  # 第一产业: no rank
    text = "# 大关县：安置区里稳就业\n\n新区是全省规模最大的安置区之一，安置群众3万余人。"
    assert places_of(text, gazetteer) == [("3万余人", "大关县")]
    text = "# 大关县新闻\n\n全县户籍人口29万人，人均收入位居全市第三，增幅全市领先，达7%。"
    assert places_of(text, gazetteer) == [("29万人", "大关县"), ("7%", "大关县")]
    # The subject before a ranking, and a quarter, are no ranks.
    text = "# 大关县新闻\n\n我县粮食产量居全市第一，达30万吨。全市第一季度新增就业1万人。"
    assert places_of(text, gazetteer) == [("30万吨", "大关县"), ("1万人", "昭通市")]


def test_an_origin_is_not_the_place(gazetteer):
    text = ("# 昭阳区：搬迁群众稳岗增收\n\n在昭阳区靖安新区，一批群众搬进了新居。\n\n"
            "从巧家县迁来的张大姐今年52岁，在社区工厂上班，每月收入3000元。"
            "自永善县返乡创业的小王，去年带动就业20人。")
    assert places_of(text, gazetteer) == [("52岁", "昭阳区"), ("3000元", "昭阳区"),
                                          ("20人", "昭阳区")]


def test_a_part_after_qizhong_is_not_the_place_of_figures_before_it(gazetteer):
    text = ("# 昭通经济观察\n\n分县区看，前三季度11个县（市、区）中有8个增速高于全市平均水平，"
            "其中镇雄县地区生产总值增长7.2%，总量达420亿元。")
    assert places_of(text, gazetteer) == [("11个", "昭通市"), ("8个", "昭通市"),
                                          ("7.2%", "镇雄县"), ("420亿元", "镇雄县")]


def test_a_township_scope_word_outside_the_sheet_means_its_county(gazetteer):
    text = ("# 绥江县：李子挂满枝\n\n——绥江县板栗镇见闻\n\n"
            "全镇种植李子2万亩，全村人均增收3000元。“明年全乡再扩种五百亩。”")
    mentions = resolve(text, gazetteer, "2025-07")
    assert [(m.quantity.text, m.place.name, m.place_source) for m in mentions] == [
        ("2万亩", "绥江县", "全镇 → the region in focus containing it"),
        ("3000元", "绥江县", "全村 → the region in focus containing it"),
        ("五百亩", "绥江县", "全乡 → the region in focus containing it")]
    # A village in focus is the place of 全村; 全县 with no county in focus stays None.
    assert places_of("中坝村地处山区。全村种茶500亩。", gazetteer) == [("500亩", "中坝村")]
    assert places_of("全区新增就业1万人。", gazetteer) == [("1万人", None)]


def test_focus_stays_in_its_paragraph_but_a_quote_goes_on_in_the_scene(gazetteer):
    text = ("# 巧家县：产业兴旺\n\n马树镇幸福里社区建起帮扶车间，吸纳就业300人。\n\n"
            "全年全县新增市场主体2000户，实现旅游收入15亿元。\n\n"
            "“在家门口上班，每月能挣3500元。”居民李芳说。她今年38岁。")
    mentions = resolve(text, gazetteer, "2025-11")
    assert [(m.quantity.text, m.place.name, m.place_source) for m in mentions] == [
        ("300人", "幸福里社区", "named"),
        ("2000户", "巧家县", "全县 → county in focus"),
        ("15亿元", "巧家县", "全县 → county in focus"),
        # a paragraph opening with a quote goes on in the scene before it …
        ("3500元", "巧家县", "scene of the paragraph before"),
        ("38岁", "巧家县", "scene of the paragraph before")]
    text = ("# 巧家县：产业兴旺\n\n马树镇幸福里社区建起帮扶车间，吸纳就业300人。\n\n"
            "产业发展提质增效。新增市场主体2000户。\n\n“在家门口上班，每月能挣3500元。”")
    assert places_of(text, gazetteer) == [  # … and a paragraph naming none is the article's
        ("300人", "幸福里社区"), ("2000户", "巧家县"), ("3500元", "巧家县")]


# --- no publication date: relative periods stay open, explicit ones resolve -----------------

@pytest.mark.parametrize("seed", sorted(SEED_FILES))
def test_without_publication_date(gazetteer, seeds, seed):
    undated = resolve(read(SEEDS / SEED_FILES[seed]), gazetteer, None)
    assert len(undated) == len(seeds[seed])
    relative = explicit = 0
    for m, dated in zip(undated, seeds[seed]):
        assert m.quantity == dated.quantity and m.place == dated.place
        if dated.period_source == "publication date":
            relative += 1
            assert m.period is None and m.period_source == "needs publication date"
        else:
            explicit += dated.period is not None
            assert (m.period, m.period_source) == (dated.period, dated.period_source)
    assert relative and (explicit or seed == "000")


def test_without_publication_date_bases(gazetteer):
    m = find(resolve("截至目前，全市缴存职工总数突破24万人，较3年前净增6.5万人。", gazetteer, None),
             "较3年前", "6.5万人")
    assert (m.period, m.base_period) == (None, None)  # 3 years before an unknown date
    m = find(resolve("2023年，全县粮食产量达50万吨，较上年增长3.1%。", gazetteer, None),
             "较上年", "3.1%")
    assert (label(m.period), label(m.base_period)) == ("2023", "2022")


def test_publication_date_parsing():
    assert PublicationDate.parse("2025-11") == PublicationDate(date(2025, 11, 1), "month")
    assert PublicationDate.parse("2025").label == "2025"
    assert PublicationDate.parse("2025-11-03").label == "2025-11-03"
    with pytest.raises(ValueError):
        PublicationDate(date(2025, 1, 1), "week")


# --- agreement with the hand annotation ----------------------------------------------------

@pytest.mark.skipif(not ANNOTATIONS.exists(), reason="no hand annotation")
def test_agrees_with_the_hand_annotation(seeds):
    gold = [json.loads(line) for line in ANNOTATIONS.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    by_key: dict[tuple, Mention] = {}
    for seed, file in SEED_FILES.items():
        counts: dict[tuple, int] = {}
        for m in seeds[seed]:
            key = (file, m.sentence.text, m.quantity.text)
            by_key[(*key, counts.get(key, 0))] = m
            counts[key] = counts.get(key, 0) + 1
    pairs = [(g, by_key[k]) for g in gold
             if (k := (g["doc"], g["sentence"], g["text"], g["occurrence"])) in by_key]
    assert len(pairs) >= 0.9 * len(gold)
    for g, m in pairs:
        assert (label(m.period), label(m.base_period)) == (g["period"], g["base_period"]), g
    places_right = sum((m.place.name if m.place else None) == g["place"] for g, m in pairs)
    assert places_right >= 0.9 * len(pairs)


# --- robustness ----------------------------------------------------------------------------

def test_offsets_are_valid_on_the_seeds(seeds):
    for seed, mentions in seeds.items():
        text = read(SEEDS / SEED_FILES[seed])
        for m in mentions:
            q, s = m.quantity, m.sentence
            assert s.text[q.start:q.end] == q.text
            start = s.to_doc_offset(q.start)
            assert text[start] == q.text[0]


def test_random_text_never_crashes(gazetteer):
    rng = random.Random(20251124)
    pieces = list("0123456789年月日号至到—-比较同环截止目前今去前明上下半季度第一二三四五六七八九十两"
                  "〇初底末以来自从近过个后续全县市省区镇乡村社中心局“”，。；：、 \n%万亿元人") + [
        "\n\n", "# ", "截至", "以来", "3年来", "2023年", "同比增长", "全县", "有限公司", "镇雄县",
        "昭通", "幸福里社区", "“十五五”末", "12月31日", "2月30日"]
    dates = [None, PublicationDate.parse("2025-11"), PublicationDate.parse("2024"),
             PublicationDate.parse("2024-02-29")]
    for i in range(1500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 200)))
        for m in resolve_document(parse_document(text), gazetteer, dates[i % len(dates)]):
            q = m.quantity
            assert 0 <= q.start < q.end <= len(m.sentence.text)
            assert m.sentence.text[q.start:q.end] == q.text
            if m.period and m.period.start:
                assert m.period.start <= m.period.end


# --- found by fuzzing (issue 10) -------------------------------------------------------------

@pytest.mark.parametrize("text", ["〇〇〇〇年收入5元。", "九九九九年收入5元。", "〇〇〇零年收入增长5%。"])
def test_a_year_in_chinese_digits_that_is_no_date_is_skipped(gazetteer, text):
    # Was ValueError (year 0 is out of range) from the period of the figure, outside any try.
    [m] = resolve(text, gazetteer, "2025-11")
    assert m.period is None


def test_a_year_in_chinese_digits_reads_digit_by_digit(gazetteer):
    # 二〇二三年 was read as 3034: each digit was its index in "〇零一二…九", plus one.
    [m] = resolve("二〇二三年全县农村居民收入同比增长5%。", gazetteer, "2025-11")
    assert (label(m.period), label(m.base_period)) == ("2023", "2022")
