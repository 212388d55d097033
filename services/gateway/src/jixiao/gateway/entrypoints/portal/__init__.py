"""The portal: public result pages (published periods only) and the
evaluation office's desk (every period, review actions), Chinese first with
English on request. See docs/portal.md.

- `public.py`: `/`, `/units/<id>`, `/progress`, `/bulletin` (published periods only)
- `office_desk.py`: `/office/…` behind the office's sign-in
- `scheme_desk.py`: `/office/schemes/…`, the office edits, compares and publishes a scheme's draft
- `department_desk.py`: `/department/…`, a responsible department fills, uploads and signs its score sheets
- `sheet_review.py`: `/office/sheets…`, the office reviews the score sheets and decides corrections
- `assessor_desk.py`: `/assessor/…`, an assessor scores on site the units of their assessment team
- `assessment_office.py`: `/office/assessments…`, the office's teams, roster, closings and leniency
- `self_assessment_pages.py`: `/department/self-evaluation` (a unit's self-evaluation and work reports),
  `/office/self-evaluations` and the reports' downloads
- `voting.py`: `/vote`, a rater votes once with a ballot code (民主测评), no account
- `ballot_desk.py`: `/office/ballots…`, the office issues and voids codes, follows turnout, counts ballots
- `simulation_desk.py`: `/office/simulation`, the office's what-if simulation (模拟测算) and its record;
  `simulation_views.py`: what that page shows
- `pages.py`: what those pages show; `data.py`: the backend calls;
  `charts.py`: the SVG charts; `i18n.py`: the two languages (the UI's words are gettext
  messages, translated by the catalogues in jixiao/gateway/translations/)

Which periods a page may show, and their states, come from the service layer
(service_layer/period_access.py), as for the JSON API.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, current_app, redirect, render_template, request, url_for
from flask_babel import gettext

from ...adapters.backend_errors import BackendError, Unimplemented
from ...domain.review_states import STATES
from ..http_errors import RETRY_AFTER_SECONDS, from_backend
from . import i18n

log = logging.getLogger("jixiao.gateway.portal")

SECRET_KEY_SETTING = "JIXIAO_PORTAL_SECRET_KEY"
SESSION_HOURS = 8

portal = Blueprint("portal", __name__, template_folder="../templates")


def configure_sessions(app: Flask, secret_key: str, service_token: str) -> None:
    """The office's session is a signed cookie. Its key is `secret_key` (JIXIAO_PORTAL_SECRET_KEY), or
    else derived from the gateway's service token (JIXIAO_SERVICE_TOKEN), so that every
    gunicorn worker and every replica agrees on it without another setting; with neither,
    a key generated at start (sign-ins then last until the gateway restarts)."""
    if app.secret_key:
        return
    key = secret_key.strip()
    if not key:
        service_token = service_token.strip()
        if service_token:
            key = hmac.new(service_token.encode(), b"jixiao portal session key v1", hashlib.sha256).hexdigest()
        else:
            key = secrets.token_hex(32)
            log.info("neither %s nor JIXIAO_SERVICE_TOKEN is set; generated a session key for this process "
                     "(office sign-ins last until the gateway restarts)", SECRET_KEY_SETTING)
    app.secret_key = key
    app.config.update(
        SESSION_COOKIE_NAME="jixiao_office",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
    )


def configure_translations(app: Flask) -> None:
    """The portal's words in the page's language: Flask-Babel with the catalogues of
    jixiao/gateway/translations/ (docs/portal.md#translations)."""
    i18n.configure_translations(app)


@portal.app_template_filter("num")
def _num(value, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


@portal.app_template_filter("filesize")
def _filesize(size: int) -> str:
    """A file's size for people: bytes below 1 KiB, KiB below 1 MiB, MiB above."""
    if size < 1024:
        return f"{size} B"
    return f"{size / 1024:.0f} KiB" if size < 1024 * 1024 else f"{size / (1024 * 1024):.1f} MiB"


@portal.app_template_filter("when")
def local_time(value: str) -> str:
    """A time scoring recorded in UTC ('2026-11-21T11:35:22Z') in the portal's time zone
    (JIXIAO_PORTAL_TIMEZONE): '2026-11-21 19:35 北京时间' / 'Beijing time'; other zones by name."""
    if not value or "T" not in value:
        return value
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    zone = current_app.config.get("JIXIAO_PORTAL_TIMEZONE", "Asia/Shanghai")
    label = gettext("Beijing time") if zone == "Asia/Shanghai" else zone
    return f"{moment.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M} {label}"


@portal.app_template_filter("pct")
def _pct(value, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


@portal.context_processor
def _language():
    lang = i18n.current()
    other = i18n.other(lang)
    switch_name, switch_label = i18n.switch_texts(other)
    return {
        "lang": lang, "html_lang": i18n.LANGS[lang], "other_lang": other,
        "other_html_lang": i18n.LANGS[other],
        "period_label": lambda text: i18n.period_label(lang, text),
        "state_label": i18n.state_label, "action_label": i18n.action_label, "finding_label": i18n.finding_label,
        # a state in the pages' markup (data-state, CSS classes) is named as in the .proto: PUBLISHED
        "state_mark": lambda state: state.upper() if state in STATES else "",
        "switch_url": url_for("portal.language", code=other, next=_here()),
        "switch_name": switch_name, "switch_label": switch_label,
    }


def _here() -> str:
    """The current page's path and query, without ?lang=."""
    query = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "lang"])
    return request.path + (f"?{query}" if query else "")


@portal.after_request
def _remember_language(response):
    asked = request.args.get("lang", "")
    if asked in i18n.LANGS and request.cookies.get(i18n.COOKIE) != asked:
        response.set_cookie(i18n.COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


@portal.get("/lang/<code>")
def language(code: str):
    """The language toggle: remembers the choice in a cookie and goes back to the page."""
    target = request.args.get("next", "/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/"):
        target = "/"  # only pages of this site
    response = redirect(target)
    if code in i18n.LANGS:
        response.set_cookie(i18n.COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def error_message(key: str) -> str:
    """The heading of an error page: not_found, not_published, unavailable, session_expired."""
    messages = {"not_found": gettext("Page not found."),
                "not_published": gettext("The results of this period have not been published."),
                "unavailable": gettext("The service is unavailable; please try again shortly."),
                "session_expired": gettext("The page expired; please try again.")}
    return messages[key]


def render_error(status: int, message_key: str, detail: str = ""):
    return render_template("portal_error.html", message=error_message(message_key), detail=detail), status


@portal.errorhandler(BackendError)
def _backend_error(error: BackendError):
    if isinstance(error, Unimplemented):
        return render_error(501, "unavailable", f"{error.method} is not implemented by the scoring service yet")
    status = from_backend(error).code
    if status == 404:
        return render_error(404, "not_found", error.message)
    if status == 503:
        page, status = render_error(503, "unavailable", error.message)
        return page, status, {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return render_error(status, "unavailable", error.message)


from . import (  # noqa: E402,F401  (routes register on the blueprint)
    assessment_office,
    assessor_desk,
    ballot_desk,
    department_desk,
    office_desk,
    public,
    scheme_desk,
    self_assessment_pages,
    sheet_review,
    simulation_desk,
    voting,
)
