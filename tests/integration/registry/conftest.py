"""A registry served on a real gRPC port, in the test's process."""
import pytest

from helpers import make_tokens
from jixiao.common.auth import TokenBook
from jixiao.common.grpc_server import GrpcServer, ServiceBinding
from jixiao.registry.bootstrap import build_service
from jixiao.registry.entrypoints.grpc_servicer import RegistryServicer
from jixiao.v1 import registry_pb2_grpc


@pytest.fixture
def registry(tmp_path):
    tokens = make_tokens(tmp_path)
    service = build_service(f"sqlite:///{tmp_path / 'registry.db'}")
    server = GrpcServer([ServiceBinding("jixiao.v1.RegistryService", RegistryServicer(service, TokenBook.load(tokens.file)),
                                        registry_pb2_grpc.add_RegistryServiceServicer_to_server)],
                        "127.0.0.1", 0, port_setting="test")
    server.start()
    yield f"127.0.0.1:{server.port}", tokens
    server.stop(0)
