"""Progress against plan, early warnings, and period-over-period comparison.

Expected share. A target's milestones say what share of the year's value is due by the
end of a period ("2026-03": 0.2, "2026-06": 0.45, …). Between two milestone ends the
expected share grows linearly with the days elapsed, starting from 0 at the start of
the year; after the last milestone it stays at that milestone's share. Days count at
their end, as in `Period.elapsed_share`: on 31 March the March milestone is fully due,
on 1 January 1/90 of it is. A target without milestones is time-proportional: the
share of the year elapsed at the end of the day.

Warning. A unit lags when its actual share (actual / target) is below the expected
share by more than the scheme's `progress_tolerance`, an absolute gap in shares
(0.50 actual vs 0.70 expected with tolerance 0.10 → gap 0.20 → warning). A gap equal
to the tolerance, within 1e-9 (float noise), is no warning. Amounts are cumulative
and higher is better.

Units. A target's actual is the sum of the unit's figures of the metric, each in its
own measurement unit. When the target's unit is a money unit (CNY, CNY_10K, CNY_100M;
an empty unit is CNY_100M), the figures are converted to 亿元 as the plug-ins convert
them (`jixiao_sdk.helpers.to_100m`) and the sum is expressed in the target's unit
(`amount_in`): 810,000 万元 and 81 亿元 are the same amount. A figure in a unit that is
no money unit cannot be converted and is refused. Other targets (counts) add the
figures' values as they are.

Deltas. Totals keyed by period text ("2026", "2026-Q2", "2026-05", "2026-05-14") are
compared with the previous period of the same kind and with the same period one year
earlier (29 February compares with 28 February).
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from jixiao_sdk.helpers import MONEY_UNITS, to_100m
from jixiao_sdk.periods import CALENDAR_YEAR, Calendar, Period, parse_period

_EPSILON = 1e-9


@dataclass(frozen=True)
class Milestone:
    """Share of the target due by the end of `period` (read with the scheme's calendar)."""

    period: str
    share: float
    year_start_month: int = 1

    @property
    def end(self) -> date:
        return parse_period(self.period, self.year_start_month).end


@dataclass(frozen=True)
class Progress:
    actual: float
    target: float
    actual_share: float
    expected_share: float
    achievement: float | None  # actual_share / expected_share; None while nothing is due yet
    gap: float                 # expected_share - actual_share; positive when behind plan
    tolerance: float
    warning: bool


@dataclass(frozen=True)
class PeriodDelta:
    period: str
    value: float
    previous_period: str
    previous_value: float | None
    vs_previous: float | None       # value - previous_value
    vs_previous_pct: float | None   # value / previous_value - 1; None when previous is missing or 0
    last_year_period: str
    last_year_value: float | None
    vs_last_year: float | None
    vs_last_year_pct: float | None


def milestones_from_target(target: Mapping[str, Any], calendar: Calendar = CALENDAR_YEAR) -> tuple[Milestone, ...]:
    """The milestones of one item of a scheme document's `targets` list, in period order."""
    items = tuple(Milestone(str(m["period"]), float(m["share"]), calendar.year_start_month)
                  for m in target.get("milestones") or ())
    return tuple(sorted(items, key=lambda m: m.end))


def expected_share(as_of: date, year: int | Period, milestones: Iterable[Milestone] = ()) -> float:
    """Share of the year's target due at the end of day `as_of` (see the module doc).
    `year` is the scheme's year as a period (a financial year too), or a calendar year's number."""
    year_period = year if isinstance(year, Period) else parse_period(str(year))
    points = sorted(milestones, key=lambda m: m.end)
    if not points:
        return year_period.elapsed_share(as_of)
    _check_milestones(points, year_period)
    now = _day_number(as_of, year_period)
    before_day, before_share = 0, 0.0
    for m in points:
        day, share = _day_number(m.end, year_period), m.share
        if now <= day:
            return before_share + (share - before_share) * (now - before_day) / (day - before_day)
        before_day, before_share = day, share
    return before_share


def assess_progress(actual: float, target: float, expected: float, tolerance: float) -> Progress:
    """Compare an actual cumulative amount with the share of `target` expected by now."""
    if not (math.isfinite(target) and target > 0):
        raise ValueError(f"target must be a positive number, not {target!r}")
    if not (math.isfinite(actual) and math.isfinite(expected) and math.isfinite(tolerance)) or tolerance < 0:
        raise ValueError("actual, expected share and tolerance must be finite; tolerance not negative")
    actual_share = actual / target
    gap = expected - actual_share
    return Progress(
        actual=actual,
        target=target,
        actual_share=actual_share,
        expected_share=expected,
        achievement=actual_share / expected if expected > 0 else None,
        gap=gap,
        tolerance=tolerance,
        warning=gap > tolerance + _EPSILON,
    )


def progress_at(as_of: date, year: int | Period, actual: float, target: float, milestones: Iterable[Milestone] = (),
                tolerance: float = 0.1) -> Progress:
    """`assess_progress` against `expected_share(as_of, year, milestones)`."""
    return assess_progress(actual, target, expected_share(as_of, year, milestones), tolerance)


def is_money(unit: str) -> bool:
    """Whether `unit` is a money unit (an empty unit is CNY_100M, as for the plug-ins)."""
    return (unit or "CNY_100M") in MONEY_UNITS


def amount_in(amounts: Mapping[str, float], unit: str, what: str = "a figure") -> float:
    """The sum of `amounts` (measurement unit → value in it) expressed in `unit`: converted
    through 亿元 when `unit` is a money unit, else added as they are (see the module doc).
    ValueError names `what` when a value's unit is no money unit."""
    if not is_money(unit):
        return math.fsum(amounts.values())
    into = unit or "CNY_100M"
    return math.fsum(value if (source or "CNY_100M") == into else to_100m(value, source, what) / MONEY_UNITS[into]
                     for source, value in amounts.items())


def previous_period(period: str, calendar: Calendar = CALENDAR_YEAR) -> str:
    """The period of the same kind just before `period` ("2026-Q1" → "2025-Q4")."""
    p = calendar.parse(period)
    return _same_kind(p, p.start - timedelta(days=1))


def same_period_last_year(period: str, calendar: Calendar = CALENDAR_YEAR) -> str:
    """The same period one year earlier ("2026-Q2" → "2025-Q2"; "2024-02-29" → "2023-02-28")."""
    p = calendar.parse(period)
    start = p.start
    day = min(start.day, 28) if (start.month, start.day) == (2, 29) else start.day
    return _same_kind(p, date(start.year - 1, start.month, day))


def period_delta(totals: Mapping[str, float], period: str, calendar: Calendar = CALENDAR_YEAR) -> PeriodDelta:
    """Compare `totals[period]` with the previous period and the same period last year."""
    value = totals[period]
    before = previous_period(period, calendar)
    last_year = same_period_last_year(period, calendar)
    prev_value, ly_value = totals.get(before), totals.get(last_year)
    return PeriodDelta(
        period=period,
        value=value,
        previous_period=before,
        previous_value=prev_value,
        vs_previous=None if prev_value is None else value - prev_value,
        vs_previous_pct=_relative(value, prev_value),
        last_year_period=last_year,
        last_year_value=ly_value,
        vs_last_year=None if ly_value is None else value - ly_value,
        vs_last_year_pct=_relative(value, ly_value),
    )


def _relative(value: float, base: float | None) -> float | None:
    if base is None or base == 0:
        return None
    return value / base - 1.0


def _same_kind(p: Period, day: date) -> str:
    return p.calendar.containing(day, p.kind).text


def _day_number(day: date, year_period: Period) -> int:
    """Days of the year completed at the end of `day`, clipped to the year."""
    if day < year_period.start:
        return 0
    return (min(day, year_period.end) - year_period.start).days + 1


def _check_milestones(points: list[Milestone], year_period: Period) -> None:
    ends = [m.end for m in points]
    if len(set(ends)) != len(ends):
        raise ValueError("two milestones end on the same day")
    if not all(year_period.start <= end <= year_period.end for end in ends):
        raise ValueError(f"milestones must end within {year_period}")
    shares = [m.share for m in points]
    if any(not math.isfinite(s) or s < 0 for s in shares) or shares != sorted(shares):
        raise ValueError("milestone shares must be non-negative and not decrease")
