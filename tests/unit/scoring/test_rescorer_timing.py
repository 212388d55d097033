"""When the rescorer rescores (scoring/entrypoints/rescorer.py): at once when the
consumer has caught up, after the maximum delay while a backlog lasts, one chunk
at a time with the writer given back between, and when it says everything stored
is settled — with a clock the test moves, no thread and no database."""
from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from jixiao.scoring.entrypoints.rescorer import CONSUMER_SHARE, IDLE_SECONDS, Rescorer

EVERY = 0.25  # the consumer's batches: less than IDLE_SECONDS apart, exact in binary


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Pending:
    """ScoringService.rescore_pending over a count of pending changes; a chunk takes `cost` seconds."""

    def __init__(self, clock: Clock, pending: int = 0, cost: float = 0.0):
        self.clock = clock
        self.pending = pending
        self.cost = cost
        self.chunks: list[float] = []  # when each chunk started
        self.fail = False
        self.midway: Callable[[], object] = lambda: None  # what happens halfway through a chunk

    def rescore_pending(self, *, max_changes: int, once: bool) -> int:
        assert once
        self.chunks.append(self.clock.now)
        self.clock.now += self.cost / 2
        self.midway()
        self.clock.now += self.cost / 2
        if self.fail:
            raise RuntimeError("database went away")
        cleared = min(max_changes, self.pending)
        self.pending -= cleared
        return cleared


@pytest.fixture
def clock() -> Clock:
    return Clock()


def rescorer_over(service: Pending, clock: Clock, **options) -> Rescorer:
    return Rescorer(service, clock=clock, **options)  # type: ignore[arg-type] - the rescorer needs rescore_pending only


def consumer_with_a_backlog(rescorer: Rescorer, clock: Clock, until: float) -> None:
    """A consumer that stores a batch every EVERY seconds until `until` and says more
    records wait; the rescorer's loop wakes after each batch, as `run` does."""
    while clock.now < until:
        rescorer.notify(backlog=True)
        rescorer.step(threading.Event())
        clock.now += EVERY


def test_changes_pending_at_start_are_due_at_once(clock):
    service = Pending(clock, pending=3)
    rescorer = rescorer_over(service, clock, max_delay_seconds=60)
    assert rescorer.due()
    assert rescorer.step(threading.Event())
    assert service.pending == 0 and service.chunks == [0.0]


def test_a_consumer_that_caught_up_gets_its_batch_rescored_at_once(clock):
    service = Pending(clock)
    rescorer = rescorer_over(service, clock, max_delay_seconds=60)
    rescorer.step(threading.Event())  # the round at start
    clock.now = 10.0
    service.pending = 1
    rescorer.notify(backlog=False)
    assert rescorer.step(threading.Event())
    assert service.pending == 0 and service.chunks[-1] == 10.0


def test_while_a_backlog_lasts_rescoring_waits_the_maximum_delay_after_the_first_change(clock):
    service = Pending(clock, pending=1)
    rescorer = rescorer_over(service, clock, max_delay_seconds=3.0)
    rescorer.notify(backlog=True)  # at 0.0: the first change not rescored
    assert not rescorer.due()
    consumer_with_a_backlog(rescorer, clock, until=10.0)
    assert service.chunks[0] == 3.0  # neither sooner nor later
    assert service.pending == 0


def test_the_delay_counts_from_the_first_change_not_rescored(clock):
    service = Pending(clock, pending=1)
    rescorer = rescorer_over(service, clock, max_delay_seconds=3.0)
    rescorer.step(threading.Event())  # the round at start clears everything
    clock.now = 100.0
    consumer_with_a_backlog(rescorer, clock, until=105.0)
    assert service.chunks == [0.0, 103.0]  # not at once after the long idle: 3 s after the change at 100


def test_a_consumer_that_stopped_storing_has_no_backlog_any_more(clock):
    service = Pending(clock, pending=1)
    rescorer = rescorer_over(service, clock, max_delay_seconds=60)
    rescorer.notify(backlog=True)  # the last batch said more were waiting, then nothing came
    clock.now = IDLE_SECONDS - 0.01
    assert not rescorer.step(threading.Event())
    clock.now = IDLE_SECONDS
    assert rescorer.step(threading.Event())
    assert service.chunks == [IDLE_SECONDS] and service.pending == 0


