"""Reading request parameters and JSON bodies; a bad one is 400 naming it."""
from __future__ import annotations

import math

from flask import request

from ..domain.json_values import finite, utf8
from .http_errors import ApiError


def invalid(message: str) -> ApiError:
    return ApiError(400, "invalid_argument", message)


def required_arg(name: str) -> str:
    value = request.args.get(name, "").strip()
    if not value:
        raise invalid(f"query parameter {name!r} is required")
    return value


def int_arg(name: str, default: int) -> int:
    raw = request.args.get(name, "")
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid(f"query parameter {name!r} must be a whole number") from None
    if not -2**31 <= value < 2**31:  # the rpcs' int32 fields; beyond, building the request raised (500)
        raise invalid(f"query parameter {name!r} is out of range")
    return value


def choice_arg(name: str, choices: tuple[str, ...], default: str) -> str:
    value = request.args.get(name, "") or default
    if value not in choices:
        raise invalid(f"query parameter {name!r} must be one of {', '.join(choices)}")
    return value


def json_object(*, optional: bool = False) -> dict:
    """The request body as a JSON object ({} for an empty body when `optional`)."""
    if optional and not request.get_data(cache=True):
        return {}
    if not request.is_json:
        raise invalid("the body must be JSON (Content-Type: application/json)")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise invalid("the body must be a JSON object")
    return body


def text_field(body: dict, name: str, *, required: bool = False, limit: int = 2000) -> str:
    value = body.get(name, "")
    if not isinstance(value, str):
        raise invalid(f"{name}: must be a string")
    if required and not value.strip():
        raise invalid(f"{name}: is required")
    if len(value) > limit:
        raise invalid(f"{name}: longer than {limit} characters")
    return value


def number_field(body: dict, name: str) -> float:
    value = body.get(name)
    if value is None:
        raise invalid(f"{name}: is required")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise invalid(f"{name}: must be a finite number")
    return float(value)


def object_rows(value, name: str, *, required: tuple[str, ...], texts: tuple[str, ...] = (), number: str,
                limit: int) -> list[dict]:
    """A JSON list of row objects (`rows`, `indicators` …), each checked: only the fields
    `required` + `texts` + `number`; each `required` field non-empty text, each of `texts` text
    ('' when absent), `number` a finite number (as a float). 400 naming the row and field."""
    fields = (*required, *texts, number)
    if not isinstance(value, list):
        raise invalid(f"{name}: must be a list of {{{', '.join(fields)}}}")
    if len(value) > limit:
        raise invalid(f"{name}: at most {limit:,}")
    checked = []
    for n, row in enumerate(value):
        where = f"{name}[{n}]"
        if not isinstance(row, dict):
            raise invalid(f"{where}: must be an object")
        unknown = set(row) - set(fields)
        if unknown:
            raise invalid(f"{where}: unknown field {sorted(unknown)[0]!r}")
        for field in required:
            if not isinstance(row.get(field), str) or not row[field]:
                raise invalid(f"{where}.{field}: required text")
        for field in (*required, *texts):
            if not isinstance(row.get(field, ""), str) or not utf8(row.get(field, "")):
                raise invalid(f"{where}.{field}: must be text")
        points = row.get(number)
        if isinstance(points, bool) or not isinstance(points, (int, float)) or not finite(points):
            raise invalid(f"{where}.{number}: must be a finite number")
        checked.append({**{f: row.get(f, "") for f in (*required, *texts)}, number: float(points)})
    return checked
