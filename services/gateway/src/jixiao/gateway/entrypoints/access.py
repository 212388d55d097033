"""Who is calling the HTTP API and what they may see.

Without a bearer token (or with one that is not the office's) a caller is
the public: it sees only PUBLISHED periods, and any period-scoped read of
another period is 404 `period_not_published` (service_layer/period_access.py
decides). An office token (`Authorization: Bearer …`, checked against
JIXIAO_TOKENS_FILE) sees every period, and its answers are marked private. A
token the tokens file does not know is 401, never silently the public.
"""
from __future__ import annotations

from flask import g, request

from jixiao.common.auth import Principal
from jixiao_sdk.periods import PeriodError, parse_period

from ..service_layer.period_access import PUBLIC, Viewer
from .http_errors import ApiError
from .wiring import periods, token_book

BEARER = "Bearer "


def caller_token() -> str:
    """The bearer token of the request, '' without one; 401 for a malformed header."""
    header = request.headers.get("Authorization", "")
    if not header:
        return ""
    if not header.startswith(BEARER) or not header[len(BEARER):].strip():
        raise ApiError(401, "unauthenticated", "the Authorization header must be 'Bearer <token>'")
    return header[len(BEARER):].strip()


def caller() -> Principal | None:
    """The authenticated caller, None for the public; 401 for an unknown token."""
    if "jixiao_caller" not in g:
        token = caller_token()
        principal = None
        if token:
            principal = token_book().principal(token)
            if principal is None:
                raise ApiError(401, "unauthenticated", "unknown bearer token")
        g.jixiao_caller = principal
        if is_office():
            mark_private()
    return g.jixiao_caller


def is_office() -> bool:
    principal = g.jixiao_caller if "jixiao_caller" in g else caller()
    return principal is not None and principal.role == "office"


def require_role(*roles: str) -> Principal:
    """The caller, who must hold one of `roles`: 401 without a token, 403 with another role."""
    principal = caller()
    wanted = " or ".join(roles)
    if principal is None:
        raise ApiError(401, "unauthenticated", f"this needs an {wanted} token: 'Authorization: Bearer <token>'")
    if principal.role not in roles:
        raise ApiError(403, "permission_denied", f"this needs an {wanted} token; {principal.name or 'this token'} is {principal.role}")
    mark_private()
    return principal


def read_token() -> str | None:
    """The token a read is made with: the office's own (scoring then shows what only the office
    may see, such as a ballot with its pseudonym), else the gateway's (None)."""
    return caller_token() if is_office() else None


def mark_private() -> None:
    """The answer is for this caller only: `Cache-Control: private, no-store`."""
    g.jixiao_private = True


def checked_period(text: str, name: str = "period") -> str:
    try:
        return parse_period(text).text
    except PeriodError as exc:
        raise ApiError(400, "invalid_argument", f"{name}: {exc}") from None


def viewer() -> Viewer:
    """The caller as the service layer sees it: the office (reading with its own token), or the public."""
    return Viewer(office=True, token=caller_token()) if is_office() else PUBLIC


def require_visible(scheme_code: str, period: str) -> str:
    """`period` (checked), which the caller may see in this scheme: always for
    the office, only when PUBLISHED for everyone else (404 otherwise)."""
    period = checked_period(period)
    periods().require_visible(scheme_code, period, viewer())
    return period


def visible(period: str) -> bool:
    """Whether the caller may see anything of `period`, in whichever scheme
    governs its year (for comparisons that reach into another period)."""
    return periods().visible(period, viewer())
