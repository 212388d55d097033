"""Records as the transport delivers them, and what storing a batch of them gave:
the values the consumer (adapters/kafka_consumer.py) and the ingest use case
(service_layer/ingest.py) exchange, free of Kafka."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class IncomingRecord:
    """A record as the transport delivered it."""

    value: bytes | None
    headers: Mapping[str, bytes]
    topic: str = ""
    partition: int = 0
    offset: int = 0
    key: bytes | None = None


# Every code a rejection may carry (`Rejected.code`, the dead letter's jixiao-dlq-code header, the
# metric attribute jixiao.reason): what was wrong, in one word of a bounded set.
REJECTION_CODES = (
    "undecodable",  # not a MetricEvent (jixiao.common.event_codec)
    "malformed",  # a field missing, too long, not finite, a period that is no period
    "signature",  # not signed by its source's key (domain/feed_signatures.py)
    "no_scheme",  # no published scheme covers its period
    "unknown_unit", "unknown_person", "unknown_metric",
    "source_not_allowed",  # the source may not report this metric, or is no feed of the scheme
    "value_out_of_range",  # outside the range the scheme gives the metric
    "replay",  # its event id is stored with other content
    "revision",  # a revision that may not supersede its original
    "period_closed",  # its period is locked, approved or published
)


@dataclass(frozen=True)
class Rejected:
    """A record not stored, and why. `record` is what may leave scoring (the dead letter: a
    ballot's voter or rater pseudonymised); `received` the record as the transport delivered
    it, the same object, by which the consumer's spans know it (never sent anywhere)."""

    record: IncomingRecord
    reason: str
    code: str = "malformed"  # one of REJECTION_CODES
    received: IncomingRecord | None = field(default=None, repr=False, compare=False)

    @property
    def delivered(self) -> IncomingRecord:
        """The record as delivered (the object the transport handed in)."""
        return self.received if self.received is not None else self.record


@dataclass(frozen=True)
class BatchOutcome:
    stored: int
    duplicates: int
    rejected: tuple[Rejected, ...]
