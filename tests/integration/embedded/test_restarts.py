"""How `jixiao up` restarts a part that exits unexpectedly: the restart policy
(backoff, reset after a healthy run, giving up), and the supervisor acting on
it with stand-in children. A real crash under `jixiao up`:
tests/e2e/platform/test_up_restarts.py."""
from __future__ import annotations

import io
import os
import threading
import time

import pytest

from jixiao.embedded.restarts import RestartPolicy
from jixiao.embedded.supervisor import Platform, describe_exit


def crashes(policy: RestartPolicy, times: list[float]) -> list[float | None]:
    """The policy's answers to crashes at `times`, each run having started when the last restart was due."""
    answers = []
    for now in times:
        answers.append(delay := policy.crashed(now))
        if delay is not None:
            policy.started(now + delay)
    return answers


def test_backoff_doubles_up_to_the_cap():
    policy = RestartPolicy(max_crashes=100)
    policy.started(0)
    assert crashes(policy, [10, 20, 30, 40, 50, 60, 70, 80]) == [1, 2, 4, 8, 16, 30, 30, 30]
    assert policy.restarts == 8


def test_a_healthy_run_resets_the_backoff():
    policy = RestartPolicy()
    policy.started(0)
    assert crashes(policy, [5, 10, 20]) == [1, 2, 4]
    # restarted at 24: a crash 59 s later still backs off further, one a minute or more later starts again at 1 s
    assert crashes(policy, [24 + 59]) == [8]
    assert crashes(policy, [83 + 8 + 60, 152, 160]) == [1, 2, 4]


def test_too_many_crashes_in_the_window_give_up():
    policy = RestartPolicy()
    policy.started(0)
    assert crashes(policy, [1, 3, 6, 11, 20]) == [1, 2, 4, 8, None]
    assert policy.restarts == 4


def test_crashes_spread_wider_than_the_window_do_not_give_up():
    policy = RestartPolicy()
    policy.started(0)
    # every crash a little more than a minute after the restart: backoff resets, and never 5 in 120 s
    times = [61 * n for n in range(1, 12)]
    assert crashes(policy, times) == [1] * len(times)


def test_describe_exit():
    assert describe_exit(3) == "exit code 3"
    assert describe_exit(-9) == "exit code -9, SIGKILL"
    assert describe_exit(-15) == "exit code -15, SIGTERM"


@pytest.fixture
def platform(tmp_path):
    """A Platform whose children are stand-ins: `crash` writes to stderr and exits 3, `sleeper` waits."""
    (tmp_path / "crash.py").write_text("import sys\nprint('boom: the last words', file=sys.stderr)\nsys.exit(3)\n")
    (tmp_path / "sleeper.py").write_text("import time\ntime.sleep(60)\n")
    environ = {**os.environ, "JIXIAO_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(tmp_path)}
    running = Platform(environ, out=io.StringIO())
    yield running
    running.stop()


def spawn(platform: Platform, name: str, module: str, policy: RestartPolicy | None = None, restartable=True):
    child = platform._spawn(name, module, {}, restartable=restartable)
    child.ready = lambda: False  # a stand-in never answers: a restart waits until it exits again
    if policy is not None:
        child.policy = policy
    return child


def test_a_service_that_keeps_crashing_is_restarted_then_given_up_on(platform):
    spawn(platform, "sleeper", "sleeper")
    crash = spawn(platform, "scoring", "crash", RestartPolicy(first_delay=0.01, max_crashes=3))
    first_pid = crash.process.pid
    crash.process.wait()
    assert platform.keep_alive(threading.Event()) is False
    screen = platform.out.getvalue()
    assert "scoring stopped unexpectedly (exit code 3); restarting in 0.01 s (restart 1; log: " in screen
    assert "restarting in 0.02 s (restart 2;" in screen
    assert "restart 3" not in screen
    assert platform.failure.startswith("scoring stopped unexpectedly 3 times within 120 s (exit code 3); giving up")
    assert "boom: the last words" in platform.failure
    assert crash.process.pid != first_pid
    assert all(child.alive() for child in platform.children if child.name == "sleeper"), "the others run on"
    log = (platform.logs / "supervisor.log").read_text(encoding="utf-8")
    assert f"scoring (pid {first_pid}) exited unexpectedly (exit code 3)" in log and "boom: the last words" in log
    assert "scoring restarted (pid " in log


def test_the_broker_is_not_restarted(platform):
    broker = spawn(platform, "broker", "crash", restartable=False)
    broker.process.wait()
    assert platform.keep_alive(threading.Event()) is False
    assert platform.failure.startswith("the embedded broker stopped unexpectedly (exit code 3)")
    assert "restarting" not in platform.out.getvalue()


def test_stopping_during_a_backoff_does_not_restart(platform):
    crash = spawn(platform, "gateway", "crash", RestartPolicy(first_delay=30))
    crash.process.wait()
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    started = time.monotonic()
    assert platform.keep_alive(stop) is False
    assert time.monotonic() - started < 5
    assert "gateway stopped unexpectedly (exit code 3); restarting in 30 s" in platform.out.getvalue()
    assert not platform.failure and not crash.alive() and crash.process.returncode == 3, "not launched again"


def test_all_running_keeps_alive(platform):
    spawn(platform, "sleeper", "sleeper")
    assert platform.keep_alive(threading.Event()) is True
    assert platform.out.getvalue() == ""
