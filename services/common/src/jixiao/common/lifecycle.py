"""Process lifecycle: stop cleanly on SIGTERM or Ctrl-C."""
from __future__ import annotations

import signal
import threading


def stop_event_on_signals() -> threading.Event:
    """Returns an event set by the first SIGTERM or SIGINT.

    Services run their main loop until the event is set, then finish the
    work in hand, commit and exit 0 — no KeyboardInterrupt traceback.
    """
    stop = threading.Event()

    def _handle(signum, frame):  # noqa: ARG001 - signal handler signature
        stop.set()

    signal.signal(signal.SIGTERM, _handle)
    signal.signal(signal.SIGINT, _handle)
    return stop
