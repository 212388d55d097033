"""funds_from_higher_levels with the seeds' 15.1 亿元, about 1 亿元 more than last year."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jixiao_indicator_funds_from_higher_levels as plugin
from jixiao_sdk import IndicatorHost
from jixiao_sdk.testing import IndicatorTestKit

CODE = "funds_from_higher_levels"
QUARTERS = [3.2, 4.1, 3.5, 4.3]  # 15.1 亿元


@pytest.fixture
def kit():
    return IndicatorTestKit(plugin)


def _events(kit, amounts):
    return [kit.event("funds_won_from_higher_levels", a, period=f"2026-{3 * i:02d}", unit="CNY_100M")
            for i, a in enumerate(amounts, start=1)]


def test_seed_year_against_target(kit):
    result = kit.evaluate(CODE, _events(kit, QUARTERS), target=15.0, params={"last_year_value": 14.1})
    assert result.raw_value == pytest.approx(15.1)
    assert result.points == 100.0
    assert result.components["yoy_change"] == pytest.approx(1.0)
    assert result.explanation == (
        "争取上级资金15.10亿元，目标15.00亿元，完成率100.7%，比上年增加1.00亿元（7.1%）"
        " / won 15.10 from higher levels against a target of 15.00 (CNY 100M), 100.7%;"
        " +1.00 on last year (7.1%)"
    )


def test_without_target_last_year_is_the_baseline(kit):
    result = kit.evaluate(CODE, _events(kit, [6.0, 7.0]), params={"last_year_value": 14.1})
    assert result.achievement == pytest.approx(13.0 / 14.1)
    assert result.points == pytest.approx(100 * 13.0 / 14.1)
    assert "上年（无目标时为基数）14.10亿元" in result.explanation
    assert "比上年减少1.10亿元" in result.explanation


def test_in_progress(kit):
    result = kit.evaluate(CODE, _events(kit, [3.2, 4.1]), target=15.0, elapsed_share=0.5)
    assert result.components["due"] == pytest.approx(7.5)
    assert result.points == pytest.approx(100 * 7.3 / 7.5)
    assert "yoy_change" not in result.components


def test_needs_a_baseline(kit):
    assert kit.check_target(CODE, None) == ("needs a target value or a last_year_value parameter",)
    assert kit.evaluate(CODE, [], expect_ok=False).status == "failed"


def test_discovered_through_its_entry_point():
    host = IndicatorHost.discover(strict=True)
    assert host.plugin_versions()[CODE] == "jixiao-indicator-funds-from-higher-levels==0.1.0"


@settings(max_examples=50, deadline=None)
@given(amounts=st.lists(st.floats(0, 20), max_size=4), target=st.floats(0.01, 50),
       elapsed=st.floats(0, 1))
def test_points_always_within_range(amounts, target, elapsed):
    kit = IndicatorTestKit(plugin)
    result = kit.evaluate(CODE, _events(kit, amounts), target=target, elapsed_share=elapsed)
    assert 0.0 <= result.points <= 100.0
