"""Normalised text of one newspaper file to articles, blocks and sentences, with offsets.

Offsets contract
----------------
The input is the text `decoding.py` returns (BOM gone, line ends `\\n`); every offset is a
Python string index (a code point) into exactly that text. Page columns cut paragraphs in
two, so a repaired paragraph is not one contiguous run of the file. Every `Block` and
`Sentence` therefore carries `pieces`, the ranges of the file it is made of, in order, and

    block.text == "".join(doc[a:b] for a, b in block.pieces)

holds exactly. What lies between pieces (the page break's newlines, surrounding spaces,
markup such as `## ` or `**`) is simply outside them. `start`/`end` are the first piece's
start and the last piece's end; `to_doc_offset(i)` maps `text[i]` to its offset in the file,
so a quote taken from `text` can always be found again in the file.

Layout model
------------
Each non-blank line is a candidate block. An article opens at a `# ` headline, at the file's
first line when it is shaped like a headline, at a headline-shaped line followed by a
subtitle (`——…`) or byline, or right after an editorial note. Other lines are, in order of
precedence: bylines, subtitles (right after a headline), markdown headings (`##`, `**…**`),
notes (a whole line in brackets), continuations of a paragraph cut by a page break, photo
captions, bare headings, paragraphs. Why each rule holds is next to the function that
implements it; the thresholds are the named constants below.

A file with no headline but with body text yields one untitled article (`headline is None`);
notes and captions before the first article, or in a file with no body at all, are the
document's own `blocks`. The empty or blank file yields an empty `Document`.

Lines are read once, left to right, each looking at most two lines ahead; there are no
regular expressions. The time is linear in the input and no input makes it crash or hang.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import cached_property

# A sentence ends on these; a run of them (`？！`, `……`) ends it once.
SENTENCE_END = "。！？!?…"
# Closing quotes and brackets stay with the sentence they close: `…好太多了。”`.
CLOSERS = "”’」』）)》】〕"
# A paragraph may also end on these: list items end on ；, lead-ins to a quote on ：.
CLAUSE_END = "；：;:"
# No paragraph begins with closing or in-sentence punctuation; a line that does was cut.
NON_STARTERS = "，、。；：？！,.;:?!%％…" + CLOSERS
DIGITS = "0123456789０１２３４５６７８９"
# What follows a number cut by the column edge: `8.12` / `万人`, `3.5` / `亿元`.
NUMBER_CONTINUATIONS = DIGITS + ".．万亿千百元%％‰"
# Function words that cannot end a heading or a paragraph: a line ending on one (`…目标任务的`,
# `…累计达`) was cut by the column edge, whatever the next line looks like.
DANGLING_ENDS = "的和与及或并而把被将向从对在于为是达至占比"
QUOTE_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』"}
SUBTITLE_DASHES = "—―"
NOTE_OPENERS = "（(【〔["
NOTE_CLOSERS = "）)】〕]"
NOTE_PREFIXES = ("责任编辑", "本版编辑", "编辑", "校对", "审核", "审校", "来源", "图片来源")

HEADLINE_MAX_CHARS = 40  # headlines run longer than section headings, never a paragraph
HEADING_MAX_CHARS = 25  # section headings in these papers stay under ~20 characters
CAPTION_MAX_CHARS = 60  # a caption is one descriptive sentence
BYLINE_MAX_CHARS = 40
ISOLATION_GAP = 2  # a removed photo leaves extra blank lines above its caption
# `量。` ends a sentence begun on the line before; a heading is not followed by one so short.
TINY_SENTENCE_CHARS = 2

ROLES = ("本报特约记者", "本报记者", "本报通讯员", "特约通讯员", "特约记者", "见习记者",
         "融媒体记者", "首席记者", "记者", "通讯员", "实习生")  # longest first: prefix match
CREDITS = {"文/图", "图/文", "文图", "图文", "文·图", "文", "图", "摄", "摄影", "摄影报道", "制图"}
# Common surnames: a bare 2-4 character line after a headline is a byline only if it starts
# with one, so that a kicker like `接续奋斗` is not mistaken for a name.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦"
    "俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房"
    "滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应"
    "臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝普")
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容",
                     "长孙", "宇文", "司徒", "夏侯", "令狐", "端木")

SENTENCE_KINDS = ("headline", "subtitle", "heading", "paragraph", "caption")


class Span:
    """Mixin for anything with `text` and `pieces` (see the offsets contract above)."""

    __slots__ = ()
    text: str
    pieces: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]

    def to_doc_offset(self, i: int) -> int:
        """Offset in the file of `self.text[i]`; `i == len(text)` maps to `end`."""
        if not 0 <= i <= len(self.text):
            raise IndexError(f"offset {i} outside text of length {len(self.text)}")
        if i == len(self.text):
            return self.end
        # A paragraph cut at every line has thousands of pieces, each with figures: bisect.
        k = bisect_right(self._piece_offsets, i) - 1
        return self.pieces[k][0] + i - self._piece_offsets[k]

    @cached_property
    def _piece_offsets(self) -> list[int]:
        return _piece_offsets(self.pieces)


@dataclass(frozen=True)
class Byline:
    role: str | None  # 记者, 通讯员, …; None for a bare signature such as `杨明`
    names: tuple[str, ...]
    credit: str | None = None  # 文/图, 摄, …


@dataclass(frozen=True)
class Block(Span):
    kind: str  # headline, subtitle, byline, heading, paragraph, caption, note
    text: str
    pieces: tuple[tuple[int, int], ...]
    repaired: bool = False  # glued together across a page break
    truncated: bool = False  # a paragraph the page cut off, its rest not in the file
    level: int | None = None  # 1 for the headline, 2+ for section headings


@dataclass(frozen=True)
class Sentence(Span):
    index: int
    block_index: int  # into the owning article's (or document's) blocks
    kind: str  # the kind of that block: headlines carry figures too (`48万群众`)
    text: str
    pieces: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Article:
    index: int
    headline: str | None  # None for body text that precedes any headline
    subtitle: str | None
    bylines: tuple[Byline, ...]  # one per role: `记者 甲 通讯员 乙` gives two
    blocks: tuple[Block, ...]
    sentences: tuple[Sentence, ...]

    @property
    def byline(self) -> Byline | None:
        return self.bylines[0] if self.bylines else None

    @property
    def start(self) -> int:
        return self.blocks[0].start

    @property
    def end(self) -> int:
        return self.blocks[-1].end


@dataclass(frozen=True)
class Document:
    articles: tuple[Article, ...]
    blocks: tuple[Block, ...] = ()  # notes and captions that belong to no article
    sentences: tuple[Sentence, ...] = ()  # of those blocks


def parse_document(text: str) -> Document:
    """Split one file's normalised text into articles, blocks and sentences."""
    lines = _scan_lines(text)
    groups: list[list[_Draft]] = [[]]
    for draft in _draft_blocks(lines):
        if draft.kind == "headline":
            groups.append([])
        groups[-1].append(draft)
    preamble, titled = groups[0], groups[1:]
    if any(d.kind in ("paragraph", "heading") for d in preamble):
        titled, preamble = [preamble, *titled], []
    articles = tuple(_article(i, drafts) for i, drafts in enumerate(titled))
    blocks = tuple(_block(d) for d in preamble)
    return Document(articles, blocks, _sentences(blocks))


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence of `text`, whitespace trimmed.

    A sentence ends after a run of 。！？!?… together with the closing quotes and brackets
    that follow it (`…太多了。”` keeps its ”). ；and ，never end one, and neither does
    anything inside a quotation that closes: `他问：“去吗？几点？”` stays whole.
    """
    opens, closes = _matched_quotes(text)
    bounds, start, depth, i, n = [], 0, 0, 0, len(text)
    while i < n:
        ch, i = text[i], i + 1
        if i - 1 in opens:
            depth += 1
            continue
        if i - 1 in closes:
            depth -= 1
            ends = depth == 0 and text[i - 2] in SENTENCE_END
        else:
            ends = depth == 0 and ch in SENTENCE_END
        if ends:
            while i < n and (text[i] in SENTENCE_END or text[i] in CLOSERS):
                i += 1
            bounds.append((start, i))
            start = i
    bounds.append((start, n))
    trimmed = []
    for a, b in bounds:
        chunk = text[a:b]
        a, b = a + len(chunk) - len(chunk.lstrip()), b - len(chunk) + len(chunk.rstrip())
        if a < b:
            trimmed.append((a, b))
    return trimmed


def _matched_quotes(text: str) -> tuple[set[int], set[int]]:
    """Positions of opening and closing quotes that pair up; a stray quote pairs with
    nothing, so damaged quoting never stops sentences from splitting."""
    opens, closes, stack = set(), set(), []
    for i, ch in enumerate(text):
        if ch in QUOTE_PAIRS:
            stack.append(i)
        elif stack and QUOTE_PAIRS[text[stack[-1]]] == ch:
            opens.add(stack.pop())
            closes.add(i)
    return opens, closes


# --- Lines -----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Line:
    start: int  # of the content: whitespace and markdown markers excluded
    end: int
    text: str
    gap: int  # blank lines above it
    md_level: int = 0  # number of leading `#`
    bold: bool = False  # the whole line is `**…**`

    @property
    def marked_heading(self) -> bool:
        return self.md_level >= 2 or self.bold


def _scan_lines(text: str) -> list[_Line]:
    """The non-blank lines of `text`, split on `\\n` only (never on other line separators)."""
    lines, gap, pos, n = [], 0, 0, len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        nl = n if nl < 0 else nl
        raw = text[pos:nl]
        content = raw.strip()
        line = None
        if content and not _is_placeholder(content):
            start = pos + len(raw) - len(raw.lstrip())
            line = _unwrap_markdown(_Line(start, start + len(content), content, gap))
        if line is None:
            gap += 1
        else:
            lines.append(line)
            gap = 0
        pos = nl + 1
    return lines


def _is_placeholder(content: str) -> bool:
    """A markdown image or rule: it stands where a photo or a divider was, like a blank."""
    return (content.startswith("![") and content.endswith(")")) or (
        len(content) >= 3 and not content.strip("-*_=—"))


def _unwrap_markdown(line: _Line) -> _Line | None:
    """Strip `#` or whole-line `**` markers from the content; None if only markup is left."""
    s = line.text
    hashes = len(s) - len(s.lstrip("#"))
    if 1 <= hashes <= 6 and (hashes == len(s) or s[hashes] in " \t"):
        return _trim_front(line, hashes, md_level=hashes)
    if len(s) > 4 and s.startswith("**") and s.endswith("**") and "**" not in s[2:-2]:
        inner = s[2:-2].strip()
        if not inner:
            return None
        start = line.start + 2 + len(s[2:-2]) - len(s[2:-2].lstrip())
        return replace(line, start=start, end=start + len(inner), text=inner, bold=True)
    return line


def _trim_front(line: _Line, n: int, **changes) -> _Line | None:
    """The line without its first `n` characters and the whitespace after them."""
    rest = line.text[n:]
    content = rest.lstrip()
    if not content:
        return None
    start = line.end - len(content)
    return replace(line, start=start, text=content, **changes)


# --- Line shapes: what a line looks like on its own --------------------------------------

def _ends_sentence(text: str) -> bool:
    core = text.rstrip(CLOSERS)
    return bool(core) and core[-1] in SENTENCE_END


def _is_finished(text: str) -> bool:
    """Whether a paragraph may end here: on a sentence or clause end, closers aside."""
    core = text.rstrip(CLOSERS)
    return not core or core[-1] in SENTENCE_END or core[-1] in CLAUSE_END


def _sentence_count(text: str) -> int:
    return sum(1 for i, ch in enumerate(text)
               if ch in SENTENCE_END and (i + 1 == len(text) or text[i + 1] not in SENTENCE_END))


def _looks_like_headline(text: str) -> bool:
    """Short, no sentence inside it, not a note or a subtitle."""
    core = text.rstrip("！？!?")
    return (len(text) <= HEADLINE_MAX_CHARS and bool(core)
            and not any(ch in SENTENCE_END for ch in core)
            and core[-1] not in "，、,"
            and text[0] not in SUBTITLE_DASHES and not _is_note(text))


def _looks_like_heading(text: str) -> bool:
    """Shorter than a headline, no sentence end, at most one comma, not cut mid-clause."""
    return (len(text) <= HEADING_MAX_CHARS
            and not any(ch in SENTENCE_END for ch in text)
            and text.count("，") + text.count(",") <= 1
            and text[-1] not in "，、；：,;:" + DANGLING_ENDS
            and text[-1] not in NOTE_OPENERS + "“‘「『《")


def _is_note(text: str) -> bool:
    """An editorial note: a whole line in brackets (`（完）`, `(本版图片来源于…)`), or an
    editor's credit line. Full- and half-width brackets are mixed freely by the typesetter."""
    if text.startswith(NOTE_PREFIXES) and len(text) <= BYLINE_MAX_CHARS and (
            "：" in text[:6] or ":" in text[:6]):
        return True
    if len(text) < 2 or text[0] not in NOTE_OPENERS or text[-1] not in NOTE_CLOSERS:
        return False
    depth = 0
    for i, ch in enumerate(text):  # the opening bracket must close only at the very end
        depth += (ch in NOTE_OPENERS) - (ch in NOTE_CLOSERS)
        if depth <= 0 and i < len(text) - 1:
            return False
    return True


