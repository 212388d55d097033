"""IndicatorHost: catalogue, evaluation, validation of results and isolation of failures."""

import dataclasses
import math
import threading
import time

import pytest

from jixiao_sdk import IndicatorHost, IndicatorResult, Observation, Target, TargetParameter, hookimpl
from jixiao_sdk.host import MAX_STUCK_CALLS


def test_specs_and_versions(samples):
    host = IndicatorHost.from_plugins([samples.Summing("b_code"), samples.Summing("a_code")])
    assert list(host.specs()) == ["a_code", "b_code"]
    assert host.plugin_versions() == {"a_code": "Summing-2 (not installed)",
                                      "b_code": "Summing (not installed)"}


def test_evaluate_ok_sets_provider(samples, make_inputs):
    host = IndicatorHost.from_plugins([samples.Summing()])
    result = host.evaluate("demo", make_inputs(values=(1.0, 2.5)))
    assert result.ok and result.points == 35.0 and result.evidence == ("e1", "e2")
    assert result.provider == host.plugin_versions()["demo"]


def test_plugin_sees_only_its_metrics_sorted(samples, make_inputs):
    seen = []

    def make(spec, inputs):
        seen.extend((o.metric_code, o.period, o.event_id) for o in inputs.observations)
        return IndicatorResult(spec.code, points=0.0, explanation="seen")

    host = IndicatorHost.from_plugins([samples.Returning(make, code="demo")])
    inputs = make_inputs(values=(1.0, 2.0, 3.0))
    other = make_inputs(values=(9.0,), metric="other_metric").observations
    shuffled = (inputs.observations[2], other[0], inputs.observations[0], inputs.observations[1])
    host.evaluate("demo", dataclasses.replace(inputs, observations=shuffled))
    assert seen == [("demo_amount", "2026-01", "e1"), ("demo_amount", "2026-01", "e2"),
                    ("demo_amount", "2026-01", "e3")]


@pytest.mark.parametrize("make, reason", [
    (lambda spec, inputs: 1 / 0, "raised ZeroDivisionError: division by zero"),
    (lambda spec, inputs: None, "returned an invalid result: got None"),
    (lambda spec, inputs: {"points": 5}, "returned an invalid result: expected an IndicatorResult, got dict"),
    (lambda spec, inputs: IndicatorResult(spec.code, points=150.0, explanation="x"),
     "returned an invalid result: points 150.0 outside [0, 100]"),
    (lambda spec, inputs: IndicatorResult(spec.code, points=float("nan"), explanation="x"),
     "raised ValueError: IndicatorResult 'bad': points must be finite, got nan"),
    (lambda spec, inputs: IndicatorResult("other", points=1.0, explanation="x"),
     "returned an invalid result: indicator_code is 'other', expected 'bad'"),
    (lambda spec, inputs: IndicatorResult(spec.code, points=1.0, explanation="x", evidence=("e1", "zz")),
     "returned an invalid result: evidence ids not among the inputs: zz"),
    (lambda spec, inputs: IndicatorResult(spec.code, points=1.0, explanation=" "),
     "returned an invalid result: explanation is empty"),
])
def test_bad_plugins_fail_with_a_reason_and_others_still_score(samples, make_inputs, make, reason):
    host = IndicatorHost.from_plugins([samples.Returning(make), samples.Summing()])
    failed = host.evaluate("bad", make_inputs("bad"))
    assert failed.status == "failed" and failed.points == 0.0
    assert failed.reason.startswith("plug-in 'Returning' (Returning (not installed)) ")
    assert reason in failed.reason
    assert host.evaluate("demo", make_inputs()).ok


def test_plugin_exit_is_contained(samples, make_inputs):
    def make(spec, inputs):
        raise SystemExit(3)

    for timeout in (None, 1.0):
        host = IndicatorHost.from_plugins([samples.Returning(make)], timeout_s=timeout)
        assert "raised SystemExit: 3" in host.evaluate("bad", make_inputs("bad")).reason


def test_plugin_reported_failure_is_passed_on(samples, make_inputs):
    make = lambda spec, inputs: IndicatorResult(spec.code, status="failed", reason="no target", points=7.0)
    result = IndicatorHost.from_plugins([samples.Returning(make)]).evaluate("bad", make_inputs("bad"))
    assert (result.status, result.reason, result.points) == ("failed", "no target", 0.0)


