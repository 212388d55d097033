"""Keeping unpublished periods out of published answers.

A published period's answer can still carry figures of another period: a
unit's change since the period before, a bulletin's previous ranks. Those
reveal the other period's scores, so the public gets them only when that
period is published too. `visible(period)` says whether it is.
"""
from __future__ import annotations

from collections.abc import Callable

Visible = Callable[[str], bool]


def unit_score(score: dict, visible: Visible) -> dict:
    """A unit's score without the changes since periods the caller may not see.

    The rest is about the period asked for and identifies no person: what its total
    counts (`partial`, `basis`), the dimensions' `assessed` and `period_weight`, the
    `missing` results, each result's `period_basis` and `counted` are as public as the
    total they explain."""
    for period_field, change in (("previous_period", "vs_previous"), ("last_year_period", "vs_last_year")):
        if change in score and not visible(score.get(period_field, "")):
            del score[change]
    return score


def bulletin(report: dict, visible: Visible) -> dict:
    """A bulletin without previous ranks, changes and movers when the period
    before is not visible (they are made of its ranking), nor the key
    indicators' ranks and completions in the last bulletin. The rest (the
    key indicators' figures, last year's figure of the same span, the units'
    gaps) is about the period asked for, or last year's figures the scheme
    publishes, and identifies no person."""
    if visible(report.get("previous_period", "")):
        return report
    for category in report.get("categories", []):
        for entry in category.get("ranking", []):
            entry["previous_rank"] = 0
            entry.pop("vs_previous", None)
        category["risers"], category["fallers"] = [], []
        for indicator in category.get("key_indicators", []):
            for row in indicator.get("rows", []):
                row["previous_rank"] = 0
                row.pop("previous_completion", None)
                row.pop("vs_previous_points", None)
    return report

