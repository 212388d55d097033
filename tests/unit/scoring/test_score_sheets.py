"""The pure rules of responsible departments' score sheets (domain/score_sheets.py)."""
import hashlib
import json
from datetime import date

import pytest

from helpers.sheet_scheme import DEPARTMENT, sheet_scheme
from jixiao.scoring.domain import score_sheets as sheets
from jixiao.scoring.domain.scheme_view import SchemeView
from jixiao.scoring.domain.score_sheets import SheetInputError, SheetRow, SheetStateError

SCHEME = SchemeView(sheet_scheme(), 1)
SHEET = sheets.definition(SCHEME, "clean_government")
FULL = [SheetRow("U1", "responsibility", 38, "少开一次专题会"), SheetRow("U1", "cases", 60),
        SheetRow("U2", "responsibility", 40), SheetRow("U2", "cases", 50, "一起案件", "纪发〔2026〕3号")]


def draft(rows=FULL):
    return sheets.save(sheets.new_sheet(SHEET, "2026-Q1"), SHEET, rows, "scorer", "2026-04-02T08:00:00Z")


def submitted():
    return sheets.submit(draft(), SHEET, "head", "2026-04-03T08:00:00Z")


def test_the_sheet_has_the_units_of_the_assigned_categories_and_the_items_in_order():
    assert (SHEET.department, SHEET.due_days, SHEET.units) == (DEPARTMENT, 10, ("U1", "U2"))
    assert [(i.code, i.max_points) for i in SHEET.items] == [("responsibility", 40.0), ("cases", 60.0)]
    assert (SHEET.metric, SHEET.source) == ("sheet_clean_government", f"sheet:{DEPARTMENT}")
    assert [d.indicator_code for d in sheets.definitions(SCHEME)] == ["clean_government"]
    with pytest.raises(sheets.NotASheet):
        sheets.definition(SCHEME, "amount_vs_plan")


def test_a_sheet_is_kept_for_periods_of_the_scheme_year_the_indicator_is_assessed_in():
    assert sheets.sheet_period(SCHEME, SHEET, "2026-Q1").text == "2026-Q1"
    for text, says in (("2026-03", "not assessed in month"), ("2025-Q1", "outside scheme"), ("Q1", "")):
        with pytest.raises(SheetInputError) as error:
            sheets.sheet_period(SCHEME, SHEET, text)
        assert error.value.field == "period" and says in str(error.value)


@pytest.mark.parametrize("row, field, says", [
    (SheetRow("U9", "cases", 1), "rows[0].unit_id", "'U9' is not a unit"),
    (SheetRow("U1", "nope", 1), "rows[0].item", "'nope' is not an item"),
    (SheetRow("U1", "responsibility", 40.5), "rows[0].points", "unit U1, item responsibility: 40.5 is outside [0, 40]"),
    (SheetRow("U1", "cases", -1), "rows[0].points", "outside [0, 60]"),
    (SheetRow("U1", "cases", float("nan")), "rows[0].points", "finite"),
    (SheetRow("U1", "cases", float("inf")), "rows[0].points", "finite"),
    (SheetRow("U1", "cases", 1, "x" * 2001), "rows[0].basis", "at most 2,000"),
])
def test_each_bad_row_is_named_with_its_field(row, field, says):
    problems = sheets.check_rows(SHEET, [row])
    assert [p.field for p in problems] == [field] and says in str(problems[0])


def test_limits_are_inclusive_and_a_pair_given_twice_is_refused():
    assert sheets.check_rows(SHEET, [SheetRow("U1", "responsibility", 40, "x" * 2000), SheetRow("U1", "cases", 0)]) == []
    twice = sheets.check_rows(SHEET, [SheetRow("U1", "cases", 1), SheetRow("U1", "cases", 2)])
    assert [p.field for p in twice] == ["rows[1]"] and "given twice" in str(twice[0])


def test_the_digest_is_sha256_of_the_canonical_content_whatever_the_row_order():
    sheet = draft()
    content = json.loads(sheets.canonical_content(sheet))
    assert content["rows"][0] == ["U1", "cases", 60.0, "", ""] and content["version"] == 1
    assert sheets.digest(sheet) == hashlib.sha256(sheets.canonical_content(sheet)).hexdigest()
    assert sheets.digest(draft(list(reversed(FULL)))) == sheets.digest(sheet)
    changed = draft([*FULL[:3], SheetRow("U2", "cases", 49, "一起案件", "纪发〔2026〕3号")])
    assert sheets.digest(changed) != sheets.digest(sheet)


def test_a_draft_is_saved_again_in_place_and_signed_with_the_digest():
    first = draft(FULL[:1])
    again = sheets.save(first, SHEET, FULL, "scorer", "2026-04-02T09:00:00Z")
    assert (again.version, again.state, len(again.rows)) == (1, "draft", 4)
    signed = sheets.submit(again, SHEET, "head", "2026-04-03T08:00:00Z")
    assert (signed.state, signed.signed_by, signed.signed_at) == ("submitted", "head", "2026-04-03T08:00:00Z")
    assert signed.digest == sheets.digest(again)
    assert [(h.version, h.action, h.actor) for h in signed.history] == [
        (1, "save", "scorer"), (1, "save", "scorer"), (1, "submit", "head")]


def test_a_sheet_is_signed_only_when_every_unit_is_scored_on_every_item():
    with pytest.raises(SheetStateError, match=r"1 unit × item without points \(U2/cases\)"):
        sheets.submit(draft(FULL[:3]), SHEET, "head", "t")
    with pytest.raises(SheetStateError, match="save it first"):
        sheets.submit(sheets.new_sheet(SHEET, "2026-Q1"), SHEET, "head", "t")


