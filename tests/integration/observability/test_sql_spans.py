"""SQL statements (opentelemetry-instrumentation-sqlalchemy's per-engine tracer, as
`telemetry.trace_statements` configures it) are spans only inside a gRPC call's
SERVER span, with their placeholders and never their values; a consumer batch
or a rescoring chunk (no SERVER span) makes none."""
from __future__ import annotations

from opentelemetry import trace
from sqlalchemy import text

from helpers.in_memory_telemetry import in_memory_telemetry
from jixiao.common import storage, telemetry


def test_statements_are_spans_of_the_grpc_call_that_ran_them_only():
    with in_memory_telemetry() as (spans, _):
        engine = storage.make_engine("sqlite://")
        tracer = telemetry.tracer("test")
        with tracer.start_as_current_span("/jixiao.v1.ScoringService/GetUnitScore", kind=trace.SpanKind.SERVER) as call:
            with engine.connect() as connection:
                connection.execute(text("SELECT :unit"), {"unit": "U-SECRET-VALUE"})
        with tracer.start_as_current_span("scoring.recompute_scheme_version"), engine.begin() as connection:
            connection.execute(text("SELECT 2"))
        with engine.begin() as connection:  # a consumer batch: no current span
            connection.execute(text("SELECT 3"))
        statements = [s for s in spans.get_finished_spans() if s.kind == trace.SpanKind.CLIENT]
    (statement,) = statements
    assert statement.parent.span_id == call.get_span_context().span_id
    assert statement.name == "SELECT" and statement.attributes["db.system.name"] == "sqlite"
    assert statement.attributes["db.query.text"] == "SELECT ?"
    assert "U-SECRET-VALUE" not in repr(dict(statement.attributes))


def test_no_statement_is_traced_with_telemetry_off():
    assert not telemetry.tracing()
    engine = storage.make_engine("sqlite://")
    assert not engine.dispatch.before_cursor_execute  # no listener: nothing installed
