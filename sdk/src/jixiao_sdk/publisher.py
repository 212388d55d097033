"""Publish metric events to Jixiao's Kafka topic, as a data feed does.

>>> from jixiao_sdk.publisher import MetricPublisher          # doctest: +SKIP
>>> with MetricPublisher("kafka.example.gov:9093", sasl_plain_username="...") as feed:   # doctest: +SKIP
...     feed.publish({"event_id": "stats-2026-03-U-R01-fai", "source": "stats_bureau",
...                   "unit_id": "U-R01", "metric_code": "fixed_asset_investment",
...                   "value": 28.23, "measurement_unit": "CNY_100M", "period": "2026-03"})

Each event is a dict with the fields of ``jixiao.v1.MetricEvent`` (see
``proto/jixiao/v1/metric_event.proto``) and is sent as its canonical proto3
JSON form with the header ``content-type: application/json``, keyed by unit id
(a unit's events then stay in order on one partition). The ``event_id`` makes
a retry harmless: scoring stores an event id once.

Scoring counts only signed events (``docs/feeds.md``): give the publisher the
key file the evaluation office handed the feed (``jixiao keys create``), and
every record carries its ``jixiao-signature`` header::

    MetricPublisher("kafka.example.gov:9093", signing_key="stats_bureau.key")

(a path, or a ``jixiao_sdk.signing.SigningKey``). An event of a source the
key may not sign for is refused before it is sent.

Optional parts, imported only when this module is used, never by ``jixiao_sdk``:

- ``kafka-python`` sends the records and ``cryptography`` signs them:
  ``pip install 'jixiao-sdk[publisher]'``.
- ``opentelemetry-api`` (``pip install 'jixiao-sdk[telemetry]'``): when it is
  installed, each event gets a PRODUCER span ``send <topic>`` and the record
  carries its W3C ``traceparent`` header, so the feed's trace continues through
  scoring. Without a configured OpenTelemetry SDK the spans record nothing, and
  the header carries the caller's current trace, if any.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Mapping
from typing import Any

TOPIC = "jixiao.metrics.v1"
CONTENT_TYPE = ("content-type", b"application/json")
INSTALL_HINT = "pip install 'jixiao-sdk[publisher]'"
REQUIRED = ("event_id", "source", "unit_id", "metric_code", "value")


class PublisherUnavailable(ImportError):
    """kafka-python is not installed; the message says how to install it."""


def _kafka_producer():
    try:
        from kafka import KafkaProducer
    except ImportError as exc:
        raise PublisherUnavailable(f"jixiao_sdk.publisher needs kafka-python: {INSTALL_HINT}") from exc
    return KafkaProducer


def _tracing(tracer_provider: Any = None):
    """(tracer, propagate, trace, SpanKind, Status, StatusCode) of opentelemetry-api, or None without it."""
    try:
        from opentelemetry import propagate, trace
        from opentelemetry.trace import SpanKind, Status, StatusCode
    except ImportError:
        return None
    tracer = trace.get_tracer("jixiao_sdk.publisher", tracer_provider=tracer_provider)
    return tracer, propagate, trace, SpanKind, Status, StatusCode


def _signing_key(given: Any):
    """A SigningKey from a key file's path, or the key given (None: unsigned)."""
    if given is None or hasattr(given, "sign"):
        return given
    if isinstance(given, (str, os.PathLike)):
        from .signing import SigningKey

        return SigningKey.from_file(given)
    raise TypeError(f"signing_key must be a key file's path or a SigningKey, not {type(given).__name__}")


def encode(event: Mapping[str, Any]) -> bytes:
    """The JSON record value of one event; raises ValueError naming a missing or bad field."""
    missing = [name for name in REQUIRED if name not in event or event[name] in ("", None)]
    if missing:
        raise ValueError(f"event is missing {', '.join(missing)}")
    if not event.get("period") and not event.get("observed_at"):
        raise ValueError("event needs a period (e.g. 2026-03) or observed_at")
    value = event["value"]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"value must be a finite number, got {value!r}")
    return json.dumps(dict(event), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class MetricPublisher:
    """Sends MetricEvents to the metrics topic with kafka-python.

    ``bootstrap`` is the broker list (``host:port,host:port``); ``producer_options``
    go to ``kafka.KafkaProducer`` (TLS and SASL settings, for instance). The
    producer waits for every in-sync replica (``acks="all"``) unless told otherwise.
    ``tracer_provider`` is OpenTelemetry's (default: the global one).
    ``signing_key`` (a key file's path or a ``jixiao_sdk.signing.SigningKey``)
    signs every record; without it records go out unsigned, which scoring
    refuses unless its signature check is off.
    """

    def __init__(self, bootstrap: str | Iterable[str], topic: str = TOPIC, *, tracer_provider: Any = None,
                 signing_key: Any = None, **producer_options: Any) -> None:
        producer_class = _kafka_producer()
        self.signing_key = _signing_key(signing_key)
        servers = bootstrap.split(",") if isinstance(bootstrap, str) else list(bootstrap)
        producer_options.setdefault("acks", "all")
        self.topic = topic
        self._tracing = _tracing(tracer_provider)
        self._producer = producer_class(bootstrap_servers=servers, **producer_options)

    def publish(self, event: Mapping[str, Any], *, headers: Iterable[tuple[str, bytes]] = ()):
        """Sends one event; returns kafka-python's future of the record's metadata."""
        value = encode(event)
        key = str(event["unit_id"]).encode("utf-8")
        record_headers = [CONTENT_TYPE, *headers]
        if self.signing_key is not None:
            if not self.signing_key.signs_for(str(event["source"])):
                raise ValueError(f"event source {event['source']!r} is not the signing key's source "
                                 f"{self.signing_key.source!r} (key {self.signing_key.key_id})")
            record_headers = [(name, data) for name, data in record_headers if name != "jixiao-signature"]
            record_headers.append(self.signing_key.header(key, value))
        if self._tracing is None:
            return self._producer.send(self.topic, value=value, key=key, headers=record_headers)
        tracer, propagate, trace, span_kind, status, status_code = self._tracing
        span = tracer.start_span(f"send {self.topic}", kind=span_kind.PRODUCER, attributes={
            "messaging.system": "kafka", "messaging.operation.type": "send",
            "messaging.destination.name": self.topic, "messaging.kafka.message.key": key.decode("utf-8"),
            "jixiao.event_id": str(event["event_id"]), "jixiao.unit_id": str(event["unit_id"]),
        })
        carrier: dict[str, str] = {}
        propagate.inject(carrier, context=trace.set_span_in_context(span))
        record_headers += [(name, text.encode("ascii")) for name, text in carrier.items()]
        try:
            future = self._producer.send(self.topic, value=value, key=key, headers=record_headers)
        except Exception as exc:
            span.record_exception(exc)
            span.set_status(status(status_code.ERROR, type(exc).__name__))
            span.end()
            raise

        def delivered(metadata):
            span.set_attributes({"messaging.destination.partition.id": str(metadata.partition),
                                 "messaging.kafka.offset": metadata.offset})
            span.end()

        def failed(exc):
            span.set_status(status(status_code.ERROR, type(exc).__name__))
            span.end()

        future.add_callback(delivered)
        future.add_errback(failed)
        return future

    def flush(self, timeout: float | None = None) -> None:
        """Waits until every event sent so far is acknowledged by the broker."""
        self._producer.flush(timeout=timeout)

    def close(self, timeout: float | None = None) -> None:
        self._producer.close(timeout=timeout)

    def __enter__(self) -> MetricPublisher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.flush()
        self.close()
