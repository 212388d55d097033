"""One trace per event across real processes: the feed's producer span (this
process, `traceparent` in the Kafka header) → scoring's consume span → its
store span → its recompute span; an upload through the gateway continues
the uploader's trace the same way; and a read through the gateway is one
trace from the HTTP request over gRPC into scoring. The services export with
their real OTLP exporters to a receiver in this process."""
from __future__ import annotations

import json
import shutil
import subprocess
import uuid

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from helpers import eventually
from jixiao_sdk.publisher import MetricPublisher

SCHEME = "jiangchuan-2026"


def investment(unit_id: str, value: float, period: str = "2026-03") -> dict:
    return {"event_id": f"obs-{uuid.uuid4().hex}", "source": "stats_bureau", "unit_id": unit_id,
            "metric_code": "fixed_asset_investment", "value": value, "measurement_unit": "CNY_100M", "period": period}


def traceparent() -> tuple[str, str, str]:
    trace_id, span_id = uuid.uuid4().hex, uuid.uuid4().hex[:16]
    return trace_id, span_id, f"00-{trace_id}-{span_id}-01"


def one(spans, what: str):
    assert len(spans) == 1, f"expected one {what}, got {spans}"
    return spans[0]


def chain_below(receiver, parent_trace: str, parent_span: str, topic: str):
    """scoring's process → store → recompute spans under the given parent, waiting for each."""
    process = one(receiver.wait_for(lambda: receiver.spans_where(service="jixiao-scoring", name=f"process {topic}",
                                                                 trace_id=parent_trace, parent_id=parent_span),
                                    what=f"process span under {parent_span}"), "process span")
    assert process.kind == "CONSUMER"
    assert process.attributes["messaging.destination.name"] == topic
    assert "offsets committed" in process.events
    store = one(receiver.wait_for(lambda: receiver.spans_where(name="scoring.store", trace_id=parent_trace,
                                                               parent_id=process.span_id), what="store span"), "store span")
    return process, store


def test_an_event_is_one_trace_from_the_feed_to_its_recompute(traced_platform):
    platform, receiver = traced_platform, traced_platform.receiver
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    good, bad = investment("U-R01", 28.23), investment("U-NO-SUCH-UNIT", 1.0)
    with MetricPublisher(platform.bootstrap, topic=platform.topic, tracer_provider=provider,
                         signing_key=platform.keys.folder / "stats_bureau.key") as feed:
        feed.publish(good)
        feed.publish(bad)
    sent = {s.attributes["jixiao.event_id"]: s for s in exporter.get_finished_spans()}
    assert set(sent) == {good["event_id"], bad["event_id"]}

    producer = sent[good["event_id"]].get_span_context()
    trace_id, span_id = f"{producer.trace_id:032x}", f"{producer.span_id:016x}"
    process, store = chain_below(receiver, trace_id, span_id, platform.topic)
    assert process.attributes["jixiao.event_id"] == good["event_id"]
    assert store.attributes["jixiao.outcome"] == "accepted" and store.status != 2
    assert store.start_ns >= process.start_ns and store.end_ns <= process.end_ns
    recompute = one(receiver.wait_for(lambda: receiver.spans_where(name="scoring.recompute", trace_id=trace_id,
                                                                   parent_id=store.span_id), what="recompute span"),
                    "recompute span")
    assert recompute.attributes["jixiao.event_id"] == good["event_id"] and recompute.attributes["jixiao.unit_id"] == "U-R01"
    assert recompute.start_ns >= store.end_ns
    # Rescoring chunks that did work are spans of their own (tests/integration/observability/test_scoring_telemetry.py
    # checks their links to the events they served).
    assert receiver.spans_where(service="jixiao-scoring", name="scoring.rescore")

    # The rejected event: its store span says why, and the dead letter's log line carries its trace.
    rejected = sent[bad["event_id"]].get_span_context()
    bad_trace = f"{rejected.trace_id:032x}"
    _, bad_store = chain_below(receiver, bad_trace, f"{rejected.span_id:016x}", platform.topic)
    assert bad_store.status == 2 and bad_store.attributes["jixiao.outcome"] == "rejected"
    assert bad_store.attributes["jixiao.reason"] == "unknown_unit"
    assert "U-NO-SUCH-UNIT" in bad_store.attributes["jixiao.rejection"]
    assert not receiver.spans_where(name="scoring.recompute", trace_id=bad_trace)
    lines = [line for line in platform.scoring.stderr().splitlines() if "dead letter" in line]
    assert any(line.endswith(f"trace_id={bad_trace} span_id={bad_store.parent_id}") for line in lines), lines


