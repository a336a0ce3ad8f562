"""Articles, blocks and sentences from the seed files and from small articles in their style."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from pipelines.text.structure import (Article, Byline, Document, Span, parse_document,
                                      sentence_bounds)

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "documents"
SEED_FILES = {"000": "000_e7477d3aa7d3b9e2.txt", "002": "002_c24e9d97611dbda4.txt"}

# Every page-column break in the seeds: (seed, text before the cut, text after it).
JUNCTIONS = [
    ("000", "还能陪伴孩子，实现", "了工作与家庭的双向圆满。"),
    ("000", "全县累计回引8.12", "万人返乡创业就业，"),
    ("000", "真正“链”出了带动群", "众增收的“金山”。"),
    ("000", "组织就地就近就业2万人次，其中", "50岁以上大龄劳动力"),
    ("000", "贷款政策，拓宽使用", "渠道，让公积金真正成为"),
    ("000", "多子女家庭、高", "层次人才的贷款额度"),
    ("000", "提前还款等30余项高频业务，占全", "部业务种类的90%以上。"),
    ("000", "精准防控贷款风险，保障资产质", "量。建立贷前、"),
    ("002", "昭通市常年转移就业260万人以上，年务工", "总收入超800亿元，"),
    ("002", "变的是目标阶段和任务重点，不", "变的是责任和使命："),
    ("002", "办好一项项民生实事就是最好", "的路径。"),
]


def seed(name: str) -> str:
    return (SEEDS / SEED_FILES[name]).read_text(encoding="utf-8")


@pytest.fixture(scope="module", params=sorted(SEED_FILES))
def seed_pair(request) -> tuple[str, str, Document]:
    text = seed(request.param)
    return request.param, text, parse_document(text)


def texts(article: Article, kind: str) -> list[str]:
    return [b.text for b in article.blocks if b.kind == kind]


def junction_points(doc: Document) -> list[tuple[int, int]]:
    """(end of the left piece, start of the right piece) wherever a block was glued."""
    return [(left_end, right_start)
            for article in doc.articles for block in article.blocks
            for (_, left_end), (right_start, _) in zip(block.pieces, block.pieces[1:])]


def assert_span_valid(text: str, span: Span) -> None:
    assert span.text, "no empty blocks or sentences"
    assert span.text == "".join(text[a:b] for a, b in span.pieces)
    previous_end = 0
    for a, b in span.pieces:
        assert previous_end <= a < b <= len(text)
        previous_end = b
    assert (span.start, span.end) == (span.pieces[0][0], span.pieces[-1][1])
    for i, ch in enumerate(span.text):
        assert text[span.to_doc_offset(i)] == ch
    assert span.to_doc_offset(len(span.text)) == span.end


def assert_document_valid(text: str, doc: Document) -> None:
    spans = [*doc.blocks, *doc.sentences]
    for article in doc.articles:
        assert article.blocks
        spans += [*article.blocks, *article.sentences]
        for sentence in article.sentences:
            block = article.blocks[sentence.block_index]
            assert sentence.kind == block.kind
            assert block.start <= sentence.start < sentence.end <= block.end
    for span in spans:
        assert_span_valid(text, span)


# --- Seed 000: two markdown articles ---------------------------------------------------

def test_seed_000_articles_headlines_subtitles_bylines():
    doc = parse_document(seed("000"))
    assert doc.blocks == ()
    first, second = doc.articles
    assert first.headline == "48万群众家门口圆就业梦"
    assert first.subtitle == "昭通市以园区为基、创业为翼绘就乡村振兴新图景"
    assert first.bylines == (Byline("记者", ("李明坤",), "文/图"),)
    assert second.headline == "砥砺奋进铸华章 安居惠民谱新篇"
    assert second.subtitle == "昭通市住房公积金事业发展三年成就纪实"
    assert second.byline == Byline("通讯员", ("杨天顺",), "文/图")
    assert first.end < second.start


def test_seed_000_headings_are_headings():
    first, second = parse_document(seed("000")).articles
    assert texts(first, "heading") == [
        "从“漂泊务工”变“顾家增收”", "把“闲置车间”变“产业金链”", "让“大龄难题”变“社区动能”"]
    assert texts(second, "heading") == [
        "扩面强基 织密普惠保障网", "精准施策 圆百姓安居梦想", "数字赋能 服务效能跑出加速度",
        "规范运营 筑牢资金安全网", "党建引领 凝聚发展向心力"]
    assert {b.level for b in first.blocks if b.kind == "heading"} == {2}


def test_seed_000_captions_are_captions_not_paragraphs():
    first, second = parse_document(seed("000")).articles
    assert texts(first, "caption") == ["镇雄县绿色产业园区的工人正在工作。", "巧家县马树镇草莓产业园里务工的群众。"]
    assert texts(second, "caption") == ["市住房公积金管理中心工作人员正在办理业务。"]
    paragraphs = texts(first, "paragraph") + texts(second, "paragraph")
    assert not any("正在工作。" in p or "务工的群众。" in p or "办理业务。" in p for p in paragraphs)
    # The short closing paragraph is not a caption: only one blank line sets it apart.
    assert texts(first, "paragraph")[-1].startswith("一张张“家门口就业”的幸福答卷")


def test_seed_000_broken_number_paragraph_is_whole():
    first = parse_document(seed("000")).articles[0]
    whole = "累计回引8.12万人返乡创业就业，其中创业2.83万人，就业5.29万人。"
    [paragraph] = [p for p in first.blocks if whole in p.text]
    assert paragraph.kind == "paragraph" and paragraph.repaired and not paragraph.truncated
    assert paragraph.text.startswith("归雁还巢兴故里") and paragraph.text.endswith("正持续吸引更多“候鸟”归巢。")
    sentence = next(s for s in first.sentences if s.text == "截至目前，全县" + whole)
    assert len(sentence.pieces) == 2


def test_quote_from_repaired_text_is_found_again_in_the_file():
    text = seed("000")
    first = parse_document(text).articles[0]
    block = next(b for b in first.blocks if "8.12万人" in b.text)
    i = block.text.index("8.12万人")
    assert text[block.to_doc_offset(i):block.to_doc_offset(i) + 4] == "8.12"
    assert text[block.to_doc_offset(i + 4):].startswith("万人返乡")
    assert block.to_doc_offset(i + 4) - block.to_doc_offset(i + 3) > 1  # the gap is skipped


def test_seed_000_markdown_line_break_keeps_paragraphs_apart():
    first = parse_document(seed("000")).articles[0]
    paragraphs = texts(first, "paragraph")
    i = next(i for i, p in enumerate(paragraphs) if p.startswith("“这个年纪外出找活难"))
    assert paragraphs[i].endswith("赞不绝口。")
    assert paragraphs[i + 1].startswith("解决农村大龄劳动力就业难题")


# --- Seed 002: bare headline article and a signed commentary ---------------------------

def test_seed_002_articles_and_bylines():
    report, commentary = parse_document(seed("002")).articles
    assert report.headline == "脱贫群众持续增收的“昭通答卷”"
    assert report.subtitle is None
    assert report.bylines == (Byline("记者", ("田朝艳",), None),)
    assert commentary.headline == "解群众之需 拓增收之路"
    assert commentary.bylines == (Byline(None, ("杨明",), None),)


def test_seed_002_headings_include_bare_lines_and_kicker():
    report, commentary = parse_document(seed("002")).articles
    assert texts(report, "heading") == [
        "接续奋斗", "把总书记交办的事情办好", "补齐民生短板，铺筑群众稳定致富路",
        "产业引领就业助推，激发增收澎湃动能", "实现人均纯收入1万元以下的群众全部清零"]
    assert texts(commentary, "heading") == []


def test_seed_002_cut_paragraph_stays_truncated_before_note():
    report, commentary = parse_document(seed("002")).articles
    *_, last_paragraph, note = report.blocks
    assert last_paragraph.kind == "paragraph"
    assert last_paragraph.text.endswith("部门比对线下排查“双线并行”的常")
    assert last_paragraph.truncated and not last_paragraph.repaired
    assert (note.kind, note.text) == ("note", "(本版图片来源于昭通日报社图库)")
    assert commentary.blocks[2].text.startswith("“凡治国之道，必先富民。”")
    truncated = [b for a in (report, commentary) for b in a.blocks if b.truncated]
    assert truncated == [last_paragraph]


def test_seed_002_trailing_captions():
    commentary = parse_document(seed("002")).articles[1]
    assert texts(commentary, "caption") == [
        "彝绣文创产业。", "村集体分红。", "巧家县天生梁子移民安置区迎春社区儿童活动中心。",
        "昭通苹果喜获丰收。", "昭通天麻。"]
    assert [b.kind for b in commentary.blocks[-5:]] == ["caption"] * 5


def test_seed_002_whole_sentence_across_page_break():
    report = parse_document(seed("002")).articles[0]
    whole = "昭通市常年转移就业260万人以上，年务工总收入超800亿元，就业率达86.9%。"
    [sentence] = [s for s in report.sentences if s.text == whole]
    assert sentence.kind == "paragraph" and len(sentence.pieces) == 2


def test_seed_002_three_piece_paragraph():
    commentary = parse_document(seed("002")).articles[1]
    paragraph = commentary.blocks[3]
    assert len(paragraph.pieces) == 3
    assert paragraph.text.startswith("从脱贫攻坚到巩固拓展脱贫攻坚成果，变的是目标阶段和任务重点，不变的是")
    assert paragraph.text.endswith("就是最好的路径。")


# --- Both seeds -----------------------------------------------------------------------

COUNTS = {  # per article: paragraphs, headings, captions, notes
    "000": [(11, 3, 2, 0), (23, 5, 1, 0)],
    "002": [(29, 5, 0, 1), (3, 0, 5, 0)],
}


def test_seed_block_counts(seed_pair):
    name, _, doc = seed_pair
    assert [tuple(len(texts(a, k)) for k in ("paragraph", "heading", "caption", "note"))
            for a in doc.articles] == COUNTS[name]


def test_every_page_break_repaired_and_nothing_else_glued(seed_pair):
    name, text, doc = seed_pair
    expected = [(left, right) for s, left, right in JUNCTIONS if s == name]
    found = junction_points(doc)
    assert len(found) == len(expected)
    for left, right in expected:
        assert any(text.endswith(left, 0, end) and text.startswith(right, start)
                   for end, start in found), (left, right)
        assert any(left + right in b.text and b.repaired for a in doc.articles for b in a.blocks)


def test_seed_pieces_and_sentences_valid(seed_pair):
    _, text, doc = seed_pair
    assert_document_valid(text, doc)


EXPECTED_SENTENCES = {  # quotations keep their ”; ；does not end a sentence
    "000": ["“工资和外面差不多，还能照顾老人和小孩，比在外漂泊好太多了。”",
            "在镇雄县呢噜坪纺织服装产业园，39岁的向梅一边指导员工缝制服装，一边笑着说道。",
            "曾经，“背井离乡务工”是许多农村群众的无奈选择；如今，随着园区建设提速、闲置资源盘活、"
            "服务模式创新，越来越多的昭通人实现了在家门口就业。"],
    "002": ["“凡治国之道，必先富民。”",
            "“今年你儿子回来过年不？什么时候回来？在上海工作怎么样？”"],
}


def test_seed_sentences(seed_pair):
    name, _, doc = seed_pair
    sentences = [s.text for a in doc.articles for s in a.sentences]
    for expected in EXPECTED_SENTENCES[name]:
        assert expected in sentences
    assert not any(s.startswith(("”", "’", "）")) for s in sentences)


def test_headline_figures_are_sentences():
    first = parse_document(seed("000")).articles[0]
    assert (first.sentences[0].kind, first.sentences[0].text) == ("headline", "48万群众家门口圆就业梦")


# --- Small articles in the same style --------------------------------------------------

QUJING = """

