"""Only approved code scores: an active plug-in version whose installed build
differs from the digest the registry recorded gives failed results (its
plug-in not called), the other indicators score, and the service says so in
its ingest status, its log and a metric."""
import logging
import queue
import threading

import grpc
import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader

from helpers import make_tokens
from helpers.small_scheme import SMALL_SCHEME, AmountVsPlan, Awards
from jixiao.common import event_codec, plugin_digest, telemetry
from jixiao.common.auth import TokenBook, call_credentials
from jixiao.common.grpc_server import GrpcServer, ServiceBinding
from jixiao.scoring import bootstrap
from jixiao.scoring.adapters.instrumentation import watch_approved_code
from jixiao.scoring.adapters.registry_client import Catalogue, CatalogueFeed
from jixiao.scoring.domain.approved_code import (
    NO_INSTALLED_DIGEST,
    NO_RECORDED_DIGEST,
    UNAPPROVED_REASON,
    check_code,
)
from jixiao.scoring.domain.records import IncomingRecord
from jixiao.scoring.entrypoints.grpc_servicer import ScoringServicer
from jixiao.scoring.service_layer.period_review import PeriodReview
from jixiao.v1 import registry_pb2, scoring_pb2_grpc
from jixiao.v1 import scoring_pb2 as pb
from jixiao_sdk import IndicatorHost, hookimpl
from jixiao_sdk.manager import build_plugin_manager

AMOUNT, AWARDS = "dept-amount==1.0", "dept-awards==1.0"
ACTIVE = frozenset({AMOUNT, AWARDS})
APPROVED = {AMOUNT: "sha256:" + "a" * 64, AWARDS: "sha256:" + "b" * 64}
TAMPERED = {**APPROVED, AMOUNT: "sha256:" + "c" * 64}


class CountedAmount(AmountVsPlan):
    calls = 0

    @hookimpl
    def jixiao_indicator_evaluate(self, spec, inputs):
        CountedAmount.calls += 1
        return super().jixiao_indicator_evaluate(spec, inputs)


def host() -> IndicatorHost:
    """The small scheme's plug-ins, as if installed as two distributions."""
    manager = build_plugin_manager(discover=False)
    manager.register(CountedAmount(), name="amount", provider=AMOUNT)
    manager.register(Awards(), name="awards", provider=AWARDS)
    return IndicatorHost(manager, timeout_s=None)


def record(event_id: str, source: str, metric: str, value: float) -> IncomingRecord:
    event = event_codec.from_dict({"event_id": event_id, "source": source, "unit_id": "U1", "metric_code": metric,
                                   "value": value, "period": "2026-03"})
    return IncomingRecord(event_codec.encode(event), {})


def service_on(url: str):
    service = bootstrap.build_service(url, host())
    service.adopt_scheme(SMALL_SCHEME, 1, "sha256:test")
    return service


def results(service) -> dict[str, dict]:
    *_, rows = service.unit_score("test-2026", "U1", "2026-03")
    return {r["indicator_code"]: r for r in rows}


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'scoring.db'}"


@pytest.fixture
def scored(url):
    """A service that scored U1's March with both plug-ins approved."""
    service = service_on(url)
    service.adopt_plugins(host(), ACTIVE, approved=APPROVED, installed=APPROVED)
    service.ingest([record("e1", "stats", "amount", 40.0), record("e2", "office", "award", 1.0)])
    yield service
    service.engine.dispose()


def test_a_build_that_differs_from_the_approved_one_gives_failed_results_and_the_others_score(scored, caplog):
    assert results(scored)["amount_vs_plan"]["status"] == "ok"
    _, before, *_ = scored.unit_score("test-2026", "U1", "2026-03")
    CountedAmount.calls = 0
    with caplog.at_level(logging.WARNING, logger="jixiao.scoring"):
        scored.adopt_plugins(host(), ACTIVE, approved=APPROVED, installed=TAMPERED)

    found = results(scored)
    amount, awards = found["amount_vs_plan"], found["awards"]
    assert (amount["status"], amount["reason"], amount["points"]) == ("failed", UNAPPROVED_REASON, 0.0)
    assert amount["plugin_version"] == f"{AMOUNT} (unapproved build)"
    assert (awards["status"], awards["points"], awards["plugin_version"]) == ("ok", 1.0, AWARDS)
    assert CountedAmount.calls == 0, "the unapproved plug-in must not run"
    assert scored.unapproved_plugins == {AMOUNT}
    _, after, *_ = scored.unit_score("test-2026", "U1", "2026-03")
    assert before["total"] - after["total"] == pytest.approx(40.0)  # no points from the unapproved build

    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and AMOUNT in errors[0].getMessage() and TAMPERED[AMOUNT] in errors[0].getMessage()

    scored.ingest([record("e3", "stats", "amount", 30.0)])  # new figures of the refused indicator: failed too
    assert results(scored)["amount_vs_plan"]["status"] == "failed" and CountedAmount.calls == 0


