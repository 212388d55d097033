"""The production server: `gunicorn jixiao.gateway.wsgi:app` serves the
API with several workers, logs through gunicorn's error log, stops cleanly
on SIGTERM, and stops with one line on a bad setting."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from gateway_kit import Http

from helpers import free_port, make_tokens
from jixiao.common.readiness import http_ok, wait_for

GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def start(env: dict, port: int, log: Path, workers: int = 2) -> subprocess.Popen:
    return subprocess.Popen([GUNICORN, "--workers", str(workers), "--threads", "4", "--bind", f"127.0.0.1:{port}",
                             "--graceful-timeout", "5", "jixiao.gateway.wsgi:app"],
                            env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=log.open("w"), stdin=subprocess.DEVNULL)


def test_gunicorn_serves_the_api_and_stops_cleanly(tmp_path):
    tokens = make_tokens(tmp_path)
    port, log = free_port(), tmp_path / "gunicorn.log"
    server = start({"JIXIAO_TOKENS_FILE": str(tokens.file), "JIXIAO_SERVICE_TOKEN": tokens.reader,
                    "JIXIAO_SCORING_ADDR": f"127.0.0.1:{free_port()}", "JIXIAO_REGISTRY_ADDR": f"127.0.0.1:{free_port()}",
                    "JIXIAO_GRPC_DEADLINE_SECONDS": "0.3"}, port, log)
    try:
        assert wait_for(lambda: http_ok(f"http://127.0.0.1:{port}/api/v1/health"), 30, still_alive=lambda: server.poll() is None), \
            log.read_text()
        http = Http(f"http://127.0.0.1:{port}")
        assert http.get("/api/v1/openapi.json").body["openapi"].startswith("3.1")
        down = http.get("/api/v1/schemes")
        assert down.status == 503 and down.headers["Retry-After"] == "5"
        assert http.get("/api/v1/schemes", token="jx_unknown").status == 401
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=30)
    output = log.read_text()
    assert code == 0, output
    assert output.count("[INFO] gateway worker") == 2, output  # our records, in gunicorn's format
    assert "Traceback" not in output


def test_a_bad_setting_stops_gunicorn_with_one_line(tmp_path):
    port, log = free_port(), tmp_path / "gunicorn.log"
    # One worker: when several fail to boot at once, gunicorn's arbiter itself
    # can print a HaltServer traceback while halting (a gunicorn race, not ours).
    server = start({"JIXIAO_SERVICE_TOKEN": "x", "JIXIAO_TOKENS_FILE": ""}, port, log, workers=1)
    code = server.wait(timeout=60)
    output = log.read_text()
    assert code != 0
    assert "[ERROR] jixiao gateway: error: JIXIAO_TOKENS_FILE is not set" in output, output
    assert "Traceback" not in output
