"""The assessor's form and the office's list of codes, read by the gateway's service layer
(service_layer/assessment_rounds.py) before scoring sees them."""
import pytest

from jixiao.gateway.service_layer.assessment_rounds import codes, scores_from_form

ITEMS = [{"code": "targets", "max_points": 60}, {"code": "records", "max_points": 40}]


@pytest.mark.parametrize("text, expected", [
    ("A1, A2 A3", ["A1", "A2", "A3"]),
    ("A1，A2、A3；A4\nA5", ["A1", "A2", "A3", "A4", "A5"]),
    ("  ", []),
])
def test_assessor_codes_in_one_box(text, expected):
    assert codes(text) == expected


def test_a_form_gives_rows_of_the_items_filled_in():
    rows, problems, typed = scores_from_form(ITEMS, {"points-targets": " 55.5 ", "basis-targets": " 现场核验 ",
                                                     "points-records": ""})
    assert rows == [{"item": "targets", "points": 55.5, "basis": "现场核验"}] and problems == {}
    assert typed == {"targets": {"points": "55.5", "basis": "现场核验"}, "records": {"points": "", "basis": ""}}


def test_a_bad_form_names_each_item_and_keeps_what_was_typed():
    rows, problems, typed = scores_from_form(ITEMS, {"points-targets": "61", "points-records": "many",
                                                     "basis-records": "x"})
    assert problems == {"targets": ("out_of_range", {"points": 61.0, "max": 60.0}),
                        "records": ("not_a_number", {"text": "many"})}
    assert rows == [] and typed["records"] == {"points": "many", "basis": "x"}
    assert scores_from_form(ITEMS, {"points-targets": "nan"})[1] == {"targets": ("out_of_range", {"points": pytest.approx(float("nan"), nan_ok=True), "max": 60.0})}