def test_installing_the_approved_build_again_rescores_after_a_restart(scored, url):
    scored.adopt_plugins(host(), ACTIVE, approved=APPROVED, installed=TAMPERED)
    assert results(scored)["amount_vs_plan"]["status"] == "failed"
    restarted = service_on(url)  # a new process on the same database, the approved build installed
    restarted.adopt_plugins(host(), ACTIVE, approved=APPROVED, installed=APPROVED)
    amount = results(restarted)["amount_vs_plan"]
    assert (amount["status"], amount["points"], amount["plugin_version"]) == ("ok", 40.0, AMOUNT)
    assert restarted.unapproved_plugins == frozenset()
    restarted.engine.dispose()


def test_a_tampered_build_found_at_start_fails_what_was_scored_before(scored, url):
    restarted = service_on(url)
    restarted.adopt_plugins(host(), ACTIVE, approved=APPROVED, installed=TAMPERED)
    assert results(restarted)["amount_vs_plan"]["status"] == "failed"
    restarted.engine.dispose()


def test_no_recorded_digest_cannot_be_checked_and_scores_with_a_warning(scored, caplog):
    with caplog.at_level(logging.WARNING, logger="jixiao.scoring"):
        scored.adopt_plugins(host(), ACTIVE, approved={**APPROVED, AMOUNT: ""}, installed=TAMPERED)
    assert results(scored)["amount_vs_plan"]["status"] == "ok" and scored.unapproved_plugins == frozenset()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(AMOUNT in m and NO_RECORDED_DIGEST in m for m in warnings)


def test_the_check_itself():
    check = check_code([AMOUNT, AWARDS, "x==1", "y==1"], {**APPROVED, "x==1": " ", "y==1": "sha256:y"}, TAMPERED)
    assert check.unapproved == {AMOUNT: (APPROVED[AMOUNT], TAMPERED[AMOUNT])}
    assert check.unchecked == {"x==1": NO_RECORDED_DIGEST, "y==1": NO_INSTALLED_DIGEST}


def test_ingest_status_and_metric_name_the_unapproved_versions(scored, tmp_path):
    reader = InMemoryMetricReader()
    with telemetry.installed(None, MeterProvider(metric_readers=[reader])):
        watch_approved_code(scored)
        assert gauge(reader) == 0
        scored.adopt_plugins(host(), ACTIVE, approved=APPROVED, installed=TAMPERED)
        assert gauge(reader) == 1
    tokens = make_tokens(tmp_path)
    server = GrpcServer([ServiceBinding("jixiao.v1.ScoringService",
                                        ScoringServicer(scored, PeriodReview(scored), TokenBook.load(tokens.file)),
                                        scoring_pb2_grpc.add_ScoringServiceServicer_to_server)],
                        "127.0.0.1", 0, port_setting="test")
    server.start()
    try:
        with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
            status = scoring_pb2_grpc.ScoringServiceStub(channel).GetIngestStatus(
                pb.GetIngestStatusRequest(), timeout=10, metadata=call_credentials(tokens.reader))
    finally:
        server.stop(0)
    assert list(status.unapproved_plugins) == [AMOUNT] and status.events_stored == 2


def gauge(reader: InMemoryMetricReader) -> int:
    data = reader.get_metrics_data()
    values = [point.value for resource in data.resource_metrics for scope in resource.scope_metrics
              for metric in scope.metrics if metric.name == "jixiao.scoring.plugin_digest_mismatches"
              for point in metric.data.data_points]
    assert len(values) == 1
    return values[0]


def test_the_catalogue_carries_the_recorded_digests():
    class Registry:
        address = "test"

        def published_versions(self):
            return {}

        def active_plugins(self):
            return [registry_pb2.PluginVersion(name="dept-amount", version="1.0", digest=APPROVED[AMOUNT]),
                    registry_pb2.PluginVersion(name="old", version="0.1", digest="")]

    feed = CatalogueFeed.__new__(CatalogueFeed)
    feed.client = Registry()
    catalogue = feed.look({})
    assert catalogue.active_plugins == {AMOUNT, "old==0.1"}
    assert catalogue.approved_digests == {AMOUNT: APPROVED[AMOUNT], "old==0.1": ""}


def test_the_scoring_process_checks_the_installed_builds_when_the_catalogue_changes(url, monkeypatch):
    process = bootstrap.ScoringProcess.__new__(bootstrap.ScoringProcess)
    process.service = service_on(url)
    process.pending, process.catalogue_seen = queue.Queue(), threading.Event()
    monkeypatch.setattr(process, "_discover", host)
    monkeypatch.setattr(plugin_digest, "installed_digests", lambda: TAMPERED)
    process.pending.put(Catalogue((), ACTIVE, APPROVED))
    process._apply_changes()
    assert process.service.unapproved_plugins == {AMOUNT}
    process.service.ingest([record("e1", "stats", "amount", 40.0)])
    assert results(process.service)["amount_vs_plan"]["reason"] == UNAPPROVED_REASON
    process.service.engine.dispose()
