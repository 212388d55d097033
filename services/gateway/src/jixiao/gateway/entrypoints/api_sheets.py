"""Responsible departments' score sheets in /api/v1 (docs/score-sheets.md): read a sheet, save
its rows (a department's scorer), sign it (the department's head), review it (the office).

The gateway checks the role for a clear answer, then forwards the caller's own token to
scoring, which checks it again (a department reaches only its own sheets) and records who did
what; scoring's refusals become 400 (a row, naming it), 403 and 409 (a frozen sheet)."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from ..adapters.scoring_sheets import ScoringSheets
from .access import caller_token, checked_period, require_role
from .params import invalid, json_object, object_rows, text_field
from .wiring import backends

sheets = Blueprint("sheets", __name__, url_prefix="/api/v1")

DEPARTMENT_ROLES = ("department", "department_head")
MAX_ROWS = 20_000


def _sheets() -> ScoringSheets:
    return ScoringSheets(backends())


@sheets.get("/schemes/<code>/sheets/<indicator>/<period>")
def get_sheet(code: str, indicator: str, period: str):
    """A sheet with its rows and history (the office, or the sheet's department)."""
    require_role("office", *DEPARTMENT_ROLES)
    return jsonify(_sheets().get(code, indicator, checked_period(period), caller_token()))


@sheets.put("/schemes/<code>/sheets/<indicator>/<period>")
def save_sheet(code: str, indicator: str, period: str):
    """The department's scorer saves the whole sheet: body {"rows": [{unit_id, item, points, basis, evidence_ref}]}."""
    require_role("department")
    checked = object_rows(json_object().get("rows"), "rows", required=("unit_id", "item"),
                          texts=("basis", "evidence_ref"), number="points", limit=MAX_ROWS)
    return jsonify(_sheets().save(code, indicator, checked_period(period), checked, caller_token()))



@sheets.post("/schemes/<code>/sheets/<indicator>/<period>/submit")
def submit_sheet(code: str, indicator: str, period: str):
    """The department's head signs the draft (who, when, the SHA-256 digest of its content); it is frozen from then on."""
    require_role("department_head")
    return jsonify(_sheets().submit(code, indicator, checked_period(period), caller_token()))


@sheets.post("/schemes/<code>/sheets/<indicator>/<period>/review")
def review_sheet(code: str, indicator: str, period: str):
    """The office accepts a signed sheet or returns it: body {"decision": "accept" | "return", "comment": "…"}
    (the comment required to return)."""
    require_role("office")
    body = json_object()
    decision = body.get("decision")
    if decision not in ("accept", "return"):
        raise invalid("decision: must be accept or return")
    comment = text_field(body, "comment", required=decision == "return")
    return jsonify(_sheets().review(code, indicator, checked_period(period), decision, comment, caller_token()))


@sheets.get("/schemes/<code>/sheets")
def list_sheets(code: str):
    """The sheets of a period (?period=2026-Q1): the office sees every sheet-scored indicator assessed
    in it, not started ones included, with state and lateness; a department only its own. Rows and
    history are left out (GET the sheet for them)."""
    require_role("office", *DEPARTMENT_ROLES)
    period = request.args.get("period", "")
    if not period:
        raise invalid("period: required, e.g. ?period=2026-Q1")
    return jsonify({"sheets": _sheets().listed(code, [checked_period(period)], caller_token(), strict=True)})


@sheets.post("/schemes/<code>/sheets/<indicator>/<period>/corrections")
def request_correction(code: str, indicator: str, period: str):
    """The department asks to correct its signed or accepted sheet: body {"reason": "…"} (required)."""
    require_role(*DEPARTMENT_ROLES)
    reason = text_field(json_object(), "reason", required=True)
    return jsonify(_sheets().request_correction(code, indicator, checked_period(period), reason, caller_token()))


@sheets.post("/schemes/<code>/sheets/<indicator>/<period>/corrections/decision")
def decide_correction(code: str, indicator: str, period: str):
    """The office decides a requested correction: body {"decision": "approve" | "refuse", "reason": "…"}
    (the reason required to refuse). An approved correction opens the next version as a draft."""
    require_role("office")
    body = json_object()
    decision = body.get("decision")
    if decision not in ("approve", "refuse"):
        raise invalid("decision: must be approve or refuse")
    reason = text_field(body, "reason", required=decision == "refuse")
    return jsonify(_sheets().decide_correction(code, indicator, checked_period(period), decision, reason,
                                               caller_token()))
