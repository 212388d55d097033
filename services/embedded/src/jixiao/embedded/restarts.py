"""When `jixiao up` restarts a service that exited unexpectedly.

Exponential backoff — 1 s, 2 s, 4 s … at most 30 s — starting again at 1 s
once a run lasted a minute; a service that crashes 5 times within two minutes
is given up on (the supervisor then stops the platform). Pure: the caller
passes the time (time.monotonic()), so tests need no processes or clocks.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field


@dataclass
class RestartPolicy:
    first_delay: float = 1.0
    max_delay: float = 30.0
    healthy_after: float = 60.0  # a run at least this long resets the backoff to first_delay
    max_crashes: int = 5  # this many crashes …
    window: float = 120.0  # … within this many seconds: give up
    restarts: int = 0  # restarts granted so far
    _step: int = field(default=0, repr=False)
    _started: float | None = field(default=None, repr=False)
    _crashes: deque[float] = field(default_factory=deque, repr=False)

    def started(self, now: float) -> None:
        """The service was (re)started at `now`."""
        self._started = now

    def crashed(self, now: float) -> float | None:
        """The service exited unexpectedly at `now`: the seconds to wait before
        restarting it, or None to give up."""
        if self._started is not None and now - self._started >= self.healthy_after:
            self._step = 0
        self._crashes.append(now)
        while self._crashes[0] <= now - self.window:
            self._crashes.popleft()
        if len(self._crashes) >= self.max_crashes:
            return None
        delay = min(self.max_delay, self.first_delay * 2**self._step)
        self._step += 1
        self.restarts += 1
        return delay
