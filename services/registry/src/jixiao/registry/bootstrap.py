"""Wires the registry: configuration → storage → service → gRPC server."""
from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from pathlib import Path

from jixiao.common import storage
from jixiao.common.auth import TokenBook
from jixiao.common.grpc_server import GrpcServer, ServiceBinding
from jixiao.v1 import registry_pb2, registry_pb2_grpc

from .adapters.repository import RegistryRepository
from .config import RegistryConfig
from .entrypoints.grpc_servicer import RegistryServicer
from .service_layer.registry_service import RegistryService

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version_registry"
log = logging.getLogger("jixiao.registry")


def build_service(database_url: str) -> RegistryService:
    engine = storage.make_engine(database_url, setting="JIXIAO_REGISTRY_DATABASE_URL")
    storage.upgrade(engine, MIGRATIONS, VERSION_TABLE)
    return RegistryService(RegistryRepository(engine))


class RegistryProcess:
    def __init__(self, config: RegistryConfig):
        self.config = config
        tokens = TokenBook.load(config.tokens_file)
        self.service = build_service(config.database_url)
        self.server = GrpcServer(
            [ServiceBinding(registry_pb2.DESCRIPTOR.services_by_name["RegistryService"].full_name,
                            RegistryServicer(self.service, tokens), registry_pb2_grpc.add_RegistryServiceServicer_to_server)],
            config.host,
            config.port,
            port_setting="JIXIAO_REGISTRY_PORT",
        )

    def run(self, stop: threading.Event) -> None:
        self.server.start()
        log.info("registry listening on %s:%d", self.config.host, self.server.port)
        stop.wait()
        log.info("stopping")
        self.server.stop()


def build(environ: Mapping[str, str]) -> RegistryProcess:
    return RegistryProcess(RegistryConfig.from_env(environ))
