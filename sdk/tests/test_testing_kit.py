"""The offline testing kit used by departments in their unit tests."""

import pytest

from jixiao_sdk import IndicatorResult, hookimpl
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
