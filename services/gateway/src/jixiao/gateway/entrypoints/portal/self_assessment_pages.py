"""Self-evaluations (自评) and work reports (述职报告) in the portal (docs/portal.md):

- a unit signs in at the departments' desk with its own `department` token (subject = the
  unit id) and gets `/department/self-evaluation`: per period, the indicators it is assessed
  on with the computed points beside an input for its own points and the basis, its total and
  account; and its work reports (the leadership team's and each leader's): upload, list,
  download;
- the office gets `/office/self-evaluations` (a period's self-evaluations, the most flagged
  gaps first, and who has not evaluated itself) and downloads reports at
  `/office/work-reports/<id>`; the unit page shows the comparison and the reports.

Every step goes to scoring with the signed-in token (service_layer/self_assessment_desk.py)."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, get_flashed_messages, redirect, render_template, request, url_for
from flask_babel import gettext

from ...adapters.backend_errors import NotFound
from ...adapters.scoring_self_assessment import ScoringSelfAssessment
from ...service_layer.self_assessment_desk import FormIndicator, SelfAssessmentDesk, SelfEvaluationRefused
from .. import wiring
from ..api_self_assessment import MAX_REPORT_BYTES, MULTIPART_OVERHEAD, report_response
from . import data, i18n, portal
from .department_desk import current_scheme, department_required, department_token, signed_in
from .office_desk import _office_scheme, _period_page, _preview_context, check_csrf, office_required, office_token

PROBLEMS = {
    "not_a_number": lambda: gettext("Enter a number."),
    "missing_total": lambda: gettext("Enter your own total."),
    "missing_points": lambda: gettext("Give points for the basis you wrote, or clear the basis."),
}


def desk() -> SelfAssessmentDesk:
    return SelfAssessmentDesk(ScoringSelfAssessment(wiring.backends()))


def _problem(message: str) -> str:
    return PROBLEMS[message]() if message in PROBLEMS else message


def _own_unit(scheme: data.Scheme) -> dict:
    """The signed-in token's unit, or 404 (a department's scorer is not a unit)."""
    unit = scheme.unit(signed_in().get("subject", ""))
    if unit is None or signed_in().get("role") != "department":
        abort(404)
    return unit


def _periods(scheme: data.Scheme) -> list[str]:
    return [p for p in data.year_periods(scheme.year)]


def _latest_ended_quarter(scheme: data.Scheme, periods: list[str]) -> str:
    """The quarter a unit most likely evaluates: the latest that has ended, else the year."""
    today = date.today()
    ended = [p for p in periods if scheme.calendar.parse(p).kind == "quarter" and scheme.calendar.parse(p).end < today]
    return max(ended, key=lambda p: scheme.calendar.parse(p).end) if ended else str(scheme.year)


def form_indicators(lang: str, scheme: data.Scheme, score: dict | None) -> list[FormIndicator]:
    """The indicators the unit is assessed on in the period, from its computed score (those that count)."""
    names = scheme.indicator_names()
    order = {d["code"]: n for n, d in enumerate((score or {}).get("dimensions", []))}
    found = []
    results = sorted((score or {}).get("indicators", []),  # as the unit page orders them
                     key=lambda r: (order.get(r.get("dimension", ""), len(order)), -r.get("weight", 0.0),
                                    r["indicator_code"]))
    for r in results:
        if not r.get("counted", True):
            continue
        found.append(FormIndicator(code=r["indicator_code"],
                                   name=i18n.name_of(lang, names.get(r["indicator_code"])) or r["indicator_code"],
                                   computed=r["points"] if r["status"] == "ok" else None))
    return found


def _members(lang: str, scheme: data.Scheme, unit_id: str) -> list[dict]:
    return [{"id": p["id"], "name": i18n.pick(lang, p.get("name_zh", ""), scheme.person_pinyin(p["id"])) or p["id"],
             "position": i18n.pick(lang, p.get("position_zh", ""), p.get("position_en", ""))}
            for p in scheme.document.get("persons", []) if p.get("unit") == unit_id]


def report_rows(lang: str, scheme: data.Scheme, unit_id: str, reports: list[dict]) -> list[dict]:
    """Current versions first, each with whose report it is and how many versions it has."""
    names = {m["id"]: m["name"] for m in _members(lang, scheme, unit_id)}
    versions: dict[tuple, int] = {}
    for r in reports:
        versions[(r["period"], r["person_id"])] = max(versions.get((r["period"], r["person_id"]), 0), r["version"])
    return [{**r, "whose": names.get(r["person_id"], r["person_id"]) if r["person_id"] else gettext("Leadership team"),
             "period_text": i18n.period_label(lang, r["period"]), "versions": versions[(r["period"], r["person_id"])]}
            for r in reports if r["current"]]


# -- the unit's desk -----------------------------------------------------------------------

@portal.route("/department/self-evaluation", methods=["GET", "POST"])
@department_required
def unit_self_evaluation():
    scheme = current_scheme()
    if scheme is None:
        abort(404)
    unit = _own_unit(scheme)
    lang = i18n.current()
    periods = _periods(scheme)
    period = request.values.get("period", "") or _latest_ended_quarter(scheme, periods)
    if period not in periods:
        abort(404)
    try:
        score = data.unit_score(scheme.code, unit["id"], period, department_token())
    except NotFound:
        score = None
    indicators = form_indicators(lang, scheme, score)
    cells, general, typed = {}, [], {}
    if request.method == "POST":
        check_csrf()
        typed = request.form.to_dict()
        try:
            desk().submit_form(scheme.code, unit["id"], period, indicators, typed, department_token())
            flash(gettext("Your self-evaluation is saved."), "ok")
            return redirect(url_for("portal.unit_self_evaluation", period=period, scheme=scheme.code))
        except SelfEvaluationRefused as refused:
            cells = {key: _problem(message) for key, message in refused.cells.items()}
            general = [_problem(m) for m in refused.general]
    saved = (score or {}).get("self_evaluation") or {}
    if not typed and saved:
        typed = {"total": f"{saved['total']:g}", "summary": saved.get("summary", "")}
        for s in saved.get("indicators", []):
            typed[f"points.{s['indicator_code']}"] = f"{s['points']:g}"
            typed[f"basis.{s['indicator_code']}"] = s.get("basis", "")
    reports = desk().reports(scheme.code, unit["id"], department_token())
    return render_template(
        "unit_self_evaluation.html", scheme=scheme, unit=unit, unit_name=i18n.name_of(lang, unit.get("name")),
        periods=periods, period=period, period_text=i18n.period_label(lang, period), score=score,
        indicators=indicators, typed=typed, cells=cells, general=general, saved=saved,
        members=_members(lang, scheme, unit["id"]), reports=report_rows(lang, scheme, unit["id"], reports),
        department_desk=True, scheme_name=i18n.name_of(lang, scheme.scheme_name()),
        messages=get_flashed_messages(with_categories=True), max_report_mib=MAX_REPORT_BYTES // (1024 * 1024))


@portal.post("/department/work-reports")
@department_required
def unit_upload_report():
    check_csrf()
    request.max_content_length = MAX_REPORT_BYTES + MULTIPART_OVERHEAD
    scheme = current_scheme()
    if scheme is None:
        abort(404)
    unit = _own_unit(scheme)
    period = request.form.get("period", "") or str(scheme.year)
    upload = request.files.get("file")
    back = redirect(url_for("portal.unit_self_evaluation", period=request.form.get("back", period),
                            scheme=scheme.code) + "#reports")
    if upload is None or not upload.filename:
        flash(gettext("Choose a PDF or Word (.docx) file to upload."), "problem")
        return back
    content = upload.read(MAX_REPORT_BYTES + 1)
    if len(content) > MAX_REPORT_BYTES:
        flash(gettext("The file is too large: at most %(n)s MiB.", n=MAX_REPORT_BYTES // (1024 * 1024)), "problem")
        return back
    try:
        stored = desk().upload_report(scheme.code, unit["id"], request.form.get("person_id", ""), period,
                                      upload.filename, content, department_token())
    except SelfEvaluationRefused as refused:
        flash(str(refused), "problem")
        return back
    flash(gettext("%(name)s is stored as version %(n)s.", name=stored["file_name"], n=stored["version"]), "ok")
    return back


@portal.get("/department/work-reports/<int:report_id>")
@department_required
def unit_download_report(report_id: int):
    scheme = current_scheme()
    if scheme is None:
        abort(404)
    _own_unit(scheme)
    try:
        record, content = desk().report(scheme.code, report_id, department_token())
    except NotFound:
        abort(404)
    return report_response(record, content)


# -- the office --------------------------------------------------------------------------

@portal.get("/office/self-evaluations")
@office_required
def office_self_evaluations():
    scheme = _office_scheme()
    if scheme is None:
        return redirect(url_for("portal.office_home"))
    periods, states, period = _preview_context(scheme)
    lang = i18n.current()
    reply = desk().listed(scheme.code, period, office_token())
    names = scheme.indicator_names()
    rows = [{**e, "name": i18n.pick(lang, e["unit_name_zh"], e["unit_name_en"]) or e["unit_id"],
             "gaps": [{**c, "name": i18n.name_of(lang, names.get(c["indicator_code"])) or c["indicator_code"]}
                      for c in e["indicators"] if c["flagged"]]}
            for e in reply.get("self_evaluations", [])]
    missing = [{"unit_id": u, "name": i18n.name_of(lang, (scheme.unit(u) or {}).get("name")) or u}
               for u in reply.get("missing_unit_ids", [])]
    return _period_page("office_self_evaluations.html", scheme, periods, states, period, rows=rows, missing=missing)


@portal.get("/office/work-reports/<int:report_id>")
@office_required
def office_download_report(report_id: int):
    scheme = _office_scheme()
    if scheme is None:
        abort(404)
    try:
        record, content = desk().report(scheme.code, report_id, office_token())
    except NotFound:
        abort(404)
    return report_response(record, content)


def office_unit_reports(scheme: data.Scheme, unit_id: str) -> list[dict]:
    """The unit's current work reports for the office's unit page."""
    return report_rows(i18n.current(), scheme, unit_id, desk().reports(scheme.code, unit_id, office_token()))


def office_person_reports(scheme: data.Scheme, person_id: str) -> list[dict]:
    """A leader's own current work reports (述职报告) for the office's page of the leader."""
    unit_id = next((p.get("unit", "") for p in scheme.document.get("persons", []) if p["id"] == person_id), "")
    return [r for r in office_unit_reports(scheme, unit_id) if r["person_id"] == person_id] if unit_id else []
