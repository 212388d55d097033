"""The Flask application factory."""
from __future__ import annotations

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from .adapters.backends import ApiError, Backends
from .config import GatewayConfig
from .entrypoints.api import api
from .entrypoints.portal import portal


def create_app(config: GatewayConfig, backends: Backends | None = None) -> Flask:
    app = Flask(__name__)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["jixiao.backends"] = backends or Backends(
        config.scoring_address, config.registry_address, config.deadline_seconds, config.service_token
    )
    app.register_blueprint(api)
    app.register_blueprint(portal)
    app.register_error_handler(HTTPException, _json_error)
    return app


def _json_error(error: HTTPException):
    if isinstance(error, ApiError):
        code, message = error.error_code, error.message
    else:
        code, message = (error.name or "error").lower().replace(" ", "_"), error.description
    response = jsonify(error={"code": code, "message": message})
    response.status_code = error.code or 500
    if getattr(error, "retry_after", None):
        response.headers["Retry-After"] = str(error.retry_after)
    return response
