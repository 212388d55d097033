"""Ingest rate of the scoring consumer against the raw kafka-python consume
rate, and the cost of checking feed signatures, measured in the same run on
the same embedded broker.

    .venv/bin/python bench/ingest.py [--events N] [--database sqlite|postgresql] [--batch N] [--ingest-rounds N]

Makes a signing key per source of the demo scheme and publishes the first N
events of the demo year (default 40,000) twice: signed, as feeds send them
(docs/feeds.md), and unsigned to a topic of their own. (The whole signed year
does not fit the embedded broker, which keeps 5 MiB per partition and drops
the oldest records beyond; the script stops if it dropped any.) Then times,
on the signed records,
(1) a bare kafka-python consumer reading them, the best of --repeat reads
(the rate of one read of a city's year varies with a few fetch round trips),
and the same reads of the unsigned records (what the ~130 bytes of a
signature header cost kafka-python);
(2) scoring's consumer loop alone (MetricsConsumer: poll, hand the batch
over, commit its offsets) with a handler that stores nothing, the best of
--repeat too: the most any store can reach with this loop; and (3) scoring
as it runs in production, in this process: MetricsConsumer storing each
batch (`ScoringService.store`: validated, stored once, offsets committed
after) while the rescorer thread rescores what was stored, in a scratch
database (a SQLite file in a temporary folder by default), checking every
record's signature as scoring does by default (JIXIAO_FEED_SIGNATURES=required,
the keys as scoring holds them after its catalogue poll); and (4) the same
ingest of the unsigned records with the check off; and (5) both again with
no rescorer, the consumer storing alone (`store_alone`): the rescorer waits
up to 5 s while records wait on the topic, so at these sizes a slower store
lets a rescoring round fall inside the stored time, and the ratio of (3) to
(4) shows more than the check's cost. These take turns, --ingest-rounds times
each (then in reverse order, ...), each in a fresh database, and the best of
each counts: other work on the machine slows single runs down by more than
the difference measured.
Every consumer is timed from the end of its first batch, so joining the group
is not counted. The consumers run with the services' switch interval
(JIXIAO_SWITCH_INTERVAL_MS). Last, FeedVerifier alone checks signed records
in a loop (`verify_us_per_record`, the best of --repeat).

Prints one JSON object: `ingest_vs_raw_consume_ratio` (events stored and
committed per second against the raw consume rate; goal ≥ 0.7),
`consumer_loop_vs_raw_consume_ratio` (the loop with nothing stored),
`scored_vs_raw_consume_ratio` (until the last stored change is rescored),
`signed_vs_unsigned_ratio` (ingest with signatures checked against without)
and `verify_us_per_record`.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchkit import DATABASE_KINDS, emit, log, scratch_database
from kafka import KafkaConsumer, TopicPartition
from stack import record_headers

from jixiao.common import event_codec, kafka
from jixiao.common.feed_signing import FeedSigner
from jixiao.common.interpreter import set_switch_interval
from jixiao.embedded.broker import MockCluster
from jixiao.embedded.demo_feed import DEMO_SCHEME, demo_event_dicts
from jixiao.embedded.supervisor import scheme_sources
from jixiao.registry.domain.scheme import digest, parse_document
from jixiao.scoring.adapters.kafka_consumer import MetricsConsumer
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.feed_signatures import FeedVerifier, SourceKey
from jixiao.scoring.domain.records import BatchOutcome, IncomingRecord
from jixiao.scoring.entrypoints.rescorer import Rescorer
from jixiao_sdk import IndicatorHost
from jixiao_sdk.signing import SigningKey

TOPIC = "bench.metrics"
UNSIGNED_TOPIC = "bench.metrics.unsigned"
DEFAULT_EVENTS = 40_000  # the most of the demo year, in round thousands, that the embedded broker keeps signed
VERIFY_RECORDS = 5_000


def publish(bootstrap: str, topic: str, events: list[dict], signer: FeedSigner | None) -> None:
    """Sends the events as a feed does: protobuf, keyed by unit id, signed by `signer`
    unless it is None; stops if the broker did not keep them all. Every record is made
    (and signed) before the first is sent: a producer slowed down by signing would
    write smaller record batches (linger 5 ms), which every consumer reads slower."""
    records = []
    for data in events:
        event = event_codec.from_dict(data)
        key, value = event.unit_id.encode(), event_codec.encode(event)
        records.append((key, value, record_headers(signer, event, key, value)))
    producer = kafka.producer(bootstrap)
    for key, value, headers in records:
        producer.send(topic, value=value, key=key, headers=headers)
    producer.flush()
    producer.close()
    check_all_kept(bootstrap, topic)


def check_all_kept(bootstrap: str, topic: str) -> None:
    """The embedded broker keeps 5 MiB per partition and silently drops the oldest records beyond."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap.split(","))
    partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic)]
    dropped = sum(consumer.beginning_offsets(partitions).values())
    consumer.close()
    if dropped:
        raise SystemExit(f"the embedded broker dropped {dropped} records of {topic} (it keeps 5 MiB per "
                         f"partition): use fewer --events")


