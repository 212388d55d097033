"""The indicators scoring computes now (ListIndicators), as far as an upload
needs them: the metrics they consume."""
from __future__ import annotations

from jixiao.v1 import scoring_pb2

from .grpc_clients import Backends


class ActiveIndicators:
    def __init__(self, backends: Backends):
        self.backends = backends

    def consumed_metrics(self) -> frozenset[str]:
        """The metrics some active indicator consumes (asked of scoring now)."""
        reply = self.backends.call("scoring", "ListIndicators", scoring_pb2.ListIndicatorsRequest())
        return frozenset(metric for indicator in reply["indicators"] for metric in indicator["input_metrics"])
