"""Signed metric events: how a data feed proves which source it is.

Every source of a scheme (``sources[].code``) has its own Ed25519 key pair.
The evaluation office creates it (``jixiao keys create --source S``); the
feed keeps the private key, in a *key file*, and the registry keeps only the
public key. Each record a feed sends to the metrics topic carries the header

    jixiao-signature: v1;key=<key id>;sig=<base64 Ed25519 signature>

over the bytes ``b"jixiao-event-v1\\x00" + record key (or b"") + b"\\x00" +
record value``. Scoring counts an event only when the signature verifies
with a key of the event's ``source`` that the registry lists and that is not
revoked (a relay key, of source ``*``, signs for any source: the gateway's).

>>> from jixiao_sdk.signing import SigningKey                    # doctest: +SKIP
>>> key = SigningKey.from_file("stats_bureau.key")              # doctest: +SKIP
>>> name, value = key.header(b"U-R01", record_value)             # doctest: +SKIP

``jixiao_sdk.publisher.MetricPublisher(..., signing_key=...)`` signs every
record it sends. The key file is JSON (one line, so it fits an environment
variable too)::

    {"format": "jixiao.feed-key/v1", "key_id": "k-…", "source": "stats_bureau",
     "private_key": "<base64 of the 32-byte Ed25519 private key>"}

The format helpers (``signed_bytes``, ``header_value``, ``parse_header``)
are plain Python; signing and verifying need ``cryptography``
(``pip install 'jixiao-sdk[publisher]'``), imported only when used.
"""
from __future__ import annotations

import base64
import binascii
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HEADER = "jixiao-signature"
VERSION = "v1"
CONTEXT = b"jixiao-event-v1\x00"
KEY_FILE_FORMAT = "jixiao.feed-key/v1"
ANY_SOURCE = "*"  # a relay key's source: it signs for every source (the gateway's uploads)
SIGNATURE_BYTES = 64
PUBLIC_KEY_BYTES = 32
KEY_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
INSTALL_HINT = "pip install 'jixiao-sdk[publisher]'"


class SignatureFormatError(ValueError):
    """A signature header that cannot be read; the message says what is wrong with it."""


class KeyFileError(ValueError):
    """A key file that cannot be read; the message says what is wrong (never the key itself)."""


class SigningUnavailable(ImportError):
    """`cryptography` is not installed; the message says how to install it."""


def _ed25519():
    try:
        from cryptography.hazmat.primitives.asymmetric import ed25519
    except ImportError as exc:
        raise SigningUnavailable(f"signing needs the cryptography package: {INSTALL_HINT}") from exc
    return ed25519


def signed_bytes(key: bytes | None, value: bytes | None) -> bytes:
    """What a signature covers: the context, the record key and the record value."""
    return CONTEXT + (key or b"") + b"\x00" + (value or b"")


def header_value(key_id: str, signature: bytes) -> bytes:
    return f"{VERSION};key={key_id};sig={base64.b64encode(signature).decode('ascii')}".encode("ascii")


@dataclass(frozen=True)
class ParsedSignature:
    key_id: str
    signature: bytes


def parse_header(raw: bytes) -> ParsedSignature:
    """The key id and signature of a header value; raises SignatureFormatError saying what is wrong."""
    expected = f"expected '{VERSION};key=<key id>;sig=<base64 signature>'"
    try:
        text = raw.decode("ascii")
    except (UnicodeDecodeError, AttributeError):
        raise SignatureFormatError(f"header {HEADER} is not ASCII text; {expected}") from None
    parts = text.strip().split(";")
    if parts[0] != VERSION:
        shown = parts[0][:20]
        raise SignatureFormatError(f"header {HEADER} has version {shown!r}, not {VERSION}; {expected}")
    fields: dict[str, str] = {}
    for part in parts[1:]:
        name, equals, value = part.partition("=")
        name = name.strip()
        if not equals or name not in ("key", "sig") or name in fields:
            raise SignatureFormatError(f"header {HEADER} is malformed; {expected}")
        fields[name] = value.strip()
    if set(fields) != {"key", "sig"}:
        raise SignatureFormatError(f"header {HEADER} lacks {' and '.join(sorted({'key', 'sig'} - set(fields)))}; {expected}")
    if not KEY_ID.match(fields["key"]):
        raise SignatureFormatError(f"header {HEADER}: key {fields['key'][:70]!r} is not a key id")
    try:
        signature = base64.b64decode(fields["sig"], validate=True)
    except (binascii.Error, ValueError):
        raise SignatureFormatError(f"header {HEADER}: sig is not base64") from None
    if len(signature) != SIGNATURE_BYTES:
        raise SignatureFormatError(f"header {HEADER}: sig is {len(signature)} bytes, not the {SIGNATURE_BYTES} "
                                   "of an Ed25519 signature")
    return ParsedSignature(fields["key"], signature)


