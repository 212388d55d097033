"""Democratic evaluation ballots in /api/v1 (docs/ballots.md).

The office (its own token, forwarded to scoring): issue codes for a round's rater group
(answered once, in clear), void unspent ones, read the turnout, count the ballots, list the
rounds of a period. The public (no token): open a ballot paper with a code and cast it once,
through the gateway's ballot box. Codes travel only in request bodies (never a URL, so no
access log holds one); refusals are 400 (a field named), 409 (a spent or withdrawn code, a
closed period), 429 with Retry-After after repeated wrong codes, 503 when voting is not open."""
from __future__ import annotations

import math

from flask import Blueprint, jsonify, request

from ..service_layer.ballot_box import BallotRefused, TooManyAttempts
from .access import caller_token, checked_period, mark_private, require_role
from .params import invalid, json_object, text_field
from .wiring import ballot_box, ballot_rounds

ballots = Blueprint("ballots", __name__, url_prefix="/api/v1")

MAX_CODES_LISTED = 2_000
MAX_RATINGS = 200
ROUND = "/schemes/<code>/ballots/<indicator>/<period>/<unit_id>"


def _error(status: int, code: str, message: str, headers: dict | None = None):
    response = jsonify(error={"code": code, "message": message})
    response.status_code = status
    response.headers.update(headers or {})
    response.headers["Cache-Control"] = "private, no-store"
    return response


@ballots.errorhandler(BallotRefused)
def _refused(error: BallotRefused):
    return _error(error.status, "voting_closed" if error.kind == "closed" else "ballot_refused", error.message)


@ballots.errorhandler(TooManyAttempts)
def _too_many(error: TooManyAttempts):
    return _error(429, "too_many_attempts", str(error), {"Retry-After": str(error.retry_after)})


def _group(body: dict) -> str:
    return text_field(body, "group", required=True, limit=128)


@ballots.get("/schemes/<code>/ballots")
def list_rounds(code: str):
    """Every round of a period (?period=): each ballot-scored indicator and unit with its turnout (office)."""
    require_role("office")
    mark_private()
    period = checked_period(request.args.get("period", ""))
    return jsonify(rounds=ballot_rounds().rounds(code, period, caller_token()))


@ballots.get(ROUND)
def get_turnout(code: str, indicator: str, period: str, unit_id: str):
    """A round's turnout per rater group (issued, spent, voided, turnout, under the minimum), last count, audit (office)."""
    require_role("office")
    mark_private()
    return jsonify(ballot_rounds().turnout(code, indicator, checked_period(period), unit_id, caller_token()))


@ballots.post(ROUND + "/codes")
def issue_codes(code: str, indicator: str, period: str, unit_id: str):
    """New codes for a rater group: body {"group": "cadres", "count": 30}; the codes are in this answer only (office)."""
    require_role("office")
    mark_private()
    body = json_object()
    count = body.get("count")
    if isinstance(count, bool) or not isinstance(count, int):
        raise invalid("count: must be a whole number")
    return jsonify(ballot_rounds().issue(code, indicator, checked_period(period), unit_id, _group(body), count,
                                         caller_token()))


@ballots.post(ROUND + "/void")
def void_codes(code: str, indicator: str, period: str, unit_id: str):
    """Voids unspent codes of a rater group: body {"group": "cadres", "ballot_codes": [...]} (none listed: all) (office)."""
    require_role("office")
    mark_private()
    body = json_object()
    codes = body.get("ballot_codes", [])
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise invalid("ballot_codes: must be a list of codes")
    if len(codes) > MAX_CODES_LISTED:
        raise invalid(f"ballot_codes: at most {MAX_CODES_LISTED:,}")
    return jsonify(ballot_rounds().void(code, indicator, checked_period(period), unit_id, _group(body), codes,
                                        caller_token()))


@ballots.post(ROUND + "/count")
def count_ballots(code: str, indicator: str, period: str, unit_id: str):
    """Counts the round's ballots into the indicator's results for the team and each leader (office)."""
    require_role("office")
    mark_private()
    return jsonify(ballot_rounds().count(code, indicator, checked_period(period), unit_id, caller_token()))


def _code(body: dict) -> str:
    return text_field(body, "ballot_code", required=True, limit=64)


@ballots.post("/ballots/open")
def open_ballot():
    """The ballot paper a code opens: body {"ballot_code": "…"} (no token: the rater has no account)."""
    mark_private()
    return jsonify(ballot_box().open(_code(json_object()), request.remote_addr or ""))


@ballots.post("/ballots/cast")
def cast_ballot():
    """Casts a ballot: body {"ballot_code": "…", "ratings": [{"subject": "" (the team) | person id, "value": 100}]}."""
    mark_private()
    body = json_object()
    ratings = body.get("ratings")
    if not isinstance(ratings, list) or len(ratings) > MAX_RATINGS:
        raise invalid(f"ratings: must be a list of at most {MAX_RATINGS} {{subject, value}}")
    checked = []
    for n, rating in enumerate(ratings):
        if not isinstance(rating, dict) or set(rating) - {"subject", "value"}:
            raise invalid(f"ratings[{n}]: must be an object {{subject, value}}")
        subject, value = rating.get("subject", ""), rating.get("value")
        if not isinstance(subject, str) or len(subject) > 128:
            raise invalid(f"ratings[{n}].subject: must be text (\"\" for the leadership team, else a person id)")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise invalid(f"ratings[{n}].value: must be a number of the scale")
        checked.append((subject, float(value)))
    return jsonify(paper=ballot_box().cast(_code(body), checked, request.remote_addr or ""))
