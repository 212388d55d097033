"""OpenTelemetry for the services: set-up from the standard OTEL_* variables,
trace context in Kafka headers, and the instrumentation every service shares.

The spans of gRPC calls (server and client) and of the gateway's HTTP
requests are made by OpenTelemetry's instrumentation packages
(opentelemetry-instrumentation-grpc and -flask), given our providers; this
module adds only what they lack: the `jixiao.*` attributes of what a request
is about, and the gRPC call durations (the gRPC package records no metrics).

Nothing is exported unless asked for. With OTEL_TRACES_EXPORTER and
OTEL_METRICS_EXPORTER unset (or `none`), `setup` installs nothing, every
helper here is a no-op or is not even installed, and the services run the
code they ran before telemetry existed.

The exporter choice is ours (`otlp`, `console`, `none`; default `none`, where
the SDK's own default would be `otlp`); everything else is the SDK's own
handling of its variables: the sampler (OTEL_TRACES_SAMPLER, _ARG), the
OTLP exporter's endpoint, headers, TLS and timeouts (OTEL_EXPORTER_OTLP_*),
batching (OTEL_BSP_*), the metric export interval, resource attributes.
The variables read here by name are checked first, so that a bad one ends
the process with one line (ConfigError), like any other setting.

docs/observability.md lists the spans and metrics.
"""
from __future__ import annotations

import atexit
import logging
import os
import socket
import time
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import entry_points
from urllib.parse import urlsplit

import grpc
from opentelemetry import context as otel_context
from opentelemetry import metrics, propagate, trace

from .config import ConfigError

log = logging.getLogger("jixiao.telemetry")

EXPORTER_CHOICES = "otlp, console or none"
OTLP_PROTOCOLS = {"grpc": "otlp_proto_grpc", "http/protobuf": "otlp_proto_http"}
RATIO_SAMPLERS = ("traceidratio", "parentbased_traceidratio")
# Bucket boundaries (seconds) of every duration histogram here: from a
# millisecond (a cached read) to a minute (a year's recompute).
DURATION_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
# Kafka headers and gRPC metadata keys the W3C propagators (and baggage) use.
PROPAGATION_KEYS = ("traceparent", "tracestate", "baggage")
# Asked every few seconds by probes and tools: measured, never traced.
UNTRACED_GRPC_SERVICES = ("grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection",
                          "grpc.reflection.v1.ServerReflection")
UNTRACED_PATHS = ("/api/v1/health",)


# --------------------------------------------------------------------------
# Settings


# Spans buffered for export, unless OTEL_BSP_MAX_QUEUE_SIZE says otherwise: a
# consumer batch of 2,000 records makes 4,000 spans at once, and the SDK's
# default of 2,048 would drop half of them.
SPAN_QUEUE_SIZE = 16_384


@dataclass(frozen=True)
class Settings:
    """What to export: exporter entry-point names per signal (empty: none)."""

    service_name: str
    traces: tuple[str, ...]
    metrics: tuple[str, ...]
    span_queue_size: int | None = None  # None: the SDK reads OTEL_BSP_MAX_QUEUE_SIZE


def read_settings(service: str, environ: Mapping[str, str]) -> Settings:
    """The telemetry settings of `service` from OTEL_* variables; raises ConfigError."""
    name = environ.get("OTEL_SERVICE_NAME", "").strip() or f"jixiao-{service}"
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return Settings(name, (), ())
    protocol = environ.get("OTEL_EXPORTER_OTLP_PROTOCOL", "").strip() or "grpc"
    traces = _exporter_names("OTEL_TRACES_EXPORTER", environ.get("OTEL_TRACES_EXPORTER", ""),
                             "opentelemetry_traces_exporter", protocol)
    metric_exporters = _exporter_names("OTEL_METRICS_EXPORTER", environ.get("OTEL_METRICS_EXPORTER", ""),
                                       "opentelemetry_metrics_exporter", protocol)
    if traces:
        _check_sampler(environ.get("OTEL_TRACES_SAMPLER", "").strip(), environ.get("OTEL_TRACES_SAMPLER_ARG", "").strip())
        _check_positive_int("OTEL_BSP_MAX_QUEUE_SIZE", environ.get("OTEL_BSP_MAX_QUEUE_SIZE", ""), unit="spans, e.g. 16384")
    if metric_exporters:
        _check_positive_int("OTEL_METRIC_EXPORT_INTERVAL", environ.get("OTEL_METRIC_EXPORT_INTERVAL", ""))
    if any(name.startswith("otlp") for name in (*traces, *metric_exporters)):
        _check_endpoint("OTEL_EXPORTER_OTLP_ENDPOINT", environ.get("OTEL_EXPORTER_OTLP_ENDPOINT", ""))
    _check_resource_attributes(environ.get("OTEL_RESOURCE_ATTRIBUTES", ""))
    queue = None if environ.get("OTEL_BSP_MAX_QUEUE_SIZE", "").strip() else SPAN_QUEUE_SIZE
    return Settings(name, traces, metric_exporters, queue if traces else None)


