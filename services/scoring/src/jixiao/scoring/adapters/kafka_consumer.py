"""The metrics-topic consumer: poll a batch, hand it to the service, send
the rejects to the dead-letter topic, then commit the offsets.

Offsets are committed only after the batch is stored and its dead letters
are acknowledged by the broker, so a crash anywhere means redelivery, and
redelivery is harmless because an event id is stored once. A dead letter
the broker does not acknowledge sends the batch round again; one too large
for the dead-letter topic goes there without its value, naming where the
record still is.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import CommitFailedError, KafkaError, MessageSizeTooLargeError
from kafka.producer.future import FutureRecordMetadata

from ..domain.records import BatchOutcome, IncomingRecord, Rejected
from .consumer_close import close_consumer
from .instrumentation import ConsumerTelemetry

log = logging.getLogger("jixiao.scoring.consumer")

REASON_HEADER = "jixiao-dlq-reason"
CODE_HEADER = "jixiao-dlq-code"  # the reason in one word (domain/records.py REJECTION_CODES)
ORIGIN_HEADERS = ("jixiao-dlq-topic", "jixiao-dlq-partition", "jixiao-dlq-offset")
VALUE_LEFT_OUT_HEADER = "jixiao-dlq-value-left-out"  # the size in bytes of a value too large to copy
DEAD_LETTER_ACK_SECONDS = 30
# An offset commit, and leaving the group on the way out, wait at most this
# long: with the broker gone kafka-python would wait for a coordinator for
# ever, and a stop signal would never end the process. An uncommitted batch
# is only redelivered, and the store drops the duplicates.
COMMIT_TIMEOUT_MS = 10_000


class DeadLetterError(Exception):
    """The broker did not take a dead letter: the batch must not be committed."""


class MetricsConsumer:
    def __init__(self, consumer: KafkaConsumer, dead_letters: KafkaProducer, dead_letter_topic: str,
                 handle: Callable[[list[IncomingRecord]], BatchOutcome], *, max_records: int,
                 max_wait_seconds: float = 0.25, after_batch: Callable[[int], None] = lambda lag: None):
        self.consumer = consumer
        self.after_batch = after_batch  # called with the records still waiting on the topic
        self.max_wait_seconds = max_wait_seconds
        self.failures = 0
        self.dead_letters = dead_letters
        self.dead_letter_topic = dead_letter_topic
        self.handle = handle
        self.max_records = max_records
        self.telemetry = ConsumerTelemetry.create(consumer)  # None when telemetry is off

    def run(self, stop: threading.Event, between_batches: Callable[[], None] = lambda: None) -> None:
        """Consumes until `stop` is set; the batch in hand is always finished and committed."""
        try:
            while not stop.is_set():
                between_batches()
                records = self._collect()
                if self.telemetry is not None:
                    self.telemetry.measure_lag(self.consumer)
                if records:
                    self._process(records, stop)
        finally:
            # The consumer first (it leaves the group; the batch in hand was committed), then the
            # dead-letter producer, which that batch's dead letters were flushed through.
            close_consumer(self.consumer, COMMIT_TIMEOUT_MS)
            self.dead_letters.close(timeout=5)

    def _collect(self) -> list[IncomingRecord]:
        """A batch: what arrives within `max_wait_seconds` of the first record, up to `max_records`.

        One fetch brings a few hundred records; gathering several into one
        batch lets a recompute serve many events at little extra latency.
        """
        records: list[IncomingRecord] = []
        deadline = None
        while len(records) < self.max_records:
            timeout_ms = 500 if deadline is None else max(0, int((deadline - time.monotonic()) * 1000))
            try:
                polled = self.consumer.poll(timeout_ms=timeout_ms, max_records=self.max_records - len(records))
            except KafkaError as exc:
                # A group or broker hiccup (e.g. a rebalance the broker mishandles):
                # the client rejoins on the next poll; records so far are kept.
                log.warning("poll failed (%s: %s); polling again", type(exc).__name__, exc)
                time.sleep(0.5)
                break
            fresh = [
                IncomingRecord(
                    value=message.value,
                    headers={name: value for name, value in (message.headers or [])},
                    topic=message.topic,
                    partition=message.partition,
                    offset=message.offset,
                    key=message.key,
                )
                for messages in polled.values()
                for message in messages
            ]
            records += fresh
            if deadline is None:
                if not fresh:
                    break
                deadline = time.monotonic() + self.max_wait_seconds
            elif not fresh or time.monotonic() >= deadline:
                break
        return records

    def _process(self, records: list[IncomingRecord], stop: threading.Event) -> None:
        spans = self.telemetry.begin(records) if self.telemetry is not None else None
        try:
            outcome = self.handle(records)
        except Exception as exc:  # noqa: BLE001 - a failed batch is retried, never skipped
            if spans is not None:
                spans.failed(exc)
            self._retry_later(records, exc, stop)
            return
        if self.telemetry is not None:
            self.telemetry.counted(outcome)
        if spans is not None:
            spans.stored(outcome)
        try:
            self._dead_letter_all(outcome, spans)
        except DeadLetterError as exc:
            self._retry_later(records, exc, stop)
            return
        self.failures = 0
        committed = True
        try:
            self.consumer.commit(timeout_ms=COMMIT_TIMEOUT_MS)
        except (CommitFailedError, KafkaError) as exc:
            # A rebalance took the partitions away, or no coordinator answered
            # in time: the records are read again from the last commit (by
            # their new owner or by us) and the store drops the duplicates.
            committed = False
            log.warning("offset commit failed (%s); the records will be redelivered", exc)
        if spans is not None:
            spans.committed(committed)
        self.after_batch(sum((partition_lags(self.consumer) or {}).values()))
        log.debug("batch: %d stored, %d duplicates, %d rejected", outcome.stored, outcome.duplicates, len(outcome.rejected))

    def _retry_later(self, records: list[IncomingRecord], exc: Exception, stop: threading.Event) -> None:
        """Rewinds to the batch's first records and waits before reading them again.

        Nothing was committed (the transaction rolled back, no offsets were
        committed), so the same records come back; the wait doubles up to
        30 s while the failure lasts (a database restarting, a deadlock).
        """
        self.failures += 1
        delay = min(30.0, 0.5 * 2 ** (self.failures - 1))
        log.error("batch of %d records failed (%s: %s); retrying in %.1f s", len(records), type(exc).__name__, exc, delay,
                  exc_info=self.failures == 1)
        first: dict[TopicPartition, int] = {}
        for record in records:
            tp = TopicPartition(record.topic, record.partition)
            first[tp] = min(first.get(tp, record.offset), record.offset)
        for tp, offset in first.items():
            try:
                self.consumer.seek(tp, offset)
            except (AssertionError, KafkaError):
                pass  # no longer ours after a rebalance: its new owner reads from the last commit
        stop.wait(delay)

    def _dead_letter_all(self, outcome: BatchOutcome, spans) -> None:
        """Sends every reject of a batch to the dead-letter topic and waits
        until the broker has acknowledged each; raises DeadLetterError if not."""
        sent: list[tuple[Rejected, FutureRecordMetadata]] = []
        for reject in outcome.rejected:
            if spans is not None:
                with spans.current(reject.delivered):
                    sent.append((reject, self._dead_letter(reject.record, reject.reason, reject.code)))
            else:
                sent.append((reject, self._dead_letter(reject.record, reject.reason, reject.code)))
        self.dead_letters.flush()
        for reject, future in sent:
            try:
                future.get(timeout=DEAD_LETTER_ACK_SECONDS)
            except MessageSizeTooLargeError:
                self._dead_letter_without_value(reject)
            except KafkaError as exc:
                raise DeadLetterError(f"dead letter for {_origin(reject.record)} not acknowledged: {exc}") from None

    def _dead_letter_without_value(self, reject: Rejected) -> None:
        record, size = reject.record, len(reject.record.value or b"")
        log.warning("dead letter for %s is too large (%d bytes); sent without its value", _origin(record), size)
        reason = f"{reject.reason} (the record's value, {size} bytes, is too large for the dead-letter topic: " \
                 f"read it at {_origin(record)})"
        future = self._dead_letter(record, reason, reject.code, value=b"",
                                   extra=[(VALUE_LEFT_OUT_HEADER, str(size).encode())])
        self.dead_letters.flush()
        try:
            future.get(timeout=DEAD_LETTER_ACK_SECONDS)
        except KafkaError as exc:
            raise DeadLetterError(f"dead letter for {_origin(record)} not acknowledged: {exc}") from None

    def _dead_letter(self, record: IncomingRecord, reason: str, code: str, *, value: bytes | None = None,
                     extra: list[tuple[str, bytes]] = ()) -> FutureRecordMetadata:
        log.info("dead letter %s (%s): %s", _origin(record), code, reason)
        headers = [(name, value) for name, value in record.headers.items() if not name.startswith("jixiao-dlq-")]
        headers += [
            (REASON_HEADER, reason.encode("utf-8")),
            (CODE_HEADER, code.encode("ascii")),
            (ORIGIN_HEADERS[0], record.topic.encode()),
            (ORIGIN_HEADERS[1], str(record.partition).encode()),
            (ORIGIN_HEADERS[2], str(record.offset).encode()),
            *extra,
        ]
        return self.dead_letters.send(self.dead_letter_topic, value=(record.value or b"") if value is None else value,
                                      key=record.key, headers=headers)


def partition_lags(consumer: KafkaConsumer) -> dict[tuple[str, int], int] | None:
    """Records waiting per assigned partition, from what the last fetches
    said (no network call; on the consumer's thread); None during a rebalance."""
    lags = {}
    try:
        for tp in consumer.assignment():
            high = consumer.highwater(tp)
            position = consumer.position(tp, timeout_ms=0)
            if high is not None and position is not None:
                lags[(tp.topic, tp.partition)] = max(0, high - position)
    except Exception:  # noqa: BLE001 - a rebalance in progress: measured again after the next poll
        return None
    return lags


def _origin(record: IncomingRecord) -> str:
    return f"{record.topic}/{record.partition}@{record.offset}"
