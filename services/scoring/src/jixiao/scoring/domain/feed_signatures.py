"""Which feed wrote a record: its `jixiao-signature` header checked against
the source keys the registry lists (jixiao_sdk.signing has the format).

An event counts only when its record carries a signature that verifies with
a key the registry lists for the event's `source` — or a relay key (source
"*", the gateway's) — and that is not revoked. Several active keys of one
source all verify (a rotation without downtime); a revoked or deleted key
stops counting as soon as `use_keys` hears of it (scoring's catalogue poll).
`rejection` gives the reason for a dead letter, naming what failed.
"""
from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from jixiao_sdk.signing import ANY_SOURCE, HEADER, SignatureFormatError, parse_header, signed_bytes

PREFIX = "signature: "


@dataclass(frozen=True)
class SourceKey:
    """A public key as the registry lists it; `revoked_at` is "" while active."""

    key_id: str
    source: str
    public_key: bytes
    revoked_at: str = ""


@dataclass(frozen=True)
class _Loaded:
    key: SourceKey
    verifier: Any = field(compare=False)  # Ed25519PublicKey, or None when the bytes are no key


class FeedVerifier:
    """Checks records' signatures with the keys it was last given (thread-safe: the
    poller swaps the keys while the consumer checks)."""

    def __init__(self, keys: Iterable[SourceKey] = ()):
        self._keys: Mapping[str, _Loaded] = {}
        self._swap = threading.Lock()
        self.use_keys(keys)

    def use_keys(self, keys: Iterable[SourceKey]) -> None:
        """Replaces the known keys (public keys already loaded are reused)."""
        with self._swap:
            known = self._keys
            fresh = {}
            for key in keys:
                loaded = known.get(key.key_id)
                if loaded is None or loaded.key.public_key != key.public_key:
                    loaded = _Loaded(key, _public_key(key.public_key))
                elif loaded.key != key:
                    loaded = _Loaded(key, loaded.verifier)
                fresh[key.key_id] = loaded
            self._keys = fresh

    @property
    def keys(self) -> tuple[SourceKey, ...]:
        return tuple(loaded.key for loaded in self._keys.values())

    def rejection(self, key: bytes | None, value: bytes | None, headers: Mapping[str, bytes], source: str) -> str | None:
        """Why the record of an event of `source` does not count, or None when its signature holds."""
        raw = headers.get(HEADER)
        if raw is None:
            return (f"{PREFIX}the record has no {HEADER} header; a feed signs every record with its source's key "
                    "(docs/feeds.md)")
        try:
            parsed = parse_header(raw)
        except SignatureFormatError as exc:
            return f"{PREFIX}{exc}"
        loaded = self._keys.get(parsed.key_id)
        if loaded is None:
            return f"{PREFIX}key {parsed.key_id} is not a signing key the registry lists"
        found = loaded.key
        if found.revoked_at:
            return f"{PREFIX}key {found.key_id} of source {found.source} was revoked at {found.revoked_at}"
        if found.source not in (source, ANY_SOURCE):
            return f"{PREFIX}key {found.key_id} belongs to source {found.source}, not {source}"
        if loaded.verifier is None:
            return f"{PREFIX}key {found.key_id} has no usable public key in the registry"
        try:
            loaded.verifier.verify(parsed.signature, signed_bytes(key, value))
        except InvalidSignature:
            return (f"{PREFIX}does not verify with key {found.key_id} of source {found.source} "
                    "(the record was changed after signing, or signed with another key)")
        return None


def _public_key(raw: bytes):
    try:
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        return None
