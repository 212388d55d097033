"""A small cache of the backends' answers, each kept for a few seconds."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Expiring:
    """A dict whose entries are recomputed once `ttl` seconds old (or when asked `fresh`)."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic):
        self.ttl, self.clock = ttl, clock
        self._entries: dict = {}
        self._lock = threading.Lock()

    def get(self, key, compute: Callable[[], object], *, fresh: bool = False):
        now = self.clock()
        if not fresh:
            with self._lock:
                entry = self._entries.get(key)
            if entry is not None and now - entry[0] < self.ttl:
                return entry[1]
        value = compute()  # outside the lock: a slow backend must not hold up other keys
        with self._lock:
            self._entries[key] = (now, value)
        return value

    def forget(self, key) -> None:
        with self._lock:
            self._entries.pop(key, None)
