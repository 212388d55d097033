"""Feeds the demo city's year of metric events through Kafka, as a data
feed would: binary protobuf MetricEvents keyed by unit id, each signed with
its source's key (embedded/local_keys.py)."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable

import grpc

from jixiao.common import event_codec, kafka, yaml_text
from jixiao.common.auth import call_credentials
from jixiao.common.feed_signing import FeedSigner
from jixiao.demo.build_city import DATA_FILE
from jixiao.demo.events import demo_events
from jixiao.v1 import scoring_pb2, scoring_pb2_grpc

DEMO_SCHEME = DATA_FILE
DEMO_SCHEME_CODE = DATA_FILE.stem  # "jiangchuan-2026"
PROGRESS_EVERY = 10_000
# At most this many records sent and not yet consumed: the embedded broker keeps only 5 MiB per partition and
# drops the oldest records beyond (a signed demo year, ~20 MB on 4 partitions, would not fit at once).
MAX_BACKLOG = 15_000
CHUNK = 2_500


def demo_scheme() -> dict:
    """The demo city's scheme document."""
    return yaml_text.safe_load(DEMO_SCHEME.read_text(encoding="utf-8"))


def demo_event_dicts() -> list[dict]:
    return list(demo_events(demo_scheme()))


def ingest_status(scoring_address: str, token: str) -> scoring_pb2.IngestStatus | None:
    with grpc.insecure_channel(scoring_address) as channel:
        try:
            return scoring_pb2_grpc.ScoringServiceStub(channel).GetIngestStatus(
                scoring_pb2.GetIngestStatusRequest(), timeout=5, metadata=call_credentials(token))
        except grpc.RpcError:
            return None


def consumed(status: scoring_pb2.IngestStatus | None) -> int:
    return status.events_stored + status.duplicates + status.rejected if status else 0


def publish(bootstrap: str, topic: str, events: list[dict], progress: Callable[[str], None], stop: threading.Event,
            signer: FeedSigner | None = None, before_chunk: Callable[[int], None] | None = None) -> int:
    """Sends the events, each signed by `signer` with its source's key (unsigned without one:
    scoring counts those only with JIXIAO_FEED_SIGNATURES=off); every CHUNK records, once
    they are acknowledged, calls `before_chunk` with the number sent (`within_backlog`)."""
    producer = kafka.producer(bootstrap)
    topic = topic or kafka.METRICS_TOPIC
    headers = [(event_codec.CONTENT_TYPE_HEADER, event_codec.PROTOBUF.encode())]
    sent = 0
    for data in events:
        if stop.is_set():
            break
        if before_chunk is not None and sent and sent % CHUNK == 0:
            producer.flush()
            before_chunk(sent)
        event = event_codec.from_dict(data)
        value, key = event_codec.encode(event), event.unit_id.encode()
        signed = headers if signer is None else signer.sign_headers(headers, event.source, key, value)
        producer.send(topic, value=value, key=key, headers=signed)
        sent += 1
        if sent % PROGRESS_EVERY == 0:
            progress(f"  published {sent}/{len(events)}")
    producer.flush()
    producer.close()
    progress(f"  published {sent}/{len(events)}")
    return sent


def within_backlog(scoring_address: str, token: str, before: int, stop: threading.Event,
                   alive: Callable[[], bool]) -> Callable[[int], None]:
    """A `before_chunk` for `publish`: waits while more than MAX_BACKLOG of the records sent
    are not consumed by scoring yet (`before`: what it had consumed when publishing began)."""

    def wait(sent: int) -> None:
        while not stop.is_set() and alive():
            if sent - (consumed(ingest_status(scoring_address, token)) - before) <= MAX_BACKLOG:
                return
            stop.wait(0.5)

    return wait


def wait_until_scored(scoring_address: str, token: str, before: int, expected: int, progress: Callable[[str], None],
                      stop: threading.Event, alive: Callable[[], bool]) -> None:
    """Waits until scoring has consumed `expected` more records than `before`
    and rescored them all, reporting progress."""
    last_report = 0.0
    while not stop.is_set() and alive():
        status = ingest_status(scoring_address, token)
        done = consumed(status) - before
        if done >= expected and status.pending_rescores == 0:
            progress(f"  scored {expected}/{expected}")
            return
        if time.monotonic() - last_report > 5:
            progress(f"  scored {max(done, 0)}/{expected}")
            last_report = time.monotonic()
        stop.wait(0.5)


#: What the demo's evaluation office has published: the first three quarters
#: and their months. The fourth quarter and the year stay open, so the portal
#: shows published results to the public and open periods to the office.
DEMO_PUBLISHED = tuple(f"2026-{m:02d}" for m in range(1, 10)) + ("2026-Q1", "2026-Q2", "2026-Q3")


def publish_demo_periods(scoring_address: str, office_token: str, scheme_code: str,
                         progress: Callable[[str], None]) -> None:
    """Locks, approves and publishes DEMO_PUBLISHED, as the office would (idempotent)."""
    metadata = call_credentials(office_token)
    with grpc.insecure_channel(scoring_address) as channel:
        stub = scoring_pb2_grpc.ScoringServiceStub(channel)
        listed = stub.ListPeriods(scoring_pb2.ListPeriodsRequest(scheme_code=scheme_code, page_size=500),
                                  timeout=30, metadata=metadata)
        states = {p.period: p.state for p in listed.periods}
        steps = ((scoring_pb2.PERIOD_STATE_OPEN, stub.LockPeriod), (scoring_pb2.PERIOD_STATE_LOCKED, stub.ApprovePeriod),
                 (scoring_pb2.PERIOD_STATE_APPROVED, stub.PublishPeriod))
        published = 0
        for period in DEMO_PUBLISHED:
            state = states.get(period, scoring_pb2.PERIOD_STATE_OPEN)
            for before, action in steps:
                if state == before:
                    request = scoring_pb2.PeriodActionRequest(scheme_code=scheme_code, period=period,
                                                              reason="演示数据 demo data")
                    state = action(request, timeout=60, metadata=metadata).state
            published += state == scoring_pb2.PERIOD_STATE_PUBLISHED
    progress(f"  已发布 published {published} periods: {DEMO_PUBLISHED[0]} … {DEMO_PUBLISHED[-1]}")
