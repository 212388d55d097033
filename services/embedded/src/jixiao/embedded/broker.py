"""The embedded Kafka-protocol broker: librdkafka's mock cluster.

librdkafka (inside the confluent-kafka wheel) carries a mock cluster that
speaks the Kafka protocol on real localhost ports; kafka-python and kcat
produce to it and consume from it with consumer groups and headers. It is a
test and single-machine broker — it keeps everything in memory and lives as
long as the client object that created it — not Apache Kafka. Production
points the same services at a real cluster through JIXIAO_KAFKA_BOOTSTRAP.
"""
from __future__ import annotations

import json
import signal
import sys

import confluent_kafka

from jixiao.common.lifecycle import stop_event_on_signals

DEFAULT_BROKERS = 3


class MockCluster:
    """A running mock cluster; `bootstrap` is its comma-separated broker list."""

    def __init__(self, brokers: int = DEFAULT_BROKERS):
        # librdkafka's threads inherit the signal mask of the thread that
        # starts them: with SIGTERM/SIGINT blocked there, a stop signal always
        # reaches Python's main thread instead of interrupting the mock
        # cluster's poll loop (which ends the cluster).
        stop_signals = {signal.SIGTERM, signal.SIGINT}
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
        try:
            self._client = confluent_kafka.Producer({
                "test.mock.num.brokers": brokers,
                # librdkafka announces the mock cluster at NOTICE level; keep stderr quiet.
                "log_level": 3,
            })
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        metadata = self._client.list_topics(timeout=10)
        self.bootstrap = ",".join(f"{b.host}:{b.port}" for b in sorted(metadata.brokers.values(), key=lambda b: b.id))

    def close(self) -> None:
        self._client = None


def main() -> int:
    """Runs the broker until SIGTERM/Ctrl-C; prints {"bootstrap": ...} first."""
    stop = stop_event_on_signals()
    cluster = MockCluster()
    print(json.dumps({"bootstrap": cluster.bootstrap}), flush=True)
    stop.wait()
    cluster.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