def _exporter_names(setting: str, raw: str, group: str, protocol: str) -> tuple[str, ...]:
    """`otlp,console` → entry-point names of the exporters; `none` or empty → ()."""
    names = [n.strip() for n in raw.split(",") if n.strip()]
    if not names or names == ["none"]:
        return ()
    available = {ep.name for ep in entry_points(group=group)}
    chosen = []
    for name in names:
        if name == "none":
            raise ConfigError(f"{setting}={raw!r}: `none` cannot be combined with other exporters")
        if name == "otlp" and protocol not in OTLP_PROTOCOLS:
            raise ConfigError(f"OTEL_EXPORTER_OTLP_PROTOCOL={protocol!r} is not supported; use grpc (the default)")
        entry = OTLP_PROTOCOLS[protocol] if name == "otlp" else name
        if entry not in available:
            if name == "otlp":
                raise ConfigError(f"OTEL_EXPORTER_OTLP_PROTOCOL={protocol!r}: its OTLP exporter is not installed; "
                                  "use grpc (the default)")
            raise ConfigError(f"{setting}={raw!r}: unknown exporter {name!r}; use {EXPORTER_CHOICES}")
        chosen.append(entry)
    return tuple(dict.fromkeys(chosen))


def _check_sampler(sampler: str, argument: str) -> None:
    if sampler:
        known = sorted(ep.name for ep in entry_points(group="opentelemetry_traces_sampler"))
        if sampler not in known:
            raise ConfigError(f"OTEL_TRACES_SAMPLER={sampler!r} is not a sampler; use one of {', '.join(known)}")
    if argument and (sampler or "parentbased_always_on") in RATIO_SAMPLERS:
        try:
            ratio = float(argument)
        except ValueError:
            ratio = -1.0
        if not 0.0 <= ratio <= 1.0:
            raise ConfigError(f"OTEL_TRACES_SAMPLER_ARG={argument!r} is not a ratio; use a number from 0 to 1, e.g. 0.1")


def _check_positive_int(setting: str, raw: str, unit: str = "milliseconds, e.g. 60000") -> None:
    raw = raw.strip()
    if raw and (not raw.isdigit() or int(raw) == 0):
        raise ConfigError(f"{setting}={raw!r} is not a positive whole number of {unit}")


def _check_endpoint(setting: str, raw: str) -> None:
    raw = raw.strip()
    if not raw:
        return
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{setting}={raw!r} is not a URL; use e.g. http://jixiao-otel-collector:4317 "
                          "(http: plain text, https: TLS)")


def _check_resource_attributes(raw: str) -> None:
    for item in (i.strip() for i in raw.split(",")):
        if item and ("=" not in item or not item.split("=", 1)[0].strip()):
            raise ConfigError(f"OTEL_RESOURCE_ATTRIBUTES: {item!r} is not key=value; use e.g. deployment.environment=prod")


# --------------------------------------------------------------------------
# Set-up


@dataclass
class Installed:
    """The providers of this process; None when that signal is off."""

    tracer_provider: object | None = None
    meter_provider: object | None = None


_installed = Installed()


