"""The assessors' desk, /assessor (docs/assessment-teams.md, docs/portal.md): an assessor (考评员,
role `assessor`) signs in with their token on a phone and sees only the units their team is
assigned to in open periods whose roster the office locked; a unit is one card per item (its
maximum and rule, the points and a basis), saved as a draft, then submitted after a
confirmation showing the total — frozen for them from then on. Every step goes to scoring with
the signed-in token (service_layer/assessment_rounds.py); a refusal is said next to its input
or at the top, with what was typed kept."""
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

from ...adapters.backend_errors import FailedPrecondition, InvalidArgument, PermissionDenied
from ...adapters.scoring_assessment import ScoringAssessment
from ...service_layer.assessment_rounds import AssessmentDesk, ScoresRefused
from .. import wiring
from . import data, i18n, portal
from .office_desk import _token_book, check_csrf
from .sign_in import sign_in_form, sign_in_required

ROLE = "assessor"
KEY = "assessor"


def desk() -> AssessmentDesk:
    return AssessmentDesk(ScoringAssessment(wiring.backends()))


def signed_in() -> dict:
    return session.get(KEY) or {}


def assessor_token() -> str | None:
    return signed_in().get("token")


def _principal(token: str):
    book = _token_book()
    if book is None:
        return None, gettext("The gateway has no tokens file (JIXIAO_TOKENS_FILE); sign-in is not possible.")
    principal = book.principal(token)
    if principal is None:
        return None, gettext("The token is unknown.")
    if principal.role != ROLE:
        return None, gettext("This token is not an assessor's: it is a %(role)s token. Sign in with your own "
                             "assessor token.", role=principal.role)
    return principal, ""


def assessor_required(view):
    """The view needs a signed-in assessor whose token is still in the tokens file."""
    return sign_in_required(KEY, "portal.assessor_login", _principal)(view)


@portal.context_processor
def _assessor_labels():
    return {"assessor_who": signed_in(), "entry_state_label": entry_state_label}


def entry_state_label(state: str) -> str:
    labels = {"not_started": gettext("Not started"), "draft": gettext("Draft saved"),
              "submitted": gettext("Submitted")}
    return labels.get(state, state)


@portal.route("/assessor/login", methods=["GET", "POST"])
def assessor_login():
    def remember(token, principal):
        session[KEY] = {"token": token, "name": principal.name or principal.subject, "subject": principal.subject}

    return sign_in_form(prefix="/assessor", home="portal.assessor_home", template="assessor_login.html",
                        principal_of=_principal, unknown=gettext("The token is unknown."), remember=remember,
                        assessor_desk=True)


@portal.post("/assessor/logout")
def assessor_logout():
    check_csrf()
    session.pop(KEY, None)
    return redirect(url_for("portal.assessor_login"))


def current_scheme() -> data.Scheme | None:
    schemes = data.published_schemes()
    if not schemes:
        return None
    asked = request.values.get("scheme", "")
    summary = next((s for s in schemes if s["code"] == asked), None) if asked else schemes[0]
    if summary is None:
        abort(404)
    return data.load_scheme(summary)


@portal.get("/assessor/")
@assessor_required
def assessor_home():
    scheme = current_scheme()
    lang = i18n.current()
    rounds = []
    if scheme is not None:
        for found in desk().mine(scheme.code, "", assessor_token()):
            rounds.append({**found, "indicator_name": i18n.pick(lang, found["indicator_name_zh"],
                                                                found["indicator_name_en"]),
                           "period_text": i18n.period_label(lang, found["period"]),
                           "units": [{**u, "name": i18n.pick(lang, u["unit_name_zh"], u["unit_name_en"])}
                                     for u in found["units"]]})
    return render_template("assessor_home.html", scheme=scheme, rounds=rounds, assessor_desk=True,
                           messages=get_flashed_messages(with_categories=True))


def _items(scores: dict, lang: str, typed: dict | None = None, problems: dict | None = None) -> list[dict]:
    given = {r["item"]: r for r in scores.get("rows", [])}
    typed, problems = typed or {}, problems or {}
    shown = []
    for item in scores.get("items", []):
        row = given.get(item["code"])
        value = typed.get(item["code"]) or {"points": f"{row['points']:g}" if row else "",
                                             "basis": row.get("basis", "") if row else ""}
        shown.append({**item, **value, "name": i18n.pick(lang, item["name_zh"], item["name_en"]),
                      "rule": i18n.pick(lang, item["rule_zh"], item["rule_en"]),
                      "problem": _problem_text(problems.get(item["code"]))})
    return shown


