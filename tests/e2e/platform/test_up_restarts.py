"""`jixiao up` survives a crash of one part: scoring killed with SIGKILL is
restarted by the supervisor, with everything it had stored, and goes on
consuming. The supervisor's restart policy itself: tests/integration/embedded/test_restarts.py.

The platform is started with the demo city's scheme but without its year of
events (`--no-demo`, JIXIAO_SCHEME_FILE): streaming the whole year takes about
two minutes, so the test streams a slice of it itself, signed with the keys
`jixiao up` made."""
from __future__ import annotations

import json
import os
import signal
import threading
import urllib.error
import urllib.request
from pathlib import Path

import yaml

from helpers import DEMO_SCHEME, free_port, make_feed_keys
from helpers.jixiao_up import Up
from jixiao.common.readiness import wait_for
from jixiao.embedded import demo_feed

SCHEME = "jiangchuan-2026"


def get(url: str, token: str = "") -> dict | None:
    """The JSON answer, or None while the gateway or what it reads (scoring) does not answer."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
            return json.loads(response.read())
    except (urllib.error.URLError, OSError):
        return None


def send(bootstrap: str, events: list[dict], signer) -> None:
    sent = demo_feed.publish(bootstrap, "", events, lambda text: None, threading.Event(), signer)
    assert sent == len(events)


def running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_scoring_killed_under_jixiao_up_comes_back_with_nothing_lost(tmp_path):
    data = tmp_path / "data"
    registry_port = free_port()
    env = {
        "JIXIAO_DATA_DIR": str(data),
        "JIXIAO_REGISTRY_PORT": str(registry_port),
        "JIXIAO_SCORING_PORT": str(free_port()),
        "JIXIAO_GATEWAY_PORT": str(free_port()),
        "JIXIAO_SCHEME_FILE": str(DEMO_SCHEME),
    }
    up = Up(env, "--no-demo")
    try:
        scoring_pid = int(up.wait_for(r"scoring is up \(pid (\d+)\)", 120).group(1))
        portal = up.wait_for(r"Portal: (http://\S+)", 60).group(1)
        bootstrap = up.wait_for(r"Kafka bootstrap: (\S+)", 10).group(1)
        office = yaml.safe_load((data / "tokens.secret.yaml").read_text(encoding="utf-8"))["office"]
        signer = make_feed_keys(f"127.0.0.1:{registry_port}", office, data).signer  # the keys `jixiao up` made
        events = demo_feed.demo_event_dicts()
        first, second = events[:2000], events[2000:3000]

        def ingest() -> dict | None:
            return get(portal + "api/v1/ingest")

        def scored(count: int) -> bool:
            status = ingest() or {}
            return status.get("events_stored") == count and not status.get("pending_rescores")

        send(bootstrap, first, signer)
        assert wait_for(lambda: scored(len(first)), 90, interval=0.5), ingest()
        ranking_url = portal + f"api/v1/schemes/{SCHEME}/rankings?category=district_county&period=2026-01"
        before = {"ingest": ingest(), "ranking": get(ranking_url, office)}
        assert before["ingest"]["rejected"] == 0
        assert before["ranking"]["total_size"] == 9 and before["ranking"]["entries"][0]["total"] > 0, before

        os.kill(scoring_pid, signal.SIGKILL)
        up.wait_for(r"scoring stopped unexpectedly \(exit code -9, SIGKILL\); restarting in 1 s \(restart 1", 20)
        new_pid = int(up.wait_for(r"scoring is back \(pid (\d+)\)", 90).group(1))
        assert new_pid != scoring_pid and not running(scoring_pid) and running(new_pid)
        assert wait_for(lambda: scored(len(first)) and get(ranking_url, office) is not None, 60, interval=0.5)
        after = {"ingest": ingest(), "ranking": get(ranking_url, office)}
        assert after == before, "what scoring had stored survives its crash"

        # The restarted scoring consumes again, from where the killed one had committed.
        send(bootstrap, second, signer)
        assert wait_for(lambda: scored(len(first) + len(second)), 120, interval=0.5), ingest()
        assert ingest()["rejected"] == 0
        assert up.process.poll() is None, "jixiao up runs on"
    finally:
        code = up.interrupt()
    assert code == 0, "\n".join(up.seen)
    assert up.seen[-1] == "stopped"
    assert not any("Traceback" in line for line in up.seen), "\n".join(up.seen)
    supervisor_log = (data / "logs" / "supervisor.log").read_text(encoding="utf-8")
    assert f"scoring (pid {scoring_pid}) exited unexpectedly (exit code -9, SIGKILL)" in supervisor_log
    assert f"scoring restarted (pid {new_pid})" in supervisor_log