def test_veto_only_from_veto_indicators(samples, make_inputs):
    host = IndicatorHost.from_plugins([samples.Vetoing(), samples.Vetoing("fake_veto", kind="score")])
    assert host.evaluate("veto_demo", make_inputs("veto_demo")).veto.cap_grade == 3
    failed = host.evaluate("fake_veto", make_inputs("fake_veto"))
    assert "a 'score' indicator may not return a veto" in failed.reason


def test_timeout_fails_quickly_and_others_score(samples, make_inputs):
    host = IndicatorHost.from_plugins([samples.Sleeping(2.0), samples.Summing()], timeout_s=0.05)
    started = time.perf_counter()
    result = host.evaluate("slow", make_inputs("slow"))
    assert time.perf_counter() - started < 1.5  # did not wait for the plug-in (a loaded machine may take a while)
    assert result.status == "failed" and "timed out after 0.05 s" in result.reason
    assert host.evaluate("demo", make_inputs()).ok


def test_stuck_plugin_is_refused_after_too_many_timeouts(samples, make_inputs):
    release = threading.Event()

    def make(spec, inputs):
        release.wait(5)
        return IndicatorResult(spec.code, points=1.0, explanation="late")

    host = IndicatorHost.from_plugins([samples.Returning(make)], timeout_s=0.01)
    for _ in range(MAX_STUCK_CALLS):
        assert "timed out" in host.evaluate("bad", make_inputs("bad")).reason
    refused = host.evaluate("bad", make_inputs("bad"))
    assert "refused: 4 earlier calls are still running" in refused.reason
    release.set()
    deadline = time.monotonic() + 2
    while host._stuck["Returning"] and time.monotonic() < deadline:
        time.sleep(0.01)
    assert host._stuck["Returning"] == 0


@pytest.mark.parametrize("code, change, reason", [
    ("nope", {}, "no installed plug-in provides indicator 'nope'"),
    ("demo", {"code": "other"}, "inputs are for indicator 'other', not 'demo'"),
    ("cats", {"code": "cats", "unit_category": "department"},
     "indicator 'cats' does not apply to unit category 'department' (applies to: county)"),
])
def test_host_level_failures(samples, make_inputs, code, change, reason):
    cats = samples.Summing("cats")
    cats.spec = dataclasses.replace(cats.spec, categories=("county",))
    host = IndicatorHost.from_plugins([samples.Summing(), cats])
    inputs = make_inputs(change.get("code", code), unit_category=change.get("unit_category", "county"))
    assert host.evaluate(code, inputs).reason == reason


def test_garbage_inputs_and_duplicate_events(samples, make_inputs):
    host = IndicatorHost.from_plugins([samples.Summing()])
    assert "inputs must be an IndicatorInput, got dict" in host.evaluate("demo", {}).reason
    inputs = make_inputs()
    doubled = dataclasses.replace(inputs, observations=inputs.observations + inputs.observations[:1])
    assert "inputs repeat event ids e1" in host.evaluate("demo", doubled).reason


def test_results_are_deterministic(samples, make_inputs):
    host = IndicatorHost.from_plugins([samples.Summing()])
    assert host.evaluate("demo", make_inputs()) == host.evaluate("demo", make_inputs())


def test_check_target(samples):
    class Checking(samples.Summing):
        from jixiao_sdk import hookimpl

        @hookimpl
        def jixiao_indicator_check_target(self, target):
            return [] if target and target.value else ["needs a value"]

    host = IndicatorHost.from_plugins([Checking(), samples.Summing("plain")])
    assert host.check_target("demo", Target(value=1.0)) == ()
    assert host.check_target("demo", None) == ("needs a value",)
    assert host.check_target("plain", None) == ()
    assert host.check_target("nope", None) == ("no installed plug-in provides indicator 'nope'",)


def test_timeout_must_be_positive(samples):
    with pytest.raises(ValueError, match="timeout_s must be a positive number or None"):
        IndicatorHost.from_plugins([samples.Summing()], timeout_s=math.inf)


# --- Declared parameters in check_target ------------------------------------------------------

