"""Small, deterministic building blocks for indicator formulas.

Sums use :func:`math.fsum`, which is exact and therefore independent of the order of the
events; text formatting uses fixed decimals; de-duplication keeps the first event in
``(period, event_id)`` order. Using these keeps a plug-in's results identical for
identical inputs, as the platform requires ("one ruler", DESIGN.md).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from .model import IndicatorInput, Observation, Target
from .periods import Calendar

#: Money units the platform uses, in 亿元 (CNY_100M).
MONEY_UNITS: dict[str, float] = {"CNY": 1e-8, "CNY_10K": 1e-4, "CNY_100M": 1.0}


def observations_of(inputs: IndicatorInput, metric_code: str) -> tuple[Observation, ...]:
    """Observations of *metric_code*, sorted by ``(period, event_id)``."""
    return tuple(sorted((o for o in inputs.observations if o.metric_code == metric_code),
                        key=lambda o: (o.period, o.event_id)))


def total(observations: Iterable[Observation]) -> float:
    """Exact sum of the values (order does not matter)."""
    return math.fsum(o.value for o in observations)


def rolled_up(observations: Iterable[Observation], rule: str) -> float | None:
    """Combine sub-period values by *rule* (``sum``, ``last``, ``mean``, ``max``).

    ``last`` takes the value of the latest period (ties broken by event id). Returns
    ``None`` when there are no observations.
    """
    ordered = sorted(observations, key=lambda o: (o.period, o.event_id))
    if not ordered:
        return None
    if rule == "sum":
        return total(ordered)
    if rule == "last":
        return ordered[-1].value
    if rule == "mean":
        return total(ordered) / len(ordered)
    if rule == "max":
        return max(o.value for o in ordered)
    raise ValueError(f"unknown roll-up rule {rule!r}; use sum, last, mean or max")


def to_100m(value: float, unit: str, what: str) -> float:
    """*value* given in money *unit* (``CNY``, ``CNY_10K`` = 万元, ``CNY_100M`` = 亿元), in 亿元.

    An empty unit is taken as ``CNY_100M``. *what* names the figure in the error raised
    for any other unit.
    """
    unit = unit or "CNY_100M"
    if unit not in MONEY_UNITS:
        raise ValueError(
            f"{what} has measurement unit {unit!r}; expected one of {', '.join(MONEY_UNITS)}"
        )
    return value * MONEY_UNITS[unit]


def money_in_100m(observation: Observation) -> float:
    """The observation's value in 亿元 (CNY_100M); see :func:`to_100m`."""
    return to_100m(observation.value, observation.measurement_unit,
                   f"event {observation.event_id!r}")


def money_total(observations: Iterable[Observation]) -> float:
    """Exact sum of the observations' values in 亿元 (CNY_100M)."""
    return math.fsum(money_in_100m(o) for o in observations)


def first_per_key(observations: Iterable[Observation], key: Callable[[Observation], Hashable]
                  ) -> tuple[tuple[Observation, ...], tuple[Observation, ...]]:
    """Split into ``(kept, dropped)``: the first observation per key wins.

    "First" is in ``(period, event_id)`` order, so the outcome does not depend on the order
    the events arrived in.
    """
    kept: list[Observation] = []
    dropped: list[Observation] = []
    seen: set[Hashable] = set()
    for obs in sorted(observations, key=lambda o: (o.period, o.event_id)):
        k = key(obs)
        (dropped if k in seen else kept).append(obs)
        seen.add(k)
    return tuple(kept), tuple(dropped)


def expected_share(inputs: IndicatorInput) -> float:
    """Share of the target due by now, from ``elapsed_share`` and the target's milestones.

    Without milestones the plan grows in proportion to time (``elapsed_share``). With
    milestones, each one is placed at the point of the period where its own period ends,
    and the plan is interpolated linearly through ``(0, 0)``, the milestones and
    ``(1, 1)``. A finished period (``elapsed_share == 1``) always expects the full target.
    """
    elapsed = inputs.elapsed_share
    if elapsed >= 1.0:
        return 1.0
    milestones = inputs.target.milestones if inputs.target else ()
    points = [(0.0, 0.0)]
    calendar = inputs.calendar
    for milestone in sorted(milestones, key=lambda m: calendar.end_fraction(m.period, inputs.period)):
        x = calendar.end_fraction(milestone.period, inputs.period)
        share = max(milestone.share, points[-1][1])
        if x > points[-1][0]:
            points.append((x, share))
        else:  # several milestones end at the same moment: the largest share counts
            points[-1] = (points[-1][0], share)
    if points[-1][0] < 1.0:
        points.append((1.0, 1.0))
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if elapsed <= x1:
            return y0 + (y1 - y0) * (elapsed - x0) / (x1 - x0)
    return 1.0


