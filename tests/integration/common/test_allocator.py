"""glibc's malloc arenas are bounded in service processes (services/common/src/jixiao/common/allocator.py)."""
from __future__ import annotations

import os
import platform
import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc arenas are glibc's")

# Six threads alive at once, each allocating outside the interpreter's small-object
# allocator; then glibc's own per-arena statistics (on stderr).
PROGRAM = """
import ctypes, sys, threading
from jixiao.common.allocator import limit_malloc_arenas
print(limit_malloc_arenas() if sys.argv[1] == "limit" else None)
barrier = threading.Barrier(6)
def work():
    keep = [bytearray(4096) for _ in range(100)]
    barrier.wait()
threads = [threading.Thread(target=work) for _ in range(6)]
for thread in threads: thread.start()
for thread in threads: thread.join()
ctypes.CDLL("libc.so.6").malloc_stats()
"""


def arenas(mode: str, **environ: str) -> tuple[str, int]:
    done = subprocess.run([sys.executable, "-c", PROGRAM, mode], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **environ}, check=True)
    return done.stdout.strip(), len(re.findall(r"^Arena \d+:", done.stderr, re.MULTILINE))


def test_threads_share_two_arenas_once_limited():
    assert arenas("limit") == ("True", 2)


def test_without_the_limit_each_thread_gets_an_arena():
    """The control: what the limit prevents."""
    assert arenas("none")[1] == 7


def test_an_operators_malloc_arena_max_wins():
    assert arenas("limit", MALLOC_ARENA_MAX="3") == ("False", 3)
