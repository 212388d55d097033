"""When the anomaly checks run (scoring/entrypoints/findings_watch.py `FindingsWatch`):
only once what was stored is scored, never taking more than a small share of the
process, a failed refresh tried again at the next turn — with a clock the test
moves, no thread and no database."""
from __future__ import annotations

import logging
from types import SimpleNamespace

from jixiao.scoring.entrypoints.findings_watch import FindingsWatch


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Review:
    """FindingsReview over schemes whose checks take `cost` seconds each; a scheme is
    stale until refreshed, and `failing` ones fail."""

    def __init__(self, clock: Clock, *codes: str, cost: float = 0.0):
        self.clock = clock
        self.cost = cost
        self.stale_codes = set(codes)
        self.failing: set[str] = set()
        self.refreshed: list[str] = []
        self.service = SimpleNamespace(schemes=lambda: [SimpleNamespace(code=code) for code in codes])

    def stale(self, scheme) -> bool:
        return scheme.code in self.stale_codes

    def refresh(self, code: str):
        self.clock.now += self.cost
        if code in self.failing:
            raise RuntimeError("database went away")
        self.stale_codes.discard(code)
        self.refreshed.append(code)
        return SimpleNamespace(found=1, new=1, gone=0)


def watch_over(review: Review, clock: Clock, *, settled=lambda: True, interval: float = 30.0) -> FindingsWatch:
    return FindingsWatch(review, interval=interval, settled=settled, clock=clock)  # type: ignore[arg-type]


def test_no_turn_until_what_was_stored_is_scored():
    clock = Clock()
    review = Review(clock, "A")
    settled = False
    watch = watch_over(review, clock, settled=lambda: settled)
    assert watch.step() == 30.0 and review.refreshed == []
    settled = True
    assert watch.step() == 30.0 and review.refreshed == ["A"]


def test_after_a_turn_of_t_seconds_the_watch_waits_cost_share_times_t():
    clock = Clock()
    review = Review(clock, "A", "B", cost=2.5)
    watch = watch_over(review, clock)
    wait = watch.step()  # two refreshes of 2.5 s: a turn of 5 s
    assert review.refreshed == ["A", "B"]
    assert wait == FindingsWatch.COST_SHARE * 5.0 >= 30.0


def test_a_quick_turn_waits_the_interval():
    clock = Clock()
    review = Review(clock, "A", cost=0.1)
    assert watch_over(review, clock).step() == 30.0
    assert review.refreshed == ["A"]
    assert watch_over(review, clock).step() == 30.0  # nothing stale: nothing refreshed


def test_a_failed_refresh_is_logged_and_tried_again_at_the_next_turn(caplog):
    clock = Clock()
    review = Review(clock, "A", "B", cost=10.0)
    review.failing = {"A"}
    watch = watch_over(review, clock)
    with caplog.at_level(logging.ERROR, logger="jixiao.scoring"):
        wait = watch.step()
    assert review.refreshed == ["B"]  # the other scheme is still checked
    assert "anomaly checks of scheme A failed" in caplog.text and "database went away" in caplog.text
    assert wait == FindingsWatch.COST_SHARE * 20.0  # a failing turn's cost counts too
    review.failing = set()
    watch.step()
    assert review.refreshed == ["B", "A"]