def setup(service: str, environ: Mapping[str, str]) -> Settings:
    """Installs the SDK's providers and exporters as the OTEL_* variables say;
    installs nothing when nothing is to be exported. Raises ConfigError."""
    settings = read_settings(service, environ)
    if not settings.traces and not settings.metrics:
        return settings
    from opentelemetry.sdk.resources import Resource

    resource = Resource.create({
        "service.name": settings.service_name,
        "service.namespace": "jixiao",
        "service.version": _version(),
        "service.instance.id": f"{socket.gethostname()}-{os.getpid()}",
    })
    tracer_provider = meter_provider = None
    if settings.traces:
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        # The sampler from OTEL_TRACES_SAMPLER(_ARG); shut down once, by `shutdown` (at exit at the latest).
        tracer_provider = TracerProvider(resource=resource, shutdown_on_exit=False)
        for name in settings.traces:
            tracer_provider.add_span_processor(BatchSpanProcessor(_load("opentelemetry_traces_exporter", name)(),
                                                                  max_queue_size=settings.span_queue_size))
        trace.set_tracer_provider(tracer_provider)
    if settings.metrics:
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader

        readers = [PeriodicExportingMetricReader(_load("opentelemetry_metrics_exporter", name)())
                   for name in settings.metrics]  # the interval from OTEL_METRIC_EXPORT_INTERVAL
        meter_provider = MeterProvider(resource=resource, metric_readers=readers, shutdown_on_exit=False)
        metrics.set_meter_provider(meter_provider)
    install(tracer_provider, meter_provider)
    atexit.register(shutdown)  # gunicorn workers; run_service calls it before
    log.info("telemetry: service %s, traces to %s, metrics to %s", settings.service_name,
             ", ".join(settings.traces) or "nowhere", ", ".join(settings.metrics) or "nowhere")
    return settings


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("jixiao")
    except Exception:  # noqa: BLE001 - a source checkout without metadata
        return "0"


def _load(group: str, name: str):
    [entry] = [ep for ep in entry_points(group=group) if ep.name == name]
    try:
        return entry.load()
    except Exception as exc:  # noqa: BLE001 - a broken exporter install is a setting to fix
        raise ConfigError(f"the {name} exporter cannot be loaded ({type(exc).__name__}: {exc})") from None


def install(tracer_provider=None, meter_provider=None) -> None:
    """Makes the instrumentation here use these providers (setup, and tests)."""
    _installed.tracer_provider, _installed.meter_provider = tracer_provider, meter_provider


@contextmanager
def installed(tracer_provider=None, meter_provider=None):
    """Temporarily uses these providers (tests: an in-memory exporter or reader)."""
    before = (_installed.tracer_provider, _installed.meter_provider)
    install(tracer_provider, meter_provider)
    try:
        yield
    finally:
        install(*before)


def shutdown() -> None:
    """Exports what is buffered and stops the exporters (at the end of a process); once."""
    providers = (_installed.tracer_provider, _installed.meter_provider)
    install(None, None)
    for provider in providers:
        if provider is not None:
            try:
                provider.shutdown()
            except Exception:  # noqa: BLE001 - a collector gone at exit is not the service's failure
                log.warning("telemetry: final export failed", exc_info=True)


def tracing() -> bool:
    return _installed.tracer_provider is not None


def metering() -> bool:
    return _installed.meter_provider is not None


def enabled() -> bool:
    return tracing() or metering()


def meter_provider():
    """The installed meter provider, or None (instruments made from another one are stale)."""
    return _installed.meter_provider


def tracer(name: str) -> trace.Tracer:
    provider = _installed.tracer_provider
    return provider.get_tracer(name) if provider is not None else trace.NoOpTracer()


def meter(name: str) -> metrics.Meter:
    provider = _installed.meter_provider
    return provider.get_meter(name) if provider is not None else metrics.NoOpMeter(name)


def duration_histogram(meter_: metrics.Meter, name: str, description: str) -> metrics.Histogram:
    return meter_.create_histogram(name, unit="s", description=description,
                                   explicit_bucket_boundaries_advisory=DURATION_BUCKETS)


