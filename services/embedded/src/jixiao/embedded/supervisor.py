"""`jixiao up`: the whole platform on one machine.

Starts the embedded Kafka-protocol broker, the registry (loading the demo
city's scheme), scoring and the gateway as child processes; streams the
demo year of metric events through Kafka unless scoring has them already;
prints the portal URL and the broker's bootstrap address; and on Ctrl-C
stops the services, then, once they have exited, the broker. Child logs go
to <data dir>/logs/.

A service (registry, scoring, gateway) that exits unexpectedly is restarted
with the same environment after a backoff (restarts.RestartPolicy), noted on
screen and in <data dir>/logs/supervisor.log; one that crashes too often, or
the broker, stops the platform with exit status 1.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import grpc

from jixiao.common import yaml_text
from jixiao.common.config import ConfigError, check_port_free, data_dir, env_port
from jixiao.common.kafka import METRICS_TOPIC
from jixiao.common.lifecycle import stop_event_on_signals
from jixiao.common.readiness import grpc_answering, grpc_serving, http_ok, wait_for
from jixiao.registry.client import RegistryClient
from jixiao.registry.entrypoints.setup_command import bootstrap

from . import demo_feed
from .demo_feed import DEMO_SCHEME
from .demo_people import fill_people
from .local_keys import local_feed_keys
from .local_tokens import demo_people_tokens, local_tokens
from .restarts import RestartPolicy

START_TIMEOUT = 60.0
BROKER = "broker"  # the child stopped last


@dataclass
class Child:
    name: str
    module: str
    env: dict[str, str] = field(repr=False)
    log_path: Path
    log_file: object = field(repr=False, default=None)
    stdout: object = field(repr=False, default=None)
    restartable: bool = True
    ready: Callable[[], bool] = field(repr=False, default=lambda: True)
    policy: RestartPolicy = field(default_factory=RestartPolicy)
    process: subprocess.Popen | None = None

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, lines: int = 5) -> str:
        try:
            return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


class Platform:
    def __init__(self, environ: dict[str, str], *, demo: bool = True, out=sys.stdout):
        self.environ = environ
        self.demo = demo
        self.out = out
        self.data = data_dir(environ)
        self.logs = self.data / "logs"
        self.logs.mkdir(exist_ok=True)
        self.children: list[Child] = []
        self.registry_port = env_port(environ, "JIXIAO_REGISTRY_PORT", 50051)
        self.scoring_port = env_port(environ, "JIXIAO_SCORING_PORT", 50052)
        self.gateway_port = env_port(environ, "JIXIAO_GATEWAY_PORT", 8080)
        self.bootstrap = ""
        self.announced = False
        self.failure = ""  # why the platform gave up, once it has
        self.people: dict[str, str] = {}  # the demo's people's tokens (local_tokens.DEMO_PEOPLE)

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def start(self) -> None:
        for setting, port in (("JIXIAO_REGISTRY_PORT", self.registry_port), ("JIXIAO_SCORING_PORT", self.scoring_port),
                              ("JIXIAO_GATEWAY_PORT", self.gateway_port)):
            check_port_free("127.0.0.1", port, setting)
        scheme_text = self._scheme_text()
        self.say(f"数据目录 data directory: {self.data}")
        tokens = local_tokens(self.data)
        # The demo's people (departments' scorers and heads, a unit) get their tokens before the
        # services start, so that the services know them when the demo acts as them.
        self.people = demo_people_tokens(tokens) if self.demo and not self._scheme_file() else {}
        # The broker is not restarted: the mock cluster keeps the topics (records not consumed yet, the
        # consumer group's offsets) in its process's memory and a new one listens on new ports, which the
        # running services were given at start. Its death stops the platform instead (keep_alive).
        broker = self._spawn(BROKER, "jixiao.embedded.broker", {}, stdout=subprocess.PIPE, restartable=False)
        line = broker.process.stdout.readline()
        if not line:
            raise ConfigError(f"the embedded broker did not start; see {broker.log_path}: {broker.log_tail()}")
        self.bootstrap = json.loads(line)["bootstrap"]
        self.say(f"embedded Kafka-protocol broker (librdkafka mock cluster): {self.bootstrap}")
        registry_address = f"127.0.0.1:{self.registry_port}"
        common = {
            "JIXIAO_DATA_DIR": str(self.data),
            "JIXIAO_KAFKA_BOOTSTRAP": self.bootstrap,
            "JIXIAO_REGISTRY_ADDR": registry_address,
            "JIXIAO_SCORING_ADDR": f"127.0.0.1:{self.scoring_port}",
            "JIXIAO_TOKENS_FILE": str(tokens.file),
            "JIXIAO_SERVICE_TOKEN": tokens.service,
            # the mock cluster needs a pinned protocol version for groups of several members
            "JIXIAO_KAFKA_API_VERSION": self.environ.get("JIXIAO_KAFKA_API_VERSION") or "3.0",
        }
        registry = self._spawn("registry", "jixiao.registry", {**common, "JIXIAO_REGISTRY_PORT": str(self.registry_port)})
        self._await(registry, lambda: grpc_serving(registry_address))
        with RegistryClient(registry_address, tokens.office, deadline_seconds=60) as client:
            if scheme_text is not None:
                bootstrap(client, scheme_text, lambda text: self.say(f"  {text}"))
            # The sources' signing keys (the demo feed's) and the gateway's relay key, kept in the data directory.
            self.keys = local_feed_keys(self.data, client, scheme_sources(scheme_text))
        common["JIXIAO_RELAY_KEY_FILE"] = str(self.keys.relay_file)
        scoring = self._spawn("scoring", "jixiao.scoring", {**common, "JIXIAO_SCORING_PORT": str(self.scoring_port)})
        self._await(scoring, lambda: grpc_answering(f"127.0.0.1:{self.scoring_port}"))
        gateway = self._spawn("gateway", "jixiao.gateway", {**common, "JIXIAO_GATEWAY_PORT": str(self.gateway_port),
                                                             "JIXIAO_BALLOT_BOX_TOKEN": tokens.ballot_box})
        self._await(gateway, lambda: http_ok(f"http://127.0.0.1:{self.gateway_port}/api/v1/health"))
        self.tokens = tokens

    def _scheme_file(self) -> str:
        return self.environ.get("JIXIAO_SCHEME_FILE", "").strip()

    def _scheme_text(self) -> str | None:
        """The scheme to publish: JIXIAO_SCHEME_FILE, else the demo city (None with --no-demo)."""
        configured = self._scheme_file()
        if not configured:
            return DEMO_SCHEME.read_text(encoding="utf-8") if self.demo else None
        path = Path(configured).expanduser()
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"JIXIAO_SCHEME_FILE={configured}: {exc.strerror}; point it at a scheme YAML/JSON file") from None

    def load_demo(self, stop) -> None:
        """Streams the demo year unless scoring has it, then publishes the
        demo's closed periods as its evaluation office would."""
        scoring_address = f"127.0.0.1:{self.scoring_port}"
        events = demo_feed.demo_event_dicts()
        alive = lambda: self.keep_alive(stop)  # noqa: E731 - restarts what crashed while the demo loads
        status = demo_feed.ingest_status(scoring_address, self.tokens.service)
        if status and status.events_stored >= len(events):
            self.say(f"演示数据已存在 demo data already stored: {status.events_stored} events")
        else:
            self.say(f"streaming the demo year: {len(events)} metric events through Kafka")
            sent = demo_feed.publish(self.bootstrap, self.environ.get("JIXIAO_METRICS_TOPIC", ""), events, self.say, stop,
                                     self.keys.signer, demo_feed.within_backlog(
                                         scoring_address, self.tokens.service, demo_feed.consumed(status), stop,
                                         alive))
            demo_feed.wait_until_scored(scoring_address, self.tokens.service, demo_feed.consumed(status), sent, self.say,
                                        stop, alive)
        if not stop.is_set() and alive() and not self._scheme_file():
            self.say("the people's half: score sheets signed and accepted, self-evaluations")
            fill_people(scoring_address, demo_feed.demo_scheme(), self.tokens.office, self.people, self.say,
                        ballot_box=self.tokens.ballot_box)
            demo_feed.publish_demo_periods(scoring_address, self.tokens.office, demo_feed.DEMO_SCHEME_CODE, self.say)

    def announce(self) -> None:
        gateway = f"http://127.0.0.1:{self.gateway_port}/"
        topic = self.environ.get("JIXIAO_METRICS_TOPIC") or METRICS_TOPIC
        self.say("")
        self.say(f"Jixiao 已启动 is running. 门户 Portal: {gateway}")
        self.say(f"  JSON API: {gateway}api/v1/schemes")
        self.say(f"  Kafka bootstrap: {self.bootstrap}  (topic {topic})")
        self.say(f"  tokens (office, services): {self.tokens.secrets}")
        self.say(f"  feeds' signing keys: {self.keys.folder}")
        self.say(f"  logs: {self.logs}    按 Ctrl-C 停止 / press Ctrl-C to stop")
        self.announced = True

    def keep_alive(self, stop: threading.Event) -> bool:
        """Restarts the services that exited unexpectedly, each after its backoff, until all run
        again (True); False once the platform has given up (`failure` says why) or on `stop`."""
        while not stop.is_set() and not self.failure:
            dead = next((child for child in self.children if not child.alive()), None)
            if dead is None:
                return True
            self._restart(dead, stop)
        return False

    def _restart(self, child: Child, stop: threading.Event) -> None:
        exit_code = describe_exit(child.process.returncode)
        self.log(f"{child.name} (pid {child.process.pid}) exited unexpectedly ({exit_code}); the end of "
                 f"{child.log_path.name}:\n{textwrap.indent(child.log_tail(10), '    ')}")
        if not child.restartable:
            self.failure = (f"the embedded broker stopped unexpectedly ({exit_code}); the topics it kept in memory are "
                            f"gone, so the platform stops — run `jixiao up` again (log: {child.log_path})")
            return
        delay = child.policy.crashed(time.monotonic())
        if delay is None:
            policy = child.policy
            self.failure = (f"{child.name} stopped unexpectedly {policy.max_crashes} times within {policy.window:g} s "
                            f"({exit_code}); giving up and stopping the platform. The end of {child.log_path}:\n"
                            + textwrap.indent(child.log_tail(3), "  "))
            return
        self.say(f"{child.name} stopped unexpectedly ({exit_code}); restarting in {delay:g} s "
                 f"(restart {child.policy.restarts}; log: {child.log_path})")
        if stop.wait(delay):
            return
        self._launch(child)
        self.log(f"{child.name} restarted (pid {child.process.pid})")
        if wait_for(child.ready, START_TIMEOUT, still_alive=lambda: child.alive() and not stop.is_set()):
            self.say(f"{child.name} is back (pid {child.process.pid})")
        # Not answering (it died again, or is still starting): the next keep_alive round looks again.

    def log(self, text: str) -> None:
        """A line in <data dir>/logs/supervisor.log."""
        with open(self.logs / "supervisor.log", "a", encoding="utf-8") as log:
            log.write(f"{datetime.now().isoformat(sep=' ', timespec='seconds')} {text}\n")

    def stop(self) -> None:
        """Stops the services together, then the broker once they have exited: scoring
        commits its last batch and leaves its consumer group through the broker."""
        services = [child for child in self.children if child.name != BROKER]
        self._stop_together(services)
        self._stop_together([child for child in self.children if child.name == BROKER])

    @staticmethod
    def _stop_together(children: list[Child]) -> None:
        """SIGTERM to each child (the last started first), then waits for them all."""
        for child in reversed(children):
            if child.alive():
                child.process.terminate()
        for child in reversed(children):
            try:
                child.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()
            if child.log_file:
                child.log_file.close()

    def _spawn(self, name: str, module: str, extra_env: dict[str, str], stdout=None, restartable=True) -> Child:
        log_path = self.logs / f"{name}.log"
        log_file = open(log_path, "a", encoding="utf-8")  # noqa: SIM115 - closed in stop()
        child = Child(name, module, {**self.environ, **extra_env}, log_path, log_file, stdout, restartable)
        self._launch(child)
        self.children.append(child)
        return child

    def _launch(self, child: Child) -> None:
        child.process = subprocess.Popen(
            [sys.executable, "-m", child.module],
            env=child.env,
            stdout=child.stdout if child.stdout is not None else child.log_file,
            stderr=child.log_file,
            stdin=subprocess.DEVNULL,
            text=True,
            # Own session: Ctrl-C reaches only the supervisor, which then
            # stops the services, and the broker after them (stop()).
            start_new_session=True,
        )
        child.policy.started(time.monotonic())

    def _await(self, child: Child, ready: Callable[[], bool]) -> None:
        child.ready = ready  # what a restart waits for, too
        if not wait_for(ready, START_TIMEOUT, still_alive=child.alive):
            reason = child.log_tail(3) if not child.alive() else f"not ready after {START_TIMEOUT:.0f} s"
            raise ConfigError(f"{child.name} did not start: {reason.strip()} (log: {child.log_path})")
        self.say(f"{child.name} is up (pid {child.process.pid})")


