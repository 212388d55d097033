"""Complaint handling (信访工作): on-time handling, resolution, and deductions per escalation.

See README.md for the formula and the target parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao_sdk import IndicatorInput, IndicatorResult, IndicatorSpec, Target, TargetParameter, hookimpl
from jixiao_sdk.helpers import clamp, num, observations_of, pct, target_problems, total

RECEIVED = "complaints_received"
ON_TIME = "complaints_handled_on_time"
RESOLVED = "complaints_resolved"
ESCALATED = "complaints_escalated"

SPEC = IndicatorSpec(
    code="complaint_handling",
    name_zh="信访工作",
    name_en="Complaint handling",
    version="1.0.1",
    owner="petitions_bureau",
    input_metrics=(RECEIVED, ON_TIME, RESOLVED, ESCALATED),
    min_points=0.0,
    max_points=100.0,
    direction="higher_is_better",
    rollup="sum",
    kind="score",
    formula=(
        "points = clamp(100 x (w_on_time x min(on-time rate / on_time_target, 1)"
        " + w_resolution x min(resolution rate / resolution_target, 1))"
        " - points_per_escalation x escalated cases, 0, 100);"
        " rates over complaints received; defaults w 0.5/0.5, targets 1.0, 2 points per escalation"
    ),
    parameters=(
        TargetParameter("on_time_target", "on-time handling rate that earns full credit, (0, 1];"
                        " default 1.0"),
        TargetParameter("resolution_target", "resolution rate that earns full credit, (0, 1];"
                        " default 1.0"),
        TargetParameter("weight.on_time", "weight of the on-time part, >= 0; default 0.5"),
        TargetParameter("weight.resolution", "weight of the resolution part, >= 0; default 0.5"),
        TargetParameter("points_per_escalation", "points deducted per escalated case, >= 0;"
                        " default 2"),
    ),
    period_basis="period_alone",
)


@dataclass(frozen=True)
class Settings:
    """Formula parameters, checked; the weights are normalised to sum to 1."""

    w_on_time: float
    w_resolution: float
    on_time_target: float
    resolution_target: float
    per_escalation: float


def _settings(target: Target | None) -> Settings:
    def number(name: str, default: float) -> float:
        return target.number(name, default) if target is not None else default

    w_on, w_res = number("weight.on_time", 0.5), number("weight.resolution", 0.5)
    if w_on < 0 or w_res < 0 or w_on + w_res <= 0:
        raise ValueError(f"weight.on_time ({w_on!r}) and weight.resolution ({w_res!r})"
                         " must be non-negative and not both 0")
    on_target, res_target = number("on_time_target", 1.0), number("resolution_target", 1.0)
    for name, value in (("on_time_target", on_target), ("resolution_target", res_target)):
        if not 0.0 < value <= 1.0:
            raise ValueError(f"{name} must be within (0, 1], got {value!r}")
    per_escalation = number("points_per_escalation", 2.0)
    if per_escalation < 0:
        raise ValueError(f"points_per_escalation must be non-negative, got {per_escalation!r}")
    return Settings(w_on / (w_on + w_res), w_res / (w_on + w_res), on_target, res_target,
                    per_escalation)


@hookimpl
def jixiao_indicator_specs() -> list[IndicatorSpec]:
    return [SPEC]


@hookimpl
def jixiao_indicator_check_target(target: Target | None) -> list[str]:
    return target_problems(_settings, target)


@hookimpl
def jixiao_indicator_evaluate(spec: IndicatorSpec, inputs: IndicatorInput) -> IndicatorResult:
    try:
        s = _settings(inputs.target)
    except ValueError as exc:
        return IndicatorResult.failed(spec.code, f"target: {exc}")
    counts = {m: total(observations_of(inputs, m)) for m in spec.input_metrics}
    received, escalated = counts[RECEIVED], counts[ESCALATED]
    if received > 0:
        on_time_rate = min(1.0, counts[ON_TIME] / received)
        resolution_rate = min(1.0, counts[RESOLVED] / received)
    else:  # nothing to handle: the rates cannot fall short
        on_time_rate = resolution_rate = 1.0
    base = 100.0 * (s.w_on_time * min(1.0, on_time_rate / s.on_time_target)
                    + s.w_resolution * min(1.0, resolution_rate / s.resolution_target))
    deduction = s.per_escalation * escalated
    points = clamp(base - deduction, 0.0, 100.0)
    if received > 0:
        zh = (f"受理信访{num(received, 0)}件，按期办理{num(counts[ON_TIME], 0)}件（{pct(on_time_rate)}），"
              f"化解{num(counts[RESOLVED], 0)}件（{pct(resolution_rate)}）")
        en = (f"{num(received, 0)} complaints received, {num(counts[ON_TIME], 0)} handled on time"
              f" ({pct(on_time_rate)}), {num(counts[RESOLVED], 0)} resolved ({pct(resolution_rate)})")
    else:
        zh, en = "本期未受理信访", "no complaints received this period"
    zh += f"，基础分{num(base)}"
    en += f"; base {num(base)}"
    if escalated > 0:
        zh += f"，越级上访{num(escalated, 0)}件扣{num(deduction)}分"
        en += f", {num(escalated, 0)} escalated cases -{num(deduction)}"
    zh += f"，得分{num(points)}"
    en += f", points {num(points)}"
    return IndicatorResult(
        indicator_code=spec.code,
        raw_value=on_time_rate,
        achievement=base / 100.0,
        points=points,
        explanation=f"{zh} / {en}",
        evidence=tuple(o.event_id for o in inputs.observations),
        components={"received": received, "handled_on_time": counts[ON_TIME],
                    "resolved": counts[RESOLVED], "escalated": escalated,
                    "on_time_rate": on_time_rate, "resolution_rate": resolution_rate,
                    "base_points": base, "escalation_deduction": deduction},
    )
