"""How soon a thread waiting for the interpreter lock gets it.

CPython hands the lock over to a waiting thread only after
`sys.getswitchinterval()` (5 ms by default), unless its holder blocks. A
thread that lets go of the lock briefly and often waits up to that long to
get it back each time another thread is busy — and SQLite's driver lets go
of it for every step of a statement, every row read or written (a lock
convoy). Rescoring one unit of the synthetic province took ~4 ms alone and
190–520 ms beside one busy thread at 5 ms; 27–47 ms at 0.5 ms (`bench/convoy.py`).
In the load benchmark on the province, scoring at 0.5 ms lost nothing where
it had lost 2,992 records, and drained in 42 s instead of 129 (RELIABILITY.md,
section 5). The cost is more frequent hand-overs between busy threads, a few
microseconds each.
"""
from __future__ import annotations

import sys
from collections.abc import Mapping

from .config import ConfigError, env_float

SETTING = "JIXIAO_SWITCH_INTERVAL_MS"
DEFAULT_MS = 0.5
MINIMUM_MS = 0.01
MAXIMUM_MS = 100.0


def set_switch_interval(environ: Mapping[str, str]) -> float:
    """Sets the interpreter's switch interval from JIXIAO_SWITCH_INTERVAL_MS
    (default 0.5 ms); returns it in seconds. Raises ConfigError naming the
    variable for a value that is not a number from 0.01 to 100."""
    milliseconds = env_float(environ, SETTING, DEFAULT_MS, minimum=MINIMUM_MS)
    if milliseconds > MAXIMUM_MS:
        raise ConfigError(f"{SETTING}={milliseconds:g} is too long; use a number of milliseconds from "
                          f"{MINIMUM_MS:g} to {MAXIMUM_MS:g} (default {DEFAULT_MS:g})")
    sys.setswitchinterval(milliseconds / 1000)
    return sys.getswitchinterval()
