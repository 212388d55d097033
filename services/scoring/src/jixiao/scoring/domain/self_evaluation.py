"""A unit's self-evaluation (自评) per indicator, set beside what scoring computed.

"各被考核单位要实事求是开展指标自评": a unit gives, for each indicator it is assessed on in a
period, its own points — on the indicator's scale, the same number as its result's points
(usually 0–100) — and the basis (自评依据) in words. The office compares:

- **gap** = self-assessed points − computed points, for an indicator with a computed result
  (a result of status ``ok``); an indicator without one has no gap and is never flagged;
- **flagged** when |gap| > the scheme's ``self_evaluation_tolerance`` (points; 10 when the
  scheme says nothing). Equal to the tolerance is not flagged. Comparisons are exact: the
  floats are compared as the fractions they are, so 0.1 + 0.2 against 0.3 does not wobble.

The checks name the field: each indicator at most once, assigned to the unit and assessed in
the period's kind, points within the indicator's [min_points, max_points], a basis of at
most 2,000 characters. Pure functions; the service layer stores and reads.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

DEFAULT_TOLERANCE = 10.0
MAX_BASIS = 2_000
MAX_INDICATORS = 200


@dataclass(frozen=True)
class SelfScore:
    indicator_code: str
    points: float
    basis: str = ""


@dataclass(frozen=True)
class Comparison:
    """One indicator's self-assessed points beside the computed ones."""

    indicator_code: str
    points: float
    basis: str
    computed: bool
    computed_points: float
    gap: float
    flagged: bool


def tolerance_of(scheme_header: Mapping) -> float:
    """The scheme's `self_evaluation_tolerance`, or the default."""
    value = scheme_header.get("self_evaluation_tolerance")
    return DEFAULT_TOLERANCE if value is None else float(value)


def check(scores: Sequence[SelfScore], scales: Mapping[str, tuple[float, float]]) -> list[tuple[str, str]]:
    """The problems of `scores` as (field, message), in input order; `scales` maps each
    indicator the unit is assessed on in the period to its (min_points, max_points)."""
    problems: list[tuple[str, str]] = []
    if len(scores) > MAX_INDICATORS:
        return [("indicators", f"at most {MAX_INDICATORS} indicators")]
    seen: set[str] = set()
    for n, score in enumerate(scores):
        where = f"indicators[{n}]"
        code = score.indicator_code
        if not code:
            problems.append((f"{where}.indicator_code", "is required"))
            continue
        if code in seen:
            problems.append((f"{where}.indicator_code", f"{code} is given twice"))
            continue
        seen.add(code)
        if code not in scales:
            problems.append((f"{where}.indicator_code",
                             f"{code} is not an indicator the unit is assessed on in this period"))
            continue
        low, high = scales[code]
        if not math.isfinite(score.points) or not low <= score.points <= high:
            problems.append((f"{where}.points", f"{code}: {score.points:g} is outside [{low:g}, {high:g}]"))
        if len(score.basis) > MAX_BASIS:
            problems.append((f"{where}.basis", f"{code}: at most {MAX_BASIS:,} characters"))
    return problems


def compare(scores: Sequence[SelfScore], computed: Mapping[str, float | None], tolerance: float) -> list[Comparison]:
    """Each self-score beside the computed points (`computed[code]` None or absent: no
    computed result), in the order given."""
    limit = Fraction(tolerance)
    found = []
    for score in scores:
        value = computed.get(score.indicator_code)
        if value is None:
            found.append(Comparison(score.indicator_code, score.points, score.basis, False, 0.0, 0.0, False))
            continue
        gap = Fraction(score.points) - Fraction(value)
        found.append(Comparison(score.indicator_code, score.points, score.basis, True, value, float(gap),
                                abs(gap) > limit))
    return found
