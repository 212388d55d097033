"""The declared scheme format (jixiao.common.scheme_format) is the one source of the
registry's structural validation, docs/scheme-reference.md and the JSON Schema of the
OpenAPI document: the generated texts are current, and the validator and the JSON
Schema agree on what a document may hold."""
import copy
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from helpers import demo_document
from jixiao.common import scheme_format, yaml_text
from jixiao.registry.domain import scheme as schemes

ROOT = Path(__file__).resolve().parents[3]
REFERENCE = ROOT / "docs" / "scheme-reference.md"
EXAMPLE = ROOT / "services" / "demo" / "src" / "jixiao" / "demo" / "data" / "riverside-2027.yaml"
GENERIC_BASES = {"generic_rate", "generic_amount", "generic_case_points", "generic_bands", "generic_rank_points"}
VALIDATOR = Draft202012Validator(scheme_format.json_schema())


def example() -> dict:
    return yaml_text.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def test_the_reference_is_generated_from_the_declaration():
    assert REFERENCE.read_text(encoding="utf-8") == scheme_format.reference_markdown(), (
        "docs/scheme-reference.md is stale: run "
        "`.venv/bin/python -m jixiao.common.scheme_format > docs/scheme-reference.md`")


def test_the_reference_names_every_section_and_field_with_kind_requirement_and_default():
    text = scheme_format.reference_markdown()
    for record in scheme_format.SECTIONS.records():
        section = text.split(f'<a id="{record.slug}"></a>', 1)[1].split("<a id=", 1)[0]
        for field in record.fields:
            row = next(line for line in section.splitlines() if line.startswith(f"| `{field.name}` | "))
            cells = [cell.strip() for cell in row.split(" | ")]
            assert cells[1] == field.type.label().replace("|", "\\|")
            assert cells[2] == ("**required**" if field.required else "optional")
            assert cells[3] == ("—" if field.required else field.default or "—")


def test_the_json_schema_is_a_valid_schema_and_accepts_the_demo_and_the_example():
    Draft202012Validator.check_schema(scheme_format.json_schema())
    for document in (demo_document(), example()):
        assert list(VALIDATOR.iter_errors(document)) == []
        assert scheme_format.check(document) == []


def test_the_example_is_small_complete_and_valid():
    document = example()
    assert len(document["units"]) == 12 and len(document["categories"]) == 2 and len(document["indicators"]) == 4
    assert schemes.validate(document, active_indicators=GENERIC_BASES) == []


@pytest.mark.parametrize("change, path", [
    (lambda d: d["units"][0].update(nmae="x"), "units[0].nmae"),
    (lambda d: d["scheme"].update(author="市考核办"), "scheme.author"),
    (lambda d: d["units"][0].update(name={}), "units[0].name"),
    (lambda d: d["units"][0].update(name={"en": "North"}), None),  # a name in one language is enough
    (lambda d: d["dimensions"][0].update(weight="1"), "dimensions[0].weight"),
    (lambda d: d["dimensions"][0].update(weight=1.5), "dimensions[0].weight"),
    (lambda d: d["grading"][0].update(method="lottery"), "grading[0].method"),
    (lambda d: d.pop("units"), "units"),
    (lambda d: d["targets"][0].update(value=None), None),
    (lambda d: d["targets"][0].update(params={"last_year_value": 3, "note": "text"}), None),
    (lambda d: d["indicators"][0]["generic"].update(formula="median"), "indicators[0].generic.formula"),
    (lambda d: d["indicators"][0]["generic"].pop("numerator"), "indicators[0].generic.numerator"),
    (lambda d: d["indicators"][0]["generic"].update(metric="x"), "indicators[0].generic.metric"),
    (lambda d: d["indicators"][3]["generic"].update(cap=0), "indicators[3].generic.cap"),
])
def test_the_validator_and_the_json_schema_agree(change, path):
    document = example()
    change(document)
    found = scheme_format.check(document)
    assert [where for where, _ in found] == ([] if path is None else [path])
    assert bool(list(VALIDATOR.iter_errors(document))) == (path is not None)


