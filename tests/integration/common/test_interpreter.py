"""Service processes shorten the interpreter's switch interval (services/common/src/jixiao/common/interpreter.py)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from jixiao.common.config import ConfigError
from jixiao.common.interpreter import set_switch_interval

# A service whose run prints the switch interval it runs with.
SERVICE = """
import sys
from jixiao.common.entrypoint import run_service
class Service:
    def run(self, stop):
        print(sys.getswitchinterval())
sys.exit(run_service("probe", lambda environ: Service()))
"""


@pytest.fixture
def restored_interval():
    before = sys.getswitchinterval()
    yield
    sys.setswitchinterval(before)


def run_probe(**environ: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "JIXIAO_SWITCH_INTERVAL_MS"}
    return subprocess.run([sys.executable, "-c", SERVICE], capture_output=True, text=True, timeout=60,
                          env={**env, **environ})


def test_a_service_runs_with_half_a_millisecond_by_default():
    done = run_probe()
    assert done.returncode == 0, done.stderr
    assert float(done.stdout) == pytest.approx(0.0005)


def test_the_operator_chooses_another_interval():
    done = run_probe(JIXIAO_SWITCH_INTERVAL_MS="5")
    assert done.returncode == 0, done.stderr
    assert float(done.stdout) == pytest.approx(0.005)


def test_a_bad_interval_ends_the_service_with_one_line_naming_the_variable():
    done = run_probe(JIXIAO_SWITCH_INTERVAL_MS="fast")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "JIXIAO_SWITCH_INTERVAL_MS='fast' is not a number" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("value", ["0", "-1", "nan", "1000", "inf"])
def test_intervals_out_of_range_are_refused(value, restored_interval):
    with pytest.raises(ConfigError, match="JIXIAO_SWITCH_INTERVAL_MS"):
        set_switch_interval({"JIXIAO_SWITCH_INTERVAL_MS": value})


def test_the_interval_is_set_in_milliseconds(restored_interval):
    assert set_switch_interval({"JIXIAO_SWITCH_INTERVAL_MS": "0.25"}) == pytest.approx(0.00025)
    assert sys.getswitchinterval() == pytest.approx(0.00025)