def _is_subtitle(line: _Line) -> bool:
    return line.text[0] in SUBTITLE_DASHES and bool(line.text.lstrip(SUBTITLE_DASHES).strip())


def _is_name(token: str, *, strict: bool) -> bool:
    """A personal name. Strict: a common surname and a one- or two-character given name
    (2-4 characters in all). A role in front (`记者 阿呷`) vouches for names without one."""
    if not strict:
        return 2 <= len(token) <= 6 and all(_is_han(ch) or ch in "·•" for ch in token)
    surname = 2 if token.startswith(COMPOUND_SURNAMES) else 1 if token[0] in SURNAMES else 0
    return (surname > 0 and surname + 1 <= len(token) <= surname + 2
            and all(_is_han(ch) for ch in token))


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _parse_byline(text: str) -> tuple[Byline, ...]:
    """`记者 李明坤 文/图` → (Byline('记者', ('李明坤',), '文/图'),); () if not a byline.

    Every token must be a role, a name or a credit; a new role starts a new Byline."""
    if len(text) > BYLINE_MAX_CHARS:
        return ()
    for sep in "、，,：:":
        text = text.replace(sep, " ")
    groups: list[Byline] = []
    role, names, credit = None, [], None
    for token in text.replace("／", "/").split():
        glued = False  # `记者李明坤`; such a name must pass the strict test (`记者手记`)
        for r in ROLES:
            if token.startswith(r):
                if names:
                    groups.append(Byline(role, tuple(names), credit))
                    names, credit = [], None
                role, token, glued = r, token[len(r):], token != r
                break
        if not token:
            continue
        if token in CREDITS:
            credit = token
        elif _is_name(token, strict=role is None or glued):
            names.append(token)
        else:
            return ()
    if not names:
        return ()
    return (*groups, Byline(role, tuple(names), credit))


