"""The background loop that runs the anomaly checks as events are stored: a thread
of the scoring process (bootstrap.py) driving the findings' refresh
(service_layer/findings_review.py)."""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from ..service_layer.findings_review import FindingsReview

log = logging.getLogger("jixiao.scoring")


class FindingsWatch:
    """Runs the anomaly checks as events are stored: every `interval` seconds, once
    `settled()` says the consumer has caught up and what it stored is scored, the
    findings of each scheme that got events since its last refresh are refreshed.
    A turn that took t seconds is followed by at least `COST_SHARE` × t seconds
    without one, so the checks never take more than a small share of the process
    from ingest and scoring, however large the year. A refresh that fails is logged
    and tried again at the next turn; it never stops ingest or scoring."""

    COST_SHARE = 10

    def __init__(self, review: FindingsReview, *, interval: float, settled: Callable[[], bool],
                 clock: Callable[[], float] = time.monotonic):
        self.review = review
        self.interval = interval
        self.settled = settled
        self.clock = clock  # measures the turns' cost

    def run(self, stop: threading.Event) -> None:
        wait = self.interval
        while not stop.wait(wait):
            wait = self.step()

    def step(self) -> float:
        """One pass of `run`'s loop, without its wait: a turn if `settled()`; returns
        how long to wait before the next one — `interval`, or `COST_SHARE` times as long
        as the turn took when that is longer."""
        if not self.settled():
            return self.interval
        started = self.clock()
        self.turn()
        return max(self.interval, self.COST_SHARE * (self.clock() - started))

    def turn(self) -> list[str]:
        """Refreshes the stale schemes' findings now; returns their codes."""
        refreshed = []
        for scheme in self.review.service.schemes():
            if not self.review.stale(scheme):
                continue
            try:
                done = self.review.refresh(scheme.code)
            except Exception:  # noqa: BLE001 - logged; the next turn tries again
                log.exception("anomaly checks of scheme %s failed; tried again at the next turn", scheme.code)
                continue
            refreshed.append(scheme.code)
            log.info("anomaly checks of scheme %s: %d findings, %d new, %d no longer found",
                     scheme.code, done.found, done.new, done.gone)
        return refreshed
