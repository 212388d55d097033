"""`jixiao … | head`: a command whose standard output is closed before it is done ends
quietly with exit status 141 (jixiao.cli.EXIT_OUTPUT_CLOSED), whatever the command; and
an OSError that names no file is reported by what went wrong, not as `None: …`."""
from __future__ import annotations

import errno
import fcntl
import io
import json
import os
import subprocess
import sys

from helpers import DEMO_SCHEME, demo_document
from helpers.cli import run_jixiao
from jixiao.cli import EXIT_OUTPUT_CLOSED, main
from jixiao.registry.entrypoints.command_runner import guarded


def test_scheme_diff_into_a_pipe_closed_after_one_line_ends_quietly(registry, tmp_path):
    address, tokens = registry
    env = {"JIXIAO_REGISTRY_ADDR": address, "JIXIAO_TOKEN": tokens.office}
    # Version 2 has no targets: the diff lists each of the demo city's as removed, far more
    # than the pipe below holds.
    without_targets = tmp_path / "without-targets.json"
    without_targets.write_text(json.dumps({**demo_document(), "targets": []}, ensure_ascii=False), encoding="utf-8")
    for document in (DEMO_SCHEME, without_targets):
        submitted = run_jixiao("scheme", "submit", str(document), env=env)
        assert submitted.returncode == 0, submitted.stderr
    process = subprocess.Popen([sys.executable, "-m", "jixiao.cli", "scheme", "diff", "jiangchuan-2026", "1", "2"],
                               env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               stdin=subprocess.DEVNULL)
    fcntl.fcntl(process.stdout.fileno(), fcntl.F_SETPIPE_SZ, 4096)  # the least a pipe holds: the command must wait for us
    first = process.stdout.readline()
    process.stdout.close()  # as `head -1` does
    stderr = process.stderr.read().decode("utf-8", errors="replace")
    code = process.wait(timeout=60)
    assert first.startswith(b"- "), f"not a line of the diff: {first!r}; stderr: {stderr}"
    assert stderr == "", stderr
    assert code == EXIT_OUTPUT_CLOSED


class ClosedPipe(io.RawIOBase):
    """The raw end of a standard output whose reader has gone: every write fails."""

    def writable(self) -> bool:
        return True

    def write(self, data):
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")


def run_into_closed_pipe(*args: str) -> tuple[int, str]:
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = io.TextIOWrapper(io.BufferedWriter(ClosedPipe()), encoding="utf-8"), io.StringIO()
    try:
        code = main(list(args))
        return code, sys.stderr.getvalue()
    finally:
        sys.stdout, sys.stderr = saved


def test_every_command_ends_quietly_on_a_closed_output(tmp_path):
    assert run_into_closed_pipe("tokens", "init", str(tmp_path / "tokens.yaml")) == (EXIT_OUTPUT_CLOSED, "")
    assert run_into_closed_pipe("--help") == (EXIT_OUTPUT_CLOSED, ""), "argparse's own output too"


def test_an_os_error_without_a_file_is_reported_by_its_reason(monkeypatch, capsys):
    monkeypatch.setenv("JIXIAO_REGISTRY_ADDR", "127.0.0.1:1")  # not called: the actions fail first

    def reset(client, options):
        raise ConnectionResetError(errno.ECONNRESET, "Connection reset by peer")

    def missing(client, options):
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", "units.csv")

    assert guarded(reset)(None) == 1
    assert capsys.readouterr().err == "jixiao: error: Connection reset by peer\n"
    assert guarded(missing)(None) == 1
    assert capsys.readouterr().err == "jixiao: error: units.csv: No such file or directory\n"
