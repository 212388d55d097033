"""Shared fixtures for the SDK tests: sample plug-ins (good and deliberately broken) and inputs."""

import time
from types import SimpleNamespace

import pytest

from jixiao_sdk import IndicatorInput, IndicatorResult, IndicatorSpec, Observation, Veto, hookimpl


def make_spec(code="demo", kind="score", metrics=("demo_amount",), low=0.0, high=100.0):
    return IndicatorSpec(code=code, name_zh="演示", name_en="Demo", version="1.0.0",
                         owner="test_office", input_metrics=metrics, min_points=low,
                         max_points=high, kind=kind, formula="points = 10 x sum")


class Summing:
    """Points = 10 x the sum of the values, at most 100; evidence = all events."""

    def __init__(self, code="demo", **spec_kwargs):
        self.spec = make_spec(code, **spec_kwargs)

    @hookimpl
    def jixiao_indicator_specs(self):
        return [self.spec]

    @hookimpl
    def jixiao_indicator_evaluate(self, spec, inputs):
        value = sum(o.value for o in inputs.observations)
        return IndicatorResult(spec.code, raw_value=value, points=min(100.0, 10 * value),
                               explanation=f"sum {value:.2f}",
                               evidence=tuple(o.event_id for o in inputs.observations))


class Returning(Summing):
    """Returns whatever ``make(spec, inputs)`` builds."""

    def __init__(self, make, code="bad", **spec_kwargs):
        super().__init__(code, **spec_kwargs)
        self.make = make

    @hookimpl
    def jixiao_indicator_evaluate(self, spec, inputs):
        return self.make(spec, inputs)


class Sleeping(Summing):
    """Sleeps *seconds* before answering."""

    def __init__(self, seconds, code="slow"):
        super().__init__(code)
        self.seconds = seconds

    @hookimpl
    def jixiao_indicator_evaluate(self, spec, inputs):
        time.sleep(self.seconds)
        return IndicatorResult(spec.code, points=1.0, explanation="late")


class Vetoing(Summing):
    def __init__(self, code="veto_demo", kind="veto"):
        super().__init__(code, kind=kind, low=0.0, high=0.0 if kind == "veto" else 100.0)

    @hookimpl
    def jixiao_indicator_evaluate(self, spec, inputs):
        return IndicatorResult(spec.code, points=0.0, explanation="veto",
                               veto=Veto(cap_grade=3, reason="accident"))


@pytest.fixture
def samples():
    """The sample plug-in classes above."""
    return SimpleNamespace(make_spec=make_spec, Summing=Summing, Returning=Returning,
                           Sleeping=Sleeping, Vetoing=Vetoing)


@pytest.fixture
def make_inputs():
    """Build an IndicatorInput with one observation per value."""
    def make(code="demo", values=(1.0, 2.0), metric="demo_amount", **kwargs):
        observations = tuple(Observation(f"e{i}", metric, v, "count", "2026-01", "test")
                             for i, v in enumerate(values, start=1))
        kwargs.setdefault("unit_category", "county")
        return IndicatorInput(indicator_code=code, unit_id="u1", period="2026",
                              observations=observations, **kwargs)
    return make
