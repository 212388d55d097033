"""Data reporting without Kafka: POST /api/v1/uploads.

A feed token uploads a CSV or XLSX file (multipart field `file`) or posts
JSON ({"events": [...]}) of metric values. Every row is checked — its
fields, then against the published scheme of its year as scoring would
check it — and only when every row is good are they published to the
metrics topic as MetricEvents (service_layer/value_uploads.py). The answer
reports each row: its event id, or its problems by row number and field.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import Blueprint, jsonify, request

from ..adapters.spreadsheet import FORMATS, SpreadsheetError, read_table
from ..domain import upload_rows as rules
from .access import require_role
from .http_errors import ApiError
from .params import invalid, json_object
from .wiring import uploads as value_uploads

uploads = Blueprint("uploads", __name__, url_prefix="/api/v1")

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_ROWS = 100_000
PLAIN_NAME = re.compile(r"^[^/\\:\x00-\x1f]{1,200}$")  # no folders, drives or control characters


@uploads.post("/uploads")
def upload():
    feed = require_role("feed")
    dry_run = request.args.get("dry_run") in ("1", "true")
    if request.mimetype == "multipart/form-data":
        rows, problems = _file_rows()
    elif request.is_json:
        rows, problems = _json_rows()
    else:
        raise ApiError(415, "unsupported_media_type", "send a file as multipart/form-data (field 'file') or JSON {\"events\": [...]}")
    if not rows and not problems:
        raise invalid("the upload has no rows")
    published = value_uploads().upload(rows, problems, feed.subject, datetime.now(UTC), dry_run)
    return jsonify(source=feed.subject, dry_run=dry_run, rows=len(rows), published=0 if dry_run else len(published),
                   events=[{"row": row, "event_id": event_id} for row, event_id in published])


def _file_rows():
    upload = request.files.get("file")
    if upload is None:
        raise invalid("file: send the CSV or XLSX file in the multipart field 'file'")
    name = upload.filename or ""
    if not PLAIN_NAME.match(name) or name.startswith(".") or ".." in name:
        raise invalid("file: the file name must be a plain name such as values.csv, without folders")
    file_format = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if file_format not in FORMATS:
        raise invalid(f"file: {name!r} is not a .csv or .xlsx file")
    try:
        header, rows = read_table(upload.read(), file_format, MAX_ROWS)
    except SpreadsheetError as exc:
        raise invalid(f"file: {exc}") from None
    problems = rules.header_problems(header)
    if problems:
        raise ApiError(422, "invalid_rows", "the header row has problems; nothing was published",
                       extra={"rows": len(rows), "problems": rules.report_json(problems)})
    return rows, []


def _json_rows():
    items = json_object().get("events")
    if not isinstance(items, list):
        raise invalid("events: must be a list of MetricEvent objects")
    if len(items) > MAX_ROWS:
        raise invalid(f"events: more than {MAX_ROWS} items; split the upload")
    return rules.json_rows(items)
