"""Learns from the registry, by versioned polling, which scheme versions are
published, which plug-in versions are active and which signing keys the
feeds have (each poll lists them all: a revoked key stops counting at the
next poll)."""
from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

import grpc

from jixiao.registry.client import RegistryClient
from jixiao.v1 import registry_pb2 as pb

from ..domain.feed_signatures import SourceKey

log = logging.getLogger("jixiao.scoring.registry")


@dataclass(frozen=True)
class PublishedScheme:
    code: str
    version: int
    digest: str
    document: dict


@dataclass(frozen=True)
class Catalogue:
    """What changed since the last look: newer schemes, and the active plug-ins ("name==version")
    with the digest the registry recorded for each ("" when an old row has none)."""

    schemes: tuple[PublishedScheme, ...]
    active_plugins: frozenset[str]
    approved_digests: Mapping[str, str] = field(default_factory=dict)
    # Every signing key, active and revoked; None when not asked (feed signatures off).
    source_keys: tuple[SourceKey, ...] | None = None


class CatalogueFeed:
    source_keys = False  # whether each look lists the feeds' signing keys (scoring checks signatures)

    def __init__(self, address: str, token: str, deadline_seconds: float = 5.0, *, source_keys: bool = False):
        self.client = RegistryClient(address, token, deadline_seconds)
        self.source_keys = source_keys

    def look(self, known_schemes: dict[str, int]) -> Catalogue | None:
        """Schemes newer than `known_schemes` and the active plug-ins; None when the registry does not answer."""
        try:
            fresh = []
            for code, version in sorted(self.client.published_versions().items()):
                if version > known_schemes.get(code, 0):
                    reply = self.client.call("GetScheme", pb.GetSchemeRequest(code=code, version=version))
                    fresh.append(PublishedScheme(code, version, reply.version.digest, json.loads(reply.document_json)))
            approved = {f"{p.name}=={p.version}": p.digest for p in self.client.active_plugins()}
            keys = self._source_keys() if self.source_keys else None
            return Catalogue(tuple(fresh), frozenset(approved), approved, keys)
        except grpc.RpcError as exc:
            log.warning("registry at %s did not answer: %s %s", self.client.address, exc.code().name, exc.details() or "")
            return None

    def _source_keys(self) -> tuple[SourceKey, ...]:
        listed = self.client.call("ListSourceKeys", pb.ListSourceKeysRequest()).keys
        return tuple(SourceKey(k.key_id, k.source, bytes(k.public_key),
                               k.revoked_at.ToJsonString() if k.HasField("revoked_at") else "") for k in listed)

    def close(self) -> None:
        self.client.close()
