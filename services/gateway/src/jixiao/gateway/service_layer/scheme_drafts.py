"""The office edits a scheme's draft at the desk: what the draft is, its problems, a change
to one item or section saved as a new draft version, spreadsheets of the long tables, the
document as YAML or JSON, the difference from the published version, and publication.

The draft is the latest version of a code when it is newer than the published one; when the
latest version is published, the first save makes the draft from it. Every save sends the
whole document with the change to the registry (SubmitScheme) with a reason saying what the
desk changed ("desk: units[3] U-R01 edited"), with the office's own token: the registry
checks the form and records who made the version. Nothing is stored when it refuses.
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field

from jixiao.common import yaml_text
from jixiao.common.scheme_format import SECTIONS

from ..adapters.backend_errors import FailedPrecondition, InvalidArgument, NotFound
from ..adapters.registry_scheme_editing import TABLE_FORMATS, TABLES, RegistrySchemeEditing
from ..domain import scheme_forms

DOCUMENT_FORMATS = ("yaml", "json")
SECTIONS_BY_NAME = {s.name: s for s in scheme_forms.sections(SECTIONS)}


class Conflict(Exception):
    """The draft changed since the form was opened (another save, an import): nothing was saved."""

    def __init__(self, latest: int):
        super().__init__(f"the latest version is now {latest}")
        self.latest = latest


class Refused(Exception):
    """The registry refused the document or the publication: its problems, (path, message)."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__("; ".join(f"{p}: {m}" if p else m for p, m in problems))
        self.problems = problems


@dataclass
class Draft:
    """A scheme code's versions and the latest one's document."""

    code: str
    versions: list[dict]  # oldest first
    document: dict = field(repr=False)

    @property
    def latest(self) -> dict:
        return self.versions[-1]

    @property
    def published(self) -> dict | None:
        done = [v for v in self.versions if v["status"] == "published"]
        return done[-1] if done else None

    @property
    def is_draft(self) -> bool:
        """Whether the latest version is a draft (else the first save makes one)."""
        return self.latest["status"] != "published"

    def items(self, section: str) -> list:
        value = self.document.get(section)
        return value if isinstance(value, list) else []


@dataclass
class SavedVersion:
    version: dict
    changed: bool  # False when the document was the same as the latest version's (no new version)


