"""Wires the scoring service: configuration → storage → plug-ins → service,
then the gRPC server, the registry client and the Kafka consumer."""
from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Mapping
from pathlib import Path

from jixiao.common import kafka, plugin_digest, storage, telemetry
from jixiao.common.auth import TokenBook
from jixiao.common.grpc_server import GrpcServer, ServiceBinding
from jixiao.v1 import (
    assessment_pb2,
    assessment_pb2_grpc,
    ballots_pb2,
    ballots_pb2_grpc,
    scoring_pb2,
    scoring_pb2_grpc,
    simulation_pb2,
    simulation_pb2_grpc,
)
from jixiao_sdk import IndicatorHost

from .adapters.ballot_secrets import BallotSecrets
from .adapters.instrumentation import RECOMPUTES, batch_stored, host_class, watch_approved_code
from .adapters.kafka_consumer import MetricsConsumer
from .adapters.observation_cache import DEFAULT_CAPACITY
from .adapters.registry_client import Catalogue, CatalogueFeed
from .adapters.repository import ScoringRepository
from .config import ScoringConfig
from .domain.feed_signatures import FeedVerifier
from .entrypoints.assessment_servicer import AssessmentServicer
from .entrypoints.ballot_servicer import BallotServicer
from .entrypoints.findings_watch import FindingsWatch
from .entrypoints.grpc_servicer import ScoringServicer
from .entrypoints.rescorer import Rescorer
from .entrypoints.simulation_servicer import SimulationServicer
from .service_layer.assessment_teams import AssessmentTeams
from .service_layer.ballots import Ballots
from .service_layer.period_review import PeriodReview
from .service_layer.scoring_service import ScoringService
from .service_layer.simulation import Simulation

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version_scoring"
log = logging.getLogger("jixiao.scoring")


def build_service(database_url: str, host: IndicatorHost, cache_events: int = DEFAULT_CAPACITY,
                  ballot_secrets: BallotSecrets | None = None, feed_verifier: FeedVerifier | None = None) -> ScoringService:
    engine = storage.make_engine(database_url, setting="JIXIAO_SCORING_DATABASE_URL")
    storage.upgrade(engine, MIGRATIONS, VERSION_TABLE)
    return ScoringService(engine, ScoringRepository(engine), host, cache_events=cache_events,
                          ballot_secrets=ballot_secrets, feed_verifier=feed_verifier)


