"""Key projects (重点项目建设): share of project milestones (节点) met on time.

See README.md for the formula.
"""

from __future__ import annotations

from jixiao_sdk import IndicatorInput, IndicatorResult, IndicatorSpec, Target, TargetParameter, hookimpl
from jixiao_sdk.helpers import (
    clamp, num, number_within, observations_of, pct, target_problems, total,
)

DUE = "key_project_milestones_due"
MET = "key_project_milestones_met"

SPEC = IndicatorSpec(
    code="key_projects",
    name_zh="重点项目建设",
    name_en="Key projects",
    version="1.0.1",
    owner="key_projects_office",
    input_metrics=(DUE, MET),
    min_points=0.0,
    max_points=100.0,
    direction="higher_is_better",
    rollup="sum",
    kind="score",
    formula=(
        "on-time share = min(milestones met on time / milestones due, 1);"
        " points = 100 x min(on-time share / required_share, 1), required_share default 1;"
        " 100 points when no milestone is due yet"
    ),
    parameters=(
        TargetParameter("required_share", "on-time share of milestones that earns full points,"
                        " (0, 1]; default 1"),
    ),
    period_basis="period_alone",
)


def _required_share(target: Target | None) -> float:
    return number_within(target, "required_share", 1.0, "(0, 1]")


@hookimpl
def jixiao_indicator_specs() -> list[IndicatorSpec]:
    return [SPEC]


@hookimpl
def jixiao_indicator_check_target(target: Target | None) -> list[str]:
    return target_problems(_required_share, target)


@hookimpl
def jixiao_indicator_evaluate(spec: IndicatorSpec, inputs: IndicatorInput) -> IndicatorResult:
    try:
        required = _required_share(inputs.target)
    except ValueError as exc:
        return IndicatorResult.failed(spec.code, f"target: {exc}")
    due, met = total(observations_of(inputs, DUE)), total(observations_of(inputs, MET))
    components = {"due": due, "met": met, "required_share": required}
    if due <= 0:
        share = None
        points = 100.0
        zh, en = "本期无到期项目节点", "no key-project milestones due this period"
    else:
        share = min(1.0, met / due)
        points = 100.0 * clamp(share / required, 0.0, 1.0)
        components["on_time_share"] = share
        zh = f"重点项目到期节点{num(due, 0)}个，按期完成{num(met, 0)}个，按期率{pct(share)}"
        en = f"{num(met, 0)} of {num(due, 0)} key-project milestones met on time ({pct(share)})"
        if required < 1.0:
            zh += f"，要求{pct(required)}"
            en += f", {pct(required)} required"
    zh += f"，得分{num(points)}"
    en += f"; points {num(points)}"
    return IndicatorResult(
        indicator_code=spec.code,
        raw_value=share,
        achievement=None if share is None else share / required,
        points=points,
        explanation=f"{zh} / {en}",
        evidence=tuple(o.event_id for o in inputs.observations),
        components=components,
    )
