"""Periods day → month → quarter → year, by each indicator's roll-up rule.

An indicator's spec says how values of shorter periods make a longer one:

- ``sum`` (monthly amounts): the plug-in gets every observation inside the
  period and totals them, so a quarter is the sum of its months.
- ``last`` (cumulative figures, stocks): the plug-in gets, per metric, only
  the observations of the latest period reported inside the period, so a
  quarter is its last reported month's year-to-date figure.
- ``mean`` and ``max`` (ratings): a quarter's result is the mean (or the
  best) of its months' results, a year's of its quarters'; each child is
  scored on its own observations first. Where some observation is not inside
  any child (an annual survey reported for "2026"), children cannot stand
  for the period and the plug-in scores all its observations at once.
  A period made by one child alone (a year whose only rated quarter is the fourth)
  carries that child's explanation (FROM_ONLY), so the reader sees what was rated.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from jixiao_sdk import Observation
from jixiao_sdk.periods import CALENDAR_YEAR, Calendar, Period

RESULT_ROLLUPS = ("mean", "max")
#: A period whose result one sub-period alone makes says so, then that sub-period's explanation
#: (a year whose only rated quarter is the fourth, itself made by December alone:
#: "取自 from 2026-Q4 ← 2026-12: <December's explanation>").
FROM_ONLY = "取自 from "
_CHILD_KIND = {"quarter": "month", "year": "quarter"}


def children(period: Period) -> tuple[Period, ...]:
    """The scored periods one level down: a quarter's months, a year's quarters."""
    kind = _CHILD_KIND.get(period.kind)
    if kind == "month":
        return period.calendar.months(period)
    if kind == "quarter":
        return period.calendar.quarters(period.year)
    return ()


def rolls_up_results(rule: str, period: Period, observation_periods: Iterable[str]) -> bool:
    """Whether the period's result is combined from its children's results."""
    if rule not in RESULT_ROLLUPS:
        return False
    kids = children(period)
    return bool(kids) and all(any(kid.contains(period.calendar.parse(text)) for kid in kids)
                              for text in set(observation_periods))


def latest_only(observations: Sequence[Observation], calendar: Calendar = CALENDAR_YEAR) -> tuple[Observation, ...]:
    """Per metric, the observations of the latest period reported (rule ``last``)."""
    latest: dict[str, Period] = {}
    for obs in observations:
        period = calendar.parse(obs.period)
        best = latest.get(obs.metric_code)
        if best is None or (period.end, period.start) > (best.end, best.start):
            latest[obs.metric_code] = period
    return tuple(obs for obs in observations if calendar.parse(obs.period) == latest[obs.metric_code])


@dataclass(frozen=True)
class ChildResult:
    period: str
    status: str
    points: float
    raw_value: float | None
    achievement: float | None
    evidence: tuple[str, ...]
    veto_cap: int | None = None
    veto_reason: str = ""
    explanation: str = ""  # the child's own, carried up when it alone makes the period's result


@dataclass(frozen=True)
class Combined:
    status: str
    reason: str
    points: float
    raw_value: float | None
    achievement: float | None
    explanation: str
    evidence: tuple[str, ...]
    veto_cap: int | None
    veto_reason: str


def combine(rule: str, kids: Sequence[ChildResult]) -> Combined:
    """A period's result from its children's (rule ``mean`` or ``max``)."""
    ok = [k for k in kids if k.status == "ok"]
    failed = [k.period for k in kids if k.status != "ok"]
    evidence = tuple(sorted({e for k in kids for e in k.evidence}))
    vetoes = [k for k in kids if k.veto_cap is not None]
    worst = max(vetoes, key=lambda k: k.veto_cap) if vetoes else None
    cap, cap_reason = (worst.veto_cap, worst.veto_reason) if worst else (None, "")
    if not ok:
        return Combined("failed", f"no sub-period scored ({', '.join(failed)} failed)", 0.0, None, None, "",
                        evidence, cap, cap_reason)
    if rule == "max":
        best = max(ok, key=lambda k: (k.points, k.period))
        points, raw, achievement = best.points, best.raw_value, best.achievement
        word = f"取最高 best of {len(ok)}"
    else:
        points = math.fsum(k.points for k in ok) / len(ok)
        raw = _mean([k.raw_value for k in ok])
        achievement = _mean([k.achievement for k in ok])
        word = f"平均 mean of {len(ok)}"
    listed = "、".join(f"{k.period} {k.points:.2f}" for k in ok)
    note = f"; {', '.join(failed)} failed and left out" if failed else ""
    explanation = f"{word}: {listed} → {points:.2f}{note}"
    if len(ok) == 1 and ok[0].explanation:  # one sub-period makes the result: say what made it
        child = ok[0].explanation
        chain = f"{ok[0].period} ← {child[len(FROM_ONLY):]}" if child.startswith(FROM_ONLY) \
            else f"{ok[0].period}: {child}"
        explanation = f"{FROM_ONLY}{chain}{note}"
    return Combined("ok", "", points, raw, achievement, explanation, evidence, cap, cap_reason)


def _mean(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return math.fsum(present) / len(present) if present else None