class ScoringProcess:
    def __init__(self, config: ScoringConfig):
        self.config = config
        tokens = TokenBook.load(config.tokens_file)
        host = self._discover()
        # Events count only when signed by their source's key (the keys come with the catalogue).
        verifier = FeedVerifier() if config.feed_signatures == "required" else None
        if verifier is None:
            log.warning("JIXIAO_FEED_SIGNATURES=off: events are counted without checking which feed signed them, "
                        "so any Kafka producer may write as any source; for a migration to signed feeds only")
        self.service = build_service(config.database_url, host, config.cache_events,
                                     BallotSecrets(config.ballot_secrets_file), verifier)
        watch_approved_code(self.service)
        # Fail fast on an unreachable broker, before serving anything.
        self.dead_letters = kafka.dead_letter_producer(config.kafka_bootstrap, config.kafka_api_version)
        review = PeriodReview(self.service)
        self.server = GrpcServer(
            [ServiceBinding(scoring_pb2.DESCRIPTOR.services_by_name["ScoringService"].full_name,
                            ScoringServicer(self.service, review, tokens),
                            scoring_pb2_grpc.add_ScoringServiceServicer_to_server),
             ServiceBinding(assessment_pb2.DESCRIPTOR.services_by_name["AssessmentService"].full_name,
                            AssessmentServicer(AssessmentTeams(self.service), tokens),
                            assessment_pb2_grpc.add_AssessmentServiceServicer_to_server),
             # Democratic evaluation ballots (docs/ballots.md), beside the scoring they feed.
             ServiceBinding(ballots_pb2.DESCRIPTOR.services_by_name["BallotService"].full_name,
                            BallotServicer(Ballots(self.service), tokens),
                            ballots_pb2_grpc.add_BallotServiceServicer_to_server),
             # What-if simulations for the office (docs/simulation.md): never an official result.
             ServiceBinding(simulation_pb2.DESCRIPTOR.services_by_name["SimulationService"].full_name,
                            SimulationServicer(Simulation(self.service), tokens),
                            simulation_pb2_grpc.add_SimulationServiceServicer_to_server)],
            config.host,
            config.port,
            port_setting="JIXIAO_SCORING_PORT",
        )
        self.feed = CatalogueFeed(config.registry_address, config.service_token, source_keys=verifier is not None)
        self.pending: queue.Queue[Catalogue] = queue.Queue()
        self.catalogue_seen = threading.Event()
        self.rescorer = Rescorer(self.service, max_delay_seconds=config.rescore_max_delay_seconds)
        # The anomaly checks, as events are stored (once what was stored is scored).
        self.findings_watch = (FindingsWatch(review.findings, interval=config.findings_refresh_seconds,
                                             settled=self.rescorer.settled)
                               if config.findings_refresh_seconds > 0 else None)

    def _discover(self) -> IndicatorHost:
        host = host_class().discover(timeout_s=self.config.plugin_timeout_seconds)  # measured when metrics are on
        for problem in host.problems():
            log.warning("plug-in skipped: %s", problem)
        log.info("indicators installed: %s", ", ".join(sorted(host.specs())) or "none")
        return host

    def run(self, stop: threading.Event) -> None:
        # Health says SERVING only once the catalogue and a scheme are known and the consumer runs.
        self.server.start(serving=False)
        log.info("scoring listening on %s:%d", self.config.host, self.server.port)
        poller = threading.Thread(target=self._poll_registry, args=(stop,), name="registry-poller", daemon=True)
        poller.start()
        rescorer = threading.Thread(target=self.rescorer.run, args=(stop,), name="rescorer", daemon=True)
        watch: threading.Thread | None = None
        try:
            self._wait_until_ready(stop)
            if stop.is_set():
                return
            consumer = MetricsConsumer(
                kafka.consumer(self.config.kafka_bootstrap, self.config.metrics_topic, self.config.consumer_group,
                               self.config.kafka_api_version),
                self.dead_letters,
                self.config.dead_letter_topic,
                self._store,
                max_records=self.config.batch_size,
                after_batch=lambda lag: self.rescorer.notify(backlog=lag > 0),
            )
            rescorer.start()
            if self.findings_watch is not None:
                watch = threading.Thread(target=self.findings_watch.run, args=(stop,), name="findings-watch", daemon=True)
                watch.start()
            log.info("consuming %s as group %s", self.config.metrics_topic, self.config.consumer_group)
            self.server.set_serving(True)
            consumer.run(stop, between_batches=self._apply_changes)
        finally:
            log.info("stopping")
            self.rescorer.notify()
            if rescorer.is_alive():
                rescorer.join(timeout=60)
            if watch is not None:
                watch.join(timeout=60)  # a refresh under way finishes its transaction
            self.server.stop()
            poller.join(timeout=self.config.scheme_poll_seconds + 6)
            self.feed.close()

    def _store(self, records):
        outcome = self.service.store(records)
        batch_stored(outcome)  # with tracing on: its events now wait for their recompute span
        return outcome

    def _wait_until_ready(self, stop: threading.Event) -> None:
        waited = 0.0
        while not stop.is_set():
            self._apply_changes()
            if self.catalogue_seen.is_set() and self.service.has_schemes():
                return
            if waited % 10 == 0:
                log.info("waiting for the registry at %s to list a published scheme", self.config.registry_address)
            stop.wait(0.5)
            waited += 0.5

    def _apply_changes(self) -> None:
        """Adopts what the poller found; runs on the consumer's thread, between batches."""
        while True:
            try:
                catalogue = self.pending.get_nowait()
            except queue.Empty:
                return
            if catalogue.active_plugins != self.service.active:
                with RECOMPUTES.full_recompute("plugin_versions"):
                    # Only approved code scores: the installed builds against the digests the registry recorded.
                    self.service.adopt_plugins(self._discover(), catalogue.active_plugins,
                                               approved=catalogue.approved_digests,
                                               installed=plugin_digest.installed_digests())
            verifier = self.service.feed_verifier
            if verifier is not None and catalogue.source_keys is not None and catalogue.source_keys != verifier.keys:
                verifier.use_keys(catalogue.source_keys)
                active = [k for k in catalogue.source_keys if not k.revoked_at]
                log.info("signing keys: %d active (%d sources), %d revoked", len(active),
                         len({k.source for k in active}), len(catalogue.source_keys) - len(active))
            for scheme in catalogue.schemes:
                with RECOMPUTES.full_recompute("scheme_version", **{"jixiao.scheme_code": scheme.code,
                                                                     "jixiao.scheme_version": scheme.version}):
                    self.service.adopt_scheme(scheme.document, scheme.version, scheme.digest)
            self.catalogue_seen.set()

    def _poll_registry(self, stop: threading.Event) -> None:
        known: dict[str, int] = dict(self.service.scheme_versions())
        active: frozenset[str] | None = None
        keys = None
        while not stop.is_set():
            with telemetry.unsampled():  # a poll every few seconds: measured, not traced
                catalogue = self.feed.look(known)
            if catalogue is not None and (catalogue.schemes or catalogue.active_plugins != active
                                          or catalogue.source_keys != keys):
                known.update({s.code: s.version for s in catalogue.schemes})
                active = catalogue.active_plugins
                keys = catalogue.source_keys
                self.pending.put(catalogue)
            stop.wait(self.config.scheme_poll_seconds)


def build(environ: Mapping[str, str]) -> ScoringProcess:
    return ScoringProcess(ScoringConfig.from_env(environ))
