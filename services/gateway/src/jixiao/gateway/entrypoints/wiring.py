"""What bootstrap.py wires into the Flask application (`app.extensions`), and
the accessors the views read it with."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from jixiao.common.auth import TokenBook

from ..adapters.grpc_clients import Backends
from ..adapters.kafka_publisher import MetricsPublisher
from ..adapters.scoring_ballots import ScoringBallots
from ..adapters.scoring_simulation import ScoringSimulation
from ..service_layer.ballot_box import BallotBox
from ..service_layer.ballot_rounds import BallotRounds
from ..service_layer.period_access import PeriodAccess
from ..service_layer.scheme_lookup import SchemeLookup
from ..service_layer.simulations import Simulations
from ..service_layer.value_uploads import ValueUploads

EXTENSION = "jixiao.gateway"


@dataclass(frozen=True)
class Wiring:
    backends: Backends  # the gRPC clients, for the reads that pass straight through
    schemes: SchemeLookup
    periods: PeriodAccess
    uploads: ValueUploads
    publisher: MetricsPublisher
    tokens: TokenBook  # who callers are (JIXIAO_TOKENS_FILE)
    ballot_box: BallotBox | None = None  # democratic evaluation ballots (docs/ballots.md); none: voting closed

    def close(self) -> None:
        """Releases the gRPC channels and the Kafka producer."""
        self.publisher.close()
        self.backends.close()


def install(app: Flask, wiring: Wiring) -> None:
    app.extensions[EXTENSION] = wiring


def wired(app: Flask | None = None) -> Wiring:
    return (app or current_app).extensions[EXTENSION]


def backends() -> Backends:
    return wired().backends


def schemes() -> SchemeLookup:
    return wired().schemes


def periods() -> PeriodAccess:
    return wired().periods


def uploads() -> ValueUploads:
    return wired().uploads


def token_book() -> TokenBook:
    return wired().tokens


def ballot_box() -> BallotBox:
    """The public ballot box (with its limiter of wrong codes); without one wired, a closed one."""
    wiring_ = wired()
    return wiring_.ballot_box or BallotBox(ScoringBallots(wiring_.backends))


def ballot_rounds() -> BallotRounds:
    return BallotRounds(ScoringBallots(wired().backends))


def simulations() -> Simulations:
    """The office's what-if simulations (scoring's SimulationService, with the caller's token)."""
    return Simulations(ScoringSimulation(wired().backends))