def describe_exit(returncode: int) -> str:
    """A child's exit status in words: "exit code 1", or "exit code -9, SIGKILL" when a signal ended it."""
    if returncode < 0:
        try:
            return f"exit code {returncode}, {signal.Signals(-returncode).name}"
        except ValueError:
            pass
    return f"exit code {returncode}"


def scheme_sources(scheme_text: str | None) -> list[str]:
    """The source codes (sources[].code) of a scheme document, for their signing keys."""
    if scheme_text is None:
        return []
    document = yaml_text.safe_load(scheme_text)
    sources = document.get("sources") if isinstance(document, dict) else None
    return [str(s["code"]) for s in sources or [] if isinstance(s, dict) and s.get("code")]


def up(demo: bool = True) -> int:
    stop = stop_event_on_signals()
    platform = None
    try:
        platform = Platform(dict(os.environ), demo=demo)
        platform.start()
        if demo:
            platform.load_demo(stop)
        while platform.keep_alive(stop):
            if not platform.announced:
                platform.announce()
            stop.wait(0.5)
        if platform.failure:
            platform.log(f"giving up: {platform.failure}")
            print(f"jixiao up: error: {platform.failure}", file=sys.stderr, flush=True)
            return 1
        platform.say("stopping…")
        return 0
    except ConfigError as exc:
        print(f"jixiao up: error: {exc}", file=sys.stderr, flush=True)
        return 2
    except grpc.RpcError as exc:
        # Setting up (the registry: plug-ins, the scheme, feed keys) or loading the demo's people
        # (scoring: score sheets, assessment rounds, ballots): say what answered, not who.
        print(f"jixiao up: error: a call to the platform's services failed while setting up: {exc.code().name}: "
              f"{exc.details()}", file=sys.stderr, flush=True)
        return 1
    finally:
        if platform is not None:
            platform.stop()
            if stop.is_set():
                platform.say("stopped")
