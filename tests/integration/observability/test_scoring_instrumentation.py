"""Scoring's instrumentation in this process, with in-memory exporters:
the code of every rejection, the recompute spans
and their links, a failed batch's spans, plug-in metrics."""
from __future__ import annotations

import copy
import threading
import time
import uuid

import pytest
from opentelemetry import trace

from helpers.in_memory_telemetry import in_memory_telemetry, points
from helpers.small_scheme import SMALL_SCHEME, AmountVsPlan, Awards
from jixiao.common import event_codec, kafka, telemetry
from jixiao.scoring.adapters import instrumentation
from jixiao.scoring.adapters.instrumentation import InstrumentedHost, RecomputeTracker
from jixiao.scoring.adapters.kafka_consumer import MetricsConsumer
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.records import REJECTION_CODES, BatchOutcome, IncomingRecord
from jixiao_sdk import IndicatorHost, IndicatorInput, IndicatorResult, IndicatorSpec, Observation, hookimpl


@pytest.fixture
def spans():
    with in_memory_telemetry() as (exporter, reader):
        exporter.reader = reader
        yield exporter


def record(offset: int, **fields) -> IncomingRecord:
    data = {"event_id": f"e{offset}", "source": "stats", "unit_id": "U1", "metric_code": "amount",
            "value": 10.0, "period": "2026-03", **fields}
    return IncomingRecord(value=event_codec.encode(event_codec.from_dict(data)),
                          headers={"content-type": event_codec.PROTOBUF.encode()}, topic="t", offset=offset)


def test_every_rejection_carries_its_code(tmp_path):
    """The code is given where the record is refused (no pattern over the words): each case
    here is refused for one reason, and its code says which."""
    document = copy.deepcopy(SMALL_SCHEME)
    document["metrics"] = [{"code": "amount", "min": 0, "max": 1000}]
    service = build_service(f"sqlite:///{tmp_path / 'scoring.db'}",
                            IndicatorHost.from_plugins([AmountVsPlan(), Awards()], timeout_s=None))
    service.adopt_scheme(document, 1, "sha256:test")
    assert not service.store([record(0)]).rejected
    cases = {
        "unknown_unit": record(1, unit_id="U9"), "source_not_allowed": record(2, source="office"),
        "unknown_metric": record(3, metric_code="gdp"), "no_scheme": record(4, period="2025-12"),
        "unknown_person": record(5, person_id="P1"), "value_out_of_range": record(6, value=5000.0),
        "replay": record(0, value=11.0), "revision": record(7, unit_id="U2", revision_of="e0"),
        "undecodable": IncomingRecord(value=b"\x00\x01 not an event", headers={}),
        "malformed": IncomingRecord(value=b'{"event_id": "x", "source": "stats", "unit_id": "U1", "metric_code": "amount",'
                                          b' "value": 1, "period": "2026-13"}', headers={}),
    }
    outcome = service.store(list(cases.values()))
    found = {r.code: r.reason for r in outcome.rejected}
    assert found.keys() == cases.keys(), found
    assert set(found) <= set(REJECTION_CODES)
    assert found["value_out_of_range"].startswith("value 5000") and found["replay"].startswith("event_id: e0")


def _store_span(tracer, name="feed"):
    with tracer.start_as_current_span(name):
        span = tracer.start_span("scoring.store")
    span.end()
    return span