# --- Line pairs: what a line means next to its neighbours --------------------------------

def _starts_mid_sentence(prev: str, line: str) -> bool:
    """Whether `line` can only be the rest of `prev`, cut by the column edge: `prev` ends
    on a word that cannot end anything (`…任务的`), `line` begins with punctuation no
    paragraph begins with, finishes a number (`8.12` / `万人`), or finishes a sentence
    within two characters (`保障资产质` / `量。`)."""
    if prev[-1] in DANGLING_ENDS or line[0] in NON_STARTERS:
        return True
    if prev[-1] in DIGITS + ".．" and line[0] in NUMBER_CONTINUATIONS:
        return True
    return any(ch in SENTENCE_END for ch in line[1:TINY_SENTENCE_CHARS + 1])


def _is_caption(lines: list[_Line], i: int) -> bool:
    """A photo caption: one short sentence set apart by the blank lines the removed photo
    left. A label without a full stop (`昭通天麻`) must be heading-short and sit in a run
    of such lines, or end the file."""
    line = lines[i]
    if (line.gap < ISOLATION_GAP or line.md_level or line.bold
            or len(line.text) > CAPTION_MAX_CHARS or _sentence_count(line.text) > 1):
        return False
    if _ends_sentence(line.text):
        return True
    nxt = _at(lines, i + 1)
    return _looks_like_heading(line.text) and (nxt is None or nxt.gap >= ISOLATION_GAP)


