"""leadership_evaluation: rating scale, group weights, units and persons."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jixiao_indicator_leadership_evaluation as plugin
from jixiao_sdk import IndicatorHost, Observation
from jixiao_sdk.testing import IndicatorTestKit

CODE = "leadership_evaluation"


@pytest.fixture
def kit():
    return IndicatorTestKit(plugin)


def _ratings(group, values, *, start=0):
    return [Observation(f"{group}-{start + i}", "leadership_rating", v, "rating", "2026-12-10",
                        "organisation", {"rater_id": f"{group}-{start + i}", "rater_group": group})
            for i, v in enumerate(values)]


def test_unit_with_weighted_groups(kit):
    ratings = _ratings("city_leaders", [5, 5, 4, 4]) + _ratings("peer_units", [4, 3, 4, 5, 4])
    result = kit.evaluate(CODE, ratings, params={"group_weight.city_leaders": 0.6,
                                                 "group_weight.peer_units": 0.4})
    assert result.components["mean.city_leaders"] == 4.5
    assert result.components["mean.peer_units"] == 4.0
    assert result.points == pytest.approx(20 * (0.6 * 4.5 + 0.4 * 4.0))
    assert result.explanation.startswith(
        "单位unit-test领导班子官评平均4.30分（优秀5至差1）：city_leaders 4.50（4人，权重0.600）")


def test_person_and_equal_weights(kit):
    ratings = _ratings("city_leaders", [5, 3]) + _ratings("staff", [4, 4, 4, 4])
    result = kit.evaluate(CODE, ratings, person_id="leader-7")
    assert result.points == pytest.approx(20 * (0.5 * 4.0 + 0.5 * 4.0))
    assert result.explanation.startswith("领导干部leader-7官评平均4.00分")
    assert "leader leader-7: mean rating 4.00 of 5" in result.explanation


def test_one_rating_per_rater_and_invalid_values(kit):
    first = Observation("r-1", "leadership_rating", 5, "rating", "2026-12-01", "org",
                        {"rater_id": "a", "rater_group": "staff"})
    repeat = Observation("r-2", "leadership_rating", 1, "rating", "2026-12-02", "org",
                         {"rater_id": "a", "rater_group": "staff"})
    off_scale = Observation("r-3", "leadership_rating", 4.5, "rating", "2026-12-02", "org",
                            {"rater_id": "b", "rater_group": "staff"})
    result = kit.evaluate(CODE, [repeat, off_scale, first])
    assert result.points == 100.0
    assert result.evidence == ("r-1",)
    assert "1 repeat ratings ignored (one per rater); 1 invalid ratings ignored" in result.explanation


def test_groups_without_weight_and_min_raters(kit):
    ratings = _ratings("city_leaders", [4]) + _ratings("public", [1, 1])
    result = kit.evaluate(CODE, ratings, params={"group_weight.city_leaders": 1.0})
    assert result.points == 80.0
    assert "groups without a weight not counted: public" in result.explanation
    too_few = kit.evaluate(CODE, ratings, params={"min_raters": 5}, expect_ok=False)
    assert too_few.reason == "3 weighted raters, 5 needed (3 ratings, 0 invalid, 0 repeats)"


def test_discovered_through_its_entry_point():
    host = IndicatorHost.discover(strict=True)
    assert host.plugin_versions()[CODE] == "jixiao-indicator-leadership-evaluation==0.1.1"


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(1, 5)),
                       min_size=1, max_size=30))
def test_points_within_range(values):
    kit = IndicatorTestKit(plugin)
    ratings = [Observation(f"r-{i}", "leadership_rating", v, "rating", "2026-12-01", "org",
                           {"rater_id": f"p{i}", "rater_group": g})
               for i, (g, v) in enumerate(values)]
    result = kit.evaluate(CODE, ratings)
    assert 20.0 <= result.points <= 100.0


def test_declares_the_parameters_it_reads(kit):
    assert kit.spec(CODE).parameter_names == ("group_weight.*", "min_raters")
    assert kit.spec(CODE).period_basis == "period_alone"
    assert kit.check_target(CODE, None, params={"group_weight.peers": 0.3,
                                                "group_weight.superiors": 0.7}) == ()
    assert kit.check_target(CODE, None, params={"group_weight": 1.0, "weight.peers": 0.3}) == (
        "unknown target parameter 'group_weight'; leadership_evaluation reads group_weight.*,"
        " min_raters",
        "unknown target parameter 'weight.peers'; leadership_evaluation reads group_weight.*,"
        " min_raters",
    )
