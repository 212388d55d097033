"""Funds won from higher levels (向上争取资金): central and provincial funds against target.

See README.md for the formula. Without a target value the baseline is last year's figure.
A month or quarter is scored year to date: the funds won since the start of the year against the part of
the baseline due by its end (序时进度).
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
    observations_of,
    pct,
    positive_money_param,
    schedule_sentence,
    target_problems,
)

METRIC = "funds_won_from_higher_levels"

SPEC = IndicatorSpec(
    code="funds_from_higher_levels",
    name_zh="向上争取资金",
    name_en="Funds won from higher levels",
    version="1.1.0",
    owner="development_reform",
    input_metrics=(METRIC,),
    min_points=0.0,
    max_points=100.0,
    direction="higher_is_better",
    rollup="sum",
    kind="score",
    formula=(
        "baseline = target value, or last_year_value when there is no target value;"
        " achievement = actual / (baseline x expected share);"
        " points = 100 x min(achievement, 1);"
        " a month or quarter counts the year to date against the baseline due by its end"
    ),
    parameters=(
        TargetParameter("last_year_value", "funds won last year, in the target's unit, > 0;"
                        " the baseline when there is no target value, and stated as the change"
                        " on last year for the whole year"),
    ),
    period_basis="year_to_date",
)


def _settings(target: Target | None) -> tuple[float, bool, float | None]:
    """``(baseline, baseline_is_target, last_year)`` in 亿元; ValueError if unusable."""
    if target is None:
        raise ValueError("needs a target value or a last_year_value parameter")
    last_year = positive_money_param(target, "last_year_value")
    if target.value is None:
        if last_year is None:
            raise ValueError("needs a target value or a last_year_value parameter")
        return last_year, False, last_year
    return money_target_value(target, "the target"), True, last_year


@hookimpl
def jixiao_indicator_specs() -> list[IndicatorSpec]:
    return [SPEC]


@hookimpl
def jixiao_indicator_check_target(target: Target | None) -> list[str]:
    return target_problems(_settings, target)


@hookimpl
def jixiao_indicator_evaluate(spec: IndicatorSpec, inputs: IndicatorInput) -> IndicatorResult:
    try:
        baseline, is_target, last_year = _settings(inputs.target)
    except ValueError as exc:
        return IndicatorResult.failed(spec.code, f"target: {exc}")
    events = observations_of(inputs, METRIC)
    actual = money_total(events)
    share = expected_share(inputs)
    due = baseline * share
    achievement = actual / due if due > baseline * 1e-9 else 1.0
    points = 100.0 * clamp(achievement, 0.0, 1.0)
    components = {"actual": actual, "baseline": baseline, "due": due}
    try:
        compared = comparable_last_year(inputs, METRIC, last_year, money_total)
    except ValueError as exc:
        return IndicatorResult.failed(spec.code, f"baseline: {exc}")
    change_zh = change_en = ""
    if compared is not None:
        change = actual - compared.value
        components.update(yoy_change=change, yoy_growth=change / compared.value)
        when_zh, when_en = ("上年同期", "the same span last year") if compared.same_span else ("上年", "last year")
        if compared.same_span:
            components["last_year_same_span"] = compared.value
        change_zh = (f"，比{when_zh}{'增加' if change >= 0 else '减少'}{num(abs(change))}亿元"
                     f"（{pct(change / compared.value)}）")
        change_en = (f"; {'+' if change >= 0 else '-'}{num(abs(change))} on {when_en}"
                     f" ({pct(change / compared.value)})")
    if inputs.as_of_period:
        plan_zh, plan_en = ("年度目标", "the annual target") if is_target else ("上年基数", "last year's level")
        zh, en = schedule_sentence(inputs.as_of_period, actual, baseline, share,
                                   what_zh="争取上级资金", what_en="won {amount} from higher levels",
                                   plan_zh=plan_zh, plan_en=plan_en, year_start_month=inputs.year_start_month)
        zh += (f"{change_zh}；按序时进度应争取{num(due)}亿元，完成率{pct(achievement)}，"
               f"得分=100×min(完成率, 1)={num(points)}")
        en += (f"{change_en}; {num(due)} due by schedule, {pct(achievement)} of it won:"
               f" points = 100 x min(achievement, 1) = {num(points)}")
        return IndicatorResult(
            indicator_code=spec.code, raw_value=actual, achievement=achievement, points=points,
            explanation=f"{zh} / {en}", evidence=tuple(e.event_id for e in events),
            components=components,
        )
    zh_base, en_base = ("目标", "a target") if is_target else ("上年（无目标时为基数）", "last year's level")
    zh = f"争取上级资金{num(actual)}亿元，{zh_base}{num(baseline)}亿元"
    en = f"won {num(actual)} from higher levels against {en_base} of {num(baseline)} (CNY 100M)"
    if share < 1.0:
        zh += f"，按进度应争取{num(due)}亿元"
        en += f", {num(due)} due at {pct(share)}"
    zh += f"，完成率{pct(achievement)}"
    en += f", {pct(achievement)}"
    zh += change_zh
    en += change_en
    return IndicatorResult(
        indicator_code=spec.code,
        raw_value=actual,
        achievement=achievement,
        points=points,
        explanation=f"{zh} / {en}",
        evidence=tuple(e.event_id for e in events),
        components=components,
    )
