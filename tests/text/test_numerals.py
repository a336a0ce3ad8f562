"""Numerals on their own: every form a Chinese newspaper writes, and what is not a numeral."""

from __future__ import annotations

import pytest

from pipelines.text.numerals import (
    parse_arabic,
    parse_chinese,
    parse_number,
    parse_percent,
    scaled,
    to_halfwidth,
)


@pytest.mark.parametrize("text, value", [
    ("零", 0), ("〇", 0), ("一", 1), ("两", 2), ("十", 10), ("十五", 15), ("二十", 20),
    ("二百一十", 210), ("一百零五", 105), ("一千零五", 1005), ("一千零五十", 1050),
    ("两千", 2000), ("一千二百", 1200), ("一万", 10_000), ("十万", 100_000),
    ("三千五百万", 35_000_000), ("一万零五百", 10_500), ("一亿二千万", 120_000_000),
    ("十二亿三千四百万五千", 1_234_005_000), ("一万亿", 10**12),
    # Colloquial elision: a last digit right after a unit is the next unit down.
    ("二百五", 250), ("一千二", 1200), ("一万五", 15_000), ("两亿三", 230_000_000),
    # A bare unit at the start means one of it (百余家, 千余人, 万余人).
    ("百", 100), ("千", 1000), ("万", 10_000), ("百万", 1_000_000),
    # Financial forms.
    ("壹仟贰佰", 1200), ("叁拾", 30),
    # Decimals with 点, and digit-by-digit runs as years are written.
    ("三点五", 3.5), ("六十五点五", 65.5), ("一点八亿", 180_000_000), ("二〇二三", 2023),
])
def test_chinese_numerals(text, value):
    assert parse_chinese(text) == value


@pytest.mark.parametrize("text", [
    "千百",  # 千百年: 百 may not follow 千 without a digit
    "万千",  # 万千家庭
    "十四五", "十五五",  # plan names: a digit may not follow a digit
    "百千", "十十",  # units out of order
    "一百零",  # ends in 零
    "零万",
    "一万一万",
    "三点",  # 三点 is a time, not a decimal
    "",
    "三个",
])
def test_malformed_chinese_is_rejected(text):
    with pytest.raises(ValueError):
        parse_chinese(text)


@pytest.mark.parametrize("text, value", [
    ("0", 0), ("39", 39), ("2033", 2033), ("45054.35", 45054.35), ("1,200", 1200),
    ("1,234.5", 1234.5), ("12,345,678", 12_345_678), ("１２３", 123), ("１２．５", 12.5),
])
def test_arabic_numerals(text, value):
    assert parse_arabic(text) == value


@pytest.mark.parametrize("text", ["1,23", "12,3456", "1.", ".5", "1.2.3", "5G", ""])
def test_malformed_arabic_is_rejected(text):
    with pytest.raises(ValueError):
        parse_arabic(text)


@pytest.mark.parametrize("text, value", [
    ("19.06万", 190_600), ("8.12万", 81_200), ("45054.35万", 450_543_500), ("0.35万", 3500),
    ("1.8亿", 180_000_000), ("185.07万", 1_850_700), ("3千万", 30_000_000), ("2万亿", 2 * 10**12),
    ("1,234.5亿", 123_450_000_000), ("１２万", 120_000), ("三千五百万", 35_000_000), ("两", 2),
])
def test_numbers_with_magnitudes_are_exact(text, value):
    assert parse_number(text) == value  # == on purpose: 8.12万 must not be 81199.99999999999


@pytest.mark.parametrize("text, percent", [
    ("40%", 40), ("１５％", 15), ("5‰", 0.5), ("百分之三十", 30), ("百分之十五", 15),
    ("百分之百", 100), ("百分之六十五点五", 65.5), ("千分之五", 0.5), ("八成", 80), ("两成", 20),
    ("三分之一", 100 / 3), ("三分之二", 200 / 3), ("四分之一", 25),
])
def test_percentages(text, percent):
    assert parse_percent(text) == pytest.approx(percent)


@pytest.mark.parametrize("text", ["40", "成", "分之一", "三分之"])
def test_non_percentages_are_rejected(text):
    with pytest.raises(ValueError):
        parse_percent(text)


def test_halfwidth_keeps_every_offset_and_chinese_punctuation():
    text = "增长１２．５％，共３Ｇ：好"
    plain = to_halfwidth(text)
    assert plain == "增长12.5%，共3G：好"
    assert len(plain) == len(text)


def test_scaled_has_no_binary_noise():
    assert 8.12 * 10_000 != 81_200
    assert scaled(8.12, 10_000) == 81_200


# --- found by fuzzing (issue 10): ValueError, never another error or an infinite value ------

@pytest.mark.parametrize("parse, text", [
    (parse_percent, "零分之五"),  # was ZeroDivisionError
    (parse_percent, "0分之5"),
    (parse_chinese, "亿" * 2000),  # was RecursionError: 亿 after 亿 recursed once per 亿
    (parse_chinese, "亿" * 40),  # was OverflowError: 10**320 has no float
    (parse_chinese, "三点五" + "亿" * 40),  # was inf
    (parse_chinese, "一" * 310),  # was inf
    (parse_number, "1" + "亿" * 600),  # magnitude capped before it is multiplied out
    (parse_number, "9" * 400),  # was inf
    (parse_percent, "1分之" + "9" * 400),  # was inf
])
def test_numerals_too_large_or_dividing_by_zero_are_rejected(parse, text):
    with pytest.raises(ValueError):
        parse(text)


def test_the_largest_magnitudes_a_paper_writes_still_read():
    assert parse_number("2万亿") == 2e12
    assert parse_chinese("一万亿") == 1e12
    assert parse_number("1千万亿") == 1e15