def test_names_are_required_in_one_language_where_nothing_stands_for_them():
    document = example()
    del document["units"][0]["name"]
    document["categories"][0]["name"] = {"zh": ""}
    assert sorted(str(p) for p in schemes.validate(document, active_indicators=GENERIC_BASES)) == [
        "categories[0].name: needs a name in Chinese (zh) or English (en)", "units[0].name: is required"]
    document = example()
    del document["indicators"][1]["name"]
    assert [str(p) for p in schemes.validate(document, active_indicators=GENERIC_BASES)] == [
        "indicators[1].name: is required for a generic indicator: no plug-in names it"]


def test_generic_indicators_are_checked_against_the_rest_of_the_scheme():
    document = example()
    rate, amount, bands, cases = (i["generic"] for i in document["indicators"])
    rate["numerator"] = "cases_closed"
    rate["denominator"] = "cases_closed"
    bands["bands"].append({"at_most": 0.5, "points": 10})
    bands["bands"][1]["at_least"] = 0.95
    cases["points_per_case"] = 0
    document["targets"].append({"unit": "D-NORTH", "indicator": "on_time_rate", "value": 0.9, "params": {"x": 1}})
    document["indicators"].append({"code": "growth_rank", "name": {"en": "Growth rank"},
                                   "generic": {"formula": "rank_points", "metric": "road_investment",
                                               "points_by_rank": [60, 57, 58, 51, 48, 45, 42]}})
    document["assignments"].append({"category": "districts", "dimension": "bonus_deductions", "indicator": "growth_rank",
                                    "weight": 1, "max_points": 60})
    found = [str(p) for p in schemes.validate(document, active_indicators=GENERIC_BASES - {"generic_bands"})]
    assert found == [
        "assignments[4].indicator: no active plug-in provides 'generic_bands' (the formula of generic indicator 'satisfaction')",
        "indicators[0].generic.numerator: unknown metric 'cases_closed': no source reports it and `metrics` does not list it",
        "indicators[0].generic.denominator: unknown metric 'cases_closed': no source reports it and `metrics` does not list it",
        "indicators[0].generic.denominator: is the numerator too ('cases_closed'): a rate needs two metrics",
        "indicators[2].generic.bands[1].at_least: 0.95 is the threshold of an earlier band too",
        "indicators[2].generic.bands[3].at_most: a band when higher is better has at_least, not at_most",
        "indicators[2].generic.bands[3]: needs at_least: the threshold a value must reach",
        "indicators[3].generic.points_per_case: must not be 0: negative for a deduction, positive for a bonus",
        "indicators[4].generic.points_by_rank[2]: 58 is more than rank 2's 57: a better rank never earns less",
        "indicators[4].generic.points_by_rank: has 7 ranks but category 'districts', which 'growth_rank' is "
        "assigned to, has 6 units",
        "targets[7].params: generic indicator 'on_time_rate' reads no target parameters (only the target's value)",
    ]


def test_amounts_and_rates_without_a_target_need_one_per_unit():
    document = example()
    document["targets"] = [t for t in document["targets"] if t["unit"] != "D-WEST"]
    del document["indicators"][0]["generic"]["target"]
    found = [str(p) for p in schemes.validate(document, active_indicators=GENERIC_BASES)]
    assert "targets: unit 'D-WEST' has no target for 'road_investment'" in found
    assert "targets: unit 'D-NORTH' has no target for 'on_time_rate'" in found
    assert "targets: unit 'G-SERVICES' has no target for 'on_time_rate'" not in found


