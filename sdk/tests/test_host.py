"""IndicatorHost: catalogue, evaluation, validation of results and isolation of failures."""

import dataclasses
import math
import threading
import time

import pytest

from jixiao_sdk import IndicatorHost, IndicatorResult, Target
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
    host = IndicatorHost.from_plugins([samples.Sleeping(0.5), samples.Summing()], timeout_s=0.05)
    started = time.perf_counter()
    result = host.evaluate("slow", make_inputs("slow"))
    assert time.perf_counter() - started < 0.4
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
