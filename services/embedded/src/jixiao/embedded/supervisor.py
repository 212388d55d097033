"""`jixiao up`: the whole platform on one machine.

Starts the embedded Kafka-protocol broker, the registry (loading the demo
city's scheme), scoring and the gateway as child processes; streams the
demo year of metric events through Kafka unless scoring has them already;
prints the portal URL and the broker's bootstrap address; and on Ctrl-C
stops everything in reverse order. Child logs go to <data dir>/logs/.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import grpc
import yaml

from jixiao.common.config import ConfigError, check_port_free, data_dir, env_port
from jixiao.common.kafka import METRICS_TOPIC
from jixiao.common.lifecycle import stop_event_on_signals
from jixiao.common.readiness import grpc_answering, grpc_serving, http_ok, wait_for
from jixiao.registry.cli import bootstrap
from jixiao.registry.client import RegistryClient

from . import demo_feed
from .demo_feed import DEMO_SCHEME
from .local_keys import local_feed_keys
from .local_tokens import local_tokens

START_TIMEOUT = 60.0


@dataclass
class Child:
    name: str
    process: subprocess.Popen
    log_path: Path
    log_file: object = field(repr=False, default=None)

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

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def start(self) -> None:
        for setting, port in (("JIXIAO_REGISTRY_PORT", self.registry_port), ("JIXIAO_SCORING_PORT", self.scoring_port),
                              ("JIXIAO_GATEWAY_PORT", self.gateway_port)):
            check_port_free("127.0.0.1", port, setting)
        scheme_text = self._scheme_text()
        self.say(f"数据目录 data directory: {self.data}")
        tokens = local_tokens(self.data)
        broker = self._spawn("broker", "jixiao.embedded.broker", {}, stdout=subprocess.PIPE)
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
        gateway = self._spawn("gateway", "jixiao.gateway", {**common, "JIXIAO_GATEWAY_PORT": str(self.gateway_port)})
        self._await(gateway, lambda: http_ok(f"http://127.0.0.1:{self.gateway_port}/api/v1/health"))
        self.tokens = tokens

    def _scheme_text(self) -> str | None:
        """The scheme to publish: JIXIAO_SCHEME_FILE, else the demo city (None with --no-demo)."""
        configured = self.environ.get("JIXIAO_SCHEME_FILE", "").strip()
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
        status = demo_feed.ingest_status(scoring_address, self.tokens.service)
        if status and status.events_stored >= len(events):
            self.say(f"演示数据已存在 demo data already stored: {status.events_stored} events")
        else:
            self.say(f"streaming the demo year: {len(events)} metric events through Kafka")
            sent = demo_feed.publish(self.bootstrap, self.environ.get("JIXIAO_METRICS_TOPIC", ""), events, self.say, stop,
                                     self.keys.signer, demo_feed.within_backlog(
                                         scoring_address, self.tokens.service, demo_feed.consumed(status), stop,
                                         self.all_alive))
            demo_feed.wait_until_scored(scoring_address, self.tokens.service, demo_feed.consumed(status), sent, self.say,
                                        stop, self.all_alive)
        if not stop.is_set() and self.all_alive() and not self.environ.get("JIXIAO_SCHEME_FILE", "").strip():
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

    def all_alive(self) -> bool:
        return all(child.alive() for child in self.children)

    def stop(self) -> None:
        for child in reversed(self.children):
            if child.alive():
                child.process.terminate()
        for child in reversed(self.children):
            try:
                child.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()
            if child.log_file:
                child.log_file.close()

    def _spawn(self, name: str, module: str, extra_env: dict[str, str], stdout=None) -> Child:
        log_path = self.logs / f"{name}.log"
        log_file = open(log_path, "a", encoding="utf-8")  # noqa: SIM115 - closed in stop()
        env = {**self.environ, **extra_env}
        process = subprocess.Popen(
            [sys.executable, "-m", module],
            env=env,
            stdout=stdout if stdout is not None else log_file,
            stderr=log_file,
            stdin=subprocess.DEVNULL,
            text=True,
            # Own session: Ctrl-C reaches only the supervisor, which then
            # stops the children in reverse order (gateway first, broker last).
            start_new_session=True,
        )
        child = Child(name, process, log_path, log_file)
        self.children.append(child)
        return child

    def _await(self, child: Child, ready) -> None:
        if not wait_for(ready, START_TIMEOUT, still_alive=child.alive):
            reason = child.log_tail(3) if not child.alive() else f"not ready after {START_TIMEOUT:.0f} s"
            raise ConfigError(f"{child.name} did not start: {reason.strip()} (log: {child.log_path})")
        self.say(f"{child.name} is up")


def scheme_sources(scheme_text: str | None) -> list[str]:
    """The source codes (sources[].code) of a scheme document, for their signing keys."""
    if scheme_text is None:
        return []
    document = yaml.load(scheme_text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
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
        while not stop.is_set():
            dead = [c for c in platform.children if not c.alive()]
            if dead:
                for child in dead:
                    platform.say(f"{child.name} exited unexpectedly: {child.log_tail(3)} (log: {child.log_path})")
                return 1
            if not platform.announced:
                platform.announce()
            stop.wait(0.5)
        platform.say("stopping…")
        return 0
    except ConfigError as exc:
        print(f"jixiao up: error: {exc}", file=sys.stderr, flush=True)
        return 2
    except grpc.RpcError as exc:
        print(f"jixiao up: error: the registry refused: {exc.code().name}: {exc.details()}", file=sys.stderr, flush=True)
        return 1
    finally:
        if platform is not None:
            platform.stop()
            if stop.is_set():
                platform.say("stopped")
