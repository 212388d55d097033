"""investment_completion, tested with the seeds' figures (28.23 亿元 against a 25.2 亿元 plan)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jixiao_indicator_investment_completion as plugin
from jixiao_sdk import IndicatorHost, Milestone
from jixiao_sdk.testing import IndicatorTestKit

CODE = "investment_completion"
# The transport bureau's year (000): 28.23 亿元 invested, 112% of plan, +22.7% on last year.
SEED_MONTHS = [1.50, 1.80, 2.10, 2.20, 2.40, 2.60, 2.50, 2.45, 2.60, 2.70, 2.58, 2.80]


@pytest.fixture
def kit():
    return IndicatorTestKit(plugin)


def test_seed_year_is_112_percent_and_capped(kit):
    events = kit.monthly("fixed_asset_investment", SEED_MONTHS, unit="CNY_100M")
    result = kit.evaluate(CODE, events, target=25.2, params={"last_year_value": 23.0})
    assert result.raw_value == pytest.approx(28.23)
    assert round(result.achievement, 3) == 1.120
    assert result.points == 100.0
    assert result.components["yoy_growth"] == pytest.approx(0.2274, abs=1e-4)
    assert result.explanation == (
        "完成投资28.23亿元，计划25.20亿元，完成率112.0%，同比增长22.7%，超额完成按满分计"
        " / invested 28.23 of 25.20 planned (CNY 100M), 112.0%, +22.7% YoY;"
        " points capped at 100"
    )
    assert result.evidence == tuple(e.event_id for e in events)


def test_partial_credit_is_proportional_by_default(kit):
    events = kit.monthly("fixed_asset_investment", [22.68])
    assert kit.evaluate(CODE, events, target=25.2).points == pytest.approx(90.0)


def test_zero_credit_floor(kit):
    events = kit.monthly("fixed_asset_investment", [18.9])  # 75% of plan
    result = kit.evaluate(CODE, events, target=25.2, params={"zero_credit_below": 0.5})
    assert result.points == pytest.approx(50.0)
    low = kit.evaluate(CODE, kit.monthly("fixed_asset_investment", [10.0]), target=25.2,
                       params={"zero_credit_below": 0.5})
    assert low.points == 0.0


def test_progress_uses_milestones(kit):
    # By the end of June 40% of the plan is due; 10.08 亿元 is exactly on track.
    events = kit.monthly("fixed_asset_investment", [1.68] * 6)
    result = kit.evaluate(CODE, events, target=25.2, elapsed_share=181 / 365,
                          milestones=[Milestone("2026-Q2", 0.4)])
    assert result.components["due"] == pytest.approx(10.08)
    assert result.points == pytest.approx(100.0)
    assert "按进度应完成10.08亿元" in result.explanation


def test_units_are_converted(kit):
    events = [kit.event("fixed_asset_investment", 282_300.0, period="2026-12", unit="CNY_10K")]
    assert kit.evaluate(CODE, events, target=25.2).raw_value == pytest.approx(28.23)


def test_unknown_unit_and_missing_plan_fail_clearly(kit):
    events = [kit.event("fixed_asset_investment", 1.0, period="2026-01", unit="USD")]
    failed = kit.evaluate(CODE, events, target=25.2, expect_ok=False)
    assert failed.status == "failed" and "'USD'" in failed.reason
    no_plan = kit.evaluate(CODE, [], expect_ok=False)
    assert no_plan.reason == "target: the target needs the annual plan as its value"
    assert kit.check_target(CODE, -1.0) == ("the annual plan must be positive, got -1.00",)
    assert kit.check_target(CODE, 25.2) == ()


def test_discovered_through_its_entry_point():
    host = IndicatorHost.discover(strict=True)
    assert host.plugin_versions()[CODE] == "jixiao-indicator-investment-completion==0.1.0"


@settings(max_examples=60, deadline=None)
@given(amounts=st.lists(st.floats(0, 50), max_size=12), plan=st.floats(0.1, 100),
       elapsed=st.floats(0, 1))
def test_points_always_within_range(amounts, plan, elapsed):
    kit = IndicatorTestKit(plugin)
    result = kit.evaluate(CODE, kit.monthly("fixed_asset_investment", amounts), target=plan,
                          elapsed_share=elapsed)
    assert 0.0 <= result.points <= 100.0
