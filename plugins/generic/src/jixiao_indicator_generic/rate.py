"""A rate of two metrics against a target (README, "rate")."""
from __future__ import annotations

from jixiao_sdk import IndicatorInput, IndicatorResult, IndicatorSpec
from jixiao_sdk.helpers import num, pct, total

from .figures import of_metric
from .settings import Rate, target_in_range


def configure(common: dict, s: Rate) -> IndicatorSpec:
    """The concrete spec of an indicator the scheme configures with this formula."""
    target = f"target {num(s.target, 4)}" if s.target is not None else "no default target"
    rule = ("100 x min(1, rate / target)" if s.direction == "higher_is_better"
            else "100 x min(1, target / rate), 100 at rate 0")
    return IndicatorSpec(**common, input_metrics=(s.numerator, s.denominator),
                         min_points=0.0, max_points=100.0, direction=s.direction,
                         rollup="sum", kind="score", period_basis="period_alone",
                         formula=f"rate = {s.numerator} / {s.denominator}; points = {rule};"
                                 f" {target}, the unit's target value overrides it")


def evaluate(spec: IndicatorSpec, s: Rate, inputs: IndicatorInput) -> IndicatorResult:
    code = spec.code
    tops, bottoms = of_metric(inputs.observations, s.numerator), of_metric(inputs.observations, s.denominator)
    for period in sorted({o.period for o in (*tops, *bottoms)}):
        top = total(o for o in tops if o.period == period)
        bottom = total(o for o in bottoms if o.period == period)
        if top > bottom:
            return IndicatorResult.failed(
                code, f"in {period or 'the period'}, {s.numerator} ({num(top)}) exceeds"
                      f" {s.denominator} ({num(bottom)}); the numerator may not exceed the denominator")
    top, bottom = total(tops), total(bottoms)
    if top > bottom:
        return IndicatorResult.failed(code, f"{s.numerator} ({num(top)}) exceeds {s.denominator}"
                                            f" ({num(bottom)}); the numerator may not exceed the denominator")
    if bottom <= 0:
        return IndicatorResult.failed(code, f"no cases: {s.denominator} is {num(bottom)} in"
                                            f" {inputs.period}; the rate is undefined")
    unit_target = inputs.target.value if inputs.target is not None else None
    target = unit_target if unit_target is not None else s.target
    if target is None:
        return IndicatorResult.failed(code, "no target: the generic block sets none and the unit"
                                            " has no target value")
    try:
        target_in_range(target, "target value" if unit_target is not None else "target")
    except ValueError as exc:
        return IndicatorResult.failed(code, str(exc))
    rate = top / bottom
    if s.direction == "higher_is_better":
        achievement = rate / target
        rule_zh = f"100×min(1, {pct(rate)}/{pct(target)})"
        rule_en = f"100 x min(1, {pct(rate)} / {pct(target)})"
    elif rate == 0:
        achievement = 1.0
        rule_zh, rule_en = "比率为0得满分", "a rate of 0 earns full points"
    else:
        achievement = target / rate
        rule_zh = f"100×min(1, {pct(target)}/{pct(rate)})"
        rule_en = f"100 x min(1, {pct(target)} / {pct(rate)})"
    points = 100.0 * min(1.0, achievement)
    source_zh = "单位目标" if unit_target is not None else "方案目标"
    source_en = "the unit's target" if unit_target is not None else "the scheme's target"
    better_zh = "" if s.direction == "higher_is_better" else "（越低越好）"
    better_en = "" if s.direction == "higher_is_better" else " (lower is better)"
    zh = (f"{spec.name_zh}：{s.numerator} {num(top, 0) if top.is_integer() else num(top)}"
          f" / {s.denominator} {num(bottom, 0) if bottom.is_integer() else num(bottom)}"
          f" = {pct(rate)}，{source_zh}{pct(target)}{better_zh}，得分={rule_zh}={num(points)}")
    en = (f"{spec.name_en}: {s.numerator} {num(top, 0) if top.is_integer() else num(top)}"
          f" / {s.denominator} {num(bottom, 0) if bottom.is_integer() else num(bottom)}"
          f" = {pct(rate)}, {source_en} {pct(target)}{better_en}; points = {rule_en} = {num(points)}")
    return IndicatorResult(
        indicator_code=code, raw_value=rate, achievement=achievement, points=points,
        explanation=f"{zh} / {en}", evidence=tuple(o.event_id for o in (*tops, *bottoms)),
        components={"numerator": top, "denominator": bottom, "rate": rate, "target": target})
