"""Scheme validation names every problem with its place in the document."""
import copy
from datetime import date

import pytest

from helpers import demo_document
from jixiao.registry.domain import scheme as schemes

DEMO = demo_document()


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
    assert problems_of({"format": "other"})[0] == "format: must be 'jixiao.scheme/v1', not 'other'"


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
    document["grading"][0]["grades"][0]["parts"] = -1
    document["grading"][1]["method"] = "lottery"
    document["vetoes"][0]["cap_grade"] = "three"
    assert problems_of(document) == [  # the declared format's, which stop validation there
        "grading[0].grades[0].parts: must be ≥ 0, not -1",
        "grading[1].method: must be one of ratio, threshold, rank_only, not 'lottery'",
        "vetoes[0].cap_grade: must be a whole number, not text"]
    document = copy.deepcopy(DEMO)
    document["grading"][0]["pool"].append("ghosts")
    document["grading"][0]["grades"][0]["parts"] = 1.5
    del document["vetoes"][0]["cap_grade"]
    document["person_scoring"]["unit_weight"] = 0.7
    found = problems_of(document)
    assert "grading[0].pool: unknown category 'ghosts'" in found
    assert "grading[0].grades[0].parts: must be a whole number ≥ 0" in found
    assert "vetoes[0]: needs cap_grade (or grade) as a whole number" in found
    assert "person_scoring: unit_weight + personal_weight is 1.1, not 1" in found


def test_grading_periods_and_tie_breakers_are_checked():
    assert [rule["periods"] for rule in DEMO["grading"]] == [["year"], ["year"], ["year"]]
    document = copy.deepcopy(DEMO)
    document["grading"][0]["periods"] = ["year", "week"]
    document["grading"][1]["periods"] = "quarter"
    assert problems_of(document) == [
        "grading[0].periods[1]: must be one of month, quarter, year, not 'week'",
        "grading[1].periods: must be a list, not text"]
    document = copy.deepcopy(DEMO)
    document["grading"][0]["periods"] = ["year", "quarter", "year"]
    document["grading"][0]["tie_breakers"] = ["dimension:work_results", "dimension:luck", "unit_total", "dimension:work_results"]
    document["grading"][1]["method"] = "threshold"
    document["grading"][1]["tie_breakers"] = ["dimension:work_results"]
    document["grading"][2]["periods"] = []
    document["grading"][2]["tie_breakers"] = ["personal_evaluation", "dimension:work_results"]
    assert problems_of(document) == [
        "grading[0].periods[2]: 'year' is listed twice",
        "grading[0].tie_breakers[1]: unknown dimension 'luck'",
        "grading[0].tie_breakers[2]: 'unit_total' is not a criterion for units (dimension:<code>)",
        "grading[0].tie_breakers[3]: 'dimension:work_results' is listed twice",
        "grading[1].tie_breakers: only a ratio rule has ties at a grade boundary to break",
        "grading[2].periods: must name a kind of period (month, quarter, year)",
        "grading[2].tie_breakers[1]: 'dimension:work_results' is not a criterion for persons (personal_evaluation, unit_total)",
    ]
    document = copy.deepcopy(DEMO)
    for rule in document["grading"]:
        del rule["periods"]  # the year when absent
    document["grading"][1]["tie_breakers"] = {"first": "dimension:work_results"}
    assert problems_of(document) == ["grading[1].tie_breakers: must be a list, not a mapping"]


def test_metric_ranges_are_checked():
    document = copy.deepcopy(DEMO)
    document["metrics"] += [{"code": "public_vote"}, {"code": "gdp", "min": 0}, {"code": "commendation_x", "min": float("nan")},
                            {"code": "leadership_rating_x"}]
    document["metrics"][0].update(min=5, max=1)
    found = problems_of(document)
    assert f"metrics[{len(DEMO['metrics'])}].code: duplicate code 'public_vote'" in found
    assert "metrics[0]: min 5 is above max 1" in found
    assert any(p.startswith("metrics[") and "no source reports metric 'gdp'" in p for p in found)
    assert any(p.endswith(".min: must be a finite number") for p in found)


def changed(document: dict, path: str, value) -> dict:
    """A copy of `document` with the value at `path` (``units.0.name``) replaced."""
    document = copy.deepcopy(document)
    *parents, last = [int(part) if part.isdigit() else part for part in path.split(".")]
    node = document
    for part in parents:
        node = node[part]
    node[last] = value
    return document


