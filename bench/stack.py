"""Starting the platform's real processes for a benchmark, as `jixiao up`
and the end-to-end tests do: a registry (SQLite) with the demo city's
plug-ins active and scheme published, scoring processes and a gateway, each
`python -m jixiao.<service>` on a free port, configured by environment
variables. Everything lives in a caller's temporary folder.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from benchkit import Child, free_port, log

from jixiao.common.readiness import grpc_serving, http_ok
from jixiao.common.tokens_cli import append
from jixiao.embedded import demo_feed
from jixiao.embedded.demo_feed import DEMO_SCHEME
from jixiao.registry.cli import bootstrap
from jixiao.registry.client import RegistryClient


@dataclass(frozen=True)
class Stack:
    """What every service of one benchmark shares: folder, broker, tokens, registry."""

    folder: Path
    env: dict[str, str]
    office_token: str


def new_stack(folder: Path, kafka_bootstrap: str) -> Stack:
    tokens = folder / "tokens.yaml"
    office = append(tokens, "bench office", "office", "")
    reader = append(tokens, "bench services", "reader", "")
    env = {
        "JIXIAO_DATA_DIR": str(folder / "data"),
        "JIXIAO_KAFKA_BOOTSTRAP": kafka_bootstrap,
        # the mock broker needs a pinned protocol version for groups of several members
        "JIXIAO_KAFKA_API_VERSION": "3.0",
        "JIXIAO_TOKENS_FILE": str(tokens),
        "JIXIAO_SERVICE_TOKEN": reader,
        "JIXIAO_SCHEME_POLL_SECONDS": "0.5",
        # The benchmarks' producers (load.py, latency.py, gateway.py, ingest_processes.py) do not sign their
        # records yet, so scoring's check of feed signatures (docs/feeds.md) is off here; it costs about
        # 0.1–0.2 ms of scoring's CPU per event, which these figures therefore leave out.
        "JIXIAO_FEED_SIGNATURES": "off",
    }
    return Stack(folder, env, office)


def start_registry(stack: Stack, started: list[Child], scheme_text: str | None = None) -> Stack:
    """The registry, with the demo plug-ins active and a scheme published (the
    demo city's unless `scheme_text` is given); returns the stack with
    JIXIAO_REGISTRY_ADDR set."""
    port = free_port()
    address = f"127.0.0.1:{port}"
    registry = Child("jixiao.registry", {**stack.env, "JIXIAO_REGISTRY_PORT": str(port)}, stack.folder)
    started.append(registry)
    registry.wait_ready(lambda: grpc_serving(address))
    with RegistryClient(address, stack.office_token, deadline_seconds=60) as client:
        bootstrap(client, scheme_text or DEMO_SCHEME.read_text(encoding="utf-8"), lambda text: None)
    return Stack(stack.folder, {**stack.env, "JIXIAO_REGISTRY_ADDR": address}, stack.office_token)


def consuming(database_url: str, topic: str, group: str, dead_letter_topic: str | None = None) -> dict[str, str]:
    """Scoring settings: its database, the topic it reads (dead letters to
    `<topic>.dlq` unless named) and its consumer group."""
    return {"JIXIAO_SCORING_DATABASE_URL": database_url, "JIXIAO_METRICS_TOPIC": topic,
            "JIXIAO_DEAD_LETTER_TOPIC": dead_letter_topic or f"{topic}.dlq", "JIXIAO_CONSUMER_GROUP": group}


def start_scoring(stack: Stack, started: list[Child], settings: dict[str, str]) -> tuple[Child, str]:
    """A scoring process with extra `settings` (database, topic, group…); ready
    once SERVING, i.e. consuming with the scheme known. Returns it and its address."""
    port = free_port()
    scoring = Child("jixiao.scoring", {**stack.env, **settings, "JIXIAO_SCORING_PORT": str(port)}, stack.folder)
    started.append(scoring)
    return scoring, f"127.0.0.1:{port}"


def wait_serving(scoring: Child, address: str) -> None:
    scoring.wait_ready(lambda: grpc_serving(address), timeout=120)


def start_gateway(stack: Stack, started: list[Child], scoring_address: str) -> str:
    """The gateway in front of a scoring process; returns its base URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    gateway = Child("jixiao.gateway", {**stack.env, "JIXIAO_SCORING_ADDR": scoring_address,
                                       "JIXIAO_GATEWAY_PORT": str(port)}, stack.folder)
    started.append(gateway)
    gateway.wait_ready(lambda: http_ok(f"{url}/api/v1/health"))
    return url


def preload(bootstrap: str, topic: str, scoring_address: str, token: str, alive, events: list[dict]) -> int:
    """Streams `events` to `topic` and waits until scoring has stored and
    rescored them; returns how many were sent."""
    stop = threading.Event()
    sent = demo_feed.publish(bootstrap, topic, events, log, stop)
    demo_feed.wait_until_scored(scoring_address, token, 0, sent, log, stop, alive)
    return sent
