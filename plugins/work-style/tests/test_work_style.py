"""work_style: deductions per violation and the cap."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jixiao_indicator_work_style as plugin
from jixiao_sdk import IndicatorHost
from jixiao_sdk.testing import IndicatorTestKit

CODE = "work_style"


@pytest.fixture
def kit():
    return IndicatorTestKit(plugin)


def _violations(kit, *severities):
    return [kit.event("work_style_violation", 1.0, period="2026-04", severity=s) for s in severities]


def test_deductions(kit):
    result = kit.evaluate(CODE, _violations(kit, "minor", "serious", "minor"))
    assert result.points == -5.0
    assert result.explanation == "作风问题一般2起、严重1起，扣5.00分 / work-style violations: 2 minor, 1 serious; -5.00 points"


def test_cap_and_none(kit):
    assert kit.evaluate(CODE, _violations(kit, *["serious"] * 5)).points == -10.0
    clean = kit.evaluate(CODE, [])
    assert clean.points == 0.0 and "no work-style violations" in clean.explanation


def test_bad_severity(kit):
    failed = kit.evaluate(CODE, _violations(kit, "grave"), expect_ok=False)
    assert failed.reason == "event 'ev-1' has severity 'grave'; expected one of minor, serious"


def test_discovered_through_its_entry_point():
    host = IndicatorHost.discover(strict=True)
    assert host.plugin_versions()[CODE] == "jixiao-indicator-work-style==0.1.2"


@settings(max_examples=40, deadline=None)
@given(severities=st.lists(st.sampled_from(["minor", "serious"]), max_size=20))
def test_points_within_range(severities):
    kit = IndicatorTestKit(plugin)
    assert -10.0 <= kit.evaluate(CODE, _violations(kit, *severities)).points <= 0.0


def test_declares_the_parameters_it_reads(kit):
    assert kit.spec(CODE).parameter_names == ("points.minor", "points.serious", "cap")
    assert kit.spec(CODE).period_basis == "period_alone"
    assert kit.check_target(CODE, None, params={"points.major": 2.0}) == (
        "unknown target parameter 'points.major'; work_style reads points.minor, points.serious,"
        " cap",)
