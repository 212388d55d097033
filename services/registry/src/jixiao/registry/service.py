"""The registry's use cases; pure of gRPC, testable against any repository."""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from jixiao.common.auth import Principal
from jixiao.common.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from jixiao_sdk import signing

from .adapters.repository import RegistryRepository
from .domain import plugins as lifecycle
from .domain import scheme as schemes
from .domain import tables
from .domain.diff import Change, diff
from .domain.records import PLUGIN_STATUSES, PluginEvent, PluginVersion, SchemeVersion, SourceKey

SYSTEM = Principal("system", "office")
MAX_REASON = 2000  # characters of a reason for a plug-in lifecycle change
MIN_YEAR, MAX_YEAR = 1000, 9999  # a scheme's year, written with four digits as periods are


def utc_now() -> datetime:
    return datetime.now(UTC)


class RegistryService:
    def __init__(self, repository: RegistryRepository, clock: Callable[[], datetime] = utc_now):
        self.repository = repository
        self.clock = clock

    # plug-ins -----------------------------------------------------------
    def register_plugin(self, plugin: PluginVersion, by: Principal = SYSTEM, reason: str = "") -> PluginVersion:
        """Records a new version as a draft, with who registered it, when and why."""
        _check_reason(reason)
        for field in ("name", "version", "owner", "digest"):
            if not getattr(plugin, field).strip():
                raise InvalidArgument(f"plugin.{field}", "is required")
        if by.role == "department" and plugin.owner != by.subject:
            raise PermissionDenied(f"department {by.subject!r} may register only its own plug-ins, not those owned by {plugin.owner!r}")
        if not plugin.indicators:
            raise InvalidArgument("plugin.indicators", "a plug-in provides at least one indicator")
        for i, indicator in enumerate(plugin.indicators):
            problem = lifecycle.definition_problem(indicator)
            if problem:
                raise InvalidArgument(f"plugin.indicators[{i}].{problem[0]}", problem[1])
        existing = self.repository.get_plugin(plugin.name, plugin.version)
        if existing:
            if existing.digest != plugin.digest:
                raise AlreadyExists(
                    f"{plugin.name} {plugin.version} is registered with digest {existing.digest}; "
                    "a changed package needs a new version number"
                )
            return existing
        stored = PluginVersion(**{**plugin.__dict__, "status": "draft", "registered_at": self.clock()})
        self.repository.add_plugin(stored, PluginEvent(stored.name, stored.version, "draft", "", by.name, reason,
                                                       stored.registered_at))
        return stored

    def list_plugins(self, status: str = "", query: str = "") -> list[PluginVersion]:
        if status and status not in PLUGIN_STATUSES:
            raise InvalidArgument("status", f"must be one of {', '.join(PLUGIN_STATUSES)}")
        found = self.repository.list_plugins(status)
        return [p for p in found if lifecycle.matches(p, query)] if query else found

    def get_plugin(self, name: str, version: str) -> PluginVersion:
        for field, value in (("name", name), ("version", version)):
            if not value:
                raise InvalidArgument(field, "is required")
        plugin = self.repository.get_plugin(name, version)
        if plugin is None:
            raise NotFound(f"plug-in {name} {version} is not registered")
        return plugin

    def set_plugin_status(self, name: str, version: str, status: str, reason: str = "",
                          by: Principal = SYSTEM) -> tuple[PluginVersion, list[PluginVersion]]:
        """Moves a version along its lifecycle, recording who, when and why;
        returns it and the versions its activation retired."""
        _check_reason(reason)
        plugin = self.get_plugin(name, version)
        problem = lifecycle.transition_problem(plugin.status, status)
        if problem:
            raise (InvalidArgument("status", problem) if status not in lifecycle.ALLOWED_FROM else FailedPrecondition(problem))
        retired = lifecycle.displaced_by(plugin, self.repository.list_plugins("active")) if status == "active" else []
        at = self.clock()
        because = f"{name} {version} became active, providing the same indicators" + (f": {reason}" if reason else "")
        self.repository.set_plugin_status(
            ([PluginEvent(name, version, status, plugin.status, by.name, reason, at)] if status != plugin.status else [])
            + [PluginEvent(p.name, p.version, "retired", p.status, by.name, because, at) for p in retired])
        return self.get_plugin(name, version), [self.get_plugin(p.name, p.version) for p in retired]

    def plugin_history(self, name: str, version: str) -> list[PluginEvent]:
        """Who registered the version and changed its status, when and why, oldest first
        (empty for what happened before the registry recorded it)."""
        self.get_plugin(name, version)
        return self.repository.plugin_history(name, version)

    def active_indicators(self) -> set[str]:
        return {i.code for p in self.repository.list_plugins("active") for i in p.indicators}

    def _problems(self, document: dict) -> list[schemes.Problem]:
        """Validation against the plug-ins active now, their declared target parameters
        included (not checked for a version registered before plug-ins declared them)."""
        active = [i for p in self.repository.list_plugins("active") for i in p.indicators]
        declared = {i.code: i.parameters if i.parameters_declared else None for i in active}
        return (schemes.validate(document, {i.code for i in active}, frozenset(i.code for i in active if i.needs_target))
                + schemes.target_parameter_problems(document, declared)
                + schemes.period_basis_problems(document, {i.code: i.period_basis for i in active}))

    # schemes ------------------------------------------------------------
    def submit_scheme(self, text: str, document_format: str = "", reason: str = "",
                      by: Principal = SYSTEM) -> SchemeVersion:
        """Stores a document as a new draft version.

        Only the form is checked here (a mapping with scheme.code and
        scheme.year, every section of the shape `schemes.SHAPE` says);
        `validate_scheme` lists everything else, and publication refuses a
        version with problems. Submitting a document identical to the
        latest version returns that version.
        """
        if document_format not in ("", "yaml", "json"):
            raise InvalidArgument("document_format", "must be 'yaml', 'json' or empty")
        try:
            document = schemes.parse_document(text, document_format)
        except schemes.SchemeFormatError as exc:
            raise InvalidArgument("document", str(exc)) from None
        header = document.get("scheme")
        if not isinstance(header, dict) or not header.get("code") or not header.get("year"):
            raise InvalidArgument("document", "scheme.code and scheme.year are required")
        try:
            year = int(header["year"])
        except (TypeError, ValueError, OverflowError):
            year = 0
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise InvalidArgument("document", f"scheme.year {header['year']!r} is not a year")
        shape = schemes.shape_problems(document)
        if shape:
            raise InvalidArgument("document", "; ".join(str(p) for p in shape[:20]) + _more(shape))
        return self._store_version(str(header["code"]), year, document, reason or str(header.get("reason", "")), by)

    def _store_version(self, code: str, year: int, document: dict, reason: str, by: Principal) -> SchemeVersion:
        digest = schemes.digest(document)
        latest = self.repository.get_scheme(code)
        if latest and latest.digest == digest:
            return latest
        record = SchemeVersion(
            code=code,
            version=self.repository.latest_version_number(code) + 1,
            year=year,
            status="draft",
            digest=digest,
            author=by.name,
            reason=reason,
            created_at=self.clock(),
            document=document,
        )
        self.repository.add_scheme(record)
        return record

    def validate_scheme(self, code: str, version: int = 0) -> list[schemes.Problem]:
        return self._problems(self._version(code, version).document)

    def publish_scheme(self, code: str, version: int) -> SchemeVersion:
        scheme = self.repository.get_scheme(code, version) if version > 0 else None
        if scheme is None:
            raise NotFound(f"scheme {code!r} version {version} does not exist")
        if scheme.status == "published":
            return scheme
        if scheme.version < self.repository.latest_version_number(code):
            raise FailedPrecondition(f"a newer version of {code!r} exists; publish that one")
        problems = self._problems(scheme.document)
        if problems:
            raise FailedPrecondition(f"{code} version {version} cannot be published: "
                                     + "; ".join(str(p) for p in problems[:20]) + _more(problems))
        self.repository.mark_published(code, version, self.clock())
        return self.repository.get_scheme(code, version)

    def get_scheme(self, code: str, version: int = 0) -> SchemeVersion:
        """A version by number, or the latest published version for 0."""
        if not code:
            raise InvalidArgument("code", "is required")
        if version < 0:
            raise InvalidArgument("version", "must be 0 (latest published) or a version number")
        scheme = self.repository.get_scheme(code, version, published_only=version == 0)
        if scheme is None:
            what = f"version {version}" if version else "a published version"
            raise NotFound(f"scheme {code!r} has no {what}")
        return scheme

    def list_scheme_versions(self, code: str = "") -> list[SchemeVersion]:
        return self.repository.list_schemes(code)

    def diff_schemes(self, code: str, from_version: int, to_version: int) -> list[Change]:
        return diff(self._version(code, from_version).document, self._version(code, to_version).document)

    def import_table(self, code: str, table: str, file_format: str, content: bytes, reason: str = "",
                     by: Principal = SYSTEM) -> tuple[SchemeVersion | None, int, list[tables.RowError]]:
        """Replaces one table of the latest version; a new draft unless some row is bad."""
        if table not in tables.TABLES:
            raise InvalidArgument("table", f"must be one of {', '.join(tables.TABLES)}")
        base = self._version(code, 0)
        shape = schemes.shape_problems(base.document)  # a draft stored before submissions were checked
        if shape:
            raise FailedPrecondition(f"{code} version {base.version} has sections of the wrong shape, submit a corrected "
                                     "document first: " + "; ".join(str(p) for p in shape[:20]) + _more(shape))
        try:
            rows = tables.read_rows(content, file_format)
        except tables.TableFormatError as exc:
            raise InvalidArgument("content" if file_format in tables.FORMATS else "file_format", str(exc)) from None
        items, errors = tables.to_items(table, rows, base.document)
        if errors:
            return None, len(rows), errors
        document = {**base.document, table: items}
        version = self._store_version(code, base.year, document, reason or f"{table} imported from {file_format.upper()}", by)
        return version, len(rows), []

    def export_table(self, code: str, version: int, table: str, file_format: str) -> tuple[bytes, str]:
        if table not in tables.TABLES:
            raise InvalidArgument("table", f"must be one of {', '.join(tables.TABLES)}")
        if file_format not in tables.FORMATS:
            raise InvalidArgument("file_format", f"must be one of {', '.join(tables.FORMATS)}")
        scheme = self._version(code, version)
        return tables.write_table(table, scheme.document, file_format), f"{code}-v{scheme.version}-{table}.{file_format}"

    def _version(self, code: str, version: int) -> SchemeVersion:
        """A version by number, or the latest (draft or published) for 0."""
        if not code:
            raise InvalidArgument("code", "is required")
        if version < 0:
            raise InvalidArgument("version", "must be 0 (latest) or a version number")
        scheme = self.repository.get_scheme(code, version)
        if scheme is None:
            raise NotFound(f"scheme {code!r} has no {'version ' + str(version) if version else 'versions'}")
        return scheme

    # the feeds' signing keys ---------------------------------------------
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
        if "\x00" in reason:
            raise InvalidArgument("reason", "contains a NUL character")
        _check_reason(reason)
        key = self.repository.get_source_key(key_id) if signing.KEY_ID.match(key_id) else None
        if key is None:
            raise NotFound(f"signing key {key_id[:100]!r} does not exist")
        if key.revoked_at is None:
            self.repository.revoke_source_key(key.key_id, self.clock(), by.name, reason)
        return self.repository.get_source_key(key.key_id)


def _check_reason(reason: str) -> None:
    if len(reason) > MAX_REASON:
        raise InvalidArgument("reason", f"is longer than {MAX_REASON} characters")


def _more(problems: list) -> str:
    return f"; and {len(problems) - 20} more" if len(problems) > 20 else ""
