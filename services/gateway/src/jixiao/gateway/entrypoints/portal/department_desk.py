"""The responsible departments' desk, /department (docs/score-sheets.md, docs/portal.md): a
department's scorer (role `department`) or head (role `department_head`) signs in with the
department's token; the desk lists the department's score sheets per period with state, due
date and lateness; the sheet is a form of units × items (one card per unit, phone first) that
the scorer saves as a draft, or fills by uploading the sheet's spreadsheet; the head signs it
after a confirmation showing the digest signed; a frozen sheet is read-only and offers a
correction request with a reason. Every step goes to scoring with the signed-in token
(service_layer/score_sheets.py); a refusal is said next to its input or at the top, with what
was typed kept."""
from __future__ import annotations

from flask import (
    abort,
    flash,
    get_flashed_messages,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext

from jixiao_sdk.periods import PeriodError

from ...adapters.scoring_sheets import FORMATS, ScoringSheets
from ...domain.score_sheet_forms import Problem, layouts
from ...service_layer.score_sheets import ScoreSheetDesk, SheetRefused
from .. import wiring
from . import data, i18n, local_time, portal
from .office_desk import _token_book, check_csrf
from .sign_in import sign_in_form, sign_in_required
from .spreadsheet_upload import posted_spreadsheet

ROLES = ("department", "department_head")
EDITABLE = ("not_started", "draft", "returned")
FROZEN = ("submitted", "accepted")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def desk() -> ScoreSheetDesk:
    return ScoreSheetDesk(ScoringSheets(wiring.backends()))


def signed_in() -> dict:
    return session.get("department") or {}


def department_token() -> str | None:
    return signed_in().get("token")


def _principal(token: str):
    book = _token_book()
    if book is None:
        return None, gettext("The gateway has no tokens file (JIXIAO_TOKENS_FILE); sign-in is not possible.")
    principal = book.principal(token)
    if principal is None:
        return None, gettext("The token is unknown.")
    if principal.role not in ROLES:
        return None, gettext("This token is not a department's: it is a %(role)s token. Sign in with your "
                             "department's scorer or head token.", role=principal.role)
    return principal, ""


def department_required(view):
    """The view needs a signed-in department (scorer or head) whose token is still in the tokens file."""
    return sign_in_required("department", "portal.department_login", _principal)(view)


@portal.route("/department/login", methods=["GET", "POST"])
def department_login():
    def remember(token, principal):
        session["department"] = {"token": token, "name": principal.name or principal.subject,
                                 "role": principal.role, "subject": principal.subject}

    return sign_in_form(prefix="/department", home="portal.department_home", template="department_login.html",
                        principal_of=_principal, unknown=gettext("The token is unknown."), remember=remember,
                        department_desk=True)


@portal.post("/department/logout")
def department_logout():
    check_csrf()
    session.pop("department", None)
    return redirect(url_for("portal.department_login"))


@portal.context_processor
def _sheet_labels():
    return {"sheet_state_label": i18n.sheet_state_label, "sheet_action_label": i18n.sheet_action_label,
            "department_who": signed_in(), "problem_text": problem_text}


def problem_text(found) -> str:
    """A problem of an input or an uploaded cell in the page's language; scoring's own refusals as scoring says them."""
    if not isinstance(found, Problem):
        return str(found)
    p = dict(found.params)
    shown = {k: (f"{v:,}" if k == "limit" else f"{v:g}") for k, v in p.items() if k in ("points", "max", "limit")}
    texts = {
        "missing_points": lambda: gettext("Points are missing."),
        "not_a_number": lambda: gettext("%(text)s is not a number.", text=p["text"]),
        "out_of_range": lambda: gettext("%(points)s is outside 0 to %(max)s.", points=shown["points"], max=shown["max"]),
        "too_long": lambda: gettext("At most %(limit)s characters.", limit=shown["limit"]),
        "unknown_unit": lambda: gettext("%(unit)s is not a unit of this sheet.", unit=p["unit"]),
        "unknown_item": lambda: gettext("%(item)s is not an item of this sheet (items: %(items)s).", item=p["item"],
                                        items=p["items"]),
        "repeated": lambda: gettext("Unit %(unit)s, item %(item)s is already on row %(row)s.", unit=p["unit"],
                                    item=p["item"], row=p["row"]),
    }
    return texts[found.kind]() if found.kind in texts else str(found)


def current_scheme() -> data.Scheme | None:
    schemes = data.published_schemes()
    if not schemes:
        return None
    asked = request.values.get("scheme", "")
    summary = next((s for s in schemes if s["code"] == asked), None) if asked else schemes[0]
    if summary is None:
        abort(404)
    return data.load_scheme(summary)


def sheet_periods(scheme: data.Scheme, chosen) -> list[str]:
    """The periods of the scheme's year in which one of `chosen` is assessed, in the calendar's order (oldest first)."""
    kinds = {kind for layout in chosen for kind in (layout.assessed_in or ("month", "quarter", "year"))}
    found = []
    for text in data.year_periods(scheme.year):
        try:
            if scheme.calendar.parse(text).kind in kinds:
                found.append(text)
        except PeriodError:
            continue
    return list(reversed(found))


def listing_rows(scheme: data.Scheme, sheets: list[dict], lang: str) -> list[dict]:
    names = scheme.indicator_names()
    order = {p: n for n, p in enumerate(sheet_periods(scheme, desk_layouts(scheme)))}
    rows = []
    for sheet in sheets:
        rows.append({**sheet, "indicator_name": i18n.name_of(lang, names.get(sheet["indicator_code"], {}))
                     or sheet["indicator_code"],
                     "department_label": _department_label(scheme, sheet, lang),
                     "period_text": i18n.period_label(lang, sheet["period"])})
    rows.sort(key=lambda r: (order.get(r["period"], 99), r["indicator_code"]))
    return rows


def desk_layouts(scheme: data.Scheme, department: str | None = None):
    found = layouts(scheme.document)
    return [layout for layout in found if department is None or layout.department == department]


def _department_label(scheme: data.Scheme, sheet: dict, lang: str) -> str:
    layout = next((la for la in desk_layouts(scheme) if la.indicator == sheet["indicator_code"]), None)
    names = layout.department_name if layout else {}
    return i18n.name_of(lang, names) or sheet.get("department_name_zh") or sheet.get("department", "")


@portal.get("/department/")
@department_required
def department_home():
    scheme = current_scheme()
    who = signed_in()
    lang = i18n.current()
    if scheme is None:
        return render_template("department_home.html", scheme=None, rows=[], department_desk=True)
    own = desk_layouts(scheme, who["subject"])
    sheets = desk().listed(scheme.code, sheet_periods(scheme, own), department_token()) if own else []
    return render_template("department_home.html", scheme=scheme, rows=listing_rows(scheme, sheets, lang),
                           layouts=own, department_desk=True,
                           department_label=i18n.name_of(lang, own[0].department_name) if own else who["subject"], sheet_endpoint="portal.department_sheet", show_department=False,
                           scheme_name=i18n.name_of(lang, scheme.scheme_name()),
                           own_unit=_own_unit_name(scheme, who, lang),
                           messages=get_flashed_messages(with_categories=True))


def _own_unit_name(scheme: data.Scheme, who: dict, lang: str) -> str:
    """The name of the unit a `department` token stands for (its subject is a unit id), or ''."""
    unit = scheme.unit(who.get("subject", "")) if who.get("role") == "department" else None
    return i18n.name_of(lang, unit.get("name")) or unit["id"] if unit else ""


def _layout_or_404(scheme: data.Scheme, indicator: str):
    layout = desk().layout(scheme.document, indicator)
    if layout is None or layout.department != signed_in().get("subject"):
        abort(404)
    return layout


def sheet_cards(layout, rows: list[dict], lang: str, typed: dict | None = None, problems: dict | None = None) -> list[dict]:
    """One card per unit: its items with max, rule, the points, basis and evidence (as typed, when given) and problems."""
    given = {(r["unit_id"], r["item"]): r for r in rows}
    typed, problems = typed or {}, problems or {}
    cards = []
    for u, (unit_id, names) in enumerate(layout.units):
        items, subtotal, complete = [], 0.0, True
        for i, item in enumerate(layout.items):
            row = given.get((unit_id, item.code))
            shown = typed.get((unit_id, item.code))
            if shown is None:
                shown = {"points": _points_text(row["points"]) if row else "", "basis": row.get("basis", "") if row else "",
                         "evidence_ref": row.get("evidence_ref", "") if row else ""}
            if row:
                subtotal += float(row["points"])
            else:
                complete = False
            items.append({"u": u, "i": i, "code": item.code, "name": i18n.name_of(lang, item.name) or item.code,
                          "max": item.max_points, "rule": i18n.name_of(lang, item.rule), **shown,
                          "problems": {f: problems[(unit_id, item.code, f)] for f in ("points", "basis", "evidence_ref")
                                       if (unit_id, item.code, f) in problems}})
        cards.append({"id": unit_id, "name": i18n.name_of(lang, names) or unit_id, "items": items,
                      "subtotal": subtotal if rows else None, "complete": complete})
    return cards


def _points_text(value) -> str:
    value = float(value)
    return f"{value:g}"


def render_sheet(scheme: data.Scheme, layout, period: str, sheet: dict, *, typed=None, cell_problems=None,
                 general=(), upload_rows=(), status: int = 200, confirm: bool = False):
    lang = i18n.current()
    who = signed_in()
    state = sheet.get("state", "not_started")
    cards = sheet_cards(layout, sheet.get("rows", []), lang, typed, cell_problems)
    unplaced = [m for key, m in (cell_problems or {}).items()
                if not any(key[0] == c["id"] for c in cards)]
    filled = sum(1 for c in cards for it in c["items"] if it["points"] != "")
    context = dict(
        scheme=scheme, layout=layout, period=period, sheet=sheet, state=state, cards=cards, department_desk=True,
        indicator_name=i18n.name_of(lang, layout.name) or layout.indicator,
        department_name=i18n.name_of(lang, layout.department_name) or layout.department,
        period_text=i18n.period_label(lang, period), role=who.get("role"),
        editable=state in EDITABLE and who.get("role") == "department",
        signable=state == "draft" and who.get("role") == "department_head",
        frozen=state in FROZEN, general=list(general) + unplaced, upload_rows=list(upload_rows),
        filled=filled, total=len(layout.units) * len(layout.items),
        digest=desk().draft_digest(sheet) if state == "draft" else sheet.get("digest", ""),
        confirm=confirm, formats=FORMATS, max_total=layout.max_total,
        history=list(reversed(sheet.get("history", []))),
        messages=get_flashed_messages(with_categories=True))
    return make_response(render_template("department_sheet.html", **context), status)


def _opened(indicator: str, period: str):
    scheme = current_scheme()
    if scheme is None:
        abort(404)
    layout = _layout_or_404(scheme, indicator)
    sheet = desk().get(scheme.code, indicator, period, department_token())
    return scheme, layout, sheet


def _sheet_url(scheme, indicator, period, **extra):
    return url_for("portal.department_sheet", indicator=indicator, period=period, scheme=scheme.code, **extra)


@portal.get("/department/sheets/<indicator>/<period>")
@department_required
def department_sheet(indicator: str, period: str):
    scheme, layout, sheet = _opened(indicator, period)
    return render_sheet(scheme, layout, period, sheet, confirm=request.args.get("confirm") == "1"
                        and sheet.get("state") == "draft" and signed_in().get("role") == "department_head")


@portal.post("/department/sheets/<indicator>/<period>/save")
@department_required
def department_save(indicator: str, period: str):
    check_csrf()
    scheme, layout, sheet = _opened(indicator, period)
    try:
        saved = desk().save_form(scheme.code, layout, period, request.form, department_token())
    except SheetRefused as refused:
        general = list(refused.general)
        if refused.cells and not general:
            general = [gettext("Nothing was saved: correct the inputs marked below.")]
        elif general:
            general = [gettext("Nothing was saved: %(message)s", message="; ".join(general))]
        return render_sheet(scheme, layout, period, sheet, typed=refused.typed, cell_problems=refused.cells,
                            general=general, status=400)
    flash(gettext("Draft saved (version %(version)s): %(num)s of %(total)s scores filled in.",
                  version=saved.get("version"), num=len(saved.get("rows", [])),
                  total=len(layout.units) * len(layout.items)), "ok")
    return redirect(_sheet_url(scheme, indicator, period))


@portal.post("/department/sheets/<indicator>/<period>/sign")
@department_required
def department_sign(indicator: str, period: str):
    check_csrf()
    scheme, layout, sheet = _opened(indicator, period)
    if request.form.get("confirm") != "yes":
        return redirect(_sheet_url(scheme, indicator, period, confirm=1))
    try:
        signed = desk().submit(scheme.code, indicator, period, request.form.get("digest", ""), department_token())
    except SheetRefused as refused:
        return render_sheet(scheme, layout, period, sheet, status=400, general=[
            gettext("The sheet was not signed: %(message)s", message="; ".join(refused.general))])
    flash(gettext("Signed by %(name)s at %(at)s. Digest %(digest)s. The sheet is now frozen and goes to the "
                  "evaluation office for review.", name=signed.get("signed_by"),
                  at=local_time(signed.get("signed_at") or ""), digest=signed.get("digest")), "ok")
    return redirect(_sheet_url(scheme, indicator, period))


@portal.post("/department/sheets/<indicator>/<period>/correction")
@department_required
def department_correction(indicator: str, period: str):
    check_csrf()
    scheme, layout, sheet = _opened(indicator, period)
    reason = request.form.get("reason", "").strip()
    if not reason:
        return render_sheet(scheme, layout, period, sheet, status=400,
                            general=[gettext("Give the reason for the correction.")])
    try:
        desk().request_correction(scheme.code, indicator, period, reason, department_token())
    except SheetRefused as refused:
        return render_sheet(scheme, layout, period, sheet, status=400, general=[
            gettext("The correction was not requested: %(message)s", message="; ".join(refused.general))])
    flash(gettext("Correction requested. The evaluation office decides it; if it approves, the sheet opens "
                  "again as a new version and the signed one is kept."), "ok")
    return redirect(_sheet_url(scheme, indicator, period))


@portal.get("/department/sheets/<indicator>/<period>/sheet.<file_format>")
@department_required
def department_download(indicator: str, period: str, file_format: str):
    if file_format not in FORMATS:
        abort(404)
    scheme = current_scheme()
    if scheme is None:
        abort(404)
    layout = _layout_or_404(scheme, indicator)
    lang = i18n.current()
    content = desk().export(scheme.code, layout, period, file_format, department_token(),
                            lambda names: i18n.name_of(lang, names))
    response = make_response(content)
    response.headers["Content-Type"] = MIMETYPES[file_format]
    response.headers["Content-Disposition"] = f'attachment; filename="{indicator}-{period}.{file_format}"'
    return response


@portal.post("/department/sheets/<indicator>/<period>/upload")
@department_required
def department_upload(indicator: str, period: str):
    check_csrf()
    scheme, layout, sheet = _opened(indicator, period)
    content, file_format, problem = posted_spreadsheet(MAX_UPLOAD_BYTES)
    if not problem:
        try:
            saved = desk().upload(scheme.code, layout, period, content, file_format, department_token())
        except SheetRefused as refused:
            general = [gettext("Nothing was saved: %(message)s", message="; ".join(refused.general))
                       ] if refused.general or refused.cells else []
            if refused.cells:
                general.append("; ".join(problem_text(m) for m in refused.cells.values()))
            rows = refused.rows
            if rows:
                general.insert(0, gettext("The upload was refused and nothing was saved: correct the rows "
                                          "listed and upload the file again."))
            return render_sheet(scheme, layout, period, sheet, general=general, upload_rows=rows, status=400)
        flash(gettext("Upload saved as the draft (version %(version)s): %(num)s of %(total)s scores filled in.",
                      version=saved.get("version"), num=len(saved.get("rows", [])),
                      total=len(layout.units) * len(layout.items)), "ok")
        return redirect(_sheet_url(scheme, indicator, period))
    return render_sheet(scheme, layout, period, sheet, general=[problem], status=400)
