"""A small Python client of the registry, used by the CLI, by `jixiao up`
and by the other services: every call carries the bearer token and a
deadline."""
from __future__ import annotations

import grpc

from jixiao.common import telemetry
from jixiao.common.auth import call_credentials
from jixiao.v1 import registry_pb2 as pb
from jixiao.v1 import registry_pb2_grpc


class RegistryClient:
    def __init__(self, address: str, token: str, deadline_seconds: float = 10.0):
        self.address = address
        self.deadline = deadline_seconds
        self.channel = grpc.insecure_channel(address, options=[("grpc.max_receive_message_length", 64 * 1024 * 1024)])
        self.stub = registry_pb2_grpc.RegistryServiceStub(telemetry.intercept_channel(self.channel))
        self.metadata = call_credentials(token)

    def call(self, method: str, request):
        return getattr(self.stub, method)(request, timeout=self.deadline, metadata=self.metadata)

    def close(self) -> None:
        self.channel.close()

    def __enter__(self) -> RegistryClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # conveniences used in more than one place ---------------------------
    def published_versions(self) -> dict[str, int]:
        """Latest published version number of every scheme code."""
        latest: dict[str, int] = {}
        for v in self.call("ListSchemeVersions", pb.ListSchemeVersionsRequest()).versions:
            if v.status == "published":
                latest[v.code] = max(latest.get(v.code, 0), v.version)
        return latest

    def active_plugins(self) -> list[pb.PluginVersion]:
        return list(self.call("ListPlugins", pb.ListPluginsRequest(status="active")).plugins)
