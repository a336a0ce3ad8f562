"""The scorer itself: it must count what the issue says counts."""

from __future__ import annotations

from pipelines.scoring import score

S = "截至目前，全市住房公积金累计归集总额突破460亿元，较3年前增长37.8%。"


def figure(text, value, unit, qualifier, **extra):
    base = {"doc": "d", "sentence": S, "text": text, "value": value, "unit": unit,
            "qualifier": qualifier, "period": "../2025-11", "base_period": None,
            "place": "昭通市", "is_change": False, "is_target": False, "is_forecast": False}
    return base | extra


GOLD = [figure("突破460亿元", 46e9, "元", "gt"),
        figure("37.8%", 37.8, "%", "exact", base_period="2022", is_change=True)]


def test_perfect_extraction_scores_one():
    result = score(GOLD, GOLD)
    assert (result.precision, result.recall, result.f1) == (1.0, 1.0, 1.0)
    assert result.accuracy("period") == 1.0 and result.errors == []


def test_a_wrong_qualifier_is_not_found_and_is_reported():
    predicted = [figure("460亿元", 46e9, "元", "exact"), GOLD[1]]
    result = score(GOLD, predicted)
    assert result.found == 1 and result.f1 == 0.5
    assert result.errors[0]["kind"] == "wrong value, unit or qualifier"


def test_missed_spurious_and_wrong_attributes():
    predicted = [GOLD[0] | {"place": "镇雄县"}, figure("3年", 3, "年", "exact")]
    result = score(GOLD, predicted)
    assert (result.gold, result.predicted, result.found) == (2, 2, 1)
    assert result.accuracy("place") == 0.0 and result.accuracy("period") == 1.0
    kinds = sorted(e["kind"] for e in result.errors)
    assert kinds == ["missed", "spurious", "wrong place"]
