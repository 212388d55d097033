"""The rank in the peer group to points (README, "rank_points")."""
from __future__ import annotations

from jixiao_sdk import IndicatorInput, IndicatorResult, IndicatorSpec
from jixiao_sdk.helpers import num

from .figures import AGGREGATE_TEXT, aggregate, of_metric
from .settings import RankPoints


def configure(common: dict, s: RankPoints) -> IndicatorSpec:
    """The concrete spec of an indicator the scheme configures with this formula."""
    table = ", ".join(num(p) for p in s.points_by_rank)
    return IndicatorSpec(**common, input_metrics=(s.metric,), min_points=0.0, max_points=100.0,
                         direction=s.direction,
                         rollup="last" if s.aggregate == "last" else "sum", kind="score",
                         period_basis="period_alone", needs_peers=True,
                         formula=f"value = {s.aggregate} of {s.metric}; rank in the peer group"
                                 f" ({s.direction}, ties share the better rank); points = 100 x"
                                 f" table[rank] / {num(s.points_by_rank[0])}, table {table},"
                                 f" otherwise {num(s.otherwise)}")


def evaluate(spec: IndicatorSpec, s: RankPoints, inputs: IndicatorInput) -> IndicatorResult:
    code = spec.code
    events = of_metric(inputs.observations, s.metric)
    if not events:
        return IndicatorResult.failed(code, f"no {s.metric} figure in {inputs.period} to rank")
    value, used = aggregate(events, s.aggregate, inputs)
    values = {inputs.unit_id: value}
    for unit, observations in sorted(inputs.peers.items()):
        if unit == inputs.unit_id:
            continue
        theirs = of_metric(observations, s.metric)
        if theirs:
            values[unit] = aggregate(theirs, s.aggregate, inputs)[0]
    higher = s.direction == "higher_is_better"
    better = sum(1 for v in values.values() if (v > value if higher else v < value))
    rank = better + 1  # ties share the better rank
    tied = sum(1 for v in values.values() if v == value) - 1
    first = s.points_by_rank[0]
    table_points = s.points_by_rank[rank - 1] if rank <= len(s.points_by_rank) else s.otherwise
    points = 100.0 * table_points / first
    agg_zh, agg_en = AGGREGATE_TEXT[s.aggregate]
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
