"""Requests per second of the gateway's rankings endpoint against a bare
Flask JSON endpoint, measured in the same run with the same server and the
same client.

    .venv/bin/python bench/gateway.py [--seconds 5] [--workers 2] [--threads 4] [--clients 16] [--unsigned]

1. Starts the embedded broker, the registry with the demo city and scoring
   (SQLite), streams the demo city's first quarter through Kafka, each record
   signed with its source's key (--unsigned: not, and scoring's check off),
   and waits until scoring has it.
2. Serves the gateway (`jixiao.gateway.wsgi:app`) under gunicorn and
   publishes 2026-Q1 through its office API (lock, approve, publish).
3. Serves a bare Flask app under the same gunicorn settings, whose one view
   answers `jsonify` of the very body the rankings endpoint gives.
4. Drives each with the same keep-alive HTTP client threads, after a
   warm-up, in interleaved rounds.

Prints one JSON object. `rankings_vs_bare_flask_ratio` (goal ≥ 0.8) is for
public requests, as portals make them: a published period, answered from the
gateway's 30-second cache of public answers after the first request of each
worker. `rankings_uncached_vs_bare_flask_ratio` is for requests with an
office token, each of which asks scoring over gRPC. Client and servers share
the machine's cores.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchkit import children, emit, free_port, log
from stack import check_none_rejected, new_stack, record_headers, start_registry, start_scoring, wait_serving

from jixiao.common import event_codec, kafka
from jixiao.common.readiness import http_ok, wait_for
from jixiao.embedded.broker import MockCluster
from jixiao.embedded.demo_feed import consumed, demo_event_dicts, ingest_status

SCHEME = "jiangchuan-2026"
PERIOD = "2026-Q1"
PAYLOAD_SETTING = "JIXIAO_BENCH_BARE_PAYLOAD"
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def bare_app():
    """The baseline (a gunicorn app factory): one Flask view answering `jsonify` of
    the JSON in the file named by JIXIAO_BENCH_BARE_PAYLOAD, configured as the gateway's."""
    from flask import Flask, jsonify

    payload = json.loads(Path(os.environ[PAYLOAD_SETTING]).read_text(encoding="utf-8"))
    app = Flask("bare")
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    @app.get("/bare")
    def bare():
        return jsonify(payload)

    return app


def quarter_events() -> list[dict]:
    first = ("2026-01", "2026-02", "2026-03", PERIOD)
    return [e for e in demo_event_dicts() if e["period"].startswith(first)]


def publish_events(bootstrap: str, topic: str, events: list[dict], signer) -> None:
    """Sends the events as feeds do, signed by `signer` (a FeedSigner; None: unsigned)."""
    producer = kafka.producer(bootstrap)
    for data in events:
        event = event_codec.from_dict(data)
        key, value = event.unit_id.encode(), event_codec.encode(event)
        producer.send(topic, value=value, key=key, headers=record_headers(signer, event, key, value))
    producer.flush()
    producer.close()


def gunicorn(app: str, env: dict[str, str], options: argparse.Namespace, folder: Path, started: list) -> int:
    """Serves `app` under gunicorn with the benchmark's settings; returns the port."""
    port = free_port()
    log_path = folder / f"gunicorn-{port}.log"
    process = subprocess.Popen(
        [GUNICORN, "--workers", str(options.workers), "--threads", str(options.threads), "--bind", f"127.0.0.1:{port}",
         "--chdir", str(Path(__file__).parent), "--log-level", "warning", app],
        env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=log_path.open("w"), stdin=subprocess.DEVNULL)
    started.append(_Server(process, log_path))
    health = "/api/v1/health" if app.startswith("jixiao") else "/bare"
    if not wait_for(lambda: http_ok(f"http://127.0.0.1:{port}{health}"), 60, still_alive=lambda: process.poll() is None):
        raise RuntimeError(f"gunicorn {app} did not start:\n{log_path.read_text()}")
    return port


class _Server:
    """A gunicorn process in the `children()` list: stopped like a Child."""

    def __init__(self, process: subprocess.Popen, log_path: Path):
        self.process, self.log_path = process, log_path

    def stop(self, timeout: float = 30.0) -> int:
        self.process.terminate()
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