@pytest.mark.parametrize("path, value, expected", [
    ("units", None, "units: must be a list, not null"),
    ("assignments", "x", "assignments: must be a list, not text"),
    ("person_scoring", 5, "person_scoring: must be a mapping, not a number"),
    ("dimensions", [1], "dimensions[0]: must be a mapping, not a number"),
    ("units.3.name", "青山区", "units[3].name: must be a mapping of zh and en, not text"),
    ("units.3.name", {"zh": " "}, "units[3].name: needs a name in Chinese (zh) or English (en)"),
    ("units.3.name", {"zh": "青山区", "fr": "Qingshan"}, "units[3].name.fr: unknown language: a name has zh and en"),
    ("units.3.nmae", "x", "units[3].nmae: unknown field: unit has id, name, short_name_zh, category, region"),
    ("scheme.author", "市考核办", "scheme.author: the registry records who submits each version (the signed-in "
                                  "account) and will not store another author; leave the field out"),
    ("dimensions.0.weight", 10**400, "dimensions[0].weight: must be ≥ 0 and ≤ 1, not a number of 401 digits"),
    ("grading.0.pool", "economic", "grading[0].pool: must be a list, not text"),
    ("units.3.category", ["economic"], "units[3].category: must be text, not a list"),
    ("dimensions.0.weight", "0.6", "dimensions[0].weight: must be a number, not text"),
    ("dimensions.0.additive", "no", "dimensions[0].additive: must be true or false, not text"),
    ("targets.0.milestones.1.period", date(2026, 6, 30), "targets[0].milestones[1].period: must be text, not a date"),
    ("persons.0.team", {}, "persons[0].team: must be text or null, not a mapping"),
])
def test_parts_of_the_wrong_shape_are_named_and_nothing_else_is_checked(path, value, expected):
    document = changed(DEMO, path, value)
    assert [str(p) for p in schemes.shape_problems(document)] == [expected]
    assert problems_of(document) == [expected]


def test_null_is_absent_only_where_the_shape_says_so():
    document = changed(changed(DEMO, "targets.0.value", None), "persons.0.team", None)
    assert schemes.shape_problems(document) == [] and schemes.shape_problems(DEMO) == []
    assert problems_of(changed(DEMO, "vetoes", None)) == ["vetoes: must be a list, not null"]


def test_missing_sections_and_wrong_shapes_are_named_together():
    document = changed(DEMO, "units", None)
    del document["categories"]
    assert problems_of(document) == ["categories: is required", "units: must be a list, not null"]


def test_numbers_beyond_the_float_range_and_items_without_codes_are_named_not_raised():
    document = copy.deepcopy(DEMO)
    document["units"].append({"name": {"zh": "无名"}, "category": "economic"})
    document["targets"].append({"indicator": "investment_completion"})
    assert problems_of(document) == [f"units[{len(DEMO['units'])}].id: is required",
                                     f"targets[{len(DEMO['targets'])}].unit: is required"]
    document = copy.deepcopy(DEMO)
    document["metrics"][0]["max"] = -10**400
    document["units"].append({"id": "", "name": {"zh": "无名"}, "category": "economic"})
    found = problems_of(document)
    assert "metrics[0].max: must be a finite number" in found
    assert f"units[{len(DEMO['units'])}].id: is required" in found


def aliases(levels: int, width: int = 10) -> str:
    """YAML whose last anchor repeats the one before `width` times, `levels` times over."""
    lines = ["l0: &l0 [" + ", ".join(["a"] * width) + "]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("text, expected", [
    ("units: " + "[" * 100_000 + "]" * 100_000, "nested more than 100 levels deep"),  # libyaml's composer: a segfault
    ('{"units":' + "[" * 100_000 + "]" * 100_000 + "}", "nested more than 100 levels deep"),
    ('{"units":' + "[" * 200 + "]" * 200 + "}", "nested more than 100 levels deep"),
    ("a: &a " + "[" * 60 + "]" * 60 + "\nb: " + "[" * 60 + "*a" + "]" * 60 + "\n", "nested more than 100 levels deep"),
    (aliases(8), "more than 5,000,000 values (counting each alias as what it repeats)"),
    ("units: &u [{id: U1, parent: *u}]\n", "the alias *u is inside what it names: a document has no cycles"),
    ("units:\n  - {id: U1, 2026: x}\n", "the key 2026 in units[0] is not text; quote it"),
    ('{"year": ' + "1" * 5000 + "}", "not valid JSON: Exceeds the limit (4300 digits) for integer string conversion"),
])
def test_documents_that_would_crash_or_swamp_the_registry_are_refused(text, expected):
    with pytest.raises(schemes.SchemeFormatError) as refused:
        schemes.parse_document(text)
    assert str(refused.value).startswith(expected)


def test_aliases_within_bounds_are_read():
    document = schemes.parse_document(aliases(2) + "shared: &n {zh: 甲, en: A}\nunits: [{id: U1, name: *n}, {id: U2, name: *n}]\n")
    assert len(document["l2"]) == 10 and document["units"][1]["name"] == {"zh": "甲", "en": "A"}
    assert schemes.digest(document).startswith("sha256:")