def test_a_generic_code_is_not_a_plugins():
    document = copy.deepcopy(example())
    document["indicators"][0]["code"] = "complaint_handling"
    for a in document["assignments"]:
        if a["indicator"] == "on_time_rate":
            a["indicator"] = "complaint_handling"
    document["targets"][-1]["indicator"] = "complaint_handling"
    found = [str(p) for p in schemes.validate(document, active_indicators=GENERIC_BASES | {"complaint_handling"})]
    assert found == ["indicators[0].code: 'complaint_handling' is the code of a plug-in's indicator; a generic "
                     "indicator needs a code of its own"]


@pytest.mark.parametrize("table, otherwise, expected", [
    ([0, 0], None, "indicators[4].generic.points_by_rank[0]: must be above 0: rank 1's points are the full score"),
    ([60, 57], 61, "indicators[4].generic.otherwise: 61 is more than rank 1's 60"),
    ([60, 57], 45, None),
])
def test_a_rank_table_scales_from_its_first_entry(table, otherwise, expected):
    document = example()
    generic = {"formula": "rank_points", "metric": "road_investment", "points_by_rank": table}
    if otherwise is not None:
        generic["otherwise"] = otherwise
    document["indicators"].append({"code": "growth_rank", "name": {"en": "Growth rank"}, "generic": generic})
    found = [str(p) for p in schemes.validate(document, active_indicators=GENERIC_BASES)]
    assert found == ([] if expected is None else [expected])


def sheet_indicator(**changes) -> dict:
    generic = {"formula": "sheet", "department": "discipline_commission",
               "items": [{"code": "responsibility", "name": {"zh": "主体责任落实"}, "max_points": 40},
                         {"code": "cases", "name": {"zh": "违纪违法案件"}, "max_points": 60}], **changes}
    return {"code": "clean_government", "name": {"zh": "党风廉政建设"}, "generic": generic}


@pytest.mark.parametrize("changes, expected", [
    ({}, []),
    ({"department": " "}, ["indicators[4].generic.department: is required: the responsible department's code"]),
    ({"items": []}, ["indicators[4].generic.items: names no item: a sheet scores at least one"]),
    ({"items": [{"code": "a", "name": {"en": "A"}, "max_points": 10}, {"code": "a", "name": {"en": "B"}, "max_points": 5}]},
     ["indicators[4].generic.items[1].code: duplicate item code 'a'"]),
])
def test_a_score_sheet_names_its_department_and_distinct_items(changes, expected):
    document = example()
    document["indicators"].append(sheet_indicator(**changes))
    assert [str(p) for p in schemes.validate(document, active_indicators=GENERIC_BASES | {"generic_sheet"})] == expected


@pytest.mark.parametrize("changes, path", [
    ({"items": [{"code": "a", "name": {"en": "A"}, "max_points": 0}]}, "indicators[4].generic.items[0].max_points"),
    ({"items": [{"code": "a", "max_points": 5}]}, "indicators[4].generic.items[0].name"),
    ({"due_days": -1}, "indicators[4].generic.due_days"),
    ({"metric": "x"}, "indicators[4].generic.metric"),
])
def test_a_score_sheet_of_the_wrong_shape_is_refused_by_place(changes, path):
    document = example()
    document["indicators"].append(sheet_indicator(**changes))
    assert [where for where, _ in scheme_format.check(document)] == [path]
    assert list(VALIDATOR.iter_errors(document))


def assessment_indicator(**changes) -> dict:
    generic = {"formula": "assessment", "team_rule": "trimmed_mean",
               "items": [{"code": "targets", "name": {"zh": "目标任务完成情况"}, "max_points": 60},
                         {"code": "records", "name": {"zh": "台账资料"}, "max_points": 40}], **changes}
    return {"code": "on_site", "name": {"zh": "现场考核"}, "generic": generic}


@pytest.mark.parametrize("changes, expected", [
    ({}, []),
    ({"items": []}, ["indicators[4].generic.items: names no item: an assessment scores at least one"]),
    ({"items": [{"code": "a", "name": {"en": "A"}, "max_points": 10}, {"code": "a", "name": {"en": "B"}, "max_points": 5}]},
     ["indicators[4].generic.items[1].code: duplicate item code 'a'"]),
])
def test_an_on_site_assessment_has_distinct_items(changes, expected):
    document = example()
    document["indicators"].append(assessment_indicator(**changes))
    assert [str(p) for p in schemes.validate(document, active_indicators=GENERIC_BASES | {"generic_assessment"})] == expected


