"""`jixiao keys create|list|revoke`: the data feeds' signing keys."""
from __future__ import annotations

import base64
import binascii
import os
import sys
from pathlib import Path

from jixiao.common.tables_text import render
from jixiao.v1 import registry_pb2 as pb
from jixiao_sdk import signing

from ..client import RegistryClient
from .command_runner import guarded


@guarded
def run_keys(client: RegistryClient, options) -> int:
    if options.action == "create":
        public_key = b""
        if options.public_key:
            try:
                public_key = read_public_key(options.public_key.read_bytes())
            except ValueError as exc:
                print(f"jixiao: error: {options.public_key}: {exc}", file=sys.stderr)
                return 2
        if options.output and options.output.exists():
            print(f"jixiao: error: {options.output} exists; a key file is never overwritten", file=sys.stderr)
            return 2
        reply = client.call("CreateSourceKey", pb.CreateSourceKeyRequest(source=options.source, public_key=public_key))
        what = "relay key (signs for any source)" if reply.key.source == signing.ANY_SOURCE else f"source {reply.key.source}"
        if not reply.key_file:
            print(f"key {reply.key.key_id} of {what} recorded; sign with your private key and key id {reply.key.key_id}")
        elif options.output:
            write_key_file(options.output, reply.key_file)
            print(f"key {reply.key.key_id} of {what} written to {options.output} (mode 0600); "
                  "the private key is shown only now: hand the file to the feed")
        else:
            sys.stdout.write(reply.key_file)
            print(f"key {reply.key.key_id} of {what}: the key file above is shown only now; "
                  "save it and hand it to the feed", file=sys.stderr)
        return 0
    if options.action == "list":
        found = client.call("ListSourceKeys", pb.ListSourceKeysRequest(source=options.source)).keys
        print(render(("key id", "source", "status", "created", "by", "revoked", "by", "reason"),
                     [(k.key_id, k.source, "revoked" if k.HasField("revoked_at") else "active",
                       k.created_at.ToJsonString()[:19], k.created_by,
                       k.revoked_at.ToJsonString()[:19] if k.HasField("revoked_at") else "", k.revoked_by,
                       k.revoked_reason) for k in found]))
        return 0
    key = client.call("RevokeSourceKey", pb.RevokeSourceKeyRequest(key_id=options.key_id, reason=options.reason))
    print(f"key {key.key_id} of source {key.source} is revoked since {key.revoked_at.ToJsonString()[:19]} "
          f"by {key.revoked_by}: {key.revoked_reason}")
    return 0


def read_public_key(data: bytes) -> bytes:
    """The raw 32 bytes of an Ed25519 public key given as PEM or as base64 of the raw bytes."""
    if data.lstrip().startswith(b"-----BEGIN"):
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            loaded = serialization.load_pem_public_key(data)
        except ValueError:
            raise ValueError("not a PEM public key") from None
        if not isinstance(loaded, Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key") from None
        return loaded.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    try:
        return base64.b64decode(data.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("neither PEM nor base64") from None


def write_key_file(path: Path, text: str) -> None:
    """Writes a key file readable by its owner only (created so: never world-readable, not even briefly)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(text)


def create_source_key(client: RegistryClient, source: str) -> signing.SigningKey:
    """A new signing key of `source`, made by the registry (as the office)."""
    reply = client.call("CreateSourceKey", pb.CreateSourceKeyRequest(source=source))
    return signing.SigningKey.from_text(reply.key_file)
