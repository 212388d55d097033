"""Data reporting without Kafka: POST /api/v1/uploads.

A feed token uploads a CSV or XLSX file (multipart field `file`) or posts
JSON ({"events": [...]}) of metric values. Every row is checked — its
fields, then against the published scheme of its year as scoring would
check it — and only when every row is good are they published to the
metrics topic as MetricEvents. The answer reports each row: its event id, or
its problems by row number and field.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import Blueprint, current_app, jsonify, request

from jixiao.common import event_codec
from jixiao.v1 import scoring_pb2
from jixiao_sdk.periods import parse_period

from ..adapters.backends import ApiError
from ..adapters.publisher import MetricsPublisher
from ..adapters.spreadsheet import FORMATS, SpreadsheetError, read_table
from ..domain import uploads as rules
from .access import backends, period_states, published_schemes, require_role
from .params import invalid, json_object

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
    parsed = rules.parse_rows(rows, feed.subject, datetime.now(UTC))
    problems += parsed.problems
    if parsed.foreign:
        first = parsed.foreign[0]
        raise ApiError(403, "permission_denied", f"{first}", extra={"rows": len(rows), "problems": rules.report_json(parsed.foreign + problems)})
    problems += rules.scheme_problems(parsed.events, _facts_by_year(parsed.events), _known_metrics())
    if problems:
        raise ApiError(422, "invalid_rows", f"{len({p.row for p in problems})} of {len(rows)} rows have problems; nothing was published",
                       extra={"rows": len(rows), "problems": rules.report_json(problems)})
    rules.assign_ids(parsed.events)
    events = [event for _row, event in parsed.events]
    if not dry_run:
        publisher().publish(events)
    return jsonify(source=feed.subject, dry_run=dry_run, rows=len(rows), published=0 if dry_run else len(events),
                   events=[{"row": row, "event_id": event.event_id} for row, event in parsed.events])


def publisher() -> MetricsPublisher:
    return current_app.extensions["jixiao.publisher"]


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


def _facts_by_year(events) -> dict[int, rules.SchemeFacts | None]:
    """The published scheme governing each year the rows are about, with its period states."""
    facts: dict[int, rules.SchemeFacts | None] = {}
    # A month or day may fall in the scheme of its calendar year or, with financial years,
    # of the year before (stages.scheme_year_of).
    starts = {parse_period(event_codec.period_of(e)).start.year for _row, e in events}
    for year in sorted(starts | {year - 1 for year in starts}):
        code = published_schemes().code_for_year(year)
        facts[year] = None if code is None else rules.SchemeFacts.of(
            published_schemes().document(code), period_states().of(code))
    return facts


def _known_metrics() -> frozenset[str]:
    reply = backends().call("scoring", "ListIndicators", scoring_pb2.ListIndicatorsRequest())
    return frozenset(metric for indicator in reply["indicators"] for metric in indicator["input_metrics"])