@pytest.mark.parametrize("changes, path", [
    ({"team_rule": "median"}, "indicators[4].generic.team_rule"),
    ({"items": [{"code": "a", "name": {"en": "A"}, "max_points": 0}]}, "indicators[4].generic.items[0].max_points"),
    ({"department": "x"}, "indicators[4].generic.department"),
])
def test_an_on_site_assessment_of_the_wrong_shape_is_refused_by_place(changes, path):
    document = example()
    document["indicators"].append(assessment_indicator(**changes))
    assert [where for where, _ in scheme_format.check(document)] == [path]
    assert list(VALIDATOR.iter_errors(document))


def ballot_indicator(**changes) -> dict:
    generic = {"formula": "ballot",
               "groups": [{"code": "cadres", "name": {"zh": "机关干部"}, "weight": 0.6, "min_turnout": 0.6},
                          {"code": "residents", "name": {"zh": "群众代表"}, "weight": 0.4}],
               "scale": [{"value": 100, "name": {"zh": "优秀"}}, {"value": 80, "name": {"zh": "称职"}},
                         {"value": 60, "name": {"zh": "基本称职"}}, {"value": 0, "name": {"zh": "不称职"}}],
               **changes}
    return {"code": "democratic_evaluation", "name": {"zh": "民主测评"}, "generic": generic}


@pytest.mark.parametrize("changes, expected", [
    ({}, []),
    ({"groups": []}, ["indicators[4].generic.groups: names no rater group: a ballot needs at least one"]),
    ({"groups": [{"code": "a", "name": {"en": "A"}, "weight": 1}, {"code": "a", "name": {"en": "B"}, "weight": 1}]},
     ["indicators[4].generic.groups[1].code: duplicate rater group 'a'"]),
    ({"scale": [{"value": 5, "name": {"en": "Good"}}]}, ["indicators[4].generic.scale: needs at least two choices"]),
    ({"scale": [{"value": 5, "name": {"en": "Good"}}, {"value": 5, "name": {"en": "Fine"}}]},
     ["indicators[4].generic.scale[1].value: duplicate value 5: each choice has its own"]),
    ({"scale": [{"value": 0, "name": {"en": "Bad"}}, {"value": 0.0, "name": {"en": "Worse"}}]},
     ["indicators[4].generic.scale[1].value: duplicate value 0.0: each choice has its own",
      "indicators[4].generic.scale: the highest value must be above 0: it scales the points"]),
])
def test_a_ballot_has_distinct_groups_and_a_scale_that_scales(changes, expected):
    document = example()
    document["indicators"].append(ballot_indicator(**changes))
    assert [str(p) for p in schemes.validate(document, active_indicators=GENERIC_BASES | {"generic_ballot"})] == expected


@pytest.mark.parametrize("changes, path", [
    ({"groups": [{"code": "a", "name": {"en": "A"}, "weight": 0}]}, "indicators[4].generic.groups[0].weight"),
    ({"groups": [{"code": "a", "name": {"en": "A"}, "weight": 1, "min_turnout": 1.5}]},
     "indicators[4].generic.groups[0].min_turnout"),
    ({"scale": [{"value": -1, "name": {"en": "A"}}, {"value": 1, "name": {"en": "B"}}]},
     "indicators[4].generic.scale[0].value"),
    ({"department": "x"}, "indicators[4].generic.department"),
])
def test_a_ballot_of_the_wrong_shape_is_refused_by_place(changes, path):
    document = example()
    document["indicators"].append(ballot_indicator(**changes))
    assert [where for where, _ in scheme_format.check(document)] == [path]
    assert list(VALIDATOR.iter_errors(document))
