"""Leadership and organisation evaluation (官评): ratings from 1 (差) to 5 (优秀).

Scores leadership teams (units) and individual leaders (``person_id`` set) alike. One rating
per rater; rater groups are weighted. See README.md for the scale and the formula.
"""

from __future__ import annotations

from jixiao_sdk import (
    IndicatorInput, IndicatorResult, IndicatorSpec, Observation, Target, TargetParameter, hookimpl,
)
from jixiao_sdk.helpers import (
    check_non_negative, first_per_key, group_by, num, observations_of, prefixed_numbers,
    target_problems, weighted_group_average,
)

METRIC = "leadership_rating"
#: The rating scale: 优秀 excellent 5, 良好 good 4, 一般 fair 3, 较差 poor 2, 差 bad 1.
SCALE = {5.0: "优秀", 4.0: "良好", 3.0: "一般", 2.0: "较差", 1.0: "差"}
POINTS_PER_RATING_POINT = 20.0
_PREFIX = "group_weight."

SPEC = IndicatorSpec(
    code="leadership_evaluation",
    name_zh="领导评价（官评）",
    name_en="Leadership evaluation",
    version="1.0.1",
    owner="organisation_department",
    input_metrics=(METRIC,),
    min_points=0.0,
    max_points=100.0,
    direction="higher_is_better",
    rollup="mean",
    kind="score",
    formula=(
        "one rating per rater (first in (period, event id) order); ratings 5 优秀, 4 良好,"
        " 3 一般, 2 较差, 1 差; group mean per rater_group; points = 20 x sum(w_g x mean_g)"
        " / sum(w_g), w_g = group_weight.<group> (equal weights when none is given)"
    ),
    parameters=(
        TargetParameter("group_weight.*", "weight of the rater group named after the dot, >= 0;"
                        " groups without one are not counted; equal weights when none is given"),
        TargetParameter("min_raters", "raters with a weight needed for a score, a whole number"
                        " >= 1; default 1"),
    ),
    period_basis="period_alone",
)


def _settings(target: Target | None) -> tuple[dict[str, float] | None, int]:
    """``(group weights or None for equal weights, min_raters)``; ValueError if unusable."""
    weights = prefixed_numbers(target, _PREFIX)
    min_raters = target.number("min_raters", 1.0) if target is not None else 1.0
    check_non_negative(weights, _PREFIX)
    if weights and not any(weights.values()):
        raise ValueError("at least one group weight must be positive")
    if min_raters < 1 or min_raters != int(min_raters):
        raise ValueError(f"min_raters must be a whole number >= 1, got {min_raters!r}")
    return weights or None, int(min_raters)


def _group(rating: Observation) -> str:
    return rating.attributes.get("rater_group") or "default"


@hookimpl
def jixiao_indicator_specs() -> list[IndicatorSpec]:
    return [SPEC]


@hookimpl
def jixiao_indicator_check_target(target: Target | None) -> list[str]:
    return target_problems(_settings, target)


@hookimpl
def jixiao_indicator_evaluate(spec: IndicatorSpec, inputs: IndicatorInput) -> IndicatorResult:
    try:
        weights, min_raters = _settings(inputs.target)
    except ValueError as exc:
        return IndicatorResult.failed(spec.code, f"target: {exc}")
    ratings = observations_of(inputs, METRIC)
    valid = [r for r in ratings if r.value in SCALE and r.attributes.get("rater_id")]
    invalid = len(ratings) - len(valid)
    kept, repeats = first_per_key(valid, lambda r: r.attributes["rater_id"])
    by_group = group_by(kept, _group)
    group_weight = {g: (1.0 if weights is None else weights.get(g, 0.0)) for g in by_group}
    counted = {g: rs for g, rs in sorted(by_group.items()) if group_weight[g] > 0}
    raters = sum(len(rs) for rs in counted.values())
    if raters < min_raters:
        return IndicatorResult.failed(
            spec.code, f"{raters} weighted raters, {min_raters} needed"
                       f" ({len(ratings)} ratings, {invalid} invalid, {len(repeats)} repeats)")
    average = weighted_group_average(counted, group_weight)
    mean = average.overall
    points = POINTS_PER_RATING_POINT * mean
    components: dict[str, float] = {"mean_rating": mean, "raters": raters,
                                    "repeats": len(repeats), "invalid": invalid}
    parts_zh, parts_en = [], []
    for group, rs in counted.items():
        group_mean, share = average.means[group], average.shares[group]
        components.update({f"mean.{group}": group_mean, f"raters.{group}": len(rs),
                           f"weight.{group}": share})
        parts_zh.append(f"{group} {num(group_mean)}（{len(rs)}人，权重{num(share, 3)}）")
        parts_en.append(f"{group} {num(group_mean)} ({len(rs)} raters, weight {num(share, 3)})")
    who_zh = f"领导干部{inputs.person_id}" if inputs.person_id else f"单位{inputs.unit_id}领导班子"
    who_en = f"leader {inputs.person_id}" if inputs.person_id else f"leadership team of {inputs.unit_id}"
    zh = f"{who_zh}官评平均{num(mean)}分（优秀5至差1）：" + "、".join(parts_zh)
    en = f"{who_en}: mean rating {num(mean)} of 5: " + ", ".join(parts_en)
    ignored = sorted(set(by_group) - set(counted))
    if ignored:
        zh += f"；无权重的评价组未计入：{'、'.join(ignored)}"
        en += f"; groups without a weight not counted: {', '.join(ignored)}"
    if repeats:
        zh += f"；同一评价人重复评价{len(repeats)}次，仅计首次"
        en += f"; {len(repeats)} repeat ratings ignored (one per rater)"
    if invalid:
        zh += f"；无效评价{invalid}个"
        en += f"; {invalid} invalid ratings ignored"
    zh += f"，得分{num(points)}"
    en += f"; points {num(points)}"
    return IndicatorResult(
        indicator_code=spec.code,
        raw_value=mean,
        achievement=None,
        points=points,
        explanation=f"{zh} / {en}",
        evidence=tuple(r.event_id for rs in counted.values() for r in rs),
        components=components,
    )
