"""The JSON API, /api/v1: the reads (rankings, scores, grades, bulletins,
completeness, progress, trends, schemes, indicators, events).

Every period-scoped read goes through `require_visible`: the public sees
published periods only (access.py). The answers are the backends' replies
as JSON (adapters/backends.py: field names of the .proto, enums as short
lower-case names); openapi.yaml describes each.
"""
from __future__ import annotations

import json

from flask import Blueprint, jsonify, request

from jixiao.v1 import registry_pb2, scoring_pb2

from ..adapters.backends import ApiError
from ..domain import visibility
from .access import (
    backends,
    checked_period,
    is_office,
    period_states,
    published_schemes,
    read_token,
    require_visible,
    visible,
)
from .params import choice_arg, int_arg, required_arg

api = Blueprint("api", __name__, url_prefix="/api/v1")

GRANULARITIES = ("month", "quarter", "year")


@api.get("/health")
def health():
    return jsonify(status="ok")


@api.get("/schemes")
def schemes():
    reply = backends().call("registry", "ListSchemeVersions", registry_pb2.ListSchemeVersionsRequest())
    return jsonify(schemes=[v for v in reply["versions"] if v["status"] == "published"])


@api.get("/schemes/<code>")
def scheme(code: str):
    """The latest published version of a scheme, with its whole document:
    categories, units, dimensions and weights, indicators and their
    assignments, targets, grading, vetoes and consequence rules."""
    reply = backends().call("registry", "GetScheme", registry_pb2.GetSchemeRequest(code=code))
    return jsonify(version=reply["version"], document=json.loads(reply["document_json"]))


@api.get("/indicators")
def indicators():
    return jsonify(backends().call("scoring", "ListIndicators", scoring_pb2.ListIndicatorsRequest()))


@api.get("/schemes/<code>/periods")
def periods(code: str):
    """The scheme's scored periods with their review state; the public gets the published ones."""
    state = request.args.get("state", "")
    if not is_office():
        if state not in ("", "published"):
            raise ApiError(403, "permission_denied", "without an office token only published periods are listed")
        state = "published"
    names = ("open", "locked", "approved", "published")
    if state and state not in names:
        raise ApiError(400, "invalid_argument", f"query parameter 'state' must be one of {', '.join(names)}")
    return jsonify(backends().call("scoring", "ListPeriods", scoring_pb2.ListPeriodsRequest(
        scheme_code=code,
        state=scoring_pb2.PeriodState.Value(f"PERIOD_STATE_{state.upper()}") if state else 0,
        page_size=int_arg("page_size", 0),
        page_token=request.args.get("page_token", ""),
    )))


@api.get("/schemes/<code>/rankings")
def rankings(code: str):
    category = required_arg("category")
    reply = backends().call("scoring", "GetRanking", scoring_pb2.GetRankingRequest(
        scheme_code=code,
        category=category,
        period=require_visible(code, required_arg("period")),
        page_size=int_arg("page_size", 0),
        page_token=request.args.get("page_token", ""),
    ))
    return jsonify(reply)


@api.get("/schemes/<code>/grades/<grading_code>")
def grades(code: str, grading_code: str):
    reply = backends().call("scoring", "GetGrades", scoring_pb2.GetGradesRequest(
        scheme_code=code, grading_code=grading_code, period=require_visible(code, required_arg("period")),
        page_size=int_arg("page_size", 0), page_token=request.args.get("page_token", ""),
    ))
    return jsonify(reply)


@api.get("/schemes/<code>/bulletins/<period>")
def bulletin(code: str, period: str):
    reply = backends().call("scoring", "GetBulletin", scoring_pb2.GetBulletinRequest(
        scheme_code=code, period=require_visible(code, period)))
    return jsonify(visibility.bulletin(reply, visible))


