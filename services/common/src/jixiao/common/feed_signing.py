"""Signing records as a feed (jixiao_sdk.signing) for the platform's own
producers: the gateway relaying uploads, the demo feed of `jixiao up`, the
`jixiao feed` commands and the tests.

A FeedSigner holds signing keys and picks, for each record, the key of the
event's source, else a relay key (source "*"). Keys never reach a log: a
SigningKey's repr shows its key id and source only.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from jixiao_sdk.signing import ANY_SOURCE, HEADER, KeyFileError, SigningKey

from .config import ConfigError


class NoSigningKey(LookupError):
    """No key held here may sign for the event's source."""


class FeedSigner:
    def __init__(self, keys: Iterable[SigningKey]):
        self.by_source: dict[str, SigningKey] = {}
        for key in keys:
            self.by_source.setdefault(key.source, key)

    def key_for(self, source: str) -> SigningKey:
        key = self.by_source.get(source) or self.by_source.get(ANY_SOURCE)
        if key is None:
            held = ", ".join(sorted(self.by_source)) or "none"
            raise NoSigningKey(f"no signing key for source {source!r} (keys held for: {held})")
        return key

    def header(self, source: str, key: bytes | None, value: bytes | None) -> tuple[str, bytes]:
        """The `jixiao-signature` header of a record of an event of `source`."""
        return self.key_for(source).header(key, value)

    def sign_headers(self, headers: Iterable[tuple[str, bytes]], source: str, key: bytes | None,
                     value: bytes | None) -> list[tuple[str, bytes]]:
        """`headers` with the record's signature header (replacing any there)."""
        return [*(h for h in headers if h[0] != HEADER), self.header(source, key, value)]


def load_key_file(path: Path, setting: str) -> SigningKey:
    """A key file named by a setting; ConfigError saying what is wrong (never the key)."""
    try:
        return SigningKey.from_file(path)
    except KeyFileError as exc:
        raise ConfigError(f"{setting}={exc}; create a key file with `jixiao keys create --source ... -o FILE`") from None
