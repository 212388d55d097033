"""Work-style deductions (作风建设扣分): points deducted per violation, by severity, capped.

See README.md for the default deductions and the cap.
"""

from __future__ import annotations

from jixiao_sdk import IndicatorInput, IndicatorResult, IndicatorSpec, Target, TargetParameter, hookimpl
from jixiao_sdk.helpers import (
    counts_by_category, num, observations_of, points_for_counts, target_problems,
)

METRIC = "work_style_violation"
#: Default points deducted per violation, by severity.
DEFAULT_POINTS = {"minor": 1.0, "serious": 3.0}
SEVERITY_NAMES = {"minor": "一般", "serious": "严重"}
MAX_DEDUCTION = 10.0

SPEC = IndicatorSpec(
    code="work_style",
    name_zh="作风建设扣分",
    name_en="Work-style deductions",
    version="1.0.1",
    owner="discipline_inspection",
    input_metrics=(METRIC,),
    min_points=-MAX_DEDUCTION,
    max_points=0.0,
    direction="lower_is_better",
    rollup="sum",
    kind="deduction",
    formula=(
        "points = -min(cap, sum over severities of violations x points per severity);"
        " defaults minor 1, serious 3, cap 10"
    ),
    parameters=(
        *(TargetParameter(f"points.{severity}", f"points deducted per {severity} violation, >= 0;"
                          f" default {num(points, 0)}") for severity, points in DEFAULT_POINTS.items()),
        TargetParameter("cap", f"most points deducted in a period, (0, {num(MAX_DEDUCTION, 0)}];"
                        f" default {num(MAX_DEDUCTION, 0)}"),
    ),
    period_basis="period_alone",
)


def _settings(target: Target | None) -> tuple[dict[str, float], float]:
    """``(points per severity, cap)``; ValueError if unusable."""
    points = dict(DEFAULT_POINTS)
    cap = MAX_DEDUCTION
    if target is not None:
        points = {sev: target.number(f"points.{sev}", value) for sev, value in points.items()}
        cap = target.number("cap", MAX_DEDUCTION)
    for severity, value in points.items():
        if value < 0:
            raise ValueError(f"points.{severity} is deducted and must be non-negative, got {value!r}")
    if not 0.0 < cap <= MAX_DEDUCTION:
        raise ValueError(f"cap must be within (0, {num(MAX_DEDUCTION, 0)}], got {cap!r}")
    return points, cap


@hookimpl
def jixiao_indicator_specs() -> list[IndicatorSpec]:
    return [SPEC]


@hookimpl
def jixiao_indicator_check_target(target: Target | None) -> list[str]:
    return target_problems(_settings, target)


@hookimpl
def jixiao_indicator_evaluate(spec: IndicatorSpec, inputs: IndicatorInput) -> IndicatorResult:
    try:
        per_severity, cap = _settings(inputs.target)
    except ValueError as exc:
        return IndicatorResult.failed(spec.code, f"target: {exc}")
    events = observations_of(inputs, METRIC)
    try:
        counts = counts_by_category(events, "severity", per_severity, "violations")
    except ValueError as exc:
        return IndicatorResult.failed(spec.code, str(exc))
    incurred = points_for_counts(counts, per_severity)
    deducted = min(cap, incurred)
    listed = [sev for sev in per_severity if counts[sev] > 0]
    if listed:
        zh = "作风问题" + "、".join(f"{SEVERITY_NAMES[s]}{num(counts[s], 0)}起" for s in listed)
        en = "work-style violations: " + ", ".join(f"{num(counts[s], 0)} {s}" for s in listed)
    else:
        zh, en = "本期无作风问题", "no work-style violations this period"
    zh += f"，扣{num(deducted)}分"
    en += f"; -{num(deducted)} points"
    if incurred > cap:
        zh += f"（按规则应扣{num(incurred)}分，最多扣{num(cap)}分）"
        en += f" (incurred {num(incurred)}, capped at {num(cap)})"
    return IndicatorResult(
        indicator_code=spec.code,
        raw_value=sum(counts.values()),
        achievement=None,
        points=-deducted if deducted else 0.0,
        explanation=f"{zh} / {en}",
        evidence=tuple(e.event_id for e in events),
        components={**{f"count.{s}": counts[s] for s in per_severity}, "incurred": incurred, "cap": cap},
    )
