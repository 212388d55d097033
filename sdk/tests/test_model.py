"""Value objects, periods and formula helpers."""

import pickle
from datetime import date

import pytest

from jixiao_sdk import (
    FrozenMap, IndicatorInput, IndicatorResult, IndicatorSpec, Milestone, Observation, Target,
    TargetParameter, Veto,
)
from jixiao_sdk.model import parameter_matches, undeclared_parameters
from jixiao_sdk.helpers import expected_share, first_per_key, num, pct, rolled_up, to_100m
from jixiao_sdk.periods import end_fraction, period_bounds


def test_positional_order_follows_the_platform_contract():
    obs = Observation("e1", "fixed_asset_investment", 2.5, "CNY_100M", "2026-03", "stats", {"k": "v"})
    inputs = IndicatorInput("investment_completion", "u1", "county", None, "2026", 0.25, (obs,),
                            Target(25.2, "CNY_100M", {"last_year_value": 23.0}, (Milestone("2026-Q2", 0.4),)))
    assert inputs.period == "2026" and inputs.target.milestones[0].share == 0.4
    result = IndicatorResult("investment_completion", "ok", "", 2.5, 0.1, 10.0, "x", ("e1",), None)
    assert result.veto is None and result.evidence == ("e1",)


def test_objects_are_frozen_hashable_and_picklable():
    obs = Observation("e1", "m_one", 1, attributes={"b": "2", "a": "1"})
    assert list(obs.attributes) == ["a", "b"] and obs.value == 1.0
    with pytest.raises(TypeError):
        obs.attributes["c"] = "3"
    assert hash(obs) == hash(Observation("e1", "m_one", 1.0, attributes={"a": "1", "b": "2"}))
    assert pickle.loads(pickle.dumps(obs)) == obs
    assert FrozenMap({"a": 1}) == {"a": 1}


@pytest.mark.parametrize("kwargs, message", [
    ({"code": "Bad-Code"}, "code 'Bad-Code' must be lower-case"),
    ({"kind": "deduction"}, "a 'deduction' indicator needs min_points < max_points == 0"),
    ({"max_points": 120.0}, "a 'score' indicator needs 0 <= min_points < max_points <= 100"),
    ({"input_metrics": ()}, "input_metrics must name at least one metric code"),
    ({"rollup": "median"}, "rollup must be one of sum, last, mean, max; got 'median'"),
    ({"name_en": ""}, "name_en must not be empty"),
])
def test_spec_validation_names_the_field(kwargs, message):
    base = dict(code="demo", name_zh="演示", name_en="Demo", version="1", owner="office",
                input_metrics=("m_one",), min_points=0.0, max_points=100.0, formula="f")
    with pytest.raises(ValueError, match=message):
        IndicatorSpec(**{**base, **kwargs})


@pytest.mark.parametrize("build, message", [
    (lambda: IndicatorInput("c", "u", "county", period="2026-13"), "is not a period"),
    (lambda: IndicatorInput("c", "u", "county"), "period '' is not a period"),
    (lambda: IndicatorInput("c", "u", "county", period="2026", elapsed_share=1.5), "elapsed_share must be within"),
    (lambda: Observation("e", "m", float("inf")), "value must be finite"),
    (lambda: Observation("e", "m", True), "value must be a number"),
    (lambda: Target(params={"w": float("nan")}), r"params\['w'\] must be finite"),
    (lambda: IndicatorResult("c", status="failed"), "a failed result needs a reason"),
    (lambda: IndicatorResult("c", evidence="e1"), "evidence must be a sequence of event ids"),
    (lambda: Veto(0, "x"), "cap_grade must be >= 1"),
    (lambda: Milestone("2026-Q1", 1.2), r"share must be within \[0, 1\]"),
])
def test_invalid_values_are_refused(build, message):
    with pytest.raises((TypeError, ValueError), match=message):
        build()