def _is_heading(lines: list[_Line], i: int) -> bool:
    """A bare section heading: heading-shaped and followed closely by body text that does
    not continue it (a short fragment cut by the page looks like a heading until its
    continuation is seen; one followed by nothing or by captions was cut off)."""
    line, nxt = lines[i], _at(lines, i + 1)
    return (_looks_like_heading(line.text) and nxt is not None and nxt.gap < ISOLATION_GAP
            and not _starts_mid_sentence(line.text, nxt.text))


def _continues(prev: str, lines: list[_Line], i: int) -> bool:
    """Whether line i carries on the unfinished paragraph ending in `prev`. Yes unless the
    line is plainly something else after a paragraph the page cut off: a heading, or a
    caption in the run that closes an article. A lone caption-like line is taken as the
    continuation, since a break may leave several blank lines and cut paragraphs are rare.
    The caller has already ruled out notes, markdown headings and new articles."""
    if _starts_mid_sentence(prev, lines[i].text):
        return True
    nxt = _at(lines, i + 1)
    closes_article = nxt is None or nxt.gap >= ISOLATION_GAP or nxt.md_level == 1
    return not (_is_caption(lines, i) and closes_article) and not _is_heading(lines, i)


def _byline_at(lines: list[_Line], i: int, *, bare_ok: bool) -> tuple[Byline, ...]:
    """The byline on line i. A bare name (`杨明`) counts only where a byline may stand
    (`bare_ok`) and when body text, not another heading-like line, follows it."""
    line = _at(lines, i)
    if line is None or line.md_level or line.bold:
        return ()
    bylines = _parse_byline(line.text)
    if bylines and bylines[0].role is None:
        nxt = _at(lines, i + 1)
        if not bare_ok or nxt is None or nxt.md_level or _looks_like_heading(nxt.text):
            return ()
    return bylines


