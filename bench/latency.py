"""Publish-to-visible latency: from a feed's producer send until the event is
readable through the gateway, with the platform running.

    .venv/bin/python bench/latency.py [--count N] [--rate R] [--preload N] [--database sqlite|postgresql] [--unsigned]

Starts the embedded broker, the registry (demo city published), one scoring
process and the gateway, as `jixiao up` does; streams the demo year through
Kafka first (--preload, default all of it) so that scoring works on a full
year. Then sends N single events (default 1,000) at R events/s (default
10): a deterministic sample of the demo year drawn with another seed, so
new ids in the demo's mix of metrics. Every record is signed with its
source's key, made through the registry as `jixiao up` does, and scoring
checks it (--unsigned, for comparison only: neither). An event counts as visible when
`GET /api/v1/events/{id}` answers 200: scoring stores an event and rescoring
what it touches in one transaction, so the unit's scores have moved by
then too. A single watcher polls the gateway for every event in flight.

The baseline measured in the same run is a bare kafka-python consumer in
its own group on the same topic: the time from send until it receives the
record. Prints one JSON object with p50/p99/max in milliseconds.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml
from benchkit import DATABASE_KINDS, children, emit, log, percentile, scratch_database
from kafka import KafkaConsumer
from stack import (
    consuming,
    new_stack,
    preload,
    record_headers,
    start_gateway,
    start_registry,
    start_scoring,
    wait_serving,
)

from jixiao.common import event_codec, kafka
from jixiao.demo.build_city import DEFAULT_SEED
from jixiao.demo.events import demo_events
from jixiao.embedded.broker import MockCluster
from jixiao.embedded.demo_feed import DEMO_SCHEME, demo_event_dicts

TOPIC = "bench.latency"
POLL_PAUSE_SECONDS = 0.005  # between watcher rounds
VISIBLE_TIMEOUT_SECONDS = 60.0


class Ledger:
    """Send times and observed times of events, shared between threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sent: dict[str, float] = {}
        self.seen: dict[str, float] = {}

    def send(self, event_id: str) -> None:
        with self.lock:
            self.sent[event_id] = time.perf_counter()

    def see(self, event_id: str) -> None:
        now = time.perf_counter()
        with self.lock:
            if event_id in self.sent and event_id not in self.seen:
                self.seen[event_id] = now

    def in_flight(self) -> list[str]:
        with self.lock:
            return [e for e in self.sent if e not in self.seen]

    def latencies_ms(self) -> list[float]:
        with self.lock:
            return sorted((self.seen[e] - self.sent[e]) * 1000 for e in self.seen)


