"""Fixtures of tests/integration/observability: the three services as real processes,
exporting traces and metrics over OTLP/gRPC to a receiver in this process."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest

from helpers import FeedKeys, ServiceProcess, Tokens
from helpers.otlp_receiver import OtlpReceiver
from helpers.platform import platform_running

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
    receiver = OtlpReceiver()
    try:
        with platform_running(broker, tmp_path_factory.mktemp("traced"), env={
            "OTEL_TRACES_EXPORTER": "otlp",
            "OTEL_METRICS_EXPORTER": "otlp",
            "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
            "OTEL_TRACES_SAMPLER": "parentbased_always_on",
            "OTEL_BSP_SCHEDULE_DELAY": "200",
            "OTEL_METRIC_EXPORT_INTERVAL": "500",
        }) as running:
            yield TracedPlatform(broker.bootstrap, running.topic, running.topics["JIXIAO_DEAD_LETTER_TOPIC"], receiver,
                                 running.scoring, running.gateway_url, running.tokens, running.keys)
    finally:
        receiver.close()