class _Declaring:
    """A plug-in reading on_time_target, resolution_target and the family weight.*, that
    also checks the target itself."""

    def __init__(self, samples, check=True):
        self.spec = dataclasses.replace(samples.make_spec("complaint_handling"), parameters=(
            TargetParameter("on_time_target", "on-time rate for full credit"),
            TargetParameter("resolution_target", "resolution rate for full credit"),
            TargetParameter("weight.*", "weight of a part"),
        ))
        self.check = check

    @hookimpl
    def jixiao_indicator_specs(self):
        return [self.spec]

    @hookimpl
    def jixiao_indicator_evaluate(self, spec, inputs):
        return IndicatorResult(spec.code, points=0.0, explanation="x")

    @hookimpl
    def jixiao_indicator_check_target(self, target):
        if not self.check:
            return None
        return [] if target is None or target.value else ["needs a value"]


def test_check_target_reports_every_undeclared_parameter_then_the_plugins_problems(samples):
    host = IndicatorHost.from_plugins([_Declaring(samples)])
    target = Target(value=None, params={"on_time_rate": 0.95, "resolution_rate": 0.9,
                                        "weight.on_time": 0.5, "on_time_target": 0.95})
    reads = "complaint_handling reads on_time_target, resolution_target, weight.*"
    assert host.check_target("complaint_handling", target) == (
        f"unknown target parameter 'on_time_rate'; {reads}",
        f"unknown target parameter 'resolution_rate'; {reads}",
        "needs a value",
    )
    assert host.check_target("complaint_handling", Target(value=1.0, params={"weight.x": 1.0})) == ()
    assert host.check_target("complaint_handling", None) == ()


def test_check_target_reports_undeclared_parameters_without_a_check_hook(samples):
    host = IndicatorHost.from_plugins([_Declaring(samples, check=False), samples.Summing("plain")])
    assert host.check_target("complaint_handling", Target(params={"x": 1.0})) == (
        "unknown target parameter 'x'; complaint_handling reads on_time_target, resolution_target,"
        " weight.*",)
    assert host.check_target("plain", Target(params={"x": 1.0})) == (
        "unknown target parameter 'x'; plain reads no target parameters",)


# --- Year to date and baseline ----------------------------------------------------------------

def test_baseline_is_filtered_sorted_and_checked_like_the_observations(samples, make_inputs):
    seen = []

    def make(spec, inputs):
        seen.extend(o.event_id for o in inputs.baseline)
        return IndicatorResult(spec.code, points=0.0, explanation="seen")

    plugin = samples.Returning(make, code="demo")
    plugin.spec = dataclasses.replace(plugin.spec, period_basis="year_to_date")
    host = IndicatorHost.from_plugins([plugin])
    baseline = (Observation("b2", "demo_amount", 1.0, period="2025-02"),
                Observation("x1", "other_metric", 1.0, period="2025-01"),
                Observation("b1", "demo_amount", 1.0, period="2025-01"))
    inputs = make_inputs(as_of_period="2026-Q1", elapsed_share=0.25, baseline=baseline)
    assert host.evaluate("demo", inputs).ok
    assert seen == ["b1", "b2"]
    doubled = dataclasses.replace(inputs, baseline=baseline + baseline[:1])
    assert "baseline repeat event ids b2" in host.evaluate("demo", doubled).reason


def test_baseline_events_are_not_evidence(samples, make_inputs):
    def make(spec, inputs):
        return IndicatorResult(spec.code, points=0.0, explanation="x", evidence=("b1",))

    host = IndicatorHost.from_plugins([samples.Returning(make)])
    inputs = make_inputs("bad", baseline=(Observation("b1", "demo_amount", 1.0, period="2025-01"),))
    assert "evidence ids not among the inputs: b1" in host.evaluate("bad", inputs).reason


def test_year_to_date_inputs_for_a_period_alone_indicator_fail(samples, make_inputs):
    host = IndicatorHost.from_plugins([samples.Summing()])
    inputs = make_inputs(as_of_period="2026-Q3", elapsed_share=0.75)
    assert host.evaluate("demo", inputs).reason == (
        "inputs are year to date (as of 2026-Q3) but indicator 'demo' has period_basis 'period_alone'")