def _opens_article(lines: list[_Line], i: int, last: _Draft | None) -> bool:
    """A `# ` headline, or a headline-shaped line followed by a subtitle or byline. A bare
    one also opens an article as the file's first line or after an editorial note (which
    ends a page's article: in seed 002 the commentary `解群众之需 拓增收之路` follows one)."""
    line = lines[i]
    if line.md_level == 1:
        return True
    if not _looks_like_headline(line.text) or _parse_byline(line.text):
        return False
    nxt = _at(lines, i + 1)
    if nxt is not None and (_is_subtitle(nxt) or _byline_at(lines, i + 1, bare_ok=True)):
        return True
    if line.marked_heading or _is_caption(lines, i):
        return False
    if last is None:
        return nxt is None or not _starts_mid_sentence(line.text, nxt.text)
    return last.kind == "note"


def _at(lines: list[_Line], i: int) -> _Line | None:
    return lines[i] if 0 <= i < len(lines) else None


# --- Assembly --------------------------------------------------------------------------

@dataclass
class _Draft:
    kind: str
    lines: list[_Line]
    bylines: tuple[Byline, ...] = ()


def _draft_blocks(lines: list[_Line]) -> list[_Draft]:
    """Classify the lines in order, gluing each page-break continuation to its paragraph."""
    drafts: list[_Draft] = []
    in_header = False  # after a headline, until the body starts; captions may sit inside
    for i, line in enumerate(lines):
        last = drafts[-1] if drafts else None
        if _opens_article(lines, i, last):
            drafts.append(_Draft("headline", [line]))
            in_header = True
            continue
        bylines = _byline_at(lines, i, bare_ok=in_header)
        if bylines:
            drafts.append(_Draft("byline", [line], bylines))
            continue
        if in_header and _is_subtitle(line):
            dashes = len(line.text) - len(line.text.lstrip(SUBTITLE_DASHES))
            drafts.append(_Draft("subtitle", [_trim_front(line, dashes)]))
            continue
        kind = _body_kind(lines, i, last)
        if kind == "continuation":
            last.lines.append(line)
            continue
        in_header = in_header and kind == "caption"
        drafts.append(_Draft(kind, [line]))
    return drafts


