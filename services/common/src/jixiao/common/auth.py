"""Who is calling: bearer tokens, their roles, and the check on every rpc.

Tokens are random strings handed to people and systems; services never store
them, only their SHA-256 in a tokens file (JIXIAO_TOKENS_FILE):

    tokens:
      - {name: 考核办, role: office, sha256: 3f1c…}
      - {name: 市统计局, role: feed, subject: stats_bureau, sha256: 9a0b…}
      - {name: 发改委开发组, role: department, subject: development_reform, sha256: …}
      - {name: 市纪委主要负责人, role: department_head, subject: discipline_commission, sha256: …}
      - {name: 考评员 A017, role: assessor, subject: A017, sha256: …}

Roles: `office` (the evaluation office: approves, activates, publishes),
`department` (registers its own plug-ins, fills in its score sheets; `subject`
is its department code), `department_head` (the head of a department, who signs
its score sheets — docs/score-sheets.md; `subject` is its department code),
`assessor` (考评员: scores on site the units of their assessment team —
docs/assessment-teams.md; `subject` is the assessor's code), `feed` (reports
metrics as the source `subject`), `reader` (reads; also the role services use
to call each other), `ballot_box` (the gateway's own ballot-box
token, JIXIAO_BALLOT_BOX_TOKEN: the only caller that may open and cast a democratic
evaluation ballot on behalf of an anonymous rater — docs/ballots.md). `jixiao tokens` creates entries.

A running service follows its tokens file (`TokenFile`): at most once a second,
on a lookup, it compares the file with what it read last and rereads it when it
changed, so a token added, removed or rotated counts without a restart. A file
that became invalid (or unreadable) changes nothing: the tokens read before stay
in force and a WARNING says why, once per change of the file.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import grpc
import yaml

from . import telemetry
from .config import ConfigError
from .errors import grpc_errors

ROLES = ("office", "department", "department_head", "assessor", "feed", "reader", "ballot_box")
# The roles whose tokens name a subject: a feed its source code, an assessor their assessor
# code, the others their department code.
SUBJECT_ROLES = ("feed", "department", "department_head", "assessor")
METADATA_KEY = "authorization"
# How often a lookup may look at the tokens file for changes.
RECHECK_SECONDS = 1.0
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Principal:
    name: str
    role: str
    subject: str = ""


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def new_token() -> str:
    return "jx_" + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenBook:
    """The known tokens, by hash."""

    def __init__(self, entries: Mapping[str, Principal]):
        self._by_hash = dict(entries)

    @classmethod
    def load(cls, path: Path, setting: str = "JIXIAO_TOKENS_FILE") -> TokenFile:
        """The tokens of the file at `path`, following its changes (`TokenFile`);
        ConfigError when it cannot be read or is invalid now."""
        return TokenFile(path, setting)

    def principal(self, token: str) -> Principal | None:
        return self._by_hash.get(token_hash(token))


class TokenFile(TokenBook):
    """The tokens of a tokens file, reread when the file changes.

    A lookup looks at the file at most every `recheck_seconds` (by `clock`) and
    rereads it when its content differs from what was read last. An invalid or
    unreadable file keeps the tokens read before: never accepting a token from a
    broken file, never locking everyone out because of one; a WARNING names the
    problem once per change of the file, and an INFO line each adopted change.
    """

    def __init__(self, path: Path, setting: str = "JIXIAO_TOKENS_FILE", *,
                 recheck_seconds: float = RECHECK_SECONDS, clock: Callable[[], float] = time.monotonic):
        self.path, self.setting = path, setting
        self._recheck_seconds, self._clock = recheck_seconds, clock
        self._content: bytes | None = _read(path, setting)
        super().__init__(parse_tokens(self._content, path, setting))
        self._checked = clock()
        self._lock = threading.Lock()

    def principal(self, token: str) -> Principal | None:
        self.refresh()
        return super().principal(token)

    def refresh(self) -> bool:
        """Rereads the file if it is time to look and it changed; whether the tokens changed."""
        now = self._clock()
        if now - self._checked < self._recheck_seconds:
            return False
        with self._lock:
            if now - self._checked < self._recheck_seconds:
                return False  # another thread looked meanwhile
            self._checked = now
            return self._reread()

    def _reread(self) -> bool:
        problem: ConfigError | None = None
        try:
            content = _read(self.path, self.setting)
        except ConfigError as exc:
            content, problem = None, exc  # said once, until the file can be read again
        if content == self._content:
            return False
        self._content = content
        if content is not None:
            try:
                entries = parse_tokens(content, self.path, self.setting)
            except ConfigError as exc:
                problem = exc
        if problem is not None:
            log.warning("%s; the %d tokens read before stay in force until the file is valid again",
                        problem, len(self._by_hash))
            return False
        self._by_hash = entries
        log.info("%s=%s changed: %d tokens in force", self.setting, self.path, len(entries))
        return True


def _read(path: Path, setting: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{setting}={path}: {exc.strerror}; create it with `jixiao tokens init {path}`") from None


def parse_tokens(content: bytes, path: Path, setting: str = "JIXIAO_TOKENS_FILE") -> dict[str, Principal]:
    """The principals of a tokens file's `content`, by token hash; ConfigError naming what is wrong."""
    try:
        data = yaml.safe_load(content.decode("utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError):
        raise ConfigError(f"{setting}={path}: not valid YAML") from None
    tokens = data.get("tokens") if isinstance(data, dict) else None
    if not isinstance(tokens, (list, type(None))):
        raise ConfigError(f"{setting}={path}: `tokens` must be a list")
    entries = {}
    for i, item in enumerate(tokens or []):
        where = f"{setting}={path}: tokens[{i}]"
        if not isinstance(item, dict) or item.get("role") not in ROLES:
            raise ConfigError(f"{where}: role must be one of {', '.join(ROLES)}")
        digest = str(item.get("sha256", ""))
        if len(digest) != 64:
            raise ConfigError(f"{where}: sha256 must be the 64 hex digits of the token's SHA-256")
        if item["role"] in SUBJECT_ROLES and not item.get("subject"):
            raise ConfigError(f"{where}: {_article(item['role'])} {item['role']} token needs a subject (its source, department or assessor code)")
        entries[digest.lower()] = Principal(str(item.get("name", "")), item["role"], str(item.get("subject", "")))
    if not entries:
        raise ConfigError(f"{setting}={path}: lists no tokens; add one with `jixiao tokens add {path} --role office`")
    return entries


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
