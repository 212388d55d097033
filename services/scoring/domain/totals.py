"""From indicator results to dimension scores and a unit's total.

The four-in-one scheme (四位一体): weighted dimensions (work results,
public evaluation, leadership evaluation) each score 0–100 as the weighted
mean of their indicators, and the total is their weighted sum; additive
dimensions (bonus and deductions) add their points on top. A veto result
adds no points but caps the unit's grade.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .scheme_view import Assignment, Dimension, SchemeView


@dataclass(frozen=True)
class IndicatorOutcome:
    """What the totals need of one stored indicator result."""

    status: str
    points: float
    veto_cap: int | None = None
    veto_reason: str = ""


@dataclass(frozen=True)
class IndicatorScale:
    """What the totals need of an indicator's spec."""

    kind: str
    min_points: float
    max_points: float


@dataclass(frozen=True)
class DimensionTotal:
    dimension: Dimension
    score: float


@dataclass(frozen=True)
class UnitTotal:
    total: float
    dimensions: tuple[DimensionTotal, ...]
    veto_cap: int | None
    veto_reasons: tuple[str, ...]


def contribution(assignment: Assignment, dimension: Dimension, scale: IndicatorScale, outcome: IndicatorOutcome | None) -> float:
    """Points an indicator adds to its dimension; a missing or failed result adds nothing."""
    if outcome is None or outcome.status != "ok" or scale.kind == "veto":
        return 0.0
    if not dimension.additive:
        return assignment.weight * (outcome.points / scale.max_points * 100.0 if scale.max_points else 0.0)
    span = max(abs(scale.max_points), abs(scale.min_points))
    return outcome.points * assignment.max_points / span if span else 0.0


def unit_total(scheme: SchemeView, unit_id: str, outcomes: Mapping[str, IndicatorOutcome],
               scales: Mapping[str, IndicatorScale]) -> UnitTotal:
    assignments = scheme.assignments_for(unit_id)
    dimension_totals = []
    total = 0.0
    for dimension in scheme.dimensions:
        score = 0.0
        for assignment in sorted((a for a in assignments if a.dimension == dimension.code), key=lambda a: a.indicator):
            scale = scales.get(assignment.indicator)
            if scale is not None:
                score += contribution(assignment, dimension, scale, outcomes.get(assignment.indicator))
        dimension_totals.append(DimensionTotal(dimension, score))
        total += score if dimension.additive else dimension.weight * score
    assigned = {a.indicator for a in assignments}
    caps = sorted(
        (o.veto_cap, o.veto_reason) for code, o in outcomes.items()
        if code in assigned and o.status == "ok" and o.veto_cap is not None
    )
    return UnitTotal(
        total=total,
        dimensions=tuple(dimension_totals),
        veto_cap=max((cap for cap, _ in caps), default=None),
        veto_reasons=tuple(reason for _, reason in caps),
    )
