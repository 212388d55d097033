"""The services export telemetry to the namespace's collector, with only
OTEL_* variables they read (services/common/src/jixiao/common/telemetry.py)."""
from __future__ import annotations

import copy
from urllib.parse import urlsplit

import jixiao_deploy_checks as checks
import pytest

OVERLAYS = pytest.mark.parametrize("overlay", checks.OVERLAYS)


def _service_env(docs, overlay):
    images = checks.overlay_images(overlay)
    for doc in docs:
        spec = checks.pod_spec(doc)
        if spec is None or doc["kind"] != "Deployment":
            continue
        for container in spec["containers"]:
            program = checks.jixiao_service_of(container, images)
            if program in checks.SERVICE_NAMES:
                values = {}
                for source in container.get("envFrom", []):
                    if "configMapRef" in source:
                        values.update(checks.one(docs, "ConfigMap", source["configMapRef"]["name"]).get("data", {}))
                values.update({e["name"]: e["value"] for e in container.get("env", []) if "value" in e})
                yield program, doc["spec"]["template"]["metadata"]["labels"], values


@OVERLAYS
def test_every_service_exports_to_the_collector_it_may_reach(rendered, overlay):
    docs = rendered[overlay]
    collector = checks.one(docs, "Service", "jixiao-otel-collector")
    grpc_port = next(p["port"] for p in collector["spec"]["ports"] if p["name"] == "otlp-grpc")
    policy = checks.one(docs, "NetworkPolicy", "jixiao-otel-collector-from-namespace")
    seen = set()
    for program, labels, env in _service_env(docs, overlay):
        seen.add(program)
        assert env["OTEL_TRACES_EXPORTER"] == "otlp" and env["OTEL_METRICS_EXPORTER"] == "otlp", program
        endpoint = urlsplit(env["OTEL_EXPORTER_OTLP_ENDPOINT"])
        assert (endpoint.scheme, endpoint.hostname, endpoint.port) == ("http", collector["metadata"]["name"], grpc_port), program
        admitted = any(any("podSelector" in peer and "namespaceSelector" not in peer and checks._selects(peer["podSelector"], labels)
                           for peer in rule.get("from", []))
                       and any(p["port"] == grpc_port for p in rule.get("ports", []))
                       for rule in policy["spec"]["ingress"])
        assert admitted, f"{program}: the collector's NetworkPolicy does not admit it on {grpc_port}"
        assert 0.0 <= float(env["OTEL_TRACES_SAMPLER_ARG"]) <= 1.0
    assert seen == set(checks.SERVICE_NAMES)


def test_prod_samples_fewer_traces_than_the_base(rendered):
    ratios = {overlay: {program: float(env["OTEL_TRACES_SAMPLER_ARG"]) for program, _, env in _service_env(rendered[overlay], overlay)}
              for overlay in checks.OVERLAYS}
    assert set(ratios["prod"].values()) == {0.1}
    assert set(ratios["dev"].values()) == {1.0}


def test_the_scanner_knows_the_otel_variables_the_services_read():
    for program in checks.SERVICE_NAMES:
        reads = checks.env_reads(program).names
        assert {"OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SERVICE_NAME",
                "OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG"} <= reads, program
    for program in ("migrate", "cli", "tokens"):
        assert not {n for n in checks.env_reads(program).names if n.startswith("OTEL_")}, program


def test_an_otel_variable_the_services_do_not_read_fails(rendered):
    docs = copy.deepcopy(rendered["dev"])
    checks.one(docs, "ConfigMap", "jixiao-gateway-env")["data"]["OTEL_LOGS_EXPORTER"] = "otlp"
    migrate = checks.one(docs, "Job", "jixiao-migrate")["spec"]["template"]["spec"]["containers"][0]
    migrate.setdefault("env", []).append({"name": "OTEL_TRACES_EXPORTER", "value": "otlp"})
    problems = checks.container_env_problems(docs, checks.overlay_images("dev"))
    assert any("OTEL_LOGS_EXPORTER is not read by the gateway" in p for p in problems), problems
    assert any("OTEL_TRACES_EXPORTER is not read by the migrate" in p for p in problems), problems
