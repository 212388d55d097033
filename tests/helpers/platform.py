"""The platform as real processes: registry, scoring and gateway on free ports
against the worker's embedded broker, with their own topics, consumer group,
data directory, tokens and feed-signing keys. Every end-to-end fixture
(tests/e2e, its gateway, portal, observability and reliability folders)
starts the platform here, and stops it here: each service must then exit 0,
without a traceback, saying it stopped."""
from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from helpers import DEMO_SCHEME, FeedKeys, ServiceProcess, Tokens, free_port, make_feed_keys, make_tokens, unique
from jixiao.common.readiness import grpc_answering, grpc_serving, http_ok, wait_for

SERVICES = ("jixiao.registry", "jixiao.scoring", "jixiao.gateway")


def new_topics() -> dict[str, str]:
    """The settings of a topic, a dead-letter topic and a consumer group no other test uses."""
    return {"JIXIAO_METRICS_TOPIC": unique("metrics"), "JIXIAO_DEAD_LETTER_TOPIC": unique("dlq"),
            "JIXIAO_CONSUMER_GROUP": unique("group")}


@dataclass
class RunningPlatform:
    folder: Path
    bootstrap: str  # the broker
    topics: dict[str, str]  # JIXIAO_METRICS_TOPIC, JIXIAO_DEAD_LETTER_TOPIC, JIXIAO_CONSUMER_GROUP
    env: dict[str, str]  # what every service was started with (a test starting one more uses it)
    tokens: Tokens
    keys: FeedKeys | None  # the scheme's sources' signing keys and the gateway's relay key
    processes: list[ServiceProcess]  # registry, scoring, gateway: in the order started
    registry_address: str
    scoring_address: str
    gateway_url: str

    @property
    def topic(self) -> str:
        return self.topics["JIXIAO_METRICS_TOPIC"]

    def process(self, module: str) -> ServiceProcess:
        return next(p for p in self.processes if p.module == module)

    @property
    def registry(self) -> ServiceProcess:
        return self.process("jixiao.registry")

    @property
    def scoring(self) -> ServiceProcess:
        return self.process("jixiao.scoring")

    @property
    def gateway(self) -> ServiceProcess:
        return self.process("jixiao.gateway")

    def get(self, path: str, token: str | None = None) -> tuple[int, dict]:
        """A JSON read from the gateway, as the evaluation office unless `token` says otherwise."""
        request = urllib.request.Request(self.gateway_url + path,
                                         headers={"Authorization": f"Bearer {token or self.tokens.office}"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def stop(self) -> dict[str, tuple[int, str]]:
        """Stops every process, the last started first; each one's exit status and log."""
        return stop_processes(self.processes)

    def stop_cleanly(self) -> None:
        """Stops every process and checks each exited 0, without a traceback, saying it stopped."""
        for module, (code, output) in self.stop().items():
            assert code == 0, f"{module} exited with {code}:\n{output}"
            assert "Traceback" not in output, output
            assert re.search(r"INFO jixiao\.\w+: stopping", output), output


def stop_processes(processes: list[ServiceProcess]) -> dict[str, tuple[int, str]]:
    """Stops `processes`: SIGTERM to each, the last started first, then waits for them all
    (together, not one after another); each one's exit status and log, by module."""
    for process in reversed(processes):
        process.ask_to_stop()
    found = {}
    for process in reversed(processes):
        code = process.stop()
        found[process.module] = (code, process.stderr())
    return found


def start_platform(broker, folder: Path, *, scheme_text: str | None = None, env: dict[str, str] | None = None,
                   topics: dict[str, str] | None = None, tokens: Tokens | None = None,
                   ready_timeout: float = 60.0) -> RunningPlatform:
    """Registry, scoring and gateway in `folder`, `env` added to their settings.

    `scheme_text`: the scheme the office publishes first (the demo city's when None,
    nothing when ""); its sources get signing keys, as `jixiao up` makes them.
    Scoring is ready when it serves (a scheme is published) or, with no scheme, answers."""
    folder.mkdir(parents=True, exist_ok=True)
    tokens = tokens or make_tokens(folder)
    topics = topics or new_topics()
    registry_port, scoring_port, gateway_port = free_port(), free_port(), free_port()
    registry_address, scoring_address = f"127.0.0.1:{registry_port}", f"127.0.0.1:{scoring_port}"
    settings = {
        "JIXIAO_TOKENS_FILE": str(tokens.file),
        "JIXIAO_SERVICE_TOKEN": tokens.reader,
        **({"JIXIAO_BALLOT_BOX_TOKEN": tokens.ballot_box} if tokens.ballot_box else {}),
        **topics,
        "JIXIAO_DATA_DIR": str(folder / "data"),
        "JIXIAO_KAFKA_BOOTSTRAP": broker.bootstrap,
        "JIXIAO_REGISTRY_ADDR": registry_address,
        "JIXIAO_SCORING_ADDR": scoring_address,
        "JIXIAO_SCHEME_POLL_SECONDS": "0.5",
        **(env or {}),
    }
    text = DEMO_SCHEME.read_text(encoding="utf-8") if scheme_text is None else scheme_text
    running = RunningPlatform(folder, broker.bootstrap, topics, settings, tokens, None, [], registry_address,
                              scoring_address, f"http://127.0.0.1:{gateway_port}")
    try:
        _start(running, "jixiao.registry", {"JIXIAO_REGISTRY_PORT": str(registry_port)},
               lambda: grpc_serving(registry_address), ready_timeout)
        if text:
            publish_scheme(registry_address, tokens.office, text)
        running.keys = make_feed_keys(registry_address, tokens.office, folder, text)
        settings.update(running.keys.env)
        _start(running, "jixiao.scoring", {"JIXIAO_SCORING_PORT": str(scoring_port)},
               lambda: (grpc_serving if text else grpc_answering)(scoring_address), ready_timeout)
        _start(running, "jixiao.gateway", {"JIXIAO_GATEWAY_PORT": str(gateway_port)},
               lambda: http_ok(f"{running.gateway_url}/api/v1/health"), ready_timeout)
    except BaseException:
        running.stop()
        raise
    return running


@contextmanager
def platform_running(broker, folder: Path, **options) -> Iterator[RunningPlatform]:
    """`start_platform`, then `stop_cleanly` after the block (not after a failure in it)."""
    running = start_platform(broker, folder, **options)
    try:
        yield running
    except BaseException:
        running.stop()
        raise
    running.stop_cleanly()


def wait_scored(scoring_address: str, token: str, count: int, timeout: float = 120.0,
                scoring: ServiceProcess | None = None) -> None:
    """Until scoring has read `count` records in all (stored, duplicate or rejected) and
    rescored what they changed; fails with the end of scoring's log when given `scoring`."""
    from jixiao.embedded.demo_feed import consumed, ingest_status

    def done() -> bool:
        status = ingest_status(scoring_address, token)
        return status is not None and consumed(status) >= count and status.pending_rescores == 0

    if not wait_for(done, timeout, interval=0.2, still_alive=scoring.alive if scoring else lambda: True):
        log = f":\n{scoring.stderr()[-3000:]}" if scoring else ""
        raise AssertionError(f"scoring did not consume {count} records and rescore them within {timeout} s{log}")


def publish_scheme(registry_address: str, office_token: str, scheme_text: str) -> None:
    """What `jixiao setup` does: the scheme's plug-ins activated, the scheme published."""
    from jixiao.registry.client import RegistryClient
    from jixiao.registry.entrypoints.setup_command import bootstrap

    with RegistryClient(registry_address, office_token, deadline_seconds=60) as client:
        bootstrap(client, scheme_text, lambda text: None)


def _start(running: RunningPlatform, module: str, own: dict[str, str], ready: Callable[[], bool], timeout: float) -> None:
    process = ServiceProcess(module, {**running.env, **own}, running.folder)
    running.processes.append(process)
    process.wait_ready(ready, timeout=timeout)
