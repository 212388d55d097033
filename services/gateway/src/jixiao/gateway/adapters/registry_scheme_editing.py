"""The registry's scheme rpcs the office's desk edits with (SubmitScheme, ValidateScheme,
DiffSchemes, PublishScheme, ImportTable, ExportTable, GetScheme, ListSchemeVersions), each
called with the office's own token, so that the registry checks the role and records who
made each version. Nothing is cached: a desk reads what it has just changed."""
from __future__ import annotations

import base64
import json

from jixiao.v1 import registry_pb2

from .grpc_clients import Backends

#: The tables the registry imports and exports as spreadsheets (its domain.table_imports.TABLES).
TABLES = ("units", "persons", "targets")
TABLE_FORMATS = ("xlsx", "csv")


class RegistrySchemeEditing:
    def __init__(self, backends: Backends):
        self.backends = backends

    def _call(self, method: str, request, token: str) -> dict:
        return self.backends.call("registry", method, request, token=token)

    def versions(self, code: str, token: str) -> list[dict]:
        """Every version of a scheme code (or of every code, for ""), as the registry lists them."""
        return self._call("ListSchemeVersions", registry_pb2.ListSchemeVersionsRequest(code=code), token)["versions"]

    def document(self, code: str, version: int, token: str) -> tuple[dict, dict]:
        """(the version, its document) of a version number (> 0)."""
        reply = self._call("GetScheme", registry_pb2.GetSchemeRequest(code=code, version=version), token)
        return reply["version"], json.loads(reply["document_json"])

    def submit(self, text: str, document_format: str, reason: str, token: str) -> dict:
        """A new draft version (or the latest, when the document is the same); raises
        InvalidArgument naming each place when the document is not of the declared format."""
        return self._call("SubmitScheme", registry_pb2.SubmitSchemeRequest(
            document=text, document_format=document_format, reason=reason), token)

    def problems(self, code: str, version: int, token: str) -> list[tuple[str, str]]:
        reply = self._call("ValidateScheme", registry_pb2.ValidateSchemeRequest(code=code, version=version), token)
        return [(p.get("path", ""), p.get("message", "")) for p in reply["problems"]]

    def diff(self, code: str, from_version: int, to_version: int, token: str) -> list[dict]:
        return self._call("DiffSchemes", registry_pb2.DiffSchemesRequest(
            code=code, from_version=from_version, to_version=to_version), token)["changes"]

    def publish(self, code: str, version: int, reason: str, token: str) -> dict:
        """Publishes a version; the registry records the office's reason with who and when
        (`published_by`, `publication_reason`)."""
        return self._call("PublishScheme", registry_pb2.PublishSchemeRequest(code=code, version=version, reason=reason),
                          token)

    def import_table(self, code: str, table: str, file_format: str, content: bytes, reason: str, token: str) -> dict:
        """{version (absent when rows were bad), rows, errors: [{row, column, message}]}."""
        reply = self._call("ImportTable", registry_pb2.ImportTableRequest(
            code=code, table=table, file_format=file_format, content=content, reason=reason), token)
        return reply

    def export_table(self, code: str, version: int, table: str, file_format: str, token: str) -> tuple[bytes, str]:
        reply = self._call("ExportTable", registry_pb2.ExportTableRequest(
            code=code, version=version, table=table, file_format=file_format), token)
        return base64.b64decode(reply["content"]), reply["filename"]

