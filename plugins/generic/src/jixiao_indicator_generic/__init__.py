"""Generic indicators without code (通用指标): configured in the scheme, scored here.

An evaluation office writes, in its scheme's ``indicators`` entry, a ``generic`` block
naming a formula and its settings; scoring configures the indicator through
``jixiao_indicator_configure`` and scores it with ``jixiao_indicator_evaluate`` below.
Six formulas (README.md states each exactly):

- ``rate`` (``generic_rate``): numerator / denominator against a target rate;
- ``amount`` (``generic_amount``): an amount against the unit's target, year to date;
- ``case_points`` (``generic_case_points``): points per case, deducted or added, capped;
- ``bands`` (``generic_bands``): a value's band gives the points;
- ``rank_points`` (``generic_rank_points``): the rank among the peer group gives the points;
- ``sheet`` (``generic_sheet``): a responsible department's signed score sheet, item by item
  (docs/score-sheets.md).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from jixiao_sdk import IndicatorInput, IndicatorResult, IndicatorSpec, Observation, Target, hookimpl
from jixiao_sdk.helpers import clamp, expected_share, num, pct, total, year_to_date_span
from jixiao_sdk.model import CODE_PATTERN
from jixiao_sdk.periods import PeriodError

from .settings import (
    BASES, READERS, Amount, Bands, CasePoints, RankPoints, Rate, Sheet, target_in_range,
)

VERSION = "1.0.0"
OWNER = "evaluation_office"

_BASE_FORMULAS = {
    "rate": "rate = numerator / denominator (each summed over the period); points = 100 x"
            " min(1, rate / target), lower_is_better: 100 x min(1, target / rate), 100 at rate 0",
    "amount": "points = 100 x min(1, actual / (target x expected share of the plan)); year to"
              " date by default",
    "case_points": "points = sign x min(cap, |points_per_case| x cases); a deduction when"
                   " points_per_case < 0, a bonus when > 0",
    "bands": "points = the points of the best band the aggregated value reaches, else otherwise",
    "rank_points": "points = 100 x points_by_rank[rank] / points_by_rank[first], ranked within"
                   " the peer group, ties sharing the better rank; otherwise beyond the table",
    "sheet": "points = 100 x sum of the unit's item points / sum of the items' max_points, from the"
             " responsible department's accepted score sheet of the period (the highest sheet_version"
             " per item)",
}
_NAMES = {
    "rate": ("通用指标：比率", "Generic: rate"),
    "amount": ("通用指标：总量", "Generic: amount"),
    "case_points": ("通用指标：按件扣分/加分", "Generic: points per case"),
    "bands": ("通用指标：分档计分", "Generic: bands"),
    "rank_points": ("通用指标：名次赋分", "Generic: rank points"),
    "sheet": ("通用指标：考核责任单位评分表", "Generic: responsible department's score sheet"),
}
SPECS = tuple(
    IndicatorSpec(code=base, name_zh=_NAMES[formula][0], name_en=_NAMES[formula][1],
                  version=VERSION, owner=OWNER, input_metrics=(), min_points=0.0,
                  max_points=100.0, kind="score", formula=_BASE_FORMULAS[formula],
                  period_basis="year_to_date" if formula == "amount" else "period_alone",
                  generic=True, needs_peers=formula == "rank_points")
    for formula, base in BASES.items()
)
_FORMULA_OF = {base: formula for formula, base in BASES.items()}
#: The metric of a sheet-scored indicator's events (docs/score-sheets.md).
SHEET_METRIC_PREFIX = "sheet_"
_UNITS = {"CNY_100M": ("亿元", " (CNY 100M)"), "CNY_10K": ("万元", " (CNY 10K)"),
          "CNY": ("元", " CNY"), "count": ("件", ""), "": ("", "")}


@hookimpl
def jixiao_indicator_specs() -> list[IndicatorSpec]:
    return list(SPECS)


@hookimpl
def jixiao_indicator_configure(spec: IndicatorSpec, code: str, name_zh: str, name_en: str,
                               settings: Mapping[str, Any]) -> IndicatorSpec:
    formula = _FORMULA_OF[spec.code]
    read = READERS[formula](settings)
    common = dict(code=code, name_zh=name_zh, name_en=name_en, version=spec.version,
                  owner=spec.owner, settings=settings, generic=False, categories=())
    if isinstance(read, Rate):
        target = f"target {num(read.target, 4)}" if read.target is not None else "no default target"
        rule = ("100 x min(1, rate / target)" if read.direction == "higher_is_better"
                else "100 x min(1, target / rate), 100 at rate 0")
        return IndicatorSpec(**common, input_metrics=(read.numerator, read.denominator),
                             min_points=0.0, max_points=100.0, direction=read.direction,
                             rollup="sum", kind="score", period_basis="period_alone",
                             formula=f"rate = {read.numerator} / {read.denominator}; points = {rule};"
                                     f" {target}, the unit's target value overrides it")
    if isinstance(read, Amount):
        return IndicatorSpec(**common, input_metrics=(read.metric,), min_points=0.0,
                             max_points=100.0, rollup="sum", kind="score",
                             period_basis="year_to_date",
                             formula=f"points = 100 x min(1, {read.metric} / (target x expected"
                                     f" share of the plan)); year to date")
    if isinstance(read, CasePoints):
        bonus = read.points_per_case > 0
        return IndicatorSpec(**common, input_metrics=(read.metric,),
                             min_points=0.0 if bonus else -read.cap,
                             max_points=read.cap if bonus else 0.0,
                             direction="higher_is_better" if bonus else "lower_is_better",
                             rollup="sum", kind="bonus" if bonus else "deduction",
                             period_basis="period_alone",
                             formula=f"points = {'+' if bonus else '-'}min({num(read.cap)},"
                                     f" {num(abs(read.points_per_case))} x cases of {read.metric})")
    if isinstance(read, Bands):
        edge = "at least" if read.direction == "higher_is_better" else "at most"
        table = "; ".join(f"{edge} {num(b.threshold, 4)}: {num(b.points)}" for b in read.bands)
        return IndicatorSpec(**common, input_metrics=(read.metric,), min_points=0.0,
                             max_points=100.0, direction=read.direction,
                             rollup="last" if read.aggregate == "last" else "sum", kind="score",
                             period_basis="period_alone",
                             formula=f"value = {read.aggregate} of {read.metric}; points by bands"
                                     f" ({table}; otherwise {num(read.otherwise)}), the best band"
                                     " reached wins")
    if isinstance(read, Sheet):
        metric = SHEET_METRIC_PREFIX + code
        if not CODE_PATTERN.match(metric):
            raise ValueError(f"code: the sheet's metric {metric!r} is not a metric code (at most 64"
                             f" characters); a sheet-scored indicator's code may have at most"
                             f" {64 - len(SHEET_METRIC_PREFIX)} characters")
        items = ", ".join(f"{item.code} {num(item.max_points)}" for item in read.items)
        # Roll-up "sum": scoring hands the formula every event inside the period scored, and
        # the formula keeps those of that very period, its own sheet (README, "sheet").
        return IndicatorSpec(**common, input_metrics=(metric,), min_points=0.0, max_points=100.0,
                             rollup="sum", kind="score", period_basis="period_alone",
                             formula=f"points = 100 x sum of item points / {num(read.max_total)}"
                                     f" (items: {items}); from {read.department}'s accepted score"
                                     f" sheet ({metric}) of the period itself, the highest"
                                     " sheet_version per item; an item not scored counts 0")
    assert isinstance(read, RankPoints)
    table = ", ".join(num(p) for p in read.points_by_rank)
    return IndicatorSpec(**common, input_metrics=(read.metric,), min_points=0.0, max_points=100.0,
                         direction=read.direction,
                         rollup="last" if read.aggregate == "last" else "sum", kind="score",
                         period_basis="period_alone", needs_peers=True,
                         formula=f"value = {read.aggregate} of {read.metric}; rank in the peer group"
                                 f" ({read.direction}, ties share the better rank); points = 100 x"
                                 f" table[rank] / {num(read.points_by_rank[0])}, table {table},"
                                 f" otherwise {num(read.otherwise)}")


@hookimpl
def jixiao_indicator_check_target(spec: IndicatorSpec, target: Target | None) -> list[str]:
    if spec.generic:
        return []
    read = READERS[spec.settings["formula"]](spec.settings)
    value = target.value if target is not None else None
    if isinstance(read, Rate):
        if value is None and read.target is None:
            return ["no target: set target in the indicator's generic block or a target value"
                    " for the unit"]
        if value is not None:
            try:
                target_in_range(value, "target value")
            except ValueError as exc:
                return [str(exc)]
    if isinstance(read, Amount) and (value is None or value <= 0):
        return [f"the target value (the plan) must be a positive number, got {value!r}"]
    return []


@hookimpl
def jixiao_indicator_evaluate(spec: IndicatorSpec, inputs: IndicatorInput) -> IndicatorResult:
    read = READERS[spec.settings["formula"]](spec.settings)
    if isinstance(read, Rate):
        return _rate(spec, read, inputs)
    if isinstance(read, Amount):
        return _amount(spec, read, inputs)
    if isinstance(read, CasePoints):
        return _case_points(spec, read, inputs)
    if isinstance(read, Bands):
        return _bands(spec, read, inputs)
    if isinstance(read, Sheet):
        return _sheet(spec, read, inputs)
    return _rank_points(spec, read, inputs)


# --- the formulas ---------------------------------------------------------------------------


def _of(observations: Iterable[Observation], metric: str) -> tuple[Observation, ...]:
    return tuple(sorted((o for o in observations if o.metric_code == metric),
                        key=lambda o: (o.period, o.event_id)))


def _unit_texts(events: Iterable[Observation]) -> tuple[str, str]:
    units = {o.measurement_unit for o in events}
    unit = units.pop() if len(units) == 1 else ""
    return _UNITS.get(unit, (unit, f" {unit}"))


def _rate(spec: IndicatorSpec, s: Rate, inputs: IndicatorInput) -> IndicatorResult:
    code = spec.code
    tops, bottoms = _of(inputs.observations, s.numerator), _of(inputs.observations, s.denominator)
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


def _amount(spec: IndicatorSpec, s: Amount, inputs: IndicatorInput) -> IndicatorResult:
    code = spec.code
    events = _of(inputs.observations, s.metric)
    units = sorted({o.measurement_unit for o in events})
    if len(units) > 1:
        return IndicatorResult.failed(code, f"events of {s.metric} come in different measurement"
                                            f" units ({', '.join(repr(u) for u in units)}); one unit is needed")
    target = inputs.target.value if inputs.target is not None else None
    if target is None or target <= 0:
        return IndicatorResult.failed(code, f"no target: the unit needs a positive target value"
                                            f" (the plan), got {target!r}")
    target_unit = inputs.target.measurement_unit if inputs.target is not None else ""
    if units and target_unit and units[0] and target_unit != units[0]:
        return IndicatorResult.failed(code, f"the target is in {target_unit!r} but {s.metric} is"
                                            f" reported in {units[0]!r}")
    actual = total(events)
    share = expected_share(inputs)
    due = target * share
    achievement = actual / due if due > target * 1e-9 else 1.0
    points = 100.0 * clamp(achievement, 0.0, 1.0)
    unit_zh, unit_en = _unit_texts(events)
    span_zh = span_en = ""
    if inputs.as_of_period:
        span_zh, span_en = year_to_date_span(inputs.as_of_period, inputs.year_start_month)
        span_en += ": "
    zh = (f"{spec.name_zh}：{span_zh}完成{num(actual)}{unit_zh}，目标{num(target)}{unit_zh}")
    en = (f"{spec.name_en}: {span_en}{num(actual)}{unit_en} done of the target"
          f" {num(target)}{unit_en}")
    if share < 1.0:
        zh += f"，按进度（{pct(share)}）应完成{num(due)}{unit_zh}"
        en += f", {num(due)}{unit_en} due by schedule ({pct(share)} of the plan)"
    zh += f"，完成率{pct(achievement)}，得分=100×min(1, 完成率)={num(points)}"
    en += f"; {pct(achievement)} achieved: points = 100 x min(1, achievement) = {num(points)}"
    return IndicatorResult(
        indicator_code=code, raw_value=actual, achievement=achievement, points=points,
        explanation=f"{zh} / {en}", evidence=tuple(o.event_id for o in events),
        components={"actual": actual, "target": target, "due": due, "expected_share": share})


def _case_points(spec: IndicatorSpec, s: CasePoints, inputs: IndicatorInput) -> IndicatorResult:
    code = spec.code
    events = _of(inputs.observations, s.metric)
    negative = [o.event_id for o in events if o.value < 0]
    if negative:
        return IndicatorResult.failed(code, f"event {negative[0]} reports a negative count of"
                                            f" {s.metric}; counts must be >= 0")
    cases = total(events)
    incurred = abs(s.points_per_case) * cases
    applied = min(s.cap, incurred)
    bonus = s.points_per_case > 0
    points = applied if bonus else (-applied if applied else 0.0)
    count = num(cases, 0) if cases.is_integer() else num(cases)
    if bonus:
        zh = (f"{spec.name_zh}：{s.metric} {count}件，每件加{num(s.points_per_case)}分，"
              f"加{num(applied)}分")
        en = (f"{spec.name_en}: {count} cases of {s.metric} at +{num(s.points_per_case)} each,"
              f" +{num(applied)} points")
    else:
        zh = (f"{spec.name_zh}：{s.metric} {count}件，每件扣{num(-s.points_per_case)}分，"
              f"扣{num(applied)}分")
        en = (f"{spec.name_en}: {count} cases of {s.metric} at -{num(-s.points_per_case)} each,"
              f" -{num(applied)} points")
    if incurred > s.cap:
        verb = "加" if bonus else "扣"
        zh += f"（按件应{verb}{num(incurred)}分，最多{verb}{num(s.cap)}分）"
        en += f" (incurred {num(incurred)}, capped at {num(s.cap)})"
    return IndicatorResult(
        indicator_code=code, raw_value=cases, achievement=None, points=points,
        explanation=f"{zh} / {en}", evidence=tuple(o.event_id for o in events),
        components={"cases": cases, "incurred": incurred, "cap": s.cap})


def _aggregate(events: tuple[Observation, ...], how: str, inputs: IndicatorInput
               ) -> tuple[float, tuple[Observation, ...]]:
    """``(value, the events it rests on)``: ``sum`` and ``mean`` of all, ``last`` the latest
    event (by the end of its period, then its period text, then its event id)."""
    if how == "sum":
        return total(events), events
    if how == "mean":
        return total(events) / len(events), events
    def end(o: Observation) -> date:
        return inputs.calendar.parse(o.period).end if o.period else date.min
    latest = max(events, key=lambda o: (end(o), o.period, o.event_id))
    return latest.value, (latest,)


_AGGREGATE_TEXT = {"sum": ("合计", "total"), "mean": ("平均", "mean"), "last": ("最新", "latest")}


def _bands(spec: IndicatorSpec, s: Bands, inputs: IndicatorInput) -> IndicatorResult:
    code = spec.code
    events = _of(inputs.observations, s.metric)
    if not events:
        return IndicatorResult.failed(code, f"no {s.metric} figures in {inputs.period}")
    value, used = _aggregate(events, s.aggregate, inputs)
    higher = s.direction == "higher_is_better"
    reached = [b for b in s.bands if (value >= b.threshold if higher else value <= b.threshold)]
    best = max(reached, key=lambda b: b.points) if reached else None  # the first listed on a tie
    points = best.points if best else s.otherwise
    agg_zh, agg_en = _AGGREGATE_TEXT[s.aggregate]
    edge_zh, edge_en = ("不低于", "at least") if higher else ("不高于", "at most")
    zh = f"{spec.name_zh}：{s.metric}{agg_zh}{num(value, 4)}，"
    en = f"{spec.name_en}: {agg_en} {s.metric} {num(value, 4)}, "
    if best:
        zh += f"达到“{edge_zh}{num(best.threshold, 4)}”档，得{num(points)}分"
        en += f"in the band '{edge_en} {num(best.threshold, 4)}': {num(points)} points"
    else:
        zh += f"未达到任何一档，得{num(points)}分"
        en += f"below every band: {num(points)} points"
    return IndicatorResult(
        indicator_code=code, raw_value=value, achievement=None, points=points,
        explanation=f"{zh} / {en}", evidence=tuple(o.event_id for o in used),
        components={"value": value, "band_edge": best.threshold} if best else {"value": value})


def _rank_points(spec: IndicatorSpec, s: RankPoints, inputs: IndicatorInput) -> IndicatorResult:
    code = spec.code
    events = _of(inputs.observations, s.metric)
    if not events:
        return IndicatorResult.failed(code, f"no {s.metric} figure in {inputs.period} to rank")
    value, used = _aggregate(events, s.aggregate, inputs)
    values = {inputs.unit_id: value}
    for unit, observations in sorted(inputs.peers.items()):
        if unit == inputs.unit_id:
            continue
        theirs = _of(observations, s.metric)
        if theirs:
            values[unit] = _aggregate(theirs, s.aggregate, inputs)[0]
    higher = s.direction == "higher_is_better"
    better = sum(1 for v in values.values() if (v > value if higher else v < value))
    rank = better + 1  # ties share the better rank
    tied = sum(1 for v in values.values() if v == value) - 1
    first = s.points_by_rank[0]
    table_points = s.points_by_rank[rank - 1] if rank <= len(s.points_by_rank) else s.otherwise
    points = 100.0 * table_points / first
    agg_zh, agg_en = _AGGREGATE_TEXT[s.aggregate]
    tie_zh = f"（与{tied}个单位并列）" if tied else ""
    tie_en = f" (tied with {tied} other{'s' if tied > 1 else ''})" if tied else ""
    zh = (f"{spec.name_zh}：{s.metric}{agg_zh}{num(value, 4)}，在同组{len(values)}个单位中"
          f"列第{rank}名{tie_zh}，名次分{num(table_points)}（第1名{num(first)}），"
          f"得分=100×{num(table_points)}/{num(first)}={num(points)}")
    en = (f"{spec.name_en}: {agg_en} {s.metric} {num(value, 4)}, rank {rank} of {len(values)}"
          f" in the peer group{tie_en}; {num(table_points)} of {num(first)} rank points:"
          f" points = 100 x {num(table_points)} / {num(first)} = {num(points)}")
    return IndicatorResult(
        indicator_code=code, raw_value=value, achievement=None, points=points,
        explanation=f"{zh} / {en}", evidence=tuple(o.event_id for o in used),
        components={"value": value, "rank": float(rank), "group_size": float(len(values)),
                    "rank_points": table_points})


def _period_key(calendar: Any, text: str) -> tuple[date, date] | None:
    try:
        period = calendar.parse(text)
    except (PeriodError, ValueError):
        return None
    return period.start, period.end


def _sheet(spec: IndicatorSpec, s: Sheet, inputs: IndicatorInput) -> IndicatorResult:
    """The unit's points on the department's sheet of the period scored (docs/score-sheets.md)."""
    code = spec.code
    metric = spec.input_metrics[0]
    scored = inputs.as_of_period or inputs.period
    own = _period_key(inputs.calendar, scored)
    events = tuple(sorted((o for o in inputs.observations if o.metric_code == metric),
                          key=lambda o: (o.period, o.attributes.get("item", ""), o.event_id)))
    mine = tuple(o for o in events if own is not None and _period_key(inputs.calendar, o.period) == own)
    if not mine:
        others = sorted({o.period for o in events} - {scored})
        elsewhere = (f" (the events given are of {', '.join(others)}: other periods' sheets, which"
                     f" do not count for {scored})") if others else ""
        return IndicatorResult.failed(code, f"no score sheet for {scored}: no {metric} events of"
                                            f" {scored} from {s.department}{elsewhere}")
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


__all__ = ["SPECS", "jixiao_indicator_check_target", "jixiao_indicator_configure",
           "jixiao_indicator_evaluate", "jixiao_indicator_specs"]