@api.get("/schemes/<code>/completeness")
def completeness(code: str):
    """The figures the scheme expects in a period that units have not reported (缺报)."""
    reply = backends().call("scoring", "GetCompleteness", scoring_pb2.GetCompletenessRequest(
        scheme_code=code, period=require_visible(code, required_arg("period")),
        page_size=int_arg("page_size", 0), page_token=request.args.get("page_token", ""),
    ))
    return jsonify(reply)


@api.get("/schemes/<code>/progress")
def progress(code: str):
    """Progress towards the year's targets; `warnings=1` keeps only the early warnings."""
    reply = backends().call("scoring", "GetProgress", scoring_pb2.GetProgressRequest(
        scheme_code=code, period=require_visible(code, required_arg("period")),
        warnings_only=request.args.get("warnings") in ("1", "true"),
        page_size=int_arg("page_size", 0), page_token=request.args.get("page_token", ""),
    ))
    return jsonify(reply)


@api.get("/schemes/<code>/regions")
def regions(code: str):
    reply = backends().call("scoring", "GetRegionScores", scoring_pb2.GetRegionScoresRequest(
        scheme_code=code, period=require_visible(code, required_arg("period"))))
    return jsonify(reply)


@api.get("/schemes/<code>/units/<unit_id>")
def unit_score(code: str, unit_id: str):
    reply = backends().call("scoring", "GetUnitScore", scoring_pb2.GetUnitScoreRequest(
        scheme_code=code, unit_id=unit_id, period=require_visible(code, required_arg("period")),
    ), token=read_token())
    return jsonify(visibility.unit_score(reply, visible))


@api.get("/schemes/<code>/units/<unit_id>/trend")
def unit_trend(code: str, unit_id: str):
    """A unit's total and rank over the scheme's periods of one granularity
    that the caller may see, oldest first; periods without a score for the
    unit are left out."""
    granularity = choice_arg("granularity", GRANULARITIES, "month")
    if unit_id not in {u["id"] for u in published_schemes().document(code).get("units", [])}:
        raise ApiError(404, "not_found", f"{unit_id!r} is not a unit of scheme {code}")
    states = period_states().of(code)
    calendar = published_schemes().calendar(code)
    shown = sorted((calendar.parse(p) for p, state in states.items() if is_office() or state == "published"),
                   key=lambda p: p.start)
    chosen = [p.text for p in shown if p.kind == granularity]
    replies = backends().gather("scoring", "GetUnitScore", [
        scoring_pb2.GetUnitScoreRequest(scheme_code=code, unit_id=unit_id, period=p) for p in chosen])
    points = []
    for period, reply in zip(chosen, replies, strict=True):
        if isinstance(reply, ApiError):
            if reply.code == 404:
                continue
            raise reply
        points.append({"period": period, "state": states[period], "total": reply["total"], "rank": reply["rank"]})
    return jsonify(scheme_code=code, unit_id=unit_id, granularity=granularity, points=points)


@api.get("/schemes/<code>/persons/<person_id>")
def person_score(code: str, person_id: str):
    reply = backends().call("scoring", "GetPersonScore", scoring_pb2.GetPersonScoreRequest(
        scheme_code=code, person_id=person_id, period=require_visible(code, required_arg("period"))),
        token=read_token())
    return jsonify(reply)


@api.get("/events/<event_id>")
def event(event_id: str):
    """A stored event; the public may read it once a period holding it is published."""
    reply = backends().call("scoring", "GetEvent", scoring_pb2.GetEventRequest(event_id=event_id), token=read_token())
    _, period = published_schemes().scheme_of_period(checked_period(reply["period"]))
    chain = [p.text for p in period.enclosing()]
    if not any(visible(p) for p in chain):
        raise ApiError(404, "period_not_published", f"event {event_id} belongs to period {reply['period']}, "
                       "which is not published")
    return jsonify(reply)


@api.get("/ingest")
def ingest_status():
    return jsonify(backends().call("scoring", "GetIngestStatus", scoring_pb2.GetIngestStatusRequest()))
