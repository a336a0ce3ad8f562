"""Period labels (tests/annotations/README.md) to dates, and back to a kind.

    2023           a year          2023-01-01 … 2023-12-31
    2024-H1        a half          2024-01-01 … 2024-06-30
    2024-Q3        a quarter       2024-07-01 … 2024-09-30
    2024-07        a month
    2023-12-21     a day
    A/B            a span from the start of A to the end of B (2021/2023, 2024-07/2025-11)
    ../B           as of the end of B (a stock, or a total accumulated up to then)

Plain Python: sheets validate analysts' periods with it, and it documents the notation.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

# ASCII digits only, as in the dbt macros that compute the same bounds (２０２３ must be
# rejected here, not fail the build there).
_POINT = re.compile(r"([0-9]{4})(?:-(H[12]|Q[1-4]|[0-9]{2})(?:-([0-9]{2}))?)?")


@dataclass(frozen=True)
class PeriodBounds:
    label: str
    kind: str  # year, half, quarter, month, day, span, as_of
    start: date | None  # None for an as-of period: its start is not stated
    end: date


def _point(text: str) -> tuple[str, date, date]:
    match = _POINT.fullmatch(text)
    if not match:
        raise ValueError(f"not a period: {text!r} (expected e.g. 2023, 2024-H1, 2024-Q3, 2024-07, 2023-12-21)")
    year, part, day = int(match.group(1)), match.group(2), match.group(3)
    if part is None:
        return "year", date(year, 1, 1), date(year, 12, 31)
    if part[0] in "HQ":
        months = 6 if part[0] == "H" else 3
        first = (int(part[1]) - 1) * months + 1
        last = first + months - 1
        return ("half" if part[0] == "H" else "quarter", date(year, first, 1),
                date(year, last, calendar.monthrange(year, last)[1]))
    month = int(part)
    if not 1 <= month <= 12:
        raise ValueError(f"not a period: {text!r} (month {month})")
    if day is None:
        return "month", date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    try:
        day_date = date(year, month, int(day))
    except ValueError as err:  # 2023-02-30
        raise ValueError(f"not a period: {text!r} ({err})") from None
    return "day", day_date, day_date


def parse_period(label: str) -> PeriodBounds:
    """Raise ValueError with a reason a person understands if `label` is not a period."""
    label = label.strip()
    if "/" not in label:
        kind, start, end = _point(label)
        return PeriodBounds(label, kind, start, end)
    first, last = label.split("/", 1)
    if first == "..":
        return PeriodBounds(label, "as_of", None, _point(last)[2])
    start, end = _point(first)[1], _point(last)[2]
    if end < start:
        raise ValueError(f"not a period: {label!r} ends before it starts")
    return PeriodBounds(label, "span", start, end)
