"""The evaluation office's desk, /office: sign-in with the office token, every
period with its review state and its missing figures (缺报), previews of
unpublished results and bulletins, the lock / approve / publish / reopen
actions, the ties at grade boundaries (并列) the office resolves with a
reason, and the anomaly checks' findings (疑点) it marks after checking them,
which scoring performs and checks with the office's own token (gRPC
`authorization: Bearer …`). A publication refused for open high-severity
findings is offered again with a reason to override."""
from __future__ import annotations

import hmac
import re
import secrets

from flask import (
    abort,
    current_app,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext, ngettext

from jixiao.common.auth import TokenBook
from jixiao_sdk.periods import PeriodError, parse_period

from ...adapters.backend_errors import (
    AlreadyExists,
    BackendError,
    FailedPrecondition,
    Unauthenticated,
    Unimplemented,
)
from ...adapters.scoring_periods import ACTIONS
from ...domain.review_states import APPROVED, LOCKED, OPEN, PUBLISHED
from ...service_layer.period_access import Viewer
from .. import wiring
from . import data, i18n, pages, portal, render_error
from .public import render_bulletin, render_person, render_progress, render_unit
from .publication_preview import what_becomes_public
from .sign_in import sign_in_form, sign_in_required

FINDING_MARKS = ("confirmed", "explained", "false_alarm")
_REFUSED_FOR_FINDINGS = re.compile(r"has (\d+) open high-severity findings? ")
NEXT_ACTIONS = {OPEN: ("lock",), LOCKED: ("recheck", "approve", "reopen"), APPROVED: ("recheck", "publish", "reopen"),
                PUBLISHED: ("recheck",)}


class _Everything:
    """The office may compare with any period."""

    def __contains__(self, item) -> bool:
        return True


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def check_csrf() -> None:
    sent = request.form.get("csrf", "")
    if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
        abort(400, description="session_expired")


@portal.context_processor
def _csrf():
    return {"csrf_token": csrf_token, "office_name": (session.get("office") or {}).get("name", "")}


def office_token() -> str | None:
    return (session.get("office") or {}).get("token")


def office_viewer() -> Viewer:
    """The signed-in office, reading every period with its own token."""
    return Viewer(office=True, token=office_token())


def office_required(view):
    """The view needs a signed-in office: its token, still an office token in the tokens file, on every request."""
    return sign_in_required("office", "portal.office_login", _principal)(view)


def _token_book() -> TokenBook | None:
    """The gateway's accepted tokens (JIXIAO_TOKENS_FILE, read by GatewayConfig)."""
    wired = current_app.extensions.get(wiring.EXTENSION)
    return wired.tokens if wired is not None and isinstance(wired.tokens, TokenBook) else None


def _principal(token: str):
    """(principal, problem): the office principal the token names, or why there is none."""
    book = _token_book()
    if book is None:
        return None, gettext("The gateway has no tokens file (JIXIAO_TOKENS_FILE); sign-in is not possible.")
    principal = book.principal(token)
    if principal is None or principal.role != "office":
        return None, _login_failed()
    return principal, ""


def _login_failed() -> str:
    return gettext("The token is unknown or is not an evaluation office token.")


@portal.route("/office/login", methods=["GET", "POST"])
def office_login():
    def remember(token, principal):
        session.clear()
        session["office"] = {"token": token, "name": principal.name or "office"}

    return sign_in_form(prefix="/office", home="portal.office_home", template="office_login.html",
                        principal_of=_principal, unknown=_login_failed(), remember=remember)


@portal.post("/office/logout")
def office_logout():
    check_csrf()
    session.clear()
    return redirect(url_for("portal.home"))


def _office_scheme() -> data.Scheme | None:
    schemes = data.published_schemes()
    if not schemes:
        return None
    asked = request.values.get("scheme", "")
    summary = next((s for s in schemes if s["code"] == asked), None) if asked else schemes[0]
    if summary is None:
        abort(404)
    return data.load_scheme(summary)


def _periods(scheme: data.Scheme) -> tuple[list[dict], bool]:
    """Every period with its state, newest first; (the scheme year's periods without states, True)
    while scoring cannot list them."""
    try:
        return data.newest_period_first(scheme, data.listed_periods(scheme.code, office_viewer())), False
    except Unimplemented:
        return [{"period": p, "state": ""} for p in data.year_periods(scheme.year)], True


@portal.get("/office/")
@office_required
def office_home():
    scheme = _office_scheme()
    if scheme is None:
        return render_template("home.html", scheme=None, periods=[], period="", office=True)
    periods, unimplemented = _periods(scheme)
    override = request.args.get("override", "")
    rows = []
    for p in periods:
        state = p["state"]
        rows.append({**p, "actions": () if unimplemented else NEXT_ACTIONS.get(state, ()),
                     "graded": bool(scheme.rules_grading(p["period"])),
                     "ties": _pending_ties(scheme, p["period"]) if state != PUBLISHED and not unimplemented else 0,
                     "gaps": None if unimplemented else _gap_count(scheme, p["period"]),
                     "findings": None if unimplemented else _finding_counts(scheme, p["period"]),
                     "override": p["period"] == override and state == APPROVED})
    lang = i18n.current()
    return render_template("office_periods.html", scheme=scheme, rows=rows, unimplemented=unimplemented, office=True,
                           scheme_name=i18n.name_of(lang, scheme.scheme_name()),
                           messages=get_flashed_messages(with_categories=True))


def _preview_context(scheme: data.Scheme) -> tuple[list[str], dict[str, str], str]:
    periods, _ = _periods(scheme)
    states = {p["period"]: p["state"] for p in periods}
    names = [p["period"] for p in periods]
    period = request.args.get("period", "") or (names[0] if names else str(scheme.year))
    try:
        parse_period(period)
    except PeriodError:
        abort(404)
    if period not in states:
        names.append(period)
        names.sort(key=data.period_sort_key)
    return names, states, period


def _period_page(template: str, scheme: data.Scheme, periods: list[str], states: dict[str, str], period: str,
                 **context) -> str:
    """An office page about one period of `scheme`: the period selector, the states, the scheme's name."""
    return render_template(template, scheme=scheme, periods=periods, period=period, states=states, office=True,
                           scheme_name=i18n.name_of(i18n.current(), scheme.scheme_name()), **context)


@portal.get("/office/results")
@office_required
def office_results():
    scheme = _office_scheme()
    if scheme is None:
        return redirect(url_for("portal.office_home"))
    periods, states, period = _preview_context(scheme)
    return _period_page("home.html", scheme, periods, states, period,
                        results=pages.results(i18n.current(), scheme, period, _Everything(), office_token()))


@portal.get("/office/units/<unit_id>")
@office_required
def office_unit(unit_id: str):
    scheme = _office_scheme()
    if scheme is None or scheme.unit(unit_id) is None:
        return render_error(404, "not_found")
    periods, states, period = _preview_context(scheme)
    from .self_assessment_pages import office_unit_reports  # it builds on this module

    return render_unit(scheme, periods, period, unit_id, office_token(), office=True, states=states,
                       reports=office_unit_reports(scheme, unit_id))


@portal.get("/office/persons/<person_id>")
@office_required
def office_person(person_id: str):
    scheme = _office_scheme()
    if scheme is None or not any(p["id"] == person_id for p in scheme.document.get("persons", [])):
        return render_error(404, "not_found")
    periods, states, period = _preview_context(scheme)
    from .self_assessment_pages import office_person_reports  # it builds on this module

    return render_person(scheme, periods, period, person_id, office_token(), office=True, states=states,
                         reports=office_person_reports(scheme, person_id))


@portal.get("/office/bulletin")
@office_required
def office_bulletin():
    scheme = _office_scheme()
    if scheme is None:
        return redirect(url_for("portal.office_home"))
    periods, states, period = _preview_context(scheme)
    return render_bulletin(scheme, periods, period, office_token(), office=True, states=states, visible=_Everything())


def _gap_count(scheme: data.Scheme, period: str) -> int | None:
    """How many expected figures of a period are missing (None when scoring cannot say)."""
    try:
        return int(data.completeness(scheme.code, period, office_token(), gaps=False).get("gap_count", 0))
    except BackendError:
        return None


@portal.get("/office/completeness")
@office_required
def office_completeness():
    """The missing figures (缺报) of a period: unit, metric, who reports it, the periods missing."""
    scheme = _office_scheme()
    if scheme is None:
        return redirect(url_for("portal.office_home"))
    periods, states, period = _preview_context(scheme)
    reply = data.completeness(scheme.code, period, office_token())
    return _period_page("office_completeness.html", scheme, periods, states, period, completeness=reply,
                        rows=pages.completeness_rows(i18n.current(), scheme, reply))


def _finding_counts(scheme: data.Scheme, period: str) -> dict | None:
    """Open findings (疑点) of medium or high severity about a period, and how many of them are
    high (those keep it from being published); None when scoring cannot say."""
    try:
        reply = data.findings(scheme.code, period, office_token(), state="open", min_severity="medium", entries=False)
    except BackendError:
        return None
    return {"open": int(reply.get("total_size", 0)), "high": int(reply.get("open_high", 0))}


@portal.get("/office/findings")
@office_required
def office_findings():
    """The anomaly checks' findings (疑点) about a period, each with a form to mark it after checking."""
    scheme = _office_scheme()
    if scheme is None:
        return redirect(url_for("portal.office_home"))
    periods, states, period = _preview_context(scheme)
    lang = i18n.current()
    reply = data.findings(scheme.code, period, office_token())
    return _period_page("office_findings.html", scheme, periods, states, period, findings=reply,
                        rows=pages.finding_rows(lang, scheme, reply), marks=FINDING_MARKS,
                        benford=pages.benford_rows(lang, scheme, reply),
                        messages=get_flashed_messages(with_categories=True))


@portal.post("/office/findings/<key>")
@office_required
def office_mark_finding(key: str):
    """Marks one finding: its state (confirmed, explained, false_alarm) and a comment."""
    check_csrf()
    scheme = _office_scheme()
    if scheme is None:
        abort(404)
    state = request.form.get("state", "")
    try:
        data.mark_finding(scheme.code, key, state, request.form.get("comment", "").strip(), office_token())
        flash(gettext("The finding is marked: %(state)s.", state=i18n.finding_label(state)), "ok")
    except Unimplemented:
        flash(_action_failed(_unimplemented()), "error")
    except BackendError as error:
        if isinstance(error, Unauthenticated):
            session.pop("office", None)
        flash(_action_failed(error.message), "error")
    period = request.form.get("period", "")
    return redirect(url_for("portal.office_findings", scheme=scheme.code, period=period or None))


@portal.get("/office/progress")
@office_required
def office_progress():
    scheme = _office_scheme()
    if scheme is None:
        return redirect(url_for("portal.office_home"))
    periods, states, period = _preview_context(scheme)
    return render_progress(scheme, periods, period, office_token(), office=True, states=states)


def _pending_ties(scheme: data.Scheme, period: str) -> int:
    """Unresolved ties at a grade boundary of a period the scheme grades (0 when scoring cannot say)."""
    if not scheme.rules_grading(period):
        return 0
    try:
        return pages.pending_ties(scheme, period, office_token())
    except BackendError:
        return 0


@portal.get("/office/ties")
@office_required
def office_ties():
    """The ties at grade boundaries (并列) of a period, each with a form to decide it with a reason."""
    scheme = _office_scheme()
    if scheme is None:
        return redirect(url_for("portal.office_home"))
    periods, states, period = _preview_context(scheme)
    return _period_page("office_ties.html", scheme, periods, states, period, published=states.get(period) == PUBLISHED,
                        blocks=pages.ties(i18n.current(), scheme, period, office_token()),
                        messages=get_flashed_messages(with_categories=True))


@portal.post("/office/ties/<period>/<grading_code>")
@office_required
def office_resolve_tie(period: str, grading_code: str):
    """Decides one tie: the grade chosen for each tied id, and the reason."""
    check_csrf()
    scheme = _office_scheme()
    if scheme is None:
        abort(404)
    lang = i18n.current()
    ids = [i for i in request.form.get("ids", "").split(",") if i]
    grades = {i: int(request.form.get(f"grade-{i}", "")) for i in ids if request.form.get(f"grade-{i}", "").isdigit()}
    rule = next((r for r in scheme.grading if r.get("code") == grading_code), {"code": grading_code})
    try:
        data.resolve_tie(scheme.code, grading_code, period, grades, request.form.get("reason", "").strip(), office_token())
        flash(gettext("The tie of %(rule)s is resolved.", rule=pages.rule_name(lang, scheme, rule)), "ok")
    except Unimplemented:
        flash(_action_failed(_unimplemented()), "error")
    except BackendError as error:
        if isinstance(error, Unauthenticated):
            session.pop("office", None)
        flash(_action_failed(error.message), "error")
    return redirect(url_for("portal.office_ties", scheme=scheme.code, period=period))


@portal.post("/office/periods/<period>/<action>")
@office_required
def office_period_action(period: str, action: str):
    check_csrf()
    if action not in ACTIONS and action != "recheck":
        abort(404)
    scheme = _office_scheme()
    if scheme is None:
        abort(404)
    lang = i18n.current()
    reason = request.form.get("reason", "").strip()
    override = request.form.get("override_findings_reason", "").strip() if action == "publish" else ""
    if action == "publish" and request.form.get("confirm") != "yes":
        # Publishing makes the results public: ask first, saying what becomes visible.
        return render_template("office_publish_confirm.html", scheme=scheme, period=period, override=override,
                               office=True, scheme_name=i18n.name_of(lang, scheme.scheme_name()),
                               public=what_becomes_public(lang, scheme, period, office_token()))
    label = i18n.period_label(lang, period)
    refused_for_findings = ""
    try:
        if action == "recheck":
            found = data.recheck(scheme.code, period, office_token())
            if found.get("identical"):
                flash(ngettext("%(period)s rechecked: %(num)d result recomputed from the stored events equals the one "
                               "stored at lock.",
                               "%(period)s rechecked: %(num)d results recomputed from the stored events equal those "
                               "stored at lock.", int(found.get("compared", 0)), period=label), "ok")
            else:
                flash(gettext("%(period)s recheck found differences: %(differences)s", period=label,
                              differences="; ".join(found.get("differences", [])[:5])), "error")
        else:
            wiring.periods().act(action, scheme.code, period, office_viewer(), reason, override)
            flash(i18n.action_done(action, label), "ok")
    except Unimplemented:
        flash(_action_failed(_unimplemented()), "error")
    except BackendError as error:
        if isinstance(error, Unauthenticated):  # the token was withdrawn: sign in again
            session.pop("office", None)
        found = (_REFUSED_FOR_FINDINGS.search(error.message)
                 if action == "publish" and isinstance(error, (FailedPrecondition, AlreadyExists)) else None)
        if found:  # open high-severity findings: say so, and offer the reason to publish anyway
            flash(ngettext("%(period)s was not published: %(num)d high-severity finding is still open. Review it "
                           "first, or give a reason to publish anyway.",
                           "%(period)s was not published: %(num)d high-severity findings are still open. Review "
                           "them first, or give a reason to publish anyway.", int(found.group(1)), period=label),
                  "error")
            refused_for_findings = period
        else:
            flash(_action_failed(error.message), "error")
    return redirect(url_for("portal.office_home", scheme=scheme.code, override=refused_for_findings or None))


def _action_failed(message: str) -> str:
    return gettext("The action did not complete: %(message)s", message=message)


def _unimplemented() -> str:
    return gettext("The scoring service does not implement this action yet.")


@portal.errorhandler(400)
def _bad_request(error):
    if getattr(error, "description", "") == "session_expired":
        return render_error(400, "session_expired")
    return render_error(400, "not_found", str(getattr(error, "description", "")))


@portal.errorhandler(404)
def _not_found(error):
    return render_error(404, "not_found")