def _body_kind(lines: list[_Line], i: int, last: _Draft | None) -> str:
    """The kind of a body line, rules in order of precedence; `continuation` means the
    line belongs to the paragraph drafted last."""
    line = lines[i]
    if line.marked_heading:
        return "heading"
    if _is_note(line.text):
        return "note"
    if (last is not None and last.kind == "paragraph"
            and not _is_finished(last.lines[-1].text)
            and _continues(last.lines[-1].text, lines, i)):
        return "continuation"
    if _is_caption(lines, i):
        return "caption"
    if _is_heading(lines, i):
        return "heading"
    return "paragraph"


def _block(draft: _Draft) -> Block:
    text = "".join(line.text for line in draft.lines)
    level = None
    if draft.kind == "headline":
        level = 1
    elif draft.kind == "heading":
        level = max(draft.lines[0].md_level, 2)
    return Block(
        kind=draft.kind,
        text=text,
        pieces=tuple((line.start, line.end) for line in draft.lines),
        repaired=len(draft.lines) > 1,
        truncated=draft.kind == "paragraph" and not _is_finished(text),
        level=level,
    )


def _article(index: int, drafts: list[_Draft]) -> Article:
    blocks = tuple(_block(d) for d in drafts)
    first = {}
    for b in blocks:
        first.setdefault(b.kind, b.text)
    return Article(
        index=index,
        headline=first.get("headline"),
        subtitle=first.get("subtitle"),
        bylines=tuple(b for d in drafts for b in d.bylines),
        blocks=blocks,
        sentences=_sentences(blocks),
    )


def _sentences(blocks: tuple[Block, ...]) -> tuple[Sentence, ...]:
    sentences: list[Sentence] = []
    for block_index, block in enumerate(blocks):
        if block.kind not in SENTENCE_KINDS:
            continue
        offsets = _piece_offsets(block.pieces)
        for a, b in sentence_bounds(block.text):
            sentences.append(Sentence(
                index=len(sentences), block_index=block_index, kind=block.kind,
                text=block.text[a:b], pieces=_slice_pieces(block.pieces, offsets, a, b)))
    return tuple(sentences)


def _piece_offsets(pieces: tuple[tuple[int, int], ...]) -> list[int]:
    """Where each piece starts within the text the pieces make up."""
    offsets = [0]
    for a, b in pieces[:-1]:
        offsets.append(offsets[-1] + b - a)
    return offsets


def _slice_pieces(pieces: tuple[tuple[int, int], ...], offsets: list[int], lo: int, hi: int,
                  ) -> tuple[tuple[int, int], ...]:
    """The file ranges behind `text[lo:hi]` of the span made of `pieces`."""
    out = []
    k = bisect_right(offsets, lo) - 1
    while k < len(pieces) and offsets[k] < hi:
        a, b = pieces[k]
        s, e = max(lo, offsets[k]), min(hi, offsets[k] + b - a)
        if s < e:
            out.append((a + s - offsets[k], a + e - offsets[k]))
        k += 1
    return tuple(out)
