"""Scoring's SimulationService (proto/jixiao/v1/simulation.proto, docs/simulation.md), called
with the office's own token: scoring records who asked each simulation."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from jixiao.v1 import simulation_pb2 as pb

from .grpc_clients import Backends


class ScoringSimulation:
    def __init__(self, backends: Backends):
        self.backends = backends

    def simulate(self, scheme: str, period: str, changes: Sequence[Mapping], token: str) -> dict:
        request = pb.SimulateRequest(scheme_code=scheme, period=period,
                                     changes=[pb.SimulationChange(**change) for change in changes])
        return self.backends.call("simulation", "Simulate", request, token=token)

    def simulations(self, scheme: str, token: str) -> list[dict]:
        reply = self.backends.call("simulation", "ListSimulations", pb.ListSimulationsRequest(scheme_code=scheme),
                                   token=token)
        return reply.get("simulations", [])
