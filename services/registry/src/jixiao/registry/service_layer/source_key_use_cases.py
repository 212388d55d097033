"""Use cases of the data feeds' signing keys: create one (or record the public half of a
pair the feed made), list them, revoke one."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from jixiao.common.auth import Principal
from jixiao.common.errors import InvalidArgument, NotFound
from jixiao_sdk import signing

from ..adapters.repository import RegistryRepository
from ..domain.records import SourceKey
from .audit import SYSTEM, check_reason


class SourceKeyUseCases:
    """Part of `registry_service.RegistryService`, which gives it the repository and the clock."""

    repository: RegistryRepository
    clock: Callable[[], datetime]

    def create_source_key(self, source: str, public_key: bytes = b"", by: Principal = SYSTEM
                          ) -> tuple[SourceKey, signing.SigningKey | None]:
        """Records a signing key of `source` (a scheme's source code, or "*" for a relay key
        that signs for any source). Without `public_key` the registry makes the pair and
        returns the private key with the record, once: it is never stored."""
        source = source.strip()
        if not source:
            raise InvalidArgument("source", "is required: a source code of the scheme (sources[].code), "
                                            "or '*' for a relay key")
        if source != signing.ANY_SOURCE:
            known = self.repository.scheme_sources()
            if source not in known:
                listed = ", ".join(sorted(known)[:20]) or "none: submit a scheme first"
                raise InvalidArgument("source", f"{source[:100]!r} is not a source of any scheme (sources: {listed})")
        private = None
        if public_key:
            problem = signing.public_key_problem(public_key)
            if problem:
                raise InvalidArgument("public_key", problem)
            key_id = signing.new_key_id()
        else:
            private = signing.SigningKey.generate(source)
            key_id, public_key = private.key_id, private.public_key()
        record = SourceKey(key_id, source, public_key, by.name, self.clock())
        self.repository.add_source_key(record)
        return record, private

    def list_source_keys(self, source: str = "") -> list[SourceKey]:
        """Every key, active and revoked, oldest first (of one source when given)."""
        source = source.strip()
        return [k for k in self.repository.list_source_keys() if not source or k.source == source]

    def revoke_source_key(self, key_id: str, reason: str, by: Principal = SYSTEM) -> SourceKey:
        """Revokes a key, recording who, when and why; a revoked key keeps its first revocation."""
        key_id = key_id.strip()
        if not key_id:
            raise InvalidArgument("key_id", "is required")
        if not reason.strip():
            raise InvalidArgument("reason", "is required: say why the key is revoked")
        check_reason(reason)
        key = self.repository.get_source_key(key_id) if signing.KEY_ID.match(key_id) else None
        if key is None:
            raise NotFound(f"signing key {key_id[:100]!r} does not exist")
        if key.revoked_at is None:
            self.repository.revoke_source_key(key.key_id, self.clock(), by.name, reason)
        return self.repository.get_source_key(key.key_id)
