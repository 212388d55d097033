"""The order periods are listed in: newest first, by the calendar of their scheme."""
from __future__ import annotations

from collections.abc import Callable

from jixiao_sdk.periods import Calendar, PeriodError

_KIND_ORDER = {"day": 0, "month": 1, "quarter": 2, "year": 3}


def newest_first(calendar: Calendar) -> Callable[[str], tuple]:
    """A sort key of period texts: later end date first, and at the same end the longer period
    (year, quarter, month); a text that is no period of `calendar` goes last."""

    def key(text: str) -> tuple:
        try:
            period = calendar.parse(text)
        except PeriodError:
            return (0, 0, text)
        return (-period.end.toordinal(), -_KIND_ORDER[period.kind], text)

    return key
