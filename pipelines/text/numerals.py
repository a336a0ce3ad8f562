"""Read Arabic and Chinese numerals as Chinese newspapers write them.

    parse_number("1.8亿")         -> 180000000.0
    parse_number("1,234.5")       -> 1234.5
    parse_chinese("三千五百万")    -> 35000000.0
    parse_chinese("一万五")        -> 15000.0   (colloquial elision: 一万五 is 一万五千)
    parse_percent("百分之三十")    -> 30.0
    parse_percent("三分之一")      -> 33.33...
    parse_percent("八成")          -> 80.0

Every parser raises ValueError on text that is not one well-formed numeral, so callers can use
them to *recognise* numbers, not only to read them: 千百年, 万千家庭 and the plan name 十四五 are
not numerals (a digit may not follow a digit, 百 may not follow 千 without a digit between).
The one exception is a run of bare digits such as 二〇二三, read digit by digit as years and
codes are written. A numeral whose value no float holds (1亿亿亿…, 400 digits) is no number
either: ValueError, never inf or OverflowError.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

# One character for one character, so offsets into the normalised text are offsets into the
# original. The Chinese comma and colon (U+FF0C, U+FF1A) are punctuation, not numerals: kept.
_HALFWIDTH = str.maketrans(
    "０１２３４５６７８９．％－＋～／＊"
    "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ"
    "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ",
    "0123456789.%-+~/*"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "abcdefghijklmnopqrstuvwxyz",
)

CHINESE_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3,
    "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7,
    "八": 8, "捌": 8, "九": 9, "玖": 9,
}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10**4, "亿": 10**8}
CHINESE_NUMERAL_CHARS = "".join([*CHINESE_DIGITS, *_SMALL_UNITS, *_BIG_UNITS])

# Magnitudes that may follow Arabic digits: 1.8亿, 0.35万, 3千万, 2万亿.
MAGNITUDES = {"百": 100, "千": 1000, "万": 10**4, "亿": 10**8}
# No paper writes a magnitude past 千万亿; capping it keeps 1亿亿亿… from overflowing a float
# (or from multiplying out 10**800000 first).
MAX_MAGNITUDE = 10**15

_ARABIC = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")
_ARABIC_WITH_MAGNITUDE = re.compile(rf"({_ARABIC.pattern})([百千万亿]*)")


def to_halfwidth(text: str) -> str:
    """Full-width digits, letters and %.-+~/* to ASCII, keeping every offset."""
    return text.translate(_HALFWIDTH)


def magnitude(suffix: str) -> int:
    """万 -> 10**4, 千万 -> 10**7, 万亿 -> 10**12; the empty suffix is 1. ValueError past
    MAX_MAGNITUDE (亿亿)."""
    value = 1
    for ch in suffix:
        value *= MAGNITUDES[ch]
        if value > MAX_MAGNITUDE:
            raise ValueError(f"magnitude past 千万亿: {suffix!r}")
    return value


def scaled(coefficient: float, factor: float) -> float:
    """coefficient × factor without binary noise: 8.12万 is 81200.0, not 81199.99999999999."""
    return _finite(float(Decimal(repr(coefficient)) * Decimal(repr(factor))))


def _finite(value: float) -> float:
    """A value no float holds (a 400-digit numeral, 1e300 of 1e-300) is no number we read."""
    if not math.isfinite(value):
        raise ValueError("too large for a float")
    return value


def parse_arabic(text: str) -> float:
    """'1,200' -> 1200.0, '１２３' -> 123.0, '45054.35' -> 45054.35."""
    plain = to_halfwidth(text)
    if not _ARABIC.fullmatch(plain):
        raise ValueError(f"not an Arabic numeral: {text!r}")
    return _finite(float(plain.replace(",", "")))


def parse_chinese(text: str) -> float:
    """'二百一十' -> 210.0, '三千五百万' -> 35000000.0, '三点五' -> 3.5, '二〇二三' -> 2023.0."""
    whole, point, fraction = text.partition("点")
    if not point:
        if len(whole) > 1 and all(ch in CHINESE_DIGITS for ch in whole):
            return _finite(float("".join(str(CHINESE_DIGITS[ch]) for ch in whole)))
        return float(_integer(whole, lead=True))
    digits = fraction.rstrip("万亿")
    if not whole or not digits or any(ch not in CHINESE_DIGITS for ch in digits):
        raise ValueError(f"not a Chinese decimal: {text!r}")
    decimals = "".join(str(CHINESE_DIGITS[ch]) for ch in digits)
    return scaled(_integer(whole, lead=True) + float("0." + decimals), magnitude(fraction[len(digits):]))


def parse_number(text: str) -> float:
    """Any single numeral: Arabic, Arabic with a magnitude (0.35万, 1.8亿) or Chinese."""
    match = _ARABIC_WITH_MAGNITUDE.fullmatch(to_halfwidth(text))
    if match:
        return scaled(parse_arabic(match[1]), magnitude(match[2]))
    return parse_chinese(text)


def parse_percent(text: str) -> float:
    """A share as a percentage: '40%', '5‰' (0.5), '百分之三十', '三分之一', '八成' (80)."""
    plain = to_halfwidth(text)
    if plain.endswith("%"):
        return parse_number(plain[:-1])
    if plain.endswith("‰"):
        return parse_number(plain[:-1]) / 10
    if plain.endswith("成"):
        return scaled(parse_number(plain[:-1]), 10)
    denominator, of, numerator = plain.partition("分之")
    if of and denominator and numerator:
        whole = parse_number(denominator)
        if whole == 0:
            raise ValueError(f"a share of nothing: {text!r}")  # 零分之五
        return _finite(parse_number(numerator) / whole * 100)
    raise ValueError(f"not a percentage: {text!r}")


def _integer(text: str, lead: bool) -> int:
    """A Chinese integer. `lead` says the text starts the numeral, where a bare 十/百/千/万/亿
    means one of it (十五, 百余家, 万余人); elsewhere a bare unit is malformed (万千)."""
    if not text:
        raise ValueError("empty Chinese numeral")
    head, yi, tail = text.rpartition("亿")
    if yi:  # the head may hold 万 itself (一万亿), but not 亿: 亿亿 is no modern numeral
        if "亿" in head:
            raise ValueError(f"亿 after 亿 in {text!r}")
        return _scaled(head, 10**8, tail, lead, lambda part: _integer(part, lead))
    head, wan, tail = text.rpartition("万")
    if wan:
        return _scaled(head, 10**4, tail, lead, lambda part: _group(part, lead))
    return _group(text, lead)


def _scaled(head: str, size: int, tail: str, lead: bool, parse_head) -> int:
    if head:
        coefficient = parse_head(head)
    elif lead:
        coefficient = 1
    else:
        raise ValueError("bare 万/亿 inside a numeral")
    if coefficient == 0:
        raise ValueError("zero before 万/亿")
    return coefficient * size + _below(tail, size)


def _below(tail: str, size: int) -> int:
    """What follows 万 or 亿: 零 marks a gap (一万零五 = 10005); a lone digit is the next
    unit down (一万五 = 15000)."""
    if not tail:
        return 0
    if len(tail) == 1 and tail in CHINESE_DIGITS:
        if CHINESE_DIGITS[tail] == 0:
            raise ValueError("numeral ends in 零")
        return CHINESE_DIGITS[tail] * size // 10
    if tail[0] in "零〇":
        tail = tail[1:]
    value = _integer(tail, lead=False) if size > 10**4 else _group(tail, lead=False)
    if not 0 < value < size:
        raise ValueError("units out of order")
    return value


def _group(text: str, lead: bool) -> int:
    """Below 万: digits and 十/百/千 in falling order, 零 for a gap, 二百五 = 250."""
    value, digit, last_size = 0, None, 10**4
    for i, ch in enumerate(text):
        if ch in CHINESE_DIGITS:
            if digit:  # 三四: two digits with no unit between them
                raise ValueError(f"digit follows digit in {text!r}")
            if digit == 0 and CHINESE_DIGITS[ch] == 0:
                raise ValueError(f"零零 in {text!r}")
            digit = CHINESE_DIGITS[ch]
        elif ch in _SMALL_UNITS:
            size = _SMALL_UNITS[ch]
            if size >= last_size:  # 千百, 十十
                raise ValueError(f"units out of order in {text!r}")
            if digit is None:
                if not (lead and i == 0):
                    raise ValueError(f"bare {ch} inside {text!r}")
                digit = 1
            if digit == 0:
                raise ValueError(f"零 before a unit in {text!r}")
            value += digit * size
            last_size, digit = size, None
        else:
            raise ValueError(f"not a Chinese numeral character: {ch!r}")
    if digit == 0 and len(text) > 1:
        raise ValueError(f"numeral ends in 零: {text!r}")
    if digit:
        elided = len(text) > 1 and text[-2] in _SMALL_UNITS
        value += digit * (last_size // 10 if elided else 1)
    return value
