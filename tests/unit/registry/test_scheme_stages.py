"""Validation of what a scheme says about stages, period bases, missing results,
milestones and last year's baselines: each problem names its field."""
import copy

from helpers import demo_document
from jixiao.registry.domain import scheme as schemes

DEMO = demo_document()


def problems_of(document) -> list[str]:
    return [str(p) for p in schemes.validate(document)]


def test_stages_bases_and_missing_policies_must_be_known():
    document = copy.deepcopy(DEMO)
    document["scheme"]["missing_results"] = "ignored"
    document["dimensions"][1]["assessed_in"] = ["year", "week"]
    document["dimensions"][0]["missing"] = "half"
    document["indicators"][0]["period_basis"] = "rolling"
    found = problems_of(document)
    assert "scheme.missing_results: must be one of zero, excluded, not 'ignored'" in found
    assert "dimensions[1].assessed_in[1]: must be one of month, quarter, year, not 'week'" in found
    assert "dimensions[0].missing: must be one of zero, excluded, not 'half'" in found
    assert "indicators[0].period_basis: must be one of period_alone, year_to_date, not 'rolling'" in found
    document = copy.deepcopy(DEMO)
    document["dimensions"][2]["assessed_in"] = []
    assert any(p.startswith("dimensions[2].assessed_in: names no period kind") for p in problems_of(document))


def test_assessed_in_must_be_a_list_of_text():
    document = copy.deepcopy(DEMO)
    document["dimensions"][1]["assessed_in"] = "year"
    assert "dimensions[1].assessed_in: must be a list, not text" in problems_of(document)


def test_milestones_must_reach_the_whole_target_by_year_end():
    document = copy.deepcopy(DEMO)
    index, target = next((i, t) for i, t in enumerate(document["targets"]) if t["milestones"])
    target["milestones"] = [{"period": "2026-06", "share": 0.5}, {"period": "2026-09", "share": 0.4}]
    found = problems_of(document)
    assert f"targets[{index}].milestones[1].share: 0.4 is below the share of an earlier milestone" in found
    assert any(p.startswith(f"targets[{index}].milestones: must reach a share of 1 by the end of 2026") for p in found)
    target["milestones"] = [{"period": "2025-12", "share": 1.0}]
    assert f"targets[{index}].milestones[0].period: '2025-12' is not a period of 2026" in problems_of(document)


def test_a_baseline_names_a_known_unit_metric_and_an_earlier_period():
    document = copy.deepcopy(DEMO)
    document["baselines"] = [
        {"unit": "U-NOWHERE", "metric": "fixed_asset_investment", "period": "2025-03", "value": 1.0},
        {"unit": "U-R01", "metric": "no_such_metric", "period": "2025-03", "value": 1.0},
        {"unit": "U-R01", "metric": "fixed_asset_investment", "period": "2026-03", "value": 1.0},
    ]
    found = problems_of(document)
    assert "baselines[0].unit: unknown unit 'U-NOWHERE'" in found
    assert "baselines[1].metric: unknown metric 'no_such_metric' (no source reports it)" in found
    assert "baselines[2].period: '2026-03' is not a period before 2026" in found
    document["baselines"] = [{"unit": "U-R01", "metric": "fixed_asset_investment", "period": "2025-04"}]
    assert problems_of(document) == ["baselines[0].value: is required"]


def test_year_to_date_only_where_the_plugin_declares_it():
    document = copy.deepcopy(DEMO)
    index = next(i for i, ind in enumerate(document["indicators"]) if ind["code"] == "complaint_handling")
    document["indicators"][index]["period_basis"] = "year_to_date"
    declared = {"complaint_handling": "period_alone", "investment_completion": "year_to_date", "key_projects": ""}
    assert [str(p) for p in schemes.period_basis_problems(document, declared)] == [
        f"indicators[{index}].period_basis: complaint_handling is scored on the period alone: "
        "its plug-in does not declare year_to_date"]
    assert schemes.period_basis_problems(DEMO, declared) == []


def test_a_leaders_deductions_are_assigned_indicators():
    document = copy.deepcopy(DEMO)
    document["person_scoring"]["personal_deductions"] = ["work_style", "nothing_like_it"]
    assert "person_scoring.personal_deductions[1]: 'nothing_like_it' is not assigned" in problems_of(document)


def test_a_leaders_deductions_are_additive_indicators_listed_once():
    document = copy.deepcopy(DEMO)
    document["person_scoring"]["personal_deductions"] = ["work_style", "work_style", "investment_completion"]
    found = problems_of(document)
    assert "person_scoring.personal_deductions[1]: 'work_style' is listed twice" in found
    assert ("person_scoring.personal_deductions[2]: 'investment_completion' is not assigned to an additive "
            "(bonus and deductions) dimension") in found


def test_a_baseline_value_is_finite_and_in_the_metrics_unit():
    document = copy.deepcopy(DEMO)
    document["metrics"].append({"code": "key_project_milestones_due", "measurement_unit": "count", "min": 0})
    document["baselines"] = [
        {"unit": "U-R01", "metric": "fixed_asset_investment", "period": "2025-03", "value": float("nan")},
        {"unit": "U-R01", "metric": "key_project_milestones_due", "period": "2025-03", "value": 3,
         "measurement_unit": "items"},
    ]
    found = problems_of(document)
    assert "baselines[0].value: must be a finite number" in found
    assert "baselines[1].measurement_unit: must be 'count', the unit the scheme gives metric 'key_project_milestones_due'" in found
    assert schemes.period_basis_problems({"indicators": 5}, {}) == []


def test_the_year_may_start_in_any_month_named_by_its_number():
    for bad in (0, 13, "4", 4.5, True):
        document = copy.deepcopy(DEMO)
        document["scheme"]["year_start_month"] = bad
        found = problems_of(document)
        assert any(p.startswith("scheme.year_start_month: must be") for p in found), (bad, found)
    document = copy.deepcopy(DEMO)
    document["scheme"]["year_start_month"] = 4
    document["baselines"] = [{"unit": "U-R01", "metric": "fixed_asset_investment", "period": "2026-03", "value": 1.0,
                              "measurement_unit": "CNY_100M"}]
    index, target = next((i, t) for i, t in enumerate(document["targets"]) if t["milestones"])
    target["milestones"] = [{"period": "2026-Q2", "share": 0.5}, {"period": "2026-12", "share": 1.0}]
    found = problems_of(document)
    # The year 2026 runs to March 2027: December is not its end; March 2026 is last year.
    assert any(p.startswith(f"targets[{index}].milestones: must reach a share of 1 by the end of 2026") for p in found)
    assert not [p for p in found if p.startswith("baselines")]
    target["milestones"] = [{"period": "2026-Q2", "share": 0.5}, {"period": "2027-03", "share": 1.0}]
    assert not [p for p in problems_of(document) if p.startswith(f"targets[{index}]")]
    target["milestones"] = [{"period": "2026-03", "share": 1.0}]
    assert f"targets[{index}].milestones[0].period: '2026-03' is not a period of 2026" in problems_of(document)
