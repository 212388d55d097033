"""Points per case, deducted or added, capped (README, "case_points")."""
from __future__ import annotations

from jixiao_sdk import IndicatorInput, IndicatorResult, IndicatorSpec
from jixiao_sdk.helpers import num, total

from .figures import of_metric
from .settings import CasePoints


def configure(common: dict, s: CasePoints) -> IndicatorSpec:
    """The concrete spec of an indicator the scheme configures with this formula."""
    bonus = s.points_per_case > 0
    return IndicatorSpec(**common, input_metrics=(s.metric,),
                         min_points=0.0 if bonus else -s.cap,
                         max_points=s.cap if bonus else 0.0,
                         direction="higher_is_better" if bonus else "lower_is_better",
                         rollup="sum", kind="bonus" if bonus else "deduction",
                         period_basis="period_alone",
                         formula=f"points = {'+' if bonus else '-'}min({num(s.cap)},"
                                 f" {num(abs(s.points_per_case))} x cases of {s.metric})")


def evaluate(spec: IndicatorSpec, s: CasePoints, inputs: IndicatorInput) -> IndicatorResult:
    code = spec.code
    events = of_metric(inputs.observations, s.metric)
    negative = [o.event_id for o in events if o.value < 0]
    if negative:
        return IndicatorResult.failed(code, f"event {negative[0]} reports a negative count of"
                                            f" {s.metric}; counts must be >= 0")
    cases = total(events)
    incurred = abs(s.points_per_case) * cases
    applied = min(s.cap, incurred)
    bonus = s.points_per_case > 0
    points = applied if bonus else (-applied if applied else 0.0)
    count = num(cases, 0) if cases.is_integer() else num(cases)
    if bonus:
        zh = (f"{spec.name_zh}：{s.metric} {count}件，每件加{num(s.points_per_case)}分，"
              f"加{num(applied)}分")
        en = (f"{spec.name_en}: {count} cases of {s.metric} at +{num(s.points_per_case)} each,"
              f" +{num(applied)} points")
    else:
        zh = (f"{spec.name_zh}：{s.metric} {count}件，每件扣{num(-s.points_per_case)}分，"
              f"扣{num(applied)}分")
        en = (f"{spec.name_en}: {count} cases of {s.metric} at -{num(-s.points_per_case)} each,"
              f" -{num(applied)} points")
    if incurred > s.cap:
        verb = "加" if bonus else "扣"
        zh += f"（按件应{verb}{num(incurred)}分，最多{verb}{num(s.cap)}分）"
        en += f" (incurred {num(incurred)}, capped at {num(s.cap)})"
    return IndicatorResult(
        indicator_code=code, raw_value=cases, achievement=None, points=points,
        explanation=f"{zh} / {en}", evidence=tuple(o.event_id for o in events),
        components={"cases": cases, "incurred": incurred, "cap": s.cap})
