"""Sustained load: metric events streamed at a steady rate for many minutes
while the gateway serves concurrent reads, with the platform running.

    .venv/bin/python bench/load.py [--minutes 10] [--warmup-minutes 0] [--cache-events N] [--rate 350] [--readers 8] [--office-readers 1]
                                   [--database sqlite|postgresql] [--unsigned]

Starts the embedded broker, the registry (demo city published), one scoring
process and the gateway, each `python -m jixiao.<service>`, as `jixiao up`
does. Preloads the first --preload demo events (default 5,000) and has the
office publish 2026-01, so that the public has something to read. Then:

1. At rest (--rest-seconds, default 30): the reader threads alone, for the
   baseline read latency of the same requests with no ingest.
2. Under load (--minutes, default 10), after an optional warm-up of the
   same load (--warmup-minutes, default 0): a producer sends demo events (the
   demo year under seeds 2027, 2028, … but January, published by then: new
   ids, the demo's mix of metrics, keyed by unit, each signed with its
   source's key, which scoring checks; --unsigned, for comparison only:
   unsigned and not checked) on a fixed schedule at
   --rate events/s (default 350: on the 2-core development machine, with
   this script, the broker and the gateway's readers on the same cores,
   scoring consumed about 425 events/s under this read load, and ~2,000
   alone in bench/ingest.py; above what it consumes the lag grows until
   the broker's size cap drops records), while the readers go on, each sending its next
   request as soon as the last is answered. The public readers (--readers)
   loop over the published 2026-01 (rankings, a unit, grades, bulletin,
   progress, regions — cached by the gateway for 30 s); the office readers
   (--office-readers) over the open month being filled (rankings, a unit,
   the year's ranking, ingest counters — each a call to scoring, which
   computes the answer from its database). One office reader back to back
   is some 30 requests a second, more than an evaluation office's staff
   send; every office reader takes a share of scoring's one interpreter
   from its consumer (docs: RELIABILITY.md, section 5).
   Scoring's memory grows until its cache of events is full
   (JIXIAO_SCORING_CACHE_EVENTS, 50,000 by default, --cache-events here):
   a warm-up, or a smaller cache, shows whether it is flat after that.
3. Drain: the producer stops; the time until scoring has consumed every
   record and rescored everything.

The resident set size (VmRSS) of the scoring, gateway and registry processes
is sampled every 5 s: start (when the load begins), end (when it stops),
max, and the slope over the second half of the load in MiB per minute (a
flat memory is ~0). The embedded broker keeps at most 5 MiB per partition:
when scoring falls that far behind, the oldest records are gone before it
reads them (a signed record is ~130 bytes longer, so fewer fit);
`ingest.lost` counts records published but never consumed, `ingest.rejected`
those scoring sent to the dead-letter topic.

Prints one JSON object: ingest rate asked, published and consumed; read
p50/p99/max at rest and under load, overall and public/office; RSS; errors
(reads that were not 200, ingest failures, lost records) with examples.
"""
from __future__ import annotations

import argparse
import itertools
import random
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import grpc
import yaml
from benchkit import DATABASE_KINDS, children, emit, log, memory_mib, percentile, scratch_database
from province import CODE as PROVINCE_CODE
from province import province_scheme, regions_for, unit_streams
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
from jixiao.common.auth import call_credentials
from jixiao.demo.build_city import DEFAULT_SEED
from jixiao.demo.events import demo_events
from jixiao.embedded.broker import MockCluster
from jixiao.embedded.demo_feed import DEMO_SCHEME, DEMO_SCHEME_CODE, consumed, demo_event_dicts, ingest_status
from jixiao.v1 import scoring_pb2, scoring_pb2_grpc

TOPIC = "bench.load"
RSS_EVERY_SECONDS = 5.0
DRAIN_TIMEOUT_SECONDS = 1800
STALL_SECONDS = 60  # the drain ends when nothing more is consumed for this long
FIRST_QUARTER_REPORTS = 36  # a region's monthly reports of three months; a department's fewer


