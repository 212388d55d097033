"""Scheme validation names every problem with its place in the document."""
import copy

import yaml

from helpers import DEMO_SCHEME
from jixiao.registry.domain import scheme as schemes

DEMO = yaml.safe_load(DEMO_SCHEME.read_text(encoding="utf-8"))


def problems_of(document) -> list[str]:
    return [str(p) for p in schemes.validate(document)]


def test_the_demo_city_is_valid():
    assert problems_of(DEMO) == []


def test_unknown_category_and_region_are_named():
    document = copy.deepcopy(DEMO)
    document["units"][0]["category"] = "nowhere"
    document["units"][0]["region"] = "R99"
    found = problems_of(document)
    assert any(p.startswith("units[0].category: unknown category 'nowhere'") for p in found)
    assert any(p.startswith("units[0].region: unknown region 'R99'") for p in found)


def test_weights_must_sum_to_one():
    document = copy.deepcopy(DEMO)
    document["dimensions"][0]["weight"] = 0.7
    document["assignments"][0]["weight"] += 0.05
    found = problems_of(document)
    assert any("weights of non-additive dimensions sum to 1.1" in p for p in found)
    first = document["assignments"][0]
    assert any(f"category {first['category']!r}, dimension {first['dimension']!r}" in p for p in found)


def test_targets_must_belong_to_assigned_indicators():
    document = copy.deepcopy(DEMO)
    document["targets"].append({"unit": "U-R01", "indicator": "no_such_indicator", "value": 1})
    document["targets"].append({"unit": "U-XXX", "indicator": "investment_completion", "value": 1})
    found = problems_of(document)
    assert any("'no_such_indicator' is not assigned" in p for p in found)
    assert any("unknown unit 'U-XXX'" in p for p in found)


def test_inactive_indicators_are_named_when_the_catalogue_is_given():
    found = [str(p) for p in schemes.validate(DEMO, active_indicators={"fiscal_revenue"})]
    assert any("no active plug-in provides 'investment_completion'" in p for p in found)


def test_wrong_format_stops_early():
    assert problems_of({"format": "other"})[0] == "format: must be 'jixiao.scheme/v1'"


def test_digest_ignores_key_order():
    reordered = dict(reversed(list(DEMO.items())))
    assert schemes.digest(reordered) == schemes.digest(DEMO)


def test_indicators_that_need_targets_need_one_per_unit():
    document = copy.deepcopy(DEMO)
    document["targets"] = [t for t in document["targets"] if t["unit"] != "U-R02" or t["indicator"] != "fiscal_revenue"]
    found = [str(p) for p in schemes.validate(document, target_required=frozenset({"fiscal_revenue"}))]
    assert found == ["targets: unit 'U-R02' has no target for 'fiscal_revenue'"]


def test_grading_veto_and_person_rules_are_checked():
    document = copy.deepcopy(DEMO)
    document["grading"][0]["pool"].append("ghosts")
    document["grading"][0]["grades"][0]["parts"] = -1
    document["grading"][1]["method"] = "lottery"
    document["vetoes"][0]["cap_grade"] = "three"
    document["person_scoring"]["unit_weight"] = 0.7
    found = problems_of(document)
    assert "grading[0].pool: unknown category 'ghosts'" in found
    assert "grading[0].grades[0].parts: must be a whole number ≥ 0" in found
    assert "grading[1].method: must be one of ratio, threshold, rank_only" in found
    assert "vetoes[0]: needs cap_grade (or grade) as a whole number" in found
    assert "person_scoring: unit_weight + personal_weight is 1.1, not 1" in found


def test_metric_ranges_are_checked():
    document = copy.deepcopy(DEMO)
    document["metrics"] += [{"code": "public_vote"}, {"code": "gdp", "min": 0}, {"code": "commendation_x", "min": "zero"},
                            {"code": "leadership_rating_x"}]
    document["metrics"][0].update(min=5, max=1)
    found = problems_of(document)
    assert f"metrics[{len(DEMO['metrics'])}].code: duplicate code 'public_vote'" in found
    assert "metrics[0]: min 5 is above max 1" in found
    assert any(p.startswith("metrics[") and "no source reports metric 'gdp'" in p for p in found)
    assert any(p.endswith(".min: must be a finite number") for p in found)
