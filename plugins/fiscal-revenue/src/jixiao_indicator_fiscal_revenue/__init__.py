"""Fiscal revenue (一般公共预算收入): target achievement blended with growth on last year.

See README.md for the formula and the target parameters. A month or quarter is scored year
to date: the revenue since the start of the year against the part of the target due by its end (序时进度),
and its growth against last year's same months when the platform knows them.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao_sdk import IndicatorInput, IndicatorResult, IndicatorSpec, Target, TargetParameter, hookimpl
from jixiao_sdk.helpers import (
    clamp,
    comparable_last_year,
    covers_whole_year,
    expected_share,
    money_target_value,
    money_total,
    num,
    number_within,
    observations_of,
    pct,
    positive_money_param,
    schedule_sentence,
    target_problems,
)

METRIC = "general_budget_revenue"

SPEC = IndicatorSpec(
    code="fiscal_revenue",
    name_zh="一般公共预算收入",
    name_en="Fiscal revenue",
    version="1.1.0",
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
        " growth = actual / last year's revenue over the same span - 1 (for the whole year"
        " the target's last_year_value, else last year's figures for the same months);"
        " w = target_weight (default 0.7), growth_zero 0, growth_full 0.10;"
        " without a last-year figure for the span points = 100 x min(achievement, 1);"
        " a month or quarter counts the year to date against the target due by its end"
    ),
    parameters=(
        TargetParameter("last_year_value", "last year's revenue, in the target's unit, > 0;"
                        " the growth baseline for the whole year"),
        TargetParameter("target_weight", "weight w of target achievement against growth,"
                        " [0, 1]; default 0.7"),
        TargetParameter("growth_zero", "growth that earns no growth credit; default 0"),
        TargetParameter("growth_full", "growth that earns full growth credit, above"
                        " growth_zero; default 0.10"),
    ),
    period_basis="year_to_date",
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
    if inputs.as_of_period:
        zh, en = schedule_sentence(inputs.as_of_period, actual, s.target, share,
                                   what_zh="完成一般公共预算收入", what_en="collected {amount} of revenue",
                                   plan_zh="年度目标", plan_en="the annual target",
                                   year_start_month=inputs.year_start_month)
        zh += f"；按序时进度应完成{num(due)}亿元，完成率{pct(achievement)}"
        en += f"; {num(due)} due by schedule, {pct(achievement)} of it collected"
    else:
        zh = f"一般公共预算收入{num(actual)}亿元，目标{num(s.target)}亿元"
        en = f"revenue {num(actual)} against a target of {num(s.target)} (CNY 100M)"
        if share < 1.0:
            zh += f"，按进度应完成{num(due)}亿元"
            en += f", {num(due)} due at {pct(share)} of the target"
        zh += f"，完成率{pct(achievement)}"
        en += f", {pct(achievement)}"
    try:
        compared = comparable_last_year(inputs, METRIC, s.last_year, money_total)
    except ValueError as exc:
        return IndicatorResult.failed(spec.code, f"baseline: {exc}")
    if compared is None:
        points = 100.0 * target_credit
        if s.last_year is None or covers_whole_year(inputs):
            zh += "；无上年数，仅按目标完成率计分"
            en += "; no last-year figure, scored on the target only"
        else:  # never part of this year against the whole of last year
            zh += "；无上年同期数，不计增长，仅按目标完成率计分"
            en += ("; no figure for the same span last year, so growth is not scored:"
                   " points on the target only")
        if inputs.as_of_period:
            zh += f"，得分=100×{num(target_credit, 3)}={num(points)}"
            en += f", points = 100 x {num(target_credit, 3)} = {num(points)}"
    else:
        growth = actual / compared.value - 1.0
        growth_credit = clamp((growth - s.growth_zero) / (s.growth_full - s.growth_zero), 0.0, 1.0)
        points = 100.0 * (s.target_weight * target_credit + (1.0 - s.target_weight) * growth_credit)
        components.update(growth=growth, growth_credit=growth_credit)
        if compared.same_span:
            components["last_year_same_span"] = compared.value
        zh += f"，同比{'增长' if growth >= 0 else '下降'}{pct(abs(growth))}"
        en += f", {'+' if growth >= 0 else '-'}{pct(abs(growth))} YoY"
        if compared.same_span:
            zh += f"（上年同期{num(compared.value)}亿元）"
            en += f" (same span last year: {num(compared.value)})"
        zh += (f"；得分=100×({num(s.target_weight)}×{num(target_credit, 3)}"
               f"+{num(1.0 - s.target_weight)}×{num(growth_credit, 3)})")
        en += (f"; points = 100 x ({num(s.target_weight)} x target {num(target_credit, 3)}"
               f" + {num(1.0 - s.target_weight)} x growth {num(growth_credit, 3)})")
        if inputs.as_of_period:
            zh += f"={num(points)}"
            en += f" = {num(points)}"
    return IndicatorResult(
        indicator_code=spec.code,
        raw_value=actual,
        achievement=achievement,
        points=points,
        explanation=f"{zh} / {en}",
        evidence=tuple(e.event_id for e in events),
        components=components,
    )
