"""Assessment teams in /api/v1 (docs/assessment-teams.md): the office forms teams, locks the
roster, replaces an assessor with a reason, closes a unit's scoring and reads leniency; an
assessor lists their units and saves and submits their on-site scores.

The gateway checks the role for a clear answer and the body's shape (400 naming the field),
then forwards the caller's own token to scoring, which checks it again (an assessor reaches
only the units of their team) and records who did what; scoring's refusals become 400 (naming
the field), 403 and 409 (a locked roster, submitted scores, a period closed for review)."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from ..adapters.scoring_assessment import ScoringAssessment
from ..service_layer.assessment_rounds import AssessmentDesk
from .access import caller_token, checked_period, require_role
from .params import invalid, json_object, object_rows, text_field, utf8
from .wiring import backends

assessment = Blueprint("assessment", __name__, url_prefix="/api/v1")

ROUND = "/schemes/<code>/assessments/<indicator>/<period>"
MAX_LIST = 500


def _desk() -> AssessmentDesk:
    return AssessmentDesk(ScoringAssessment(backends()))


def _texts(body: dict, name: str) -> list[str]:
    value = body.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v and utf8(v) for v in value):
        raise invalid(f"{name}: must be a list of codes (non-empty strings)")
    if len(value) > MAX_LIST:
        raise invalid(f"{name}: at most {MAX_LIST}")
    return value


# the office ----------------------------------------------------------------------------------

@assessment.get(ROUND)
def get_round(code: str, indicator: str, period: str):
    """The round: teams with their roster (replaced assessors kept), units with each assessor's
    state and total, the team result and closings, the history."""
    require_role("office")
    return jsonify(_desk().round(code, indicator, checked_period(period), caller_token()))


@assessment.put(ROUND + "/teams/<team>")
def set_team(code: str, indicator: str, period: str, team: str):
    """Before the lock: body {"name", "assessors": [codes in roster order], "unit_ids": [...]};
    both lists empty removes the team."""
    require_role("office")
    body = json_object()
    unknown = set(body) - {"name", "assessors", "unit_ids"}
    if unknown:
        raise invalid(f"{sorted(unknown)[0]}: not a field (name, assessors, unit_ids)")
    name = _text(body, "name", limit=100)
    return jsonify(_desk().set_team(code, indicator, checked_period(period), team, name, _texts(body, "assessors"),
                                    _texts(body, "unit_ids"), caller_token()))


@assessment.post(ROUND + "/lock")
def lock_roster(code: str, indicator: str, period: str):
    require_role("office")
    return jsonify(_desk().lock(code, indicator, checked_period(period), caller_token()))


@assessment.post(ROUND + "/teams/<team>/replace")
def replace_assessor(code: str, indicator: str, period: str, team: str):
    """After the lock: body {"assessor", "replacement", "reason"} (the reason required)."""
    require_role("office")
    body = json_object()
    assessor = _text(body, "assessor", required=True, limit=64)
    replacement = _text(body, "replacement", required=True, limit=64)
    reason = _text(body, "reason", required=True)
    return jsonify(_desk().replace(code, indicator, checked_period(period), team, assessor, replacement, reason,
                                   caller_token()))


@assessment.post(ROUND + "/units/<unit_id>/close")
def close_unit(code: str, indicator: str, period: str, unit_id: str):
    """Every active assessor of the unit's team submitted: the team result becomes the indicator's points."""
    require_role("office")
    return jsonify(_desk().close(code, indicator, checked_period(period), unit_id, caller_token()))


@assessment.get(ROUND + "/leniency")
def leniency(code: str, indicator: str, period: str):
    require_role("office")
    return jsonify(_desk().leniency(code, indicator, checked_period(period), caller_token()))


# an assessor -------------------------------------------------------------------------------

@assessment.get("/schemes/<code>/my-assessments")
def my_assessments(code: str):
    """The assessor's units in open periods whose roster is locked (?period= to choose one)."""
    require_role("assessor")
    period = request.args.get("period", "").strip()
    return jsonify({"assessments": _desk().mine(code, checked_period(period) if period else "", caller_token())})


@assessment.get(ROUND + "/units/<unit_id>/scores")
def get_scores(code: str, indicator: str, period: str, unit_id: str):
    require_role("assessor")
    return jsonify(_desk().scores(code, indicator, checked_period(period), unit_id, caller_token()))


@assessment.put(ROUND + "/units/<unit_id>/scores")
def save_scores(code: str, indicator: str, period: str, unit_id: str):
    """The assessor's draft: body {"rows": [{item, points, basis}]}."""
    require_role("assessor")
    checked = object_rows(json_object().get("rows"), "rows", required=("item",), texts=("basis",), number="points",
                          limit=MAX_LIST)
    return jsonify(_desk().save_rows(code, indicator, checked_period(period), unit_id, checked, caller_token()))


@assessment.post(ROUND + "/units/<unit_id>/scores/submit")
def submit_scores(code: str, indicator: str, period: str, unit_id: str):
    """Every item scored: the assessor's scores of the unit are submitted, frozen for them from then on."""
    require_role("assessor")
    return jsonify(_desk().submit(code, indicator, checked_period(period), unit_id, caller_token()))


def _text(body: dict, name: str, *, required: bool = False, limit: int = 2000) -> str:
    value = text_field(body, name, required=required, limit=limit)
    if not utf8(value):
        raise invalid(f"{name}: must be text")
    return value