class SchemeDrafts:
    def __init__(self, registry: RegistrySchemeEditing):
        self.registry = registry

    # --- reading -------------------------------------------------------------------------

    def schemes(self, token: str) -> list[dict]:
        """Each scheme code with its latest and latest published version, newest year first."""
        codes: dict[str, dict] = {}
        for v in self.registry.versions("", token):
            entry = codes.setdefault(v["code"], {"code": v["code"], "year": v["year"], "latest": v, "published": None})
            if v["version"] > entry["latest"]["version"]:
                entry["latest"] = v
            if v["status"] == "published" and (entry["published"] is None or v["version"] > entry["published"]["version"]):
                entry["published"] = v
        return sorted(codes.values(), key=lambda e: (-e["year"], e["code"]))

    def open(self, code: str, token: str) -> Draft:
        versions = sorted(self.registry.versions(code, token), key=lambda v: v["version"])
        versions = [v for v in versions if v["code"] == code]
        if not versions:
            raise NotFound(f"scheme {code!r} has no versions", "registry", "ListSchemeVersions")
        _, document = self.registry.document(code, versions[-1]["version"], token)
        return Draft(code, versions, document)

    def problems(self, draft: Draft, token: str) -> list[tuple[str, str]]:
        """What stops the latest version from being published, by place (ValidateScheme)."""
        return self.registry.problems(draft.code, draft.latest["version"], token)

    # --- saving --------------------------------------------------------------------------

    def save_item(self, code: str, token: str, base: int, section: str, index: int | None, value: dict,
                  note: str = "") -> SavedVersion:
        """Replaces item `index` of a list section (appends it for None) with `value`."""
        def change(document: dict) -> str:
            items = document.setdefault(section, [])
            if not isinstance(items, list):
                raise InvalidArgument(f"{section}: is not a list in the draft", "registry", "SubmitScheme")
            if index is None:
                items.append(value)
                where = f"{section}[{len(items) - 1}]"
                return f"{where} {self._key(section, value, len(items) - 1)} added".replace("  ", " ")
            if not 0 <= index < len(items):
                raise Conflict(base)
            items[index] = value
            return f"{section}[{index}] {self._key(section, value, index)} edited"
        return self._save(code, token, base, change, note)

    def remove_item(self, code: str, token: str, base: int, section: str, index: int, note: str = "") -> SavedVersion:
        def change(document: dict) -> str:
            items = document.get(section)
            if not isinstance(items, list) or not 0 <= index < len(items):
                raise Conflict(base)
            removed = items.pop(index)
            if not items and not SECTIONS_BY_NAME[section].required:
                document.pop(section)
            return f"{section}[{index}] {self._key(section, removed, index)} removed"
        return self._save(code, token, base, change, note)

    def save_record(self, code: str, token: str, base: int, section: str, value: dict, note: str = "") -> SavedVersion:
        """Replaces a record section (`scheme`, `city`, `person_scoring`); an optional one left
        empty is taken out."""
        def change(document: dict) -> str:
            if value or SECTIONS_BY_NAME[section].required:
                document[section] = value
                return f"{section} edited"
            document.pop(section, None)
            return f"{section} removed"
        return self._save(code, token, base, change, note)

    @staticmethod
    def _key(section: str, item, index: int) -> str:
        described = SECTIONS_BY_NAME.get(section)
        if described is None or not isinstance(item, dict):
            return ""
        key = scheme_forms.item_key(described, item, index)
        return "" if key.startswith("#") else key

    def _save(self, code: str, token: str, base: int, change, note: str) -> SavedVersion:
        draft = self.open(code, token)
        if draft.latest["version"] != base:
            raise Conflict(draft.latest["version"])
        document = copy.deepcopy(draft.document)
        what = change(document)
        reason = f"desk: {what}" + (f" — {note}" if note else "")
        version = self._submit(json.dumps(document, ensure_ascii=False), "json", reason, token)
        return SavedVersion(version, version["version"] != base)

    def _submit(self, text: str, document_format: str, reason: str, token: str) -> dict:
        try:
            return self.registry.submit(text, document_format, reason, token)
        except InvalidArgument as error:
            raise Refused(scheme_forms.split_problems(error.message)) from None

    # --- documents and tables --------------------------------------------------------------

    def export_document(self, code: str, version: int, document_format: str, token: str) -> tuple[str, str]:
        """(text, file name) of a version (the latest for 0) as YAML or JSON."""
        if version <= 0:
            version = self.open(code, token).latest["version"]
        _, document = self.registry.document(code, version, token)
        if document_format == "json":
            text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        else:
            text = yaml_text.safe_dump(scheme_forms.declared_order(document), allow_unicode=True, sort_keys=False, default_flow_style=False)
        return text, f"{code}-v{version}.{document_format}"

    def import_document(self, text: str, document_format: str, reason: str, token: str) -> SavedVersion:
        """A whole document (YAML or JSON) as a new draft version."""
        version = self._submit(text, document_format, reason or "desk: document imported", token)
        return SavedVersion(version, True)

    def export_table(self, code: str, version: int, table: str, file_format: str, token: str) -> tuple[bytes, str]:
        if table not in TABLES or file_format not in TABLE_FORMATS:
            raise NotFound(f"no table {table!r} as {file_format!r}", "registry", "ExportTable")
        return self.registry.export_table(code, version, table, file_format, token)

    def import_table(self, code: str, table: str, file_format: str, content: bytes, reason: str, token: str) -> dict:
        """{version (absent when a row was bad: nothing imported), rows, errors}."""
        if table not in TABLES:
            raise NotFound(f"no table {table!r}", "registry", "ImportTable")
        return self.registry.import_table(code, table, file_format, content,
                                          reason or f"desk: {table} imported from {file_format.upper()}", token)

    # --- comparing and publishing ----------------------------------------------------------

    def changes(self, draft: Draft, token: str) -> list[dict]:
        """What the draft changes in the published version, by section in the document's order:
        [{section, changes: [{key, kind, field, before, after}]}]; empty when nothing is
        published or the latest version is the published one."""
        published = draft.published
        if published is None or not draft.is_draft:
            return []
        grouped: dict[str, list] = {}
        for c in self.registry.diff(draft.code, published["version"], draft.latest["version"], token):
            grouped.setdefault(c["section"], []).append({
                "key": c["key"], "kind": c["kind"], "field": c["field"],
                "before": json.loads(c["before_json"]) if c["before_json"] else None,
                "after": json.loads(c["after_json"]) if c["after_json"] else None})
        order = [f.name for f in SECTIONS.fields]
        return [{"section": s, "changes": grouped[s]}
                for s in sorted(grouped, key=lambda s: order.index(s) if s in order else len(order))]

    def publish(self, code: str, version: int, reason: str, token: str) -> dict:
        """Publishes the draft version (the registry validates it again); a refusal for problems
        raises Refused with them."""
        try:
            return self.registry.publish(code, version, reason, token)
        except FailedPrecondition as error:
            _, found, rest = error.message.partition("cannot be published: ")
            if found:
                raise Refused(scheme_forms.split_problems(rest)) from None
            raise
