from datetime import date

import pytest

from pipelines.period_labels import parse_period


@pytest.mark.parametrize("label, kind, start, end", [
    ("2023", "year", date(2023, 1, 1), date(2023, 12, 31)),
    ("2024-H2", "half", date(2024, 7, 1), date(2024, 12, 31)),
    ("2024-Q1", "quarter", date(2024, 1, 1), date(2024, 3, 31)),
    ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29)),
    ("2023-12-21", "day", date(2023, 12, 21), date(2023, 12, 21)),
    ("2021/2023", "span", date(2021, 1, 1), date(2023, 12, 31)),
    ("2024-07/2025-11", "span", date(2024, 7, 1), date(2025, 11, 30)),
    ("../2025-07", "as_of", None, date(2025, 7, 31)),
])
def test_labels_give_their_bounds(label, kind, start, end):
    bounds = parse_period(label)
    assert (bounds.kind, bounds.start, bounds.end) == (kind, start, end)


@pytest.mark.parametrize("label", ["", "23", "2023年", "2023-13", "2023-02-30", "2025/2021", "../"])
def test_anything_else_is_refused_with_a_reason(label):
    with pytest.raises(ValueError, match="not a period|day is out of range"):
        parse_period(label)
