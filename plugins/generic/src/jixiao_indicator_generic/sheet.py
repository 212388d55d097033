"""A responsible department's signed score sheet (README, "sheet"; docs/score-sheets.md)."""
from __future__ import annotations

import math

from jixiao_sdk import IndicatorInput, IndicatorResult, IndicatorSpec, Observation
from jixiao_sdk.helpers import num
from jixiao_sdk.model import CODE_PATTERN

from .figures import period_key
from .settings import Sheet

#: The metric of a sheet-scored indicator's events (docs/score-sheets.md).
SHEET_METRIC_PREFIX = "sheet_"


def configure(common: dict, s: Sheet) -> IndicatorSpec:
    """The concrete spec of an indicator the scheme configures with this formula."""
    code = common["code"]
    metric = SHEET_METRIC_PREFIX + code
    if not CODE_PATTERN.match(metric):
        raise ValueError(f"code: the sheet's metric {metric!r} is not a metric code (at most 64"
                         f" characters); a sheet-scored indicator's code may have at most"
                         f" {64 - len(SHEET_METRIC_PREFIX)} characters")
    items = ", ".join(f"{item.code} {num(item.max_points)}" for item in s.items)
    # Roll-up "sum": scoring hands the formula every event inside the period scored, and
    # the formula keeps those of that very period, its own sheet (README, "sheet").
    return IndicatorSpec(**common, input_metrics=(metric,), min_points=0.0, max_points=100.0,
                         rollup="sum", kind="score", period_basis="period_alone",
                         formula=f"points = 100 x sum of item points / {num(s.max_total)}"
                                 f" (items: {items}); from {s.department}'s accepted score"
                                 f" sheet ({metric}) of the period itself, the highest"
                                 " sheet_version per item; an item not scored counts 0")


def evaluate(spec: IndicatorSpec, s: Sheet, inputs: IndicatorInput) -> IndicatorResult:
    """The unit's points on the department's sheet of the period scored (docs/score-sheets.md)."""
    code = spec.code
    metric = spec.input_metrics[0]
    scored = inputs.as_of_period or inputs.period
    own = period_key(inputs.calendar, scored)
    events = tuple(sorted((o for o in inputs.observations if o.metric_code == metric),
                          key=lambda o: (o.period, o.attributes.get("item", ""), o.event_id)))
    mine = tuple(o for o in events if own is not None and period_key(inputs.calendar, o.period) == own)
    if not mine:
        others = sorted({o.period for o in events} - {scored})
        elsewhere = (f" (the events given are of {', '.join(others)}: other periods' sheets, which"
                     f" do not count for {scored})") if others else ""
        return IndicatorResult.failed(code, f"{scored}尚无复核通过的评分表 / no score sheet for {scored}: no"
                                            f" {metric} events of {scored} from {s.department}{elsewhere}")
    maxima = {item.code: item.max_points for item in s.items}
    versions: dict[str, int] = {}
    for o in mine:
        item = o.attributes.get("item", "")
        if not item:
            return IndicatorResult.failed(code, f"event {o.event_id} names no item (attribute 'item')")
        if item not in maxima:
            return IndicatorResult.failed(code, f"event {o.event_id} scores item {item!r}, which is not"
                                                f" on the sheet (items: {', '.join(maxima)})")
        if not 0.0 <= o.value <= maxima[item]:
            return IndicatorResult.failed(code, f"event {o.event_id} gives item {item!r}"
                                                f" {num(o.value)} points, outside [0, {num(maxima[item])}]")
        text = o.attributes.get("sheet_version", "")
        if not (text.isascii() and text.isdigit()) or int(text) < 1:
            return IndicatorResult.failed(code, f"event {o.event_id} has sheet_version {text!r}; a"
                                                " sheet version is a whole number from 1")
        for attribute in ("signed_by", "digest"):
            if not o.attributes.get(attribute, "").strip():
                return IndicatorResult.failed(code, f"event {o.event_id} carries no {attribute}: a"
                                                    " sheet's points need its signer and digest")
        versions[o.event_id] = int(text)
    used: dict[str, Observation] = {}
    for o in mine:
        item = o.attributes["item"]
        best = used.get(item)
        if best is None or versions[o.event_id] > versions[best.event_id]:
            used[item] = o
        elif versions[o.event_id] == versions[best.event_id]:
            return IndicatorResult.failed(code, f"events {best.event_id} and {o.event_id} both score"
                                                f" item {item!r} in sheet version {versions[o.event_id]}")
    got = {item: o.value for item, o in used.items()}
    sheet_total = math.fsum(got.values())
    max_total = s.max_total
    achievement = sheet_total / max_total
    points = 100.0 * achievement
    parts_zh, parts_en, missing = [], [], []
    for item in s.items:
        o = used.get(item.code)
        if o is None:
            missing.append(item.code)
            parts_zh.append(f"{item.name_zh} 未评分 0.00/{num(item.max_points)}")
            parts_en.append(f"{item.name_en} not scored 0.00/{num(item.max_points)}")
            continue
        basis = o.attributes.get("basis", "").strip()
        parts_zh.append(f"{item.name_zh} {num(o.value)}/{num(item.max_points)}"
                        + (f"（{basis}）" if basis else ""))
        parts_en.append(f"{item.name_en} {num(o.value)}/{num(item.max_points)}"
                        + (f" ({basis})" if basis else ""))
    signatures = sorted({(versions[o.event_id], o.attributes["signed_by"].strip(),
                          o.attributes["digest"].strip()[:12]) for o in used.values()})
    signed_zh = "；".join(f"签字人{who}，摘要{digest}，第{version}版" for version, who, digest in signatures)
    signed_en = "; ".join(f"signed by {who}, digest {digest}, sheet version {version}"
                          for version, who, digest in signatures)
    rule_zh = f"得分=100×{num(sheet_total)}/{num(max_total)}={num(points)}"
    rule_en = f"points = 100 x {num(sheet_total)} / {num(max_total)} = {num(points)}"
    zh = (f"{spec.name_zh}（{s.department_zh}评分）：{'；'.join(parts_zh)}；合计{num(sheet_total)}/"
          f"{num(max_total)}，{rule_zh}；{signed_zh}")
    en = (f"{spec.name_en} (scored by {s.department_en}): {'; '.join(parts_en)}; total"
          f" {num(sheet_total)}/{num(max_total)}, {rule_en}; {signed_en}")
    evidence = tuple(used[item.code].event_id for item in s.items if item.code in used)
    return IndicatorResult(
        indicator_code=code, raw_value=sheet_total, achievement=achievement, points=points,
        explanation=f"{zh} / {en}", evidence=evidence,
        components={"sheet_points": sheet_total, "sheet_max_points": max_total,
                    "sheet_version": float(max(versions[e] for e in evidence)),
                    "items_not_scored": float(len(missing))})
