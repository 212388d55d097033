"""jixiao_sdk.publisher: a feed's events as JSON records with a traceparent
header; kafka-python and OpenTelemetry stay optional and out of the SDK's core."""
from __future__ import annotations

import json
import subprocess
import sys
import uuid

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from helpers.topic_reader import read_records
from jixiao.common import event_codec
from jixiao_sdk.publisher import MetricPublisher, encode

EVENT = {"event_id": "feed-1", "source": "stats_bureau", "unit_id": "U-R01", "metric_code": "fixed_asset_investment",
         "value": 28.23, "measurement_unit": "CNY_100M", "period": "2026-03", "attributes": {"channel": "月报"}}


def test_events_go_out_as_json_keyed_by_unit_with_the_producer_spans_traceparent(broker):
    topic = f"feed-{uuid.uuid4().hex[:8]}"
    exporter, provider = InMemorySpanExporter(), TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    with MetricPublisher(broker.bootstrap, topic=topic, tracer_provider=provider) as feed:
        feed.publish(EVENT, headers=[("x-batch", b"2026-03")])
    [message] = read_records(broker.bootstrap, topic, 1)
    assert message.key == b"U-R01"
    assert event_codec.decode(message.value, event_codec.JSON) == event_codec.from_dict(EVENT)
    headers = dict(message.headers)
    assert headers["content-type"] == b"application/json" and headers["x-batch"] == b"2026-03"
    [span] = exporter.get_finished_spans()
    context = span.get_span_context()
    version, trace_id, span_id, flags = headers["traceparent"].decode().split("-")
    assert (version, trace_id, span_id) == ("00", f"{context.trace_id:032x}", f"{context.span_id:016x}")
    assert int(flags, 16) & 1, "sampled"
    assert span.name == f"send {topic}" and span.kind.name == "PRODUCER"
    assert span.attributes["jixiao.event_id"] == "feed-1"
    assert span.attributes["messaging.kafka.offset"] == message.offset


@pytest.mark.parametrize("event, message", [
    ({k: v for k, v in EVENT.items() if k != "source"}, "event is missing source"),
    ({**EVENT, "period": "", "observed_at": ""}, "needs a period"),
    ({**EVENT, "value": float("nan")}, "value must be a finite number"),
    ({**EVENT, "value": "12"}, "value must be a finite number"),
])
def test_a_bad_event_is_refused_before_sending(event, message):
    with pytest.raises(ValueError, match=message):
        encode(event)


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_the_sdk_core_imports_neither_kafka_nor_opentelemetry():
    result = _python("import sys, jixiao_sdk, jixiao_sdk.testing, jixiao_sdk.publisher\n"
                     "print(sorted(m for m in sys.modules if m.split('.')[0] in ('kafka', 'opentelemetry')))")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_without_kafka_python_the_publisher_says_what_to_install():
    result = _python("import sys; sys.modules['kafka'] = None\n"
                     "from jixiao_sdk.publisher import MetricPublisher\n"
                     "MetricPublisher('127.0.0.1:9')")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "jixiao_sdk.publisher.PublisherUnavailable: jixiao_sdk.publisher needs kafka-python: "
        "pip install 'jixiao-sdk[publisher]'")


def test_without_opentelemetry_events_are_sent_without_a_traceparent(broker):
    topic = f"feed-{uuid.uuid4().hex[:8]}"
    result = _python("import sys; sys.modules['opentelemetry'] = None\n"
                     "from jixiao_sdk.publisher import MetricPublisher\n"
                     f"with MetricPublisher({broker.bootstrap!r}, topic={topic!r}) as feed:\n"
                     f"    feed.publish({json.dumps(EVENT, ensure_ascii=True)})")
    assert result.returncode == 0, result.stderr
    [message] = read_records(broker.bootstrap, topic, 1)
    assert [name for name, _ in message.headers] == ["content-type"]