def _problem_text(problem) -> str:
    if problem is None:
        return ""
    kind, p = problem
    shown = {k: (f"{v:,}" if k == "limit" else f"{v:g}") for k, v in p.items() if k in ("points", "max", "limit")}
    if kind == "not_a_number":
        return gettext("%(text)s is not a number.", text=p["text"])
    if kind == "out_of_range":
        return gettext("%(points)s is outside 0 to %(max)s.", points=shown["points"], max=shown["max"])
    if kind == "too_long":
        return gettext("At most %(limit)s characters.", limit=shown["limit"])
    return str(problem)


def render_unit(scheme: data.Scheme, indicator: str, period: str, unit_id: str, scores: dict, *, typed=None,
                problems=None, general=(), status: int = 200, confirm: bool = False):
    lang = i18n.current()
    items = _items(scores, lang, typed, problems)
    context = dict(
        scheme=scheme, indicator=indicator, period=period, unit_id=unit_id, scores=scores, items=items,
        state=scores.get("state", "not_started"), assessor_desk=True, confirm=confirm, general=list(general),
        unit_name=i18n.pick(lang, scores.get("unit_name_zh", ""), scores.get("unit_name_en", "")) or unit_id,
        indicator_name=i18n.pick(lang, scores.get("indicator_name_zh", ""), scores.get("indicator_name_en", "")),
        period_text=i18n.period_label(lang, period), filled=sum(1 for i in items if i["points"] != ""),
        max_total=sum(float(i["max_points"]) for i in items),
        messages=get_flashed_messages(with_categories=True))
    return make_response(render_template("assessor_unit.html", **context), status)


def _scheme_or_404() -> data.Scheme:
    scheme = current_scheme()
    if scheme is None:
        abort(404)
    return scheme


def _refusal(scheme, indicator, period, unit_id, error) -> tuple:
    """A page for scoring's refusal: 403 for a unit not of the assessor's team, 409 for a frozen entry, the
    roster not locked or the period closed, 400 for a bad input (said at the top)."""
    if isinstance(error, PermissionDenied):
        abort(403, description=error.message)
    scores = desk().scores(scheme.code, indicator, period, unit_id, assessor_token())
    return scores, 409 if isinstance(error, FailedPrecondition) else 400


@portal.get("/assessor/<indicator>/<period>/<unit_id>")
@assessor_required
def assessor_unit(indicator: str, period: str, unit_id: str):
    scheme = _scheme_or_404()
    try:
        scores = desk().scores(scheme.code, indicator, period, unit_id, assessor_token())
    except PermissionDenied as error:
        abort(403, description=error.message)
    except (InvalidArgument, FailedPrecondition) as error:
        flash(error.message, "error")
        return redirect(url_for("portal.assessor_home"))
    return render_unit(scheme, indicator, period, unit_id, scores)


@portal.post("/assessor/<indicator>/<period>/<unit_id>")
@assessor_required
def assessor_save(indicator: str, period: str, unit_id: str):
    """Saves the form as the draft; with action=submit, then asks to confirm the submission."""
    check_csrf()
    scheme = _scheme_or_404()
    token = assessor_token()
    try:
        current = desk().scores(scheme.code, indicator, period, unit_id, token)
        saved = desk().save_form(scheme.code, indicator, period, unit_id, current.get("items", []), request.form, token)
    except ScoresRefused as refused:
        return render_unit(scheme, indicator, period, unit_id, current, typed=refused.typed, problems=refused.items,
                           general=[gettext("Nothing was saved: correct the scores marked below.")], status=400)
    except (InvalidArgument, FailedPrecondition, PermissionDenied) as error:
        scores, status = _refusal(scheme, indicator, period, unit_id, error)
        return render_unit(scheme, indicator, period, unit_id, scores, general=[error.message], status=status)
    if request.form.get("action") == "submit":
        return render_unit(scheme, indicator, period, unit_id, saved, confirm=True)
    flash(gettext("Draft saved."), "ok")
    return redirect(url_for("portal.assessor_unit", indicator=indicator, period=period, unit_id=unit_id))


@portal.post("/assessor/<indicator>/<period>/<unit_id>/submit")
@assessor_required
def assessor_submit(indicator: str, period: str, unit_id: str):
    check_csrf()
    scheme = _scheme_or_404()
    try:
        desk().submit(scheme.code, indicator, period, unit_id, assessor_token())
    except (InvalidArgument, FailedPrecondition, PermissionDenied) as error:
        scores, status = _refusal(scheme, indicator, period, unit_id, error)
        return render_unit(scheme, indicator, period, unit_id, scores, general=[error.message], status=status)
    flash(gettext("Your scores are submitted; they can no longer be changed."), "ok")
    return redirect(url_for("portal.assessor_unit", indicator=indicator, period=period, unit_id=unit_id))
