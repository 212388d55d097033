"""Reading what a topic holds, as the tests check it: every partition assigned directly,
from its beginning, with no consumer group. (Joining a group costs a rebalance, seconds
on the embedded broker, and proves nothing a test here asks.)"""
from __future__ import annotations

import time

from kafka import KafkaConsumer, TopicPartition
from kafka.consumer.fetcher import ConsumerRecord


def read_records(bootstrap_servers: str, topic: str, count: int | None = None,
                 timeout: float = 60.0) -> list[ConsumerRecord]:
    """The records on `topic`, partition by partition in offset order: every record now on
    it (count=None), or, waiting up to `timeout` for them to arrive, the first `count`.

    The embedded broker (librdkafka's mock cluster) keeps at most 5 MiB per
    partition: on a longer topic the oldest records are gone."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap_servers.split(","), enable_auto_commit=False,
                             consumer_timeout_ms=1000)
    try:
        deadline = time.monotonic() + timeout
        partitions = None
        while not partitions and time.monotonic() < deadline:
            partitions = consumer.partitions_for_topic(topic)
            if not partitions:
                consumer.poll(timeout_ms=200)
        assert partitions, f"topic {topic} has no partitions"
        assigned = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(assigned)
        consumer.seek_to_beginning(*assigned)
        ends = consumer.end_offsets(assigned) if count is None else None
        found: list[ConsumerRecord] = []
        positions = {tp: 0 for tp in assigned}

        def more() -> bool:
            if count is not None:
                return len(found) < count
            return any(positions[tp] < ends[tp] for tp in assigned)

        while more() and time.monotonic() < deadline:
            for tp, messages in consumer.poll(timeout_ms=200, max_records=5000).items():
                found.extend(messages)
                if messages:
                    positions[tp] = messages[-1].offset + 1
    finally:
        consumer.close()
    if count is None:
        assert all(positions[tp] >= ends[tp] for tp in assigned), f"could not read {topic} to its end"
    else:
        assert len(found) >= count, f"{len(found)} of {count} records on {topic} within {timeout} s"
    return sorted(found, key=lambda r: (r.partition, r.offset))
