"""The portal in a real browser: registry (demo city), scoring and gateway as
real processes on free ports, the demo city's first three quarters streamed
through the worker's embedded broker, and Debian's Chromium driven by
Playwright (no browser download: `make test` installs the `chromium` and
`fonts-noto-cjk` packages).

One platform per test module (scope="module"); each module decides what the
office publishes, so the modules run in parallel without sharing state. The
January–September stream is scored once per test run (`scored_demo`, shared by
the xdist workers under a file lock) and each module starts its platform on a
copy of that folder: the same processes, databases, tokens and keys as a
platform that has just consumed the stream, without streaming it again."""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import threading
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import grpc
import pytest

from helpers import DEMO_SCHEME, Tokens, unique
from helpers.platform import RunningPlatform, wait_scored
from helpers.platform import start_platform as start_platform_processes
from jixiao.common.auth import call_credentials
from jixiao.embedded import demo_feed
from jixiao.v1 import scoring_pb2, scoring_pb2_grpc

SCHEME = "jiangchuan-2026"
CHROMIUM = Path(os.environ.get("JIXIAO_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LAST_MONTH = "2026-09"  # the demo's events of January to September: quarters 1–3 scored


@cache
def demo_subset() -> tuple[dict, ...]:
    return tuple(e for e in demo_feed.demo_event_dicts() if e["period"][:7] <= LAST_MONTH)


@dataclass
class Portal:
    url: str
    scoring_address: str
    tokens: Tokens
    secret_key: str  # the portal's session key (JIXIAO_PORTAL_SECRET_KEY)
    platform: RunningPlatform  # its processes
    bootstrap: str = ""  # the broker, and the topic scoring consumes, for a module that sends more events
    topic: str = ""
    signer: object = None  # signs those events with their sources' keys (demo_feed.publish's signer)
    _channel: grpc.Channel | None = None

    @property
    def scoring(self) -> scoring_pb2_grpc.ScoringServiceStub:
        if self._channel is None:
            self._channel = grpc.insecure_channel(self.scoring_address)
        return scoring_pb2_grpc.ScoringServiceStub(self._channel)

    def read(self, method: str, request):
        """A scoring rpc as the office (which may read every period)."""
        return getattr(self.scoring, method)(request, timeout=30, metadata=call_credentials(self.tokens.office))

    def totals(self, category: str, period: str) -> dict[str, float]:
        reply = self.read("GetRanking", scoring_pb2.GetRankingRequest(
            scheme_code=SCHEME, category=category, period=period, page_size=500))
        return {e.unit_id: e.total for e in reply.entries}

    def close(self) -> None:
        if self._channel is not None:
            self._channel.close()


@pytest.fixture(scope="session")
def scored_demo(broker, tmp_path_factory, worker_id) -> Path:
    """A platform folder in which the demo city's January–September events were streamed
    through the broker and scored, every service then stopped cleanly; built once per
    test run by the first worker that asks, under a file lock the other workers wait on."""
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent  # the run's folder, above each worker's own
    folder = shared / "scored-demo"
    with _file_lock(shared / "scored-demo.lock"):
        if not (folder / TOKENS_JSON).exists():
            building = shared / "scored-demo.building"
            shutil.rmtree(building, ignore_errors=True)
            built = start_platform(broker, building, DEMO_SCHEME.read_text(encoding="utf-8"), list(demo_subset()))
            stop_platform(built)
            (building / TOKENS_JSON).write_text(json.dumps({k: str(v) for k, v in asdict(built.tokens).items()}),
                                                encoding="utf-8")
            building.rename(folder)
    return folder


@pytest.fixture(scope="module")
def portal(broker, scored_demo, tmp_path_factory) -> Portal:
    """The three services with the demo city published and its January–September events scored."""
    running = start_platform(broker, copy_scored_demo(scored_demo, tmp_path_factory.mktemp("portal")),
                             DEMO_SCHEME.read_text(encoding="utf-8"), [])
    yield running
    stop_platform(running)


TOKENS_JSON = "tokens.json"  # the snapshot's tokens, by role


def copy_scored_demo(snapshot: Path, tmp: Path) -> Path:
    """A copy of `scored_demo` for one module (the services' old logs left out)."""
    folder = tmp / "platform"
    shutil.copytree(snapshot, folder, ignore=shutil.ignore_patterns("*.stderr"))
    return folder


@contextmanager
def _file_lock(path: Path):
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _stored_tokens(folder: Path) -> Tokens | None:
    """The tokens of a platform folder copied from `scored_demo`, else None (new ones are made)."""
    path = folder / TOKENS_JSON
    if not path.exists():
        return None
    values = json.loads(path.read_text(encoding="utf-8"))
    return Tokens(**{**values, "file": folder / "tokens.yaml"})


def start_platform(broker, tmp: Path, scheme_text: str, events: list[dict]) -> Portal:
    """Registry (with `scheme_text` published), scoring and gateway as processes on free
    ports (helpers/platform.py), `events` streamed through the broker and scored; stop
    with `stop_platform`. In a copy of `scored_demo` (`copy_scored_demo`) the services
    start on what that folder stored, and `events` come on top."""
    secret_key = "portal-tests-" + unique("key")
    running = start_platform_processes(broker, tmp, scheme_text=scheme_text, tokens=_stored_tokens(tmp), env={
        "JIXIAO_PLUGIN_TIMEOUT_SECONDS": "30", "JIXIAO_PORTAL_SECRET_KEY": secret_key})
    try:
        scoring = running.scoring
        before = demo_feed.consumed(demo_feed.ingest_status(running.scoring_address, running.tokens.reader))
        if events:
            stop = threading.Event()
            sent = demo_feed.publish(broker.bootstrap, running.topic, events, lambda text: None, stop,
                                     running.keys.signer,
                                     demo_feed.within_backlog(running.scoring_address, running.tokens.reader, before,
                                                              stop, scoring.alive))
            assert sent == len(events)
        # at least 50 records a second, on a 2-core machine running the other modules' platforms too
        wait_scored(running.scoring_address, running.tokens.reader, before + len(events),
                    timeout=max(120.0, len(events) / 50), scoring=scoring)
    except BaseException:
        running.stop()
        raise
    return Portal(running.gateway_url, running.scoring_address, running.tokens, secret_key, running,
                  bootstrap=broker.bootstrap, topic=running.topic, signer=running.keys.signer)


def stop_platform(portal_: Portal) -> None:
    """Stops the services; each must exit cleanly, without a traceback."""
    portal_.close()
    portal_.platform.stop_cleanly()


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright."""
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}; `make test` installs the Debian package "
                    "(apt-get install chromium fonts-noto-cjk)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


class Watched:
    """A browser page that records what it fetched: every request must go to
    the gateway (nothing from the internet) and none may fail."""

    def __init__(self, context, base_url: str):
        self.context = context
        self.base_url = base_url
        self.page = context.new_page()
        self.requests: list[str] = []
        self.failures: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("requestfailed", self._failed)
        self.page.on("pageerror", lambda e: self.failures.append(f"script error: {e}"))

    def _failed(self, request) -> None:
        # net::ERR_ABORTED is the browser dropping a request of a page it has already left (a
        # click that navigates before a stylesheet arrives), not an answer the gateway failed.
        if "ERR_ABORTED" not in (request.failure or ""):
            self.failures.append(f"{request.url}: {request.failure}")

    def goto(self, path: str, expect_status: int = 200):
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status == expect_status, \
            f"{path}: {response.status if response else None}, expected {expect_status}"
        return self.page

    def check_clean(self) -> None:
        assert not self.failures, self.failures
        foreign = [u for u in self.requests if not (u.startswith(self.base_url) or u.startswith("data:"))]
        assert not foreign, f"requests outside the gateway: {foreign}"


@pytest.fixture
def open_page(browser, portal):
    """A fresh browser context (no cookies) per test; `open_page(width=375)` for a phone."""
    contexts = []

    def make(width: int = 1280, height: int = 900) -> Watched:
        context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1,
                                      locale="zh-CN", timezone_id="Asia/Shanghai")
        context.set_default_timeout(20_000)
        contexts.append(context)
        return Watched(context, portal.url)

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def sign_in():
    """sign_in(watched, token): the office's sign-in form, filled and sent."""

    def sign(watched: Watched, token: str) -> None:
        page = watched.goto("/office/login")
        page.fill("#token", token)
        page.click("#login-button")
        page.wait_for_url(f"{watched.base_url}/office/")

    return sign


