"""On-site assessment by an assessment team (考核组现场考核; README, "assessment";
docs/assessment-teams.md).

Scoring stores, when the office closes a unit's on-site scoring, one event per assessor of
the unit's team: metric ``assessment_<indicator code>``, value = that assessor's total (the
sum of their item points), attributes ``position`` (the assessor's place on the team's
roster, 1, 2, … — never who they are), ``closing`` (the closing's version, 1, 2, …; a later
closing supersedes an earlier one), ``team`` (the team's name) and ``items`` (each item's
points, ``code=points`` joined by ``;``).

The formula keeps the events of the period scored itself, of the highest ``closing``, and
makes the team's result of their totals by the scheme's ``team_rule``:

- ``mean``: the sum of the n totals / n;
- ``trimmed_mean``: with n ≥ 3, one highest and one lowest total are dropped (once each,
  even when several assessors share them) and the rest averaged: (sum − max − min) / (n − 2);
  with n < 3 nothing is dropped and it is the plain mean (the explanation says so).

points = 100 × the team's result / the items' maximum points (their sum). Computed in
exact fractions from the events' values, so the order of the events changes nothing.
"""
from __future__ import annotations

from fractions import Fraction

from jixiao_sdk import IndicatorInput, IndicatorResult, IndicatorSpec, Observation
from jixiao_sdk.helpers import num
from jixiao_sdk.model import CODE_PATTERN

from .figures import period_key
from .settings import Assessment

#: The metric of an assessment-scored indicator's events (docs/assessment-teams.md).
METRIC_PREFIX = "assessment_"


def configure(common: dict, s: Assessment) -> IndicatorSpec:
    """The concrete spec of an indicator the scheme configures with this formula."""
    code = common["code"]
    metric = METRIC_PREFIX + code
    if not CODE_PATTERN.match(metric):
        raise ValueError(f"code: the assessment's metric {metric!r} is not a metric code (at most 64"
                         f" characters); an assessment-scored indicator's code may have at most"
                         f" {64 - len(METRIC_PREFIX)} characters")
    items = ", ".join(f"{item.code} {num(item.max_points)}" for item in s.items)
    rule = ("mean of the assessors' totals" if s.team_rule == "mean" else
            "mean of the assessors' totals without the highest and the lowest (the plain mean with fewer"
            " than 3 assessors)")
    # Roll-up "sum" as for sheets: the formula keeps the events of the period scored itself.
    return IndicatorSpec(**common, input_metrics=(metric,), min_points=0.0, max_points=100.0,
                         rollup="sum", kind="score", period_basis="period_alone",
                         formula=f"points = 100 x team result / {num(s.max_total)} (items: {items});"
                                 f" team result = {rule}, from the on-site scores ({metric}) of the"
                                 " period itself the office closed, the latest closing")


def team_result(totals: list[Fraction], rule: str) -> tuple[Fraction, bool]:
    """``(result, trimmed)`` of the assessors' totals by the team rule (module docstring)."""
    if rule == "trimmed_mean" and len(totals) >= 3:
        return (sum(totals) - max(totals) - min(totals)) / (len(totals) - 2), True
    return sum(totals) / len(totals), False


def evaluate(spec: IndicatorSpec, s: Assessment, inputs: IndicatorInput) -> IndicatorResult:
    """The unit's points from its team's closed on-site scores of the period scored."""
    code = spec.code
    metric = spec.input_metrics[0]
    scored = inputs.as_of_period or inputs.period
    own = period_key(inputs.calendar, scored)
    mine = tuple(o for o in inputs.observations if o.metric_code == metric
                 and own is not None and period_key(inputs.calendar, o.period) == own)
    if not mine:
        return IndicatorResult.failed(code, f"{scored}尚无结束评分的现场考核 / no closed on-site assessment for"
                                            f" {scored}: no {metric} events of {scored}")
    whole: dict[str, tuple[int, int]] = {}
    for o in mine:
        numbers = []
        for attribute in ("position", "closing"):
            text = o.attributes.get(attribute, "")
            if not (text.isascii() and text.isdigit()) or int(text) < 1:
                return IndicatorResult.failed(code, f"event {o.event_id} has {attribute} {text!r}; it is a"
                                                    " whole number from 1")
            numbers.append(int(text))
        if not 0.0 <= o.value <= s.max_total:
            return IndicatorResult.failed(code, f"event {o.event_id} gives a total of {num(o.value)},"
                                                f" outside [0, {num(s.max_total)}]")
        whole[o.event_id] = (numbers[0], numbers[1])
    closing = max(c for _, c in whole.values())
    used: dict[int, Observation] = {}
    for o in sorted(mine, key=lambda o: o.event_id):
        position, version = whole[o.event_id]
        if version != closing:
            continue
        if position in used:
            return IndicatorResult.failed(code, f"events {used[position].event_id} and {o.event_id} both"
                                                f" give assessor {position}'s total in closing {closing}")
        used[position] = o
    ordered = [used[p] for p in sorted(used)]
    totals = [Fraction(o.value) for o in ordered]
    result, trimmed = team_result(totals, s.team_rule)
    max_total = Fraction(s.max_total)
    achievement = float(result / max_total)
    points = float(100 * result / max_total)
    team = ordered[0].attributes.get("team", "").strip()
    each_zh = "；".join(f"考评员{p} {num(used[p].value)}" for p in sorted(used))
    each_en = "; ".join(f"assessor {p} {num(used[p].value)}" for p in sorted(used))
    if trimmed:
        rule_zh = (f"去掉一个最高分{num(float(max(totals)))}和一个最低分{num(float(min(totals)))}后平均"
                   f"{num(float(result))}")
        rule_en = (f"mean without the highest {num(float(max(totals)))} and the lowest"
                   f" {num(float(min(totals)))}: {num(float(result))}")
    else:
        short = s.team_rule == "trimmed_mean"
        rule_zh = f"{'不足3名考评员，不去分，' if short else ''}平均{num(float(result))}"
        rule_en = f"{'fewer than 3 assessors, nothing dropped; ' if short else ''}mean {num(float(result))}"
    who_zh = f"{team}考核组" if team else "考核组"
    who_en = f"assessment team {team}" if team else "the assessment team"
    zh = (f"{spec.name_zh}（{who_zh}现场考核，第{closing}次结束评分）：{each_zh}；{rule_zh}/{num(s.max_total)}，"
          f"得分=100×{num(float(result))}/{num(s.max_total)}={num(points)}")
    en = (f"{spec.name_en} (on site by {who_en}, closing {closing}): {each_en}; {rule_en} out of"
          f" {num(s.max_total)}, points = 100 x {num(float(result))} / {num(s.max_total)} = {num(points)}")
    return IndicatorResult(
        indicator_code=code, raw_value=float(result), achievement=achievement, points=points,
        explanation=f"{zh} / {en}", evidence=tuple(o.event_id for o in ordered),
        components={"team_result": float(result), "max_points": s.max_total,
                    "assessors": float(len(ordered)), "closing": float(closing),
                    "trimmed": 1.0 if trimmed else 0.0})
