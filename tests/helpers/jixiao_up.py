"""`jixiao up` as a child process for end-to-end tests, its output read line by line."""
from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time


class Up:
    """`jixiao up` as a child process, its stdout and stderr read line by line.
    tests/e2e/platform/conftest.py ends whatever a test left running (`end_all`), so a test
    that fails half-way leaves no platform behind."""

    running: list[Up] = []

    @classmethod
    def end_all(cls) -> None:
        """Interrupts every `jixiao up` still running (killed if it does not stop in 60 s)."""
        while cls.running:
            up = cls.running.pop()
            if up.process.poll() is None:
                up.process.send_signal(signal.SIGINT)
                try:
                    up.process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    up.process.kill()
                    up.process.wait()

    def __init__(self, env: dict[str, str], *args: str):
        self.process = subprocess.Popen([sys.executable, "-m", "jixiao.cli", "up", *args], env={**os.environ, **env},
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        Up.running.append(self)

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float) -> re.Match:
        """The first line from now on matching `pattern`; fails, with the output so far, after `timeout`
        seconds or when the process has ended."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    break
                continue
            self.seen.append(line)
            match = re.search(pattern, line)
            if match:
                return match
        raise AssertionError(f"no line matching {pattern!r}; output so far:\n" + "\n".join(self.seen))

    def interrupt(self) -> int:
        """Ctrl-C; the exit status, once the rest of the output is read."""
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=60)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return code