# --------------------------------------------------------------------------
# Trace context in Kafka headers


def kafka_headers(headers: Iterable[tuple[str, bytes]] = (), span: trace.Span | None = None) -> list[tuple[str, bytes]]:
    """`headers` plus the W3C `traceparent` (and `tracestate`, `baggage`) of
    `span`, or of the current context; unchanged when there is none."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier, context=trace.set_span_in_context(span) if span is not None else None)
    return [*headers, *((key, value.encode("ascii")) for key, value in carrier.items())]


def context_from_headers(headers: Mapping[str, bytes]) -> otel_context.Context | None:
    """The context a record's `traceparent` header carries; None without one."""
    if "traceparent" not in headers:
        return None
    carrier = {}
    for key in PROPAGATION_KEYS:
        value = headers.get(key)
        if value is not None:
            carrier[key] = value.decode("latin-1")
    return propagate.extract(carrier)


# --------------------------------------------------------------------------
# gRPC: spans from opentelemetry-instrumentation-grpc; what it lacks is here
# (the request's `jixiao.*` attributes, and the call durations: it records
# no metrics).


# Request fields worth an attribute: what was asked about (never tokens or bodies).
REQUEST_ATTRIBUTES = {"scheme_code": "jixiao.scheme_code", "code": "jixiao.scheme_code", "unit_id": "jixiao.unit_id",
                      "person_id": "jixiao.person_id", "period": "jixiao.period", "event_id": "jixiao.event_id",
                      "category": "jixiao.category", "grading_code": "jixiao.grading_code"}


def _request_attributes(request) -> dict[str, str]:
    descriptor = getattr(request, "DESCRIPTOR", None)
    if descriptor is None:
        return {}
    attributes = {}
    for field, attribute in REQUEST_ATTRIBUTES.items():
        if field in descriptor.fields_by_name:
            value = getattr(request, field)
            if isinstance(value, str) and value:
                attributes[attribute] = value
    return attributes


def describe_request(span: trace.Span, request) -> None:
    """Puts what a gRPC request asks about (`jixiao.scheme_code`, `jixiao.unit_id`…)
    on `span`: the client interceptor's request hook, and the servicers'
    `rpc` decorator for the SERVER span."""
    if span.is_recording():
        span.set_attributes(_request_attributes(request))


def describe_current_call(request) -> None:
    """`describe_request` on the current span (a servicer's SERVER span); nothing with tracing off."""
    if tracing():
        describe_request(trace.get_current_span(), request)


def _traced_grpc():
    """The filter of both interceptors: every service but health checking and reflection."""
    from opentelemetry.instrumentation.grpc import filters

    return filters.negate(filters.any_of(*(filters.service_name(name) for name in UNTRACED_GRPC_SERVICES)))


def _rpc_attributes(full_method: str) -> dict[str, str]:
    service, _, method = full_method.lstrip("/").partition("/")
    return {"rpc.system": "grpc", "rpc.service": service, "rpc.method": method}


class _ServerDurations(grpc.ServerInterceptor):
    """`rpc.server.call.duration` of unary calls, health checks included."""

    def __init__(self):
        self.duration = duration_histogram(meter("jixiao.grpc"), "rpc.server.call.duration",
                                           "Duration of gRPC calls this service answered")

    def intercept_service(self, continuation, handler_call_details):
        handler = continuation(handler_call_details)
        if handler is None or handler.unary_unary is None:
            return handler
        base, inner = _rpc_attributes(handler_call_details.method), handler.unary_unary

        def call(request, context):
            started, code = time.perf_counter(), grpc.StatusCode.OK
            try:
                reply = inner(request, context)
                code = context.code() or grpc.StatusCode.OK
                return reply
            except Exception:
                code = context.code() or grpc.StatusCode.UNKNOWN
                raise
            finally:
                self.duration.record(time.perf_counter() - started, {**base, "rpc.grpc.status_code": code.value[0]})

        return grpc.unary_unary_rpc_method_handler(call, request_deserializer=handler.request_deserializer,
                                                   response_serializer=handler.response_serializer)


