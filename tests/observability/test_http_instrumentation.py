"""The gateway's HTTP instrumentation in this process, with in-memory
exporters: a request is measured and its span ended once, whether the
server closes the response body, only iterates it to the end (werkzeug's
server skips close() when the client reset the connection), or both."""
from __future__ import annotations

import pytest
from flask import Flask
from in_memory import in_memory_telemetry, points
from werkzeug.test import EnvironBuilder

from jixiao.common import telemetry


@pytest.fixture
def instrumented():
    """A small Flask app wrapped as the gateway's is, and what it exported."""
    with in_memory_telemetry() as (spans, reader):
        app = Flask(__name__)
        app.get("/api/v1/things/<code>")(lambda code: {"code": code})
        telemetry.instrument_wsgi(app)
        yield app.wsgi_app, spans, reader


def call(wsgi_app, path: str):
    """Calls the WSGI app as a server does, up to the response body; returns (status, body)."""
    status = []
    body = wsgi_app(EnvironBuilder(path=path).get_environ(), lambda line, headers, exc_info=None: status.append(line))
    return status, body


def durations(reader) -> list:
    """The `http.server.request.duration` points recorded so far."""
    return points(reader, "http.server.request.duration")


def test_a_body_iterated_to_the_end_but_never_closed_is_measured(instrumented):
    wsgi_app, spans, reader = instrumented
    status, body = call(wsgi_app, "/api/v1/things/a")
    assert b"".join(body) == b'{"code":"a"}\n' and status == ["200 OK"]
    # no close(): the client reset the connection before werkzeug's server got to it
    (point,) = durations(reader)
    assert point.count == 1
    assert point.attributes == {"http.request.method": "GET", "http.route": "/api/v1/things/{code}",
                                "http.response.status_code": 200}
    (span,) = spans.get_finished_spans()
    assert span.name == "GET /api/v1/things/{code}" and span.attributes["http.response.status_code"] == 200


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
                  for p in durations(reader)) == [("", 404, 1), ("/api/v1/things/{code}", 200, 1)]
    assert len(spans.get_finished_spans()) == 2