@pytest.mark.skipif(shutil.which("kcat") is None, reason="kcat is not installed (make test installs the Debian package)")
def test_kcat_with_a_traceparent_header_continues_the_feeds_trace(traced_platform):
    platform, receiver = traced_platform, traced_platform.receiver
    trace_id, span_id, header = traceparent()
    event = investment("U-R02", 12.5)
    value = json.dumps(event).encode()
    signature = platform.keys.signer.key_for("stats_bureau").sign(b"U-R02", value).decode()  # as `jixiao feed sign` gives it
    subprocess.run(["kcat", "-P", "-b", platform.bootstrap, "-t", platform.topic, "-k", "U-R02",
                    "-H", "content-type=application/json", "-H", f"traceparent={header}",
                    "-H", f"jixiao-signature={signature}"],
                   input=value, check=True, timeout=30)
    process, store = chain_below(receiver, trace_id, span_id, platform.topic)
    assert process.attributes["jixiao.event_id"] == event["event_id"]
    receiver.wait_for(lambda: receiver.spans_where(name="scoring.recompute", trace_id=trace_id, parent_id=store.span_id),
                      what="recompute span")


def test_an_upload_continues_the_uploaders_trace_into_scoring(traced_platform):
    platform, receiver = traced_platform, traced_platform.receiver
    trace_id, span_id, header = traceparent()
    event = investment("U-R03", 7.5)
    status, answer = platform.http("POST", "/api/v1/uploads", token=platform.tokens.feed,
                                   headers={"Content-Type": "application/json", "traceparent": header},
                                   body=json.dumps({"events": [event]}).encode())
    assert status == 200 and answer["published"] == 1, answer
    request = one(receiver.wait_for(lambda: receiver.spans_where(service="jixiao-gateway", trace_id=trace_id,
                                                                 parent_id=span_id), what="upload request span"),
                  "request span")
    assert (request.name, request.kind) == ("POST /api/v1/uploads", "SERVER")
    assert request.attributes["http.response.status_code"] == 200
    send = one(receiver.wait_for(lambda: receiver.spans_where(service="jixiao-gateway", kind="PRODUCER", trace_id=trace_id,
                                                              parent_id=request.span_id), what="send span"), "send span")
    assert send.attributes["messaging.batch.message_count"] == 1
    _, store = chain_below(receiver, trace_id, send.span_id, platform.topic)
    receiver.wait_for(lambda: receiver.spans_where(name="scoring.recompute", trace_id=trace_id, parent_id=store.span_id),
                      what="recompute span")


def test_a_read_is_one_trace_from_the_http_request_into_scoring(traced_platform):
    platform, receiver = traced_platform, traced_platform.receiver
    event = investment("U-R04", 3.25)
    with MetricPublisher(platform.bootstrap, topic=platform.topic,
                         signing_key=platform.keys.folder / "stats_bureau.key") as feed:
        feed.publish(event)
    path = f"/api/v1/schemes/{SCHEME}/units/U-R04?period=2026-03"
    def readable() -> bool:  # the event's result
        status, unit = platform.http("GET", path, token=platform.tokens.office)
        return status == 200 and any(event["event_id"] in r["evidence_event_ids"] for r in unit["indicators"])

    eventually(readable, 20, f"the result of {event['event_id']} readable")

    trace_id, span_id, header = traceparent()
    status, _ = platform.http("GET", path, token=platform.tokens.office, headers={"traceparent": header})
    assert status == 200
    request = one(receiver.wait_for(lambda: receiver.spans_where(service="jixiao-gateway", kind="SERVER", trace_id=trace_id,
                                                                 parent_id=span_id), what="read request span"), "request")
    assert request.name == "GET /api/v1/schemes/<code>/units/<unit_id>"  # Flask's route, as the package names it
    assert request.attributes["http.route"] == "/api/v1/schemes/<code>/units/<unit_id>"
    assert request.attributes["jixiao.unit_id"] == "U-R04" and request.attributes["jixiao.period"] == "2026-03"
    calls = receiver.wait_for(lambda: receiver.spans_where(service="jixiao-gateway", kind="CLIENT", trace_id=trace_id,
                                                           parent_id=request.span_id,
                                                           name="/jixiao.v1.ScoringService/GetUnitScore"),
                              what="GetUnitScore client span")
    served = one(receiver.wait_for(lambda: receiver.spans_where(service="jixiao-scoring", kind="SERVER", trace_id=trace_id,
                                                                parent_id=calls[0].span_id), what="scoring server span"),
                 "server span")
    assert served.name == "/jixiao.v1.ScoringService/GetUnitScore"  # the full method, as the package names it
    assert served.attributes["rpc.grpc.status_code"] == 0
    assert served.attributes["jixiao.unit_id"] == "U-R04" and served.attributes["jixiao.period"] == "2026-03"
    # What ties the read to the event's own trace: the unit and period on
    # both, and the event id in the answer's evidence and on the event's spans.
    event_spans = receiver.wait_for(lambda: receiver.spans_where(name="scoring.recompute",
                                                                 attributes={"jixiao.event_id": event["event_id"]}),
                                    what="the event's recompute span")
    assert event_spans[0].attributes["jixiao.unit_id"] == served.attributes["jixiao.unit_id"]


