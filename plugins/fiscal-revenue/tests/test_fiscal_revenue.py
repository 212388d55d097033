"""fiscal_revenue: the blend of target achievement and growth."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jixiao_indicator_fiscal_revenue as plugin
from jixiao_sdk import IndicatorHost
from jixiao_sdk.testing import IndicatorTestKit

CODE = "fiscal_revenue"
MONTHS = [12.0, 11.5, 12.5, 13.0, 12.8, 12.7, 12.6, 13.1, 12.9, 13.2, 13.4, 13.3]  # 153.0


@pytest.fixture
def kit():
    return IndicatorTestKit(plugin)


def test_target_met_and_growth_blend(kit):
    events = kit.monthly("general_budget_revenue", MONTHS, unit="CNY_100M")
    result = kit.evaluate(CODE, events, target=150.0, params={"last_year_value": 141.0})
    assert result.raw_value == pytest.approx(153.0)
    assert result.components["target_credit"] == 1.0
    assert result.components["growth"] == pytest.approx(153 / 141 - 1)
    assert result.points == pytest.approx(100 * (0.7 + 0.3 * (153 / 141 - 1) / 0.10))
    assert "完成率102.0%，同比增长8.5%" in result.explanation
    assert "+8.5% YoY" in result.explanation


def test_growth_beyond_full_credit_and_decline(kit):
    high = kit.evaluate(CODE, kit.monthly("general_budget_revenue", [160.0]), target=150.0,
                        params={"last_year_value": 141.0})
    assert high.points == 100.0
    down = kit.evaluate(CODE, kit.monthly("general_budget_revenue", [135.0]), target=150.0,
                        params={"last_year_value": 141.0})
    assert down.components["growth_credit"] == 0.0
    assert down.points == pytest.approx(70.0 * 0.9)
    assert "同比下降4.3%" in down.explanation


def test_without_last_year_only_target_counts(kit):
    result = kit.evaluate(CODE, kit.monthly("general_budget_revenue", [120.0]), target=150.0)
    assert result.points == pytest.approx(80.0)
    assert "scored on the target only" in result.explanation


def test_custom_weights(kit):
    result = kit.evaluate(CODE, kit.monthly("general_budget_revenue", [150.0]), target=150.0,
                          params={"last_year_value": 150.0, "target_weight": 0.5})
    assert result.points == pytest.approx(50.0)


def test_bad_parameters_are_reported(kit):
    assert kit.check_target(CODE, 150.0, params={"target_weight": 1.5}) == (
        "target_weight must be within [0, 1], got 1.5",)
    failed = kit.evaluate(CODE, [], target=None, params={"last_year_value": 1.0}, expect_ok=False)
    assert failed.reason == "target: the target needs the revenue target as its value"


def test_discovered_through_its_entry_point():
    host = IndicatorHost.discover(strict=True)
    assert host.plugin_versions()[CODE] == "jixiao-indicator-fiscal-revenue==0.1.0"


@settings(max_examples=50, deadline=None)
@given(amounts=st.lists(st.floats(0, 50), max_size=12), target=st.floats(0.1, 500),
       last=st.floats(0.1, 500), elapsed=st.floats(0, 1))
def test_points_always_within_range(amounts, target, last, elapsed):
    kit = IndicatorTestKit(plugin)
    result = kit.evaluate(CODE, kit.monthly("general_budget_revenue", amounts), target=target,
                          params={"last_year_value": last}, elapsed_share=elapsed)
    assert 0.0 <= result.points <= 100.0
