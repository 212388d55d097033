"""The bulletin's key indicators (重点指标完成情况): per category and key indicator,
one row per unit, as an evaluation office's quarterly bulletin gives them
("1–9月累计完成投资105.30亿元，占年计划43.5%，序时进度70.0%，落后26.5个百分点，
居第9位，较上期前进2位").

Key indicators. The amounts with a year's plan that progress tracks (progress.py;
`ScoringQueries.progress` selects them: a target with a value, not a ratio, of an
indicator that sums one metric): investment, fiscal revenue, funds won from higher
levels. A category's key indicators are those with a target for some unit of it;
each has a row for every unit of the category with a target for it.

A row, at the end of a period P (a month, a quarter or the year):

- `year_to_date`: the sum of the unit's figures of the metric from the start of the
  year (1 January, or the first day of a financial year) to P's end (年初至今累计; stored unit-level figures no revision supersedes), converted
  to the table's unit (below; `progress.amount_in`);
- `plan`: the target's value (年计划), in the table's unit;
- `completion` = year_to_date / plan (占年计划);
- `expected`: the share of the plan due by P's end (序时进度,
  `progress.expected_share`: by the target's milestones, else the share of the year
  elapsed);
- `ahead_points` = 100 × (completion − expected), in percentage points: positive
  ahead of schedule (快), negative behind (慢);
- `warning`: behind by more than the scheme's `progress_tolerance`
  (`progress.assess_progress`).

Units. A table (a category and key indicator) is given in its targets' measurement
unit (`table_unit`): the unit they share, or 亿元 (CNY_100M) when they are money units
of different sizes; units that cannot be converted to one another leave each row in
its target's unit and the table unlabelled. Money figures, plans and last year's
figures are converted to the table's unit as the plug-ins convert them (through 亿元,
`jixiao_sdk.helpers.to_100m`), so figures reported in 万元 (CNY_10K) compare with a
plan and baselines in 亿元.

Rank. Inside the category and indicator by completion, highest first. Exact ties
share a rank, competition style (1, 2, 2, 4: one more than the number of rows with
a strictly higher completion), as `ranking.rank` ranks totals. Inside a tie the rows
are listed by unit id, which decides nothing.

Change since the last bulletin (较上期). The last bulletin is that of the previous
period of the same kind (`progress.previous_period`: 2026-Q2 for 2026-Q3, 2025-Q4
for 2026-Q1). A row's `previous_rank` and `previous_completion` are those of the
unit's row for the same category and indicator in that bulletin, when it has one
(none when scoring does not hold that period's scheme);
`vs_previous_points` = 100 × (completion − previous_completion), and the rank
change is previous_rank − rank (positive: moved up).

Year on year (同比, like for like). Last year's same span runs from the start of last
year to the same day as P's end one year earlier (`last_year_span`: 1 January–30 September
2025 for 2026-Q3; 29 February → 28 February). Its figure is the sum of the scheme's
`baselines` of the unit and metric (last year's figures imported with this year's
scheme) whose own period lies inside that span, in the table's unit. Last year's
stored events are never used: this year's bulletin does not depend on whether or
when they were stored. It is known only when those baselines reach the span's last
month, i.e. one of them ends in it (`like_for_like`). Otherwise the row
has no year-on-year figure: a figure for the whole of last year (or a quarter
running past the span) is never inside the span, and a span whose last months were
not reported is not compared. `vs_last_year` = year_to_date / last year's − 1, none
when last year's figure is 0.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from jixiao_sdk.periods import CALENDAR_YEAR, Calendar

from .progress import Progress, is_money
from .ranking import competition_ranks


@dataclass(frozen=True)
class LastYearFigure:
    """One of last year's figures (a scheme baseline): its period's first and last day, and its value."""

    start: date
    end: date
    value: float


@dataclass(frozen=True)
class KeyFigure:
    """What a row is made of: the unit's progress at the period's end, and last year's
    figure of the same span (None when not known)."""

    unit_id: str
    progress: Progress
    last_year: float | None = None


@dataclass(frozen=True)
class KeyRow:
    rank: int
    unit_id: str
    year_to_date: float
    plan: float
    completion: float
    expected: float
    ahead_points: float
    warning: bool
    previous_rank: int | None = None
    previous_completion: float | None = None
    vs_previous_points: float | None = None
    last_year: float | None = None
    vs_last_year: float | None = None

    @property
    def rank_change(self) -> int | None:
        """previous_rank − rank: positive when the unit moved up; None without a previous row."""
        return None if self.previous_rank is None else self.previous_rank - self.rank


def key_rows(figures: Iterable[KeyFigure], previous: Sequence[KeyRow] = ()) -> list[KeyRow]:
    """The rows of one category and key indicator, ranked by completion, with their change
    since the same rows of the last bulletin (`previous`)."""
    ordered = sorted(figures, key=lambda f: (-f.progress.actual_share, f.unit_id))
    ranks = competition_ranks([f.progress.actual_share for f in ordered])
    before = {row.unit_id: row for row in previous}
    rows = []
    for rank, f in zip(ranks, ordered, strict=True):
        p, last = f.progress, before.get(f.unit_id)
        rows.append(KeyRow(
            rank=rank, unit_id=f.unit_id, year_to_date=p.actual, plan=p.target, completion=p.actual_share,
            expected=p.expected_share, ahead_points=100.0 * (p.actual_share - p.expected_share), warning=p.warning,
            previous_rank=last.rank if last else None, previous_completion=last.completion if last else None,
            vs_previous_points=100.0 * (p.actual_share - last.completion) if last else None,
            last_year=f.last_year,
            vs_last_year=p.actual / f.last_year - 1.0 if f.last_year else None,
        ))
    return rows


def last_year_span(period_end: date, calendar: Calendar = CALENDAR_YEAR) -> tuple[date, date]:
    """The start of last year (1 January, or the first day of a financial year) to the same
    day as `period_end` one year earlier (29 February → 28 February)."""
    day = 28 if (period_end.month, period_end.day) == (2, 29) else period_end.day
    end = date(period_end.year - 1, period_end.month, day)
    return calendar.year(calendar.year_of(end)).start, end


def like_for_like(figures: Iterable[LastYearFigure], start: date, end: date) -> float | None:
    """The sum of the figures inside [start, end], when they reach the span's last month
    (one of them ends in it); else None (see the module doc)."""
    inside = [f for f in figures if start <= f.start and f.end <= end]
    if not inside or max(f.end for f in inside) < end.replace(day=1):
        return None
    return sum(f.value for f in inside)


def table_unit(units: Iterable[str]) -> str | None:
    """The measurement unit of a key-indicator table with targets in `units`: the unit they
    share; CNY_100M (亿元) when they are money units of different sizes (an empty unit is
    CNY_100M); None when they cannot be converted to one another (each row then stays in
    its target's unit)."""
    found = set(units)
    if len(found) <= 1:
        return next(iter(found), "")
    if all(is_money(u) for u in found):
        return "CNY_100M"
    return None
