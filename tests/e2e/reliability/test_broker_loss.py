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
from types import SimpleNamespace

from helpers import eventually
from helpers.reliability_kit import _record, demo_stream, publish, start_platform
from jixiao.embedded.demo_feed import consumed, ingest_status

EVENTS = 15_000  # several seconds of ingest (scoring stores ~1,000-2,000 a second), so the broker dies in the middle of it
STOP_WITHIN_S = 25  # the commit's deadline (10 s) plus closing the clients


def test_sigterm_stops_scoring_after_the_broker_died_mid_ingest(topics, tmp_path):
    broker = subprocess.Popen([sys.executable, "-m", "jixiao.embedded.broker"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    platform = None
    try:
        bootstrap = json.loads(broker.stdout.readline())["bootstrap"]
        platform = start_platform(SimpleNamespace(bootstrap=bootstrap), topics, tmp_path)
        scoring = next(p for p in platform.processes if p.module == "jixiao.scoring")
        publish(bootstrap, topics["JIXIAO_METRICS_TOPIC"], [_record(e, "event") for e in demo_stream(EVENTS)],
                signer=platform.keys.signer)
        eventually(lambda: consumed(ingest_status(platform.scoring_address, platform.tokens.reader)) >= 1000, 120,
                   "a thousand records consumed", interval=0.1)
        at_kill = consumed(ingest_status(platform.scoring_address, platform.tokens.reader))
        broker.kill()
        broker.wait(timeout=10)
        time.sleep(1.0)
        asked = time.monotonic()
        code = scoring.stop(signal.SIGTERM, timeout=STOP_WITHIN_S)
        took = time.monotonic() - asked
        assert took < STOP_WITHIN_S, f"scoring ignored SIGTERM for {took:.0f} s:\n{scoring.stderr()[-3000:]}"
        assert code == 0, scoring.stderr()[-3000:]
        assert at_kill < EVENTS, "scoring had consumed everything before the broker died: the test proved nothing"
    finally:
        if platform is not None:
            platform.stop()
        if broker.poll() is None:
            broker.kill()
            broker.wait()
