"""Closing the metrics consumer takes out exactly the Kafka client's complaints about
what the close itself causes, and only during the close
(jixiao.scoring.adapters.consumer_close). A real stop: tests/e2e/platform/test_clean_stop.py."""
from __future__ import annotations

import logging

from kafka.errors import Cancelled, KafkaConnectionError, KafkaProtocolError

from jixiao.scoring.adapters.consumer_close import close_consumer

coordinator = logging.getLogger("kafka.coordinator")


class FakeConsumer:
    """Logs on close what kafka-python's coordinator logs, as given."""

    config = {"group_id": "scoring", "session_timeout_ms": 10_000}

    def __init__(self, *logged):
        self.logged = logged
        self.closed_with = None

    def close(self, autocommit=True, timeout_ms=None):
        self.closed_with = (autocommit, timeout_ms)
        for level, message, *args in self.logged:
            coordinator.log(level, message, *args)


def test_a_failed_leave_becomes_one_info_line(caplog):
    consumer = FakeConsumer((logging.ERROR, "LeaveGroup request failed: %s", KafkaProtocolError("Unable to decode response")))
    with caplog.at_level(logging.INFO):
        close_consumer(consumer, 5000)
    assert consumer.closed_with == (False, 5000), "no commit on close: each batch was committed"
    assert [(r.name, r.levelname) for r in caplog.records] == [("jixiao.scoring.consumer", "INFO")]
    assert caplog.records[0].getMessage() == (
        "left consumer group scoring without the broker's confirmation (KafkaProtocolError: Unable to decode response): "
        "its other members, if any, take over the partitions after the session timeout (10000 ms)")


def test_requests_the_close_cancelled_are_not_reported(caplog):
    cancelled = Cancelled("<BrokerConnection node_id=coordinator-2>")
    consumer = FakeConsumer((logging.ERROR, "Error sending %s to node %s [%s]", "JoinGroupRequest_v5", "coordinator-2", cancelled),
                            (logging.WARNING, "Marking the coordinator dead (node %s) for group %s: %s.",
                             "coordinator-2", "scoring", cancelled))
    with caplog.at_level(logging.INFO):
        close_consumer(consumer, 5000)
    assert caplog.records == []


def test_other_errors_during_the_close_still_show(caplog):
    lost = KafkaConnectionError("connection reset")
    consumer = FakeConsumer((logging.ERROR, "Error sending %s to node %s [%s]", "JoinGroupRequest_v5", "coordinator-2", lost),
                            (logging.ERROR, "LeaveGroup request for group %s failed with error: %s", "scoring", "boom"))
    with caplog.at_level(logging.INFO):
        close_consumer(consumer, 5000)
    assert [(r.name, r.levelname) for r in caplog.records] == [("kafka.coordinator", "ERROR")] * 2


def test_outside_the_close_nothing_is_taken_out(caplog):
    close_consumer(FakeConsumer(), 5000)
    with caplog.at_level(logging.INFO):
        coordinator.error("LeaveGroup request failed: %s", KafkaProtocolError("Unable to decode response"))
        coordinator.error("Error sending %s to node %s [%s]", "HeartbeatRequest_v1", "coordinator-2", Cancelled("x"))
    assert [r.levelname for r in caplog.records] == ["ERROR", "ERROR"]
    assert coordinator.filters == []