def sample_events(count: int) -> list[dict]:
    """`count` events of the demo year drawn with the next seed: new ids, the demo's mix."""
    city = yaml.load(DEMO_SCHEME.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    events = list(demo_events(city, DEFAULT_SEED + 1))
    return random.Random(0).sample(events, count)


def watch_gateway(gateway_url: str, token: str, ledger: Ledger, done: threading.Event, rounds: list[float]) -> None:
    """Polls the gateway for every event in flight, round after round, until `done`."""
    while not done.is_set():
        started = time.perf_counter()
        flying = ledger.in_flight()
        for event_id in flying:
            if _readable(f"{gateway_url}/api/v1/events/{event_id}", token):
                ledger.see(event_id)
        if flying:
            rounds.append(time.perf_counter() - started)
        time.sleep(POLL_PAUSE_SECONDS)


def _readable(url: str, token: str) -> bool:
    """200: stored; 404: not yet. The office's token: the event's period is not published."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status == 200
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return False
        raise


def raw_consumer(bootstrap: str) -> KafkaConsumer:
    """A bare consumer in its own group, positioned at the end of the topic."""
    consumer = KafkaConsumer(TOPIC, bootstrap_servers=bootstrap.split(","), group_id="bench-latency-raw",
                             auto_offset_reset="latest", enable_auto_commit=False)
    while not consumer.assignment():
        consumer.poll(timeout_ms=200)
    for partition in consumer.assignment():
        consumer.position(partition)  # fixes "latest" now, before anything is sent
    return consumer


def watch_raw(consumer: KafkaConsumer, ledger: Ledger, done: threading.Event) -> None:
    while not done.is_set():
        for records in consumer.poll(timeout_ms=100).values():
            for record in records:
                ledger.see(event_codec.decode(record.value, event_codec.PROTOBUF).event_id)
    consumer.close()


def send_paced(bootstrap: str, events: list[dict], rate: float, ledgers: list[Ledger], signer) -> None:
    """Sends one event every 1/rate seconds (on a fixed schedule), as protobuf keyed by unit,
    signed by `signer` (a FeedSigner, None: unsigned) before its send time is noted."""
    producer = kafka.producer(bootstrap)
    start = time.perf_counter()
    for number, data in enumerate(events):
        time.sleep(max(0.0, start + number / rate - time.perf_counter()))
        event = event_codec.from_dict(data)
        key, value = event.unit_id.encode(), event_codec.encode(event)
        headers = record_headers(signer, event, key, value)
        for ledger in ledgers:
            ledger.send(event.event_id)
        producer.send(TOPIC, value=value, key=key, headers=headers)
        if (number + 1) % 100 == 0:
            log(f"  sent {number + 1}/{len(events)}")
    producer.flush()
    producer.close()


def wait_all_seen(ledgers: list[Ledger], alive) -> None:
    deadline = time.monotonic() + VISIBLE_TIMEOUT_SECONDS
    while any(ledger.in_flight() for ledger in ledgers) and time.monotonic() < deadline and alive():
        time.sleep(0.1)


def summary(latencies: list[float]) -> dict:
    if not latencies:
        return {"count": 0}
    return {"p50": round(percentile(latencies, 0.5), 1), "p99": round(percentile(latencies, 0.99), 1),
            "max": round(latencies[-1], 1), "mean": round(sum(latencies) / len(latencies), 1),
            "count": len(latencies)}


def measure(bootstrap: str, gateway_url: str, token: str, events: list[dict], rate: float,
            alive, signer) -> tuple[Ledger, Ledger, list]:
    """Sends the events while the gateway watcher and the raw consumer note when each shows up."""
    visible, raw, rounds, done = Ledger(), Ledger(), [], threading.Event()
    watchers = [threading.Thread(target=watch_gateway, args=(gateway_url, token, visible, done, rounds), daemon=True),
                threading.Thread(target=watch_raw, args=(raw_consumer(bootstrap), raw, done), daemon=True)]
    for watcher in watchers:
        watcher.start()
    send_paced(bootstrap, events, rate, [visible, raw], signer)
    wait_all_seen([visible, raw], alive)
    done.set()
    for watcher in watchers:
        watcher.join()
    return visible, raw, rounds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="events to time")
    parser.add_argument("--rate", type=float, default=10.0, help="events sent per second")
    parser.add_argument("--preload", type=int, default=None, help="demo events streamed first (default: the whole year)")
    parser.add_argument("--database", choices=DATABASE_KINDS, default="sqlite", help="kind of scoring database")
    parser.add_argument("--unsigned", action="store_true",
                        help="send unsigned records, scoring's check off: for comparison only")
    options = parser.parse_args(argv)
    events = sample_events(options.count)
    cluster = MockCluster()
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp, \
            scratch_database(options.database, Path(tmp), "latency") as url, children() as started:
        stack = start_registry(new_stack(Path(tmp), cluster.bootstrap, signed=not options.unsigned), started)
        scoring, address = start_scoring(stack, started, consuming(url, TOPIC, "bench-latency"))
        wait_serving(scoring, address)
        gateway_url = start_gateway(stack, started, address)
        preloaded = preload(stack, TOPIC, address, scoring.alive, demo_event_dicts()[:options.preload]) \
            if options.preload != 0 else 0
        log(f"sending {len(events)} events at {options.rate:g}/s")
        visible, raw, rounds = measure(cluster.bootstrap, gateway_url, stack.office_token, events, options.rate,
                                       scoring.alive, stack.signer)
        scoring_rss = scoring.peak_rss_mib()
    cluster.close()
    shown, received = visible.latencies_ms(), raw.latencies_ms()
    emit({
        "benchmark": "latency",
        "database": options.database,
        "signatures": "off" if options.unsigned else "required",
        "preloaded_events": preloaded,
        "events": len(events),
        "rate_per_s": options.rate,
        "visible_ms": summary(shown),
        "not_visible_within_s": {"timeout": VISIBLE_TIMEOUT_SECONDS, "count": len(events) - len(shown)},
        "raw_consume_ms": summary(received),
        "visible_vs_raw_consume_p50_ratio": round(percentile(shown, 0.5) / percentile(received, 0.5), 1)
        if shown and received else None,
        "watcher_round_ms_mean": round(1000 * sum(rounds) / max(1, len(rounds)), 1),
        "scoring_peak_rss_mib": scoring_rss,
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