def test_target_params():
    target = Target(1.0, params={"w": 2, "name": "x"})
    assert target.number("w") == 2.0 and target.number("missing", 5.0) == 5.0
    assert target.text("name") == "x"
    with pytest.raises(ValueError, match="target parameter 'name' must be a number"):
        target.number("name")


def test_periods():
    assert period_bounds("2026") == (date(2026, 1, 1), date(2027, 1, 1))
    assert period_bounds("2026-Q4") == (date(2026, 10, 1), date(2027, 1, 1))
    assert period_bounds("2026-02") == (date(2026, 2, 1), date(2026, 3, 1))
    assert period_bounds("2026-03-15") == (date(2026, 3, 15), date(2026, 3, 16))
    assert end_fraction("2026-Q1", "2026") == pytest.approx(90 / 365)
    with pytest.raises(ValueError, match="not a real calendar date"):
        period_bounds("2026-02-30")


def test_expected_share_time_and_milestones():
    plain = IndicatorInput("c", "u", "county", period="2026", elapsed_share=0.3)
    assert expected_share(plain) == pytest.approx(0.3)
    staged = IndicatorInput("c", "u", "county", period="2026", elapsed_share=181 / 365 / 2,
                            target=Target(10.0, milestones=(Milestone("2026-06", 0.4),)))
    assert expected_share(staged) == pytest.approx(0.2)
    done = IndicatorInput("c", "u", "county", period="2026", elapsed_share=1.0, target=staged.target)
    assert expected_share(done) == 1.0


def test_rollups_dedup_and_formatting():
    obs = [Observation("b", "m", 3.0, period="2026-02"), Observation("a", "m", 1.0, period="2026-01"),
           Observation("c", "m", 2.0, period="2026-02")]
    assert [rolled_up(obs, r) for r in ("sum", "last", "mean", "max")] == [6.0, 2.0, 2.0, 3.0]
    assert rolled_up([], "sum") is None
    kept, dropped = first_per_key(obs, lambda o: o.period)
    assert [o.event_id for o in kept] == ["a", "b"] and [o.event_id for o in dropped] == ["c"]
    assert to_100m(282_300.0, "CNY_10K", "x") == pytest.approx(28.23)
    assert (num(-0.001), num(2.5, 0), pct(1.12)) == ("0.00", "2", "112.0%")


# --- Declared target parameters -------------------------------------------------------------

SPEC = dict(code="demo", name_zh="演示", name_en="Demo", version="1", owner="office",
            input_metrics=("m_one",), min_points=0.0, max_points=100.0, formula="f")


def test_spec_declares_parameters_and_families():
    spec = IndicatorSpec(**SPEC, parameters=[
        TargetParameter("on_time_target", "rate for full credit"),
        TargetParameter("veto_from", "least severe vetoing accident", kind="text"),
        TargetParameter("points.*", "points per level"),
    ])
    assert isinstance(spec.parameters, tuple)
    assert spec.parameter_names == ("on_time_target", "veto_from", "points.*")
    assert spec.parameters[2].is_family and not spec.parameters[0].is_family
    for name in ("on_time_target", "veto_from", "points.national", "points.a.b"):
        assert spec.reads_parameter(name), name
    for name in ("on_time_rate", "points", "points.", "points_national", "veto_from.x"):
        assert not spec.reads_parameter(name), name
    assert IndicatorSpec(**SPEC).parameters == () and not IndicatorSpec(**SPEC).reads_parameter("x")


def test_parameter_matching_functions():
    assert parameter_matches("cap", "cap") and not parameter_matches("cap", "cap.x")
    assert parameter_matches("channel_weight.*", "channel_weight.online")
    assert not parameter_matches("channel_weight.*", "channel_weight")
    assert undeclared_parameters(("a", "b.*"), ["a", "b.c", "c", "b"]) == ("c", "b")


