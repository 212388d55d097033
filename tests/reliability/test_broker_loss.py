"""The broker vanishing mid-ingest: scoring still stops when told to.

Before the offset commit had a deadline, scoring's consumer waited for a
group coordinator for ever once the broker was gone, and SIGTERM (a
Kubernetes rollout, Ctrl-C) never ended the process.
"""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

from reliability_kit import _record, demo_stream, publish, start_registry

from helpers import ServiceProcess, free_port, make_tokens
from jixiao.common.readiness import grpc_serving

EVENTS = 20_000
STOP_WITHIN_S = 25  # the commit's deadline (10 s) plus closing the clients


def test_sigterm_stops_scoring_after_the_broker_died_mid_ingest(topics, tmp_path):
    broker = subprocess.Popen([sys.executable, "-m", "jixiao.embedded.broker"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    registry = scoring = None
    try:
        bootstrap = json.loads(broker.stdout.readline())["bootstrap"]
        tokens = make_tokens(tmp_path)
        env = {**topics, "JIXIAO_DATA_DIR": str(tmp_path / "data"), "JIXIAO_KAFKA_BOOTSTRAP": bootstrap,
               "JIXIAO_KAFKA_API_VERSION": "3.0", "JIXIAO_TOKENS_FILE": str(tokens.file),
               "JIXIAO_SERVICE_TOKEN": tokens.reader, "JIXIAO_SCHEME_POLL_SECONDS": "0.5",
               "JIXIAO_SCORING_DATABASE_URL": f"sqlite:///{tmp_path / 'scoring.db'}"}
        registry, registry_address = start_registry(env, tokens, tmp_path)
        port = free_port()
        scoring = ServiceProcess("jixiao.scoring", {**env, "JIXIAO_REGISTRY_ADDR": registry_address,
                                                    "JIXIAO_SCORING_PORT": str(port)}, tmp_path)
        scoring.wait_ready(lambda: grpc_serving(f"127.0.0.1:{port}"), timeout=60)
        publish(bootstrap, topics["JIXIAO_METRICS_TOPIC"], [_record(e, "event") for e in demo_stream(EVENTS)])
        time.sleep(1.0)  # scoring is in the middle of its batches
        broker.kill()
        broker.wait(timeout=10)
        time.sleep(1.0)
        asked = time.monotonic()
        code = scoring.stop(signal.SIGTERM, timeout=STOP_WITHIN_S)
        took = time.monotonic() - asked
        assert took < STOP_WITHIN_S, f"scoring ignored SIGTERM for {took:.0f} s:\n{scoring.stderr()[-3000:]}"
        assert code == 0, scoring.stderr()[-3000:]
    finally:
        if scoring is not None and scoring.alive():
            scoring.stop(signal.SIGKILL)
        if registry is not None:
            registry.stop()
        if broker.poll() is None:
            broker.kill()
            broker.wait()
