"""Shared pieces of tests/e2e/reliability.

- `faulty_stream`: the demo city's events (the demo year drawn again with
  further seeds when more are wanted) with the faults a real topic carries
  mixed in: repeated deliveries, revisions (some before their original),
  canonical-JSON records beside protobuf ones, garbage and events the scheme
  refuses. Every record is keyed by unit id, as feeds do, so a unit's
  records keep their order inside one partition; `publish` signs each
  record of an event with its source's key (helpers.make_feed_keys), as a
  feed does, so scoring's default signature check holds.
- `read_topic`: every record of a topic, with its partition and offset.
- `reference_run`: the uninterrupted run, in this process: the records read
  back from the topic handed to `ScoringService.ingest` in batches.
- `snapshot`: every row scoring stores about events and scores, for comparing
  two runs.
"""
from __future__ import annotations

import functools
import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import create_engine, func, select

from helpers import DEMO_SCHEME, FeedKeys, ServiceProcess, demo_document, free_port
from helpers.platform import publish_scheme, wait_scored
from helpers.topic_reader import read_records
from jixiao.common import event_codec, kafka
from jixiao.common.readiness import grpc_serving
from jixiao.demo.build_city import DEFAULT_SEED
from jixiao.demo.events import demo_events
from jixiao.registry.domain.scheme import digest, parse_document
from jixiao.scoring.adapters import sql_schema as tables
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.records import IncomingRecord
from jixiao.scoring.service_layer.scoring_service import ScoringService
from jixiao_sdk import IndicatorHost

CONTENT_TYPE = event_codec.CONTENT_TYPE_HEADER
SCHEME_CODE = "jiangchuan-2026"
# Tables compared between two runs, each with the columns that order its rows.
COMPARED = {
    tables.events: ("event_id",),
    tables.event_revisions: ("original_id",),
    tables.indicator_results: ("scheme_code", "unit_id", "period", "indicator_code"),
    tables.unit_scores: ("scheme_code", "unit_id", "period"),
    tables.person_scores: ("scheme_code", "person_id", "period"),
}


@functools.cache
def small_demo_document() -> dict:
    """The demo scheme cut down to two units of each category (and their people,
    teams and targets): the same shape, parsed and validated in a fraction of the time."""
    document = demo_document()
    kept, per_category = set(), {}
    for unit in document["units"]:
        if per_category.setdefault(unit["category"], 0) < 2:
            per_category[unit["category"]] += 1
            kept.add(unit["id"])
    return {**document, "units": [u for u in document["units"] if u["id"] in kept],
            "persons": [p for p in document["persons"] if p["unit"] in kept],
            "leadership_teams": [t for t in document["leadership_teams"] if t["unit"] in kept],
            "targets": [t for t in document["targets"] if t["unit"] in kept]}


def demo_stream(count: int) -> Iterator[dict]:
    """`count` valid demo events: the demo year under seed 2026, then 2027, … (distinct ids)."""
    seeds = itertools.count(DEFAULT_SEED)
    return itertools.islice((e for seed in seeds for e in demo_events(demo_document(), seed)), count)


@dataclass(frozen=True)
class Produced:
    """One record to publish, and what it is."""

    key: bytes
    value: bytes
    headers: tuple[tuple[str, bytes], ...]
    kind: str  # event, json, duplicate, revision, early_revision, garbage, refused
    source: str = ""  # the event's source, whose key signs it ("": garbage, sent unsigned)


def _record(data: dict, kind: str, as_json: bool = False) -> Produced:
    event = event_codec.from_dict(data)
    content_type = event_codec.JSON if as_json else event_codec.PROTOBUF
    return Produced(event.unit_id.encode(), event_codec.encode(event, content_type),
                    ((CONTENT_TYPE, content_type.encode()),), kind, event.source)


