"""Completeness (缺报): the figures a scheme expects from each unit, and which are missing.

Expectations. A metric of the scheme's `metrics` section with ``expected: month``,
``quarter`` or ``year`` is expected from every unit of every category that is
assigned an indicator consuming the metric (an input metric of the indicator's
plug-in): in each period of that kind of the scheme's year the unit must report
at least one figure of it. A metric without `expected` is expected from no one
(funds won from higher levels arrive when they are won, a commendation when it is
given).

Figures. A figure is a stored unit-level event (no person) that no revision
supersedes. It lies inside a period when its own period does: a figure for
2026-03-15 lies inside 2026-03, 2026-Q1 and 2026; one for 2026-Q1 inside 2026-Q1
and 2026 but inside no month; one for 2026 inside the year only.

Checked periods. Checking a period P (a month, a quarter or the year) checks the
expected periods inside P: P itself when it is of the expected kind, and the
shorter expected periods inside it. A quarter checks its three months for a
monthly metric and itself for a quarterly one; the year checks its twelve months,
its four quarters and itself. An expected period longer than P is not inside it:
a yearly survey is not checked in a quarter or a month. Only periods of the
scheme's year are checked.

Cut-off. An expected period counts only when it has ended by the cut-off
(`checked_through`): the latest end of a figure stored for the scheme's year, of
any unit and metric. While the year is under way, a month whose reports are not
due yet is therefore not missing (with figures up to 30 September stored, October
does not count yet); once a figure for December (or for the year) is stored, every
expected period of the year counts. With no figure stored, nothing counts.

Gaps. A gap is an expected (unit, metric, period) that counts and has no figure
of that unit and metric inside that period. A unit with at least one gap in P is
incomplete in P: its total for P rests on part of the figures the scheme expects.
Gaps are listed by unit id, metric, then period (oldest first).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from jixiao.common.stages import PERIOD_KINDS
from jixiao_sdk.periods import Period

from .scheme_view import SchemeView

EXPECTED_KINDS = PERIOD_KINDS


@dataclass(frozen=True)
class Expectation:
    """A unit must report a figure of `metric` in every period of kind `kind`."""

    unit_id: str
    metric: str
    kind: str


@dataclass(frozen=True)
class Gap:
    unit_id: str
    metric: str
    period: Period


@dataclass(frozen=True)
class Completeness:
    """The check of one period: how many expected (unit, metric, period) counted, and the gaps."""

    period: Period
    checked_through: date | None
    expected: int
    gaps: tuple[Gap, ...]

    def gaps_by_unit(self, metrics: Collection[str] | None = None) -> dict[str, int]:
        """unit id → number of its gaps (of `metrics` only, when given); units without gaps are absent."""
        counts: dict[str, int] = defaultdict(int)
        for gap in self.gaps:
            if metrics is None or gap.metric in metrics:
                counts[gap.unit_id] += 1
        return dict(counts)

    def missing(self) -> list[tuple[str, str, tuple[Period, ...]]]:
        """(unit id, metric, its missing periods oldest first), by unit id then metric."""
        grouped: dict[tuple[str, str], list[Period]] = defaultdict(list)
        for gap in self.gaps:
            grouped[(gap.unit_id, gap.metric)].append(gap.period)
        return [(unit, metric, tuple(periods)) for (unit, metric), periods in sorted(grouped.items())]


def expectations(scheme: SchemeView, input_metrics: Mapping[str, Sequence[str]]) -> tuple[Expectation, ...]:
    """Who must report what how often: every unit, for each metric with `expected` that an
    indicator assigned to its category consumes (`input_metrics`: indicator → its metrics)."""
    expected = scheme.expected_reports
    found = []
    for unit_id in sorted(scheme.units):
        consumed = {m for a in scheme.assignments_for(unit_id) for m in input_metrics.get(a.indicator, ())}
        found += [Expectation(unit_id, metric, expected[metric]) for metric in sorted(consumed & set(expected))]
    return tuple(found)


def periods_inside(period: Period, kind: str) -> tuple[Period, ...]:
    """The periods of `kind` (month, quarter, year) inside `period`, oldest first, by
    `period`'s calendar."""
    if kind not in EXPECTED_KINDS:
        raise ValueError(f"{kind!r} is not one of {', '.join(EXPECTED_KINDS)}")
    calendar = period.calendar
    found = {p for month in calendar.months(period) for p in month.enclosing() if p.kind == kind}
    return tuple(sorted(p for p in found if period.contains(p)))


def check(period: Period, year: int | Period, expected: Iterable[Expectation],
          figures: Iterable[tuple[str, str, date, date]], checked_through: date | None) -> Completeness:
    """The gaps of `period` (see the module doc). `figures` are the stored figures as
    (unit id, metric, period start, period end), at least those inside `period`;
    `checked_through` is the latest end of a figure stored for the scheme's `year` (its
    number, or the year as a period: a financial year too)."""
    number = year.year if isinstance(year, Period) else year
    spans: dict[tuple[str, str], list[tuple[date, date]]] = defaultdict(list)
    for unit_id, metric, start, end in figures:
        spans[(unit_id, metric)].append((start, end))
    inside: dict[str, tuple[Period, ...]] = {}
    counted, gaps = 0, []
    for e in expected:
        if e.kind not in inside:
            inside[e.kind] = tuple(p for p in periods_inside(period, e.kind) if p.year == number
                                   and checked_through is not None and p.end <= checked_through)
        mine = spans.get((e.unit_id, e.metric), ())
        for p in inside[e.kind]:
            counted += 1
            if not any(p.start <= start and end <= p.end for start, end in mine):
                gaps.append(Gap(e.unit_id, e.metric, p))
    gaps.sort(key=lambda g: (g.unit_id, g.metric, g.period.start, g.period.end))
    return Completeness(period, checked_through, counted, tuple(gaps))
