"""Feeds the demo city's year of metric events through Kafka, as a data
feed would: binary protobuf MetricEvents keyed by unit id."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable

import grpc
import yaml

from jixiao.common import event_codec, kafka
from jixiao.demo.build_city import DATA_FILE
from jixiao.demo.events import demo_events
from jixiao.v1 import scoring_pb2, scoring_pb2_grpc

DEMO_SCHEME = DATA_FILE
PROGRESS_EVERY = 10_000


def demo_event_dicts() -> list[dict]:
    city = yaml.safe_load(DEMO_SCHEME.read_text(encoding="utf-8"))
    return list(demo_events(city))


def ingest_status(scoring_address: str) -> scoring_pb2.IngestStatus | None:
    with grpc.insecure_channel(scoring_address) as channel:
        try:
            return scoring_pb2_grpc.ScoringServiceStub(channel).GetIngestStatus(scoring_pb2.GetIngestStatusRequest(), timeout=5)
        except grpc.RpcError:
            return None


def stored_events(scoring_address: str) -> int:
    status = ingest_status(scoring_address)
    return status.events_stored if status else 0


def consumed(status: scoring_pb2.IngestStatus | None) -> int:
    return status.events_stored + status.duplicates + status.rejected if status else 0


def publish(bootstrap: str, topic: str, events: list[dict], progress: Callable[[str], None], stop: threading.Event) -> int:
    producer = kafka.producer(bootstrap)
    topic = topic or kafka.METRICS_TOPIC
    headers = [(event_codec.CONTENT_TYPE_HEADER, event_codec.PROTOBUF.encode())]
    sent = 0
    for data in events:
        if stop.is_set():
            break
        event = event_codec.from_dict(data)
        producer.send(topic, value=event_codec.encode(event), key=event.unit_id.encode(), headers=headers)
        sent += 1
        if sent % PROGRESS_EVERY == 0:
            progress(f"  published {sent}/{len(events)}")
    producer.flush()
    producer.close()
    progress(f"  published {sent}/{len(events)}")
    return sent


def wait_until_scored(scoring_address: str, before: int, expected: int, progress: Callable[[str], None],
                      stop: threading.Event, alive: Callable[[], bool]) -> None:
    """Waits until scoring has consumed `expected` more records than `before`, reporting progress."""
    last_report = 0.0
    while not stop.is_set() and alive():
        done = consumed(ingest_status(scoring_address)) - before
        if done >= expected:
            progress(f"  scored {expected}/{expected}")
            return
        if time.monotonic() - last_report > 5:
            progress(f"  scored {max(done, 0)}/{expected}")
            last_report = time.monotonic()
        stop.wait(0.5)
