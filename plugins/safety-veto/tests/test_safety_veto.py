"""safety_veto: serious or worse accidents cap the grade."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jixiao_indicator_safety_veto as plugin
from jixiao_sdk import IndicatorHost, Veto
from jixiao_sdk.testing import IndicatorTestKit

CODE = "safety_veto"


@pytest.fixture
def kit():
    return IndicatorTestKit(plugin)


def _accidents(kit, *severities):
    return [kit.event("safety_accident", 1.0, period="2026-07-14", severity=s) for s in severities]


def test_serious_accident_caps_grade_at_three(kit):
    result = kit.evaluate(CODE, _accidents(kit, "general", "serious"))
    assert result.points == 0.0
    reason = ("发生一般事故1起、重大事故1起（ev-2），实行一票否决，等次最高定为三等"
              " / accidents: 1 general, 1 serious (ev-2); veto: grade capped at 3")
    assert result.veto == Veto(cap_grade=3, reason=reason)
    assert result.explanation == reason


def test_below_threshold_no_veto(kit):
    result = kit.evaluate(CODE, _accidents(kit, "general", "major"))
    assert result.veto is None
    assert result.explanation == ("未发生重大及以上安全事故（一般事故1起、较大事故1起）"
                                  " / no accidents at or above serious (1 general, 1 major)")
    assert kit.evaluate(CODE, []).veto is None


def test_stricter_cap_per_severity_and_lower_threshold(kit):
    worst = kit.evaluate(CODE, _accidents(kit, "serious", "especially_serious"),
                         params={"cap_grade.especially_serious": 4})
    assert worst.veto.cap_grade == 4
    strict = kit.evaluate(CODE, _accidents(kit, "major"), params={"veto_from": "major"})
    assert strict.veto.cap_grade == 3


def test_bad_inputs(kit):
    failed = kit.evaluate(CODE, _accidents(kit, "huge"), expect_ok=False)
    assert "has severity 'huge'" in failed.reason
    assert kit.check_target(CODE, None, params={"veto_from": "minor"}) == (
        "veto_from must be one of general, major, serious, especially_serious, got 'minor'",)


def test_discovered_through_its_entry_point():
    host = IndicatorHost.discover(strict=True)
    assert host.plugin_versions()[CODE] == "jixiao-indicator-safety-veto==0.1.1"
    assert host.specs()[CODE].kind == "veto"


@settings(max_examples=40, deadline=None)
@given(severities=st.lists(st.sampled_from(["general", "major", "serious", "especially_serious"]),
                           max_size=10))
def test_veto_exactly_when_serious_or_worse(severities):
    kit = IndicatorTestKit(plugin)
    result = kit.evaluate(CODE, _accidents(kit, *severities))
    assert (result.veto is not None) == any(s in ("serious", "especially_serious") for s in severities)


def test_declares_the_parameters_it_reads(kit):
    spec = kit.spec(CODE)
    assert spec.parameter_names == (
        "veto_from", "cap_grade", "cap_grade.general", "cap_grade.major", "cap_grade.serious",
        "cap_grade.especially_serious")
    assert [p.kind for p in spec.parameters][:2] == ["text", "number"]
    assert spec.period_basis == "period_alone"
    assert kit.check_target(CODE, None, params={"cap_grade.fatal": 4.0})[0].startswith(
        "unknown target parameter 'cap_grade.fatal'; safety_veto reads veto_from, cap_grade,")
