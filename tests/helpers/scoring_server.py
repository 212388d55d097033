"""Scoring's gRPC servicer over a real port for in-process tests: `with scoring_over_grpc(service, tokens) as
call:` then `call("GetEvent", request, token)`."""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import grpc

from jixiao.common.auth import TokenBook, call_credentials
from jixiao.common.grpc_server import GrpcServer, ServiceBinding
from jixiao.scoring.entrypoints.grpc_servicer import ScoringServicer
from jixiao.scoring.service_layer.period_review import PeriodReview
from jixiao.v1 import scoring_pb2_grpc


@contextlib.contextmanager
def scoring_over_grpc(service, tokens) -> Iterator[Callable]:
    """Serves `service` on a free port with the tokens file of `tokens` (helpers.make_tokens);
    yields call(rpc, request, token), each call with a 10-second deadline."""
    servicer = ScoringServicer(service, PeriodReview(service), TokenBook.load(tokens.file))
    server = GrpcServer([ServiceBinding("jixiao.v1.ScoringService", servicer,
                                        scoring_pb2_grpc.add_ScoringServiceServicer_to_server)],
                        "127.0.0.1", 0, port_setting="test")
    server.start()
    channel = grpc.insecure_channel(f"127.0.0.1:{server.port}")
    stub = scoring_pb2_grpc.ScoringServiceStub(channel)

    def call(rpc: str, request, token: str):
        return getattr(stub, rpc)(request, timeout=10, metadata=call_credentials(token or ""))

    try:
        yield call
    finally:
        channel.close()
        server.stop(0)
