"""A clean stop logs no ERROR: scoring on the embedded broker, stopped with SIGTERM or
Ctrl-C (SIGINT) once it consumes, or while it is still joining its consumer group, exits
0 saying it stopped, with no line at ERROR level and no traceback — kafka-python's
complaints about what the close itself causes are taken out precisely
(jixiao.scoring.adapters.consumer_close; the filter's cases: tests/unit/scoring/test_consumer_close.py).
Each case starts a scoring process of its own (its own database and consumer group)
beside the module's platform, which gives it the registry and a topic with a signed event."""
from __future__ import annotations

import re
import signal

import pytest
from kafka import KafkaProducer

from helpers import ServiceProcess, free_port, unique
from helpers.platform import wait_scored
from jixiao.common import event_codec
from jixiao.common.readiness import grpc_serving

EVENT = {"event_id": "clean-stop-1", "source": "stats_bureau", "unit_id": "U-R06", "metric_code": "fixed_asset_investment",
         "value": 12.5, "measurement_unit": "CNY_100M", "period": "2026-06"}
ERROR_LINE = re.compile(r"^\S+ \S+ scoring (ERROR|CRITICAL) ", re.MULTILINE)


@pytest.fixture
def topic_with_an_event(platform):
    """The platform's topic, holding at least one signed event."""
    value = event_codec.encode(event_codec.from_dict(EVENT))
    producer = KafkaProducer(bootstrap_servers=platform.bootstrap.split(","))
    producer.send(platform.topic, value=value, key=b"U-R06", headers=platform.keys.headers(EVENT, key=b"U-R06", value=value))
    producer.flush()
    producer.close()
    return platform


@pytest.mark.parametrize("sig, when", [
    (signal.SIGTERM, "consuming"),
    (signal.SIGINT, "consuming"),
    (signal.SIGTERM, "joining its group"),
])
def test_scoring_stops_without_an_error_line(topic_with_an_event, tmp_path, sig, when):
    platform = topic_with_an_event
    port = free_port()
    address = f"127.0.0.1:{port}"
    scoring = ServiceProcess("jixiao.scoring", {
        **platform.env, **platform.keys.env, "JIXIAO_DATA_DIR": str(tmp_path / "data"),
        "JIXIAO_SCORING_PORT": str(port), "JIXIAO_CONSUMER_GROUP": unique("clean-stop")}, tmp_path)
    try:
        scoring.wait_ready(lambda: grpc_serving(address), timeout=60)  # serving: its consumer is about to join
        if when == "consuming":
            wait_scored(address, platform.tokens.reader, 1, timeout=60, scoring=scoring)  # joined and committed
    finally:
        code = scoring.stop(sig)
    log = scoring.stderr()
    assert code == 0, log
    assert "INFO jixiao.scoring: stopping" in log
    assert "Traceback" not in log, log
    assert not ERROR_LINE.search(log), log
