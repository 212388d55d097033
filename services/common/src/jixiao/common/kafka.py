"""Kafka clients (kafka-python) with the platform's defaults and clear errors.

The services only ever see a bootstrap address: the embedded
Kafka-protocol mock broker on one machine, a real cluster in production.
"""
from __future__ import annotations

from kafka import KafkaConsumer, KafkaProducer
from kafka.errors import KafkaError, NoBrokersAvailable

from .config import ConfigError

METRICS_TOPIC = "jixiao.metrics.v1"
DEAD_LETTER_TOPIC = "jixiao.metrics.dlq.v1"
# Dead letters larger than this go without their value (their headers say where the record is).
DEAD_LETTER_MAX_BYTES = 16 * 1024 * 1024
UNREACHABLE = "cannot reach a Kafka broker at {bootstrap} (JIXIAO_KAFKA_BOOTSTRAP); start one or fix the address"


def api_version(environ, name: str = "JIXIAO_KAFKA_API_VERSION") -> tuple[int, ...] | None:
    """The Kafka protocol version to speak, e.g. "3.0"; None (empty) to detect it.

    librdkafka's mock cluster answers the newest JoinGroup request that
    detection picks with INVALID_REQUEST when a second member joins, so the
    embedded platform pins 3.0; a real cluster is best left to detection.
    """
    raw = environ.get(name, "").strip()
    if not raw:
        return None
    try:
        parts = tuple(int(p) for p in raw.split("."))
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a version; use e.g. 3.0, or leave it empty to detect") from None
    if not 1 <= len(parts) <= 3:
        raise ConfigError(f"{name}={raw!r} is not a version; use e.g. 3.0")
    return parts + (0,) * (3 - len(parts))


def producer(bootstrap: str, version: tuple[int, ...] | None = None, **options) -> KafkaProducer:
    if version:
        options["api_version"] = version
    try:
        return KafkaProducer(bootstrap_servers=bootstrap.split(","), acks="all", linger_ms=5, **options)
    except (NoBrokersAvailable, KafkaError, ValueError):
        raise ConfigError(UNREACHABLE.format(bootstrap=bootstrap)) from None


def dead_letter_producer(bootstrap: str, version: tuple[int, ...] | None = None) -> KafkaProducer:
    """A producer for dead letters: they copy a consumed record, which may be
    larger than a feed's producer would send (up to what the topic allows)."""
    return producer(bootstrap, version, max_request_size=DEAD_LETTER_MAX_BYTES)


def consumer(bootstrap: str, topic: str, group: str, version: tuple[int, ...] | None = None, **options) -> KafkaConsumer:
    if version:
        options["api_version"] = version
    try:
        return KafkaConsumer(
            topic,
            bootstrap_servers=bootstrap.split(","),
            group_id=group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            **options,
        )
    except (NoBrokersAvailable, KafkaError, ValueError):
        raise ConfigError(UNREACHABLE.format(bootstrap=bootstrap)) from None
