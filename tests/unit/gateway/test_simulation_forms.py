"""The what-if simulation's form at the office's desk (domain/simulation_forms.py): rows read
into the API's changes (only the chosen kind's fields, blank rows skipped, numbers as an office
types them), what cannot be sent at all said at its row, and scoring's refusals naming
`changes[i].field` placed back at the row they came from."""
from __future__ import annotations

from jixiao.gateway.domain import simulation_forms as forms

GRADES = (1, 2, 3)


def form(rows: int = 3, **fields: str) -> dict:
    """A posted form: `change_0_unit_id="U1"` is the field change-0-unit_id."""
    posted = {"rows": str(rows)}
    for key, value in fields.items():
        _, row, name = key.split("_", 2)
        posted[f"change-{row}-{name.replace('part_', 'part-')}"] = value
    return posted


def test_each_row_sends_its_kinds_fields_and_blank_rows_are_skipped():
    reading = forms.read_form(form(
        4,
        change_0_kind="figure", change_0_unit_id="U-R01", change_0_indicator_code="investment_completion",
        change_0_period="2026-09", change_0_value="１２,5", change_0_weight="0.3", change_0_category="district_county",
        change_2_kind="weight", change_2_category="district_county", change_2_indicator_code="fiscal_revenue",
        change_2_weight="0.275", change_2_unit_id="U-R02",
        change_3_kind="ratio", change_3_grading_code="departments", change_3_part_1="20", change_3_part_3="",
    ), GRADES)
    assert reading.problems == {}
    assert reading.changes == [
        {"kind": "figure", "unit_id": "U-R01", "indicator_code": "investment_completion", "period": "2026-09",
         "value": 12.5},
        {"kind": "weight", "category": "district_county", "indicator_code": "fiscal_revenue", "weight": 0.275},
        {"kind": "ratio", "grading_code": "departments", "parts": {1: 20.0}},
    ]
    assert reading.sent_from == [0, 2, 3]
    assert [r.is_blank() for r in reading.rows] == [False, True, False, False]


def test_what_cannot_be_sent_is_said_at_its_row_and_nothing_is_sent_for_it():
    reading = forms.read_form(form(
        change_0_kind="target", change_0_unit_id="U-R01", change_0_value="很多",
        change_1_unit_id="U-R02",  # typed, but no kind
        change_2_kind="ratio", change_2_grading_code="departments", change_2_part_2="a few",
    ), GRADES)
    assert reading.problems == {(0, "value"): forms.NOT_A_NUMBER, (1, "kind"): forms.CHOOSE_KIND,
                                (2, "parts"): forms.NOT_A_NUMBER}
    assert reading.changes == []
    assert forms.read_form(form(), GRADES).problems == {(None, ""): forms.NO_CHANGES}


def test_missing_fields_are_left_for_scoring_to_name():
    reading = forms.read_form(form(change_1_kind="figure", change_1_unit_id="U-R01"), GRADES)
    assert reading.problems == {} and reading.changes == [{"kind": "figure", "unit_id": "U-R01"}]


def test_the_number_of_rows_is_kept_within_bounds():
    assert forms.row_count(None) == forms.MIN_ROWS
    assert forms.row_count("7") == 7
    assert forms.row_count("1") == forms.MIN_ROWS
    assert forms.row_count("9999") == forms.MAX_ROWS
    assert forms.row_count("many") == forms.MIN_ROWS
    assert len(forms.read_form({"rows": "5"}, GRADES).rows) == 5


def test_a_refusal_goes_to_the_row_and_field_it_names():
    sent_from = [0, 2, 3]
    assert forms.placed("changes[1].weight: the weights of district_county sum to 0.9", sent_from) == \
        ((2, "weight"), "the weights of district_county sum to 0.9")
    assert forms.placed("changes[2]: changes the same thing as changes[0]: state each change once", sent_from) == \
        ((3, ""), "changes the same thing as change 1: state each change once")
    assert forms.placed("period: '2026-Q5' is not a month, quarter or the year", sent_from) == \
        ((None, "period"), "'2026-Q5' is not a month, quarter or the year")
    assert forms.placed("changes[7].unit_id: is required", sent_from) == \
        ((None, ""), "changes[7].unit_id: is required")
    assert forms.placed("scheme nope is unknown", sent_from) == ((None, ""), "scheme nope is unknown")


def test_with_an_answer_the_rows_sent_come_first_so_that_change_n_is_row_n():
    reading = forms.read_form(form(
        4, change_1_kind="target", change_1_unit_id="U-R01", change_1_value="10",
        change_3_kind="weight", change_3_dimension_code="work_results", change_3_weight="0.6"), GRADES)
    rows = forms.compacted(reading.rows, reading.sent_from)
    assert [(r.number, r.kind, r.text("unit_id") or r.text("dimension_code")) for r in rows] == [
        (0, "target", "U-R01"), (1, "weight", "work_results"), (2, "", ""), (3, "", "")]