# 3.5亿元基金撬动曲靖新能源电池产业

——曲靖市培育绿色能源产业链纪实

本报记者 王晓东 通讯员 李娜 文/图



曲靖经济技术开发区的电池生产线。

今年以来，曲靖市聚焦绿色能源与先进制造深度融合，全力打造新能源电池产业集群。

## 基金引路 破解融资难题
为破解企业融资难题，曲靖市设立总规模3.5

亿元的产业引导基金，撬动社会资本投入12亿元，首批支持项目23个。

截至9月底，全市新能源电池产业实现产值486亿元。

万吨级正极材料项目已在麒麟区开工建设，预计明年投产。

## 链主带动 配套企业集聚

在链主企业带动下，全市已集聚上下游配套企业60余家，本地配套率由2022年的31%提升至

45%，产业链韧性持续增强。



工人在车间检查电池模组。



园区内的光伏发电设施。

（责任编辑：赵敏）
"""

HONGHE = """让梯田稻香飘得更远

张丽华

红河哈尼梯田是千百年来哈尼族人民留下的宝贵遗产，也是当地群众增收致富的重要依托。

守住梯田 守住乡愁

近年来，元阳县探索推广“稻鱼鸭”综合种养模式

，让一亩田产出三份收益，去年全县梯田红米种植面积达到8.2万亩，带动1.3万户群众户均增收2600

