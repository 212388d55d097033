"""The rescorer thread: it rescores what the consumer stored, and waits
while the consumer still has a backlog (up to its maximum delay)."""
from __future__ import annotations

import contextlib
import threading
import time

import pytest

from helpers.small_scheme import small_service
from jixiao.common import event_codec
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
        thread.join(timeout=10)


def wait_for(condition, timeout: float = 10.0) -> float:
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, "condition not met in time"
        time.sleep(0.02)
    return time.monotonic() - started


@contextlib.contextmanager
def backlog_reported(rescorer: Rescorer, every: float = 0.1):
    """A consumer that keeps saying records wait on the topic, while the block runs."""
    done = threading.Event()

    def report():
        while not done.is_set():
            rescorer.notify(backlog=True)
            time.sleep(every)

    feeder = threading.Thread(target=report, daemon=True)
    feeder.start()
    try:
        yield
    finally:
        done.set()
        feeder.join()


def test_changes_left_pending_are_rescored_at_start(service, running):
    service.store([record(1)])  # stored before the rescorer runs, as after a crash
    running()
    wait_for(lambda: service.repository.pending_count() == 0)
    assert service.unit_score("test-2026", "U1", "2026-03")[1]["total"] == pytest.approx(10.0)


def test_a_consumer_that_caught_up_gets_its_batch_rescored_at_once(service, running):
    rescorer = running(max_delay_seconds=60)
    service.store([record(1)])
    rescorer.notify(backlog=False)
    assert wait_for(lambda: service.repository.pending_count() == 0) < 2


def test_while_a_backlog_lasts_rescoring_waits_up_to_the_maximum_delay(service, running):
    rescorer = running(max_delay_seconds=3.0)
    service.store([record(1)])
    rescorer.notify(backlog=True)
    keep_busy = threading.Event()

    def consumer_with_a_backlog():  # stores a batch every 0.1 s and says more are waiting
        offset = 2
        while not keep_busy.is_set():
            service.store([record(offset)])
            rescorer.notify(backlog=True)
            offset += 1
            time.sleep(0.1)

    feeder = threading.Thread(target=consumer_with_a_backlog, daemon=True)
    feeder.start()
    try:
        time.sleep(1.0)
        assert service.repository.pending_count() > 0  # still waiting: the backlog comes first
        assert wait_for(lambda: service.repository.pending_count() == 0, timeout=10) > 1.0  # once the delay is up
    finally:
        keep_busy.set()
        feeder.join()


def test_a_consumer_that_stops_storing_has_no_backlog_any_more(service, running):
    rescorer = running(max_delay_seconds=60)
    service.store([record(1)])
    rescorer.notify(backlog=True)  # the last batch said more were waiting, then nothing came
    assert wait_for(lambda: service.repository.pending_count() == 0) < 3


def test_past_the_delay_a_backlog_gets_one_chunk_at_a_time_and_the_writer_back_between(service, running):
    """A rescorer that drained everything while records waited starved the consumer (bench/load.py)."""
    service.store([record(month, f"2026-{month:02d}") for month in range(1, 6)])  # five pending changes
    assert service.repository.pending_count() == 5
    rescorer = running(max_delay_seconds=0.5, chunk=1)
    with backlog_reported(rescorer):
        wait_for(lambda: service.repository.pending_count() < 5)
        # one chunk of one change per 0.5 s at the most: the other four take at least 1.5 s more
        assert wait_for(lambda: service.repository.pending_count() == 0) >= 1.5


def test_once_the_consumer_catches_up_the_rest_is_rescored_at_once(service, running):
    service.store([record(month, f"2026-{month:02d}") for month in range(1, 6)])
    rescorer = running(max_delay_seconds=60, chunk=1)
    rescorer.notify(backlog=False)
    assert wait_for(lambda: service.repository.pending_count() == 0) < 2


def test_while_records_wait_a_slow_round_gives_the_consumer_four_times_as_long(service, running, monkeypatch):
    """A round's cost grows with the units' events: the consumer keeps at least 4/5 of the writer."""
    rounds: list[float] = []
    rescore = service.rescore_pending

    def slow_rescore(**options):
        rounds.append(time.monotonic())
        time.sleep(0.5)
        return rescore(**options)

    monkeypatch.setattr(service, "rescore_pending", slow_rescore)
    service.store([record(month, f"2026-{month:02d}") for month in range(1, 4)])
    rescorer = running(max_delay_seconds=0.1, chunk=1)
    with backlog_reported(rescorer, every=0.05):
        wait_for(lambda: len(rounds) >= 2, timeout=20)
    assert rounds[1] - rounds[0] >= 0.5 + 4 * 0.5  # the round, then four times its length for the consumer


def test_settled_once_the_consumer_caught_up_and_its_batches_are_rescored(service, running):
    """What the anomaly checks wait for before they run over what was stored (findings.FindingsWatch)."""
    rescorer = running(max_delay_seconds=60)
    assert rescorer.settled()
    with backlog_reported(rescorer):
        service.store([record(1)])
        time.sleep(0.3)
        assert not rescorer.settled() and service.repository.pending_count() == 1  # records wait on the topic
    rescorer.notify(backlog=False)
    wait_for(rescorer.settled)
    assert service.repository.pending_count() == 0
