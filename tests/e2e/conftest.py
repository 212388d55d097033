"""A running platform for end-to-end tests: registry (demo scheme), scoring
and gateway as real processes on free ports, against the worker's embedded
broker, each test with its own topics, group and data directory."""
from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest

from helpers import DEMO_SCHEME, FeedKeys, ServiceProcess, Tokens, free_port, make_feed_keys, make_tokens
from jixiao.common.readiness import grpc_answering, grpc_serving, http_ok
from jixiao.registry.client import RegistryClient
from jixiao.registry.entrypoints.setup_command import bootstrap


@dataclass
class Platform:
    bootstrap: str
    topics: dict[str, str]
    registry: ServiceProcess
    scoring: ServiceProcess
    gateway: ServiceProcess
    registry_address: str
    scoring_address: str
    gateway_url: str
    tokens: Tokens
    keys: FeedKeys  # the demo sources' signing keys (keys.headers signs a record) and the gateway's relay key

    def get(self, path: str) -> tuple[int, dict]:
        """Reads as the evaluation office, which sees periods before they are published."""
        request = urllib.request.Request(self.gateway_url + path, headers={"Authorization": f"Bearer {self.tokens.office}"})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")


@pytest.fixture(params=["demo"])
def platform(request, broker, topics, tmp_path):
    """The three services; with the demo city's plug-ins active and its scheme
    published, or (parametrize indirectly with "empty") with nothing yet."""
    registry_port, scoring_port, gateway_port = free_port(), free_port(), free_port()
    tokens = make_tokens(tmp_path)
    env = {
        "JIXIAO_TOKENS_FILE": str(tokens.file),
        "JIXIAO_SERVICE_TOKEN": tokens.reader,
        **topics,
        "JIXIAO_DATA_DIR": str(tmp_path / "data"),
        "JIXIAO_KAFKA_BOOTSTRAP": broker.bootstrap,
        "JIXIAO_REGISTRY_ADDR": f"127.0.0.1:{registry_port}",
        "JIXIAO_SCORING_ADDR": f"127.0.0.1:{scoring_port}",
        "JIXIAO_SCHEME_POLL_SECONDS": "0.5",
    }
    registry = ServiceProcess("jixiao.registry", {**env, "JIXIAO_REGISTRY_PORT": str(registry_port)}, tmp_path)
    registry.wait_ready(lambda: grpc_serving(f"127.0.0.1:{registry_port}"))
    if request.param == "demo":
        with RegistryClient(f"127.0.0.1:{registry_port}", tokens.office) as client:
            bootstrap(client, DEMO_SCHEME.read_text(encoding="utf-8"), lambda text: None)
    keys = make_feed_keys(f"127.0.0.1:{registry_port}", tokens.office, tmp_path, None if request.param == "demo" else "")
    env.update(keys.env)
    scoring = ServiceProcess("jixiao.scoring", {**env, "JIXIAO_SCORING_PORT": str(scoring_port)}, tmp_path)
    ready = grpc_serving if request.param == "demo" else grpc_answering
    scoring.wait_ready(lambda: ready(f"127.0.0.1:{scoring_port}"))
    gateway = ServiceProcess("jixiao.gateway", {**env, "JIXIAO_GATEWAY_PORT": str(gateway_port)}, tmp_path)
    gateway.wait_ready(lambda: http_ok(f"http://127.0.0.1:{gateway_port}/api/v1/health"))
    running = Platform(broker.bootstrap, topics, registry, scoring, gateway, f"127.0.0.1:{registry_port}",
                       f"127.0.0.1:{scoring_port}", f"http://127.0.0.1:{gateway_port}", tokens, keys)
    yield running
    for service in (gateway, scoring, registry):
        code = service.stop()
        output = service.stderr()
        assert code == 0, f"{service.module} exited with {code}:\n{output}"
        assert "Traceback" not in output, output
        assert re.search(r"INFO jixiao\.\w+: stopping", output), output