# -- the events ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Workload:
    """What a run publishes and reads: a scheme, the events streamed before
    the load (January's, which the office then publishes), an endless supply
    of new events after January, and the units the readers ask for."""

    scheme_code: str
    scheme_text: str
    units: int
    before: list[dict]
    stream: Callable[[], Iterator[dict]]
    public_unit: str
    office_unit: str


def demo_workload(preload: int) -> Workload:
    """The demo city: 108 units, so a few minutes of load add years of events to each."""
    city = yaml.load(DEMO_SCHEME.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

    def fresh_events() -> Iterator[dict]:
        """The demo year under seeds 2027, 2028, …: new ids, valid events, January's left out."""
        return (event for seed in itertools.count(DEFAULT_SEED + 1) for event in demo_events(city, seed)
                if not _in_january(event))

    return Workload(DEMO_SCHEME_CODE, DEMO_SCHEME.read_text(encoding="utf-8"), len(city["units"]),
                    demo_event_dicts()[:preload], fresh_events, public_unit="U-R01", office_unit="U-R02")


def province_workload(scale: float) -> Workload:
    """The synthetic province of bench/province.py at `scale` (0.1: 10 regions,
    1,000 units, 10,000 leaders): units receive events in turn, so a unit's
    year grows as a year's reports would, not by a city's year a minute.
    Before the load, every unit's reports of January to March (the first of
    its stream), so that the office's open month has scores to read."""
    demo = yaml.load(DEMO_SCHEME.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    document = province_scheme(regions_for(scale), demo)
    before = [event for stream in unit_streams(document) for event in itertools.islice(stream, FIRST_QUARTER_REPORTS)
              if event["period"] <= "2026-03"]
    sent = {event["event_id"] for event in before}

    def fresh_events() -> Iterator[dict]:
        rounds = zip(*unit_streams(document), strict=False)  # endless streams
        return (event for round_ in rounds for event in round_ if not _in_january(event) and event["event_id"] not in sent)

    return Workload(PROVINCE_CODE, yaml.safe_dump(document, allow_unicode=True, sort_keys=False), len(document["units"]),
                    before, fresh_events, public_unit="U-R001", office_unit="U-R002")


def _in_january(event: dict) -> bool:
    """January is published before the load: its events would all be late."""
    return event["period"].startswith("2026-01")


class Producer(threading.Thread):
    """Sends events on a fixed schedule (`rate` per second) until stopped, each signed
    with its source's key by `signer` (None: unsigned); counts what it sent."""

    def __init__(self, bootstrap: str, rate: float, events: Callable[[], Iterator[dict]], signer):
        super().__init__(name="producer", daemon=True)
        self.bootstrap, self.rate, self.events, self.signer = bootstrap, rate, events, signer
        self.sent = 0
        self.failures: list[str] = []
        self.stop = threading.Event()
        self.started_at = self.stopped_at = 0.0
        self.behind_max_s = 0.0  # how far the producer itself fell behind its schedule

    def run(self) -> None:
        producer = kafka.producer(self.bootstrap)
        events = self.events()
        self.started_at = time.perf_counter()
        for number, data in enumerate(events):
            if self.stop.is_set():
                break
            due = self.started_at + number / self.rate
            now = time.perf_counter()
            if due > now:
                time.sleep(due - now)
            else:
                self.behind_max_s = max(self.behind_max_s, now - due)
            event = event_codec.from_dict(data)
            key, value = event.unit_id.encode(), event_codec.encode(event)
            future = producer.send(TOPIC, value=value, key=key, headers=record_headers(self.signer, event, key, value))
            future.add_errback(lambda exc: self.failures.append(f"{type(exc).__name__}: {exc}"))
            self.sent += 1
        self.stopped_at = time.perf_counter()
        producer.flush()
        producer.close()


# -- the readers ----------------------------------------------------------------------------

class Readers:
    """Threads reading the gateway in a loop; latencies by kind, failures with examples."""

    def __init__(self, gateway_url: str, office_token: str, public: int, office: int, workload: Workload,
                 open_month: str):
        self.gateway_url, self.office_token = gateway_url, office_token
        api = f"/api/v1/schemes/{workload.scheme_code}"
        self.requests = {
            "public": [f"{api}/rankings?category=district_county&period=2026-01",
                       f"{api}/units/{workload.public_unit}?period=2026-01",
                       f"{api}/grades/departments?period=2026-01", f"{api}/bulletins/2026-01",
                       f"{api}/progress?period=2026-01&warnings=1", f"{api}/regions?period=2026-01"],
            "office": [f"{api}/rankings?category=district_county&period={open_month}",
                       f"{api}/units/{workload.office_unit}?period={open_month}",
                       f"{api}/rankings?category=economic&period=2026", "/api/v1/ingest"],
        }
        self.lock = threading.Lock()
        self.phase = "rest"
        self.latencies: dict[tuple[str, str], list[float]] = {}
        self.errors: dict[str, int] = {}
        self.examples: list[str] = []
        self.done = threading.Event()
        kinds = ["public"] * public + ["office"] * office
        self.threads = [threading.Thread(target=self._loop, args=(i, kind), daemon=True) for i, kind in enumerate(kinds)]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.done.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def _loop(self, index: int, kind: str) -> None:
        order = list(self.requests[kind])
        random.Random(index).shuffle(order)
        for path in itertools.cycle(order):
            if self.done.is_set():
                return
            headers = {"Authorization": f"Bearer {self.office_token}"} if kind == "office" else {}
            request = urllib.request.Request(self.gateway_url + path, headers=headers)
            phase = self.phase
            started = time.perf_counter()
            problem = None
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    response.read()
                    if response.status != 200:
                        problem = f"{response.status} {path}"
            except urllib.error.HTTPError as error:
                problem = f"{error.code} {path}: {error.read()[:200]!r}"
            except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
                problem = f"{type(exc).__name__} {path}: {exc}"
            elapsed_ms = (time.perf_counter() - started) * 1000
            with self.lock:
                if problem:
                    self.errors[phase] = self.errors.get(phase, 0) + 1
                    if len(self.examples) < 5:
                        self.examples.append(f"{phase}: {problem}")
                else:
                    self.latencies.setdefault((phase, kind), []).append(elapsed_ms)

    def summary(self, phase: str, seconds: float) -> dict:
        with self.lock:
            parts = {kind: sorted(self.latencies.get((phase, kind), [])) for kind in ("public", "office")}
        every = sorted(parts["public"] + parts["office"])
        return {"requests": len(every), "per_s": round(len(every) / seconds, 1) if seconds else None,
                **figures(every), "public": figures(parts["public"]), "office": figures(parts["office"]),
                "errors": self.errors.get(phase, 0)}


def figures(latencies: list[float]) -> dict:
    if not latencies:
        return {"count": 0}
    return {"count": len(latencies), "p50_ms": round(percentile(latencies, 0.5), 1),
            "p99_ms": round(percentile(latencies, 0.99), 1), "max_ms": round(latencies[-1], 1)}


# -- memory ---------------------------------------------------------------------------------

class Memory(threading.Thread):
    """Samples the RSS of the given processes every RSS_EVERY_SECONDS."""

    def __init__(self, processes: dict[str, int]):
        super().__init__(name="memory", daemon=True)
        self.processes = processes
        self.samples: dict[str, list[tuple[float, float]]] = {name: [] for name in processes}
        self.done = threading.Event()

    def sample(self) -> None:
        now = time.perf_counter()
        for name, pid in self.processes.items():
            value = memory_mib(pid, "VmRSS")
            if value is not None:
                self.samples[name].append((now, value))

    def run(self) -> None:
        while not self.done.wait(RSS_EVERY_SECONDS):
            self.sample()

    def summary(self, start: float, end: float) -> dict:
        found = {}
        for name, series in self.samples.items():
            during = [(t, v) for t, v in series if start <= t <= end]
            if not during:
                continue
            half = [(t, v) for t, v in during if t >= start + (end - start) / 2]
            found[name] = {"start": during[0][1], "end": during[-1][1], "max": max(v for _, v in during),
                           "second_half_slope_mib_per_min": round(slope(half) * 60, 2) if len(half) > 2 else None}
        return found


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of value over time (per second)."""
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_v = sum(v for _, v in points) / n
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    return sum((t - mean_t) * (v - mean_v) for t, v in points) / spread if spread else 0.0


# -- scoring's counters ------------------------------------------------------------------------

class Lag(threading.Thread):
    """Follows scoring's counters: the most records published but not yet consumed."""

    def __init__(self, address: str, token: str, producer: Producer, before: int):
        super().__init__(name="lag", daemon=True)
        self.address, self.token, self.producer, self.before = address, token, producer, before
        self.max_records = 0
        self.max_pending_rescores = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(2.0):
            status = ingest_status(self.address, self.token)
            if status is not None:
                self.max_records = max(self.max_records, self.producer.sent - (consumed(status) - self.before))
                self.max_pending_rescores = max(self.max_pending_rescores, status.pending_rescores)


# -- the run --------------------------------------------------------------------------------

def keep_loading(producer: Producer, address: str, token: str, before: int, deadline: float, alive) -> None:
    """Waits until `deadline` (or scoring's end), logging progress every 30 s."""
    while time.perf_counter() < deadline and alive():
        time.sleep(min(30.0, max(0.0, deadline - time.perf_counter())))
        status = ingest_status(address, token)
        log(f"  sent {producer.sent}, consumed {consumed(status) - before}, "
            f"pending rescores {status.pending_rescores if status else '?'}")


def publish_january(address: str, office_token: str, scheme_code: str) -> None:
    with grpc.insecure_channel(address) as channel:
        stub = scoring_pb2_grpc.ScoringServiceStub(channel)
        request = scoring_pb2.PeriodActionRequest(scheme_code=scheme_code, period="2026-01", reason="基准测试")
        for action in (stub.LockPeriod, stub.ApprovePeriod, stub.PublishPeriod):
            action(request, timeout=120, metadata=call_credentials(office_token))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long the load lasts")
    parser.add_argument("--rate", type=float, default=350.0, help="events sent per second during the load")
    parser.add_argument("--readers", type=int, default=8, help="concurrent public reader threads")
    parser.add_argument("--office-readers", type=int, default=1, help="concurrent office reader threads")
    parser.add_argument("--warmup-minutes", type=float, default=0.0,
                        help="load before the measured minutes (scoring's cache of events filling up)")
    parser.add_argument("--cache-events", type=int, default=None,
                        help="JIXIAO_SCORING_CACHE_EVENTS for scoring (default: scoring's own, 50,000)")
    parser.add_argument("--rest-seconds", type=float, default=30.0, help="reads without ingest first, for the baseline")
    parser.add_argument("--preload", type=int, default=5000,
                        help="demo events streamed before (2026-01 is then published); the province streams its January")
    parser.add_argument("--scheme", choices=("demo", "province"), default="demo",
                        help="the demo city (108 units) or the synthetic province (bench/province.py)")
    parser.add_argument("--scale", type=float, default=0.1, help="the province's size (1: 10,000 units; default 0.1)")
    parser.add_argument("--database", choices=DATABASE_KINDS, default="sqlite", help="kind of scoring database")
    parser.add_argument("--unsigned", action="store_true",
                        help="send unsigned records, scoring's check off: for comparison only")
    options = parser.parse_args(argv)
    workload = province_workload(options.scale) if options.scheme == "province" else demo_workload(options.preload)
    cluster = MockCluster()
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp, \
            scratch_database(options.database, Path(tmp), "load") as url, children() as started:
        stack = start_registry(new_stack(Path(tmp), cluster.bootstrap, signed=not options.unsigned), started,
                               workload.scheme_text)
        cache = {"JIXIAO_SCORING_CACHE_EVENTS": str(options.cache_events)} if options.cache_events is not None else {}
        scoring, address = start_scoring(stack, started, {**consuming(url, TOPIC, "bench-load"), **cache})
        wait_serving(scoring, address)
        gateway_url = start_gateway(stack, started, address)
        token = stack.office_token
        log(f"preloading {len(workload.before)} events of {workload.scheme_code}")
        preloaded = preload(stack, TOPIC, address, scoring.alive, workload.before)
        publish_january(address, token, workload.scheme_code)
        before = consumed(ingest_status(address, token))
        memory = Memory({child.module.split(".")[-1]: child.process.pid for child in started})
        memory.start()
        readers = Readers(gateway_url, token, options.readers, options.office_readers, workload, open_month="2026-03")
        log(f"reads at rest for {options.rest_seconds:g} s ({options.readers} public, {options.office_readers} office readers)")
        readers.start()
        time.sleep(options.rest_seconds)
        producer = Producer(cluster.bootstrap, options.rate, workload.stream, stack.signer)
        lag = Lag(address, token, producer, before)
        memory.sample()
        readers.phase = "warmup"
        warmup_started = time.perf_counter()
        producer.start()
        lag.start()
        log(f"warm-up: {options.rate:g} events/s for {options.warmup_minutes:g} min, reads going on")
        keep_loading(producer, address, token, before, warmup_started + options.warmup_minutes * 60, scoring.alive)
        memory.sample()
        readers.phase = "load"
        load_started = time.perf_counter()
        log(f"load: {options.rate:g} events/s for {options.minutes:g} min more, measured")
        keep_loading(producer, address, token, before, load_started + options.minutes * 60, scoring.alive)
        producer.stop.set()
        producer.join()
        memory.sample()
        load_ended = time.perf_counter()
        readers.phase = "drain"
        readers.stop()
        log("draining")
        drain_started = time.perf_counter()
        status, last_count, last_change = None, -1, time.perf_counter()
        while time.perf_counter() - drain_started < DRAIN_TIMEOUT_SECONDS and scoring.alive():
            status = ingest_status(address, token) or status
            count = consumed(status) - before
            if status and count >= producer.sent and status.pending_rescores == 0:
                break
            if count != last_count:
                last_count, last_change = count, time.perf_counter()
            elif status and status.pending_rescores == 0 and time.perf_counter() - last_change > STALL_SECONDS:
                break  # nothing more arrives: records the broker no longer had are lost
            time.sleep(1.0)
        drain_s = time.perf_counter() - drain_started
        lag.done.set()
        memory.done.set()
        memory.sample()
        final = consumed(status) - before if status else 0
        alive = {child.module: child.alive() for child in started}
    cluster.close()
    load_s = load_ended - load_started
    lost = max(0, producer.sent - final)
    rest = readers.summary("rest", options.rest_seconds)
    load = readers.summary("load", load_s)
    emit({
        "benchmark": "load",
        "scheme": workload.scheme_code,
        "units": workload.units,
        "database": options.database,
        "signatures": "off" if options.unsigned else "required",
        "minutes": options.minutes,
        "warmup_minutes": options.warmup_minutes,
        "cache_events": options.cache_events,
        "preloaded_events": preloaded,
        "ingest": {
            "rate_asked_per_s": options.rate,
            "published": producer.sent,
            "published_per_s": round(producer.sent / (producer.stopped_at - producer.started_at), 1),
            "producer_behind_schedule_max_s": round(producer.behind_max_s, 2),
            "consumed": final,
            "consumed_per_s_with_drain": round(final / (load_ended - warmup_started + drain_s), 1),
            "max_lag_records": lag.max_records,
            "max_pending_rescores": lag.max_pending_rescores,
            "drain_s": round(drain_s, 1),
            "lost": lost,
            "rejected": status.rejected if status else None,  # dead letters, the preload's included
        },
        "reads": {"readers": {"public": options.readers, "office": options.office_readers}, "at_rest": rest, "under_load": load,
                  "p99_under_load_vs_at_rest": round(load["p99_ms"] / rest["p99_ms"], 2)
                  if rest.get("p99_ms") and load.get("p99_ms") else None},
        "rss_mib": memory.summary(load_started - 1, load_ended + 1),
        **({"rss_mib_warmup": memory.summary(warmup_started - 1, load_started + 1)} if options.warmup_minutes else {}),
        "errors": {"reads": sum(readers.errors.values()), "ingest": len(producer.failures), "lost_records": lost,
                   "processes_down": [m for m, up in alive.items() if not up],
                   "examples": (readers.examples + producer.failures)[:8]},
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