def test_past_the_delay_a_backlog_gets_one_chunk_at_a_time_and_the_writer_back_between(clock):
    """A rescorer that drained everything while records waited starved the consumer (bench/load.py)."""
    service = Pending(clock, pending=5)
    rescorer = rescorer_over(service, clock, max_delay_seconds=0.5, chunk=1)
    consumer_with_a_backlog(rescorer, clock, until=2.0)
    assert service.chunks == [0.5, 1.0, 1.5]  # one chunk per delay, the consumer storing between
    assert service.pending == 2


def test_once_the_consumer_catches_up_the_rest_is_rescored_at_once(clock):
    service = Pending(clock, pending=5)
    rescorer = rescorer_over(service, clock, max_delay_seconds=0.5, chunk=1)
    consumer_with_a_backlog(rescorer, clock, until=1.0)
    assert service.chunks == [0.5] and service.pending == 4
    rescorer.notify(backlog=False)
    assert rescorer.step(threading.Event())
    assert service.chunks == [0.5] + [1.0] * 5 and service.pending == 0  # the last chunk finds nothing left


def test_while_records_wait_a_slow_round_gives_the_consumer_four_times_as_long(clock):
    """A round's cost grows with the units' events: the consumer keeps at least 4/5 of the writer."""
    service = Pending(clock, pending=3, cost=2.0)
    rescorer = rescorer_over(service, clock, max_delay_seconds=0.5, chunk=1)
    service.midway = lambda: rescorer.notify(backlog=True)  # the consumer stores during the round too
    consumer_with_a_backlog(rescorer, clock, until=30.0)
    first, second, third = service.chunks
    assert first == 0.5
    # the round, then four times its length for the consumer, counted from the round's end
    # even for what was stored during the round
    assert second - first == 2.0 + CONSUMER_SHARE * 2.0
    assert third - second == 2.0 + CONSUMER_SHARE * 2.0


def test_stop_ends_a_round_between_chunks(clock):
    service = Pending(clock, pending=5)
    rescorer = rescorer_over(service, clock, chunk=1)
    stop = threading.Event()
    stop.set()
    assert rescorer.step(stop)
    assert service.chunks == [] and service.pending == 5  # left pending, rescored after the next start


def test_settled_once_the_consumer_caught_up_and_its_batches_are_rescored(clock):
    """What the anomaly checks wait for before they run over what was stored (findings_watch.FindingsWatch)."""
    service = Pending(clock)
    rescorer = rescorer_over(service, clock, max_delay_seconds=60)
    assert rescorer.settled()  # nothing stored yet
    service.pending = 1
    rescorer.notify(backlog=True)
    clock.now = 0.25
    assert not rescorer.step(threading.Event())
    assert not rescorer.settled()  # records wait on the topic
    rescorer.notify(backlog=False)  # at 0.25
    clock.now = 0.5
    assert not rescorer.settled()  # stored, not rescored yet
    assert rescorer.step(threading.Event()) and service.pending == 0
    assert not rescorer.settled()  # rescored, but the consumer stored less than IDLE_SECONDS ago
    clock.now = 0.25 + IDLE_SECONDS
    assert rescorer.settled()


def test_not_settled_during_a_round(clock):
    service = Pending(clock, pending=1)  # pending at start: nothing stored since
    rescorer = rescorer_over(service, clock, max_delay_seconds=60)
    during: list[bool] = []
    service.midway = lambda: during.append(rescorer.settled())
    clock.now = 5.0
    assert rescorer.step(threading.Event())
    assert during == [False] and service.pending == 0
    assert rescorer.settled()


def test_a_failed_round_leaves_the_rescorer_unsettled_and_is_retried(clock):
    service = Pending(clock, pending=1)
    service.fail = True
    rescorer = rescorer_over(service, clock, max_delay_seconds=60)
    clock.now = 5.0
    with pytest.raises(RuntimeError):
        rescorer.step(threading.Event())  # run() logs it and waits before the next step
    clock.now = 10.0
    assert not rescorer.settled()  # the change still waits
    service.fail = False
    assert rescorer.step(threading.Event()) and service.pending == 0
    assert rescorer.settled()
