"""Every rejected record reaches the dead-letter topic before its offset is
committed: a large one with its value, one too large for the topic without
it (its headers say where it is), and a dead letter the broker does not
acknowledge sends the batch round again."""
from __future__ import annotations

import threading

import pytest
from kafka import KafkaConsumer, TopicPartition
from kafka.errors import KafkaTimeoutError

from helpers.reliability_kit import read_topic
from helpers.small_scheme import small_service
from jixiao.common import kafka
from jixiao.common.readiness import wait_for
from jixiao.scoring.adapters.kafka_consumer import (
    CODE_HEADER,
    ORIGIN_HEADERS,
    REASON_HEADER,
    VALUE_LEFT_OUT_HEADER,
    MetricsConsumer,
)

SIZES = (1000, 1_500_000)  # the second is over kafka-python's default max_request_size (1 MiB)


@pytest.fixture
def service(tmp_path):
    service = small_service(f"sqlite:///{tmp_path / 'scoring.db'}")
    yield service
    service.engine.dispose()


class Counted:
    def __init__(self, handle):
        self.handle, self.handled = handle, 0

    def __call__(self, records):
        outcome = self.handle(records)
        self.handled += len(records)
        return outcome


def publish_garbage(bootstrap: str, topic: str) -> None:
    """Records the broker takes (the embedded one allows more than 1 MiB) that scoring rejects."""
    producer = kafka.producer(bootstrap, max_request_size=4 * 1024 * 1024)
    for size in SIZES:
        producer.send(topic, value=b"\x07" + b"x" * size, key=b"U1").get(timeout=30)
    producer.close()


def consume(bootstrap: str, topics: dict, service, dead_letters, until: int, group: str | None = None) -> Counted:
    handle, stop = Counted(service.ingest), threading.Event()
    consumer = MetricsConsumer(kafka.consumer(bootstrap, topics["JIXIAO_METRICS_TOPIC"], group or topics["JIXIAO_CONSUMER_GROUP"]),
                               dead_letters, topics["JIXIAO_DEAD_LETTER_TOPIC"], handle, max_records=10)
    thread = threading.Thread(target=consumer.run, args=(stop,), daemon=True)
    thread.start()
    wait_for(lambda: handle.handled >= until, 60)
    stop.set()
    thread.join(timeout=30)
    return handle


def test_a_rejected_record_over_a_mebibyte_reaches_the_dead_letter_topic_whole(broker, topics, service):
    publish_garbage(broker.bootstrap, topics["JIXIAO_METRICS_TOPIC"])
    consume(broker.bootstrap, topics, service, kafka.dead_letter_producer(broker.bootstrap), until=2)
    assert service.ingest_counts()["rejected"] == 2
    letters = read_topic(broker.bootstrap, topics["JIXIAO_DEAD_LETTER_TOPIC"])
    assert sorted(len(r.value) for r in letters) == [size + 1 for size in SIZES]
    assert all(r.headers[REASON_HEADER] and r.headers[CODE_HEADER] == b"undecodable" for r in letters)


def test_a_rejected_record_too_large_for_the_dead_letter_topic_goes_without_its_value(broker, topics, service):
    publish_garbage(broker.bootstrap, topics["JIXIAO_METRICS_TOPIC"])
    consume(broker.bootstrap, topics, service, kafka.producer(broker.bootstrap), until=2)  # 1 MiB at most
    letters = {len(r.value): r for r in read_topic(broker.bootstrap, topics["JIXIAO_DEAD_LETTER_TOPIC"])}
    assert sorted(letters) == [0, SIZES[0] + 1]
    left_out = letters[0].headers
    assert left_out[VALUE_LEFT_OUT_HEADER] == str(SIZES[1] + 1).encode()
    origin = "{}/{}@{}".format(*(left_out[name].decode() for name in ORIGIN_HEADERS))
    assert origin == f"{topics['JIXIAO_METRICS_TOPIC']}/{left_out[ORIGIN_HEADERS[1]].decode()}@1"
    reason = left_out[REASON_HEADER].decode()
    assert left_out[CODE_HEADER] == b"undecodable"
    assert reason.startswith("neither protobuf MetricEvent nor JSON") and f"too large for the dead-letter topic: read it at {origin}" in reason, reason


class LostAcknowledgement:
    def get(self, timeout=None):
        raise KafkaTimeoutError("simulated: no acknowledgement")


class Unacknowledged:
    """A producer whose first `failures` sends the broker never acknowledges (a broker down, a full buffer)."""

    def __init__(self, producer, failures: int):
        self.producer, self.failures, self.sent = producer, failures, 0

    def send(self, *args, **kwargs):
        self.sent += 1
        future = self.producer.send(*args, **kwargs)
        if self.sent > self.failures:
            return future
        future.get(timeout=30)  # delivered, but the acknowledgement is "lost"
        return LostAcknowledgement()

    def __getattr__(self, name):
        return getattr(self.producer, name)


def test_a_dead_letter_not_acknowledged_sends_the_batch_round_again_and_nothing_is_committed_before(
        broker, topics, service):
    publish_garbage(broker.bootstrap, topics["JIXIAO_METRICS_TOPIC"])
    producer = Unacknowledged(kafka.dead_letter_producer(broker.bootstrap), failures=1)
    handle = consume(broker.bootstrap, topics, service, producer, until=4)
    assert handle.handled >= 4  # the batch came round again after the failed dead letter
    letters = read_topic(broker.bootstrap, topics["JIXIAO_DEAD_LETTER_TOPIC"])
    assert sorted({len(r.value) for r in letters}) == [size + 1 for size in SIZES]  # at least once: repeats allowed
    # The offsets were committed after the second round, not after the first.
    topic = topics["JIXIAO_METRICS_TOPIC"]
    reader = KafkaConsumer(bootstrap_servers=broker.bootstrap.split(","), group_id=topics["JIXIAO_CONSUMER_GROUP"],
                           enable_auto_commit=False)
    committed = [reader.committed(TopicPartition(topic, p)) for p in reader.partitions_for_topic(topic)]
    reader.close()
    assert sum(offset or 0 for offset in committed) == len(SIZES)
