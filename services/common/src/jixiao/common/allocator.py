"""Bounds glibc's malloc arenas in a long-running, multi-threaded service.

glibc gives each new thread its own malloc arena, up to eight per core.
Memory freed in one arena is reused only by that arena, so a service whose
thread pool (gRPC workers, the consumer, the rescorer) allocates and frees
in turn keeps the high-water mark of every arena resident. Under the load
benchmark two arenas halved scoring's memory growth (RELIABILITY.md,
section 5) at no measurable cost: the interpreter lock lets one thread
allocate at a time anyway.

An operator's `MALLOC_ARENA_MAX`, which glibc reads at start, wins; on
another C library this does nothing.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os

log = logging.getLogger("jixiao.allocator")

ARENAS = 2
_M_ARENA_MAX = -8  # glibc's malloc.h


def limit_malloc_arenas(arenas: int = ARENAS) -> bool:
    """Limits glibc to `arenas` malloc arenas from now on; whether it did.

    Call it before the service starts its threads: arenas made before stay.
    """
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.gnu_get_libc_version  # noqa: B018 - only glibc has it
    except (OSError, AttributeError):
        return False
    done = libc.mallopt(_M_ARENA_MAX, arenas) == 1
    if not done:
        log.warning("could not limit malloc arenas to %d", arenas)
    return done
