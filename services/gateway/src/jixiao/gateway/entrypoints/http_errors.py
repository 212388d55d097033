"""Errors as HTTP answers: `ApiError` (answered as JSON under /api/v1), and
the HTTP status of each error the layers below raise — a backend's refusal
or failure (adapters/backend_errors.py), a period the caller may not see, an
upload refused (service_layer/). A backend down is 503 with Retry-After,
never a traceback."""
from __future__ import annotations

from werkzeug.exceptions import HTTPException

from ..adapters import backend_errors as backend
from ..domain.upload_rows import report_json
from ..service_layer.period_access import OnlyPublished, PeriodNotPublished
from ..service_layer.value_uploads import ForeignRows, InvalidRows

RETRY_AFTER_SECONDS = 5

# The status and error code of each backend error (the first class of its MRO found here).
BACKEND_STATUS = {
    backend.InvalidArgument: (400, "invalid_argument"),
    backend.NotFound: (404, "not_found"),
    backend.AlreadyExists: (409, "already_exists"),
    backend.FailedPrecondition: (409, "failed_precondition"),
    backend.Unauthenticated: (401, "unauthenticated"),
    backend.PermissionDenied: (403, "permission_denied"),
    backend.Unimplemented: (501, "not_implemented"),
    backend.NoRelayKey: (503, "uploads_unavailable"),
    backend.BrokerUnavailable: (503, "kafka_unavailable"),
    backend.Unavailable: (503, "backend_unavailable"),
    backend.BackendError: (502, "backend_error"),
}


class ApiError(HTTPException):
    """An error answered as JSON: {"error": {"code": ..., "message": ...}, **extra}."""

    def __init__(self, status: int, code: str, message: str, retry_after: int | None = None, extra: dict | None = None):
        super().__init__(message)
        self.code = status
        self.error_code = code
        self.message = message
        self.retry_after = retry_after
        self.extra = extra or {}


def from_backend(error: backend.BackendError) -> ApiError:
    status, code = next(BACKEND_STATUS[kind] for kind in type(error).__mro__ if kind in BACKEND_STATUS)
    return ApiError(status, code, error.message, RETRY_AFTER_SECONDS if status == 503 else None)


def from_refusal(error: Exception) -> ApiError:
    """The answer to what the service layer refused."""
    if isinstance(error, PeriodNotPublished):
        return ApiError(404, "period_not_published", str(error))
    if isinstance(error, OnlyPublished):
        return ApiError(403, "permission_denied", str(error))
    if isinstance(error, ForeignRows):
        return ApiError(403, "permission_denied", error.message,
                        extra={"rows": error.rows, "problems": report_json(error.problems)})
    if isinstance(error, InvalidRows):
        return ApiError(422, "invalid_rows", error.message,
                        extra={"rows": error.rows, "problems": report_json(error.problems)})
    raise TypeError(f"no answer for {error!r}")


REFUSALS = (PeriodNotPublished, OnlyPublished, ForeignRows, InvalidRows)