def call(port: int, method: str, path: str, token: str = "") -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, headers={"Authorization": f"Bearer {token}"} if token else {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def requests_per_second(port: int, path: str, headers: dict[str, str], clients: int, seconds: float) -> float:
    """Keep-alive client threads asking `path` for `seconds`; every answer must be 200."""
    counts = [0] * clients
    failures: list[str] = []
    start = threading.Barrier(clients + 1)

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start.wait()
        deadline = time.perf_counter() + seconds
        done = 0
        while time.perf_counter() < deadline:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                failures.append(f"{path}: {response.status}")
                break
            done += 1
        counts[number] = done
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if failures:
        raise RuntimeError(f"failed requests: {failures[:3]}")
    return sum(counts) / elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each measured round")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds per endpoint")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of both servers")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker (gthread)")
    parser.add_argument("--clients", type=int, default=16, help="client threads, each with one keep-alive connection")
    parser.add_argument("--category", default="economic", help="category of the ranking asked for")
    parser.add_argument("--unsigned", action="store_true",
                        help="publish unsigned records, scoring's check off: for comparison only")
    options = parser.parse_args(argv)
    cluster = MockCluster()
    with tempfile.TemporaryDirectory() as tmp, children() as started:
        folder = Path(tmp)
        stack = start_registry(new_stack(folder, cluster.bootstrap, signed=not options.unsigned), started)
        events = quarter_events()
        scoring, scoring_address = start_scoring(stack, started, {"JIXIAO_METRICS_TOPIC": "bench.metrics"})
        wait_serving(scoring, scoring_address)
        log(f"streaming {len(events)} events of {PERIOD} through Kafka")
        publish_events(cluster.bootstrap, "bench.metrics", events, stack.signer)
        reader = stack.env["JIXIAO_SERVICE_TOKEN"]
        if not wait_for(lambda: consumed(ingest_status(scoring_address, reader)) >= len(events), 300,
                        interval=0.5, still_alive=scoring.alive):
            raise RuntimeError(f"scoring did not store the events:\n{scoring.log_tail()}")
        check_none_rejected(scoring_address, reader)
        gateway = gunicorn("jixiao.gateway.wsgi:app", {**stack.env, "JIXIAO_SCORING_ADDR": scoring_address,
                                                      "JIXIAO_METRICS_TOPIC": "bench.metrics"}, options, folder, started)
        for action in ("lock", "approve", "publish"):
            status, body = call(gateway, "POST", f"/api/v1/schemes/{SCHEME}/periods/{PERIOD}/{action}", stack.office_token)
            if status != 200:
                raise RuntimeError(f"{action} {PERIOD}: {status} {body[:300]!r}")
        path = f"/api/v1/schemes/{SCHEME}/rankings?category={options.category}&period={PERIOD}"
        status, body = call(gateway, "GET", path)
        entries = len(json.loads(body)["entries"]) if status == 200 else 0
        if not entries:
            raise RuntimeError(f"the ranking is empty or unavailable: {status} {body[:300]!r}")
        payload = folder / "payload.json"
        payload.write_bytes(body)
        bare = gunicorn("gateway:bare_app()", {PAYLOAD_SETTING: str(payload)}, options, folder, started)
        if json.loads(call(bare, "GET", "/bare")[1]) != json.loads(body):
            raise RuntimeError("the bare endpoint does not answer the rankings body")

        office = {"Authorization": f"Bearer {stack.office_token}"}
        cases = {"bare": (bare, "/bare", {}), "rankings": (gateway, path, {}), "rankings_uncached": (gateway, path, office)}
        for port, target, headers in cases.values():
            requests_per_second(port, target, headers, options.clients, 1.0)  # warm-up
        measured: dict[str, list[float]] = {name: [] for name in cases}
        for round_number in range(options.rounds):
            for name, (port, target, headers) in cases.items():
                measured[name].append(requests_per_second(port, target, headers, options.clients, options.seconds))
                log(f"round {round_number + 1} {name}: {measured[name][-1]:.0f} requests/s")
        rps = {name: sum(values) / len(values) for name, values in measured.items()}
        emit({
            "benchmark": "gateway",
            "server": f"gunicorn gthread, {options.workers} workers x {options.threads} threads",
            "client": f"{options.clients} keep-alive threads (Python http.client), same machine",
            "ranking_entries": entries,
            "response_bytes": len(body),
            "bare_flask_requests_per_s": round(rps["bare"], 1),
            "rankings_requests_per_s": round(rps["rankings"], 1),
            "rankings_uncached_requests_per_s": round(rps["rankings_uncached"], 1),
            "rankings_vs_bare_flask_ratio": round(rps["rankings"] / rps["bare"], 3),
            "rankings_uncached_vs_bare_flask_ratio": round(rps["rankings_uncached"] / rps["bare"], 3),
        })
    cluster.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
