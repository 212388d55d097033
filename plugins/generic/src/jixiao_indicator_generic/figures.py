"""Reading a formula's events: a metric's events in order, the period's value by an
aggregate, the measurement unit's words, a period's first and last days."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from jixiao_sdk import IndicatorInput, Observation
from jixiao_sdk.helpers import total
from jixiao_sdk.periods import PeriodError

UNITS = {"CNY_100M": ("亿元", " (CNY 100M)"), "CNY_10K": ("万元", " (CNY 10K)"),
          "CNY": ("元", " CNY"), "count": ("件", ""), "": ("", "")}


def of_metric(observations: Iterable[Observation], metric: str) -> tuple[Observation, ...]:
    return tuple(sorted((o for o in observations if o.metric_code == metric),
                        key=lambda o: (o.period, o.event_id)))


def unit_texts(events: Iterable[Observation]) -> tuple[str, str]:
    units = {o.measurement_unit for o in events}
    unit = units.pop() if len(units) == 1 else ""
    return UNITS.get(unit, (unit, f" {unit}"))


def aggregate(events: tuple[Observation, ...], how: str, inputs: IndicatorInput
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


AGGREGATE_TEXT = {"sum": ("合计", "total"), "mean": ("平均", "mean"), "last": ("最新", "latest")}


def period_key(calendar: Any, text: str) -> tuple[date, date] | None:
    try:
        period = calendar.parse(text)
    except (PeriodError, ValueError):
        return None
    return period.start, period.end