def new_key_id() -> str:
    return "k-" + secrets.token_hex(8)


def public_key_problem(public_key: bytes) -> str | None:
    """Why `public_key` is not a raw Ed25519 public key, or None."""
    if len(public_key) != PUBLIC_KEY_BYTES:
        return f"is {len(public_key)} bytes, not the {PUBLIC_KEY_BYTES} of a raw Ed25519 public key"
    try:
        _ed25519().Ed25519PublicKey.from_public_bytes(public_key)
    except ValueError:
        return "is not an Ed25519 public key"
    return None


class SigningKey:
    """A source's private key and its key id: signs records. Its repr shows no key material."""

    def __init__(self, key_id: str, source: str, private_key: Any):
        if not KEY_ID.match(key_id):
            raise KeyFileError(f"key_id {key_id[:70]!r} is not a key id (letters, digits, '.', '_', '-')")
        self.key_id = key_id
        self.source = source
        self._private = private_key

    @classmethod
    def generate(cls, source: str, key_id: str | None = None) -> SigningKey:
        return cls(key_id or new_key_id(), source, _ed25519().Ed25519PrivateKey.generate())

    @classmethod
    def from_text(cls, text: str, where: str = "key file") -> SigningKey:
        """Reads a key file's JSON text; raises KeyFileError naming what is wrong."""
        try:
            data = json.loads(text)
        except (ValueError, TypeError):
            raise KeyFileError(f"{where}: not JSON (expected the key file `jixiao keys create` wrote)") from None
        if not isinstance(data, dict) or data.get("format") != KEY_FILE_FORMAT:
            raise KeyFileError(f"{where}: not a {KEY_FILE_FORMAT} key file")
        for name in ("key_id", "source", "private_key"):
            if not isinstance(data.get(name), str) or not data[name]:
                raise KeyFileError(f"{where}: {name} is missing")
        try:
            raw = base64.b64decode(data["private_key"], validate=True)
        except (binascii.Error, ValueError):
            raise KeyFileError(f"{where}: private_key is not base64") from None
        if len(raw) != 32:
            raise KeyFileError(f"{where}: private_key is {len(raw)} bytes, not the 32 of an Ed25519 private key")
        return cls(data["key_id"], data["source"], _ed25519().Ed25519PrivateKey.from_private_bytes(raw))

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> SigningKey:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise KeyFileError(f"{path}: {exc.strerror}") from None
        return cls.from_text(text, str(path))

    def to_text(self) -> str:
        """The key file's content (keep it secret: whoever has it writes as the source)."""
        from cryptography.hazmat.primitives import serialization

        raw = self._private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                          serialization.NoEncryption())
        return json.dumps({"format": KEY_FILE_FORMAT, "key_id": self.key_id, "source": self.source,
                           "private_key": base64.b64encode(raw).decode("ascii")}) + "\n"

    def public_key(self) -> bytes:
        """The raw 32-byte public key, as the registry keeps it."""
        from cryptography.hazmat.primitives import serialization

        return self._private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    def signs_for(self, source: str) -> bool:
        return self.source in (source, ANY_SOURCE)

    def sign(self, key: bytes | None, value: bytes | None) -> bytes:
        """The header value for a record with this key and value."""
        return header_value(self.key_id, self._private.sign(signed_bytes(key, value)))

    def header(self, key: bytes | None, value: bytes | None) -> tuple[str, bytes]:
        """(name, value) of the signature header, as kafka-python takes headers."""
        return HEADER, self.sign(key, value)

    def __repr__(self) -> str:
        return f"SigningKey(key_id={self.key_id!r}, source={self.source!r})"


def verify(public_key: bytes, signature: bytes, key: bytes | None, value: bytes | None) -> bool:
    """True when `signature` is the Ed25519 signature of the record under `public_key`."""
    from cryptography.exceptions import InvalidSignature

    try:
        _ed25519().Ed25519PublicKey.from_public_bytes(public_key).verify(signature, signed_bytes(key, value))
    except (InvalidSignature, ValueError):
        return False
    return True
