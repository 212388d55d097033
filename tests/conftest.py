"""Fixtures shared by the platform's tests.

Every test gets its own ports, temp directories, topics and consumer
groups, so the suite runs in parallel (pytest-xdist) without interference.
"""
from __future__ import annotations

import pytest

from helpers import postgres_database, schedule
from helpers.platform import new_topics
from jixiao.embedded.broker import MockCluster


@pytest.fixture(scope="session")
def broker() -> MockCluster:
    """One embedded Kafka-protocol broker (librdkafka mock cluster) per test worker."""
    cluster = MockCluster()
    yield cluster
    cluster.close()


@pytest.fixture
def topics() -> dict[str, str]:
    """Topic and consumer-group names no other test uses."""
    return new_topics()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> str:
    """The same test on the embedded SQLite default and on the local PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    with postgres_database() as url:
        if url is None:
            pytest.skip("no PostgreSQL server answers at 127.0.0.1:5432 (set JIXIAO_TEST_POSTGRES_URL to use another)")
        yield url


def pytest_collection_modifyitems(config, items):
    """Orders the collected tests by module: the longest first (helpers/schedule.py)."""
    items.sort(key=lambda item: schedule.rank(item.path, config.rootpath))
