"""What-if simulations in /api/v1 (docs/simulation.md), for the office only: state changes
— a unit's figure, a target, weights, a grading rule's ratio — and read one period's totals,
ranks and grades as they would be. Never an official result, never public, never cached;
scoring records every simulation with the office's own token."""
from __future__ import annotations

from flask import Blueprint, jsonify

from ..adapters.scoring_simulation import ScoringSimulation
from ..service_layer.simulations import ChangeShapeRefused, Simulations
from .access import caller_token, checked_period, mark_private, require_role
from .params import invalid, json_object, text_field
from .wiring import backends

simulation = Blueprint("simulation", __name__, url_prefix="/api/v1")


def _simulations() -> Simulations:
    return Simulations(ScoringSimulation(backends()))


@simulation.post("/schemes/<code>/simulations")
def simulate(code: str):
    """A what-if: body {"period": "2026", "changes": [{"kind": "figure", "unit_id", "indicator_code",
    "period", "value"}, …]}; the units whose total, rank, grade or indicator points differ (office)."""
    require_role("office")
    mark_private()
    body = json_object()
    period = checked_period(text_field(body, "period", required=True, limit=16))
    try:
        return jsonify(_simulations().simulate(code, period, body.get("changes"), caller_token()))
    except ChangeShapeRefused as exc:
        raise invalid(str(exc)) from None


@simulation.get("/schemes/<code>/simulations")
def list_simulations(code: str):
    """The scheme's simulations asked, newest first: who asked which changes, when (office)."""
    require_role("office")
    mark_private()
    return jsonify(simulations=_simulations().simulations(code, caller_token()))
