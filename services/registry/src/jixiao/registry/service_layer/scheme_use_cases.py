"""Use cases of the scheme versions: submit a document as a draft, validate it against the
active plug-ins, publish it, read, list and compare versions, and replace or export one of
its tables (units, persons, targets) as a spreadsheet (`domain.table_imports`)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from jixiao.common.auth import Principal
from jixiao.common.errors import FailedPrecondition, InvalidArgument, NotFound

from ..adapters.repository import RegistryRepository
from ..domain import scheme as schemes
from ..domain import table_imports
from ..domain.records import SchemeVersion
from ..domain.scheme_diff import Change, diff
from .audit import SYSTEM, check_reason

MIN_YEAR, MAX_YEAR = 1000, 9999  # a scheme's year, written with four digits as periods are


class SchemeUseCases:
    """Part of `registry_service.RegistryService`, which gives it the repository and the clock."""

    repository: RegistryRepository
    clock: Callable[[], datetime]

    def submit_scheme(self, text: str, document_format: str = "", reason: str = "",
                      by: Principal = SYSTEM) -> SchemeVersion:
        """Stores a document as a new draft version.

        Only the form is checked here (a mapping with scheme.code and
        scheme.year, every section as the declared format says: jixiao.common.scheme_format);
        `validate_scheme` lists everything else, and publication refuses a
        version with problems. Submitting a document identical to the
        latest version returns that version.
        """
        check_reason(reason)
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
            raise InvalidArgument("document", "; ".join(str(p) for p in shape[:20]) + more_problems(shape))
        # The version's reason: the submission's, else the document's scheme.reason (which
        # the stored document keeps as written either way; docs/scheme-reference.md says so).
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

    def publish_scheme(self, code: str, version: int, reason: str = "", by: Principal = SYSTEM) -> SchemeVersion:
        """Publishes a draft after validating it again, recording who (`by`), when and why
        (`reason`, stored as given, may be empty). Publishing a published version again
        returns it unchanged: its first publication's who, when and why stay."""
        check_reason(reason)
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
                                     + "; ".join(str(p) for p in problems[:20]) + more_problems(problems))
        self.repository.mark_published(code, version, self.clock(), by.name, reason)
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
                     by: Principal = SYSTEM) -> tuple[SchemeVersion | None, int, list[table_imports.RowError]]:
        """Replaces one table of the latest version; a new draft unless some row is bad."""
        check_reason(reason)
        if table not in table_imports.TABLES:
            raise InvalidArgument("table", f"must be one of {', '.join(table_imports.TABLES)}")
        base = self._version(code, 0)
        shape = schemes.shape_problems(base.document)  # a draft stored before submissions were checked
        if shape:
            raise FailedPrecondition(f"{code} version {base.version} has sections of the wrong shape, submit a corrected "
                                     "document first: " + "; ".join(str(p) for p in shape[:20]) + more_problems(shape))
        try:
            rows = table_imports.read_rows(content, file_format)
        except table_imports.TableFormatError as exc:
            raise InvalidArgument("content" if file_format in table_imports.FORMATS else "file_format", str(exc)) from None
        items, errors = table_imports.to_items(table, rows, base.document)
        if errors:
            return None, len(rows), errors
        document = {**base.document, table: items}
        version = self._store_version(code, base.year, document, reason or f"{table} imported from {file_format.upper()}", by)
        return version, len(rows), []

    def export_table(self, code: str, version: int, table: str, file_format: str) -> tuple[bytes, str]:
        if table not in table_imports.TABLES:
            raise InvalidArgument("table", f"must be one of {', '.join(table_imports.TABLES)}")
        if file_format not in table_imports.FORMATS:
            raise InvalidArgument("file_format", f"must be one of {', '.join(table_imports.FORMATS)}")
        scheme = self._version(code, version)
        return table_imports.write_table(table, scheme.document, file_format), f"{code}-v{scheme.version}-{table}.{file_format}"

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

    def _problems(self, document: dict) -> list[schemes.Problem]:
        """Validation against the plug-ins active now, their declared target parameters
        included (not checked for a version registered before plug-ins declared them)."""
        active = [i for p in self.repository.list_plugins("active") for i in p.indicators]
        declared = {i.code: i.parameters if i.parameters_declared else None for i in active}
        return (schemes.validate(document, {i.code for i in active}, frozenset(i.code for i in active if i.needs_target))
                + schemes.target_parameter_problems(document, declared)
                + schemes.period_basis_problems(document, {i.code: i.period_basis for i in active}))


def more_problems(problems: list) -> str:
    return f"; and {len(problems) - 20} more" if len(problems) > 20 else ""