def test_an_event_waits_for_the_chunk_that_leaves_nothing_older_pending(spans):
    tracker, tracer = RecomputeTracker(), telemetry.tracer("test")
    first, second = _store_span(tracer, "first"), _store_span(tracer, "second")
    tracker.waiting([instrumentation._Waiting(first.get_span_context(), "e1", "U1")])
    with tracker.chunk(max_changes=2) as chunk:  # took as many as it could: older changes may be left
        tracker.waiting([instrumentation._Waiting(second.get_span_context(), "e2", "U2")])  # stored meanwhile
        chunk.cleared = 2
    assert not [s for s in spans.get_finished_spans() if s.name == "scoring.recompute"]
    with tracker.chunk(max_changes=2) as chunk:
        chunk.cleared = 1
    recomputes = {s.attributes["jixiao.event_id"]: s for s in spans.get_finished_spans() if s.name == "scoring.recompute"}
    rescores = [s for s in spans.get_finished_spans() if s.name == "scoring.rescore"]
    assert set(recomputes) == {"e1", "e2"} and len(rescores) == 2
    one, two = recomputes["e1"], recomputes["e2"]
    assert one.parent.span_id == first.get_span_context().span_id
    assert one.context.trace_id == first.get_span_context().trace_id
    assert (one.start_time, one.attributes["jixiao.rescore.chunks"]) == (rescores[0].start_time, 2)
    assert (two.start_time, two.attributes["jixiao.rescore.chunks"]) == (rescores[1].start_time, 1)
    assert one.end_time == two.end_time == rescores[1].end_time
    assert [link.context.span_id for link in rescores[1].links] == [first.get_span_context().span_id,
                                                                     second.get_span_context().span_id]
    assert [link.context.span_id for link in one.links] == [rescores[1].context.span_id]
    [changes] = points(spans.reader, "jixiao.scoring.recompute.changes")
    assert changes.value == 3
    [duration] = points(spans.reader, "jixiao.scoring.recompute.duration")
    assert duration.count == 2 and duration.attributes == {"jixiao.trigger": "events", "jixiao.failed": False}


def test_a_failed_chunk_serves_no_event_and_an_idle_one_is_no_span(spans):
    tracker, tracer = RecomputeTracker(), telemetry.tracer("test")
    stored = _store_span(tracer)
    tracker.waiting([instrumentation._Waiting(stored.get_span_context(), "e1", "U1")])
    with pytest.raises(RuntimeError), tracker.chunk(max_changes=10):
        raise RuntimeError("database restarting")
    [failed] = [s for s in spans.get_finished_spans() if s.name == "scoring.rescore"]
    assert failed.status.status_code == trace.StatusCode.ERROR
    assert not [s for s in spans.get_finished_spans() if s.name == "scoring.recompute"]
    spans.clear()
    with tracker.chunk(max_changes=10) as chunk:  # the changes were taken by another process meanwhile
        chunk.cleared = 0
    assert [s.name for s in spans.get_finished_spans()] == ["scoring.recompute"]
    with tracker.chunk(max_changes=10) as chunk:
        chunk.cleared = 0
    assert [s.name for s in spans.get_finished_spans()] == ["scoring.recompute"]
    assert {p.attributes["jixiao.failed"]: p.count for p in points(spans.reader, "jixiao.scoring.recompute.duration")} == {True: 1}


def test_nothing_is_kept_or_measured_with_telemetry_off():
    tracker = RecomputeTracker()
    with tracker.chunk(max_changes=10) as chunk:
        chunk.cleared = 5
    assert tracker._instruments is None and not tracker._waiting
    assert instrumentation.ConsumerTelemetry.create(object()) is None
    assert instrumentation.host_class() is IndicatorHost


