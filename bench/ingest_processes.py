"""One scoring process against two sharing the topic's partitions, on
PostgreSQL, with the raw kafka-python consume rate as the baseline; all on
the same embedded broker, the same events, in the same run.

    .venv/bin/python bench/ingest_processes.py [--events N] [--batch N] [--unsigned]

Uses the first N events of the demo year (default: all). Times a bare
kafka-python consumer reading them (at most the first 40,000: the embedded
broker keeps no more of them signed), then runs real scoring processes
(`python -m jixiao.scoring`, a registry beside them) in two
configurations, each with its own topic, consumer group and scratch
PostgreSQL database: one process, then two processes in one group. Each
configuration starts its processes, waits until all serve and the group
has settled, and only then publishes the events (keyed by unit and signed
with their source's key, as feeds do; --unsigned, for comparison only, sends
them unsigned and switches scoring's check off), so the figure is the steady
sharing of the partitions, not start-up. The publisher keeps at most
demo_feed.MAX_BACKLOG records unstored, as `jixiao up` does: the embedded
broker keeps 5 MiB per partition, less than a signed demo year. The rate is
timed from the first stored event to the last, polling the distinct stored
events (a rebalance may redeliver some). Prints one JSON object;
`two_vs_one_ratio` is the scaling figure.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from benchkit import children, emit, log, scratch_database
from ingest import DEFAULT_EVENTS, TOPIC, publish, raw_consume_seconds
from sqlalchemy import create_engine, func, select
from stack import consuming, new_stack, start_registry, start_scoring, wait_serving

from jixiao.embedded import demo_feed
from jixiao.embedded.broker import MockCluster
from jixiao.embedded.demo_feed import demo_event_dicts
from jixiao.scoring.adapters.sql_schema import events as events_table

SETTLE_SECONDS = 5.0  # after every process serves: the group's last rebalance ends
POLL_SECONDS = 0.1
TIMEOUT_SECONDS = 1800


def stored_events(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(events_table)).scalar_one()


def time_storing(engine, count: int, processes: list) -> tuple[float, int]:
    """Seconds from the first stored event until `count` are stored, and how many came after the first poll."""
    deadline = time.monotonic() + TIMEOUT_SECONDS
    started, first = None, 0
    while (stored := stored_events(engine)) < count:
        if started is None and stored:
            started, first = time.perf_counter(), stored
        if time.monotonic() > deadline or not all(p.alive() for p in processes):
            raise SystemExit(f"only {stored} of {count} events stored; scoring log:\n{processes[0].log_tail()}")
        time.sleep(POLL_SECONDS)
    return time.perf_counter() - started, count - first


def scoring_rate(stack, started: list, processes: int, events: list[dict], batch: int) -> dict:
    """Events/s of `processes` scoring processes in one group, and each one's peak memory."""
    topic = f"{TOPIC}.{processes}"
    with scratch_database("postgresql", stack.folder, f"scoring{processes}") as url:
        settings = {**consuming(url, topic, f"bench-{processes}-{uuid.uuid4().hex[:6]}", "bench.dlq"),
                    "JIXIAO_CONSUMER_BATCH": str(batch)}
        scorers = [start_scoring(stack, started, settings) for _ in range(processes)]
        engine = create_engine(url)
        try:
            for scorer, address in scorers:
                wait_serving(scorer, address)
            time.sleep(SETTLE_SECONDS)
            log(f"{processes} scoring process(es) serving; publishing")
            stop = threading.Event()

            def within_backlog(sent: int) -> None:  # waits while too many records are not stored yet
                while sent - stored_events(engine) > demo_feed.MAX_BACKLOG and not stop.wait(0.5):
                    pass

            publisher = threading.Thread(target=demo_feed.publish, daemon=True, args=(
                stack.env["JIXIAO_KAFKA_BOOTSTRAP"], topic, events, log, stop, stack.signer, within_backlog))
            publisher.start()
            try:
                seconds, timed = time_storing(engine, len(events), [s for s, _ in scorers])
            finally:
                stop.set()
                publisher.join()
            memory = [s.peak_rss_mib() for s, _ in scorers]
        finally:
            for scorer, _ in scorers:
                scorer.stop()
            engine.dispose()
    log(f"{processes} process(es): {timed / seconds:.0f} events/s")
    return {"events_per_s": round(timed / seconds, 1), "peak_rss_mib": memory}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=0, help="events to use (default: the whole demo year)")
    parser.add_argument("--batch", type=int, default=2000, help="JIXIAO_CONSUMER_BATCH of the scoring processes")
    parser.add_argument("--unsigned", action="store_true",
                        help="publish unsigned records, scoring's check off: for comparison only")
    options = parser.parse_args(argv)
    events = demo_event_dicts()
    events = events[: options.events] if options.events else events
    cluster = MockCluster()
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp, children() as started:
        stack = start_registry(new_stack(Path(tmp), cluster.bootstrap, signed=not options.unsigned), started)
        # The baseline reads the same records as scoring: signed with the registry's keys.
        # At most DEFAULT_EVENTS of them, which the embedded broker keeps whole.
        sample = events[:DEFAULT_EVENTS]
        log(f"publishing {len(sample)} events for the bare consumer")
        publish(cluster.bootstrap, TOPIC, sample, stack.signer)
        raw, consumed = raw_consume_seconds(cluster.bootstrap, TOPIC, len(sample), "bench-raw")
        raw_rate = consumed / raw
        log(f"raw consume: {raw_rate:.0f} events/s")
        one = scoring_rate(stack, started, 1, events, options.batch)
        two = scoring_rate(stack, started, 2, events, options.batch)
    cluster.close()
    emit({
        "benchmark": "ingest_processes",
        "events": len(events),
        "database": "postgresql",
        "batch": options.batch,
        "signatures": "off" if options.unsigned else "required",
        "raw_consume_events_per_s": round(raw_rate, 1),
        "one_process": one,
        "two_processes": two,
        "two_vs_one_ratio": round(two["events_per_s"] / one["events_per_s"], 3),
        "one_process_vs_raw_consume_ratio": round(one["events_per_s"] / raw_rate, 3),
        "two_processes_vs_raw_consume_ratio": round(two["events_per_s"] / raw_rate, 3),
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
