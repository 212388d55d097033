"""Telemetry of the scoring service: spans that follow each event from its
Kafka record through storage to the recompute that scores it, and the
ingest, lag, recompute and plug-in metrics (docs/observability.md).

The trace of one event, with the producer's `traceparent` header as the
root's parent (a new trace when the record has none):

    process <topic>     CONSUMER  poll → offsets committed (one per record)
      scoring.store     INTERNAL  the batch's validation and store transaction
        scoring.recompute INTERNAL the rescoring that took the event's changes

A batch is stored in one transaction and its changes are rescored later,
in chunks, by the rescorer thread; each record still gets its own spans,
timed by the batch or chunk they belong to, so that every event keeps one
unbroken chain. Each rescoring chunk that did work is also a span of its
own (`scoring.rescore`, linked to the events it served). Nothing here runs
when telemetry is off: the consumer and the rescorer then skip it entirely.
"""
from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from opentelemetry import trace
from opentelemetry.metrics import CallbackOptions, Observation
from opentelemetry.trace import Link, NonRecordingSpan, SpanContext, SpanKind, Status, StatusCode

from jixiao.common import event_codec, telemetry
from jixiao_sdk import IndicatorHost, IndicatorInput, IndicatorResult, IndicatorSpec

from ..domain.records import BatchOutcome, IncomingRecord

SCOPE = "jixiao.scoring"
# Events waiting for their recompute span, at most (oldest dropped first).
MAX_WAITING = 100_000
MAX_LINKS = 128

# --------------------------------------------------------------------------
# The consumer


class ConsumerTelemetry:
    """What the metrics consumer reports; None from `create` when telemetry is off."""

    def __init__(self, consumer, *, group: str):
        self.group = group
        meter = telemetry.meter(SCOPE)
        self.events = meter.create_counter(
            "jixiao.scoring.events", unit="{event}",
            description="Records handled by the consumer, by outcome (stored, duplicate, rejected) and rejection reason")
        self._lag: dict[tuple[str, int], int] = {}
        self._lag_lock = threading.Lock()
        meter.create_observable_gauge(
            "jixiao.scoring.consumer.lag", callbacks=[self._observe_lag], unit="{message}",
            description="Records in a partition this consumer has not read yet (high watermark − position)")
        self.tracer = telemetry.tracer(SCOPE) if telemetry.tracing() else None

    @classmethod
    def create(cls, consumer) -> ConsumerTelemetry | None:
        if not telemetry.enabled():
            return None
        return cls(consumer, group=str(getattr(consumer, "config", {}).get("group_id") or ""))

    # metrics ---------------------------------------------------------------
    def counted(self, outcome: BatchOutcome) -> None:
        if outcome.stored:
            self.events.add(outcome.stored, {"jixiao.outcome": "stored"})
        if outcome.duplicates:
            self.events.add(outcome.duplicates, {"jixiao.outcome": "duplicate"})
        for reject in outcome.rejected:
            self.events.add(1, {"jixiao.outcome": "rejected", "jixiao.reason": reject.code})

    def measure_lag(self, consumer) -> None:
        """Notes each assigned partition's lag; on the consumer's thread (the
        client is not thread-safe), without network calls."""
        from .kafka_consumer import partition_lags  # the consumer module imports this one

        lags = partition_lags(consumer)
        if lags is None:
            return
        with self._lag_lock:
            self._lag = lags

    def _observe_lag(self, options: CallbackOptions) -> Iterator[Observation]:
        with self._lag_lock:
            lags = dict(self._lag)
        for (topic, partition), lag in sorted(lags.items()):
            yield Observation(lag, {"messaging.destination.name": topic, "messaging.destination.partition.id": str(partition),
                                    "messaging.consumer.group.name": self.group})

    # spans -----------------------------------------------------------------
    def begin(self, records: Sequence[IncomingRecord]) -> BatchTrace | None:
        """Spans for a batch about to be stored; None when tracing is off."""
        return BatchTrace(self.tracer, records, self.group) if self.tracer is not None else None


@dataclass
class _Traced:
    record: IncomingRecord
    process: trace.Span
    store: trace.Span
    event_id: str = ""
    unit_id: str = ""


_batch_of_thread = threading.local()


def batch_stored(outcome: BatchOutcome) -> None:
    """Called by whoever stored the batch the consumer is handling on this
    thread (the scoring process, before it wakes the rescorer), so that its
    events wait for their recompute before any rescoring can start."""
    batch = getattr(_batch_of_thread, "batch", None)
    if batch is not None:
        batch.stored(outcome)


