"""The score sheet as the portal's forms and spreadsheets show it (domain/score_sheet_forms.py):
its layout from the scheme, a form's and an uploaded table's rows checked cell by cell (one bad
cell refuses the whole) and the downloaded table. (The digest the head is shown is scoring's
content_digest: tests/e2e/portal/test_score_sheets.py checks it is the one signed.)"""
from __future__ import annotations

import pytest

from helpers.sheet_scheme import DEPARTMENT, sheet_scheme
from jixiao.gateway.domain import score_sheet_forms as forms
from jixiao.gateway.entrypoints.portal.i18n import bilingual_parts


@pytest.fixture
def layout():
    return forms.layout_of(sheet_scheme(), "clean_government")


def test_the_layout_is_the_schemes_units_and_items(layout):
    assert (layout.department, layout.due_days, layout.assessed_in) == (DEPARTMENT, 10, ("quarter", "year"))
    assert layout.unit_ids() == ("U1", "U2")
    assert [(i.code, i.max_points) for i in layout.items] == [("responsibility", 40), ("cases", 60)]
    assert layout.max_total == 100
    assert forms.layout_of(sheet_scheme(), "amount_vs_plan") is None


def test_a_form_gives_its_rows_or_each_problem_next_to_its_input(layout):
    form = {"points-0-0": "38", "basis-0-0": "少开一次专题会", "evidence-0-0": "纪发〔2026〕1号", "points-0-1": "６０",
            "points-1-0": "", "basis-1-0": "", "points-1-1": "50,5"}
    rows, problems, typed = forms.rows_from_form(layout, form)
    assert problems == {}
    assert [(r.unit_id, r.item, r.points) for r in rows] == [("U1", "responsibility", 38), ("U1", "cases", 60),
                                                             ("U2", "cases", 50.5)]
    rows, problems, typed = forms.rows_from_form(layout, {**form, "points-0-0": "41", "points-0-1": "很多",
                                                          "basis-1-0": "依据"})
    assert {k: str(v) for k, v in problems.items()} == {
        ("U1", "responsibility", "points"): "41 is outside [0, 40]",
        ("U1", "cases", "points"): "'很多' is not a number",
        ("U2", "responsibility", "points"): "points are missing"}
    assert typed[("U1", "responsibility")] == {"points": "41", "basis": "少开一次专题会", "evidence_ref": "纪发〔2026〕1号"}


def test_an_uploaded_table_names_each_bad_row_and_column(layout):
    header = list(forms.COLUMNS)
    table = [(2, {"unit_id": "U1", "item": "responsibility", "points": "38", "basis": "b"}),
             (3, {"unit_id": "U1", "item": "cases", "points": "70"}),
             (4, {"unit_id": "U9", "item": "cases", "points": "1"}),
             (5, {"unit_id": "U2", "item": "meetings", "points": "1"}),
             (6, {"unit_id": "U1", "item": "responsibility", "points": "1"}),
             (7, {"unit_id": "U2", "item": "cases", "points": ""})]
    rows, problems = forms.rows_from_table(layout, header, table)
    assert [(n, c, str(m)) for n, c, m in problems] == [
        (3, "points (F)", "70 is outside [0, 60]"),
        (4, "unit_id (A)", "'U9' is not a unit of this sheet"),
        (5, "item (C)", "'meetings' is not an item of this sheet (responsibility, cases)"),
        (6, "unit_id (A)", "unit U1, item responsibility is already on row 2")]
    rows, problems = forms.rows_from_table(layout, header, [table[0], table[-1]])
    assert problems == [] and [r.as_dict() for r in rows] == [
        {"unit_id": "U1", "item": "responsibility", "points": 38.0, "basis": "b", "evidence_ref": ""}]
    assert forms.rows_from_table(layout, header, table, [("points", "required column is missing")]) == (
        [], [(1, "points", "required column is missing")])


def test_the_downloaded_table_has_a_line_per_unit_and_item(layout):
    lines = forms.table_of(layout, [{"unit_id": "U2", "item": "cases", "points": 45.0, "basis": "一起案件",
                                     "evidence_ref": "纪案7号"}], lambda names: names.get("zh", ""))
    assert lines[0] == list(forms.COLUMNS)
    assert lines[1] == ["U1", "甲区", "responsibility", "主体责任落实", 40.0, "", "", ""]
    assert lines[4] == ["U2", "乙区", "cases", "违纪违法案件", 60.0, 45.0, "一起案件", "纪案7号"]


def test_a_refusal_of_scoring_is_placed_at_its_unit_and_item():
    assert forms.place_of("rows[1].points: unit U1, item responsibility: 41 is outside [0, 40]") == (
        "U1", "responsibility", "points")
    assert forms.place_of("version 1 was submitted by x at y: frozen; request a correction") is None


def test_a_slash_inside_the_english_half_of_an_explanation_does_not_split_it():
    text = ("党风廉政建设：主体责任落实 38.00/40.00；得分=100×98.00/100.00=98.00；签字人王明 / Clean government: "
            "Primary responsibility 38.00/40.00; points = 100 x 98.00 / 100.00 = 98.00; signed by 王明")
    [(zh, en)] = bilingual_parts(text)
    assert zh.endswith("签字人王明") and en.startswith("Clean government") and en.endswith("signed by 王明")
