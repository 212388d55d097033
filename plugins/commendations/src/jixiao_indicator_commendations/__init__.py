"""Commendations bonus (表彰加分): points per national, provincial and municipal commendation, capped.

See README.md for the default points and the cap. A month or quarter counts the year so far
(year to date), so the cap holds for the year.
"""

from __future__ import annotations

from jixiao_sdk import IndicatorInput, IndicatorResult, IndicatorSpec, Target, TargetParameter, hookimpl
from jixiao_sdk.helpers import (
    check_non_negative,
    counts_by_category,
    num,
    observations_of,
    points_for_counts,
    target_problems,
    year_to_date_span,
)

METRIC = "commendation"
#: Default bonus points per commendation, by level.
DEFAULT_POINTS = {"national": 3.0, "provincial": 2.0, "municipal": 1.0}
LEVEL_NAMES = {"national": "国家级", "provincial": "省级", "municipal": "市级"}
MAX_BONUS = 10.0

SPEC = IndicatorSpec(
    code="commendations",
    name_zh="表彰奖励加分",
    name_en="Commendations bonus",
    version="1.1.0",
    owner="evaluation_office",
    input_metrics=(METRIC,),
    min_points=0.0,
    max_points=MAX_BONUS,
    direction="higher_is_better",
    rollup="sum",
    kind="bonus",
    formula=(
        "points = min(cap, sum over levels of commendations x points per level);"
        " defaults national 3, provincial 2, municipal 1, cap 10;"
        " a month or quarter counts the year to date"
    ),
    parameters=(
        *(TargetParameter(f"points.{level}", f"bonus points per {level} commendation, >= 0;"
                          f" default {num(points, 0)}") for level, points in DEFAULT_POINTS.items()),
        TargetParameter("cap", f"most bonus points, (0, {num(MAX_BONUS, 0)}];"
                        f" default {num(MAX_BONUS, 0)}"),
    ),
    period_basis="year_to_date",
)


def _settings(target: Target | None) -> tuple[dict[str, float], float]:
    """``(points per level, cap)``; ValueError if unusable."""
    points = dict(DEFAULT_POINTS)
    cap = MAX_BONUS
    if target is not None:
        points = {level: target.number(f"points.{level}", value) for level, value in points.items()}
        cap = target.number("cap", MAX_BONUS)
    check_non_negative(points, "points.")
    if not 0.0 < cap <= MAX_BONUS:
        raise ValueError(f"cap must be within (0, {num(MAX_BONUS, 0)}], got {cap!r}")
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
        per_level, cap = _settings(inputs.target)
    except ValueError as exc:
        return IndicatorResult.failed(spec.code, f"target: {exc}")
    events = observations_of(inputs, METRIC)
    try:
        counts = counts_by_category(events, "level", per_level, "commendations")
    except ValueError as exc:
        return IndicatorResult.failed(spec.code, str(exc))
    earned = points_for_counts(counts, per_level)
    points = min(cap, earned)
    listed = [level for level in per_level if counts[level] > 0]
    if listed:
        zh = "获" + "、".join(f"{LEVEL_NAMES[lv]}表彰{num(counts[lv], 0)}项" for lv in listed)
        en = "commendations: " + ", ".join(f"{num(counts[lv], 0)} {lv}" for lv in listed)
    else:
        zh, en = "本期无表彰", "no commendations this period"
    if inputs.as_of_period:  # the year so far
        span_zh, span_en = year_to_date_span(inputs.as_of_period, inputs.year_start_month)
        if listed:
            zh, en = f"{span_zh}{zh}", f"{span_en}: {en}"
        else:
            zh, en = f"{span_zh}无表彰", f"{span_en}: no commendations"
    zh += f"，加{num(points)}分"
    en += f"; bonus {num(points)}"
    if earned > cap:
        zh += f"（按规则应加{num(earned)}分，封顶{num(cap)}分）"
        en += f" (earned {num(earned)}, capped at {num(cap)})"
    return IndicatorResult(
        indicator_code=spec.code,
        raw_value=sum(counts.values()),
        achievement=None,
        points=points,
        explanation=f"{zh} / {en}",
        evidence=tuple(e.event_id for e in events),
        components={**{f"count.{lv}": counts[lv] for lv in per_level}, "earned": earned, "cap": cap},
    )
