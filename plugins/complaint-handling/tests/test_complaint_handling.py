"""complaint_handling: rates, targets and deductions per escalated case."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jixiao_indicator_complaint_handling as plugin
from jixiao_sdk import IndicatorHost
from jixiao_sdk.testing import IndicatorTestKit

CODE = "complaint_handling"


@pytest.fixture
def kit():
    return IndicatorTestKit(plugin)


def _quarter(kit, received, on_time, resolved, escalated):
    """Spread each count over January to March, as the complaints bureau reports monthly."""
    events = []
    for metric, count in (("complaints_received", received), ("complaints_handled_on_time", on_time),
                          ("complaints_resolved", resolved), ("complaints_escalated", escalated)):
        parts = [count // 3, count // 3, count - 2 * (count // 3)]
        events += [kit.event(metric, float(p), period=f"2026-0{m}", unit="count")
                   for m, p in enumerate(parts, start=1)]
    return events


def test_rates_and_escalation_deduction(kit):
    result = kit.evaluate(CODE, _quarter(kit, 120, 114, 108, 2), period="2026-Q1")
    assert result.components["on_time_rate"] == pytest.approx(0.95)
    assert result.components["resolution_rate"] == pytest.approx(0.90)
    assert result.points == pytest.approx(88.5)
    assert result.explanation == (
        "受理信访120件，按期办理114件（95.0%），化解108件（90.0%），基础分92.50，"
        "越级上访2件扣4.00分，得分88.50 / 120 complaints received, 114 handled on time (95.0%),"
        " 108 resolved (90.0%); base 92.50, 2 escalated cases -4.00, points 88.50"
    )
    assert len(result.evidence) == 12


def test_targets_and_weights_from_the_target(kit):
    result = kit.evaluate(CODE, _quarter(kit, 100, 95, 80, 0), period="2026-Q1",
                          params={"on_time_target": 0.95, "resolution_target": 0.8,
                                  "weight.on_time": 3, "weight.resolution": 1})
    assert result.points == 100.0


def test_nothing_received_and_many_escalations(kit):
    assert kit.evaluate(CODE, [], period="2026-Q1").points == 100.0
    worst = kit.evaluate(CODE, _quarter(kit, 10, 0, 0, 60), period="2026-Q1")
    assert worst.points == 0.0


def test_bad_parameters(kit):
    assert kit.check_target(CODE, None, params={"on_time_target": 0}) == (
        "on_time_target must be within (0, 1], got 0.0",)
    assert kit.check_target(CODE, None) == ()


def test_discovered_through_its_entry_point():
    host = IndicatorHost.discover(strict=True)
    assert host.plugin_versions()[CODE] == "jixiao-indicator-complaint-handling==0.1.2"


@settings(max_examples=50, deadline=None)
@given(received=st.integers(0, 500), on_time=st.integers(0, 600), resolved=st.integers(0, 600),
       escalated=st.integers(0, 80))
def test_points_always_within_range(received, on_time, resolved, escalated):
    kit = IndicatorTestKit(plugin)
    result = kit.evaluate(CODE, _quarter(kit, received, on_time, resolved, escalated),
                          period="2026-Q1")
    assert 0.0 <= result.points <= 100.0


def test_declares_the_parameters_it_reads(kit):
    assert kit.spec(CODE).parameter_names == (
        "on_time_target", "resolution_target", "weight.on_time", "weight.resolution",
        "points_per_escalation")
    assert kit.spec(CODE).period_basis == "period_alone"


def test_targets_named_after_the_rates_are_refused_not_ignored(kit):
    # The demo scheme once wrote on_time_rate/resolution_rate: 0.95/0.90 were silently ignored.
    reads = ("complaint_handling reads on_time_target, resolution_target, weight.on_time,"
             " weight.resolution, points_per_escalation")
    assert kit.check_target(CODE, 0.95, params={"on_time_rate": 0.95, "resolution_rate": 0.9}) == (
        f"unknown target parameter 'on_time_rate'; {reads}",
        f"unknown target parameter 'resolution_rate'; {reads}",
    )
    assert kit.check_target(CODE, 0.95, params={"on_time_target": 0.95,
                                                "resolution_target": 0.9}) == ()
    with pytest.raises(AssertionError, match="unknown target parameter 'on_time_rate'"):
        kit.evaluate(CODE, _quarter(kit, 30, 30, 30, 0), params={"on_time_rate": 0.95})


def test_the_targets_are_read(kit):
    result = kit.evaluate(CODE, _quarter(kit, 100, 95, 90, 0),
                          params={"on_time_target": 0.95, "resolution_target": 0.9})
    assert result.points == 100.0
