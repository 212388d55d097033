"""`jixiao` commands run in the test's process: `jixiao.cli.main` called with the
arguments, instead of a new interpreter (`python -m jixiao.cli`) per command, which
spends most of a command's time importing the platform.

What only a separate process shows stays with a test that starts one: the entry
point and the interpreter's exit status, the encoding of the real standard streams,
what the gRPC core or a logging handler writes (here they write to the test
process's file descriptors and pytest's log capture, not to the captured streams),
and an uncaught exception (here it propagates and fails the test instead of
becoming a traceback and exit status 1).
"""
from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from jixiao.cli import main


def run_jixiao(*args: str, env: Mapping[str, str] | None = None, stdin: bytes = b"",
               text: bool = True) -> subprocess.CompletedProcess:
    """`jixiao ARGS` as `subprocess.run([sys.executable, "-m", "jixiao.cli", *ARGS],
    capture_output=True, text=text, input=stdin, env={**os.environ, **env})` gives it:
    the variables of `env` set for the call only, `stdin` on standard input, standard
    output and error captured as UTF-8 bytes behind text streams (no terminals, as with
    pipes; decoded with universal newlines when `text`). The exit status is main's
    return value, or that of a SystemExit (argparse's usage errors) as the interpreter
    makes it."""
    stdout, stderr = _stream(b""), _stream(b"")
    with _environment(env or {}), _standard_streams(_stream(stdin), stdout, stderr):
        try:
            returncode = main(list(args))
        except SystemExit as exit_:
            returncode = _exit_status(exit_.code, stderr)
    return subprocess.CompletedProcess(["jixiao", *args], returncode, _output(stdout, text), _output(stderr, text))


def _stream(content: bytes) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(content), encoding="utf-8")


def _output(stream: io.TextIOWrapper, text: bool) -> str | bytes:
    stream.flush()
    data = stream.buffer.getvalue()
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8").read() if text else data


def _exit_status(code, stderr: io.TextIOWrapper) -> int:
    """What the interpreter exits with on an uncaught SystemExit(code)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=stderr)
    return 1


@contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def _standard_streams(stdin, stdout, stderr) -> Iterator[None]:
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
    try:
        yield
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
