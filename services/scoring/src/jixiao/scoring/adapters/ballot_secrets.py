"""The per-scheme secrets behind ballot pseudonyms (domain/pseudonyms.py), kept in a file
outside the scoring database: whoever holds a copy of the database cannot recompute a
voter's pseudonym from a guessed identifier without this file.

The file (JIXIAO_BALLOT_SECRETS_FILE, by default ``ballot-secrets.yaml`` in
JIXIAO_DATA_DIR) maps a scheme code to a base64 secret of at least 32 bytes::

    jiangchuan-2026: 3q2+7w...

A scheme without a secret gets a new random one when its first ballot arrives; the file is
written with mode 0600 under an exclusive lock, so several scoring processes sharing it
agree. In Kubernetes the file is a mounted Secret (created before scoring starts, see
deploy/k8s); a read-only file then lacks a scheme → a clear error, never a guess.
"""
from __future__ import annotations

import base64
import binascii
import contextlib
import fcntl
import os
import secrets
import threading
from pathlib import Path

import yaml

from jixiao.common.config import ConfigError

from ..domain.pseudonyms import MIN_SECRET_BYTES


class BallotSecrets:
    """Scheme code → secret; from a file, or (``path`` None) held in memory for one process."""

    def __init__(self, path: Path | None = None):
        self.path = path
        self._known: dict[str, bytes] = {}
        self._lock = threading.Lock()
        if path is not None and path.exists():
            self._known = _read(path)

    def secret(self, scheme_code: str) -> bytes:
        with self._lock:
            found = self._known.get(scheme_code)
            if found is None:
                found = self._create(scheme_code)
            return found

    def _create(self, scheme_code: str) -> bytes:
        if self.path is None:
            self._known[scheme_code] = secrets.token_bytes(MIN_SECRET_BYTES)
            return self._known[scheme_code]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with _locked(self.path.with_name(self.path.name + ".lock")):
                known = _read(self.path) if self.path.exists() else {}
                if scheme_code not in known:  # another process may have made it meanwhile
                    known[scheme_code] = secrets.token_bytes(MIN_SECRET_BYTES)
                    _write(self.path, known)
        except OSError as exc:
            raise ConfigError(f"JIXIAO_BALLOT_SECRETS_FILE={self.path}: no secret for scheme {scheme_code!r} and "
                              f"it cannot be written ({exc.strerror}); add one (base64, at least "
                              f"{MIN_SECRET_BYTES} bytes) or make the file writable") from None
        self._known = known
        return known[scheme_code]


def _read(path: Path) -> dict[str, bytes]:
    where = f"JIXIAO_BALLOT_SECRETS_FILE={path}"
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{where}: cannot be read ({exc})") from None
    if not isinstance(document, dict):
        raise ConfigError(f"{where}: must map scheme codes to base64 secrets")
    known = {}
    for code, text in document.items():
        try:
            secret = base64.b64decode(str(text), validate=True)
        except (binascii.Error, ValueError):
            raise ConfigError(f"{where}: the secret of scheme {code!r} is not base64") from None
        if len(secret) < MIN_SECRET_BYTES:
            raise ConfigError(f"{where}: the secret of scheme {code!r} has {len(secret)} bytes; "
                              f"at least {MIN_SECRET_BYTES} are needed")
        known[str(code)] = secret
    return known


def _write(path: Path, known: dict[str, bytes]) -> None:
    text = "# Per-scheme secrets of ballot pseudonyms (jixiao scoring). Keep private; never commit.\n" + yaml.safe_dump(
        {code: base64.b64encode(secret).decode("ascii") for code, secret in sorted(known.items())}, sort_keys=True)
    temporary = path.with_name(path.name + ".new")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, path)


@contextlib.contextmanager
def _locked(lock_path: Path):
    descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        os.close(descriptor)
