"""Safety-accident veto (安全生产一票否决): a serious accident caps the unit's grade.

Gives 0 points; when an accident at or above ``veto_from`` (default ``serious``, 重大)
happened in the period, the result carries ``Veto(cap_grade=3, ...)``: the unit can be
graded third at best, whatever its points. See README.md.
"""

from __future__ import annotations

from jixiao_sdk import (
    IndicatorInput, IndicatorResult, IndicatorSpec, Target, TargetParameter, Veto, hookimpl,
)
from jixiao_sdk.helpers import counts_by_category, num, observations_of, target_problems

METRIC = "safety_accident"
#: Accident severities from least to most severe (生产安全事故等级).
SEVERITIES = ("general", "major", "serious", "especially_serious")
SEVERITY_NAMES = {"general": "一般", "major": "较大", "serious": "重大", "especially_serious": "特别重大"}
GRADE_NAMES = {1: "一等", 2: "二等", 3: "三等", 4: "四等"}

SPEC = IndicatorSpec(
    code="safety_veto",
    name_zh="安全生产一票否决",
    name_en="Safety-accident veto",
    version="1.0.1",
    owner="emergency_management",
    input_metrics=(METRIC,),
    min_points=0.0,
    max_points=0.0,
    direction="lower_is_better",
    rollup="sum",
    kind="veto",
    formula=(
        "0 points; if any accident of severity >= veto_from (default serious) happened,"
        " Veto(cap_grade) with cap_grade default 3 (cap_grade.<severity> may set a"
        " stricter cap per severity); severities general < major < serious < especially_serious"
    ),
    parameters=(
        TargetParameter("veto_from", "least severe accident that vetoes: general, major,"
                        " serious or especially_serious; default serious", kind="text"),
        TargetParameter("cap_grade", "best grade a vetoed unit can get, a whole number >= 1;"
                        " default 3"),
        *(TargetParameter(f"cap_grade.{severity}", f"cap grade after a {severity.replace('_', ' ')}"
                          " accident; default cap_grade") for severity in SEVERITIES),
    ),
    period_basis="period_alone",
)


def _settings(target: Target | None) -> tuple[str, dict[str, int]]:
    """``(veto_from, cap grade per vetoing severity)``; ValueError if unusable."""
    veto_from = (target.text("veto_from", "serious") if target else "serious")
    if veto_from not in SEVERITIES:
        raise ValueError(f"veto_from must be one of {', '.join(SEVERITIES)}, got {veto_from!r}")
    caps: dict[str, int] = {}
    default = target.number("cap_grade", 3.0) if target else 3.0
    for severity in SEVERITIES[SEVERITIES.index(veto_from):]:
        cap = target.number(f"cap_grade.{severity}", default) if target else default
        if cap < 1 or cap != int(cap):
            raise ValueError(f"cap grade for {severity} must be a whole number >= 1, got {cap!r}")
        caps[severity] = int(cap)
    return veto_from, caps


@hookimpl
def jixiao_indicator_specs() -> list[IndicatorSpec]:
    return [SPEC]


@hookimpl
def jixiao_indicator_check_target(target: Target | None) -> list[str]:
    return target_problems(_settings, target)


@hookimpl
def jixiao_indicator_evaluate(spec: IndicatorSpec, inputs: IndicatorInput) -> IndicatorResult:
    try:
        veto_from, caps = _settings(inputs.target)
    except ValueError as exc:
        return IndicatorResult.failed(spec.code, f"target: {exc}")
    events = observations_of(inputs, METRIC)
    try:
        # Negative counts are not rejected here (unlike bonus and deduction indicators).
        counts = counts_by_category(events, "severity", SEVERITIES, allow_negative=True)
    except ValueError as exc:
        return IndicatorResult.failed(spec.code, str(exc))
    listed = [s for s in SEVERITIES if counts[s] > 0]
    tally_zh = "、".join(f"{SEVERITY_NAMES[s]}事故{num(counts[s], 0)}起" for s in listed)
    tally_en = ", ".join(f"{num(counts[s], 0)} {s.replace('_', ' ')}" for s in listed)
    vetoing = [e for e in events if e.attributes["severity"] in caps and e.value > 0]
    veto = None
    if vetoing:
        cap = max(caps[e.attributes["severity"]] for e in vetoing)
        ids = ", ".join(e.event_id for e in vetoing)
        grade = GRADE_NAMES.get(cap, f"{cap}等")
        zh = f"发生{tally_zh}（{ids}），实行一票否决，等次最高定为{grade}"
        en = f"accidents: {tally_en} ({ids}); veto: grade capped at {cap}"
        veto = Veto(cap_grade=cap, reason=f"{zh} / {en}")
    else:
        threshold = SEVERITY_NAMES[veto_from]
        zh = f"未发生{threshold}及以上安全事故" + (f"（{tally_zh}）" if listed else "")
        en = (f"no accidents at or above {veto_from.replace('_', ' ')}"
              + (f" ({tally_en})" if listed else ""))
    return IndicatorResult(
        indicator_code=spec.code,
        raw_value=sum(counts.values()),
        achievement=None,
        points=0.0,
        explanation=f"{zh} / {en}",
        evidence=tuple(e.event_id for e in events),
        components={f"count.{s}": counts[s] for s in SEVERITIES},
        veto=veto,
    )
