"""The weight rule of a scheme, in one place for the registry's validation and for
scoring's what-if simulation (a change of weights must leave a scheme the registry
would accept):

- the weights of the non-additive dimensions sum to 1;
- in each category, the weights of the indicators of one non-additive dimension sum to 1.

Sums are compared to 1 within WEIGHT_TOLERANCE (0.1 + 0.2 + 0.7 is not exactly 1 in
floating point). An assignment whose weight is not a number ≥ 0 counts in no sum: the
validator names its field instead."""
from __future__ import annotations

import math
from collections import defaultdict

WEIGHT_TOLERANCE = 1e-6


def weight_sum_problems(document: dict) -> list[tuple[str, str]]:
    """The sums of `document`'s weights that are not 1: ``(section, message)`` each."""
    dimensions = {d.get("code"): d for d in document.get("dimensions") or [] if isinstance(d, dict)}
    weighted = {code for code, d in dimensions.items() if not d.get("additive")}
    problems: list[tuple[str, str]] = []
    total = sum(as_float(dimensions[code].get("weight", 0)) for code in weighted)
    if not math.isclose(total, 1.0, abs_tol=WEIGHT_TOLERANCE):
        problems.append(("dimensions", f"weights of non-additive dimensions sum to {total:g}, not 1"))
    shares: dict[tuple[str, str], float] = defaultdict(float)
    for assignment in document.get("assignments") or []:
        weight = assignment.get("weight", 0) if isinstance(assignment, dict) else None
        if not is_weight(weight):
            continue
        shares[(assignment.get("category"), assignment.get("dimension"))] += as_float(weight)
    for (category, dimension), share in sorted(shares.items(), key=str):
        if dimension in weighted and not math.isclose(share, 1.0, abs_tol=WEIGHT_TOLERANCE):
            problems.append(("assignments",
                             f"weights for category {category!r}, dimension {dimension!r} sum to {share:g}, not 1"))
    return problems


def is_weight(value) -> bool:
    """A number ≥ 0 (what a weight must be)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0


def as_float(value) -> float:
    """A number as a float; an integer beyond the float range as an infinity."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf
    except (TypeError, ValueError):
        return math.nan