def faulty_stream(count: int, rng: random.Random) -> list[Produced]:
    """`count` demo events plus about 3% faulty records, in a reproducible order for `rng`.

    - every ~13th event as canonical proto3 JSON instead of protobuf;
    - ~1% sent again a little later (a producer retry, a feed re-sending);
    - ~0.5% of unit-level events revised (to the figure of the event of the
      same metric before it), after the original or, one time in three, before it;
    - ~0.2% garbage and ~0.2% events the scheme refuses (unknown unit), which
      must end on the dead-letter topic.
    """
    out: list[Produced] = []
    later: list[tuple[int, Produced]] = []  # (position to insert before, record)
    units = sorted(u["id"] for u in demo_document()["units"])
    last_value: dict[tuple[str, str], float] = {}
    for index, data in enumerate(demo_stream(count)):
        as_json = rng.random() < 1 / 13
        record = _record(data, "json" if as_json else "event", as_json=as_json)
        out.append(record)
        if rng.random() < 0.01:
            later.append((index + rng.randint(1, 400), Produced(record.key, record.value, record.headers, "duplicate",
                                                                record.source)))
        seen = last_value.get((data["metric_code"], data.get("measurement_unit", "")))
        last_value[(data["metric_code"], data.get("measurement_unit", ""))] = data["value"]
        if not data.get("person_id") and seen is not None and rng.random() < 0.005:
            # another figure of the same metric: inside the scheme's range for it, as a correction is
            revision = {**data, "event_id": data["event_id"] + "-rev", "revision_of": data["event_id"], "value": seen}
            if rng.random() < 1 / 3:
                out.insert(max(0, len(out) - 1 - rng.randint(0, 50)), _record(revision, "early_revision"))
            else:
                later.append((index + rng.randint(1, 400), _record(revision, "revision")))
        if rng.random() < 0.002:
            out.append(Produced(rng.choice(units).encode(), rng.randbytes(rng.randint(0, 40)), (), "garbage"))
        if rng.random() < 0.002:
            refused = {**data, "event_id": f"refused-{index}", "unit_id": "U-NOWHERE"}
            out.append(_record(refused, "refused"))
    # Splice the later records in at their positions (counted in original events).
    by_position: dict[int, list[Produced]] = {}
    for position, record in later:
        by_position.setdefault(position, []).append(record)
    spliced, originals = [], 0
    for record in out:
        if record.kind in ("event", "json"):
            spliced.extend(by_position.pop(originals, ()))
            originals += 1
        spliced.append(record)
    for position in sorted(by_position):
        spliced.extend(by_position[position])
    return spliced


def publish(bootstrap_servers: str, topic: str, records: list[Produced], *, chunk: int = 5000,
            before_chunk: Callable[[int], None] = lambda sent: None, signer=None) -> list[IncomingRecord]:
    """Sends the records in order, `chunk` at a time (calling `before_chunk` with
    the number sent so far before each), each event's signed by `signer` (a FeedSigner)
    with its source's key; returns them as delivered: with their partition and offset."""
    producer = kafka.producer(bootstrap_servers)
    delivered: list[IncomingRecord] = []
    for start in range(0, len(records), chunk):
        before_chunk(start)
        part = records[start:start + chunk]
        headers = [list(r.headers) if signer is None or not r.source
                   else signer.sign_headers(r.headers, r.source, r.key, r.value) for r in part]
        futures = [producer.send(topic, value=r.value, key=r.key, headers=h) for r, h in zip(part, headers, strict=True)]
        producer.flush()
        for record, sent, future in zip(part, headers, futures, strict=True):
            meta = future.get(timeout=30)
            delivered.append(IncomingRecord(value=record.value, headers=dict(sent), topic=meta.topic,
                                            partition=meta.partition, offset=meta.offset, key=record.key))
    producer.close()
    return delivered


def stored_count(records: list[Produced]) -> int:
    """How many distinct events of a faulty stream scoring stores."""
    return sum(r.kind in ("event", "json", "revision", "early_revision") for r in records)


def read_topic(bootstrap_servers: str, topic: str, timeout: float = 60.0) -> list[IncomingRecord]:
    """Every record now on `topic` (helpers/topic_reader.py), as the records scoring reads."""
    return [IncomingRecord(value=m.value, headers={k: v for k, v in (m.headers or [])}, topic=m.topic,
                           partition=m.partition, offset=m.offset, key=m.key)
            for m in read_records(bootstrap_servers, topic, timeout=timeout)]


def interleave(records: list[IncomingRecord]) -> list[IncomingRecord]:
    """The records round-robin across partitions, each partition in offset order (as a consumer sees them)."""
    by_partition: dict[int, list[IncomingRecord]] = {}
    for record in records:
        by_partition.setdefault(record.partition, []).append(record)
    lanes = [by_partition[p] for p in sorted(by_partition)]
    return [r for group in itertools.zip_longest(*lanes) for r in group if r is not None]


def reference_service(url: str) -> ScoringService:
    """A scoring service in this process with the demo scheme adopted as version 1, as the registry publishes it."""
    service = build_service(url, IndicatorHost.discover(timeout_s=None))
    document = parse_document(DEMO_SCHEME.read_text(encoding="utf-8"))
    service.adopt_scheme(document, 1, digest(document))
    return service


def reference_run(url: str, records: list[IncomingRecord], batch: int = 2000) -> set[tuple[int, int, str]]:
    """Ingests the records uninterrupted; returns the rejects as (partition, offset, reason).

    What `ScoringService.ingest` does batch by batch (store, then rescore
    what is pending), with the rescoring done once after the last batch:
    the same rows (scoring is independent of batching), in less time.
    """
    service = reference_service(url)
    rejected = set()
    ordered = interleave(records)
    for start in range(0, len(ordered), batch):
        outcome = service.store(ordered[start:start + batch])
        rejected |= {(r.record.partition, r.record.offset, r.reason) for r in outcome.rejected}
    service.rescore_pending()
    service.engine.dispose()
    return rejected


