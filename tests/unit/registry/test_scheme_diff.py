"""A scheme diff lists real changes only: an empty value (null, "", {}, []) is the same
as an absent field, so a targets table exported and imported again changes nothing."""
import copy

from helpers import demo_document
from jixiao.registry.domain import table_imports
from jixiao.registry.domain.scheme_diff import Change, diff

DEMO = demo_document()


def test_a_targets_table_exported_and_imported_again_is_no_change():
    assert any(t.get("params") == {} for t in DEMO["targets"])  # the demo writes empty params out
    content = table_imports.write_table("targets", DEMO, "csv")
    items, errors = table_imports.to_items("targets", table_imports.read_rows(content, "csv"), DEMO)
    assert errors == []
    assert diff(DEMO, {**DEMO, "targets": items}) == []


def test_empty_values_equal_absent_ones_at_every_depth():
    before = {"targets": [{"unit": "U1", "indicator": "x", "value": 1.0, "params": {}, "milestones": []}],
              "scheme": {"code": "s", "reason": ""}, "vetoes": []}
    after = {"targets": [{"unit": "U1", "indicator": "x", "value": 1.0, "measurement_unit": None}],
             "scheme": {"code": "s"}}
    assert diff(before, after) == []


def test_a_real_edit_is_one_change_naming_its_field():
    document = copy.deepcopy(DEMO)
    target = document["targets"][0]
    target["value"] = target["value"] + 1
    document["units"][0]["name"]["en"] = "Renamed"
    assert diff(DEMO, document) == [
        Change("targets", f"{target['unit']}/{target['indicator']}", "changed", "value", target["value"] - 1,
               target["value"]),
        Change("units", DEMO["units"][0]["id"], "changed", "name.en", DEMO["units"][0]["name"]["en"], "Renamed"),
    ]

