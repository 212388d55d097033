"""Who is calling: bearer tokens, their roles, and the check on every rpc.

Tokens are random strings handed to people and systems; services never store
them, only their SHA-256 in a tokens file (JIXIAO_TOKENS_FILE):

    tokens:
      - {name: 考核办, role: office, sha256: 3f1c…}
      - {name: 市统计局, role: feed, subject: stats_bureau, sha256: 9a0b…}
      - {name: 发改委开发组, role: department, subject: development_reform, sha256: …}

Roles: `office` (the evaluation office: approves, activates, publishes),
`department` (registers its own plug-ins; `subject` is its department code),
`feed` (reports metrics as the source `subject`), `reader` (reads; also the
role services use to call each other). `jixiao tokens` creates entries.
"""
from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import grpc
import yaml

from . import telemetry
from .config import ConfigError
from .errors import grpc_errors

ROLES = ("office", "department", "feed", "reader")
METADATA_KEY = "authorization"


@dataclass(frozen=True)
class Principal:
    name: str
    role: str
    subject: str = ""


def new_token() -> str:
    return "jx_" + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenBook:
    """The known tokens, by hash."""

    def __init__(self, entries: Mapping[str, Principal]):
        self._by_hash = dict(entries)

    @classmethod
    def load(cls, path: Path, setting: str = "JIXIAO_TOKENS_FILE") -> TokenBook:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except OSError as exc:
            raise ConfigError(f"{setting}={path}: {exc.strerror}; create it with `jixiao tokens init {path}`") from None
        except yaml.YAMLError:
            raise ConfigError(f"{setting}={path}: not valid YAML") from None
        entries = {}
        for i, item in enumerate(data.get("tokens") or []):
            where = f"{setting}={path}: tokens[{i}]"
            if not isinstance(item, dict) or item.get("role") not in ROLES:
                raise ConfigError(f"{where}: role must be one of {', '.join(ROLES)}")
            digest = str(item.get("sha256", ""))
            if len(digest) != 64:
                raise ConfigError(f"{where}: sha256 must be the 64 hex digits of the token's SHA-256")
            if item["role"] in ("feed", "department") and not item.get("subject"):
                raise ConfigError(f"{where}: a {item['role']} token needs a subject (its source or department code)")
            entries[digest.lower()] = Principal(str(item.get("name", "")), item["role"], str(item.get("subject", "")))
        if not entries:
            raise ConfigError(f"{setting}={path}: lists no tokens; add one with `jixiao tokens add {path} --role office`")
        return cls(entries)

    def principal(self, token: str) -> Principal | None:
        return self._by_hash.get(token_hash(token))


def bearer_token(context: grpc.ServicerContext) -> str:
    for key, value in context.invocation_metadata() or ():
        if key == METADATA_KEY and value.startswith("Bearer "):
            return value[len("Bearer "):].strip()
    return ""


def rpc(*roles: str):
    """Decorates a servicer method: authenticates the caller, checks the role,
    passes the Principal as a third argument and maps service errors to
    gRPC statuses. No roles means every authenticated caller. With tracing on,
    the call's SERVER span gets the request's `jixiao.*` attributes."""

    def decorate(method):
        guarded = grpc_errors(method)

        @functools.wraps(method)
        def wrapper(self, request, context):
            telemetry.describe_current_call(request)
            token = bearer_token(context)
            if not token:
                context.abort(grpc.StatusCode.UNAUTHENTICATED, "missing 'authorization: Bearer <token>' metadata")
            principal = self.tokens.principal(token)
            if principal is None:
                context.abort(grpc.StatusCode.UNAUTHENTICATED, "unknown token")
            if roles and principal.role not in roles:
                context.abort(grpc.StatusCode.PERMISSION_DENIED,
                              f"{method.__name__} needs the role {' or '.join(roles)}; {principal.name or 'this token'} is {principal.role}")
            return guarded(self, request, context, principal)

        return wrapper

    return decorate


def call_credentials(token: str) -> tuple[tuple[str, str], ...]:
    """Metadata a client sends with each call."""
    return ((METADATA_KEY, f"Bearer {token}"),) if token else ()
