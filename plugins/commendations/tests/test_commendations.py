"""commendations: points per level and the cap."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jixiao_indicator_commendations as plugin
from jixiao_sdk import IndicatorHost
from jixiao_sdk.testing import IndicatorTestKit

CODE = "commendations"


@pytest.fixture
def kit():
    return IndicatorTestKit(plugin)


def _commendations(kit, *levels):
    return [kit.event("commendation", 1.0, period="2026-06", level=level) for level in levels]


def test_points_per_level_and_cap(kit):
    result = kit.evaluate(CODE, _commendations(kit, "national", "national", "provincial",
                                               "provincial", "provincial"))
    assert result.components["earned"] == 12.0
    assert result.points == 10.0
    assert result.explanation == (
        "获国家级表彰2项、省级表彰3项，加10.00分（按规则应加12.00分，封顶10.00分）"
        " / commendations: 2 national, 3 provincial; bonus 10.00 (earned 12.00, capped at 10.00)"
    )


def test_custom_points(kit):
    result = kit.evaluate(CODE, _commendations(kit, "municipal", "provincial"),
                          params={"points.municipal": 0.5, "cap": 5})
    assert result.points == 2.5


def test_none_and_bad_level(kit):
    assert kit.evaluate(CODE, []).points == 0.0
    failed = kit.evaluate(CODE, _commendations(kit, "county"), expect_ok=False)
    assert failed.reason == "event 'ev-1' has level 'county'; expected one of national, provincial, municipal"
    assert kit.check_target(CODE, None, params={"cap": 20}) == ("cap must be within (0, 10], got 20.0",)


def test_discovered_through_its_entry_point():
    host = IndicatorHost.discover(strict=True)
    assert host.plugin_versions()[CODE] == "jixiao-indicator-commendations==0.1.0"


@settings(max_examples=40, deadline=None)
@given(levels=st.lists(st.sampled_from(["national", "provincial", "municipal"]), max_size=40))
def test_points_within_range(levels):
    kit = IndicatorTestKit(plugin)
    assert 0.0 <= kit.evaluate(CODE, _commendations(kit, *levels)).points <= 10.0
