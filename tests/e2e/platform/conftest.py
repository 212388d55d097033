"""A running platform for end-to-end tests: registry (demo scheme), scoring
and gateway as real processes on free ports, against the worker's embedded
broker, with their own topics, group and data directory
(helpers/platform.py).

A module's tests share its platform, started once per kind ("demo",
"empty") the first time a test asks for it and stopped when the module
ends; so each test reads state it did not make, and asserts on what it
changed itself (its own units, periods and event ids, counters before and
after). A test that must not share — it stops a service, changes what the
module's other tests rely on (keys, plug-ins, the published scheme), or
checks the state of a first start — is marked `fresh_platform` and gets
one of its own."""
from __future__ import annotations

import pytest

from helpers.jixiao_up import Up
from helpers.platform import RunningPlatform, platform_running, start_platform

Platform = RunningPlatform  # what the tests here annotate

KINDS = {"demo": None, "empty": ""}  # start_platform's scheme_text: the demo city's scheme, or nothing


class ModulePlatforms:
    """A module's platforms, by kind, each started the first time a test asks for it."""

    def __init__(self, broker, tmp_path_factory):
        self.broker, self.tmp_path_factory = broker, tmp_path_factory
        self.started: dict[str, RunningPlatform] = {}

    def get(self, kind: str) -> RunningPlatform:
        if kind not in self.started:
            # start_platform stops what it started when it fails: nothing is left running
            self.started[kind] = start_platform(self.broker, self.tmp_path_factory.mktemp(f"platform-{kind}"),
                                                scheme_text=KINDS[kind])
        return self.started[kind]

    def discard(self, kind: str) -> None:
        """Stops a platform a test broke; the next test asking for one starts another."""
        self.started.pop(kind).stop()

    def stop_cleanly(self) -> None:
        """Stops every platform, even when one does not stop cleanly, then fails naming those that did not."""
        failures = []
        for kind, running in self.started.items():
            try:
                running.stop_cleanly()
            except AssertionError as failure:
                failures.append(f"the {kind} platform: {failure}")
        assert not failures, "\n".join(failures)


@pytest.fixture(scope="module")
def module_platforms(broker, tmp_path_factory) -> ModulePlatforms:
    """The module's platforms; when the module ends, each must stop cleanly."""
    platforms = ModulePlatforms(broker, tmp_path_factory)
    yield platforms
    platforms.stop_cleanly()


@pytest.fixture(params=["demo"])
def platform(request, module_platforms, broker, tmp_path):
    """The three services; with the demo city's plug-ins active and its scheme
    published, or (parametrize indirectly with "empty") with nothing yet.
    Shared with the module's other tests of that kind, unless the test is
    marked `fresh_platform`: then started for it alone and stopped cleanly after it.
    A shared one's services must still run, without a traceback, after each test."""
    if request.node.get_closest_marker("fresh_platform"):
        with platform_running(broker, tmp_path, scheme_text=KINDS[request.param]) as running:
            yield running
        return
    running = module_platforms.get(request.param)
    yield running
    # Checked after every test, not only when the module ends: a test that breaks a
    # service fails itself, and the module's next tests get a platform that works.
    broken = [(p.module, p.stderr()) for p in running.processes if not p.alive() or "Traceback" in p.stderr()]
    if broken:
        module_platforms.discard(request.param)
        module, log = broken[0]
        pytest.fail(f"{module} is not running cleanly after the test:\n{log[-5000:]}", pytrace=False)


@pytest.fixture(autouse=True)
def no_jixiao_up_left_running():
    """A test that fails half-way through a `jixiao up` leaves no platform running."""
    yield
    Up.end_all()
