"""What a backend (scoring, the registry, the Kafka broker) refused or failed
to do, as the adapters raise it: one class per kind of answer, each with a
message for the caller. The entry points decide what each becomes in HTTP
(entrypoints/http_errors.py); nothing below them knows HTTP."""
from __future__ import annotations


class BackendError(Exception):
    """A call to a backend that did not succeed; `message` says why, for the caller."""

    def __init__(self, message: str, backend: str = "", method: str = ""):
        super().__init__(message)
        self.message = message
        self.backend = backend  # "scoring", "registry" or "kafka"
        self.method = method  # the rpc, when there is one


class InvalidArgument(BackendError):
    """The backend refused a value of the request (gRPC INVALID_ARGUMENT, OUT_OF_RANGE)."""


class NotFound(BackendError):
    """No such scheme, period, unit, event… (NOT_FOUND)."""


class AlreadyExists(BackendError):
    """ALREADY_EXISTS."""


class FailedPrecondition(BackendError):
    """Not in this state: e.g. a period that is not locked, or open high-severity findings (FAILED_PRECONDITION)."""


class Unauthenticated(BackendError):
    """The backend does not know the token (UNAUTHENTICATED)."""


class PermissionDenied(BackendError):
    """The token's role may not do this (PERMISSION_DENIED)."""


class Unimplemented(BackendError):
    """The rpc is in the contract but not in the service yet (UNIMPLEMENTED)."""


class Unavailable(BackendError):
    """The backend does not answer, or not in time (UNAVAILABLE, DEADLINE_EXCEEDED); try again shortly."""


class BrokerUnavailable(Unavailable):
    """The Kafka broker does not answer, or did not take every record."""


class NoRelayKey(Unavailable):
    """Uploads cannot be published: the gateway has no relay key to sign them with."""


class BackendFailed(BackendError):
    """Any other failure of a backend."""
