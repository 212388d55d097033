"""Public evaluation (民评): satisfaction ballots over several channels, weighted per channel.

One vote per voter per channel: a voter's later ballots in the same channel are ignored.
See README.md for the formula, the channels and their default weights.
"""

from __future__ import annotations

from jixiao_sdk import (
    IndicatorInput, IndicatorResult, IndicatorSpec, Observation, Target, TargetParameter, hookimpl,
)
from jixiao_sdk.helpers import (
    check_non_negative, first_per_key, group_by, num, observations_of, pct, prefixed_numbers,
    target_problems, weighted_group_average,
)

METRIC = "public_vote"
#: Ballot values: 满意 satisfied, 基本满意 mostly satisfied, 不满意 dissatisfied.
BALLOT_VALUES = {1.0: "满意", 0.5: "基本满意", 0.0: "不满意"}
#: Default channel weights; a target overrides or adds channels with ``channel_weight.<name>``.
DEFAULT_WEIGHTS = {"newspaper": 0.25, "online": 0.25, "phone": 0.25, "onsite": 0.25}
CHANNEL_NAMES = {"newspaper": "报纸", "online": "网络", "phone": "电话", "onsite": "现场"}
_PREFIX = "channel_weight."

SPEC = IndicatorSpec(
    code="public_evaluation",
    name_zh="民主评议（民评）",
    name_en="Public evaluation",
    version="1.0.1",
    owner="evaluation_office",
    input_metrics=(METRIC,),
    min_points=0.0,
    max_points=100.0,
    direction="higher_is_better",
    rollup="mean",
    kind="score",
    formula=(
        "one vote per voter per channel (first ballot in (period, event id) order counts);"
        " channel satisfaction = mean ballot value (1 满意, 0.5 基本满意, 0 不满意);"
        " points = 100 x sum(w_c x satisfaction_c) / sum(w_c) over channels with at least"
        " min_ballots valid ballots; default weights newspaper/online/phone/onsite 0.25 each"
    ),
    parameters=(
        TargetParameter("channel_weight.*", "weight of the vote channel named after the dot, >= 0"
                        " (newspaper, online, phone, onsite default to 0.25; another name adds"
                        " a channel)"),
        TargetParameter("min_ballots", "valid ballots a channel needs to count, a whole number"
                        " >= 1; default 1"),
    ),
    period_basis="period_alone",
)


def _settings(target: Target | None) -> tuple[dict[str, float], int]:
    """``(channel weights, min_ballots)``; ValueError if unusable."""
    weights = {**DEFAULT_WEIGHTS, **prefixed_numbers(target, _PREFIX)}
    min_ballots = target.number("min_ballots", 1.0) if target is not None else 1.0
    check_non_negative(weights, _PREFIX)
    if not any(weights.values()):
        raise ValueError("at least one channel weight must be positive")
    if min_ballots < 1 or min_ballots != int(min_ballots):
        raise ValueError(f"min_ballots must be a whole number >= 1, got {min_ballots!r}")
    return weights, int(min_ballots)


def _valid(ballot: Observation, weights: dict[str, float]) -> bool:
    return (ballot.value in BALLOT_VALUES and bool(ballot.attributes.get("voter_id"))
            and ballot.attributes.get("channel") in weights)


@hookimpl
def jixiao_indicator_specs() -> list[IndicatorSpec]:
    return [SPEC]


@hookimpl
def jixiao_indicator_check_target(target: Target | None) -> list[str]:
    return target_problems(_settings, target)


@hookimpl
def jixiao_indicator_evaluate(spec: IndicatorSpec, inputs: IndicatorInput) -> IndicatorResult:
    try:
        weights, min_ballots = _settings(inputs.target)
    except ValueError as exc:
        return IndicatorResult.failed(spec.code, f"target: {exc}")
    ballots = observations_of(inputs, METRIC)
    valid = [b for b in ballots if _valid(b, weights)]
    invalid = len(ballots) - len(valid)
    kept, duplicates = first_per_key(valid, lambda b: (b.attributes["channel"], b.attributes["voter_id"]))
    by_channel = group_by(kept, lambda b: b.attributes["channel"])
    counted = {c: bs for c, bs in sorted(by_channel.items())
               if weights[c] > 0 and len(bs) >= min_ballots}
    if not counted:
        return IndicatorResult.failed(
            spec.code, f"no channel has {min_ballots} or more valid ballots"
                       f" ({len(ballots)} ballots, {invalid} invalid, {len(duplicates)} duplicates)")
    average = weighted_group_average(counted, weights)
    overall, satisfaction, weight_share = average.overall, average.means, average.shares
    components: dict[str, float] = {"satisfaction": overall, "duplicates": len(duplicates),
                                    "invalid": invalid}
    parts_zh, parts_en = [], []
    for channel in counted:
        components[f"satisfaction.{channel}"] = satisfaction[channel]
        components[f"ballots.{channel}"] = len(counted[channel])
        components[f"weight.{channel}"] = weight_share[channel]
        parts_zh.append(f"{CHANNEL_NAMES.get(channel, channel)}{pct(satisfaction[channel], 2)}"
                        f"（{len(counted[channel])}票，权重{num(weight_share[channel], 3)}）")
        parts_en.append(f"{channel} {pct(satisfaction[channel], 2)} ({len(counted[channel])} ballots,"
                        f" weight {num(weight_share[channel], 3)})")
    zh = f"民评满意度{pct(overall, 2)}：" + "、".join(parts_zh)
    en = f"public satisfaction {pct(overall, 2)}: " + ", ".join(parts_en)
    skipped = sorted(set(by_channel) - set(counted))
    if skipped:
        zh += f"；票数不足{min_ballots}张未计入：{'、'.join(skipped)}"
        en += f"; channels with fewer than {min_ballots} ballots not counted: {', '.join(skipped)}"
    if duplicates:
        zh += f"；同一投票人同一渠道重复投票{len(duplicates)}张，仅计首张"
        en += f"; {len(duplicates)} repeat ballots ignored (one vote per voter per channel)"
    if invalid:
        zh += f"；无效票{invalid}张"
        en += f"; {invalid} invalid ballots ignored"
    return IndicatorResult(
        indicator_code=spec.code,
        raw_value=overall,
        achievement=None,
        points=100.0 * overall,
        explanation=f"{zh} / {en}",
        evidence=tuple(b.event_id for bs in counted.values() for b in bs),
        components=components,
    )
