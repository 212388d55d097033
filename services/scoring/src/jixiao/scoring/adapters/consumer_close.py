"""Closing the metrics consumer on an orderly stop without false alarms.

kafka-python (2.3) logs at ERROR, on its `kafka.coordinator` logger, two things
that an orderly close causes itself and that need nobody's attention:

- "LeaveGroup request failed": leaving the group is a courtesy that lets the
  group's other members take the partitions at once instead of after the session
  timeout; the offsets were committed before. The embedded broker (librdkafka's
  mock cluster) advertises LeaveGroup v3 but answers in the v1 layout, so there
  the request always fails to decode; a real cluster may not answer in time.
- "Error sending … [Cancelled …]" (and, at WARNING, "Marking the coordinator
  dead … Cancelled"): a request still in flight, typically a JoinGroup when the
  stop comes while the consumer joins its group, cancelled because close()
  closes the connections.

While the consumer closes, and only then, a filter on that logger takes exactly
these records (by message and, for the cancellations, by error type); a failed
leave becomes one INFO line saying what it means. Every other record of the
Kafka client, and these same messages outside close(), pass unchanged.
"""
from __future__ import annotations

import logging

from kafka import KafkaConsumer
from kafka.errors import Cancelled

log = logging.getLogger("jixiao.scoring.consumer")
COORDINATOR_LOG = "kafka.coordinator"  # kafka/coordinator/base.py
LEAVE_FAILED = "LeaveGroup request failed: %s"
SEND_FAILED = "Error sending %s to node %s [%s]"
COORDINATOR_DEAD = "Marking the coordinator dead (node %s) for group %s: %s."


class CloseNoise(logging.Filter):
    """Takes the records an orderly close causes (see the module's docstring)."""

    def __init__(self):
        super().__init__()
        self.leave_failure: object | None = None

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == LEAVE_FAILED and record.args:
            self.leave_failure = record.args[0]
            return False
        cancelled = record.msg in (SEND_FAILED, COORDINATOR_DEAD) and isinstance(record.args, tuple) \
            and isinstance(record.args[-1], Cancelled)
        return not cancelled


def close_consumer(consumer: KafkaConsumer, timeout_ms: int) -> None:
    """Closes `consumer` (leaving its group, without committing: the service commits each
    batch itself), with the close's own noise taken out of the log."""
    noise = CloseNoise()
    coordinator_log = logging.getLogger(COORDINATOR_LOG)
    coordinator_log.addFilter(noise)
    try:
        consumer.close(autocommit=False, timeout_ms=timeout_ms)
    finally:
        coordinator_log.removeFilter(noise)
    if noise.leave_failure is not None:
        log.info("left consumer group %s without the broker's confirmation (%s): its other members, if any, "
                 "take over the partitions after the session timeout (%d ms)",
                 consumer.config.get("group_id"), noise.leave_failure, consumer.config.get("session_timeout_ms", 0))
