"""commendations: points per level and the cap."""

import jixiao_indicator_commendations as plugin
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    assert host.plugin_versions()[CODE] == "jixiao-indicator-commendations==0.2.2"


@settings(max_examples=40, deadline=None)
@given(levels=st.lists(st.sampled_from(["national", "provincial", "municipal"]), max_size=40))
def test_points_within_range(levels):
    kit = IndicatorTestKit(plugin)
    assert 0.0 <= kit.evaluate(CODE, _commendations(kit, *levels)).points <= 10.0


def test_declares_its_parameters_and_is_year_to_date(kit):
    spec = kit.spec(CODE)
    assert spec.parameter_names == ("points.national", "points.provincial", "points.municipal", "cap")
    assert spec.period_basis == "year_to_date"
    assert kit.check_target(CODE, None, params={"points.county": 0.5}) == (
        "unknown target parameter 'points.county'; commendations reads points.national,"
        " points.provincial, points.municipal, cap",)


def test_year_to_date_counts_the_year_so_far_and_names_the_span(kit):
    events = [kit.event("commendation", 1.0, period=period, level=level)
              for period, level in (("2026-02", "national"), ("2026-05", "national"),
                                    ("2026-08", "provincial"), ("2026-09", "national"))]
    result = kit.evaluate(CODE, events, period="2026", as_of_period="2026-Q3", elapsed_share=0.75)
    assert result.points == 10.0  # 3 x 3 + 2 = 11, capped for the year so far
    assert result.explanation == (
        "1–9月累计获国家级表彰3项、省级表彰1项，加10.00分（按规则应加11.00分，封顶10.00分）"
        " / Jan–Sep: commendations: 3 national, 1 provincial; bonus 10.00"
        " (earned 11.00, capped at 10.00)")
    nothing = kit.evaluate(CODE, [], period="2026", as_of_period="2026-05", elapsed_share=151 / 365)
    assert nothing.explanation == "1–5月累计无表彰，加0.00分 / Jan–May: no commendations; bonus 0.00"
