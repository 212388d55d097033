"""The JSON API, /api/v1."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from jixiao.v1 import registry_pb2, scoring_pb2

from ..adapters.backends import ApiError, Backends

api = Blueprint("api", __name__, url_prefix="/api/v1")


def backends() -> Backends:
    return current_app.extensions["jixiao.backends"]


def required_arg(name: str) -> str:
    value = request.args.get(name, "").strip()
    if not value:
        raise ApiError(400, "invalid_argument", f"query parameter {name!r} is required")
    return value


def int_arg(name: str, default: int) -> int:
    raw = request.args.get(name, "")
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ApiError(400, "invalid_argument", f"query parameter {name!r} must be a whole number") from None


@api.get("/health")
def health():
    return jsonify(status="ok")


@api.get("/schemes")
def schemes():
    reply = backends().call("registry", "ListSchemeVersions", registry_pb2.ListSchemeVersionsRequest())
    return jsonify(schemes=[v for v in reply["versions"] if v["status"] == "published"])


@api.get("/schemes/<code>/rankings")
def rankings(code: str):
    reply = backends().call("scoring", "GetRanking", scoring_pb2.GetRankingRequest(
        scheme_code=code,
        category=required_arg("category"),
        period=required_arg("period"),
        page_size=int_arg("page_size", 0),
        page_token=request.args.get("page_token", ""),
    ))
    return jsonify(reply)


@api.get("/schemes/<code>/grades/<grading_code>")
def grades(code: str, grading_code: str):
    reply = backends().call("scoring", "GetGrades", scoring_pb2.GetGradesRequest(
        scheme_code=code, grading_code=grading_code, period=required_arg("period"),
    ))
    return jsonify(reply)


@api.get("/schemes/<code>/bulletins/<period>")
def bulletin(code: str, period: str):
    return jsonify(backends().call("scoring", "GetBulletin", scoring_pb2.GetBulletinRequest(scheme_code=code, period=period)))


@api.get("/schemes/<code>/progress")
def progress(code: str):
    reply = backends().call("scoring", "GetProgress", scoring_pb2.GetProgressRequest(
        scheme_code=code, period=required_arg("period"), warnings_only=request.args.get("warnings") in ("1", "true"),
    ))
    return jsonify(reply)


@api.get("/schemes/<code>/units/<unit_id>")
def unit_score(code: str, unit_id: str):
    reply = backends().call("scoring", "GetUnitScore", scoring_pb2.GetUnitScoreRequest(
        scheme_code=code, unit_id=unit_id, period=required_arg("period"),
    ))
    return jsonify(reply)


@api.get("/events/<event_id>")
def event(event_id: str):
    return jsonify(backends().call("scoring", "GetEvent", scoring_pb2.GetEventRequest(event_id=event_id)))


@api.get("/ingest")
def ingest_status():
    return jsonify(backends().call("scoring", "GetIngestStatus", scoring_pb2.GetIngestStatusRequest()))