def server_interceptors() -> list[grpc.ServerInterceptor]:
    """The interceptors of a gRPC server: none when telemetry is off. Durations
    first (they include the span's cost), then the package's SERVER spans."""
    interceptors: list[grpc.ServerInterceptor] = [_ServerDurations()] if metering() else []
    if tracing():
        from opentelemetry.instrumentation.grpc import server_interceptor

        interceptors.append(server_interceptor(tracer_provider=_installed.tracer_provider, filter_=_traced_grpc()))
    return interceptors


class _ClientDurations(grpc.UnaryUnaryClientInterceptor):
    """`rpc.client.call.duration` of unary calls, by the code the call ended with."""

    def __init__(self):
        self.duration = duration_histogram(meter("jixiao.grpc"), "rpc.client.call.duration",
                                           "Duration of gRPC calls this service made")

    def intercept_unary_unary(self, continuation, client_call_details, request):
        base, started = _rpc_attributes(client_call_details.method), time.perf_counter()

        def record(call) -> None:
            self.duration.record(time.perf_counter() - started, {**base, "rpc.grpc.status_code": _code_of(call).value[0]})

        outcome = continuation(client_call_details, request)
        outcome.add_done_callback(record)
        return outcome


def _code_of(call) -> grpc.StatusCode:
    try:
        return call.code() or grpc.StatusCode.OK
    except Exception:  # noqa: BLE001 - a cancelled future has no code
        return grpc.StatusCode.CANCELLED


def intercept_channel(channel: grpc.Channel) -> grpc.Channel:
    """`channel` with the package's CLIENT spans (`traceparent` in the metadata)
    and our durations; itself when telemetry is off."""
    if metering():
        channel = grpc.intercept_channel(channel, _ClientDurations())
    if tracing():
        from opentelemetry.instrumentation.grpc import client_interceptor
        from opentelemetry.instrumentation.grpc.grpcext import intercept_channel as intercept_traced

        channel = intercept_traced(channel, client_interceptor(tracer_provider=_installed.tracer_provider,
                                                               filter_=_traced_grpc(), request_hook=describe_request))
    return channel


# --------------------------------------------------------------------------
# HTTP: the gateway's Flask app, by opentelemetry-instrumentation-flask


# The route arguments and query parameters put on a request's span: what it is about.
_ROUTE_ARGUMENTS = {"code": "jixiao.scheme_code", "unit_id": "jixiao.unit_id", "person_id": "jixiao.person_id",
                    "event_id": "jixiao.event_id", "period": "jixiao.period", "grading_code": "jixiao.grading_code"}
# A regular expression searched in each request's URL (the package's excluded_urls).
_UNTRACED_URLS = ",".join(rf"{path}(\?|$)" for path in UNTRACED_PATHS)
# The stable HTTP and database semantic conventions (http.request.method, http.response.status_code,
# url.*, the http.server.request.duration histogram in seconds; db.system.name, db.query.text,
# db.namespace) rather than the instrumentation packages' default, the old ones.
SEMCONV_STABILITY = "http,database"


def _stable_conventions() -> None:
    """Read by the instrumentation packages once per process, when they first
    instrument something; an operator's own OTEL_SEMCONV_STABILITY_OPT_IN wins."""
    os.environ.setdefault("OTEL_SEMCONV_STABILITY_OPT_IN", SEMCONV_STABILITY)


def _describe_http_request(span: trace.Span, environ) -> None:
    """The package's request hook: the `jixiao.*` attributes of the route's
    arguments and of `period` in the query; a path no route matches names
    its span by the method alone (the path could be anything)."""
    from flask import request

    if request.url_rule is None:
        span.update_name(request.method)
    if not span.is_recording():
        return
    attributes = {_ROUTE_ARGUMENTS[name]: value for name, value in (request.view_args or {}).items()
                  if name in _ROUTE_ARGUMENTS and isinstance(value, str)}
    period = request.args.get("period")
    if period:
        attributes.setdefault("jixiao.period", period)
    span.set_attributes(attributes)


