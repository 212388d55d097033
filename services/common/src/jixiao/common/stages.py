"""When a scheme assesses what, and how a missing result counts: the options
a scheme document may set, shared by the registry (which validates them) and
scoring (which applies them).

- ``dimensions[].assessed_in`` and ``indicators[].assessed_in``: the period
  kinds (``month``, ``quarter``, ``year``) in which a dimension or an indicator
  is assessed; all three when absent. 民评 and 官评 surveys, for instance, are
  held at year end: ``assessed_in: [year]``. A period's total is computed over
  what is assessed in it, the weights renormalised.
- ``indicators[].period_basis``: ``year_to_date`` (a month's or quarter's
  result is the figure since the start of the year against the plan prorated
  to that date, 序时进度) or ``period_alone`` (the period on its own); the
  plug-in's own declaration when absent.
- ``scheme.missing_results`` and ``dimensions[].missing``: what an indicator
  result that should exist but does not (no figures, or a failed evaluation)
  counts as: ``zero`` (0 points, its weight kept) or ``excluded`` (left out,
  the other weights renormalised). Either way it is listed as missing.
- ``baselines``: last year's figures the office imports with the scheme, for
  like-for-like comparison (同比) where last year's events are not stored:
  ``{unit: U-R01, metric: fixed_asset_investment, period: 2025-03, value: 20.1,
  measurement_unit: CNY_100M}``.
- ``scheme.year_start_month``: the month the scheme's year starts in (1, the
  calendar year, by default; 4 for a financial year from April). The year is
  named by the calendar year it starts in and its quarters count from that
  month (see :mod:`jixiao_sdk.periods`).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from jixiao_sdk.periods import Calendar, Period, parse_period

PERIOD_KINDS = ("month", "quarter", "year")
PERIOD_BASES = ("period_alone", "year_to_date")
MISSING_POLICIES = ("zero", "excluded")
DEFAULT_MISSING = "zero"


def assessed_kinds(value: Iterable[str] | None) -> frozenset[str]:
    """The period kinds of an ``assessed_in`` entry (every kind when absent)."""
    return frozenset(PERIOD_KINDS) if value is None else frozenset(value)


def calendar_of(header: Mapping) -> Calendar:
    """The calendar of a scheme's year, from its ``scheme`` section (validated)."""
    return Calendar(int(header.get("year_start_month") or 1))


def year_start_problem(value) -> str | None:
    """Why ``scheme.year_start_month`` is not a month number, or ``None`` (absent is 1)."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 12):
        return None
    return f"must be a month number from 1 to 12 (4 for a year from April), not {value!r}"


def scheme_year_of(text: str, calendar_of_year: Callable[[int], Calendar | None]) -> tuple[int | None, Period]:
    """The year of the scheme a period text falls in, and the period read with that scheme's
    calendar; ``(None, the calendar-year period)`` when no scheme covers it.

    *calendar_of_year* gives the calendar of the scheme of a year (``None`` when there is
    none). A year or a quarter is named by its scheme's year (``2022-Q4``); a month or a day
    by the calendar, so with years from April ``2023-01`` falls in the scheme of 2022: the
    scheme of its calendar year when that year covers it, else of the year before.
    Raises :class:`jixiao_sdk.periods.PeriodError` when the text is not a period."""
    period = parse_period(text)
    if period.kind in ("year", "quarter"):
        calendar = calendar_of_year(period.start.year)
        return (None, period) if calendar is None else (period.start.year, calendar.parse(text))
    for number in (period.start.year, period.start.year - 1):
        calendar = calendar_of_year(number)
        if calendar is not None and calendar.year_of(period.start) == number:
            return number, calendar.parse(text)
    return None, period
