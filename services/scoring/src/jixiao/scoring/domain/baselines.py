"""Last year's stored figures as the `baselines` section of next year's scheme.

Scoring compares a period with the same span of last year from the scheme's imported
`baselines` only, so that a score never depends on whether or when last year's events
were stored. This module turns a year's stored figures into that section, for the office
to review and publish with the next scheme (`jixiao baselines`).

Rule. A figure is a unit-level event no revision supersedes. One whose period lies
inside a month (a day or the month itself) counts in that month; one reported for a
quarter or the whole year keeps its own period. The figures of a unit, metric and such
period are summed exactly (`math.fsum`), in their measurement unit; figures of one unit,
metric and period in different measurement units are refused (convert them first), as a
baseline has one unit. Entries are listed by unit, metric and period.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Figure:
    unit_id: str
    metric: str
    period: str
    start: date
    end: date
    value: float
    measurement_unit: str


def baselines_from_figures(figures: Iterable[Figure]) -> list[dict]:
    """The `baselines` entries of a year's figures (see the module docstring)."""
    sums: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    units: dict[tuple[str, str, str], str] = {}
    for figure in figures:
        same_month = (figure.start.year, figure.start.month) == (figure.end.year, figure.end.month)
        period = f"{figure.start.year}-{figure.start.month:02d}" if same_month else figure.period
        key = (figure.unit_id, figure.metric, period)
        if units.setdefault(key, figure.measurement_unit) != figure.measurement_unit:
            raise ValueError(f"{figure.unit_id} {figure.metric} {period}: figures in {units[key]!r} and "
                             f"{figure.measurement_unit!r}; convert them to one unit first")
        sums[key].append(figure.value)
    return [{"unit": unit, "metric": metric, "period": period, "value": math.fsum(values),
             **({"measurement_unit": units[(unit, metric, period)]} if units[(unit, metric, period)] else {})}
            for (unit, metric, period), values in sorted(sums.items())]
