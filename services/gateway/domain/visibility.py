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
    """A unit's score without the changes since periods the caller may not see."""
    for period_field, change in (("previous_period", "vs_previous"), ("last_year_period", "vs_last_year")):
        if change in score and not visible(score.get(period_field, "")):
            del score[change]
    return score


def bulletin(report: dict, visible: Visible) -> dict:
    """A bulletin without previous ranks, changes and movers when the period
    before is not visible (they are made of its ranking)."""
    if visible(report.get("previous_period", "")):
        return report
    for category in report.get("categories", []):
        for entry in category.get("ranking", []):
            entry["previous_rank"] = 0
            entry.pop("vs_previous", None)
        category["risers"], category["fallers"] = [], []
    return report

