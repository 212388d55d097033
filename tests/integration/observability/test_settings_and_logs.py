"""Telemetry is configured by the standard OTEL_* variables only, off by
default; a bad one stops a service with one line; log lines carry the ids
of the current span."""
from __future__ import annotations

import io
import logging
import re

import pytest
from opentelemetry.sdk.trace import TracerProvider

from helpers import run_to_exit
from jixiao.common import telemetry
from jixiao.common.config import ConfigError
from jixiao.common.logs import FORMAT, TraceIdsInMessage, install_trace_ids


def test_nothing_is_exported_unless_asked():
    assert telemetry.read_settings("scoring", {}) == telemetry.Settings("jixiao-scoring", (), ())
    off = {"OTEL_TRACES_EXPORTER": "none", "OTEL_METRICS_EXPORTER": "none"}
    assert telemetry.read_settings("gateway", off) == telemetry.Settings("jixiao-gateway", (), ())
    disabled = {"OTEL_SDK_DISABLED": "true", "OTEL_TRACES_EXPORTER": "otlp"}
    assert telemetry.read_settings("registry", disabled).traces == ()
    assert not telemetry.enabled() and telemetry.server_interceptors() == []


def test_exporters_and_service_name_come_from_the_standard_variables():
    settings = telemetry.read_settings("scoring", {
        "OTEL_TRACES_EXPORTER": "otlp,console", "OTEL_METRICS_EXPORTER": "console", "OTEL_SERVICE_NAME": "scoring-a",
        "OTEL_EXPORTER_OTLP_ENDPOINT": "https://collector.example.gov:4317", "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
        "OTEL_TRACES_SAMPLER_ARG": "0.25", "OTEL_METRIC_EXPORT_INTERVAL": "15000",
        "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=prod,k8s.pod.name=scoring-7"})
    assert settings == telemetry.Settings("scoring-a", ("otlp_proto_grpc", "console"), ("console",), 16384)
    assert telemetry.read_settings("scoring", {"OTEL_TRACES_EXPORTER": "console", "OTEL_BSP_MAX_QUEUE_SIZE": "2048"}) \
        == telemetry.Settings("jixiao-scoring", ("console",), (), None)  # the SDK then reads it itself


@pytest.mark.parametrize("environ, message", [
    ({"OTEL_TRACES_EXPORTER": "jaeger"}, "OTEL_TRACES_EXPORTER='jaeger': unknown exporter 'jaeger'; use otlp, console or none"),
    ({"OTEL_METRICS_EXPORTER": "otlp,none"}, "`none` cannot be combined"),
    ({"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"}, "OTEL_EXPORTER_OTLP_PROTOCOL='http/json' is not supported"),
    ({"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT": "jixiao-otel-collector:4317"},
     "OTEL_EXPORTER_OTLP_ENDPOINT='jixiao-otel-collector:4317' is not a URL; use e.g. http://jixiao-otel-collector:4317"),
    ({"OTEL_TRACES_EXPORTER": "console", "OTEL_TRACES_SAMPLER": "sometimes"}, "OTEL_TRACES_SAMPLER='sometimes' is not a sampler"),
    ({"OTEL_TRACES_EXPORTER": "console", "OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "10%"},
     "OTEL_TRACES_SAMPLER_ARG='10%' is not a ratio"),
    ({"OTEL_METRICS_EXPORTER": "console", "OTEL_METRIC_EXPORT_INTERVAL": "1m"}, "OTEL_METRIC_EXPORT_INTERVAL='1m'"),
    ({"OTEL_RESOURCE_ATTRIBUTES": "prod"}, "OTEL_RESOURCE_ATTRIBUTES: 'prod' is not key=value"),
    ({"OTEL_TRACES_EXPORTER": "console", "OTEL_BSP_MAX_QUEUE_SIZE": "-1"}, "OTEL_BSP_MAX_QUEUE_SIZE='-1' is not a positive"),
])
def test_a_bad_setting_is_named(environ, message):
    with pytest.raises(ConfigError) as error:
        telemetry.read_settings("scoring", environ)
    assert message in str(error.value)


@pytest.mark.parametrize("module, name", [("jixiao.registry", "registry"), ("jixiao.scoring", "scoring")])
def test_a_bad_setting_stops_a_service_with_one_line(module, name):
    result = run_to_exit(module, {"OTEL_TRACES_EXPORTER": "zipkin"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"jixiao {name}: error: OTEL_TRACES_EXPORTER='zipkin': unknown exporter 'zipkin'; use otlp, console or none"]


def test_the_gateway_under_gunicorn_stops_on_a_bad_setting():
    result = run_to_exit("gunicorn", {"OTEL_METRICS_EXPORTER": "prometheus"},
                         "--workers", "1", "--bind", "127.0.0.1:0", "jixiao.gateway.wsgi:app", timeout=60)
    assert result.returncode != 0
    assert "jixiao gateway: error: OTEL_METRICS_EXPORTER='prometheus': unknown exporter" in result.stderr


def _formatted(record_logger: logging.Logger, message: str, handler: logging.Handler, stream: io.StringIO) -> str:
    record_logger.warning(message)
    handler.flush()
    return stream.getvalue().splitlines()[-1]


def test_log_lines_carry_the_current_spans_ids():
    install_trace_ids()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(FORMAT.format(service="scoring")))
    logger = logging.getLogger("jixiao.test.logs")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        assert re.fullmatch(r"\S+ \S+ scoring WARNING jixiao.test.logs: no span here",
                            _formatted(logger, "no span here", handler, stream))
        tracer = TracerProvider().get_tracer("test")
        with tracer.start_as_current_span("work") as span:
            line = _formatted(logger, "inside a span", handler, stream)
        context = span.get_span_context()
        assert line.endswith(f"jixiao.test.logs: inside a span trace_id={context.trace_id:032x} span_id={context.span_id:016x}")

        # A handler whose format is not ours (gunicorn's error log): the ids go into the message.
        plain = io.StringIO()
        gunicorn_like = logging.StreamHandler(plain)
        gunicorn_like.setFormatter(logging.Formatter("[%(levelname)s] %(message)s"))
        gunicorn_like.addFilter(TraceIdsInMessage())
        logger.addHandler(gunicorn_like)
        with tracer.start_as_current_span("request") as span:
            logger.warning("answered %s", "GET /")
        context = span.get_span_context()
        assert plain.getvalue().splitlines() == [
            f"[WARNING] answered GET / trace_id={context.trace_id:032x} span_id={context.span_id:016x}"]
    finally:
        logger.handlers.clear()
