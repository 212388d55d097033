"""A backend that does not answer — nothing listening, or a listener that
never speaks — is 503 with Retry-After and a JSON error, never a traceback;
the gateway's own health stays up."""
from __future__ import annotations

import socket
import time
from contextlib import contextmanager

import pytest
from gateway_kit import SCHEME, Http

from helpers import ServiceProcess, free_port, make_tokens
from jixiao.common.readiness import http_ok


@contextmanager
def gateway_before(backend: str, folder):
    """A gateway whose registry and scoring are `backend`: "nothing listening" (a free port)
    or "a listener that never answers" (a socket that accepts and stays silent)."""
    tokens = make_tokens(folder)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        address = f"127.0.0.1:{free_port() if backend == 'nothing listening' else silent.getsockname()[1]}"
        port = free_port()
        process = ServiceProcess("jixiao.gateway", {
            "JIXIAO_TOKENS_FILE": str(tokens.file), "JIXIAO_SERVICE_TOKEN": tokens.reader, "JIXIAO_GATEWAY_PORT": str(port),
            "JIXIAO_SCORING_ADDR": address, "JIXIAO_REGISTRY_ADDR": address, "JIXIAO_GRPC_DEADLINE_SECONDS": "0.5",
            "JIXIAO_GRPC_ACTION_DEADLINE_SECONDS": "1.5",
            "JIXIAO_KAFKA_BOOTSTRAP": f"127.0.0.1:{free_port()}"}, folder)
        process.wait_ready(lambda: http_ok(f"http://127.0.0.1:{port}/api/v1/health"))
        yield Http(f"http://127.0.0.1:{port}"), tokens
        assert process.stop() == 0
    assert "Traceback" not in process.stderr()


@pytest.fixture(params=["nothing listening", "a listener that never answers"])
def gateway(request, tmp_path):
    with gateway_before(request.param, tmp_path) as running:
        yield running


@pytest.fixture
def silent_gateway(tmp_path):
    """Only a listener that never answers makes a call wait out its deadline (nothing
    listening fails at once, whatever the deadline)."""
    with gateway_before("a listener that never answers", tmp_path) as running:
        yield running


API = f"/api/v1/schemes/{SCHEME}"


def test_every_kind_of_request_gets_503_with_retry_after(gateway):
    http, tokens = gateway
    assert http.get("/api/v1/health").status == 200
    replies = [
        http.get("/api/v1/schemes"),
        http.get(f"{API}/rankings?category=district_county&period=2026"),
        http.get(f"{API}/rankings?category=district_county&period=2026", token=tokens.office),
        http.get(f"{API}/units/U-R01/trend"),
        http.get("/api/v1/events/e-1"),
        http.post(f"{API}/periods/2026-01/lock", token=tokens.office),
        http.upload("v.csv", b"unit_id,metric_code,value,period\nU-R01,fixed_asset_investment,1,2026-01\n", tokens.feed),
    ]
    for reply in replies:
        assert reply.status == 503 and reply.error == "backend_unavailable", reply.body
        assert reply.headers["Retry-After"] == "5" and reply.headers["Cache-Control"] == "no-store"
        assert "not answering" in reply.body["error"]["message"]


def test_period_actions_wait_for_their_own_longer_deadline(silent_gateway):
    """A lock or a recheck recomputes a whole period: it may take longer than a read."""
    http, tokens = silent_gateway
    started = time.monotonic()
    assert http.get(f"{API}/rankings?category=district_county&period=2026", token=tokens.office).status == 503
    read = time.monotonic() - started
    started = time.monotonic()
    assert http.post(f"{API}/periods/2026-01/recheck", token=tokens.office).status == 503
    action = time.monotonic() - started
    assert read < 1.4 <= action, (read, action)
