"""Signing keys for the platform on one machine: made on first start through
the registry, as the office would make them, and kept in the data directory
(<data dir>/feed-keys/, readable only by their owner): one key per source of
the scheme `jixiao up` publishes, which the demo feed signs its events with,
and the gateway's relay key (source "*") for uploads. A key file whose key
the registry does not list as active (a new registry database, a revoked
key) is replaced by a new key."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from jixiao.common.feed_signing import FeedSigner
from jixiao.registry.client import RegistryClient
from jixiao.registry.entrypoints.key_commands import create_source_key, write_key_file
from jixiao.v1 import registry_pb2 as pb
from jixiao_sdk.signing import ANY_SOURCE, KeyFileError, SigningKey

RELAY_FILE = "relay.key"


@dataclass(frozen=True)
class LocalKeys:
    folder: Path
    relay_file: Path  # the gateway's JIXIAO_RELAY_KEY_FILE
    signer: FeedSigner  # the sources' own keys, for the demo feed


def local_feed_keys(data: Path, client: RegistryClient, sources: Iterable[str]) -> LocalKeys:
    folder = data / "feed-keys"
    folder.mkdir(mode=0o700, exist_ok=True)
    listed = client.call("ListSourceKeys", pb.ListSourceKeysRequest()).keys
    active = {k.key_id: k.source for k in listed if not k.HasField("revoked_at")}
    keys = {}
    for source in [ANY_SOURCE, *sorted(set(sources))]:
        path = folder / (RELAY_FILE if source == ANY_SOURCE else f"{source}.key")
        try:
            key = SigningKey.from_file(path)
        except KeyFileError:
            key = None
        if key is None or active.get(key.key_id) != source:
            path.unlink(missing_ok=True)
            key = create_source_key(client, source)
            write_key_file(path, key.to_text())
        keys[source] = key
    return LocalKeys(folder, folder / RELAY_FILE, FeedSigner(k for s, k in keys.items() if s != ANY_SOURCE))