# --- Year to date and last year ------------------------------------------------------------
#
# For a ``year_to_date`` indicator the platform scores a month or quarter as the year so far
# (see IndicatorInput): ``period`` is the year, ``as_of_period`` the month or quarter, and
# ``expected_share`` the share of the annual plan due by its end (序时进度).

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_OR_QUARTER = re.compile(r"^\d{4}-(Q[1-4]|0[1-9]|1[0-2])$")
#: Within this many percentage points of the schedule (inclusive), an amount is on schedule.
ON_SCHEDULE_POINTS = 0.05


def year_to_date_span(as_of_period: str, year_start_month: int = 1) -> tuple[str, str]:
    """``(Chinese, English)`` labels of the start of the year to the end of *as_of_period*
    (a month or quarter).

    ``"2026-Q3"`` gives ``("1–9月累计", "Jan–Sep")``, ``"2026-05"`` gives
    ``("1–5月累计", "Jan–May")`` and ``"2026-01"`` gives ``("1月", "Jan")``. With a year
    from April (*year_start_month* 4), ``"2022-Q2"`` gives ``("4–9月累计", "Apr–Sep")``
    and ``"2022-Q4"`` ``("2022年4月至2023年3月累计", "Apr 2022–Mar 2023")``.
    """
    if not isinstance(as_of_period, str) or not _MONTH_OR_QUARTER.fullmatch(as_of_period):
        raise ValueError(f"as_of_period {as_of_period!r} is not a month or quarter"
                         " (YYYY-MM or YYYY-Qn)")
    calendar = Calendar(year_start_month)
    first, last = calendar.year_to_date(as_of_period)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.month}月", _MONTHS_EN[first.month - 1]
    if first.year != last.year:
        return (f"{first.year}年{first.month}月至{last.year}年{last.month}月累计",
                f"{_MONTHS_EN[first.month - 1]} {first.year}–{_MONTHS_EN[last.month - 1]} {last.year}")
    return f"{first.month}–{last.month}月累计", f"{_MONTHS_EN[first.month - 1]}–{_MONTHS_EN[last.month - 1]}"


def covers_whole_year(inputs: IndicatorInput) -> bool:
    """Tell whether the observations span a whole, finished year.

    True for the year once it is over (``period`` a year, ``elapsed_share`` 1) and for a
    year-to-date span ending with the year (December, or the last month of a financial
    year); false for a month or quarter on its own and for a year still running. Only then
    may a formula compare with a whole-year figure such as the target's ``last_year_value``.
    """
    if len(inputs.period) != 4 or inputs.elapsed_share < 1.0:
        return False
    if not inputs.as_of_period:
        return True
    calendar = inputs.calendar
    return calendar.parse(inputs.as_of_period).end == calendar.parse(inputs.period).end


def baseline_of(inputs: IndicatorInput, metric_code: str) -> tuple[Observation, ...]:
    """Last year's observations of *metric_code* for the same span (``inputs.baseline``),
    sorted by ``(period, event_id)``; empty when the platform knows none."""
    return tuple(sorted((o for o in inputs.baseline if o.metric_code == metric_code),
                        key=lambda o: (o.period, o.event_id)))


@dataclass(frozen=True)
class LastYear:
    """Last year's figure to compare this span with (see :func:`comparable_last_year`)."""

    #: The figure, in the unit the formula works in (e.g. 亿元).
    value: float
    #: ``True`` when it is the total of ``inputs.baseline`` (last year's same span),
    #: ``False`` when it is the target's whole-year parameter.
    same_span: bool


#: A last-year figure at or below this is no basis for a growth rate (:func:`comparable_last_year`).
MIN_COMPARABLE = 1e-9


def comparable_last_year(inputs: IndicatorInput, metric_code: str, whole_year_value: float | None,
                         measure: Callable[[Iterable[Observation]], float] = total
                         ) -> LastYear | None:
    """Last year's figure for the span the observations cover, like for like, or ``None``.

    For a whole year (:func:`covers_whole_year`) the target's whole-year figure
    *whole_year_value* (e.g. ``last_year_value``) when given, exactly as before baselines
    existed. Otherwise, or without it, the total of last year's observations of
    *metric_code* for the same span (``inputs.baseline``), by *measure* (e.g.
    :func:`money_total`, so they are converted like this year's), when there are any and
    it is more than :data:`MIN_COMPARABLE` (practically nothing is no basis for a growth
    rate: against it any figure would grow without bound). ``None`` otherwise: a month,
    quarter or year to date is never compared with the whole of last year.
    """
    if whole_year_value is not None and covers_whole_year(inputs):
        return LastYear(whole_year_value, same_span=False)
    baseline = baseline_of(inputs, metric_code)
    if baseline:
        value = measure(baseline)
        if value > MIN_COMPARABLE:
            return LastYear(value, same_span=True)
    return None


