"""gRPC clients of the scoring and registry services. A failed call raises the
backend error of its status (adapters/backend_errors.py: a backend down is
`Unavailable`, never a traceback).

Every call has a deadline and carries a bearer token: the gateway's own
reader token (JIXIAO_SERVICE_TOKEN) for reads, or the caller's token where
the backend must decide what the caller may do (period actions,
self-evaluations), so that the backend checks the caller's role itself.
"""
from __future__ import annotations

from collections.abc import Sequence

import grpc
from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor

from jixiao.common import telemetry
from jixiao.common.auth import call_credentials
from jixiao.v1 import assessment_pb2_grpc, ballots_pb2_grpc, registry_pb2_grpc, scoring_pb2_grpc, simulation_pb2_grpc

from . import backend_errors as errors

MAX_MESSAGE_BYTES = 64 * 1024 * 1024  # a city's scheme document with every person and target

_ERRORS = {
    grpc.StatusCode.INVALID_ARGUMENT: errors.InvalidArgument,
    grpc.StatusCode.OUT_OF_RANGE: errors.InvalidArgument,
    grpc.StatusCode.NOT_FOUND: errors.NotFound,
    grpc.StatusCode.ALREADY_EXISTS: errors.AlreadyExists,
    grpc.StatusCode.FAILED_PRECONDITION: errors.FailedPrecondition,
    grpc.StatusCode.UNAUTHENTICATED: errors.Unauthenticated,
    grpc.StatusCode.PERMISSION_DENIED: errors.PermissionDenied,
    grpc.StatusCode.UNIMPLEMENTED: errors.Unimplemented,
    grpc.StatusCode.UNAVAILABLE: errors.Unavailable,
    grpc.StatusCode.DEADLINE_EXCEEDED: errors.Unavailable,
}


def from_rpc_error(error: grpc.RpcError, backend: str, method: str = "") -> errors.BackendError:
    kind = _ERRORS.get(error.code(), errors.BackendFailed)
    if kind is errors.Unavailable:
        message = f"the {backend} service is not answering; try again shortly"
    elif kind is errors.Unimplemented:
        message = f"the {backend} service does not offer this yet ({error.details() or 'unimplemented'})"
    else:
        message = error.details() or error.code().name.lower()
    return kind(message, backend, method)


# Scoring's office actions: each recomputes or digests a whole period (or grades its pools), or
# runs the anomaly checks over the year's figures (ListFindings, when events changed), or
# scores a what-if (Simulate).
PERIOD_ACTIONS = frozenset({"LockPeriod", "ApprovePeriod", "PublishPeriod", "ReopenPeriod", "RecheckPeriod",
                            "ResolveGradeTie", "ListFindings", "MarkFinding", "Simulate"})


class Backends:
    """Stubs with a deadline on every call (a longer one for period actions)."""

    def __init__(self, scoring_address: str, registry_address: str, deadline_seconds: float, token: str,
                 action_deadline_seconds: float | None = None):
        self.deadline = deadline_seconds
        self.action_deadline = action_deadline_seconds or deadline_seconds
        self.metadata = call_credentials(token)  # the gateway's own reader token
        options = [("grpc.max_receive_message_length", MAX_MESSAGE_BYTES)]
        self._channels = [grpc.insecure_channel(scoring_address, options=options),
                          grpc.insecure_channel(registry_address, options=options)]
        # Client spans (traceparent in the metadata) and durations when telemetry is on.
        self.scoring = scoring_pb2_grpc.ScoringServiceStub(telemetry.intercept_channel(self._channels[0]))
        self.registry = registry_pb2_grpc.RegistryServiceStub(telemetry.intercept_channel(self._channels[1]))
        # AssessmentService is served by the scoring process, on its channel (backend "assessment").
        self.assessment = assessment_pb2_grpc.AssessmentServiceStub(telemetry.intercept_channel(self._channels[0]))
        # Democratic evaluation ballots (docs/ballots.md), served by the scoring process.
        self.ballots = ballots_pb2_grpc.BallotServiceStub(telemetry.intercept_channel(self._channels[0]))
        # What-if simulations (docs/simulation.md), served by the scoring process.
        self.simulation = simulation_pb2_grpc.SimulationServiceStub(telemetry.intercept_channel(self._channels[0]))

    def call(self, backend: str, method: str, request, token: str | None = None) -> dict:
        """Calls `backend.method(request)` and returns the reply as a JSON-ready dict.
        `token` is the caller's, to be checked by the backend; default the gateway's own."""
        return as_json(self.call_message(backend, method, request, token))

    def call_message(self, backend: str, method: str, request, token: str | None = None):
        """`call`, the reply as the protobuf message (for replies carrying bytes, such as a file)."""
        rpc = getattr(getattr(self, backend), method)
        try:
            deadline = self.action_deadline if method in PERIOD_ACTIONS else self.deadline
            return rpc(request, timeout=deadline, metadata=self._metadata(token))
        except grpc.RpcError as error:
            raise from_rpc_error(error, backend, method) from None

    def gather(self, backend: str, method: str, requests: Sequence,
               token: str | None = None) -> list[dict | errors.BackendError]:
        """Several calls of one method at once (concurrently); each failure is returned in its place as a BackendError."""
        rpc = getattr(getattr(self, backend), method)
        metadata = self._metadata(token)
        futures = [rpc.future(request, timeout=self.deadline, metadata=metadata) for request in requests]
        results: list[dict | errors.BackendError] = []
        for future in futures:
            try:
                reply = future.result()
            except grpc.RpcError as error:
                results.append(from_rpc_error(error, backend, method))
                continue
            results.append(as_json(reply))
        return results

    def _metadata(self, token: str | None):
        return self.metadata if token is None else call_credentials(token)

    def close(self) -> None:
        for channel in self._channels:
            channel.close()


def as_json(message) -> dict:
    """proto3 JSON of a reply with the field names of the .proto, every field
    present, 64-bit integers as numbers and enum values as short lower-case
    names (PERIOD_STATE_PUBLISHED → "published")."""
    data = json_format.MessageToDict(message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True)
    return _api_values(message.DESCRIPTOR, data)


_INT64 = {FieldDescriptor.TYPE_INT64, FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_SINT64,
          FieldDescriptor.TYPE_FIXED64, FieldDescriptor.TYPE_SFIXED64}


def enum_text(enum_type, name: str) -> str:
    """PERIOD_STATE_PUBLISHED → published, for an enum named PeriodState."""
    prefix = "".join("_" + c if c.isupper() and i else c for i, c in enumerate(enum_type.name)).upper() + "_"
    return name.removeprefix(prefix).lower()


def _enum_value(enum_type, value):
    return enum_text(enum_type, value) if isinstance(value, str) else value  # a number the .proto does not name


def _api_values(descriptor, data: dict) -> dict:
    for field in descriptor.fields:
        if field.name not in data:
            continue
        value = data[field.name]
        if field.type in _INT64:
            data[field.name] = [int(v) for v in value] if isinstance(value, list) else int(value)
        elif field.enum_type is not None:
            data[field.name] = ([_enum_value(field.enum_type, v) for v in value] if isinstance(value, list)
                                else _enum_value(field.enum_type, value))
        elif field.message_type is not None and not field.message_type.GetOptions().map_entry:
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):  # well-known types such as Timestamp are written as strings
                    _api_values(field.message_type, item)
    return data
