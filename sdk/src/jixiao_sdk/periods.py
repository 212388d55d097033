"""Evaluation periods: year, quarter, month and day, written as strings.

The platform names a period by one of four forms (the seeds' daily record, monthly
review, quarterly assessment and annual summary):

======== ============== ==================================================
form     example        covers
======== ============== ==================================================
year     ``2026``       the scheme's year that starts in 2026
quarter  ``2026-Q1``    the first three months of that year
month    ``2026-03``    one calendar month
day      ``2026-03-15`` one day
======== ============== ==================================================

Digits are ASCII only and nothing may follow (``"2026-0３"`` or ``"2026\\n"`` would
otherwise name a second March beside ``2026-03``, past its lock).

**Fiscal years.** A scheme's year starts in January by default (``year_start_month`` 1).
A scheme whose year starts in April (``year_start_month: 4``) names its year by the
calendar year it starts in: ``2022`` is 1 April 2022 to 31 March 2023 (shown as
"2022/23"), ``2022-Q1`` is April to June 2022 and ``2022-Q4`` January to March 2023.
Months and days keep their calendar names: ``2023-01`` belongs to the year ``2022``
and to its quarter ``2022-Q4``. A :class:`Calendar` reads period texts for one such
year start; the module-level functions use the calendar year.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

_PATTERN = re.compile(r"([0-9]{4})(?:-Q([1-4])|-([0-9]{2})(?:-([0-9]{2}))?)?")
_ORDER = {"day": 0, "month": 1, "quarter": 2, "year": 3}
#: The period kinds, shortest first.
KINDS: tuple[str, ...] = ("day", "month", "quarter", "year")
FORMS = "YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD"


class PeriodError(ValueError):
    """The text is not a period."""


@dataclass(frozen=True, order=True)
class Period:
    """One period: its first and last day (inclusive), kind and text.

    ``year_start_month`` is the month its calendar's year starts in (1 for calendar
    years); ``year`` is the number of the (fiscal) year the period lies in.
    """

    start: date
    end: date  # inclusive
    kind: str
    text: str
    year_start_month: int = 1

    def __str__(self) -> str:
        return self.text

    @property
    def calendar(self) -> Calendar:
        return Calendar(self.year_start_month)

    @property
    def year(self) -> int:
        return self.calendar.year_of(self.start)

    @property
    def day_after(self) -> date:
        return self.end + timedelta(days=1)

    def enclosing(self) -> tuple[Period, ...]:
        """This period and every longer one containing it, shortest first."""
        cal = self.calendar
        return (self,) + tuple(cal.containing(self.start, kind) for kind in KINDS
                               if _ORDER[kind] > _ORDER[self.kind])

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def elapsed_share(self, as_of: date) -> float:
        """Share of the period elapsed at the end of day `as_of` (0 to 1)."""
        if as_of < self.start:
            return 0.0
        if as_of >= self.end:
            return 1.0
        return ((as_of - self.start).days + 1) / ((self.end - self.start).days + 1)


@dataclass(frozen=True)
class Calendar:
    """Reads and builds period texts for a year starting in ``year_start_month``."""

    year_start_month: int = 1

    def __post_init__(self) -> None:
        if not isinstance(self.year_start_month, int) or isinstance(self.year_start_month, bool) \
                or not 1 <= self.year_start_month <= 12:
            raise ValueError(f"year_start_month {self.year_start_month!r} is not a month number 1..12")

    @property
    def fiscal(self) -> bool:
        return self.year_start_month != 1

    def parse(self, text: str) -> Period:
        """The period *text* names; :class:`PeriodError` naming the forms if none."""
        return _parse(text, self.year_start_month)

    def bounds(self, text: str) -> tuple[date, date]:
        """``(first_day, day_after_last_day)`` of the period *text* names."""
        period = self.parse(text)
        return period.start, period.day_after

    def year_of(self, day: date) -> int:
        """The number of the year *day* lies in."""
        return day.year if day.month >= self.year_start_month else day.year - 1

    def year(self, number: int) -> Period:
        return self.parse(f"{number:04d}")

    def quarter(self, number: int, q: int) -> Period:
        return self.parse(f"{number:04d}-Q{q}")

    def containing(self, day: date, kind: str) -> Period:
        """The period of *kind* that contains *day*."""
        if kind == "day":
            return self.parse(day.isoformat())
        if kind == "month":
            return self.parse(f"{day.year:04d}-{day.month:02d}")
        number = self.year_of(day)
        if kind == "year":
            return self.year(number)
        if kind == "quarter":
            return self.quarter(number, (day.month - self.year_start_month) % 12 // 3 + 1)
        raise ValueError(f"kind {kind!r} is not one of {', '.join(KINDS)}")

    def months(self, period: Period | str) -> tuple[Period, ...]:
        """The calendar months of a month, quarter or year, in order."""
        period = self.parse(period) if isinstance(period, str) else period
        first = period.start.year * 12 + period.start.month - 1
        last = period.end.year * 12 + period.end.month - 1
        return tuple(self.parse(f"{i // 12:04d}-{i % 12 + 1:02d}") for i in range(first, last + 1))

    def quarters(self, number: int) -> tuple[Period, ...]:
        """The four quarters of the year *number*, in order."""
        return tuple(self.quarter(number, q) for q in range(1, 5))

    def scored_periods(self, number: int) -> tuple[Period, ...]:
        """The year *number*, its quarters and its months: the periods scores are kept for."""
        year = self.year(number)
        return (year,) + self.quarters(number) + self.months(year)

    def year_to_date(self, period: Period | str) -> tuple[date, date]:
        """``(first_day, last_day)`` from the start of the year to the end of *period*."""
        period = self.parse(period) if isinstance(period, str) else period
        return self.year(period.year).start, period.end

    def end_fraction(self, inner: str, outer: str) -> float:
        """Share of *outer* elapsed when *inner* ends, clamped to ``[0, 1]``."""
        outer_start, outer_end = self.bounds(outer)
        _, inner_end = self.bounds(inner)
        share = (inner_end - outer_start).days / (outer_end - outer_start).days
        return min(1.0, max(0.0, share))


CALENDAR_YEAR = Calendar(1)


@functools.lru_cache(maxsize=16384)  # the same few hundred periods are read for every event
def _parse(text: str, year_start_month: int) -> Period:
    match = _PATTERN.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise PeriodError(f"period {text!r} is not one of {FORMS}")
    y_text, quarter, month, day = match.groups()
    y = int(y_text)
    try:
        if quarter:
            start = _add_months(date(y, year_start_month, 1), 3 * (int(quarter) - 1))
            kind, after = "quarter", _add_months(start, 3)
        elif day:
            start = date(y, int(month), int(day))
            kind, after = "day", start + timedelta(days=1)
        elif month:
            start = date(y, int(month), 1)
            kind, after = "month", _add_months(start, 1)
        else:
            start = date(y, year_start_month, 1)
            kind, after = "year", _add_months(start, 12)
    except (ValueError, OverflowError) as exc:
        raise PeriodError(f"period {text!r} is not a real calendar date: {exc}") from None
    return Period(start, after - timedelta(days=1), kind, text, year_start_month)


def parse_period(text: str, year_start_month: int = 1) -> Period:
    """The period *text* names (calendar years unless *year_start_month* says otherwise)."""
    return _parse(text, year_start_month)


def period_bounds(period: str, year_start_month: int = 1) -> tuple[date, date]:
    """Return ``(first_day, day_after_last_day)`` of *period*.

    Raises :class:`PeriodError` (a :class:`ValueError`) naming the accepted forms if
    *period* is not one of them.
    """
    return Calendar(year_start_month).bounds(period)


def is_period(period: str) -> bool:
    """Tell whether *period* is a well-formed period string."""
    try:
        _parse(period, 1)
    except PeriodError:
        return False
    return True


def end_fraction(inner: str, outer: str, year_start_month: int = 1) -> float:
    """Share of *outer* that has elapsed when *inner* ends, clamped to ``[0, 1]``.

    ``end_fraction("2026-Q1", "2026")`` is 90/365: by the end of the first quarter, that
    share of the year has passed. Used to place milestones on the time axis of a period.
    """
    return Calendar(year_start_month).end_fraction(inner, outer)


def day_period(day: date, year_start_month: int = 1) -> Period:
    return _parse(day.isoformat(), year_start_month)


def _add_months(first_day: date, months: int) -> date:
    index = first_day.year * 12 + first_day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


__all__ = ["CALENDAR_YEAR", "FORMS", "KINDS", "Calendar", "Period", "PeriodError", "day_period",
           "end_fraction", "is_period", "parse_period", "period_bounds"]