元。发展特色产业，必须坚持生态优先，让绿水青山持续释放生态红利和经济红利。

（作者单位：红河州委党校）
"""

DALI = """**洱海边的数字新农人**  
——大理州培育农村电商人才纪实

记者 何梅 摄



农户在直播间推介洱源梅子。

**从田间到屏幕**  
“以前梅子只能等收购商上门，现在一场直播就能卖出2000多单。”洱源县的杨春燕说。

截至目前，大理州累计培训农村电商人才1.2万人次，带动农产品网络零售额增长

(本版图片由大理州融媒体中心提供)

普洱茶山迎来秋茶采摘季

记者 李娜

进入10月，普洱市澜沧县景迈山的茶农们忙着采摘秋茶，茶园里一派繁忙景象。

今年全市茶叶种植面积稳定在320万亩，预计茶产业综合产值突破

460亿元。
"""


def test_markdown_article_with_broken_number_and_caption_run():
    doc = parse_document(QUJING)
    assert_document_valid(QUJING, doc)
    [article] = doc.articles
    assert article.headline == "3.5亿元基金撬动曲靖新能源电池产业"
    assert article.subtitle == "曲靖市培育绿色能源产业链纪实"
    assert article.bylines == (Byline("本报记者", ("王晓东",), None), Byline("通讯员", ("李娜",), "文/图"))
    assert texts(article, "heading") == ["基金引路 破解融资难题", "链主带动 配套企业集聚"]
    assert texts(article, "paragraph") == [
        "今年以来，曲靖市聚焦绿色能源与先进制造深度融合，全力打造新能源电池产业集群。",
        "为破解企业融资难题，曲靖市设立总规模3.5亿元的产业引导基金，撬动社会资本投入12亿元，首批支持项目23个。",
        "截至9月底，全市新能源电池产业实现产值486亿元。",
        "万吨级正极材料项目已在麒麟区开工建设，预计明年投产。",  # after 。: not glued
        "在链主企业带动下，全市已集聚上下游配套企业60余家，本地配套率由2022年的31%提升至45%，产业链韧性持续增强。",
    ]
    assert texts(article, "caption") == [
        "曲靖经济技术开发区的电池生产线。", "工人在车间检查电池模组。", "园区内的光伏发电设施。"]
    assert texts(article, "note") == ["（责任编辑：赵敏）"]
    assert "为破解企业融资难题，曲靖市设立总规模3.5亿元的产业引导基金，撬动社会资本投入12亿元，首批支持项目23个。" in [
        s.text for s in article.sentences]


def test_plain_article_with_bare_name_byline():
    doc = parse_document(HONGHE)
    assert_document_valid(HONGHE, doc)
    [article] = doc.articles
    assert article.headline == "让梯田稻香飘得更远"
    assert article.bylines == (Byline(None, ("张丽华",), None),)
    assert texts(article, "heading") == ["守住梯田 守住乡愁"]
    paragraphs = [b for b in article.blocks if b.kind == "paragraph"]
    assert len(paragraphs) == 2
    assert paragraphs[1].text == (
        "近年来，元阳县探索推广“稻鱼鸭”综合种养模式，让一亩田产出三份收益，去年全县梯田红米种植面积达到"
        "8.2万亩，带动1.3万户群众户均增收2600元。发展特色产业，必须坚持生态优先，让绿水青山持续释放生态红利和经济红利。")
    assert len(paragraphs[1].pieces) == 3
    assert texts(article, "note") == ["（作者单位：红河州委党校）"]
    assert "带动1.3万户群众户均增收2600元。" in article.sentences[-2].text


def test_bold_article_truncated_before_note_then_new_article():
    doc = parse_document(DALI)
    assert_document_valid(DALI, doc)
    dali, puer = doc.articles
    assert dali.headline == "洱海边的数字新农人"
    assert dali.subtitle == "大理州培育农村电商人才纪实"
    assert dali.bylines == (Byline("记者", ("何梅",), "摄"),)
    assert texts(dali, "caption") == ["农户在直播间推介洱源梅子。"]
    assert texts(dali, "heading") == ["从田间到屏幕"]
    *_, cut, note = dali.blocks
    assert cut.truncated and cut.text.endswith("带动农产品网络零售额增长")
    assert note.kind == "note"
    assert puer.headline == "普洱茶山迎来秋茶采摘季"
    assert puer.byline == Byline("记者", ("李娜",), None)
    assert texts(puer, "paragraph")[-1] == "今年全市茶叶种植面积稳定在320万亩，预计茶产业综合产值突破460亿元。"


WENSHAN = """文山三七产业提质增效