def schedule_sentence(as_of_period: str, actual: float, plan: float, due_share: float, *,
                      what_zh: str = "完成", what_en: str = "{amount} done",
                      plan_zh: str = "年计划", plan_en: str = "the annual plan",
                      unit_zh: str = "亿元", unit_en: str = "(CNY 100M)",
                      year_start_month: int = 1) -> tuple[str, str]:
    """``(Chinese, English)`` sentence on a year-to-date amount against a prorated plan.

    *actual* is the amount from the start of the year (January unless *year_start_month*
    says otherwise) to the end of *as_of_period*, *plan* the annual
    figure (both in the same unit, *unit_zh* / *unit_en*), *due_share* the share of the plan
    due by then (:func:`expected_share`). *what_zh* is the verb and noun before the amount
    (``"完成投资"``, ``"完成一般公共预算收入"``, ``"争取上级资金"``); *what_en* the English,
    with ``{amount}`` where the figure goes (``"invested {amount}"``, ``"won {amount} from
    higher levels"``). For 105.30 of 242.00 at 0.75::

        1–9月累计完成投资105.30亿元，占年计划43.5%，序时进度75.0%，落后31.5个百分点
        Jan–Sep: invested 105.30 (CNY 100M), 43.5% of the annual plan against 75.0% due by
        schedule, 31.5 points behind

    Ahead of schedule it says 超前 / ahead; within :data:`ON_SCHEDULE_POINTS` points,
    与序时进度持平 / on schedule.
    """
    if plan <= 0:
        raise ValueError(f"the plan must be positive, got {num(plan)}")
    span_zh, span_en = year_to_date_span(as_of_period, year_start_month)
    done = actual / plan
    gap = 100.0 * (done - due_share)
    if abs(gap) <= ON_SCHEDULE_POINTS:
        versus_zh, versus_en = "与序时进度持平", "on schedule"
    elif gap < 0:
        versus_zh, versus_en = f"落后{num(-gap, 1)}个百分点", f"{num(-gap, 1)} points behind"
    else:
        versus_zh, versus_en = f"超前{num(gap, 1)}个百分点", f"{num(gap, 1)} points ahead"
    amount_en = f"{num(actual)} {unit_en}".rstrip()
    phrase_en = (what_en.replace("{amount}", amount_en) if "{amount}" in what_en
                 else f"{what_en} {amount_en}")
    zh = (f"{span_zh}{what_zh}{num(actual)}{unit_zh}，占{plan_zh}{pct(done)}，"
          f"序时进度{pct(due_share)}，{versus_zh}")
    en = (f"{span_en}: {phrase_en}, {pct(done)} of {plan_en} against {pct(due_share)} due by"
          f" schedule, {versus_en}")
    return zh, en


def clamp(value: float, low: float, high: float) -> float:
    """*value* limited to ``[low, high]``."""
    return min(high, max(low, value))


def num(value: float, digits: int = 2) -> str:
    """Fixed-decimal text for *value*, never ``-0.00``."""
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def pct(ratio: float, digits: int = 1) -> str:
    """*ratio* as a percentage with fixed decimals: ``pct(1.12) == "112.0%"``."""
    return f"{num(ratio * 100.0, digits)}%"


# --- Reading and checking target parameters ------------------------------------------------
#
# A plug-in usually gathers its parameters in one ``_settings(target)`` function that raises
# ValueError for an unusable target; ``jixiao_indicator_check_target`` reports that message and
# ``jixiao_indicator_evaluate`` fails with it. The helpers below raise the same way.


def target_problems(read_settings: Callable[[Target | None], object],
                    target: Target | None) -> list[str]:
    """What ``jixiao_indicator_check_target`` returns: ``[]`` if ``read_settings(target)``
    accepts *target*, else ``[message]`` of the :class:`ValueError` it raised."""
    try:
        read_settings(target)
    except ValueError as exc:
        return [str(exc)]
    return []


def money_target_value(target: Target | None, what: str) -> float:
    """The target's value in 亿元 (converted from its measurement unit); it must be positive.

    *what* names the figure in the errors, e.g. ``"the annual plan"``: ``"the target needs
    the annual plan as its value"``, ``"the annual plan must be positive, got -1.00"``.
    """
    if target is None or target.value is None:
        raise ValueError(f"the target needs {what} as its value")
    value = to_100m(target.value, target.measurement_unit, "the target")
    if value <= 0:
        raise ValueError(f"{what} must be positive, got {num(value)}")
    return value


def positive_money_param(target: Target, name: str) -> float | None:
    """Money parameter *name* (e.g. ``last_year_value``) in 亿元, or ``None`` if absent.

    The parameter is given in the target's measurement unit and must be positive.
    """
    value = target.number(name)
    if value is None:
        return None
    value = to_100m(value, target.measurement_unit, name)
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {num(value)}")
    return value