class BatchTrace:
    """The spans of one batch's records, from poll to commit."""

    def __init__(self, tracer: trace.Tracer, records: Sequence[IncomingRecord], group: str):
        started = time.time_ns()
        self._stored = False
        _batch_of_thread.batch = self
        self.items: list[_Traced] = []
        for record in records:
            attributes = {
                "messaging.system": "kafka", "messaging.operation.type": "process",
                "messaging.destination.name": record.topic,
                "messaging.destination.partition.id": str(record.partition),
                "messaging.kafka.offset": record.offset, "messaging.consumer.group.name": group,
            }
            if record.key:
                attributes["messaging.kafka.message.key"] = record.key.decode("utf-8", "replace")
            process = tracer.start_span(f"process {record.topic}", context=telemetry.context_from_headers(record.headers),
                                        kind=SpanKind.CONSUMER, attributes=attributes, start_time=started)
            item = _Traced(record, process, process)
            if process.is_recording():
                item.event_id, item.unit_id = _event_ids(record)
                if item.event_id:
                    process.set_attribute("jixiao.event_id", item.event_id)
                item.store = tracer.start_span("scoring.store", context=trace.set_span_in_context(process),
                                               attributes={"jixiao.event_id": item.event_id, "jixiao.unit_id": item.unit_id,
                                                           "jixiao.batch.records": len(records)},
                                               start_time=started)
            self.items.append(item)
        self._by_record = {id(item.record): item for item in self.items}

    def stored(self, outcome: BatchOutcome) -> None:
        """Ends the store spans: rejected with the reason; the others wait for their recompute."""
        if self._stored:
            return
        self._stored = True
        ended = time.time_ns()
        reasons = {id(reject.delivered): reject for reject in outcome.rejected}
        waiting = []
        for item in self.items:
            if not item.store.is_recording():
                continue
            reject = reasons.get(id(item.record))
            if reject is None:
                item.store.set_attribute("jixiao.outcome", "accepted")
                waiting.append(_Waiting(item.store.get_span_context(), item.event_id, item.unit_id))
            else:
                item.store.set_attributes({"jixiao.outcome": "rejected", "jixiao.reason": reject.code,
                                           "jixiao.rejection": reject.reason})
                item.store.set_status(Status(StatusCode.ERROR, reject.reason))
            item.store.end(end_time=ended)
        RECOMPUTES.waiting(waiting)

    @contextmanager
    def current(self, record: IncomingRecord):
        """The record's span is current inside (a dead letter's log line carries its ids)."""
        item = self._by_record.get(id(record))
        with telemetry.current(item.process if item else None):
            yield

    def committed(self, ok: bool) -> None:
        _batch_of_thread.batch = None
        ended = time.time_ns()
        for item in self.items:
            item.process.add_event("offsets committed" if ok else "offset commit failed; the record will be redelivered",
                                   timestamp=ended)
            item.process.end(end_time=ended)

    def failed(self, exc: BaseException) -> None:
        """The batch's transaction failed: it is read again and retried (new spans, same traces)."""
        _batch_of_thread.batch = None
        already_stored, self._stored = self._stored, True
        ended = time.time_ns()
        for item in self.items:
            spans = [item.process] if already_stored else [item.store, item.process]
            for span in {id(span): span for span in spans}.values():
                span.record_exception(exc)
                span.set_status(Status(StatusCode.ERROR, f"batch failed and is retried: {type(exc).__name__}"))
                span.end(end_time=ended)


def _event_ids(record: IncomingRecord) -> tuple[str, str]:
    content_type = (record.headers.get(event_codec.CONTENT_TYPE_HEADER) or b"").decode("latin-1") or None
    try:
        event = event_codec.decode(record.value, content_type)
    except event_codec.EventError:
        return "", ""
    return event.event_id, event.unit_id


# --------------------------------------------------------------------------
# Rescoring


@dataclass
class _Waiting:
    store: SpanContext
    event_id: str
    unit_id: str
    sequence: int = 0
    first_chunk_ns: int = 0
    chunks: int = 0


@dataclass
class Chunk:
    """One rescoring transaction (`ScoringService.rescore_pending(once=True)`)."""

    sequence: int
    started_ns: int
    started: float = field(default_factory=time.perf_counter)
    cleared: int = 0