——文山州推进中药材全产业链发展

记者 王五



今年以来，文山州坚持把三七产业作为重点产业来抓，全州三七种植面积稳定在50万亩左右，带动



12万户种植户增收。

春耕正当时

春来了。田野里处处是忙着移栽三七种苗的农户。

目前，全州三七产业综合产值达到



三七种植基地。



加工车间里的工人。
"""


def test_break_with_several_blank_lines_and_cut_paragraph_before_captions():
    doc = parse_document(WENSHAN)
    assert_document_valid(WENSHAN, doc)
    [article] = doc.articles
    assert article.subtitle == "文山州推进中药材全产业链发展"
    paragraphs = [b for b in article.blocks if b.kind == "paragraph"]
    # Three blank lines, yet the lone short line finishes the cut sentence.
    assert paragraphs[0].text.endswith("左右，带动12万户种植户增收。") and paragraphs[0].repaired
    # A heading followed by a short first sentence keeps its place.
    assert texts(article, "heading") == ["春耕正当时"]
    assert paragraphs[1].text == "春来了。田野里处处是忙着移栽三七种苗的农户。"
    # A paragraph the page cut off, then the closing run of captions: nothing glued.
    assert paragraphs[2].text == "目前，全州三七产业综合产值达到" and paragraphs[2].truncated
    assert texts(article, "caption") == ["三七种植基地。", "加工车间里的工人。"]


def test_short_fragment_before_continuation_is_not_a_heading():
    text = "标题在此\n\n记者 周雪\n\n正文第一段。\n\n推广“稻鱼鸭”综合种养模式\n\n，让一亩田产出三份收益。\n"
    [article] = parse_document(text).articles
    assert texts(article, "heading") == []
    assert texts(article, "paragraph")[-1] == "推广“稻鱼鸭”综合种养模式，让一亩田产出三份收益。"


# --- Sentences -------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("他说：“工资很好。”然后走了。", ["他说：“工资很好。”", "然后走了。"]),
    ("“去吗？几点？”她问。", ["“去吗？几点？”", "她问。"]),
    ("增长3.5%；同比增长，好吗?是的!", ["增长3.5%；同比增长，好吗?", "是的!"]),
    ("腊肉、香肠……直播间里卖得好。", ["腊肉、香肠……", "直播间里卖得好。"]),
    ("（以下简称“集团”）成立。 后续。", ["（以下简称“集团”）成立。", "后续。"]),
    ("没有结尾", ["没有结尾"]),
    ("他说“不闭合。第二句。", ["他说“不闭合。", "第二句。"]),
    ("", []),
])
def test_sentence_bounds(text, expected):
    assert [text[a:b] for a, b in sentence_bounds(text)] == expected


# --- Robustness ------------------------------------------------------------------------

def test_empty_and_blank_input():
    assert parse_document("") == Document(articles=())
    assert parse_document(" \n\n\u3000\t\n") == Document(articles=())


def test_no_headline_gives_one_untitled_article():
    text = "这是一段没有标题的正文，讲述了当地的发展。\n\n第二段也在这里。\n"
    doc = parse_document(text)
    [article] = doc.articles
    assert article.headline is None and article.bylines == ()
    assert texts(article, "paragraph") == ["这是一段没有标题的正文，讲述了当地的发展。", "第二段也在这里。"]


def test_only_notes_and_captions_belong_to_the_file():
    text = "（本版编辑：王芳）\n\n\n\n昭通天麻。\n"
    doc = parse_document(text)
    assert doc.articles == ()
    assert [(b.kind, b.text) for b in doc.blocks] == [("note", "（本版编辑：王芳）"), ("caption", "昭通天麻。")]
    assert [s.text for s in doc.sentences] == ["昭通天麻。"]


def test_markup_only_lines_and_images_are_blank():
    text = "# \n\n**  **\n\n![图](a.jpg)\n\n---\n\n正文。\n"
    doc = parse_document(text)
    assert doc.articles == ()
    # Eight blank lines' worth above it: the image left its gap, so this reads as its caption.
    assert [(b.kind, b.text, b.start) for b in doc.blocks] == [("caption", "正文。", 30)]


ALPHABET = ("昭通乌蒙山就业万亿元记者通讯员杨明文图" "。，、；：！？!?…“”‘’（）()【】" "——#*  \u3000\t"
            "0123456789.%" "\n\n\n" "abcXYZ\x00\x1c\u2028\ufffd")


def test_random_input_never_crashes_and_pieces_stay_valid():
    rng = random.Random(20240601)
    for _ in range(400):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(0, 300)))
        assert_document_valid(text, parse_document(text))


def test_long_input_is_fast():
    text = seed("000") * 200  # about a million characters
    doc = parse_document(text)
    assert len(doc.articles) == 400


# --- Articles written in the seeds' style that the rules were not built on ---------------

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"


def _fixture(name: str) -> Document:
    from pipelines.text.decoding import decode_document

    return parse_document(decode_document((FIXTURES / name).read_bytes()).text)


def test_two_breaks_in_a_row_are_both_repaired():
    article = _fixture("qujing_employment.md").articles[0]
    assert [b.kind for b in article.blocks] == [
        "headline", "subtitle", "byline", "caption", "paragraph", "heading", "paragraph", "note"]
    assert article.bylines == (Byline("记者", ("王晓东",)), Byline("通讯员", ("李娜",), "文/图"))
    lede = article.blocks[4]
    assert lede.repaired and len(lede.pieces) == 3
    assert "完成年度目标任务的112%，农村劳动力转移就业累计达23.5万人。" in lede.text


def test_gbk_article_with_bold_headings_and_a_broken_percentage():
    article = _fixture("yiliang_relocation.txt").articles[0]
    assert article.headline == "彝良：搬迁群众稳得住能致富"
    assert [b.text for b in article.blocks if b.kind == "heading"] == ["产业跟着搬迁走", "服务跟着群众走"]
    assert any(s.text == "下一步，彝良县将力争到2027年实现搬迁劳动力就业率稳定在95%以上。"
               for s in article.sentences)
    assert [b.text for b in article.blocks if b.kind == "caption"] == ["发界街道安置区的帮扶车间。"]
