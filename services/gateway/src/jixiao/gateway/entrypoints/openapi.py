"""The OpenAPI document of /api/v1 (services/gateway/src/jixiao/gateway/openapi.yaml), served
as JSON at /api/v1/openapi.json. tests/e2e/gateway/test_openapi.py keeps it
true: every route is in it and every path in it is a route, and real
answers validate against its schemas."""
from __future__ import annotations

import functools
from pathlib import Path

from flask import Blueprint, jsonify

from jixiao.common import scheme_format, yaml_text

DOCUMENT = Path(__file__).resolve().parents[1] / "openapi.yaml"

blueprint = Blueprint("openapi", __name__, url_prefix="/api/v1")


@functools.cache
def document() -> dict:
    """openapi.yaml, with the scheme document's schema generated from the declared format."""
    spec = yaml_text.safe_load(DOCUMENT.read_text(encoding="utf-8"))
    schema = {key: value for key, value in scheme_format.json_schema().items() if key not in ("$schema", "$id")}
    spec["components"]["schemas"]["SchemeDocument"] = schema
    return spec


@blueprint.get("/openapi.json")
def openapi_json():
    return jsonify(document())
