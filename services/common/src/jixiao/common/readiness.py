"""Waiting for a service to answer: gRPC health checks and HTTP probes."""
from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc


def grpc_serving(address: str, service: str = "", timeout: float = 1.0) -> bool:
    """True when the server at `address` reports SERVING for `service`."""
    with grpc.insecure_channel(address) as channel:
        try:
            reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=service), timeout=timeout)
        except grpc.RpcError:
            return False
    return reply.status == health_pb2.HealthCheckResponse.SERVING


def grpc_answering(address: str, timeout: float = 1.0) -> bool:
    """True when a gRPC server at `address` answers health checks at all (serving or not yet)."""
    with grpc.insecure_channel(address) as channel:
        try:
            health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=timeout)
        except grpc.RpcError:
            return False
    return True


def http_ok(url: str, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError):
        return False


def wait_for(check: Callable[[], bool], timeout: float, interval: float = 0.1,
             still_alive: Callable[[], bool] = lambda: True) -> bool:
    """Polls `check` until it is true (True), `timeout` passes or `still_alive` turns false (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        if not still_alive():
            return False
        time.sleep(interval)
    return check()