def feed_keys() -> tuple[FeedSigner, FeedVerifier]:
    """A signing key per source of the demo scheme, and a verifier that knows their public
    keys as scoring does once its catalogue poll has brought them from the registry."""
    keys = [SigningKey.generate(source) for source in scheme_sources(DEMO_SCHEME.read_text(encoding="utf-8"))]
    return FeedSigner(keys), FeedVerifier(SourceKey(k.key_id, k.source, k.public_key()) for k in keys)


def verify_seconds(verifier: FeedVerifier, signer: FeedSigner, events: list[dict]) -> tuple[float, int]:
    """Seconds for FeedVerifier alone to check the signed records of `events`, and how many."""
    records = []
    for data in events:
        event = event_codec.from_dict(data)
        key, value = event.unit_id.encode(), event_codec.encode(event)
        records.append((key, value, dict(record_headers(signer, event, key, value)), event.source))
    started = time.perf_counter()
    problems = [verifier.rejection(*record) for record in records]
    elapsed = time.perf_counter() - started
    if any(problems):
        raise SystemExit(f"a signed record does not verify: {next(p for p in problems if p)}")
    return elapsed, len(records)


def raw_consume_seconds(bootstrap: str, topic: str, count: int, group: str) -> tuple[float, int]:
    """Seconds to read the records after the first batch, and how many those were."""
    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap.split(","), group_id=group,
                             auto_offset_reset="earliest", enable_auto_commit=False)
    seen, started, first = 0, None, 0
    while seen < count:
        polled = sum(len(batch) for batch in consumer.poll(timeout_ms=500, max_records=2000).values())
        seen += polled
        if polled and started is None:  # time from the first record: joining the group is not consuming
            started, first = time.perf_counter(), polled
    elapsed = time.perf_counter() - started
    consumer.close()
    return elapsed, count - first


class BatchClock:
    """Wraps the consumer's handler: notes when the first batch ends and when
    `expected` records have been handled, without polling the database."""

    def __init__(self, handle, expected: int):
        self.handle = handle
        self.expected = expected
        self.handled = 0
        self.rejected: list[str] = []  # reasons; a benchmark that rejects records measures the wrong thing
        self.first: tuple[float, int] | None = None
        self.finished_at = 0.0
        self.finished = threading.Event()

    def __call__(self, records: list[IncomingRecord]) -> BatchOutcome:
        outcome = self.handle(records)
        now = time.perf_counter()
        self.handled += len(records)
        self.rejected += [r.reason for r in outcome.rejected]
        if self.first is None:
            self.first = (now, len(records))
        if self.handled >= self.expected and not self.finished.is_set():
            self.finished_at = now
            self.finished.set()
        return outcome


