"""Errors the service layers raise, and their gRPC status codes.

Service layers raise these; the gRPC servicers translate them with
`grpc_errors`, so a bad request gets INVALID_ARGUMENT naming the field, a
missing thing NOT_FOUND, and never a traceback.
"""
from __future__ import annotations

import functools
import logging

import grpc

log = logging.getLogger(__name__)


class ServiceError(Exception):
    code = grpc.StatusCode.INTERNAL


class InvalidArgument(ServiceError):
    code = grpc.StatusCode.INVALID_ARGUMENT

    def __init__(self, field: str, problem: str):
        super().__init__(f"{field}: {problem}")
        self.field = field


class NotFound(ServiceError):
    code = grpc.StatusCode.NOT_FOUND


class AlreadyExists(ServiceError):
    code = grpc.StatusCode.ALREADY_EXISTS


class FailedPrecondition(ServiceError):
    code = grpc.StatusCode.FAILED_PRECONDITION


class PermissionDenied(ServiceError):
    code = grpc.StatusCode.PERMISSION_DENIED


def grpc_errors(method):
    """Turns ServiceErrors into gRPC statuses; anything else into INTERNAL with a log line."""

    @functools.wraps(method)
    def wrapper(self, request, context, *args):
        try:
            return method(self, request, context, *args)
        except ServiceError as exc:
            context.abort(exc.code, str(exc))
        except Exception:
            log.exception("unexpected error in %s", method.__name__)
            context.abort(grpc.StatusCode.INTERNAL, f"internal error in {method.__name__}; see the service log")

    return wrapper
