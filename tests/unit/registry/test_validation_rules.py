"""The scheme's `validation_rules` (校验规则): validation names each bad field, the
registry and scoring agree on the operators, and a diff keys rules by code."""
import copy

from helpers import demo_document
from jixiao.registry.domain import scheme as schemes
from jixiao.registry.domain.scheme_diff import diff
from jixiao.scoring.domain import anomalies

DEMO = demo_document()


def problems_of(document) -> list[str]:
    return [str(p) for p in schemes.validate(document)]


def test_the_demo_schemes_rules_are_valid():
    assert len(DEMO["validation_rules"]) >= 2 and problems_of(DEMO) == []


def test_each_bad_field_of_a_rule_is_named():
    document = copy.deepcopy(DEMO)
    rules = document["validation_rules"]
    rules[0]["operator"] = "=<"
    rules[2]["severity"] = "fatal"
    del rules[1]["right"]
    assert problems_of(document) == [  # the declared format's, which stop validation there
        "validation_rules[0].operator: must be one of <=, <, >=, >, ==, not '=<'",
        "validation_rules[1].right: is required",
        "validation_rules[2].severity: must be one of low, medium, high, not 'fatal'"]
    document = copy.deepcopy(DEMO)
    rules = document["validation_rules"]
    rules[1]["left"] = "complaints_invented"
    rules[1]["right"] = ""
    rules.append({**rules[3], "right": rules[3]["left"]})
    found = problems_of(document)
    assert "validation_rules[1].left: unknown metric 'complaints_invented' (no source reports it)" in found
    assert "validation_rules[1].right: is required: the code of a metric" in found
    assert f"validation_rules[4].code: duplicate code {rules[3]['code']!r}" in found
    assert f"validation_rules[4].right: compares {rules[3]['left']!r} with itself" in found


def test_rules_of_the_wrong_shape_are_refused_by_place():
    document = copy.deepcopy(DEMO)
    document["validation_rules"][0]["operator"] = 3
    document["validation_rules"][1]["name"] = "按期办理"
    found = problems_of(document)
    assert "validation_rules[0].operator: must be text, not a number" in found
    assert "validation_rules[1].name: must be a mapping of zh and en, not text" in found
    document["validation_rules"] = {"code": "x"}
    assert problems_of(document) == ["validation_rules: must be a list, not a mapping"]


def test_registry_and_scoring_know_the_same_operators_and_severities():
    assert schemes.VALIDATION_OPERATORS == anomalies.OPERATORS
    assert schemes.VALIDATION_SEVERITIES == anomalies.SEVERITIES
    assert len(anomalies.rules_from_scheme(DEMO)) == len(DEMO["validation_rules"])


def test_a_changed_rule_shows_in_the_diff_by_its_code():
    after = copy.deepcopy(DEMO)
    after["validation_rules"][0]["severity"] = "medium"
    [change] = diff(DEMO, after)
    assert (change.section, change.key, change.field, change.after) == (
        "validation_rules", DEMO["validation_rules"][0]["code"], "severity", "medium")
