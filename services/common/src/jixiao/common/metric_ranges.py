"""The range a reported value must lie in, from a scheme's optional `metrics`
section — checked by scoring before storing an event and by the gateway
before publishing an uploaded row:

    metrics:
      - {code: public_vote, measurement_unit: ballot, min: 0, max: 1}
      - {code: complaints_received, min: 0}

A range with a measurement unit applies to values reported in that unit (a
maximum in 亿元 says nothing of a value reported in 元); one without applies
to every value of the metric.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class MetricRange:
    min: float | None
    max: float | None
    measurement_unit: str = ""

    def problem(self, value: float, measurement_unit: str) -> str | None:
        """Why `value` is out of range, or None."""
        if self.measurement_unit and measurement_unit and measurement_unit != self.measurement_unit:
            return None
        if self.min is not None and value < self.min:
            return f"below the minimum {self.min:g}"
        if self.max is not None and value > self.max:
            return f"above the maximum {self.max:g}"
        return None


def metric_ranges(document: Mapping) -> dict[str, MetricRange]:
    return {m["code"]: MetricRange(m.get("min"), m.get("max"), m.get("measurement_unit", ""))
            for m in document.get("metrics") or []}


def out_of_range(ranges: Mapping[str, MetricRange], metric_code: str, value: float, measurement_unit: str) -> str | None:
    """The reason a value is refused, naming the metric, or None."""
    allowed = ranges.get(metric_code)
    problem = allowed.problem(value, measurement_unit) if allowed else None
    return f"value {value:g} of metric {metric_code!r} is {problem} the scheme allows" if problem else None
