"""A running platform for end-to-end tests: registry (demo scheme), scoring
and gateway as real processes on free ports, against the worker's embedded
broker, each test with its own topics, group and data directory
(helpers/platform.py)."""
from __future__ import annotations

import pytest

from helpers.jixiao_up import Up
from helpers.platform import RunningPlatform, platform_running

Platform = RunningPlatform  # what the tests here annotate


@pytest.fixture(params=["demo"])
def platform(request, broker, topics, tmp_path):
    """The three services; with the demo city's plug-ins active and its scheme
    published, or (parametrize indirectly with "empty") with nothing yet."""
    with platform_running(broker, tmp_path, topics=topics, scheme_text=None if request.param == "demo" else "") as running:
        yield running


@pytest.fixture(autouse=True)
def no_jixiao_up_left_running():
    """A test that fails half-way through a `jixiao up` leaves no platform running."""
    yield
    Up.end_all()
