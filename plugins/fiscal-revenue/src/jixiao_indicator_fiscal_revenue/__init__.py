"""Fiscal revenue (一般公共预算收入): target achievement blended with growth on last year.

See README.md for the formula and the target parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao_sdk import IndicatorInput, IndicatorResult, IndicatorSpec, Target, hookimpl
from jixiao_sdk.helpers import (
    clamp, expected_share, money_target_value, money_total, num, number_within, observations_of,
    pct, positive_money_param, target_problems,
)

METRIC = "general_budget_revenue"

SPEC = IndicatorSpec(
    code="fiscal_revenue",
    name_zh="一般公共预算收入",
    name_en="Fiscal revenue",
    version="1.0.0",
    owner="finance",
    input_metrics=(METRIC,),
    min_points=0.0,
    max_points=100.0,
    direction="higher_is_better",
    rollup="sum",
    kind="score",
    formula=(
        "points = 100 x (w x min(achievement, 1) + (1 - w) x growth credit);"
        " achievement = actual / (target x expected share);"
        " growth credit = clamp((growth - growth_zero) / (growth_full - growth_zero), 0, 1),"
        " growth = actual / (last_year_value x expected share) - 1;"
        " w = target_weight (default 0.7), growth_zero 0, growth_full 0.10;"
        " without last_year_value points = 100 x min(achievement, 1)"
    ),
)


@dataclass(frozen=True)
class Settings:
    """The target and formula parameters, checked."""

    target: float
    last_year: float | None
    target_weight: float
    growth_zero: float
    growth_full: float


def _settings(target: Target | None) -> Settings:
    value = money_target_value(target, "the revenue target")
    last_year = positive_money_param(target, "last_year_value")
    weight = number_within(target, "target_weight", 0.7, "[0, 1]")
    zero, full = target.number("growth_zero", 0.0), target.number("growth_full", 0.10)
    if not zero < full:
        raise ValueError(f"growth_zero ({zero!r}) must be below growth_full ({full!r})")
    return Settings(value, last_year, weight, zero, full)


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
    events = observations_of(inputs, METRIC)
    actual = money_total(events)
    share = expected_share(inputs)
    due = s.target * share
    on_track = due <= s.target * 1e-9  # the period has only just begun
    achievement = 1.0 if on_track else actual / due
    target_credit = clamp(achievement, 0.0, 1.0)
    components = {"actual": actual, "target": s.target, "due": due,
                  "target_credit": target_credit}
    zh = f"一般公共预算收入{num(actual)}亿元，目标{num(s.target)}亿元"
    en = f"revenue {num(actual)} against a target of {num(s.target)} (CNY 100M)"
    if share < 1.0:
        zh += f"，按进度应完成{num(due)}亿元"
        en += f", {num(due)} due at {pct(share)} of the target"
    zh += f"，完成率{pct(achievement)}"
    en += f", {pct(achievement)}"
    if s.last_year is None:
        points = 100.0 * target_credit
        zh += "；无上年数，仅按目标完成率计分"
        en += "; no last-year figure, scored on the target only"
    else:
        last_due = s.last_year * share
        growth = 0.0 if on_track else actual / last_due - 1.0
        growth_credit = clamp((growth - s.growth_zero) / (s.growth_full - s.growth_zero), 0.0, 1.0)
        points = 100.0 * (s.target_weight * target_credit + (1.0 - s.target_weight) * growth_credit)
        components.update(growth=growth, growth_credit=growth_credit)
        zh += (f"，同比{'增长' if growth >= 0 else '下降'}{pct(abs(growth))}"
               f"；得分=100×({num(s.target_weight)}×{num(target_credit, 3)}"
               f"+{num(1.0 - s.target_weight)}×{num(growth_credit, 3)})")
        en += (f", {'+' if growth >= 0 else '-'}{pct(abs(growth))} YoY;"
               f" points = 100 x ({num(s.target_weight)} x target {num(target_credit, 3)}"
               f" + {num(1.0 - s.target_weight)} x growth {num(growth_credit, 3)})")
    return IndicatorResult(
        indicator_code=spec.code,
        raw_value=actual,
        achievement=achievement,
        points=points,
        explanation=f"{zh} / {en}",
        evidence=tuple(e.event_id for e in events),
        components=components,
    )
