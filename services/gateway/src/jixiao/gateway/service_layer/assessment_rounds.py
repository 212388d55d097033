"""The assessment-team use cases of the JSON API and the portal (docs/assessment-teams.md): the
office forms teams, locks the roster, replaces an assessor with a reason, closes units and reads
leniency; an assessor lists their units and saves and submits their scores. Scoring does each
with the caller's own token and has the last word on every rule; what a form gets wrong is
refused here first, by item, with what was typed kept (`ScoresRefused`)."""
from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..adapters.scoring_assessment import ScoringAssessment

MAX_BASIS = 2_000
_SEPARATORS = re.compile(r"[\s,，、;；]+")


@dataclass
class ScoresRefused(Exception):
    """Nothing was saved: `items` {item code: message key and parameters} next to the inputs,
    and what the form held (`typed` {item code: {points, basis}})."""

    items: dict = field(default_factory=dict)
    typed: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return "; ".join(f"{code}: {kind}" for code, (kind, _) in self.items.items())


def codes(text: str) -> list[str]:
    """Assessor codes typed in one box, separated by spaces, commas (, ，、) or semicolons, in order."""
    return [c for c in _SEPARATORS.split(text or "") if c]


def scores_from_form(items: Sequence[Mapping], form: Mapping[str, str]) -> tuple[list[dict], dict, dict]:
    """(rows, problems, typed) of an assessor's form with `points-<code>` and `basis-<code>` per
    item: an item left empty is not saved (a draft may lack some); a problem is
    (`not_a_number`, {text}), (`out_of_range`, {points, max}) or (`too_long`, {limit})."""
    rows, problems, typed = [], {}, {}
    for item in items:
        code = item["code"]
        text = (form.get(f"points-{code}") or "").strip()
        basis = (form.get(f"basis-{code}") or "").strip()
        typed[code] = {"points": text, "basis": basis}
        if len(basis) > MAX_BASIS:
            problems[code] = ("too_long", {"limit": MAX_BASIS})
            continue
        if not text:
            continue
        try:
            points = float(text)
        except ValueError:
            problems[code] = ("not_a_number", {"text": text})
            continue
        if not math.isfinite(points) or not 0 <= points <= float(item["max_points"]):
            problems[code] = ("out_of_range", {"points": points, "max": float(item["max_points"])})
            continue
        rows.append({"item": code, "points": points, "basis": basis})
    return rows, problems, typed


class AssessmentDesk:
    def __init__(self, assessment: ScoringAssessment):
        self.assessment = assessment

    # the office
    def round(self, scheme: str, indicator: str, period: str, token: str) -> dict:
        return self.assessment.round(scheme, indicator, period, token)

    def set_team(self, scheme: str, indicator: str, period: str, team: str, name: str, assessors: Sequence[str],
                 units: Sequence[str], token: str) -> dict:
        return self.assessment.set_team(scheme, indicator, period, team, name, assessors, units, token)

    def lock(self, scheme: str, indicator: str, period: str, token: str) -> dict:
        return self.assessment.lock(scheme, indicator, period, token)

    def replace(self, scheme: str, indicator: str, period: str, team: str, assessor: str, replacement: str,
                reason: str, token: str) -> dict:
        return self.assessment.replace(scheme, indicator, period, team, assessor, replacement, reason, token)

    def close(self, scheme: str, indicator: str, period: str, unit: str, token: str) -> dict:
        return self.assessment.close(scheme, indicator, period, unit, token)

    def leniency(self, scheme: str, indicator: str, period: str, token: str) -> dict:
        return self.assessment.leniency(scheme, indicator, period, token)

    # an assessor
    def mine(self, scheme: str, period: str, token: str) -> list[dict]:
        return self.assessment.mine(scheme, period, token).get("assessments", [])

    def scores(self, scheme: str, indicator: str, period: str, unit: str, token: str) -> dict:
        return self.assessment.scores(scheme, indicator, period, unit, token)

    def save_rows(self, scheme: str, indicator: str, period: str, unit: str, rows: Sequence[dict], token: str) -> dict:
        return self.assessment.save(scheme, indicator, period, unit, rows, token)

    def save_form(self, scheme: str, indicator: str, period: str, unit: str, items: Sequence[Mapping],
                  form: Mapping[str, str], token: str) -> dict:
        """The assessor's form saved as their draft: checked by item first (ScoresRefused), then by scoring."""
        rows, problems, typed = scores_from_form(items, form)
        if problems:
            raise ScoresRefused(problems, typed)
        return self.assessment.save(scheme, indicator, period, unit, rows, token)

    def submit(self, scheme: str, indicator: str, period: str, unit: str, token: str) -> dict:
        return self.assessment.submit(scheme, indicator, period, unit, token)