def test_a_failed_batch_ends_its_spans_in_error_and_the_retry_continues_the_trace(spans, broker):
    topic = f"obs-{uuid.uuid4().hex[:8]}"
    feed = telemetry.tracer("feed")
    with feed.start_as_current_span("send") as send:
        headers = telemetry.kafka_headers([("content-type", event_codec.PROTOBUF.encode())])
    producer = kafka.producer(broker.bootstrap)
    producer.send(topic, value=event_codec.encode(event_codec.from_dict(
        {"event_id": "e1", "source": "s", "unit_id": "U1", "metric_code": "m", "value": 1.0, "period": "2026-03"})),
        key=b"U1", headers=headers)
    producer.flush()
    calls, done = [], threading.Event()

    def handle(records):
        calls.append(len(records))
        if len(calls) == 1:
            raise RuntimeError("database restarting")
        done.set()
        return BatchOutcome(stored=len(records), duplicates=0, rejected=())

    consumer = MetricsConsumer(kafka.consumer(broker.bootstrap, topic, f"g-{uuid.uuid4().hex[:6]}"), producer,
                               "dlq-unused", handle, max_records=10)
    stop = threading.Event()
    thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    thread.start()
    assert done.wait(30)
    deadline = time.monotonic() + 10
    while len([s for s in spans.get_finished_spans() if s.kind == trace.SpanKind.CONSUMER]) < 2:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    stop.set()
    thread.join(10)
    processes = [s for s in spans.get_finished_spans() if s.kind == trace.SpanKind.CONSUMER]
    assert [s.context.trace_id for s in processes] == [send.get_span_context().trace_id] * 2
    assert all(s.parent.span_id == send.get_span_context().span_id for s in processes)
    failed, retried = processes
    assert failed.status.status_code == trace.StatusCode.ERROR and "retried" in failed.status.description
    assert retried.status.status_code == trace.StatusCode.UNSET and [e.name for e in retried.events] == ["offsets committed"]
    stores = [s for s in spans.get_finished_spans() if s.name == "scoring.store"]
    assert [s.parent.span_id for s in stores] == [failed.context.span_id, retried.context.span_id]
    assert [s.attributes["jixiao.event_id"] for s in stores] == ["e1", "e1"]
    assert {p.attributes["jixiao.outcome"]: p.value for p in points(spans.reader, "jixiao.scoring.events")} == {"stored": 1}
    assert [p.attributes["messaging.destination.name"] for p in points(spans.reader, "jixiao.scoring.consumer.lag")][:1] == [topic]


class _Failing:
    def __init__(self, make):
        self.make = make
        self.spec = IndicatorSpec(code="flaky", name_zh="演示", name_en="Demo", version="1.0.0", owner="test_office",
                                  input_metrics=("demo_amount",), min_points=0.0, max_points=100.0, kind="score",
                                  formula="points = value")

    @hookimpl
    def jixiao_indicator_specs(self):
        return [self.spec]

    @hookimpl
    def jixiao_indicator_evaluate(self, spec, inputs):
        return self.make(spec, inputs)


def test_plugin_durations_and_failures_are_counted_by_indicator_and_kind(spans):
    results = iter([lambda s, i: IndicatorResult(s.code, points=5.0, explanation="ok"),
                    lambda s, i: 1 / 0,
                    lambda s, i: None,
                    lambda s, i: time.sleep(0.3) or IndicatorResult(s.code, points=1.0, explanation="late")])
    host = InstrumentedHost.from_plugins([_Failing(lambda spec, inputs: next(results)(spec, inputs))], timeout_s=0.1)
    inputs = IndicatorInput(indicator_code="flaky", unit_id="u1", unit_category="county", period="2026",
                            observations=(Observation("e1", "demo_amount", 1.0, "count", "2026-01", "test"),))
    statuses = [host.evaluate("flaky", inputs).status for _ in range(4)]
    assert statuses == ["ok", "failed", "failed", "failed"]
    [duration] = points(spans.reader, "jixiao.plugin.duration")
    assert duration.count == 4 and duration.attributes == {"jixiao.indicator": "flaky"}
    failures = {p.attributes["jixiao.failure"]: p.value for p in points(spans.reader, "jixiao.plugin.failures")}
    assert failures == {"raised": 1, "invalid_result": 1, "timeout": 1}
    assert instrumentation.host_class() is InstrumentedHost


def test_the_measured_host_scores_a_configured_generic_indicator_with_its_spec(spans):
    """The recompute passes `spec=` for generic indicators; the measured host (metrics on) takes it too."""
    import jixiao_indicator_generic

    host = InstrumentedHost.from_plugins([jixiao_indicator_generic], timeout_s=None)
    spec = host.configure("generic_case_points", "accidents", "事故", "Accidents",
                          {"formula": "case_points", "metric": "accidents", "points_per_case": -2, "cap": 10})
    inputs = IndicatorInput(indicator_code="accidents", unit_id="u1", unit_category="county", period="2026",
                            observations=(Observation("e1", "accidents", 3.0, "count", "2026-01", "test"),))
    result = host.evaluate("accidents", inputs, spec=spec)
    assert (result.status, result.points) == ("ok", -6.0)
    [duration] = points(spans.reader, "jixiao.plugin.duration")
    assert duration.attributes == {"jixiao.indicator": "accidents"}
