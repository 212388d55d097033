"""Thresholds to points by bands (README, "bands")."""
from __future__ import annotations

from jixiao_sdk import IndicatorInput, IndicatorResult, IndicatorSpec
from jixiao_sdk.helpers import num

from .figures import AGGREGATE_TEXT, aggregate, of_metric
from .settings import Bands


def configure(common: dict, s: Bands) -> IndicatorSpec:
    """The concrete spec of an indicator the scheme configures with this formula."""
    edge = "at least" if s.direction == "higher_is_better" else "at most"
    table = "; ".join(f"{edge} {num(b.threshold, 4)}: {num(b.points)}" for b in s.bands)
    return IndicatorSpec(**common, input_metrics=(s.metric,), min_points=0.0,
                         max_points=100.0, direction=s.direction,
                         rollup="last" if s.aggregate == "last" else "sum", kind="score",
                         period_basis="period_alone",
                         formula=f"value = {s.aggregate} of {s.metric}; points by bands"
                                 f" ({table}; otherwise {num(s.otherwise)}), the best band"
                                 " reached wins")


def evaluate(spec: IndicatorSpec, s: Bands, inputs: IndicatorInput) -> IndicatorResult:
    code = spec.code
    events = of_metric(inputs.observations, s.metric)
    if not events:
        return IndicatorResult.failed(code, f"no {s.metric} figures in {inputs.period}")
    value, used = aggregate(events, s.aggregate, inputs)
    higher = s.direction == "higher_is_better"
    reached = [b for b in s.bands if (value >= b.threshold if higher else value <= b.threshold)]
    best = max(reached, key=lambda b: b.points) if reached else None  # the first listed on a tie
    points = best.points if best else s.otherwise
    agg_zh, agg_en = AGGREGATE_TEXT[s.aggregate]
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