def test_the_services_export_their_metrics(traced_platform):
    platform, receiver = traced_platform, traced_platform.receiver
    with MetricPublisher(platform.bootstrap, topic=platform.topic,
                         signing_key=platform.keys.folder / "stats_bureau.key") as feed:
        feed.publish(investment("U-R05", 4.0))
        feed.publish(investment("U-R05", 1.0, period="2025-03"))  # no scheme covers 2025
    with MetricPublisher(platform.bootstrap, topic=platform.topic,
                         signing_key=platform.keys.folder / "finance_bureau.key") as feed:
        feed.publish({**investment("U-R05", 1.0), "source": "finance_bureau"})  # may not report investment
    status, _ = platform.http("GET", f"/api/v1/schemes/{SCHEME}/rankings?category=district_county&period=2026-03",
                              token=platform.tokens.office)
    assert status == 200

    def latest(service: str, metric: str, key, wanted: set):
        """{key(point): point} of a metric's latest export, once it has every wanted key."""
        def check():
            points = {key(p): p for p in receiver.latest_points(service, metric)}
            return points if wanted <= points.keys() else None
        return receiver.wait_for(check, what=f"{service} {metric} with {wanted}")

    events = latest("jixiao-scoring", "jixiao.scoring.events",
                    lambda p: (p.attributes["jixiao.outcome"], p.attributes.get("jixiao.reason")),
                    {("stored", None), ("rejected", "no_scheme"), ("rejected", "source_not_allowed")})
    assert events[("stored", None)].value >= 1 and events[("rejected", "source_not_allowed")].value == 1

    lag = latest("jixiao-scoring", "jixiao.scoring.consumer.lag",
                 lambda p: (p.attributes["messaging.destination.name"], p.attributes["messaging.destination.partition.id"]),
                 set())
    assert lag and {topic for topic, _ in lag} == {platform.topic} and all(p.value >= 0 for p in lag.values())

    recompute = latest("jixiao-scoring", "jixiao.scoring.recompute.duration",
                       lambda p: (p.attributes["jixiao.trigger"], p.attributes["jixiao.failed"]),
                       {("events", False), ("scheme_version", False)})
    assert recompute[("events", False)].value >= 1 and recompute[("events", False)].total > 0
    assert recompute[("scheme_version", False)].value == 1  # the demo scheme, adopted once at start
    latest("jixiao-scoring", "jixiao.plugin.duration", lambda p: p.attributes["jixiao.indicator"], {"investment_completion"})

    served = latest("jixiao-scoring", "rpc.server.call.duration", lambda p: p.attributes["rpc.method"], {"GetRanking"})
    assert served["GetRanking"].attributes["rpc.service"] == "jixiao.v1.ScoringService"
    assert served["GetRanking"].attributes["rpc.grpc.status_code"] == 0
    # scoring's polls of the registry are measured, though not traced
    latest("jixiao-scoring", "rpc.client.call.duration", lambda p: p.attributes["rpc.method"], {"ListSchemeVersions"})
    assert not receiver.spans_where(service="jixiao-scoring", name="/jixiao.v1.RegistryService/ListSchemeVersions")
    latest("jixiao-registry", "rpc.server.call.duration", lambda p: p.attributes["rpc.method"],
           {"ListSchemeVersions", "PublishScheme"})
    latest("jixiao-gateway", "rpc.client.call.duration", lambda p: p.attributes["rpc.method"], {"GetRanking"})
    latest("jixiao-gateway", "http.server.request.duration",
           lambda p: (p.attributes.get("http.route"), p.attributes["http.response.status_code"]),
           {("/api/v1/schemes/<code>/rankings", 200)})
    # probes: neither traced nor measured
    assert not receiver.spans_where(service="jixiao-gateway", name="GET /api/v1/health")
    assert not [p for p in receiver.latest_points("jixiao-gateway", "http.server.request.duration")
                if p.attributes.get("http.route") == "/api/v1/health"]
    assert not [s for s in receiver.spans_where() if s.name.startswith("/grpc.")]  # health checks and reflection
