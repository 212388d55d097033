"""The offline testing kit used by departments in their unit tests."""

import pytest

import dataclasses

from jixiao_sdk import IndicatorResult, TargetParameter, hookimpl
from jixiao_sdk.testing import IndicatorTestKit


def test_kit_scores_through_the_host(samples):
    kit = IndicatorTestKit(samples.Summing())
    events = kit.monthly("demo_amount", [1.0, 2.0, 3.0])
    assert [e.event_id for e in events] == ["ev-1", "ev-2", "ev-3"]
    assert [e.period for e in events] == ["2026-01", "2026-02", "2026-03"]
    result = kit.evaluate("demo", events, target=10.0)
    assert result.points == 60.0 and result.explanation == "sum 6.00"
    assert kit.spec("demo").name_en == "Demo"
    with pytest.raises(KeyError, match="no indicator 'nope'; the plug-in declares demo"):
        kit.spec("nope")


def test_failure_raises_with_the_plugin_exception_as_cause(samples):
    def make(spec, inputs):
        raise RuntimeError("formula bug")

    kit = IndicatorTestKit(samples.Returning(make))
    with pytest.raises(AssertionError, match="bad: plug-in 'Returning' .* raised RuntimeError: formula bug") as info:
        kit.evaluate("bad", [kit.event("demo_amount", 1.0)])
    assert isinstance(info.value.__cause__, RuntimeError)
    assert kit.evaluate("bad", [], expect_ok=False).status == "failed"


def test_irreproducible_plugin_is_caught(samples):
    class Counting(samples.Summing):
        calls = 0

        @hookimpl
        def jixiao_indicator_evaluate(self, spec, inputs):
            self.calls += 1
            return IndicatorResult(spec.code, points=float(self.calls), explanation="call count")

    kit = IndicatorTestKit(Counting())
    with pytest.raises(AssertionError, match="demo: the result is not reproducible"):
        kit.evaluate("demo", kit.monthly("demo_amount", [1.0, 2.0]))


def test_kit_needs_a_plugin():
    with pytest.raises(TypeError, match="needs at least one plug-in"):
        IndicatorTestKit()


def test_kit_refuses_a_target_with_undeclared_parameters(samples):
    plugin = samples.Summing()
    plugin.spec = dataclasses.replace(plugin.spec, parameters=(TargetParameter("cap", "most points"),))
    kit = IndicatorTestKit(plugin)
    events = kit.monthly("demo_amount", [1.0])
    assert kit.evaluate("demo", events, target=10.0, params={"cap": 5.0}).ok
    with pytest.raises(AssertionError, match="demo: unknown target parameter 'limit'; demo reads cap"):
        kit.evaluate("demo", events, target=10.0, params={"limit": 5.0})
    assert kit.evaluate("demo", events, target=10.0, params={"limit": 5.0}, check_parameters=False).ok
    assert kit.check_target("demo", 10.0, params={"limit": 5.0}) == (
        "unknown target parameter 'limit'; demo reads cap",)


def test_kit_passes_year_to_date_inputs_and_reverses_the_baseline_too(samples):
    seen = []

    class YearToDate(samples.Summing):
        @hookimpl
        def jixiao_indicator_evaluate(self, spec, inputs):
            seen.append((inputs.period, inputs.as_of_period, [o.event_id for o in inputs.baseline]))
            return IndicatorResult(spec.code, points=0.0, explanation=inputs.as_of_period)

    plugin = YearToDate()
    plugin.spec = dataclasses.replace(plugin.spec, period_basis="year_to_date")
    kit = IndicatorTestKit(plugin)
    events = kit.monthly("demo_amount", [1.0] * 9)
    baseline = iter(kit.monthly("demo_amount", [1.0] * 9, year="2025"))  # any iterable
    result = kit.evaluate("demo", events, period="2026", as_of_period="2026-Q3",
                          elapsed_share=0.75, baseline=baseline)
    assert result.explanation == "2026-Q3"
    assert seen[0] == seen[1] == ("2026", "2026-Q3", [f"ev-{n}" for n in range(10, 19)])
