"""The registry's scheme versions (ListSchemeVersions) and documents
(GetScheme), kept: the list and the latest document of a code for a few
seconds, the document of a given version for good (a published version never
changes)."""
from __future__ import annotations

import json

from jixiao.v1 import registry_pb2

from .grpc_clients import Backends
from .ttl_cache import Expiring


class RegistrySchemes:
    def __init__(self, backends: Backends, ttl_seconds: float = 30.0):
        self.backends = backends
        self._cache = Expiring(ttl_seconds)
        self._versions: dict[tuple[str, int], dict] = {}

    def versions(self, *, fresh: bool = False) -> list[dict]:
        """Every scheme version the registry holds, whatever its status; `fresh`: asked now."""
        return self._cache.get("versions", lambda: self.backends.call(
            "registry", "ListSchemeVersions", registry_pb2.ListSchemeVersionsRequest())["versions"], fresh=fresh)

    def latest_document(self, code: str) -> dict:
        """The document of the latest published version of a scheme code."""
        return self._cache.get(("document", code), lambda: self._document(code, 0))

    def document(self, code: str, version: int) -> dict:
        """The document of one version of a scheme."""
        key = (code, version)
        if key not in self._versions:
            self._versions[key] = self._document(code, version)
        return self._versions[key]

    def _document(self, code: str, version: int) -> dict:
        return json.loads(self.backends.call("registry", "GetScheme", registry_pb2.GetSchemeRequest(
            code=code, version=version))["document_json"])
