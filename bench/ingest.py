"""Ingest rate of the scoring consumer against the raw kafka-python consume
rate, measured in the same run on the same embedded broker.

    .venv/bin/python bench/ingest.py [--events N] [--database-url URL]

Publishes the first N events of the demo year, then times (1) a bare
kafka-python consumer reading them and (2) the scoring consumer storing
and scoring them (SQLite in a temporary folder by default). Prints one JSON
object; `ingest_vs_raw_consume_ratio` is the figure to watch (goal ≥ 0.7).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

from kafka import KafkaConsumer

from jixiao.common import event_codec, kafka
from jixiao.embedded.broker import MockCluster
from jixiao.embedded.demo_feed import DEMO_SCHEME, demo_event_dicts
from jixiao.registry.domain.scheme import digest, parse_document
from jixiao.scoring.adapters.kafka_consumer import MetricsConsumer
from jixiao.scoring.bootstrap import build_service
from jixiao_sdk import IndicatorHost


def publish(bootstrap: str, topic: str, events: list[dict]) -> None:
    producer = kafka.producer(bootstrap)
    for data in events:
        event = event_codec.from_dict(data)
        producer.send(topic, value=event_codec.encode(event), key=event.unit_id.encode(),
                      headers=[("content-type", event_codec.PROTOBUF.encode())])
    producer.flush()
    producer.close()


def raw_consume_seconds(bootstrap: str, topic: str, count: int) -> tuple[float, int]:
    """Seconds to read the records after the first batch, and how many those were."""
    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap.split(","), group_id="bench-raw",
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


def ingest_seconds(bootstrap: str, topic: str, count: int, database_url: str, batch: int) -> tuple[float, int]:
    """Seconds to store and score the records after the first batch, and how many those were."""
    service = build_service(database_url, IndicatorHost.discover())
    document = parse_document(DEMO_SCHEME.read_text(encoding="utf-8"))
    service.adopt_scheme(document, 1, digest(document))
    stop = threading.Event()
    consumer = MetricsConsumer(kafka.consumer(bootstrap, topic, "bench-ingest"), kafka.producer(bootstrap),
                               "bench-dlq", service.ingest, max_records=batch)
    thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    thread.start()
    started = None
    while True:
        counts = service.ingest_counts()
        done = counts["events_stored"] + counts["duplicates"] + counts["rejected"]
        if done and started is None:  # from the first stored batch, as for the raw consumer
            started, first = time.perf_counter(), done
        if done >= count:
            break
        time.sleep(0.01)
    elapsed = time.perf_counter() - started
    stop.set()
    thread.join()
    return elapsed, count - first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=0, help="events to use (default: the whole demo year)")
    parser.add_argument("--database-url", default="", help="scoring database (default: SQLite in a temp folder)")
    parser.add_argument("--batch", type=int, default=2000, help="consumer batch size")
    options = parser.parse_args(argv)
    events = demo_event_dicts()
    events = events[: options.events] if options.events else events
    cluster = MockCluster()
    topic = "bench.metrics"
    print(f"publishing {len(events)} events", file=sys.stderr)
    publish(cluster.bootstrap, topic, events)
    raw, consumed = raw_consume_seconds(cluster.bootstrap, topic, len(events))
    print(f"raw consume: {raw:.2f} s; ingesting", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        url = options.database_url or f"sqlite:///{Path(tmp) / 'scoring.db'}"
        ingest, ingested = ingest_seconds(cluster.bootstrap, topic, len(events), url, options.batch)
    result = {
        "benchmark": "ingest",
        "events": len(events),
        "database": url.split(":", 1)[0],
        "raw_consume_events_per_s": round(consumed / raw, 1),
        "ingest_events_per_s": round(ingested / ingest, 1),
        "ingest_vs_raw_consume_ratio": round((ingested / ingest) / (consumed / raw), 3),
    }
    print(json.dumps(result))
    cluster.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
