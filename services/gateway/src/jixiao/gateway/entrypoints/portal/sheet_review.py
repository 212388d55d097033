"""The office's review of the responsible departments' score sheets (复核), /office/sheets
(docs/score-sheets.md, docs/portal.md): every sheet of the year's periods, or of one period,
with state, department, signer, due date and lateness; a sheet read-only with its digest and
history (every version, who, when, why); accept, or return with a comment; approve or refuse
(with a reason) a correction the department requested. Each step is scoring's, with the
office's own token."""
from __future__ import annotations

from flask import abort, flash, get_flashed_messages, redirect, render_template, request, url_for
from flask_babel import gettext

from ...service_layer.score_sheets import SheetRefused
from . import i18n, portal
from .department_desk import desk, desk_layouts, listing_rows, sheet_cards, sheet_periods
from .office_desk import _office_scheme, check_csrf, office_required, office_token


@portal.get("/office/sheets")
@office_required
def office_sheets():
    scheme = _office_scheme()
    if scheme is None:
        abort(404)
    lang = i18n.current()
    periods = sheet_periods(scheme, desk_layouts(scheme))
    period = request.args.get("period", "")
    if period and period not in periods:
        abort(404)
    sheets = desk().listed(scheme.code, [period] if period else periods, office_token()) if periods else []
    rows = listing_rows(scheme, sheets, lang)
    return render_template("office_sheets.html", scheme=scheme, rows=rows, office=True, sheet_period=period, sheet_endpoint="portal.office_sheet", show_department=True,
                           sheet_periods=periods, late=sum(1 for r in rows if r.get("late")),
                           waiting=sum(1 for r in rows if r.get("state") == "submitted"),
                           corrections=sum(1 for r in rows if r.get("correction_reason")),
                           scheme_name=i18n.name_of(lang, scheme.scheme_name()),
                           messages=get_flashed_messages(with_categories=True))


def _sheet_page(indicator: str, period: str, status: int = 200, problem: str = ""):
    scheme = _office_scheme()
    if scheme is None:
        abort(404)
    layout = desk().layout(scheme.document, indicator)
    if layout is None:
        abort(404)
    lang = i18n.current()
    sheet = desk().get(scheme.code, indicator, period, office_token())
    state = sheet.get("state", "not_started")
    history = list(reversed(sheet.get("history", [])))
    return render_template(
        "office_sheets_sheet.html", scheme=scheme, layout=layout, sheet=sheet, state=state, office=True,
        sheet_period=period, cards=sheet_cards(layout, sheet.get("rows", []), lang), history=history,
        indicator_name=i18n.name_of(lang, layout.name) or layout.indicator,
        department_name=i18n.name_of(lang, layout.department_name) or layout.department,
        period_text=i18n.period_label(lang, period), max_total=layout.max_total, problem=problem,
        reviewable=state == "submitted" and not sheet.get("correction_reason"),
        messages=get_flashed_messages(with_categories=True)), status


@portal.get("/office/sheets/<indicator>/<period>")
@office_required
def office_sheet(indicator: str, period: str):
    return _sheet_page(indicator, period)


@portal.post("/office/sheets/<indicator>/<period>/review")
@office_required
def office_sheet_review(indicator: str, period: str):
    check_csrf()
    scheme = _office_scheme()
    if scheme is None:
        abort(404)
    decision = request.form.get("decision", "")
    comment = request.form.get("comment", "").strip()
    if decision not in ("accept", "return"):
        abort(400)
    if decision == "return" and not comment:
        return _sheet_page(indicator, period, 400, gettext("Say in a comment what the department must correct."))
    try:
        desk().review(scheme.code, indicator, period, decision, comment, office_token())
    except SheetRefused as refused:
        return _sheet_page(indicator, period, 400, gettext("The review did not complete: %(message)s",
                                                           message="; ".join(refused.general)))
    flash(gettext("Accepted: the sheet's points are now the indicator's results.") if decision == "accept"
          else gettext("Returned to the department with your comment."), "ok")
    return redirect(url_for("portal.office_sheet", indicator=indicator, period=period, scheme=scheme.code))


@portal.post("/office/sheets/<indicator>/<period>/correction")
@office_required
def office_sheet_correction(indicator: str, period: str):
    check_csrf()
    scheme = _office_scheme()
    if scheme is None:
        abort(404)
    decision = request.form.get("decision", "")
    reason = request.form.get("reason", "").strip()
    if decision not in ("approve", "refuse"):
        abort(400)
    if decision == "refuse" and not reason:
        return _sheet_page(indicator, period, 400, gettext("Give the reason for refusing the correction."))
    try:
        desk().decide_correction(scheme.code, indicator, period, decision, reason, office_token())
    except SheetRefused as refused:
        return _sheet_page(indicator, period, 400, gettext("The decision did not complete: %(message)s",
                                                           message="; ".join(refused.general)))
    flash(gettext("Correction approved: the department can edit a new version; the signed one is kept.")
          if decision == "approve" else gettext("Correction refused; the department sees your reason."), "ok")
    return redirect(url_for("portal.office_sheet", indicator=indicator, period=period, scheme=scheme.code))
