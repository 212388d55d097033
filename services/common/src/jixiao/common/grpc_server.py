"""A gRPC server with health checking and server reflection.

Every service's gRPC port answers `grpc.health.v1.Health` (overall and per
service name) and server reflection, so `grpcurl` and Kubernetes probes
work against any of them.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent import futures
from dataclasses import dataclass

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from . import telemetry
from .config import ConfigError, check_port_free

MAX_MESSAGE_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class ServiceBinding:
    """One servicer to serve: its full name (for health and reflection) and
    the generated `add_XServicer_to_server` function."""

    full_name: str
    servicer: object
    add_to_server: Callable[[object, grpc.Server], None]


class GrpcServer:
    """Starts the server on host:port; `port` is the bound port (useful with 0)."""

    def __init__(self, bindings: Iterable[ServiceBinding], host: str, port: int, *, port_setting: str, workers: int = 16):
        # Checked here first: gRPC would also log its own error line to stderr.
        check_port_free(host, port, port_setting)
        self.bindings = list(bindings)
        self.server = grpc.server(
            futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="grpc"),
            options=[
                ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
                ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
                ("grpc.so_reuseport", 0),
            ],
            interceptors=telemetry.server_interceptors(),  # spans and durations; none when telemetry is off
        )
        for binding in self.bindings:
            binding.add_to_server(binding.servicer, self.server)
        self.health = health.HealthServicer()
        health_pb2_grpc.add_HealthServicer_to_server(self.health, self.server)
        names = [b.full_name for b in self.bindings]
        reflection.enable_server_reflection([*names, health.SERVICE_NAME, reflection.SERVICE_NAME], self.server)
        address = f"{host}:{port}"
        try:
            self.port = self.server.add_insecure_port(address)
        except RuntimeError:
            self.port = 0
        if self.port == 0:
            raise ConfigError(f"cannot listen on {address}: the port is in use or the address is not local; set {port_setting} to a free port")

    def start(self, serving: bool = True) -> None:
        """Starts answering; health reports NOT_SERVING until `set_serving(True)` when `serving` is false."""
        self.server.start()
        self.set_serving(serving)

    def set_serving(self, serving: bool) -> None:
        status = health_pb2.HealthCheckResponse.SERVING if serving else health_pb2.HealthCheckResponse.NOT_SERVING
        self.health.set("", status)
        for binding in self.bindings:
            self.health.set(binding.full_name, status)

    def stop(self, grace_seconds: float = 5.0) -> None:
        """Refuses new calls, lets calls in flight finish (up to the grace period)."""
        self.set_serving(False)
        self.server.stop(grace_seconds).wait()
