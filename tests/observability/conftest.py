"""Fixtures of tests/observability: the three services as real processes,
exporting traces and metrics over OTLP/gRPC to a receiver in this process."""
from __future__ import annotations

import json
import re
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from otlp_receiver import OtlpReceiver  # noqa: E402

from helpers import DEMO_SCHEME, FeedKeys, ServiceProcess, Tokens, free_port, make_feed_keys, make_tokens, unique  # noqa: E402
from jixiao.common.readiness import grpc_serving, http_ok  # noqa: E402
from jixiao.registry.client import RegistryClient  # noqa: E402
from jixiao.registry.entrypoints.setup_command import bootstrap  # noqa: E402

SCHEME = "jiangchuan-2026"


@dataclass
class TracedPlatform:
    bootstrap: str
    topic: str
    dead_letter_topic: str
    receiver: OtlpReceiver
    scoring: ServiceProcess
    gateway_url: str
    tokens: Tokens
    keys: FeedKeys  # the demo sources' signing keys and the gateway's relay key

    def http(self, method: str, path: str, *, token: str | None = None, headers: dict | None = None,
             body: bytes | None = None) -> tuple[int, dict]:
        request = urllib.request.Request(self.gateway_url + path, method=method, data=body, headers=dict(headers or {}))
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")


@pytest.fixture(scope="module")
def traced_platform(broker, tmp_path_factory):
    """Registry (demo city published), scoring and gateway with
    OTEL_TRACES_EXPORTER=otlp and OTEL_METRICS_EXPORTER=otlp, exporting
    every 0.2 s (spans) and 0.5 s (metrics) to an OtlpReceiver."""
    tmp = tmp_path_factory.mktemp("traced")
    receiver = OtlpReceiver()
    registry_port, scoring_port, gateway_port = free_port(), free_port(), free_port()
    tokens = make_tokens(tmp)
    topic, dead_letters = unique("metrics"), unique("dlq")
    env = {
        "JIXIAO_TOKENS_FILE": str(tokens.file),
        "JIXIAO_SERVICE_TOKEN": tokens.reader,
        "JIXIAO_METRICS_TOPIC": topic,
        "JIXIAO_DEAD_LETTER_TOPIC": dead_letters,
        "JIXIAO_CONSUMER_GROUP": unique("group"),
        "JIXIAO_DATA_DIR": str(tmp / "data"),
        "JIXIAO_KAFKA_BOOTSTRAP": broker.bootstrap,
        "JIXIAO_REGISTRY_ADDR": f"127.0.0.1:{registry_port}",
        "JIXIAO_SCORING_ADDR": f"127.0.0.1:{scoring_port}",
        "JIXIAO_SCHEME_POLL_SECONDS": "0.5",
        "OTEL_TRACES_EXPORTER": "otlp",
        "OTEL_METRICS_EXPORTER": "otlp",
        "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
        "OTEL_TRACES_SAMPLER": "parentbased_always_on",
        "OTEL_BSP_SCHEDULE_DELAY": "200",
        "OTEL_METRIC_EXPORT_INTERVAL": "500",
    }
    registry = ServiceProcess("jixiao.registry", {**env, "JIXIAO_REGISTRY_PORT": str(registry_port)}, tmp)
    services = [registry]
    try:
        registry.wait_ready(lambda: grpc_serving(f"127.0.0.1:{registry_port}"))
        with RegistryClient(f"127.0.0.1:{registry_port}", tokens.office) as client:
            bootstrap(client, DEMO_SCHEME.read_text(encoding="utf-8"), lambda text: None)
        keys = make_feed_keys(f"127.0.0.1:{registry_port}", tokens.office, tmp)
        env.update(keys.env)
        scoring = ServiceProcess("jixiao.scoring", {**env, "JIXIAO_SCORING_PORT": str(scoring_port)}, tmp)
        services.append(scoring)
        scoring.wait_ready(lambda: grpc_serving(f"127.0.0.1:{scoring_port}"))
        gateway = ServiceProcess("jixiao.gateway", {**env, "JIXIAO_GATEWAY_PORT": str(gateway_port)}, tmp)
        services.append(gateway)
        gateway.wait_ready(lambda: http_ok(f"http://127.0.0.1:{gateway_port}/api/v1/health"))
        yield TracedPlatform(broker.bootstrap, topic, dead_letters, receiver, scoring,
                             f"http://127.0.0.1:{gateway_port}", tokens, keys)
    finally:
        outputs = {}
        for service in reversed(services):
            code = service.stop()
            outputs[service.module] = (code, service.stderr())
        receiver.close()
    for module, (code, output) in outputs.items():
        assert code == 0, f"{module} exited with {code}:\n{output}"
        assert "Traceback" not in output, output
        assert re.search(r"INFO jixiao\.\w+: stopping", output), output
