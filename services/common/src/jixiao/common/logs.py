"""Logging set-up shared by the services: one line per record on stderr.

A record logged while an OpenTelemetry span is current ends with
` trace_id=<32 hex> span_id=<16 hex>`, so a log line leads to its trace and
back; records without a span are unchanged.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping

from opentelemetry import trace

FORMAT = "%(asctime)s {service} %(levelname)s %(name)s: %(message)s%(trace_ids)s"


def configure_logging(service: str, environ: Mapping[str, str]) -> logging.Logger:
    level = environ.get("JIXIAO_LOG_LEVEL", "INFO").upper()
    install_trace_ids()
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format=FORMAT.format(service=service),
    )
    # kafka-python logs every connection attempt and retry; the services log
    # what matters (unreachable broker, failed commits) themselves.
    logging.getLogger("kafka").setLevel(logging.WARNING)
    logging.getLogger("kafka.conn").setLevel(logging.CRITICAL)
    logging.getLogger("kafka.client").setLevel(logging.CRITICAL)
    # (version probing of newer ApiVersions requests fails once, then falls back)
    logging.getLogger("kafka.protocol.parser").setLevel(logging.CRITICAL)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # The scoring service logs the installed indicators in one line.
    logging.getLogger("jixiao_sdk.manager").setLevel(logging.WARNING)
    return logging.getLogger(f"jixiao.{service}")


def install_trace_ids() -> None:
    """Gives every log record `trace_id`, `span_id` (hex, or empty) and
    `trace_ids` (" trace_id=… span_id=…", or empty) of the current span."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "jixiao_trace_ids", False):
        return

    def record_with_trace_ids(*args, **kwargs):
        record = factory(*args, **kwargs)
        context = trace.get_current_span().get_span_context()
        if context.is_valid:
            record.trace_id, record.span_id = f"{context.trace_id:032x}", f"{context.span_id:016x}"
            record.trace_ids = f" trace_id={record.trace_id} span_id={record.span_id}"
        else:
            record.trace_id = record.span_id = record.trace_ids = ""
        return record

    record_with_trace_ids.jixiao_trace_ids = True
    logging.setLogRecordFactory(record_with_trace_ids)


class TraceIdsInMessage(logging.Filter):
    """For handlers whose format we do not own (gunicorn's error log): appends
    the record's ` trace_id=… span_id=…` to its message."""

    def filter(self, record: logging.LogRecord) -> bool:
        ids = getattr(record, "trace_ids", "")
        if ids and not getattr(record, "jixiao_ids_appended", False):
            record.msg, record.args = record.getMessage() + ids, None
            record.jixiao_ids_appended = True
        return True
