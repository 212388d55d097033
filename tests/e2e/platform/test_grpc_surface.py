"""Every gRPC port answers health checks and server reflection; SIGINT
stops a service as cleanly as SIGTERM."""
from __future__ import annotations

import signal

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from helpers import ServiceProcess, free_port, make_tokens
from jixiao.common.readiness import grpc_serving


def listed_services(address: str) -> set[str]:
    with grpc.insecure_channel(address) as channel:
        stub = reflection_pb2_grpc.ServerReflectionStub(channel)
        replies = stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]), timeout=5)
        return {s.name for reply in replies for s in reply.list_services_response.service}


@pytest.mark.parametrize("address_attr, service", [("registry_address", "jixiao.v1.RegistryService"),
                                                   ("scoring_address", "jixiao.v1.ScoringService")])
def test_health_and_reflection(platform, address_attr, service):
    address = getattr(platform, address_attr)
    assert service in listed_services(address)
    assert "grpc.health.v1.Health" in listed_services(address)
    with grpc.insecure_channel(address) as channel:
        reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
    assert reply.status == health_pb2.HealthCheckResponse.SERVING


def test_ctrl_c_stops_the_registry_cleanly(tmp_path):
    port = free_port()
    registry = ServiceProcess("jixiao.registry", {"JIXIAO_DATA_DIR": str(tmp_path), "JIXIAO_REGISTRY_PORT": str(port),
                                                  "JIXIAO_TOKENS_FILE": str(make_tokens(tmp_path).file)}, tmp_path)
    registry.wait_ready(lambda: grpc_serving(f"127.0.0.1:{port}"))
    assert registry.stop(signal.SIGINT) == 0
    assert "Traceback" not in registry.stderr() and "KeyboardInterrupt" not in registry.stderr()
