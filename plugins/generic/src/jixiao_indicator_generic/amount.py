"""An amount against the unit's target, year to date (README, "amount")."""
from __future__ import annotations

from jixiao_sdk import IndicatorInput, IndicatorResult, IndicatorSpec
from jixiao_sdk.helpers import clamp, expected_share, num, pct, total, year_to_date_span

from .figures import of_metric, unit_texts
from .settings import Amount


def configure(common: dict, s: Amount) -> IndicatorSpec:
    """The concrete spec of an indicator the scheme configures with this formula."""
    return IndicatorSpec(**common, input_metrics=(s.metric,), min_points=0.0,
                         max_points=100.0, rollup="sum", kind="score",
                         period_basis="year_to_date",
                         formula=f"points = 100 x min(1, {s.metric} / (target x expected"
                                 f" share of the plan)); year to date")


def evaluate(spec: IndicatorSpec, s: Amount, inputs: IndicatorInput) -> IndicatorResult:
    code = spec.code
    events = of_metric(inputs.observations, s.metric)
    units = sorted({o.measurement_unit for o in events})
    if len(units) > 1:
        return IndicatorResult.failed(code, f"events of {s.metric} come in different measurement"
                                            f" units ({', '.join(repr(u) for u in units)}); one unit is needed")
    target = inputs.target.value if inputs.target is not None else None
    if target is None or target <= 0:
        return IndicatorResult.failed(code, f"no target: the unit needs a positive target value"
                                            f" (the plan), got {target!r}")
    target_unit = inputs.target.measurement_unit if inputs.target is not None else ""
    if units and target_unit and units[0] and target_unit != units[0]:
        return IndicatorResult.failed(code, f"the target is in {target_unit!r} but {s.metric} is"
                                            f" reported in {units[0]!r}")
    actual = total(events)
    share = expected_share(inputs)
    due = target * share
    achievement = actual / due if due > target * 1e-9 else 1.0
    points = 100.0 * clamp(achievement, 0.0, 1.0)
    unit_zh, unit_en = unit_texts(events)
    span_zh = span_en = ""
    if inputs.as_of_period:
        span_zh, span_en = year_to_date_span(inputs.as_of_period, inputs.year_start_month)
        span_en += ": "
    zh = (f"{spec.name_zh}：{span_zh}完成{num(actual)}{unit_zh}，目标{num(target)}{unit_zh}")
    en = (f"{spec.name_en}: {span_en}{num(actual)}{unit_en} done of the target"
          f" {num(target)}{unit_en}")
    if share < 1.0:
        zh += f"，按进度（{pct(share)}）应完成{num(due)}{unit_zh}"
        en += f", {num(due)}{unit_en} due by schedule ({pct(share)} of the plan)"
    zh += f"，完成率{pct(achievement)}，得分=100×min(1, 完成率)={num(points)}"
    en += f"; {pct(achievement)} achieved: points = 100 x min(1, achievement) = {num(points)}"
    return IndicatorResult(
        indicator_code=code, raw_value=actual, achievement=achievement, points=points,
        explanation=f"{zh} / {en}", evidence=tuple(o.event_id for o in events),
        components={"actual": actual, "target": target, "due": due, "expected_share": share})
