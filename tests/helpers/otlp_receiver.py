"""A tiny OTLP/gRPC receiver for tests: what a collector would get from the
services' real exporters, kept in memory as plain spans and metric points,
and every export request whole, as protobuf text (`exports`), for tests that
search everything that was exported."""
from __future__ import annotations

import threading
import time
from concurrent import futures
from dataclasses import dataclass, field

import grpc
from google.protobuf import text_format
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2, metrics_service_pb2_grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc

from helpers import eventually

SPAN_KINDS = {0: "UNSPECIFIED", 1: "INTERNAL", 2: "SERVER", 3: "CLIENT", 4: "PRODUCER", 5: "CONSUMER"}


def _value(any_value):
    kind = any_value.WhichOneof("value")
    if kind == "array_value":
        return [_value(v) for v in any_value.array_value.values]
    return getattr(any_value, kind) if kind else None


def _attributes(pairs) -> dict:
    return {pair.key: _value(pair.value) for pair in pairs}


@dataclass
class Span:
    service: str
    name: str
    kind: str
    trace_id: str
    span_id: str
    parent_id: str
    start_ns: int
    end_ns: int
    attributes: dict
    status: int  # 0 unset, 1 ok, 2 error
    links: list[tuple[str, str]] = field(default_factory=list)
    events: list[str] = field(default_factory=list)


@dataclass
class Export:
    """One export request as a collector gets it: `kind` "traces" or "metrics", the
    `service.name`s of its resources, and the whole request as protobuf text
    (resources, scopes, names, attributes, events, links, data points)."""
    kind: str
    services: tuple[str, ...]
    text: str
    received: float  # time.monotonic() when it arrived


def _export(kind: str, request, resources) -> Export:
    services = tuple(_attributes(r.resource.attributes).get("service.name", "") for r in resources)
    return Export(kind, services, text_format.MessageToString(request, as_utf8=True), time.monotonic())


@dataclass
class Point:
    service: str
    metric: str
    attributes: dict
    value: float  # a sum's or gauge's value; a histogram's count
    total: float = 0.0  # a histogram's sum


class _Traces(trace_service_pb2_grpc.TraceServiceServicer):
    def __init__(self, receiver: OtlpReceiver):
        self.receiver = receiver

    def Export(self, request, context):
        spans = []
        for resource_spans in request.resource_spans:
            service = _attributes(resource_spans.resource.attributes).get("service.name", "")
            for scope in resource_spans.scope_spans:
                for s in scope.spans:
                    spans.append(Span(service, s.name, SPAN_KINDS[s.kind], s.trace_id.hex(), s.span_id.hex(),
                                      s.parent_span_id.hex(), s.start_time_unix_nano, s.end_time_unix_nano,
                                      _attributes(s.attributes), s.status.code,
                                      [(link.trace_id.hex(), link.span_id.hex()) for link in s.links],
                                      [e.name for e in s.events]))
        export = _export("traces", request, request.resource_spans)
        with self.receiver.lock:
            self.receiver.spans += spans
            self.receiver.exports.append(export)
        return trace_service_pb2.ExportTraceServiceResponse()


class _Metrics(metrics_service_pb2_grpc.MetricsServiceServicer):
    def __init__(self, receiver: OtlpReceiver):
        self.receiver = receiver

    def Export(self, request, context):
        points = []
        for resource_metrics in request.resource_metrics:
            service = _attributes(resource_metrics.resource.attributes).get("service.name", "")
            for scope in resource_metrics.scope_metrics:
                for metric in scope.metrics:
                    kind = metric.WhichOneof("data")
                    for p in getattr(metric, kind).data_points:
                        if kind == "histogram":
                            points.append(Point(service, metric.name, _attributes(p.attributes), p.count, p.sum))
                        else:
                            value = p.as_double if p.WhichOneof("value") == "as_double" else p.as_int
                            points.append(Point(service, metric.name, _attributes(p.attributes), value))
        export = _export("metrics", request, request.resource_metrics)
        with self.receiver.lock:
            self.receiver.points += points
            self.receiver.exports.append(export)
        return metrics_service_pb2.ExportMetricsServiceResponse()


class OtlpReceiver:
    """Listens on 127.0.0.1:<free port>; `endpoint` is what OTEL_EXPORTER_OTLP_ENDPOINT takes."""

    def __init__(self):
        self.lock = threading.Lock()
        self.spans: list[Span] = []
        self.points: list[Point] = []
        self.exports: list[Export] = []  # every trace and metric export request, in arrival order
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        trace_service_pb2_grpc.add_TraceServiceServicer_to_server(_Traces(self), self.server)
        metrics_service_pb2_grpc.add_MetricsServiceServicer_to_server(_Metrics(self), self.server)
        self.port = self.server.add_insecure_port("127.0.0.1:0")
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.server.start()

    def close(self) -> None:
        self.server.stop(0).wait()

    def spans_where(self, **wanted) -> list[Span]:
        with self.lock:
            spans = list(self.spans)
        return [s for s in spans if all(getattr(s, k) == v if k != "attributes" else v.items() <= s.attributes.items()
                                        for k, v in wanted.items())]

    def latest_points(self, service: str, metric: str) -> list[Point]:
        """The most recent export's points of one metric of one service (cumulative values)."""
        with self.lock:
            points = [p for p in self.points if p.service == service and p.metric == metric]
        latest: dict[tuple, Point] = {}
        for point in points:
            latest[tuple(sorted(point.attributes.items()))] = point
        return list(latest.values())

    def exports_of(self, kind: str | None = None, since: float = 0.0) -> list[Export]:
        """The export requests received (of one kind, "traces" or "metrics"), those after `since` (monotonic)."""
        with self.lock:
            exports = list(self.exports)
        return [e for e in exports if (kind is None or e.kind == kind) and e.received > since]

    def wait_for(self, check, timeout: float = 20.0, what: str = "telemetry"):
        """Polls `check()` until it returns something truthy; fails with `what` after `timeout`."""
        try:
            return eventually(check, timeout, what, interval=0.1)
        except AssertionError:
            raise AssertionError(f"no {what} within {timeout} s; spans: "
                                 f"{sorted({(s.service, s.name) for s in self.spans})}") from None
