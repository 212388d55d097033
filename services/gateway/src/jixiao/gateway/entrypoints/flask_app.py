"""The Flask application: the /api/v1 blueprints and the portal, bearer tokens
checked before every API request, the portal's sessions, the HTTP caching of
the API and its JSON error answers. bootstrap.py builds what the views use
and hands it in (entrypoints/wiring.py)."""
from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, jsonify, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge

from jixiao.common import telemetry

from ..adapters.backend_errors import BackendError
from ..config import DEFAULT_PORTAL_TIMEZONE
from . import access, http_cache, openapi, wiring
from .api_assessment import assessment
from .api_ballots import ballots
from .api_office import office
from .api_reads import api
from .api_self_assessment import self_assessment
from .api_sheets import sheets
from .api_simulation import simulation
from .api_uploads import MAX_UPLOAD_BYTES, uploads
from .http_errors import REFUSALS, ApiError, from_backend, from_refusal
from .portal import configure_sessions, configure_translations, portal

log = logging.getLogger("jixiao.gateway")
API_BLUEPRINTS = (api, office, sheets, self_assessment, assessment, ballots, simulation, uploads, openapi.blueprint)
PACKAGE = Path(__file__).resolve().parents[1]  # jixiao/gateway/


def create_app(wired: wiring.Wiring, *, portal_secret_key: str, service_token: str,
               portal_timezone: str = DEFAULT_PORTAL_TIMEZONE,
               response_cache: http_cache.ResponseCache | None = None) -> Flask:
    # named as before the factory moved here (its logger's name); static/ is the package's
    app = Flask("jixiao.gateway.app", root_path=str(PACKAGE))
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD_BYTES
    wiring.install(app, wired)
    http_cache.install(app, response_cache or http_cache.ResponseCache())
    app.before_request(_authenticate)
    for blueprint in API_BLUEPRINTS:
        app.register_blueprint(blueprint)
    configure_sessions(app, portal_secret_key, service_token)
    app.config["JIXIAO_PORTAL_TIMEZONE"] = portal_timezone
    configure_translations(app)
    app.register_blueprint(portal)
    app.session_interface = _PortalSessionsOnly()
    app.register_error_handler(HTTPException, _json_error)
    app.register_error_handler(BackendError, _backend_error)
    for refusal in REFUSALS:
        app.register_error_handler(refusal, _refused)
    app.register_error_handler(Exception, _unexpected)
    telemetry.instrument_wsgi(app)  # request spans and durations; nothing when telemetry is off
    return app


class _PortalSessionsOnly(SecureCookieSessionInterface):
    """The portal's signed-cookie sessions; the JSON API is stateless (bearer
    tokens) and neither reads nor writes the cookie."""

    def open_session(self, app: Flask, request):
        if request.path.startswith(http_cache.API_PREFIX):
            return None  # Flask then uses a null session and saves nothing
        return super().open_session(app, request)


def _authenticate() -> None:
    """An unknown or malformed bearer token is 401 on every API endpoint."""
    if request.path.startswith(http_cache.API_PREFIX):
        access.caller()


def _json_error(error: HTTPException):
    if isinstance(error, ApiError):
        code, message, extra = error.error_code, error.message, error.extra
    elif isinstance(error, RequestEntityTooLarge):
        limit = request.max_content_length or MAX_UPLOAD_BYTES  # a route may allow more (a work report)
        code, message, extra = "payload_too_large", f"the body is larger than {limit // (1024 * 1024)} MiB; split the upload", {}
    else:
        code, message, extra = (error.name or "error").lower().replace(" ", "_"), error.description, {}
    response = jsonify(error={"code": code, "message": message}, **extra)
    response.status_code = error.code or 500
    if getattr(error, "retry_after", None):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def _backend_error(error: BackendError):
    """What a backend refused or failed to do, as the API answers it (the portal answers it with a page)."""
    return _json_error(from_backend(error))


def _refused(error: Exception):
    """What the service layer refused (a period not published, an upload's rows)."""
    return _json_error(from_refusal(error))


def _unexpected(error: Exception):
    log.exception("unexpected error answering %s %s", request.method, request.path)
    if not request.path.startswith(http_cache.API_PREFIX):
        return InternalServerError(original_exception=error)
    response = jsonify(error={"code": "internal", "message": "internal error; see the gateway log"})
    response.status_code = 500
    return response
