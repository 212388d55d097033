"""Telemetry kept in this process for tests: an in-memory span exporter and
metric reader installed as the platform's providers."""
from __future__ import annotations

from contextlib import contextmanager

from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from jixiao.common import telemetry


@contextmanager
def in_memory_telemetry():
    """Yields (span exporter, metric reader) while they are the installed providers'."""
    exporter = InMemorySpanExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    reader = InMemoryMetricReader()
    with telemetry.installed(tracer_provider, MeterProvider(metric_readers=[reader])):
        yield exporter, reader


def points(reader: InMemoryMetricReader, name: str) -> list:
    """The data points of metric `name` the reader collects now."""
    data = reader.get_metrics_data()
    return [point for resource in (data.resource_metrics if data else ()) for scope in resource.scope_metrics
            for metric in scope.metrics if metric.name == name for point in metric.data.data_points]
