"""Starting the platform's real processes for a benchmark, as `jixiao up`
and the end-to-end tests do: a registry (SQLite) with the demo city's
plug-ins active and scheme published, scoring processes and a gateway, each
`python -m jixiao.<service>` on a free port, configured by environment
variables. Everything lives in a caller's temporary folder.

Feeds sign their records as in production (docs/feeds.md): `start_registry`
makes a key per source of the scheme through the registry, as `jixiao up`
does, and scoring keeps its default JIXIAO_FEED_SIGNATURES=required. A stack
made with `signed=False` (the scripts' --unsigned) publishes unsigned records
and switches the check off: for comparison only.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from pathlib import Path

from benchkit import Child, free_port, log

from jixiao.common import event_codec
from jixiao.common.feed_signing import FeedSigner
from jixiao.common.readiness import grpc_serving, http_ok
from jixiao.common.tokens_cli import append
from jixiao.embedded import demo_feed
from jixiao.embedded.demo_feed import DEMO_SCHEME
from jixiao.embedded.local_keys import local_feed_keys
from jixiao.embedded.supervisor import scheme_sources
from jixiao.registry.client import RegistryClient
from jixiao.registry.entrypoints.setup_command import bootstrap


@dataclass(frozen=True)
class Stack:
    """What every service of one benchmark shares: folder, broker, tokens, registry,
    and the feeds' signing keys (`signer`, set by start_registry; None when unsigned)."""

    folder: Path
    env: dict[str, str]
    office_token: str
    signed: bool = True
    signer: FeedSigner | None = None


def new_stack(folder: Path, kafka_bootstrap: str, signed: bool = True) -> Stack:
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
    }
    if not signed:
        # --unsigned, for comparison only: scoring counts records without checking their signature.
        env["JIXIAO_FEED_SIGNATURES"] = "off"
    return Stack(folder, env, office, signed)


def start_registry(stack: Stack, started: list[Child], scheme_text: str | None = None) -> Stack:
    """The registry, with the demo plug-ins active and a scheme published (the
    demo city's unless `scheme_text` is given), and, unless the stack is
    unsigned, a signing key per source of the scheme and the gateway's relay
    key; returns the stack with JIXIAO_REGISTRY_ADDR (and JIXIAO_RELAY_KEY_FILE) set."""
    port = free_port()
    address = f"127.0.0.1:{port}"
    registry = Child("jixiao.registry", {**stack.env, "JIXIAO_REGISTRY_PORT": str(port)}, stack.folder)
    started.append(registry)
    registry.wait_ready(lambda: grpc_serving(address))
    text = scheme_text or DEMO_SCHEME.read_text(encoding="utf-8")
    env, signer = {**stack.env, "JIXIAO_REGISTRY_ADDR": address}, None
    with RegistryClient(address, stack.office_token, deadline_seconds=60) as client:
        bootstrap(client, text, lambda text: None)
        if stack.signed:
            keys = local_feed_keys(stack.folder, client, scheme_sources(text))
            env["JIXIAO_RELAY_KEY_FILE"] = str(keys.relay_file)
            signer = keys.signer
    return replace(stack, env=env, signer=signer)


def record_headers(signer: FeedSigner | None, event, key: bytes, value: bytes) -> list[tuple[str, bytes]]:
    """The headers of a feed's record of `event` (a MetricEvent): the content type and,
    unless `signer` is None, the signature with the key of the event's source."""
    headers = [(event_codec.CONTENT_TYPE_HEADER, event_codec.PROTOBUF.encode())]
    return headers if signer is None else signer.sign_headers(headers, event.source, key, value)


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


def preload(stack: Stack, topic: str, scoring_address: str, alive, events: list[dict]) -> int:
    """Streams `events` to `topic`, signed unless the stack is unsigned, and waits until
    scoring has stored and rescored them; returns how many were sent. Keeps at most
    demo_feed.MAX_BACKLOG records unconsumed, as `jixiao up` does: the embedded broker
    keeps only 5 MiB per partition, and a signed record is ~130 bytes longer."""
    stop = threading.Event()
    bootstrap, token = stack.env["JIXIAO_KAFKA_BOOTSTRAP"], stack.office_token
    before = demo_feed.consumed(demo_feed.ingest_status(scoring_address, token))
    sent = demo_feed.publish(bootstrap, topic, events, log, stop, stack.signer,
                             demo_feed.within_backlog(scoring_address, token, before, stop, alive))
    demo_feed.wait_until_scored(scoring_address, token, before, sent, log, stop, alive)
    check_none_rejected(scoring_address, token)
    return sent


def check_none_rejected(scoring_address: str, token: str) -> None:
    """Stops the benchmark if scoring sent any record to the dead-letter topic (a record
    not signed as scoring expects, say): it would measure something else than ingest."""
    status = demo_feed.ingest_status(scoring_address, token)
    if status is not None and status.rejected:
        raise SystemExit(f"scoring rejected {status.rejected} records (dead letters); see its log")