def snapshot(url: str) -> dict[str, list[tuple]]:
    """Every stored event, revision, indicator result, unit and person score, in a fixed order."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {table.name: [tuple(row) for row in connection.execute(
                select(table).order_by(*(table.c[name] for name in order)))]
                for table, order in COMPARED.items()}
    finally:
        engine.dispose()


def progress(url: str) -> tuple[int, int]:
    """(events stored, changes pending a rescore); (-1, -1) while the database cannot be read."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            stored = connection.execute(select(func.count()).select_from(tables.events)).scalar_one()
            pending = connection.execute(select(func.count()).select_from(tables.pending_rescores)).scalar_one()
        return stored, pending
    except Exception:  # noqa: BLE001 - no tables yet (first start), or busy
        return -1, -1
    finally:
        engine.dispose()


def differences(expected: dict[str, list[tuple]], found: dict[str, list[tuple]], limit: int = 5) -> list[str]:
    """Readable differences between two snapshots (empty when equal)."""
    problems = []
    for name in expected:
        want, got = expected[name], found[name]
        if want == got:
            continue
        missing = sorted(set(want) - set(got))[:limit]
        extra = sorted(set(got) - set(want))[:limit]
        problems.append(f"{name}: {len(want)} rows expected, {len(got)} found; missing {missing}; unexpected {extra}")
    return problems


def start_registry(env: dict[str, str], tokens, folder) -> tuple[ServiceProcess, str]:
    """A registry process with the demo plug-ins active and the demo scheme published."""
    port = free_port()
    registry = ServiceProcess("jixiao.registry", {**env, "JIXIAO_REGISTRY_PORT": str(port)}, folder)
    registry.wait_ready(lambda: grpc_serving(f"127.0.0.1:{port}"))
    publish_scheme(f"127.0.0.1:{port}", tokens.office, DEMO_SCHEME.read_text(encoding="utf-8"))
    return registry, f"127.0.0.1:{port}"


# -- a running platform ---------------------------------------------------------------------

@dataclass
class Platform:
    """Registry (demo scheme), scoring and gateway as real processes on free ports (helpers/platform.py)."""

    folder: object
    env: dict[str, str]
    tokens: object  # helpers.Tokens
    unit_token: str  # a department token whose subject is the unit U-R01
    extra_tokens: dict[str, str]  # name → token, of start_platform's more_tokens
    registry_address: str
    scoring_address: str
    gateway_url: str
    processes: list[ServiceProcess]
    keys: FeedKeys | None = None  # the demo sources' signing keys and the gateway's relay key

    def stop(self) -> dict[str, tuple[int, str]]:
        """Stops every process (gateway first); returns each one's exit status and log."""
        from helpers.platform import stop_processes

        return stop_processes(self.processes)


def start_platform(broker, topics: dict[str, str], folder, events: int = 0, publish_periods: tuple[str, ...] = (),
                   settings: dict[str, str] | None = None, more_tokens: tuple[tuple[str, str, str], ...] = ()) -> Platform:
    """The three services with the demo city (and extra environment `settings`); then
    `events` demo events through Kafka (waited for until scored) and the office
    publishing `publish_periods`."""
    from helpers import make_tokens
    from helpers.platform import start_platform as start_processes
    from jixiao.common.tokens_cli import append

    tokens = make_tokens(folder)
    unit_token = append(tokens.file, "青山区联络员", "department", "U-R01")
    extra_tokens = {name: append(tokens.file, name, role, subject) for name, role, subject in more_tokens}
    running = start_processes(broker, folder, topics=topics, tokens=tokens, env={
        "JIXIAO_KAFKA_API_VERSION": "3.0", "JIXIAO_PLUGIN_TIMEOUT_SECONDS": "60", **(settings or {})})
    platform = Platform(folder, running.env, tokens, unit_token, extra_tokens, running.registry_address,
                        running.scoring_address, running.gateway_url, running.processes, running.keys)
    try:
        if events:
            sent = list(demo_stream(events))
            publish(broker.bootstrap, topics["JIXIAO_METRICS_TOPIC"], [_record(e, "event") for e in sent],
                    signer=running.keys.signer)
            wait_scored(platform.scoring_address, platform.tokens.reader, len(sent))
        for period in publish_periods:
            office_publishes(platform, period)
        return platform
    except BaseException:
        platform.stop()
        raise


def office_publishes(platform: Platform, period: str) -> None:
    """Locks, approves and publishes a period over gRPC with the office's token."""
    import grpc

    from jixiao.common.auth import call_credentials
    from jixiao.v1 import scoring_pb2, scoring_pb2_grpc

    with grpc.insecure_channel(platform.scoring_address) as channel:
        stub = scoring_pb2_grpc.ScoringServiceStub(channel)
        request = scoring_pb2.PeriodActionRequest(scheme_code=SCHEME_CODE, period=period, reason="审核通过")
        for action in (stub.LockPeriod, stub.ApprovePeriod, stub.PublishPeriod):
            action(request, timeout=60, metadata=call_credentials(platform.tokens.office))
