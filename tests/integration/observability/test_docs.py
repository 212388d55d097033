"""docs/observability.md lists every OTEL_* variable the services read, every
metric they define, and the sample collector configuration holds together."""
from __future__ import annotations

import re
import sys

import yaml

from helpers import REPO

sys.path.insert(0, str(REPO / "tests" / "contracts" / "deploy"))
import jixiao_deploy_checks as checks  # noqa: E402

DOC = (REPO / "docs" / "observability.md").read_text(encoding="utf-8")
# The first argument naming an instrument: meter.create_counter("name", …), duration_histogram(meter, "name", …).
INSTRUMENT = re.compile(r'(?:create_counter|create_histogram|create_up_down_counter|create_observable_gauge|duration_histogram)'
                        r'\(\s*(?:[a-z_]+(?:\([^()]*\))?,\s*)?"([a-z][a-z0-9_.]+)"')


def test_every_otel_variable_the_services_read_is_documented():
    table = set(re.findall(r"^\| `(OTEL_[A-Z0-9_]+)` \|", DOC, re.MULTILINE))
    assert checks.all_env_reads("OTEL_") == table


# Metrics an instrumentation package makes for the services (telemetry.instrument_wsgi), by the package.
PACKAGE_METRICS = {"http.server.request.duration": "opentelemetry-instrumentation-flask",
                   "http.server.active_requests": "opentelemetry-instrumentation-flask"}


def test_every_metric_the_services_define_is_documented():
    defined = {name for path in (REPO / "services").rglob("*.py")
               for name in INSTRUMENT.findall(path.read_text(encoding="utf-8"))}
    documented = set(re.findall(r"^\| `([a-z][a-z0-9_.]+)` \| (?:counter|gauge|histogram)", DOC, re.MULTILINE))
    assert len(defined) >= 9
    assert defined | set(PACKAGE_METRICS) == documented
    for name, package in PACKAGE_METRICS.items():
        assert re.search(rf"^\| `{re.escape(name)}` \|.*{package}", DOC, re.MULTILINE), f"{name}: say it is {package}'s"


def test_the_sample_collector_configuration_holds_together():
    path = REPO / "deploy" / "otel" / "collector.yaml"
    assert "`deploy/otel/collector.yaml`" in DOC
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    for pipeline in config["service"]["pipelines"].values():
        for part in ("receivers", "processors", "exporters"):
            assert set(pipeline[part]) <= set(config[part]), f"{part} of a pipeline are not defined"
    assert set(config["service"]["extensions"]) <= set(config["extensions"])
    # The services' default OTLP endpoint (no OTEL_EXPORTER_OTLP_ENDPOINT) is localhost:4317.
    assert config["receivers"]["otlp"]["protocols"]["grpc"]["endpoint"].rsplit(":", 1)[1] == "4317"
    assert {"traces", "metrics"} <= set(config["service"]["pipelines"])
