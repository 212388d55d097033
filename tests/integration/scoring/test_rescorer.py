"""The rescorer's thread rescores what the consumer stored, in a real database.
When it rescores — at once, after the delay, a chunk at a time — is tested with a
clock the test moves in tests/unit/scoring/test_rescorer_timing.py."""
from __future__ import annotations

import threading

import pytest

from helpers.small_scheme import small_service
from jixiao.common import event_codec
from jixiao.common.readiness import wait_for
from jixiao.scoring.domain.records import IncomingRecord
from jixiao.scoring.entrypoints.rescorer import Rescorer


def record(offset: int, period: str = "2026-03") -> IncomingRecord:
    event = event_codec.from_dict({"event_id": f"e{offset}", "source": "stats", "unit_id": "U1", "metric_code": "amount",
                                   "value": 10.0, "period": period})
    return IncomingRecord(event_codec.encode(event), {"content-type": event_codec.PROTOBUF.encode()}, "t", 0, offset)


@pytest.fixture
def service(tmp_path):
    service = small_service(f"sqlite:///{tmp_path / 'scoring.db'}")
    yield service
    service.engine.dispose()


@pytest.fixture
def running(service):
    """Starts a rescorer's thread; stops it after the test and checks that it ended."""
    started = []

    def start(**options) -> Rescorer:
        rescorer = Rescorer(service, **options)
        stop = threading.Event()
        thread = threading.Thread(target=rescorer.run, args=(stop,), daemon=True)
        thread.start()
        started.append((stop, thread))
        return rescorer

    yield start
    for stop, thread in started:
        stop.set()
        thread.join(timeout=5)
        assert not thread.is_alive()


def nothing_pending(service) -> bool:
    return service.repository.pending_count() == 0


def test_changes_left_pending_are_rescored_at_start(service, running):
    service.store([record(1)])  # stored before the rescorer runs, as after a crash
    running()
    assert wait_for(lambda: nothing_pending(service), timeout=5, interval=0.02)
    assert service.unit_score("test-2026", "U1", "2026-03")[1]["total"] == pytest.approx(10.0)


def test_a_consumer_that_caught_up_gets_its_batches_rescored_and_settled(service, running):
    rescorer = running(max_delay_seconds=60, chunk=1)
    assert wait_for(rescorer.settled, timeout=5, interval=0.02)
    service.store([record(month, f"2026-{month:02d}") for month in range(1, 4)])
    rescorer.notify(backlog=False)
    assert wait_for(rescorer.settled, timeout=5, interval=0.02)  # long before the 60 s delay
    assert nothing_pending(service)
    assert service.unit_score("test-2026", "U1", "2026-02")[1]["total"] == pytest.approx(10.0)


def test_stop_ends_the_thread_between_rounds(service):
    rescorer = Rescorer(service)
    stop = threading.Event()
    thread = threading.Thread(target=rescorer.run, args=(stop,), daemon=True)
    thread.start()
    service.store([record(1)])
    rescorer.notify(backlog=True)  # waits for the consumer: no round is due yet
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()
