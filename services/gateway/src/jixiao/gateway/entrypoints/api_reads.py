"""The JSON API, /api/v1: the reads (rankings, scores, grades, bulletins,
completeness, progress, trends, schemes, indicators, events).

Every period-scoped read goes through `require_visible`: the public sees
published periods only (access.py, service_layer/period_access.py). The
answers are the backends' replies as JSON (adapters/grpc_clients.py: field names
of the .proto, enums as short lower-case names); openapi.yaml describes each.
"""
from __future__ import annotations

import json

from flask import Blueprint, jsonify, request

from jixiao.v1 import registry_pb2, scoring_pb2

from ..adapters.backend_errors import BackendError, NotFound
from ..domain import visibility
from ..domain.review_states import STATES
from . import wiring
from .access import checked_period, read_token, require_visible, viewer, visible
from .http_errors import ApiError
from .params import choice_arg, int_arg, required_arg

api = Blueprint("api", __name__, url_prefix="/api/v1")

GRANULARITIES = ("month", "quarter", "year")


@api.get("/health")
def health():
    return jsonify(status="ok")


@api.get("/schemes")
def schemes():
    reply = wiring.backends().call("registry", "ListSchemeVersions", registry_pb2.ListSchemeVersionsRequest())
    return jsonify(schemes=[v for v in reply["versions"] if v["status"] == "published"])


@api.get("/schemes/<code>")
def scheme(code: str):
    """The latest published version of a scheme, with its whole document:
    categories, units, dimensions and weights, indicators and their
    assignments, targets, grading, vetoes and consequence rules."""
    reply = wiring.backends().call("registry", "GetScheme", registry_pb2.GetSchemeRequest(code=code))
    return jsonify(version=reply["version"], document=json.loads(reply["document_json"]))


@api.get("/indicators")
def indicators():
    return jsonify(wiring.backends().call("scoring", "ListIndicators", scoring_pb2.ListIndicatorsRequest()))


@api.get("/schemes/<code>/periods")
def periods(code: str):
    """The scheme's scored periods with their review state; the public gets the published ones."""
    state = wiring.periods().listed_state(viewer(), request.args.get("state", ""))
    if state and state not in STATES:
        raise ApiError(400, "invalid_argument", f"query parameter 'state' must be one of {', '.join(STATES)}")
    return jsonify(wiring.backends().call("scoring", "ListPeriods", scoring_pb2.ListPeriodsRequest(
        scheme_code=code,
        state=scoring_pb2.PeriodState.Value(f"PERIOD_STATE_{state.upper()}") if state else 0,
        page_size=int_arg("page_size", 0),
        page_token=request.args.get("page_token", ""),
    )))


@api.get("/schemes/<code>/rankings")
def rankings(code: str):
    category = required_arg("category")
    reply = wiring.backends().call("scoring", "GetRanking", scoring_pb2.GetRankingRequest(
        scheme_code=code,
        category=category,
        period=require_visible(code, required_arg("period")),
        page_size=int_arg("page_size", 0),
        page_token=request.args.get("page_token", ""),
    ))
    return jsonify(reply)


@api.get("/schemes/<code>/grades/<grading_code>")
def grades(code: str, grading_code: str):
    reply = wiring.backends().call("scoring", "GetGrades", scoring_pb2.GetGradesRequest(
        scheme_code=code, grading_code=grading_code, period=require_visible(code, required_arg("period")),
        page_size=int_arg("page_size", 0), page_token=request.args.get("page_token", ""),
    ))
    return jsonify(reply)


@api.get("/schemes/<code>/bulletins/<period>")
def bulletin(code: str, period: str):
    reply = wiring.backends().call("scoring", "GetBulletin", scoring_pb2.GetBulletinRequest(
        scheme_code=code, period=require_visible(code, period)))
    return jsonify(visibility.bulletin(reply, visible))