def test_a_submitted_or_accepted_sheet_is_frozen():
    sheet = submitted()
    with pytest.raises(SheetStateError, match="submitted by head at 2026-04-03T08:00:00Z: frozen; request a correction"):
        sheets.save(sheet, SHEET, FULL, "scorer", "t")
    accepted = sheets.review(sheet, True, "", "office", "2026-04-05T08:00:00Z")
    with pytest.raises(SheetStateError, match="accepted by office at 2026-04-05T08:00:00Z: frozen"):
        sheets.save(accepted, SHEET, FULL, "scorer", "t")
    for frozen in (sheet, accepted):
        with pytest.raises(SheetStateError, match="frozen"):
            sheets.submit(frozen, SHEET, "head", "t")


def test_the_office_accepts_or_returns_with_a_comment_a_submitted_sheet_only():
    accepted = sheets.review(submitted(), True, "", "office", "t1")
    assert (accepted.state, accepted.reviewed_by, accepted.history[-1].action) == ("accepted", "office", "accept")
    with pytest.raises(SheetInputError) as error:
        sheets.review(submitted(), False, "  ", "office", "t1")
    assert error.value.field == "comment"
    returned = sheets.review(submitted(), False, "U2 依据不足", "office", "t1")
    assert (returned.state, returned.review_comment, returned.history[-1].reason) == ("returned", "U2 依据不足", "U2 依据不足")
    for wrong in (draft(), accepted, returned):
        with pytest.raises(SheetStateError, match="only a submitted sheet is reviewed"):
            sheets.review(wrong, True, "", "office", "t2")


def test_a_returned_sheet_is_saved_as_the_next_version_and_signed_again():
    returned = sheets.review(submitted(), False, "U2 依据不足", "office", "t1")
    with pytest.raises(SheetStateError, match="only a draft is signed; this sheet is returned: save it first"):
        sheets.submit(returned, SHEET, "head", "t")
    second = sheets.save(returned, SHEET, FULL, "scorer", "t2")
    assert (second.version, second.state, second.signed_by, second.review_comment) == (2, "draft", "", "")
    assert sheets.submit(second, SHEET, "head", "t3").digest != returned.digest  # the version is signed too


def test_a_correction_is_requested_with_a_reason_and_approved_as_a_new_draft_keeping_the_old():
    accepted = sheets.review(submitted(), True, "", "office", "t1")
    with pytest.raises(SheetInputError) as error:
        sheets.request_correction(accepted, "", "scorer", "t2")
    assert error.value.field == "reason"
    asked = sheets.request_correction(accepted, "U2 案件已撤销", "scorer", "t2")
    assert (asked.state, asked.correction_reason) == ("accepted", "U2 案件已撤销")
    with pytest.raises(SheetStateError, match="already requested"):
        sheets.request_correction(asked, "again", "scorer", "t3")
    kept, following = sheets.decide_correction(asked, True, "", "office", "t3")
    assert (kept.version, kept.state, kept.digest, kept.correction_reason) == (1, "accepted", accepted.digest, "")
    assert (following.version, following.state, following.rows, following.digest) == (2, "draft", accepted.rows, "")
    assert [h.action for h in following.history][-2:] == ["request_correction", "approve_correction"]


def test_a_refused_correction_changes_nothing_but_the_history():
    asked = sheets.request_correction(submitted(), "笔误", "scorer", "t2")
    with pytest.raises(SheetStateError, match="decide it first"):
        sheets.review(asked, True, "", "office", "t3")
    with pytest.raises(SheetInputError):
        sheets.decide_correction(asked, False, "", "office", "t3")
    kept, following = sheets.decide_correction(asked, False, "无需更正", "office", "t3")
    assert following is None and (kept.state, kept.version, kept.correction_reason) == ("submitted", 1, "")
    assert kept.history[-1] == sheets.HistoryEntry(1, "refuse_correction", "office", "t3", "无需更正")
    with pytest.raises(SheetStateError, match="no correction of this sheet is requested"):
        sheets.decide_correction(kept, True, "", "office", "t4")


def test_drafts_are_not_corrected_but_saved():
    with pytest.raises(SheetStateError, match="save it instead"):
        sheets.request_correction(draft(), "x", "scorer", "t")


def test_a_sheet_is_due_days_after_its_period_ends_and_late_when_first_signed_after():
    due = sheets.due_date(SCHEME, SHEET, "2026-Q1")
    assert due == date(2026, 4, 10)
    assert not sheets.is_late(due, "2026-04-10T23:59:59Z", date(2026, 5, 1))
    assert sheets.is_late(due, "2026-04-11T00:00:00Z", date(2026, 4, 11))
    assert not sheets.is_late(due, "", date(2026, 4, 10)) and sheets.is_late(due, "", date(2026, 4, 11))
    history = [sheets.HistoryEntry(1, "submit", "head", "2026-04-09T08:00:00Z"),
               sheets.HistoryEntry(2, "submit", "head", "2026-04-20T08:00:00Z")]
    assert sheets.first_signed(history) == "2026-04-09T08:00:00Z"


def test_due_dates_follow_a_financial_year():
    document = sheet_scheme()
    document["scheme"]["year_start_month"] = 4
    scheme = SchemeView(document, 1)
    assert sheets.due_date(scheme, sheets.definition(scheme, "clean_government"), "2026-Q1") == date(2026, 7, 10)