_INTERVAL = re.compile(r"^([\[(])\s*([^,\s]+)\s*,\s*([^,\s]+)\s*([\])])$")


def number_within(target: Target | None, name: str, default: float, interval: str) -> float:
    """Numeric parameter *name* (*default* if absent or no target) checked against *interval*.

    *interval* is written as in mathematics, ``[`` ``]`` closed and ``(`` ``)`` open:
    ``number_within(target, "zero_credit_below", 0.0, "[0, 1)")``. Outside it the error is
    ``"zero_credit_below must be within [0, 1), got 1.0"``.
    """
    match = _INTERVAL.match(interval)
    if match is None:
        raise ValueError(f"interval {interval!r} is not like '[0, 1)'")
    opening, low, high, closing = match[1], float(match[2]), float(match[3]), match[4]
    value = target.number(name, default) if target is not None else default
    above = value >= low if opening == "[" else value > low
    below = value <= high if closing == "]" else value < high
    if not (above and below):
        raise ValueError(f"{name} must be within {interval}, got {value!r}")
    return value


def prefixed_numbers(target: Target | None, prefix: str) -> dict[str, float]:
    """Numeric parameters whose names start with *prefix*, keyed by the rest of the name.

    ``{"group_weight.peers": 0.3, "min_raters": 5}`` with prefix ``"group_weight."`` gives
    ``{"peers": 0.3}``. Empty without a target.
    """
    if target is None:
        return {}
    return {key[len(prefix):]: target.number(key)
            for key in target.params if key.startswith(prefix)}


def check_non_negative(values: Mapping[str, float], prefix: str) -> None:
    """Raise ValueError naming the first negative value as parameter ``prefix + key``:
    ``"points.national must be non-negative, got -1.0"``."""
    for key, value in values.items():
        if value < 0:
            raise ValueError(f"{prefix}{key} must be non-negative, got {value!r}")


# --- Counting events by category (bonus, deduction and veto indicators) --------------------


def counts_by_category(events: Iterable[Observation], attribute: str, categories: Iterable[str],
                       noun: str = "events", *, allow_negative: bool = False) -> dict[str, float]:
    """Exact sum of the values per category, the category being ``attributes[attribute]``.

    The result has one entry per category, in the order of *categories*, 0 when no event
    has it. Raises ValueError naming the first event (in the given order) whose category
    is not one of *categories* (``"event 'ev-1' has level 'county'; expected one of national,
    provincial"``) or, unless *allow_negative*, whose value is negative (``"event 'ev-2'
    counts -1.0 commendations"``, *noun* being what a value counts).
    """
    events = tuple(events)
    categories = tuple(categories)
    for event in events:
        category = event.attributes.get(attribute)
        if category not in categories:
            raise ValueError(f"event {event.event_id!r} has {attribute} {category!r};"
                             f" expected one of {', '.join(categories)}")
        if event.value < 0 and not allow_negative:
            raise ValueError(f"event {event.event_id!r} counts {event.value!r} {noun}")
    return {c: total(e for e in events if e.attributes[attribute] == c) for c in categories}


def points_for_counts(counts: Mapping[str, float], points_per_category: Mapping[str, float]
                      ) -> float:
    """Sum over the categories of *points_per_category* of count x points (before any cap)."""
    return sum(counts[c] * points_per_category[c] for c in points_per_category)


# --- Weighted averages over groups (raters, channels) --------------------------------------


def group_by(observations: Iterable[Observation], key: Callable[[Observation], str]
             ) -> dict[str, list[Observation]]:
    """The observations per ``key(observation)``, keys and lists in the order given."""
    groups: dict[str, list[Observation]] = {}
    for obs in observations:
        groups.setdefault(key(obs), []).append(obs)
    return groups


@dataclass(frozen=True)
class GroupAverage:
    """Result of :func:`weighted_group_average`; dictionaries follow the order of the groups."""

    #: Weighted mean of the group means.
    overall: float
    #: Mean value per group.
    means: dict[str, float]
    #: Each group's weight divided by the sum of the weights (the shares sum to 1).
    shares: dict[str, float]


def weighted_group_average(groups: Mapping[str, Sequence[Observation]],
                           weights: Mapping[str, float]) -> GroupAverage:
    """Mean value per group, and their average weighted by ``weights[group]``.

    Every group must have a weight; ValueError if there are no groups or the weights sum to 0.
    """
    if not groups:
        raise ValueError("weighted_group_average needs at least one group")
    means = {g: total(obs) / len(obs) for g, obs in groups.items()}
    weight_sum = sum(weights[g] for g in groups)
    if weight_sum <= 0:
        raise ValueError("weighted_group_average needs a positive sum of weights")
    overall = sum(weights[g] * means[g] for g in groups) / weight_sum
    return GroupAverage(overall, means, {g: weights[g] / weight_sum for g in groups})
