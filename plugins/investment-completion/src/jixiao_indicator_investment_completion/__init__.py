"""Investment completion (固定资产投资完成率): fixed-asset investment against the annual plan.

See README.md for the formula. Points are capped at 100 for over-achievement; below the
plan credit is proportional (or linear from ``zero_credit_below``). A month or quarter is
scored year to date: the investment since the start of the year against the part of the annual plan due
by its end (序时进度).
"""

from __future__ import annotations

from jixiao_sdk import IndicatorInput, IndicatorResult, IndicatorSpec, Target, TargetParameter, hookimpl
from jixiao_sdk.helpers import (
    clamp,
    comparable_last_year,
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

METRIC = "fixed_asset_investment"

SPEC = IndicatorSpec(
    code="investment_completion",
    name_zh="固定资产投资完成率",
    name_en="Investment completion",
    version="1.1.0",
    owner="development_reform",
    input_metrics=(METRIC,),
    min_points=0.0,
    max_points=100.0,
    direction="higher_is_better",
    rollup="sum",
    kind="score",
    formula=(
        "achievement = actual / (plan x expected share); points = 100 if achievement >= 1,"
        " else 100 x max(0, achievement - z) / (1 - z), z = zero_credit_below (default 0);"
        " a month or quarter counts the year to date against the plan due by its end"
    ),
    parameters=(
        TargetParameter("zero_credit_below", "achievement below which no points are given,"
                        " [0, 1); default 0 (credit in proportion)"),
        TargetParameter("last_year_value", "last year's investment, in the target's unit, > 0;"
                        " stated as growth for the whole year"),
    ),
    period_basis="year_to_date",
)


def _settings(target: Target | None) -> tuple[float, float, float | None]:
    """``(plan, zero_credit_below, last_year_value)`` in 亿元; ValueError if unusable."""
    plan = money_target_value(target, "the annual plan")
    zero = number_within(target, "zero_credit_below", 0.0, "[0, 1)")
    last_year = positive_money_param(target, "last_year_value")
    return plan, zero, last_year


@hookimpl
def jixiao_indicator_specs() -> list[IndicatorSpec]:
    return [SPEC]


@hookimpl
def jixiao_indicator_check_target(target: Target | None) -> list[str]:
    return target_problems(_settings, target)


@hookimpl
def jixiao_indicator_evaluate(spec: IndicatorSpec, inputs: IndicatorInput) -> IndicatorResult:
    try:
        plan, zero, last_year = _settings(inputs.target)
    except ValueError as exc:
        return IndicatorResult.failed(spec.code, f"target: {exc}")
    events = observations_of(inputs, METRIC)
    actual = money_total(events)
    share = expected_share(inputs)
    due = plan * share
    # Almost nothing due yet (the period has just begun): count as on track.
    achievement = actual / due if due > plan * 1e-9 else 1.0
    if achievement >= 1.0:
        points = 100.0
    else:
        points = 100.0 * clamp((achievement - zero) / (1.0 - zero), 0.0, 1.0)
    components = {"actual": actual, "plan": plan, "due": due, "expected_share": share}
    try:
        compared = comparable_last_year(inputs, METRIC, last_year, money_total)
    except ValueError as exc:
        return IndicatorResult.failed(spec.code, f"baseline: {exc}")
    growth_zh = growth_en = ""
    if compared is not None:
        growth = actual / compared.value - 1.0
        components["yoy_growth"] = growth
        growth_zh = f"，同比{'增长' if growth >= 0 else '下降'}{pct(abs(growth))}"
        growth_en = f", {'+' if growth >= 0 else '-'}{pct(abs(growth))} YoY"
        if compared.same_span:
            components["last_year_same_span"] = compared.value
            growth_zh += f"（上年同期{num(compared.value)}亿元）"
            growth_en += f" (same span last year: {num(compared.value)})"
    if inputs.as_of_period:
        zh, en = schedule_sentence(inputs.as_of_period, actual, plan, share, what_zh="完成投资",
                                   what_en="invested {amount}",
                                   year_start_month=inputs.year_start_month)
        rule_zh, rule_en = _points_rule(due, achievement, zero, points)
        return IndicatorResult(
            indicator_code=spec.code, raw_value=actual, achievement=achievement, points=points,
            explanation=f"{zh}{growth_zh}；{rule_zh} / {en}{growth_en}; {rule_en}",
            evidence=tuple(e.event_id for e in events), components=components,
        )
    zh = f"完成投资{num(actual)}亿元，计划{num(plan)}亿元"
    en = f"invested {num(actual)} of {num(plan)} planned (CNY 100M)"
    if share < 1.0:
        zh += f"，按进度应完成{num(due)}亿元"
        en += f", {num(due)} due at {pct(share)} of the plan"
    zh += f"，完成率{pct(achievement)}"
    en += f", {pct(achievement)}"
    zh += growth_zh
    en += growth_en
    if achievement > 1.0:
        zh += "，超额完成按满分计"
        en += "; points capped at 100"
    return IndicatorResult(
        indicator_code=spec.code,
        raw_value=actual,
        achievement=achievement,
        points=points,
        explanation=f"{zh} / {en}",
        evidence=tuple(e.event_id for e in events),
        components=components,
    )


def _points_rule(due: float, achievement: float, zero: float, points: float) -> tuple[str, str]:
    """How the points of a year-to-date month or quarter follow from the amount due by then."""
    zh = f"按序时进度应完成{num(due)}亿元，完成率{pct(achievement)}"
    en = f"{num(due)} due by schedule, {pct(achievement)} of it done"
    if achievement >= 1.0:
        zh += "，得满分100.00"
        en += ": full points, 100.00"
    elif zero > 0.0:
        zh += (f"，得分=100×(完成率−{num(zero)})/(1−{num(zero)})={num(points)}"
               f"（完成率低于{pct(zero)}不得分）")
        en += (f": points = 100 x (achievement - {num(zero)}) / (1 - {num(zero)}) = {num(points)}"
               f" (none below {pct(zero)})")
    else:
        zh += f"，得分=100×完成率={num(points)}"
        en += f": points = 100 x achievement = {num(points)}"
    return zh, en
