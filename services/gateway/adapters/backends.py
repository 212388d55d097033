"""gRPC clients of the scoring and registry services, and how their errors
become HTTP answers (a backend down is 503 with Retry-After, never a
traceback)."""
from __future__ import annotations

import grpc
from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor
from werkzeug.exceptions import HTTPException

from jixiao.common.auth import call_credentials
from jixiao.v1 import registry_pb2_grpc, scoring_pb2_grpc

RETRY_AFTER_SECONDS = 5

_HTTP_STATUS = {
    grpc.StatusCode.INVALID_ARGUMENT: (400, "invalid_argument"),
    grpc.StatusCode.OUT_OF_RANGE: (400, "invalid_argument"),
    grpc.StatusCode.NOT_FOUND: (404, "not_found"),
    grpc.StatusCode.ALREADY_EXISTS: (409, "already_exists"),
    grpc.StatusCode.FAILED_PRECONDITION: (409, "failed_precondition"),
    grpc.StatusCode.UNAUTHENTICATED: (401, "unauthenticated"),
    grpc.StatusCode.PERMISSION_DENIED: (403, "permission_denied"),
    grpc.StatusCode.UNAVAILABLE: (503, "backend_unavailable"),
    grpc.StatusCode.DEADLINE_EXCEEDED: (503, "backend_unavailable"),
}


class ApiError(HTTPException):
    """An error answered as JSON: {"error": {"code": ..., "message": ...}}."""

    def __init__(self, status: int, code: str, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.code = status
        self.error_code = code
        self.message = message
        self.retry_after = retry_after


def from_rpc_error(error: grpc.RpcError, backend: str) -> ApiError:
    status, code = _HTTP_STATUS.get(error.code(), (502, "backend_error"))
    if status == 503:
        return ApiError(status, code, f"the {backend} service is not answering; try again shortly", RETRY_AFTER_SECONDS)
    return ApiError(status, code, error.details() or error.code().name.lower())


class Backends:
    """Stubs with a deadline on every call."""

    def __init__(self, scoring_address: str, registry_address: str, deadline_seconds: float, token: str):
        self.deadline = deadline_seconds
        self.metadata = call_credentials(token)
        self._channels = [grpc.insecure_channel(scoring_address), grpc.insecure_channel(registry_address)]
        self.scoring = scoring_pb2_grpc.ScoringServiceStub(self._channels[0])
        self.registry = registry_pb2_grpc.RegistryServiceStub(self._channels[1])

    def call(self, backend: str, method: str, request) -> dict:
        """Calls `backend.method(request)` and returns the reply as a JSON-ready dict."""
        stub = getattr(self, backend)
        try:
            reply = getattr(stub, method)(request, timeout=self.deadline, metadata=self.metadata)
        except grpc.RpcError as error:
            raise from_rpc_error(error, backend) from None
        return _int64_as_numbers(reply.DESCRIPTOR, json_format.MessageToDict(
            reply, preserving_proto_field_name=True, always_print_fields_with_no_presence=True))

    def close(self) -> None:
        for channel in self._channels:
            channel.close()


_INT64 = {FieldDescriptor.TYPE_INT64, FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_SINT64,
          FieldDescriptor.TYPE_FIXED64, FieldDescriptor.TYPE_SFIXED64}


def _int64_as_numbers(descriptor, data: dict) -> dict:
    """proto3 JSON writes 64-bit integers as strings; the API answers numbers (all ours fit a JSON number)."""
    for field in descriptor.fields:
        if field.name not in data:
            continue
        if field.type in _INT64:
            value = data[field.name]
            data[field.name] = [int(v) for v in value] if isinstance(value, list) else int(value)
        elif field.message_type is not None and not field.message_type.GetOptions().map_entry:
            value = data[field.name]
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):  # well-known types such as Timestamp are written as strings
                    _int64_as_numbers(field.message_type, item)
    return data
