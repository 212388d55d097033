"""Checks of a stored-to-be event against the published scheme.

Structural checks (ids present, finite value, period syntax) happen in the
codec; these need the scheme: is the unit known, may this source report
this metric, does the period fall in the scheme's year, is the value inside
the range the scheme gives the metric.
"""
from __future__ import annotations

from jixiao.common.metric_ranges import out_of_range
from jixiao_sdk.periods import Period

from .scheme_view import SchemeView


def rejection_reason(scheme: SchemeView, *, source: str, unit_id: str, person_id: str, metric_code: str,
                     period: Period, known_metrics: frozenset[str], value: float,
                     measurement_unit: str) -> tuple[str, str] | None:
    """Why the event cannot be accepted — (its code of records.REJECTION_CODES, the reason in
    words) — or None when it can."""
    if period.year != scheme.year:
        return "no_scheme", f"period {period} is outside scheme {scheme.code} (year {scheme.year})"
    if unit_id not in scheme.units:
        return "unknown_unit", f"unit_id {unit_id!r} is not a unit of scheme {scheme.code}"
    if person_id and scheme.person_unit.get(person_id) != unit_id:
        return "unknown_person", f"person_id {person_id!r} is not a member of unit {unit_id!r}"
    if metric_code not in known_metrics:
        return "unknown_metric", f"metric_code {metric_code!r} is not consumed by any active indicator"
    if scheme.source_metrics:
        allowed = scheme.source_metrics.get(source)
        if allowed is None:
            return "source_not_allowed", f"source {source!r} is not a data feed of scheme {scheme.code}"
        if metric_code not in allowed:
            return "source_not_allowed", f"source {source!r} may not report metric {metric_code!r}"
    problem = out_of_range(scheme.metric_ranges, metric_code, value, measurement_unit)
    return ("value_out_of_range", problem) if problem else None