@pytest.mark.parametrize("build, message", [
    (lambda: TargetParameter("On_time", "x"), "name must be lower-case ASCII words joined by dots"),
    (lambda: TargetParameter("points.*.x", "x"), "or a family ending in '.*'"),
    (lambda: TargetParameter("*", "x"), "name must be lower-case"),
    (lambda: TargetParameter("points*", "x"), "name must be lower-case"),
    (lambda: TargetParameter("cap", ""), "TargetParameter 'cap': description must not be empty"),
    (lambda: TargetParameter("cap", "x", kind="money"), "kind must be one of number, text; got 'money'"),
    (lambda: IndicatorSpec(**SPEC, parameters=("cap",)),
     "parameters must be TargetParameter objects, got 'cap'"),
    (lambda: IndicatorSpec(**SPEC, parameters=TargetParameter("cap", "x")),
     "parameters must be a sequence of TargetParameter objects"),
    (lambda: IndicatorSpec(**SPEC, parameters=(TargetParameter("cap", "x"), TargetParameter("cap", "y"))),
     "IndicatorSpec 'demo': parameter 'cap' is declared twice"),
    (lambda: IndicatorSpec(**SPEC, parameters=(TargetParameter("points.*", "x"),
                                               TargetParameter("points.national", "y"))),
     "parameter 'points.national' is already covered by the family 'points.\\*'; declare one or the other"),
    (lambda: IndicatorSpec(**SPEC, parameters=(TargetParameter("points.*", "x"),
                                               TargetParameter("points.extra.*", "y"))),
     "parameter 'points.extra.\\*' is already covered by the family 'points.\\*'"),
    (lambda: IndicatorSpec(**SPEC, period_basis="cumulative"),
     "period_basis must be one of period_alone, year_to_date; got 'cumulative'"),
])
def test_parameters_and_period_basis_are_checked(build, message):
    with pytest.raises((TypeError, ValueError), match=message):
        build()


def test_period_basis_defaults_to_period_alone():
    assert IndicatorSpec(**SPEC).period_basis == "period_alone"
    assert IndicatorSpec(**SPEC, period_basis="year_to_date").period_basis == "year_to_date"


# --- Year-to-date inputs --------------------------------------------------------------------

def test_year_to_date_inputs_and_baseline():
    last_year = Observation("b1", "m_one", 2.0, period="2025-03")
    inputs = IndicatorInput("c", "u", "county", period="2026", elapsed_share=0.75,
                            as_of_period="2026-Q3", baseline=[last_year])
    assert inputs.as_of_period == "2026-Q3" and inputs.baseline == (last_year,)
    old_style = IndicatorInput("c", "u", "county", None, "2026-Q3", 1.0, (), None)
    assert old_style.as_of_period == "" and old_style.baseline == ()
    assert IndicatorInput("c", "u", "county", period="2026", as_of_period="2026-05").as_of_period


@pytest.mark.parametrize("kwargs, message", [
    ({"period": "2026-Q3", "as_of_period": "2026-07"},
     "with as_of_period '2026-07' the period must be the year the target covers, got '2026-Q3'"),
    ({"period": "2026", "as_of_period": "2025-Q3"}, "as_of_period '2025-Q3' must be a month or quarter of 2026"),
    ({"period": "2026", "as_of_period": "2026-05-03"}, "must be a month or quarter of 2026"),
    ({"period": "2026", "as_of_period": "2026"}, "must be a month or quarter of 2026"),
    ({"period": "2026", "as_of_period": "Q3"}, "as_of_period 'Q3' is not a period"),
    ({"period": "2026", "as_of_period": None}, "as_of_period must be a str"),
    ({"period": "2026", "baseline": ("b1",)}, "baseline must be Observation objects, got 'b1'"),
    ({"period": "2026", "baseline": Observation("b1", "m", 1.0)}, "baseline must be a sequence"),
])
def test_year_to_date_fields_are_checked(kwargs, message):
    with pytest.raises((TypeError, ValueError), match=message):
        IndicatorInput("c", "u", "county", **kwargs)
