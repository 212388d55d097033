"""key_projects: on-time share of milestones (节点化)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jixiao_indicator_key_projects as plugin
from jixiao_sdk import IndicatorHost
from jixiao_sdk.testing import IndicatorTestKit

CODE = "key_projects"


@pytest.fixture
def kit():
    return IndicatorTestKit(plugin)


def _events(kit, due, met):
    return (kit.monthly("key_project_milestones_due", due, unit="count")
            + kit.monthly("key_project_milestones_met", met, unit="count"))


def test_on_time_share(kit):
    result = kit.evaluate(CODE, _events(kit, [5, 5, 6, 4], [4, 5, 5, 3]), period="2026")
    assert result.raw_value == pytest.approx(0.85)
    assert result.points == pytest.approx(85.0)
    assert result.explanation == (
        "重点项目到期节点20个，按期完成17个，按期率85.0%，得分85.00"
        " / 17 of 20 key-project milestones met on time (85.0%); points 85.00"
    )


def test_required_share(kit):
    result = kit.evaluate(CODE, _events(kit, [20], [17]), params={"required_share": 0.85})
    assert result.points == pytest.approx(100.0)
    assert "要求85.0%" in result.explanation


def test_nothing_due(kit):
    result = kit.evaluate(CODE, [])
    assert result.points == 100.0 and result.achievement is None
    assert "no key-project milestones due" in result.explanation


def test_bad_required_share(kit):
    assert kit.check_target(CODE, None, params={"required_share": 1.5}) == (
        "required_share must be within (0, 1], got 1.5",)


def test_discovered_through_its_entry_point():
    host = IndicatorHost.discover(strict=True)
    assert host.plugin_versions()[CODE] == "jixiao-indicator-key-projects==0.1.2"


@settings(max_examples=50, deadline=None)
@given(due=st.lists(st.integers(0, 10), max_size=12), met=st.lists(st.integers(0, 12), max_size=12))
def test_points_always_within_range(due, met):
    kit = IndicatorTestKit(plugin)
    result = kit.evaluate(CODE, _events(kit, due, met))
    assert 0.0 <= result.points <= 100.0


def test_declares_the_parameters_it_reads(kit):
    assert kit.spec(CODE).parameter_names == ("required_share",)
    assert kit.spec(CODE).period_basis == "period_alone"
    assert kit.check_target(CODE, 12.0, params={"projects": 3.0, "required_share": 0.9}) == (
        "unknown target parameter 'projects'; key_projects reads required_share",)