class RecomputeTracker:
    """Which stored events wait for their rescoring, and the recompute
    metrics. An event stored before a chunk started is rescored once a chunk
    that started after it leaves fewer changes than it could take (pending
    changes are taken oldest first); its recompute span then runs from the
    first chunk after its store to the end of that chunk."""

    def __init__(self):
        self._lock = threading.Lock()
        self._waiting: deque[_Waiting] = deque()
        self._sequence = 0
        self._instruments = None

    def _metrics(self):
        provider = telemetry.meter_provider()  # instruments follow the installed provider (tests swap it)
        if self._instruments is None or self._instruments[0] is not provider:
            meter = telemetry.meter(SCOPE)
            self._instruments = (provider,
                                 telemetry.duration_histogram(meter, "jixiao.scoring.recompute.duration",
                                                              "Duration of a recompute, by what triggered it"),
                                 meter.create_counter("jixiao.scoring.recompute.changes", unit="{change}",
                                                      description="Pending changes (unit, period, metric) rescored"))
        return self._instruments[1:]

    def waiting(self, items: list[_Waiting]) -> None:
        if not items:
            return
        with self._lock:
            for item in items:
                self._sequence += 1
                item.sequence = self._sequence
                self._waiting.append(item)
            while len(self._waiting) > MAX_WAITING:
                self._waiting.popleft()

    @contextmanager
    def chunk(self, max_changes: int) -> Iterator[Chunk]:
        """Around one rescoring transaction; set `.cleared` to what it took."""
        if not telemetry.enabled():
            yield Chunk(0, 0)
            return
        with self._lock:
            chunk = Chunk(self._sequence, time.time_ns())
            for item in self._waiting:
                if not item.first_chunk_ns:
                    item.first_chunk_ns = chunk.started_ns
                item.chunks += 1
        try:
            yield chunk
        except BaseException:
            self._done(chunk, drained=False, failed=True)
            raise
        self._done(chunk, drained=chunk.cleared < max_changes, failed=False)

    def _done(self, chunk: Chunk, *, drained: bool, failed: bool) -> None:
        ended = time.time_ns()
        if chunk.cleared or failed:
            duration, changes = self._metrics()
            duration.record(time.perf_counter() - chunk.started, {"jixiao.trigger": "events", "jixiao.failed": failed})
            changes.add(chunk.cleared)
        if not telemetry.tracing():
            return
        served = []
        if drained:
            with self._lock:
                while self._waiting and self._waiting[0].sequence <= chunk.sequence:
                    served.append(self._waiting.popleft())
        tracer = telemetry.tracer(SCOPE)
        links = []
        if chunk.cleared or failed:
            rescore = tracer.start_span("scoring.rescore", start_time=chunk.started_ns,
                                        links=[Link(w.store) for w in served[:MAX_LINKS]],
                                        attributes={"jixiao.rescore.changes": chunk.cleared, "jixiao.rescore.events": len(served)})
            if failed:
                rescore.set_status(Status(StatusCode.ERROR, "rescoring failed; the changes stay pending"))
            rescore.end(end_time=ended)
            links = [Link(rescore.get_span_context())]
        for item in served:
            span = tracer.start_span("scoring.recompute", context=trace.set_span_in_context(NonRecordingSpan(item.store)),
                                     start_time=item.first_chunk_ns or chunk.started_ns, links=links,
                                     attributes={"jixiao.event_id": item.event_id, "jixiao.unit_id": item.unit_id,
                                                 "jixiao.rescore.chunks": item.chunks})
            span.end(end_time=ended)

    @contextmanager
    def full_recompute(self, trigger: str, **attributes) -> Iterator[None]:
        """Around a recompute of whole years (a new scheme version, other plug-in versions)."""
        if not telemetry.enabled():
            yield
            return
        started = time.perf_counter()
        span = telemetry.tracer(SCOPE).start_span(f"scoring.recompute_{trigger}", attributes=attributes) \
            if telemetry.tracing() else None
        failed = False
        try:
            with telemetry.current(span):
                yield
        except BaseException as exc:
            failed = True
            if span is not None:
                span.record_exception(exc)
                span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
            raise
        finally:
            duration, _ = self._metrics()
            duration.record(time.perf_counter() - started, {"jixiao.trigger": trigger, "jixiao.failed": failed})
            if span is not None:
                span.end()


RECOMPUTES = RecomputeTracker()


# --------------------------------------------------------------------------
# Plug-ins


def failure_kind(result: IndicatorResult, error: BaseException | None) -> str:
    reason = result.reason or ""
    if "timed out after" in reason:
        return "timeout"
    if " refused: " in reason:
        return "refused"
    if "returned an invalid result" in reason:
        return "invalid_result"
    if error is not None:
        return "raised"
    return "failed"


class InstrumentedHost(IndicatorHost):
    """The SDK's host, measuring every evaluation: `jixiao.plugin.duration`
    and `jixiao.plugin.failures` per indicator."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meter = telemetry.meter(SCOPE)
        self._duration = telemetry.duration_histogram(meter, "jixiao.plugin.duration",
                                                      "Duration of one indicator plug-in evaluation")
        self._failures = meter.create_counter("jixiao.plugin.failures", unit="{evaluation}",
                                              description="Failed plug-in evaluations, by indicator and kind")

    def evaluate(self, code: str, inputs: IndicatorInput, *, spec: IndicatorSpec | None = None) -> IndicatorResult:
        evaluation = self.evaluate_detailed(code, inputs, spec=spec)  # spec: a generic indicator's configuration
        attributes = {"jixiao.indicator": str(code)}
        self._duration.record(evaluation.elapsed_s, attributes)
        if evaluation.result.status == "failed":
            self._failures.add(1, {**attributes, "jixiao.failure": failure_kind(evaluation.result, evaluation.error)})
        return evaluation.result


def host_class() -> type[IndicatorHost]:
    """The host to discover plug-ins with: measured when metrics are on."""
    return InstrumentedHost if telemetry.metering() else IndicatorHost


def watch_approved_code(service) -> None:
    """The gauge `jixiao.scoring.plugin_digest_mismatches`: active plug-in versions
    whose installed build differs from the approved one (their indicators fail);
    alert on anything above 0. Nothing when metrics are off."""
    if not telemetry.metering():
        return
    telemetry.meter(SCOPE).create_observable_gauge(
        "jixiao.scoring.plugin_digest_mismatches", unit="{plugin}",
        callbacks=[lambda options: [Observation(len(service.unapproved_plugins))]],
        description="Active plug-in versions whose installed code differs from the approved version")