def instrument_wsgi(app) -> None:
    """Instruments a Flask app when telemetry is on: a SERVER span per request
    (parent: the request's `traceparent`), current while the app answers, so
    gRPC calls and Kafka records made for it are its children; and
    `http.server.request.duration`. GET /api/v1/health is neither."""
    if not enabled():
        return
    _stable_conventions()
    from opentelemetry.instrumentation.flask import FlaskInstrumentor

    hooks = list(app.before_request_funcs.get(None, ()))
    FlaskInstrumentor.instrument_app(
        app, request_hook=_describe_http_request, excluded_urls=_UNTRACED_URLS, enable_commenter=False,
        tracer_provider=_installed.tracer_provider or trace.NoOpTracerProvider(),
        meter_provider=_installed.meter_provider or metrics.NoOpMeterProvider())
    # The span starts before the app's own hooks: a cached answer or a refused
    # token (hooks that answer early) still has its request span.
    funcs = app.before_request_funcs[None]
    app.before_request_funcs[None] = [f for f in funcs if f not in hooks] + hooks


# --------------------------------------------------------------------------
# SQL: statements by opentelemetry-instrumentation-sqlalchemy, within gRPC calls


_POOL_USAGE = "db.client.connections.usage"


def trace_statements(engine) -> None:
    """With tracing on, the SQL statements `engine` runs while a gRPC call is
    answered become CLIENT spans, children of the call's SERVER span (the
    statement's text with its placeholders, never the values).

    Only there: the consumer's batches, the rescorer's chunks and whole-year
    recomputes run thousands of statements, each of which would otherwise
    start a trace of its own or crowd the event's spans out of the span
    queue. The package's SQLAlchemyInstrumentor is not used: it patches
    create_engine and Engine.connect for the whole process (a span per
    connect), once per process; its per-engine tracer is what we need."""
    if not tracing():
        return
    _stable_conventions()
    from opentelemetry.instrumentation.sqlalchemy import __version__ as version
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer

    tracer = _InsideServerSpans(_installed.tracer_provider.get_tracer("opentelemetry.instrumentation.sqlalchemy", version))
    # the package's pool-usage counter (db.client.connections.usage) is not exported
    pool_usage = metrics.NoOpMeter("jixiao.sql").create_up_down_counter(_POOL_USAGE)
    EngineTracer(tracer, engine, pool_usage)


class _InsideServerSpans(trace.Tracer):
    """A tracer whose spans are recorded only as children of a recording
    SERVER span (a gRPC call); elsewhere it starts none."""

    def __init__(self, tracer: trace.Tracer):
        self._tracer = tracer

    def start_span(self, name, context=None, *args, **kwargs) -> trace.Span:
        parent = trace.get_current_span(context)
        if getattr(parent, "kind", None) is not trace.SpanKind.SERVER or not parent.is_recording():
            return trace.INVALID_SPAN
        return self._tracer.start_span(name, context, *args, **kwargs)

    @contextmanager
    def start_as_current_span(self, name, context=None, *args, end_on_exit: bool = True, **kwargs):
        span = self.start_span(name, context, *args, **kwargs)
        with trace.use_span(span, end_on_exit=end_on_exit) as current_span:
            yield current_span


# --------------------------------------------------------------------------
# Spans with a context made current


@contextmanager
def unsampled():
    """Inside, new spans are not recorded, here or (with the default
    parent-based samplers) in the services called: for routine background
    calls that would only fill the trace backend. Metrics still count them."""
    if not tracing():
        yield
        return
    import random

    parent = trace.SpanContext(trace_id=random.getrandbits(128) or 1, span_id=random.getrandbits(64) or 1,
                               is_remote=False, trace_flags=trace.TraceFlags(trace.TraceFlags.DEFAULT))
    with current(trace.NonRecordingSpan(parent)):
        yield


@contextmanager
def current(span: trace.Span | None):
    """Makes `span` current inside the block (log lines then carry its ids); nothing for None."""
    if span is None:
        yield
        return
    token = otel_context.attach(trace.set_span_in_context(span))
    try:
        yield
    finally:
        otel_context.detach(token)


def now_ns() -> int:
    return time.time_ns()
