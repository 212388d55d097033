"""The gateway's HTTP instrumentation (opentelemetry-instrumentation-flask, as
`telemetry.instrument_wsgi` configures it) in this process, with in-memory
exporters: a request is measured and its span ended once, whether the server
closes the response body, only iterates it to the end (werkzeug's server
skips close() when the client reset the connection), or both; a hook that
answers early (the gateway's cache, its token check) still has its span;
the route's arguments are the span's `jixiao.*` attributes; health checks
are neither traced nor measured."""
from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.test import EnvironBuilder

from helpers.in_memory_telemetry import in_memory_telemetry, points
from jixiao.common import telemetry


@pytest.fixture
def instrumented():
    """A small Flask app instrumented as the gateway's is, and what it exported."""
    with in_memory_telemetry() as (spans, reader):
        app = Flask(__name__)
        app.get("/api/v1/things/<code>", endpoint="thing")(lambda code: {"code": code})
        app.get("/api/v1/health", endpoint="health")(lambda: {"status": "ok"})

        @app.before_request
        def answer_early():  # like the gateway's cache: answers before any view
            from flask import request

            return {"cached": True} if request.args.get("cached") else None

        telemetry.instrument_wsgi(app)
        yield app.wsgi_app, spans, reader


def call(wsgi_app, path: str, headers: dict | None = None):
    """Calls the WSGI app as a server does, up to the response body; returns (status, body)."""
    status = []
    environ = EnvironBuilder(path=path, headers=headers).get_environ()
    body = wsgi_app(environ, lambda line, headers, exc_info=None: status.append(line))
    return status, body


def durations(reader) -> list:
    """The `http.server.request.duration` points recorded so far."""
    return points(reader, "http.server.request.duration")


def test_a_body_iterated_to_the_end_but_never_closed_is_measured(instrumented):
    wsgi_app, spans, reader = instrumented
    status, body = call(wsgi_app, "/api/v1/things/a?period=2026-03")
    assert b"".join(body) == b'{"code":"a"}\n' and status == ["200 OK"]
    # no close(): the client reset the connection before werkzeug's server got to it
    (point,) = durations(reader)
    assert point.count == 1
    assert point.attributes == {"http.request.method": "GET", "http.route": "/api/v1/things/<code>",
                                "http.response.status_code": 200, "url.scheme": "http",
                                "network.protocol.version": "1.1"}
    (span,) = spans.get_finished_spans()
    assert span.name == "GET /api/v1/things/<code>" and span.attributes["http.response.status_code"] == 200
    assert span.attributes["jixiao.scheme_code"] == "a" and span.attributes["jixiao.period"] == "2026-03"
    assert span.attributes["url.path"] == "/api/v1/things/a"


def test_a_body_closed_unread_is_measured(instrumented):
    wsgi_app, spans, reader = instrumented
    _, body = call(wsgi_app, "/api/v1/things/b")
    body.close()  # a HEAD request, or a client gone before the first write
    assert [p.count for p in durations(reader)] == [1]
    assert len(spans.get_finished_spans()) == 1


def test_a_body_iterated_and_closed_is_measured_once(instrumented):
    wsgi_app, spans, reader = instrumented
    for path in ("/api/v1/things/c", "/api/v1/nothing-here"):
        _, body = call(wsgi_app, path)
        list(body)
        body.close()
    assert sorted((p.attributes.get("http.route", ""), p.attributes["http.response.status_code"], p.count)
                  for p in durations(reader)) == [("", 404, 1), ("/api/v1/things/<code>", 200, 1)]
    # a path no route matches is named by its method alone
    assert sorted(s.name for s in spans.get_finished_spans()) == ["GET", "GET /api/v1/things/<code>"]


def test_an_answer_given_by_an_early_hook_has_its_span_in_the_callers_trace(instrumented):
    wsgi_app, spans, reader = instrumented
    trace_id, parent = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    status, body = call(wsgi_app, "/api/v1/things/d?cached=1", {"traceparent": f"00-{trace_id}-{parent}-01"})
    assert status == ["200 OK"] and b"cached" in b"".join(body)
    (span,) = spans.get_finished_spans()
    assert (f"{span.context.trace_id:032x}", f"{span.parent.span_id:016x}") == (trace_id, parent)
    assert span.name == "GET /api/v1/things/<code>" and span.attributes["jixiao.scheme_code"] == "d"


def test_health_checks_are_neither_traced_nor_measured(instrumented):
    wsgi_app, spans, reader = instrumented
    status, body = call(wsgi_app, "/api/v1/health")
    assert status == ["200 OK"] and list(body)
    assert not spans.get_finished_spans()
    assert durations(reader) == []
