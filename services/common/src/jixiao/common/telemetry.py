"""OpenTelemetry for the services: set-up from the standard OTEL_* variables,
trace context in Kafka headers and gRPC metadata, and the instrumentation
every service shares (gRPC server and client, the gateway's WSGI app).

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
import collections
import logging
import os
import socket
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import entry_points
from urllib.parse import urlsplit

import grpc
from opentelemetry import context as otel_context
from opentelemetry import metrics, propagate, trace
from opentelemetry.propagators.textmap import Getter
from opentelemetry.trace import SpanKind, Status, StatusCode

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
# gRPC


def _rpc_names(full_method: str) -> tuple[str, str]:
    service, _, method = full_method.lstrip("/").partition("/")
    return service, method


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


class _GrpcServerTelemetry(grpc.ServerInterceptor):
    """A SERVER span per call (its parent from the caller's `traceparent`
    metadata) and `rpc.server.call.duration`."""

    def __init__(self):
        self.tracer = tracer("jixiao.grpc")
        self.duration = duration_histogram(meter("jixiao.grpc"), "rpc.server.call.duration",
                                           "Duration of gRPC calls this service answered")

    def intercept_service(self, continuation, handler_call_details):
        handler = continuation(handler_call_details)
        if handler is None or handler.unary_unary is None:
            return handler
        service, method = _rpc_names(handler_call_details.method)
        traced = tracing() and service not in UNTRACED_GRPC_SERVICES
        metadata = handler_call_details.invocation_metadata or ()
        inner = handler.unary_unary
        base = {"rpc.system": "grpc", "rpc.service": service, "rpc.method": method}

        def call(request, context):
            started = time.perf_counter()
            span = None
            if traced:
                carrier = {key: value for key, value in metadata if key in PROPAGATION_KEYS and isinstance(value, str)}
                span = self.tracer.start_span(f"{service}/{method}", context=propagate.extract(carrier),
                                              kind=SpanKind.SERVER, attributes={**base, **_request_attributes(request)})
            token = otel_context.attach(trace.set_span_in_context(span)) if span is not None else None
            code = grpc.StatusCode.OK
            try:
                reply = inner(request, context)
                code = context.code() or grpc.StatusCode.OK
                return reply
            except Exception as exc:
                code = context.code() or grpc.StatusCode.UNKNOWN
                if span is not None and code == grpc.StatusCode.UNKNOWN:
                    span.record_exception(exc)
                raise
            finally:
                if token is not None:
                    otel_context.detach(token)
                _end_rpc(span, code, self.duration, base, started, server=True)

        return grpc.unary_unary_rpc_method_handler(call, request_deserializer=handler.request_deserializer,
                                                   response_serializer=handler.response_serializer)


# Codes that are the server's fault (a SERVER span's error status); others are the caller's.
_SERVER_FAULTS = {grpc.StatusCode.UNKNOWN, grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.UNIMPLEMENTED,
                  grpc.StatusCode.INTERNAL, grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DATA_LOSS}


def _end_rpc(span, code: grpc.StatusCode, histogram, base: dict, started: float, *, server: bool) -> None:
    histogram.record(time.perf_counter() - started, {**base, "rpc.grpc.status_code": code.value[0]})
    if span is None:
        return
    span.set_attribute("rpc.grpc.status_code", code.value[0])
    if code != grpc.StatusCode.OK and (not server or code in _SERVER_FAULTS):
        span.set_status(Status(StatusCode.ERROR, code.name))
    span.end()


def server_interceptors() -> list[grpc.ServerInterceptor]:
    """The interceptors of a gRPC server: none when telemetry is off."""
    return [_GrpcServerTelemetry()] if enabled() else []


class _CallDetails(collections.namedtuple("_CallDetails", ("method", "timeout", "metadata", "credentials",
                                                           "wait_for_ready", "compression")), grpc.ClientCallDetails):
    pass


class _GrpcClientTelemetry(grpc.UnaryUnaryClientInterceptor):
    """A CLIENT span per call, its context sent as `traceparent` metadata,
    and `rpc.client.call.duration`."""

    def __init__(self):
        self.tracer = tracer("jixiao.grpc")
        self.duration = duration_histogram(meter("jixiao.grpc"), "rpc.client.call.duration",
                                           "Duration of gRPC calls this service made")

    def intercept_unary_unary(self, continuation, client_call_details, request):
        service, method = _rpc_names(client_call_details.method)
        base = {"rpc.system": "grpc", "rpc.service": service, "rpc.method": method}
        span = None
        metadata = list(client_call_details.metadata or ())
        if tracing():
            span = self.tracer.start_span(f"{service}/{method}", kind=SpanKind.CLIENT,
                                          attributes={**base, **_request_attributes(request)})
            carrier: dict[str, str] = {}
            propagate.inject(carrier, context=trace.set_span_in_context(span))
            metadata += carrier.items()
        details = _CallDetails(client_call_details.method, client_call_details.timeout, metadata,
                               client_call_details.credentials, getattr(client_call_details, "wait_for_ready", None),
                               getattr(client_call_details, "compression", None))
        started = time.perf_counter()
        outcome = continuation(details, request)
        outcome.add_done_callback(lambda call: _end_rpc(span, _code_of(call), self.duration, base, started, server=False))
        return outcome


def _code_of(call) -> grpc.StatusCode:
    try:
        return call.code() or grpc.StatusCode.OK
    except Exception:  # noqa: BLE001 - a cancelled future has no code
        return grpc.StatusCode.CANCELLED


def intercept_channel(channel: grpc.Channel) -> grpc.Channel:
    """`channel` with client spans and durations; itself when telemetry is off."""
    return grpc.intercept_channel(channel, _GrpcClientTelemetry()) if enabled() else channel


# --------------------------------------------------------------------------
# HTTP (the gateway's WSGI application)


class _EnvironGetter(Getter):
    def get(self, carrier, key):
        value = carrier.get("HTTP_" + key.upper().replace("-", "_"))
        return [value] if value is not None else None

    def keys(self, carrier):
        return [k[5:].lower().replace("_", "-") for k in carrier if k.startswith("HTTP_")]


_ENVIRON_GETTER = _EnvironGetter()
_ROUTE_ARGUMENTS = {"code": "jixiao.scheme_code", "unit_id": "jixiao.unit_id", "person_id": "jixiao.person_id",
                    "event_id": "jixiao.event_id", "period": "jixiao.period", "grading_code": "jixiao.grading_code"}


class WsgiTelemetry:
    """Wraps a WSGI application: a SERVER span per request (its parent from a
    `traceparent` header, current while the application runs, so gRPC calls
    and Kafka records made for the request are its children) and
    `http.server.request.duration` by method, route and status."""

    def __init__(self, app: Callable, url_map):
        self.app, self.url_map = app, url_map
        self.tracer = tracer("jixiao.http")
        self.duration = duration_histogram(meter("jixiao.http"), "http.server.request.duration",
                                           "Duration of HTTP requests the gateway answered")

    def _route(self, environ) -> tuple[str, dict]:
        try:
            rule, arguments = self.url_map.bind_to_environ(environ).match(return_rule=True)
        except Exception:  # noqa: BLE001 - 404, 405 and redirects have no route
            return "", {}
        return _route_template(rule.rule), arguments

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        method = environ.get("REQUEST_METHOD", "GET")
        route, arguments = self._route(environ)
        base = {"http.request.method": method}
        if route:
            base["http.route"] = route
        span = token = None
        if tracing() and environ.get("PATH_INFO") not in UNTRACED_PATHS:
            attributes = {**base, "url.path": environ.get("PATH_INFO", ""), "url.scheme": environ.get("wsgi.url_scheme", "http")}
            for name, value in arguments.items():
                if name in _ROUTE_ARGUMENTS and isinstance(value, str):
                    attributes[_ROUTE_ARGUMENTS[name]] = value
            period = _query_value(environ.get("QUERY_STRING", ""), "period")
            if period:
                attributes.setdefault("jixiao.period", period)
            span = self.tracer.start_span(f"{method} {route}" if route else method,
                                          context=propagate.extract(environ, getter=_ENVIRON_GETTER),
                                          kind=SpanKind.SERVER, attributes=attributes)
            token = otel_context.attach(trace.set_span_in_context(span))
        status: list[int] = []

        def recording_start_response(status_line, headers, exc_info=None):
            status[:] = [int(status_line.split(" ", 1)[0])]
            return start_response(status_line, headers, exc_info)

        def finish():
            code = status[0] if status else 500
            self.duration.record(time.perf_counter() - started, {**base, "http.response.status_code": code})
            if span is not None:
                span.set_attribute("http.response.status_code", code)
                if code >= 500:
                    span.set_status(Status(StatusCode.ERROR, str(code)))
                span.end()

        try:
            body = self.app(environ, recording_start_response)
        except BaseException:
            finish()
            raise
        finally:
            if token is not None:
                otel_context.detach(token)
        return _ResponseBody(body, finish)


class _ResponseBody:
    """The application's response body, calling `finish` once: when the
    server has iterated it to the end or closes it, whichever comes first.
    Not on close() alone: werkzeug's server skips close() when the client
    has reset the connection (closed it with the body unread), and the
    request would go unmeasured, its span never ended."""

    def __init__(self, body, finish: Callable[[], None]):
        self._body, self._finish, self._finished = body, finish, False

    def __iter__(self):
        yield from self._body
        self._end()

    def close(self) -> None:
        try:
            close = getattr(self._body, "close", None)
            if close is not None:
                close()
        finally:
            self._end()

    def _end(self) -> None:
        if not self._finished:
            self._finished = True
            self._finish()


def _route_template(rule: str) -> str:
    """/schemes/<code>/units/<unit_id> → /schemes/{code}/units/{unit_id} (as in the OpenAPI document)."""
    out, i = [], 0
    while i < len(rule):
        if rule[i] == "<":
            end = rule.index(">", i)
            out.append("{" + rule[i + 1:end].rsplit(":", 1)[-1] + "}")
            i = end + 1
        else:
            out.append(rule[i])
            i += 1
    return "".join(out)


def _query_value(query: str, name: str) -> str:
    from urllib.parse import parse_qs

    values = parse_qs(query).get(name) if name in query else None
    return values[0] if values else ""


def instrument_wsgi(app) -> None:
    """Wraps a Flask app's WSGI callable when telemetry is on."""
    if enabled():
        app.wsgi_app = WsgiTelemetry(app.wsgi_app, app.url_map)


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
