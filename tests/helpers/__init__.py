"""Helpers for tests that run real processes on real ports."""
from __future__ import annotations

import functools
import os
import pickle
import random
import signal
import socket
import subprocess
import sys
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from jixiao.common.readiness import wait_for
from jixiao.demo.build_city import DATA_FILE

REPO = Path(__file__).resolve().parents[2]
DEMO_SCHEME = DATA_FILE
POSTGRES_ADMIN_URL = os.environ.get("JIXIAO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def demo_document() -> dict:
    """The demo city's scheme document (DEMO_SCHEME), parsed once per process; every call
    gets its own copy, which the caller may change."""
    return pickle.loads(_demo_document_pickled())


@functools.cache
def _demo_document_pickled() -> bytes:
    from jixiao.common import yaml_text

    return pickle.dumps(yaml_text.safe_load(DEMO_SCHEME.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Tokens:
    """A tokens file and the tokens it accepts, by role (and subject)."""

    file: Path
    office: str
    reader: str
    department: str  # subject development_reform
    other_department: str  # subject finance
    feed: str  # subject stats_bureau
    ballot_box: str = ""  # the gateway's own (JIXIAO_BALLOT_BOX_TOKEN, docs/ballots.md)


def make_tokens(folder: Path) -> Tokens:
    from jixiao.common.tokens_cli import append

    file = folder / "tokens.yaml"
    return Tokens(
        file=file,
        office=append(file, "考核办", "office", ""),
        reader=append(file, "services", "reader", ""),
        department=append(file, "发改委", "department", "development_reform"),
        other_department=append(file, "财政局", "department", "finance"),
        feed=append(file, "市统计局", "feed", "stats_bureau"),
        ballot_box=append(file, "gateway ballot box", "ballot_box", ""),
    )


@dataclass(frozen=True)
class FeedKeys:
    """Signing keys made in a test's registry, as `jixiao up` makes them: one per source of
    the demo scheme (`signer` signs a record with the key of its event's source) and a relay
    key for the gateway (`relay_file`, its JIXIAO_RELAY_KEY_FILE). Scoring then counts the
    tests' events as it counts a real feed's: JIXIAO_FEED_SIGNATURES stays `required`."""

    folder: Path
    relay_file: Path
    signer: object  # jixiao.common.feed_signing.FeedSigner

    def headers(self, event, headers=(), key: bytes | None = None, value: bytes | None = None) -> list[tuple[str, bytes]]:
        """`headers` with the signature of the record of `event` (a MetricEvent or an event dict):
        keyed by unit id and encoded as protobuf unless `key` and `value` are given."""
        from jixiao.common import event_codec

        if isinstance(event, dict):
            event = event_codec.from_dict(event)
        key = event.unit_id.encode() if key is None else key
        value = event_codec.encode(event) if value is None else value
        return self.signer.sign_headers(list(headers), event.source, key, value)

    @property
    def env(self) -> dict[str, str]:
        """The gateway's setting for its relay key."""
        return {"JIXIAO_RELAY_KEY_FILE": str(self.relay_file)}


def make_feed_keys(registry_address: str, office_token: str, folder: Path, scheme_text: str | None = None) -> FeedKeys:
    """The sources' keys of `scheme_text` (the demo city's by default; none when the registry
    has no scheme yet: pass "") and a relay key, made through the registry as the office."""
    from jixiao.embedded.local_keys import local_feed_keys
    from jixiao.embedded.supervisor import scheme_sources
    from jixiao.registry.client import RegistryClient

    text = DEMO_SCHEME.read_text(encoding="utf-8") if scheme_text is None else scheme_text
    with RegistryClient(registry_address, office_token) as client:
        keys = local_feed_keys(folder, client, scheme_sources(text) if text else [])
    return FeedKeys(keys.folder, keys.relay_file, keys.signer)


def eventually(get, timeout: float = 30.0, what: str = "the condition", interval: float = 0.2,
               still_alive=lambda: True):
    """Polls `get` until it returns something true, and returns that; fails naming `what`
    when `timeout` passes (or `still_alive` turns false). Built on readiness.wait_for,
    the one polling loop of the services and the tests."""
    found = []

    def check() -> bool:
        value = get()
        if value:
            found.append(value)
        return bool(value)

    if not wait_for(check, timeout, interval, still_alive):
        raise AssertionError(f"{what} not reached within {timeout} s")
    return found[-1]


def free_port() -> int:
    """A port free now, chosen below the ephemeral range: the operating system
    hands ephemeral ports to other sockets (the mock broker's, clients'), which
    could take a port between our choosing it and a service binding it. Each
    pytest-xdist worker draws from its own slice of that range, so two workers
    never choose the same port in the moment before its service binds it."""
    low, _ = (int(n) for n in Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    top = min(low, 32768)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    index = int(worker) if worker.isdigit() else 0
    size = (top - 20000) // max(count, 1)
    first = 20000 + (index % max(count, 1)) * size
    for _ in range(200):
        port = random.randrange(first, first + size)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port found below the ephemeral range")


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


class ServiceProcess:
    """A service run as `python -m <module>` with its own environment; stderr goes to a file."""

    def __init__(self, module: str, env: dict[str, str], workdir: Path):
        self.module = module
        self.stderr_path = workdir / f"{module.replace('.', '_')}-{uuid.uuid4().hex[:6]}.stderr"
        self._stderr = open(self.stderr_path, "w", encoding="utf-8")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", module],
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
            stdin=subprocess.DEVNULL,
        )
        self._asked: int | None = None  # the signal ask_to_stop sent

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self, check, timeout: float = 30.0) -> None:
        if not wait_for(check, timeout, still_alive=self.alive):
            self.stop()
            raise AssertionError(f"{self.module} did not become ready:\n{self.stderr()}")

    def stderr(self) -> str:
        if not self._stderr.closed:
            self._stderr.flush()
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def ask_to_stop(self, sig: int = signal.SIGTERM) -> None:
        """Sends `sig` once, without waiting (`stop` then waits and does not send it again)."""
        if self.alive() and self._asked is None:
            self.process.send_signal(sig)
            self._asked = sig

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20.0) -> int:
        if self.alive() and sig != self._asked:
            self.process.send_signal(sig)
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self._stderr.close()
        return code


def run_to_exit(module: str, env: dict[str, str], *args: str, timeout: float = 30.0) -> subprocess.CompletedProcess:
    """Runs a service or command that is expected to exit by itself (e.g. on bad configuration)."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


@contextmanager
def postgres_database():
    """A fresh database on the local PostgreSQL server, dropped afterwards; None if no server answers."""
    import sqlalchemy as sa

    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"jixiao_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError:
        admin.dispose()
        yield None
        return
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