@api.get("/schemes/<code>/completeness")
def completeness(code: str):
    """The figures the scheme expects in a period that units have not reported (缺报)."""
    reply = wiring.backends().call("scoring", "GetCompleteness", scoring_pb2.GetCompletenessRequest(
        scheme_code=code, period=require_visible(code, required_arg("period")),
        page_size=int_arg("page_size", 0), page_token=request.args.get("page_token", ""),
    ))
    return jsonify(reply)


@api.get("/schemes/<code>/progress")
def progress(code: str):
    """Progress towards the year's targets; `warnings=1` keeps only the early warnings."""
    reply = wiring.backends().call("scoring", "GetProgress", scoring_pb2.GetProgressRequest(
        scheme_code=code, period=require_visible(code, required_arg("period")),
        warnings_only=request.args.get("warnings") in ("1", "true"),
        page_size=int_arg("page_size", 0), page_token=request.args.get("page_token", ""),
    ))
    return jsonify(reply)


@api.get("/schemes/<code>/regions")
def regions(code: str):
    reply = wiring.backends().call("scoring", "GetRegionScores", scoring_pb2.GetRegionScoresRequest(
        scheme_code=code, period=require_visible(code, required_arg("period"))))
    return jsonify(reply)


@api.get("/schemes/<code>/units/<unit_id>")
def unit_score(code: str, unit_id: str):
    reply = wiring.backends().call("scoring", "GetUnitScore", scoring_pb2.GetUnitScoreRequest(
        scheme_code=code, unit_id=unit_id, period=require_visible(code, required_arg("period")),
    ), token=read_token())
    return jsonify(visibility.unit_score(reply, visible))


@api.get("/schemes/<code>/units/<unit_id>/trend")
def unit_trend(code: str, unit_id: str):
    """A unit's total and rank over the scheme's periods of one granularity
    that the caller may see, oldest first; periods without a score for the
    unit are left out."""
    granularity = choice_arg("granularity", GRANULARITIES, "month")
    if unit_id not in {u["id"] for u in wiring.schemes().document(code).get("units", [])}:
        raise ApiError(404, "not_found", f"{unit_id!r} is not a unit of scheme {code}")
    states = wiring.periods().states(code, viewer())
    calendar = wiring.schemes().calendar(code)
    shown = sorted((calendar.parse(p) for p in states), key=lambda p: p.start)
    chosen = [p.text for p in shown if p.kind == granularity]
    replies = wiring.backends().gather("scoring", "GetUnitScore", [
        scoring_pb2.GetUnitScoreRequest(scheme_code=code, unit_id=unit_id, period=p) for p in chosen])
    points = []
    for period, reply in zip(chosen, replies, strict=True):
        if isinstance(reply, BackendError):
            if isinstance(reply, NotFound):
                continue
            raise reply
        points.append({"period": period, "state": states[period], "total": reply["total"], "rank": reply["rank"]})
    return jsonify(scheme_code=code, unit_id=unit_id, granularity=granularity, points=points)


@api.get("/schemes/<code>/persons/<person_id>")
def person_score(code: str, person_id: str):
    reply = wiring.backends().call("scoring", "GetPersonScore", scoring_pb2.GetPersonScoreRequest(
        scheme_code=code, person_id=person_id, period=require_visible(code, required_arg("period"))),
        token=read_token())
    return jsonify(reply)


@api.get("/events/<event_id>")
def event(event_id: str):
    """A stored event; the public may read it once a period holding it is published."""
    reply = wiring.backends().call("scoring", "GetEvent", scoring_pb2.GetEventRequest(event_id=event_id), token=read_token())
    _, period = wiring.schemes().scheme_of_period(checked_period(reply["period"]))
    chain = [p.text for p in period.enclosing()]
    if not any(visible(p) for p in chain):
        raise ApiError(404, "period_not_published", f"event {event_id} belongs to period {reply['period']}, "
                       "which is not published")
    return jsonify(reply)


@api.get("/ingest")
def ingest_status():
    return jsonify(wiring.backends().call("scoring", "GetIngestStatus", scoring_pb2.GetIngestStatusRequest()))
