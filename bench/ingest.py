"""Ingest rate of the scoring consumer against the raw kafka-python consume
rate, measured in the same run on the same embedded broker.

    .venv/bin/python bench/ingest.py [--events N] [--database sqlite|postgresql] [--batch N]

Publishes the first N events of the demo year (default: all), then times
(1) a bare kafka-python consumer reading them, the best of --repeat reads
(the rate of one read of a city's year varies with a few fetch round trips);
(2) scoring's consumer loop alone (MetricsConsumer: poll, hand the batch
over, commit its offsets) with a handler that stores nothing, the best of
--repeat too: the most any store can reach with this loop; and (3) scoring
as it runs in production, in this process: MetricsConsumer storing each
batch (`ScoringService.store`: validated, stored once, offsets committed
after) while the rescorer thread rescores what was stored, in a scratch
database (a SQLite file in a temporary folder by default). Every consumer is
timed from the end of its first batch, so joining the group is not counted.
The consumers run with the services' switch interval (JIXIAO_SWITCH_INTERVAL_MS).

Prints one JSON object: `ingest_vs_raw_consume_ratio` (events stored and
committed per second against the raw consume rate; goal ≥ 0.7),
`consumer_loop_vs_raw_consume_ratio` (the loop with nothing stored) and
`scored_vs_raw_consume_ratio` (until the last stored change is rescored).
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
from kafka import KafkaConsumer

from jixiao.common import event_codec, kafka
from jixiao.common.interpreter import set_switch_interval
from jixiao.embedded.broker import MockCluster
from jixiao.embedded.demo_feed import DEMO_SCHEME, demo_event_dicts
from jixiao.registry.domain.scheme import digest, parse_document
from jixiao.scoring.adapters.kafka_consumer import MetricsConsumer
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.rescorer import Rescorer
from jixiao.scoring.service import BatchOutcome, IncomingRecord
from jixiao_sdk import IndicatorHost

TOPIC = "bench.metrics"


def publish(bootstrap: str, topic: str, events: list[dict]) -> None:
    """Sends the events as a feed does: protobuf, keyed by unit id."""
    producer = kafka.producer(bootstrap)
    for data in events:
        event = event_codec.from_dict(data)
        producer.send(topic, value=event_codec.encode(event), key=event.unit_id.encode(),
                      headers=[("content-type", event_codec.PROTOBUF.encode())])
    producer.flush()
    producer.close()


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
        self.first: tuple[float, int] | None = None
        self.finished_at = 0.0
        self.finished = threading.Event()

    def __call__(self, records: list[IncomingRecord]) -> BatchOutcome:
        outcome = self.handle(records)
        now = time.perf_counter()
        self.handled += len(records)
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


def ingest_seconds(bootstrap: str, topic: str, count: int, database_url: str, batch: int) -> tuple[float, float, int]:
    """Seconds to store the records after the first batch, seconds until they
    are all rescored too, and how many records those were."""
    service = build_service(database_url, IndicatorHost.discover())
    document = parse_document(DEMO_SCHEME.read_text(encoding="utf-8"))
    service.adopt_scheme(document, 1, digest(document))
    rescorer = Rescorer(service)

    clock = BatchClock(service.store, count)
    stop = threading.Event()
    consumer = MetricsConsumer(kafka.consumer(bootstrap, topic, "bench-ingest"), kafka.dead_letter_producer(bootstrap),
                               "bench-dlq", clock, max_records=batch,
                               after_batch=lambda lag: rescorer.notify(backlog=lag > 0))  # as bootstrap wires it
    threads = [threading.Thread(target=consumer.run, args=(stop,), daemon=True),
               threading.Thread(target=rescorer.run, args=(stop,), daemon=True)]
    for thread in threads:
        thread.start()
    clock.finished.wait()
    while service.repository.pending_count():
        time.sleep(0.05)
    scored_at = time.perf_counter()
    stop.set()
    for thread in threads:
        thread.join()
    service.engine.dispose()
    started, first = clock.first
    return clock.finished_at - started, scored_at - started, count - first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=0, help="events to use (default: the whole demo year)")
    parser.add_argument("--database", choices=DATABASE_KINDS, default="sqlite", help="kind of scratch database")
    parser.add_argument("--batch", type=int, default=2000, help="consumer batch size")
    parser.add_argument("--repeat", type=int, default=3, help="reads of the bare consumer and the loop alone, best kept")
    options = parser.parse_args(argv)
    events = demo_event_dicts()
    events = events[: options.events] if options.events else events
    cluster = MockCluster()
    log(f"publishing {len(events)} events")
    publish(cluster.bootstrap, TOPIC, events)
    # Only now, as run_service does in scoring: the publishing above stands for feeds,
    # other processes; at 0.5 ms its producer's sender thread would run more often
    # and write record batches a fraction of the size (read ~2x slower by every consumer).
    set_switch_interval(os.environ)
    raw_rate = best_rate(lambda run: raw_consume_seconds(cluster.bootstrap, TOPIC, len(events), f"bench-raw-{run}"),
                         options.repeat)
    loop_rate = best_rate(lambda run: consumer_loop_seconds(cluster.bootstrap, TOPIC, len(events), options.batch,
                                                            f"bench-loop-{run}"), options.repeat)
    log(f"raw consume: {raw_rate:.0f} events/s; consumer loop storing nothing: {loop_rate:.0f} events/s; ingesting")
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp, \
            scratch_database(options.database, Path(tmp), "ingest") as url:
        stored, scored, ingested = ingest_seconds(cluster.bootstrap, TOPIC, len(events), url, options.batch)
    cluster.close()
    emit({
        "benchmark": "ingest",
        "events": len(events),
        "database": options.database,
        "batch": options.batch,
        "raw_consume_events_per_s": round(raw_rate, 1),
        "consumer_loop_events_per_s": round(loop_rate, 1),
        "consumer_loop_vs_raw_consume_ratio": round(loop_rate / raw_rate, 3),
        "ingest_events_per_s": round(ingested / stored, 1),
        "ingest_vs_raw_consume_ratio": round(ingested / stored / raw_rate, 3),
        "scored_events_per_s": round(ingested / scored, 1),
        "scored_vs_raw_consume_ratio": round(ingested / scored / raw_rate, 3),
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
