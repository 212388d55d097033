"""Evaluation periods: year, quarter, month and day, written as strings.

The platform names a period by one of four forms (see DESIGN.md, "four stages"):

======== ============== ==================================
form     example        covers
======== ============== ==================================
year     ``2026``       1 January to 31 December
quarter  ``2026-Q1``    three calendar months
month    ``2026-03``    one calendar month
day      ``2026-03-15`` one day
======== ============== ==================================
"""

from __future__ import annotations

import functools
import re
from datetime import date, timedelta

_PATTERN = re.compile(r"^(\d{4})(?:-Q([1-4])|-(\d{2})(?:-(\d{2}))?)?$")


@functools.lru_cache(maxsize=8192)  # the same few hundred periods are checked for every event
def period_bounds(period: str) -> tuple[date, date]:
    """Return ``(first_day, day_after_last_day)`` of *period*.

    Raises :class:`ValueError` naming the accepted forms if *period* is not one of them.
    """
    match = _PATTERN.match(period) if isinstance(period, str) else None
    if match is None:
        raise ValueError(
            f"period {period!r} is not one of YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD"
        )
    year, quarter, month, day = match.groups()
    y = int(year)
    try:
        if quarter:
            start = date(y, 3 * int(quarter) - 2, 1)
            end = _add_months(start, 3)
        elif day:
            start = date(y, int(month), int(day))
            end = start + timedelta(days=1)
        elif month:
            start = date(y, int(month), 1)
            end = _add_months(start, 1)
        else:
            start, end = date(y, 1, 1), date(y + 1, 1, 1)
    except ValueError as exc:
        raise ValueError(f"period {period!r} is not a real calendar date: {exc}") from None
    return start, end


def is_period(period: str) -> bool:
    """Tell whether *period* is a well-formed period string."""
    try:
        period_bounds(period)
    except ValueError:
        return False
    return True


def end_fraction(inner: str, outer: str) -> float:
    """Share of *outer* that has elapsed when *inner* ends, clamped to ``[0, 1]``.

    ``end_fraction("2026-Q1", "2026")`` is 90/365: by the end of the first quarter, that
    share of the year has passed. Used to place milestones on the time axis of a period.
    """
    outer_start, outer_end = period_bounds(outer)
    _, inner_end = period_bounds(inner)
    share = (inner_end - outer_start).days / (outer_end - outer_start).days
    return min(1.0, max(0.0, share))


def _add_months(first_day: date, months: int) -> date:
    index = first_day.year * 12 + first_day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