def consumer_loop_seconds(bootstrap: str, topic: str, count: int, batch: int, group: str) -> tuple[float, int]:
    """Seconds for scoring's consumer loop to go through the records after
    its first batch with a handler that stores nothing, and how many those were."""
    clock = BatchClock(lambda records: BatchOutcome(stored=len(records), duplicates=0, rejected=()), count)
    stop = threading.Event()
    consumer = MetricsConsumer(kafka.consumer(bootstrap, topic, group), kafka.dead_letter_producer(bootstrap),
                               "bench-dlq", clock, max_records=batch)
    thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    thread.start()
    clock.finished.wait()
    stop.set()
    thread.join()
    started, first = clock.first
    return clock.finished_at - started, count - first


def best_rate(measure, repeat: int) -> float:
    """The highest events/s of `repeat` runs of `measure(run)` -> (seconds, events)."""
    return max(events / seconds for seconds, events in (measure(run) for run in range(repeat)))


def ingest_seconds(bootstrap: str, topic: str, count: int, database_url: str, batch: int,
                   verifier: FeedVerifier | None, group: str, rescore: bool = True) -> tuple[float, float, int]:
    """Seconds to store the records after the first batch (checking their signatures
    with `verifier` unless it is None), seconds until they are all rescored too, and
    how many records those were. Without `rescore`, no rescorer runs: the store alone."""
    service = build_service(database_url, IndicatorHost.discover(), feed_verifier=verifier)
    document = parse_document(DEMO_SCHEME.read_text(encoding="utf-8"))
    service.adopt_scheme(document, 1, digest(document))
    rescorer = Rescorer(service)

    clock = BatchClock(service.store, count)
    stop = threading.Event()
    consumer = MetricsConsumer(kafka.consumer(bootstrap, topic, group),
                               kafka.dead_letter_producer(bootstrap), "bench-dlq", clock, max_records=batch,
                               after_batch=lambda lag: rescorer.notify(backlog=lag > 0))  # as bootstrap wires it
    threads = [threading.Thread(target=consumer.run, args=(stop,), daemon=True)]
    if rescore:
        threads.append(threading.Thread(target=rescorer.run, args=(stop,), daemon=True))
    for thread in threads:
        thread.start()
    clock.finished.wait()
    while rescore and service.repository.pending_count():
        time.sleep(0.05)
    scored_at = time.perf_counter() if rescore else clock.finished_at
    stop.set()
    for thread in threads:
        thread.join()
    service.engine.dispose()
    if clock.rejected:
        raise SystemExit(f"{len(clock.rejected)} records of {topic} rejected, e.g. {clock.rejected[0]}")
    started, first = clock.first
    return clock.finished_at - started, scored_at - started, count - first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=DEFAULT_EVENTS,
                        help=f"events of the demo year to use (default {DEFAULT_EVENTS:,}; 0: all, which the "
                             "embedded broker does not keep signed)")
    parser.add_argument("--database", choices=DATABASE_KINDS, default="sqlite", help="kind of scratch database")
    parser.add_argument("--batch", type=int, default=2000, help="consumer batch size")
    parser.add_argument("--repeat", type=int, default=3,
                        help="reads of the bare consumer, the loop alone and the verifier alone, best kept")
    parser.add_argument("--ingest-rounds", type=int, default=2,
                        help="ingests of the signed and of the unsigned records, taking turns; best kept")
    options = parser.parse_args(argv)
    events = demo_event_dicts()
    events = events[: options.events] if options.events else events
    signer, verifier = feed_keys()
    cluster = MockCluster()
    log(f"publishing {len(events)} events, signed and unsigned")
    publish(cluster.bootstrap, TOPIC, events, signer)
    publish(cluster.bootstrap, UNSIGNED_TOPIC, events, None)
    # Only now, as run_service does in scoring: the publishing above stands for feeds,
    # other processes; at 0.5 ms its producer's sender thread would run more often
    # and write record batches a fraction of the size (read ~2x slower by every consumer).
    set_switch_interval(os.environ)
    raw_rate = best_rate(lambda run: raw_consume_seconds(cluster.bootstrap, TOPIC, len(events), f"bench-raw-{run}"),
                         options.repeat)
    raw_unsigned_rate = best_rate(lambda run: raw_consume_seconds(cluster.bootstrap, UNSIGNED_TOPIC, len(events),
                                                                  f"bench-raw-unsigned-{run}"), options.repeat)
    loop_rate = best_rate(lambda run: consumer_loop_seconds(cluster.bootstrap, TOPIC, len(events), options.batch,
                                                            f"bench-loop-{run}"), options.repeat)
    log(f"raw consume: {raw_rate:.0f} events/s ({raw_unsigned_rate:.0f} unsigned); "
        f"consumer loop storing nothing: {loop_rate:.0f} events/s; ingesting, signed and unsigned in turns")
    # Each case with the rescorer, as scoring runs, and without it (the store alone: the
    # rescorer waits up to 5 s while records wait, so whether a run's storing lasts longer
    # than that decides whether a rescoring round falls inside it).
    cases = [(name, topic, check, rescore) for rescore in (True, False)
             for name, topic, check in (("unsigned", UNSIGNED_TOPIC, None), ("signed", TOPIC, verifier))]
    rates: dict[tuple[str, bool], list[tuple[float, float]]] = {(name, rescore): [] for name, _, _, rescore in cases}
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp:
        for turn in range(options.ingest_rounds):
            for number, (name, topic, check, rescore) in enumerate(cases if turn % 2 == 0 else cases[::-1]):
                label = name if rescore else f"{name}, store alone"
                with scratch_database(options.database, Path(tmp), f"ingest_{turn}_{number}") as url:
                    stored, scored, count = ingest_seconds(cluster.bootstrap, topic, len(events), url, options.batch,
                                                           check, f"bench-ingest-{turn}-{number}", rescore)
                rates[name, rescore].append((count / stored, count / scored))
                log(f"ingest {label}: {count / stored:.0f} events/s stored, {count / scored:.0f} events/s scored")
    cluster.close()
    best = {case: (max(r[0] for r in runs), max(r[1] for r in runs)) for case, runs in rates.items()}
    ingested = {name: best[name, True] for name in ("signed", "unsigned")}
    store_alone = {name: best[name, False][0] for name in ("signed", "unsigned")}
    verify_s, verified = min(verify_seconds(verifier, signer, events[:VERIFY_RECORDS]) for _ in range(options.repeat))
    (ingest_rate, scored_rate), (unsigned_rate, unsigned_scored_rate) = ingested["signed"], ingested["unsigned"]
    emit({
        "benchmark": "ingest",
        "events": len(events),
        "database": options.database,
        "batch": options.batch,
        "signatures": "required",
        "ingest_rounds": options.ingest_rounds,
        "raw_consume_events_per_s": round(raw_rate, 1),
        "consumer_loop_events_per_s": round(loop_rate, 1),
        "consumer_loop_vs_raw_consume_ratio": round(loop_rate / raw_rate, 3),
        "ingest_events_per_s": round(ingest_rate, 1),
        "ingest_vs_raw_consume_ratio": round(ingest_rate / raw_rate, 3),
        "scored_events_per_s": round(scored_rate, 1),
        "scored_vs_raw_consume_ratio": round(scored_rate / raw_rate, 3),
        "unsigned": {"raw_consume_events_per_s": round(raw_unsigned_rate, 1),
                     "ingest_events_per_s": round(unsigned_rate, 1),
                     "scored_events_per_s": round(unsigned_scored_rate, 1)},
        "signed_vs_unsigned_ratio": round(ingest_rate / unsigned_rate, 3),
        "scored_signed_vs_unsigned_ratio": round(scored_rate / unsigned_scored_rate, 3),
        "raw_consume_signed_vs_unsigned_ratio": round(raw_rate / raw_unsigned_rate, 3),
        "store_alone": {"signed_events_per_s": round(store_alone["signed"], 1),
                        "unsigned_events_per_s": round(store_alone["unsigned"], 1),
                        "signed_vs_unsigned_ratio": round(store_alone["signed"] / store_alone["unsigned"], 3)},
        "verify_us_per_record": round(verify_s / verified * 1e6, 1),
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
