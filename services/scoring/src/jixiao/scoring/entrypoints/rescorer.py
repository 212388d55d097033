"""The rescorer: a thread that rescores the changes the consumer stored.

The consumer only stores events and the changes they make pending
(`scoring_pending_rescores`), so ingest keeps pace with the topic; the
rescorer takes those changes a bounded chunk at a time, coalescing a burst
of events of one unit into one rescore. Changes left at a stop or a crash
stay pending and are rescored after the next start.

While the consumer has a backlog (records waiting on the topic after its
last batch), rescoring waits, up to `max_delay_seconds` after the first
change it has not rescored: in one process the two share one interpreter
and one database writer, and rescoring while a burst is still arriving
rescores the same units again and again. Ingest first, then rescore
everything the burst touched once — the burst is both stored and scored
sooner that way (bench/ingest.py).

When the delay is up while the backlog lasts, the rescorer takes one chunk
and gives the writer back: the consumer stores for another
`max_delay_seconds` before the next chunk, or for four times as long as
that round took if that is longer, so it keeps at least four fifths of the
writer. Under a load the rescorer
cannot keep up with, events are still stored and their offsets committed
at the topic's pace, and scores trail behind (bench/load.py); before this,
a rescorer that drained everything starved the consumer, which fell so far
behind that a size-capped topic dropped records before they were read.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from ..adapters.instrumentation import RECOMPUTES
from ..service_layer.scoring_service import ScoringService

log = logging.getLogger("jixiao.scoring")
# Pending changes rescored per transaction. A round's cost follows the units
# it touches and their events more than the number of changes (a unit is
# rescored once per round however many of its changes wait), so a backlog
# of changes is cleared in few large rounds.
RESCORE_CHUNK = 50_000
# A consumer that has stored nothing for this long has no backlog.
IDLE_SECONDS = 0.5
# While records wait, the consumer gets at least this many times as long as
# the rescorer's last round took (a round's cost grows with the events of the
# units it touches, not with the changes it clears).
CONSUMER_SHARE = 4
NEVER = float("-inf")  # the time of what has not happened yet, before any clock's reading


class Rescorer:
    """Every reading of the time goes through `clock` (seconds, never going
    back), so the rules above can be tested with a clock that tests move."""

    def __init__(self, service: ScoringService, *, max_delay_seconds: float = 5.0, chunk: int = RESCORE_CHUNK,
                 clock: Callable[[], float] = time.monotonic):
        self.service = service
        self.chunk = chunk
        self.max_delay_seconds = max_delay_seconds
        self.clock = clock
        self._stored = threading.Event()
        self._lock = threading.Lock()
        self._backlog = False
        self._last_stored = NEVER
        self._last_rescored = NEVER  # when the rescorer last gave the writer back
        self._waiting_since: float | None = None  # the first store not rescored yet
        self._round_seconds = 0.0  # how long the last round held the writer
        self._running = False  # a round is under way

    def notify(self, *, backlog: bool = False) -> None:
        """A batch was stored; `backlog` when more records wait on the topic."""
        now = self.clock()
        with self._lock:
            self._backlog = backlog
            self._last_stored = now
            if self._waiting_since is None:
                self._waiting_since = now
        self._stored.set()

    def settled(self) -> bool:
        """Whether the consumer has caught up and everything it stored was rescored: no
        records waited after its last batch, and no round is due or running."""
        now = self.clock()
        with self._lock:
            return (not self._backlog and self._waiting_since is None and not self._stored.is_set()
                    and not self._running and now - self._last_stored >= IDLE_SECONDS)

    def due(self) -> bool:
        """Whether to rescore now: the consumer has caught up, or the oldest change has waited long enough."""
        now = self.clock()
        with self._lock:
            # Idle since its last store, or since the rescorer last held the writer it was waiting for.
            caught_up = not self._backlog or now - max(self._last_stored, self._last_rescored) >= IDLE_SECONDS
            delay = max(self.max_delay_seconds, CONSUMER_SHARE * self._round_seconds)
            # counted from the end of the last round: a change stored during it waited for that round
            waited = self._waiting_since is not None and now - max(self._waiting_since, self._last_rescored) >= delay
            return caught_up or waited

    def run(self, stop: threading.Event) -> None:
        """Rescores until `stop` is set; a failed chunk is retried after a growing wait."""
        failures = 0
        while not stop.is_set():
            self._stored.wait(timeout=IDLE_SECONDS / 2)
            try:
                if self.step(stop):
                    failures = 0
            except Exception:  # noqa: BLE001 - the changes stay pending; retried after a wait
                failures += 1
                log.exception("rescoring failed (attempt %d); the changes stay pending", failures)
                stop.wait(min(30.0, 0.5 * 2 ** failures))

    def step(self, stop: threading.Event) -> bool:
        """One pass of `run`'s loop, without its wait: takes the consumer's signal
        and, if a round is due, rescores chunk after chunk until one is not full —
        or stops after one while records wait on the topic. Returns whether a
        round ran; a failed round leaves its changes pending and waiting."""
        self._stored.clear()
        if not self.due():
            return False
        with self._lock:
            self._waiting_since = None
            self._running = True
        started = self.clock()
        try:
            while not stop.is_set() and self._rescore_chunk() == self.chunk and not self._yield_to_consumer():
                pass
        except BaseException:
            with self._lock:  # what the round did not clear still waits: not settled
                if self._waiting_since is None:
                    self._waiting_since = started
            raise
        finally:
            with self._lock:
                self._last_rescored = self.clock()
                self._round_seconds = self._last_rescored - started
                self._running = False
        return True

    def _yield_to_consumer(self) -> bool:
        """After a full chunk: whether to leave the rest for later because
        records wait on the topic (the next chunk is then due
        `max_delay_seconds` from now, or as soon as the consumer catches up)."""
        with self._lock:
            if not self._backlog:
                return False
            self._last_rescored = self.clock()
            if self._waiting_since is None:
                self._waiting_since = self._last_rescored
            return True

    def _rescore_chunk(self) -> int:
        with RECOMPUTES.chunk(self.chunk) as chunk:  # spans and metrics when telemetry is on
            chunk.cleared = self.service.rescore_pending(max_changes=self.chunk, once=True)
        return chunk.cleared
