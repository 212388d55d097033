"""The shape every service process shares.

`run_service` configures logging and telemetry (OTEL_* variables), bounds
glibc's malloc arenas (`allocator.py`), shortens the interpreter's switch
interval (`interpreter.py`), builds
the service from the environment, runs it until SIGTERM or Ctrl-C, exports
the telemetry still buffered, and turns configuration errors into one line
on stderr and exit status 2 — never a traceback.
"""
from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Mapping
from typing import Protocol

from . import telemetry
from .allocator import limit_malloc_arenas
from .config import ConfigError
from .interpreter import set_switch_interval
from .lifecycle import stop_event_on_signals
from .logs import configure_logging

EXIT_CONFIG_ERROR = 2


class Runnable(Protocol):
    def run(self, stop: threading.Event) -> None:
        """Serves until `stop` is set, then shuts down cleanly."""


def run_service(name: str, build: Callable[[Mapping[str, str]], Runnable]) -> int:
    environ = os.environ
    configure_logging(name, environ)
    limit_malloc_arenas()
    stop = stop_event_on_signals()
    try:
        set_switch_interval(environ)
        telemetry.setup(name, environ)
        build(environ).run(stop)
    except ConfigError as exc:
        print(f"jixiao {name}: error: {exc}", file=sys.stderr, flush=True)
        return EXIT_CONFIG_ERROR
    finally:
        telemetry.shutdown()
    return 0
