"""The Flask application factory."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge

from jixiao.common import telemetry

from .adapters.backends import ApiError, Backends
from .adapters.period_states import PeriodStates, PublishedSchemes
from .adapters.publisher import MetricsPublisher
from .config import GatewayConfig
from .entrypoints import access, http_cache, openapi
from .entrypoints.api import api
from .entrypoints.office import office
from .entrypoints.portal import portal
from .entrypoints.uploads import MAX_UPLOAD_BYTES, uploads

log = logging.getLogger("jixiao.gateway")
API_BLUEPRINTS = (api, office, uploads, openapi.blueprint)


def create_app(config: GatewayConfig, backends: Backends | None = None, *,
               response_cache: http_cache.ResponseCache | None = None) -> Flask:
    app = Flask(__name__)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD_BYTES
    backends = backends or Backends(config.scoring_address, config.registry_address, config.deadline_seconds,
                                    config.service_token, config.action_deadline_seconds)
    app.extensions["jixiao.backends"] = backends
    app.extensions["jixiao.tokens"] = config.tokens
    app.extensions["jixiao.period_states"] = PeriodStates(backends)
    app.extensions["jixiao.published_schemes"] = PublishedSchemes(backends)
    app.extensions["jixiao.publisher"] = MetricsPublisher(config.kafka_bootstrap, config.kafka_api_version,
                                                          config.metrics_topic, config.relay_key)
    if config.relay_key is None:
        log.warning("JIXIAO_RELAY_KEY_FILE is not set: uploads are refused (503), since scoring counts only signed "
                    "events; create a relay key with `jixiao keys create --source '*' -o FILE`")
    http_cache.install(app, response_cache or http_cache.ResponseCache())
    app.before_request(_authenticate)
    for blueprint in API_BLUEPRINTS:
        app.register_blueprint(blueprint)
    app.register_blueprint(portal)
    app.session_interface = _PortalSessionsOnly()
    app.register_error_handler(HTTPException, _json_error)
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


def close(app: Flask) -> None:
    """Releases the gRPC channels and the Kafka producer."""
    app.extensions["jixiao.publisher"].close()
    app.extensions["jixiao.backends"].close()


def _authenticate() -> None:
    """An unknown or malformed bearer token is 401 on every API endpoint."""
    if request.path.startswith(http_cache.API_PREFIX):
        access.caller()


def _json_error(error: HTTPException):
    if isinstance(error, ApiError):
        code, message, extra = error.error_code, error.message, error.extra
    elif isinstance(error, RequestEntityTooLarge):
        code, message, extra = "payload_too_large", f"the body is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MiB; split the upload", {}
    else:
        code, message, extra = (error.name or "error").lower().replace(" ", "_"), error.description, {}
    response = jsonify(error={"code": code, "message": message}, **extra)
    response.status_code = error.code or 500
    if getattr(error, "retry_after", None):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def _unexpected(error: Exception):
    log.exception("unexpected error answering %s %s", request.method, request.path)
    if not request.path.startswith(http_cache.API_PREFIX):
        return InternalServerError(original_exception=error)
    response = jsonify(error={"code": "internal", "message": "internal error; see the gateway log"})
    response.status_code = 500
    return response
