"""Publishes uploaded metric events to the metrics topic, as a data feed
would: binary protobuf MetricEvents keyed by unit id (kafka-python).

The producer is made on the first upload, in the process that uses it (a
gunicorn worker, not the parent it was forked from); a broker that does not
answer is `BrokerUnavailable` (503 with Retry-After), and publishing again
later is safe because the event ids are the same.

Every record is signed with the gateway's relay key (JIXIAO_RELAY_KEY_FILE,
source "*"): the gateway checked the feed's token and that each row is of
the feed's own source, and signs on its behalf, so scoring counts it. With no
relay key configured, uploads are refused (`NoRelayKey`, 503) rather than
published to be dead-lettered.
"""
from __future__ import annotations

import threading

from kafka.errors import KafkaError
from opentelemetry.trace import SpanKind, Status, StatusCode

from jixiao.common import event_codec, kafka, telemetry
from jixiao.common.config import ConfigError
from jixiao.v1.metric_event_pb2 import MetricEvent
from jixiao_sdk.signing import SigningKey

from .backend_errors import BrokerUnavailable, NoRelayKey

DELIVERY_TIMEOUT_SECONDS = 30
HEADERS = [(event_codec.CONTENT_TYPE_HEADER, event_codec.PROTOBUF.encode())]


class MetricsPublisher:
    def __init__(self, bootstrap: str, api_version: tuple[int, ...] | None, topic: str,
                 relay_key: SigningKey | None = None):
        self.bootstrap, self.api_version, self.topic = bootstrap, api_version, topic
        self.relay_key = relay_key
        self._producer = None
        self._lock = threading.Lock()

    def publish(self, events: list[MetricEvent]) -> None:
        """Sends every event and waits until the broker has them all.

        With tracing on, one PRODUCER span covers the upload's records, and
        each record carries its context in a `traceparent` header.
        """
        if self.relay_key is None:
            raise NoRelayKey("the gateway has no relay key to sign uploads with (JIXIAO_RELAY_KEY_FILE), and scoring "
                             "counts only signed events; ask the operator to configure it (docs/feeds.md)", "kafka")
        producer = self._ready()
        span = telemetry.tracer("jixiao.gateway").start_span(
            f"send {self.topic}", kind=SpanKind.PRODUCER,
            attributes={"messaging.system": "kafka", "messaging.operation.type": "send",
                        "messaging.destination.name": self.topic,
                        "messaging.batch.message_count": len(events)}) if telemetry.tracing() else None
        headers = telemetry.kafka_headers(HEADERS, span) if span is not None else HEADERS
        try:
            futures = [self._send(producer, e, headers) for e in events]
            producer.flush(timeout=DELIVERY_TIMEOUT_SECONDS)
            for future in futures:
                future.get(timeout=DELIVERY_TIMEOUT_SECONDS)
        except KafkaError as exc:
            if span is not None:
                span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
            raise BrokerUnavailable(f"publishing to {self.topic} failed ({type(exc).__name__}); nothing is counted "
                                    "twice, so upload the same file again shortly", "kafka") from None
        finally:
            if span is not None:
                span.end()

    def _send(self, producer, event: MetricEvent, headers: list[tuple[str, bytes]]):
        value, key = event_codec.encode(event), event.unit_id.encode()
        return producer.send(self.topic, value=value, key=key, headers=[*headers, self.relay_key.header(key, value)])

    def _ready(self):
        with self._lock:
            if self._producer is None:
                try:
                    self._producer = kafka.producer(self.bootstrap, self.api_version, max_block_ms=10_000)
                except ConfigError:
                    raise BrokerUnavailable("the Kafka broker does not answer; try again shortly", "kafka") from None
            return self._producer

    def close(self) -> None:
        with self._lock:
            if self._producer is not None:
                self._producer.close(timeout=10)
                self._producer = None
