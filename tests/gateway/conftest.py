"""The gateway over real sockets: registry (demo scheme), scoring and the
gateway as processes on free ports against the worker's embedded broker,
one platform per test module (its own topics, group, data and tokens)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from gateway_kit import Http, Platform  # noqa: E402

from helpers import DEMO_SCHEME, ServiceProcess, free_port, make_feed_keys, make_tokens, unique  # noqa: E402
from jixiao.common.readiness import grpc_serving, http_ok  # noqa: E402
from jixiao.common.tokens_cli import append  # noqa: E402
from jixiao.registry.client import RegistryClient  # noqa: E402
from jixiao.registry.entrypoints.setup_command import bootstrap  # noqa: E402


@pytest.fixture(scope="module")
def platform(broker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("platform")
    tokens = make_tokens(folder)
    unit_token = append(tokens.file, "青山区", "department", "U-R01")
    registry_port, scoring_port, gateway_port = free_port(), free_port(), free_port()
    topics = {"JIXIAO_METRICS_TOPIC": unique("metrics"), "JIXIAO_DEAD_LETTER_TOPIC": unique("dlq"),
              "JIXIAO_CONSUMER_GROUP": unique("group")}
    env = {
        "JIXIAO_TOKENS_FILE": str(tokens.file),
        "JIXIAO_SERVICE_TOKEN": tokens.reader,
        **topics,
        "JIXIAO_DATA_DIR": str(folder / "data"),
        "JIXIAO_KAFKA_BOOTSTRAP": broker.bootstrap,
        "JIXIAO_REGISTRY_ADDR": f"127.0.0.1:{registry_port}",
        "JIXIAO_SCORING_ADDR": f"127.0.0.1:{scoring_port}",
        "JIXIAO_SCHEME_POLL_SECONDS": "0.5",
        "JIXIAO_FINDINGS_REFRESH_SECONDS": "1",
    }
    processes = []
    registry = ServiceProcess("jixiao.registry", {**env, "JIXIAO_REGISTRY_PORT": str(registry_port)}, folder)
    processes.append(registry)
    registry.wait_ready(lambda: grpc_serving(f"127.0.0.1:{registry_port}"))
    with RegistryClient(f"127.0.0.1:{registry_port}", tokens.office) as client:
        bootstrap(client, DEMO_SCHEME.read_text(encoding="utf-8"), lambda text: None)
    env.update(make_feed_keys(f"127.0.0.1:{registry_port}", tokens.office, folder).env)  # the gateway signs uploads
    scoring = ServiceProcess("jixiao.scoring", {**env, "JIXIAO_SCORING_PORT": str(scoring_port)}, folder)
    processes.append(scoring)
    scoring.wait_ready(lambda: grpc_serving(f"127.0.0.1:{scoring_port}"))
    gateway = ServiceProcess("jixiao.gateway", {**env, "JIXIAO_GATEWAY_PORT": str(gateway_port)}, folder)
    processes.append(gateway)
    gateway.wait_ready(lambda: http_ok(f"http://127.0.0.1:{gateway_port}/api/v1/health"))
    yield Platform(broker.bootstrap, topics, env, tokens, unit_token, Http(f"http://127.0.0.1:{gateway_port}"),
                   f"127.0.0.1:{scoring_port}", processes)
    for service in reversed(processes):
        code = service.stop()
        output = service.stderr()
        assert code == 0, f"{service.module} exited with {code}:\n{output}"
        assert "Traceback" not in output, output
