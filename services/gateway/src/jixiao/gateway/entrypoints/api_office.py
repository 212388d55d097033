"""The evaluation office's part of /api/v1: review and publication of
periods, the retrospective check, resolutions of ties at grade boundaries,
the review of the anomaly checks' findings (疑点) and consequences. (Units'
self-evaluations and work reports: api_self_assessment.py.)

The gateway checks the role for a clear answer, then forwards the caller's
own token to scoring, which checks it again: the gateway's reader token
never acts for anyone.
"""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from jixiao.v1 import scoring_pb2

from ..adapters.scoring_periods import ACTIONS
from .access import caller_token, checked_period, require_role, viewer
from .params import int_arg, invalid, json_object, required_arg, text_field
from .wiring import backends, periods

office = Blueprint("office", __name__, url_prefix="/api/v1")

FINDING_STATES = ("open", "confirmed", "explained", "false_alarm")
FINDING_MARKS = ("confirmed", "explained", "false_alarm")
SEVERITIES = ("low", "medium", "high")


def _period_action(name: str):
    def action(code: str, period: str):
        require_role("office")
        body = json_object(optional=True)
        return jsonify(periods().act(name, code, checked_period(period), viewer(), text_field(body, "reason"),
                                     text_field(body, "override_findings_reason")))

    action.__doc__ = (f"{ACTIONS[name]} (office): body {{\"reason\": \"…\"}}, required to reopen; to publish, "
                      "\"override_findings_reason\" publishes despite open high-severity findings.")
    return action


for _name in ACTIONS:
    office.add_url_rule(f"/schemes/<code>/periods/<period>/{_name}", endpoint=f"period_{_name}",
                        view_func=_period_action(_name), methods=["POST"])


@office.post("/schemes/<code>/periods/<period>/recheck")
def recheck(code: str, period: str):
    """Recomputes a locked period and compares with the stored results (office)."""
    require_role("office")
    return jsonify(backends().call("scoring", "RecheckPeriod", scoring_pb2.RecheckPeriodRequest(
        scheme_code=code, period=checked_period(period)), token=caller_token()))


@office.post("/schemes/<code>/grades/<grading_code>/ties")
def resolve_tie(code: str, grading_code: str):
    """The office resolves a boundary tie of a grading rule in a period (?period=):
    body {"order": [ids, best first]} or {"grades": {id: grade}}, and "reason"."""
    require_role("office")
    body = json_object()
    order, grades = body.get("order"), body.get("grades")
    if order is not None and (not isinstance(order, list) or not all(isinstance(i, str) for i in order)):
        raise invalid("order: must be a list of the tied ids, best first")
    if grades is not None and (not isinstance(grades, dict) or not all(
            isinstance(g, int) and not isinstance(g, bool) and 0 < g < 2**31 for g in grades.values())):
        raise invalid("grades: must map each tied id to a grade (a whole number from 1)")
    if (order is None) == (grades is None):
        raise invalid("give either order (the tied ids, best first) or grades (each tied id's grade)")
    return jsonify(backends().call("scoring", "ResolveGradeTie", scoring_pb2.ResolveGradeTieRequest(
        scheme_code=code, grading_code=grading_code, period=checked_period(required_arg("period")),
        order=order or [], grades=grades or {}, reason=text_field(body, "reason", required=True)),
        token=caller_token()))


@office.get("/schemes/<code>/findings")
def findings(code: str):
    """The anomaly checks' findings (疑点) and the office's review of each (office):
    ?period= (about it or a period inside it), ?state=, ?min_severity=, paging."""
    require_role("office")
    period = request.args.get("period", "")
    return jsonify(backends().call("scoring", "ListFindings", scoring_pb2.ListFindingsRequest(
        scheme_code=code, period=checked_period(period) if period else "",
        state=_choice("state", FINDING_STATES), min_severity=_choice("min_severity", SEVERITIES),
        page_size=int_arg("page_size", 0), page_token=request.args.get("page_token", "")), token=caller_token()))


@office.post("/schemes/<code>/findings/<key>")
def mark_finding(code: str, key: str):
    """The office marks a finding: body {"state": "confirmed" | "explained" | "false_alarm",
    "comment": "…"} (the comment required for explained and false_alarm)."""
    require_role("office")
    body = json_object()
    state = body.get("state")
    if state not in FINDING_MARKS:
        raise invalid(f"state: must be one of {', '.join(FINDING_MARKS)}")
    comment = text_field(body, "comment", required=state != "confirmed")
    return jsonify(backends().call("scoring", "MarkFinding", scoring_pb2.MarkFindingRequest(
        scheme_code=code, key=key, state=state, comment=comment), token=caller_token()))


def _choice(name: str, choices: tuple[str, ...]) -> str:
    """An optional query parameter that must be one of `choices` ('' when absent)."""
    value = request.args.get(name, "")
    if value and value not in choices:
        raise invalid(f"query parameter {name!r} must be one of {', '.join(choices)}")
    return value


@office.get("/schemes/<code>/consequences")
def consequences(code: str):
    """Consequences of the yearly grades of a grading rule (office)."""
    require_role("office")
    return jsonify(backends().call("scoring", "ListConsequences", scoring_pb2.ListConsequencesRequest(
        scheme_code=code, grading_code=required_arg("grading_code"), page_size=int_arg("page_size", 0),
        page_token=request.args.get("page_token", "")), token=caller_token()))
