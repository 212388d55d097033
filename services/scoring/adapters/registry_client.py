"""Learns from the registry, by versioned polling, which scheme versions are
published and which plug-in versions are active."""
from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

import grpc

from jixiao.registry.client import RegistryClient
from jixiao.v1 import registry_pb2 as pb

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


class CatalogueFeed:
    def __init__(self, address: str, token: str, deadline_seconds: float = 5.0):
        self.client = RegistryClient(address, token, deadline_seconds)

    def look(self, known_schemes: dict[str, int]) -> Catalogue | None:
        """Schemes newer than `known_schemes` and the active plug-ins; None when the registry does not answer."""
        try:
            fresh = []
            for code, version in sorted(self.client.published_versions().items()):
                if version > known_schemes.get(code, 0):
                    reply = self.client.call("GetScheme", pb.GetSchemeRequest(code=code, version=version))
                    fresh.append(PublishedScheme(code, version, reply.version.digest, json.loads(reply.document_json)))
            approved = {f"{p.name}=={p.version}": p.digest for p in self.client.active_plugins()}
            return Catalogue(tuple(fresh), frozenset(approved), approved)
        except grpc.RpcError as exc:
            log.warning("registry at %s did not answer: %s %s", self.client.address, exc.code().name, exc.details() or "")
            return None

    def close(self) -> None:
        self.client.close()
