import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class IndicatorDefinition(_message.Message):
    __slots__ = ("code", "name_zh", "name_en", "input_metrics", "min_points", "max_points", "kind", "formula", "needs_target", "parameters", "parameters_declared", "period_basis", "generic")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    INPUT_METRICS_FIELD_NUMBER: _ClassVar[int]
    MIN_POINTS_FIELD_NUMBER: _ClassVar[int]
    MAX_POINTS_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    FORMULA_FIELD_NUMBER: _ClassVar[int]
    NEEDS_TARGET_FIELD_NUMBER: _ClassVar[int]
    PARAMETERS_FIELD_NUMBER: _ClassVar[int]
    PARAMETERS_DECLARED_FIELD_NUMBER: _ClassVar[int]
    PERIOD_BASIS_FIELD_NUMBER: _ClassVar[int]
    GENERIC_FIELD_NUMBER: _ClassVar[int]
    code: str
    name_zh: str
    name_en: str
    input_metrics: _containers.RepeatedScalarFieldContainer[str]
    min_points: float
    max_points: float
    kind: str
    formula: str
    needs_target: bool
    parameters: _containers.RepeatedScalarFieldContainer[str]
    parameters_declared: bool
    period_basis: str
    generic: bool
    def __init__(self, code: _Optional[str] = ..., name_zh: _Optional[str] = ..., name_en: _Optional[str] = ..., input_metrics: _Optional[_Iterable[str]] = ..., min_points: _Optional[float] = ..., max_points: _Optional[float] = ..., kind: _Optional[str] = ..., formula: _Optional[str] = ..., needs_target: _Optional[bool] = ..., parameters: _Optional[_Iterable[str]] = ..., parameters_declared: _Optional[bool] = ..., period_basis: _Optional[str] = ..., generic: _Optional[bool] = ...) -> None: ...

class PluginVersion(_message.Message):
    __slots__ = ("name", "version", "owner", "digest", "indicators", "status", "registered_at", "history")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    DIGEST_FIELD_NUMBER: _ClassVar[int]
    INDICATORS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_AT_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    name: str
    version: str
    owner: str
    digest: str
    indicators: _containers.RepeatedCompositeFieldContainer[IndicatorDefinition]
    status: str
    registered_at: _timestamp_pb2.Timestamp
    history: _containers.RepeatedCompositeFieldContainer[PluginEvent]
    def __init__(self, name: _Optional[str] = ..., version: _Optional[str] = ..., owner: _Optional[str] = ..., digest: _Optional[str] = ..., indicators: _Optional[_Iterable[_Union[IndicatorDefinition, _Mapping]]] = ..., status: _Optional[str] = ..., registered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., history: _Optional[_Iterable[_Union[PluginEvent, _Mapping]]] = ...) -> None: ...

class PluginEvent(_message.Message):
    __slots__ = ("status", "previous_status", "actor", "reason", "at")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_STATUS_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    status: str
    previous_status: str
    actor: str
    reason: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, status: _Optional[str] = ..., previous_status: _Optional[str] = ..., actor: _Optional[str] = ..., reason: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RegisterPluginRequest(_message.Message):
    __slots__ = ("plugin", "reason")
    PLUGIN_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    plugin: PluginVersion
    reason: str
    def __init__(self, plugin: _Optional[_Union[PluginVersion, _Mapping]] = ..., reason: _Optional[str] = ...) -> None: ...

class ListPluginsRequest(_message.Message):
    __slots__ = ("status", "query")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    status: str
    query: str
    def __init__(self, status: _Optional[str] = ..., query: _Optional[str] = ...) -> None: ...

class GetPluginRequest(_message.Message):
    __slots__ = ("name", "version")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    name: str
    version: str
    def __init__(self, name: _Optional[str] = ..., version: _Optional[str] = ...) -> None: ...

class SetPluginStatusRequest(_message.Message):
    __slots__ = ("name", "version", "status", "reason")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    name: str
    version: str
    status: str
    reason: str
    def __init__(self, name: _Optional[str] = ..., version: _Optional[str] = ..., status: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class SetPluginStatusResponse(_message.Message):
    __slots__ = ("plugin", "retired")
    PLUGIN_FIELD_NUMBER: _ClassVar[int]
    RETIRED_FIELD_NUMBER: _ClassVar[int]
    plugin: PluginVersion
    retired: _containers.RepeatedCompositeFieldContainer[PluginVersion]
    def __init__(self, plugin: _Optional[_Union[PluginVersion, _Mapping]] = ..., retired: _Optional[_Iterable[_Union[PluginVersion, _Mapping]]] = ...) -> None: ...

class ListPluginsResponse(_message.Message):
    __slots__ = ("plugins",)
    PLUGINS_FIELD_NUMBER: _ClassVar[int]
    plugins: _containers.RepeatedCompositeFieldContainer[PluginVersion]
    def __init__(self, plugins: _Optional[_Iterable[_Union[PluginVersion, _Mapping]]] = ...) -> None: ...

class SchemeVersion(_message.Message):
    __slots__ = ("code", "year", "version", "status", "digest", "author", "reason", "created_at", "published_at", "published_by", "publication_reason")
    CODE_FIELD_NUMBER: _ClassVar[int]
    YEAR_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DIGEST_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_AT_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_BY_FIELD_NUMBER: _ClassVar[int]
    PUBLICATION_REASON_FIELD_NUMBER: _ClassVar[int]
    code: str
    year: int
    version: int
    status: str
    digest: str
    author: str
    reason: str
    created_at: _timestamp_pb2.Timestamp
    published_at: _timestamp_pb2.Timestamp
    published_by: str
    publication_reason: str
    def __init__(self, code: _Optional[str] = ..., year: _Optional[int] = ..., version: _Optional[int] = ..., status: _Optional[str] = ..., digest: _Optional[str] = ..., author: _Optional[str] = ..., reason: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., published_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., published_by: _Optional[str] = ..., publication_reason: _Optional[str] = ...) -> None: ...

class SubmitSchemeRequest(_message.Message):
    __slots__ = ("document", "document_format", "reason")
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_FORMAT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    document: str
    document_format: str
    reason: str
    def __init__(self, document: _Optional[str] = ..., document_format: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class Problem(_message.Message):
    __slots__ = ("path", "message")
    PATH_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    path: str
    message: str
    def __init__(self, path: _Optional[str] = ..., message: _Optional[str] = ...) -> None: ...

class ValidateSchemeRequest(_message.Message):
    __slots__ = ("code", "version")
    CODE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    code: str
    version: int
    def __init__(self, code: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class ValidateSchemeResponse(_message.Message):
    __slots__ = ("problems",)
    PROBLEMS_FIELD_NUMBER: _ClassVar[int]
    problems: _containers.RepeatedCompositeFieldContainer[Problem]
    def __init__(self, problems: _Optional[_Iterable[_Union[Problem, _Mapping]]] = ...) -> None: ...

class DiffSchemesRequest(_message.Message):
    __slots__ = ("code", "from_version", "to_version")
    CODE_FIELD_NUMBER: _ClassVar[int]
    FROM_VERSION_FIELD_NUMBER: _ClassVar[int]
    TO_VERSION_FIELD_NUMBER: _ClassVar[int]
    code: str
    from_version: int
    to_version: int
    def __init__(self, code: _Optional[str] = ..., from_version: _Optional[int] = ..., to_version: _Optional[int] = ...) -> None: ...

class SchemeChange(_message.Message):
    __slots__ = ("section", "key", "kind", "field", "before_json", "after_json")
    SECTION_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    BEFORE_JSON_FIELD_NUMBER: _ClassVar[int]
    AFTER_JSON_FIELD_NUMBER: _ClassVar[int]
    section: str
    key: str
    kind: str
    field: str
    before_json: str
    after_json: str
    def __init__(self, section: _Optional[str] = ..., key: _Optional[str] = ..., kind: _Optional[str] = ..., field: _Optional[str] = ..., before_json: _Optional[str] = ..., after_json: _Optional[str] = ...) -> None: ...

class DiffSchemesResponse(_message.Message):
    __slots__ = ("changes",)
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    changes: _containers.RepeatedCompositeFieldContainer[SchemeChange]
    def __init__(self, changes: _Optional[_Iterable[_Union[SchemeChange, _Mapping]]] = ...) -> None: ...

class ImportTableRequest(_message.Message):
    __slots__ = ("code", "table", "file_format", "content", "reason")
    CODE_FIELD_NUMBER: _ClassVar[int]
    TABLE_FIELD_NUMBER: _ClassVar[int]
    FILE_FORMAT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    code: str
    table: str
    file_format: str
    content: bytes
    reason: str
    def __init__(self, code: _Optional[str] = ..., table: _Optional[str] = ..., file_format: _Optional[str] = ..., content: _Optional[bytes] = ..., reason: _Optional[str] = ...) -> None: ...

class RowError(_message.Message):
    __slots__ = ("row", "column", "message")
    ROW_FIELD_NUMBER: _ClassVar[int]
    COLUMN_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    row: int
    column: str
    message: str
    def __init__(self, row: _Optional[int] = ..., column: _Optional[str] = ..., message: _Optional[str] = ...) -> None: ...

class ImportTableResponse(_message.Message):
    __slots__ = ("version", "rows", "errors")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    version: SchemeVersion
    rows: int
    errors: _containers.RepeatedCompositeFieldContainer[RowError]
    def __init__(self, version: _Optional[_Union[SchemeVersion, _Mapping]] = ..., rows: _Optional[int] = ..., errors: _Optional[_Iterable[_Union[RowError, _Mapping]]] = ...) -> None: ...

class ExportTableRequest(_message.Message):
    __slots__ = ("code", "version", "table", "file_format")
    CODE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    TABLE_FIELD_NUMBER: _ClassVar[int]
    FILE_FORMAT_FIELD_NUMBER: _ClassVar[int]
    code: str
    version: int
    table: str
    file_format: str
    def __init__(self, code: _Optional[str] = ..., version: _Optional[int] = ..., table: _Optional[str] = ..., file_format: _Optional[str] = ...) -> None: ...

class ExportTableResponse(_message.Message):
    __slots__ = ("content", "filename")
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    content: bytes
    filename: str
    def __init__(self, content: _Optional[bytes] = ..., filename: _Optional[str] = ...) -> None: ...

class PublishSchemeRequest(_message.Message):
    __slots__ = ("code", "version", "reason")
    CODE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    code: str
    version: int
    reason: str
    def __init__(self, code: _Optional[str] = ..., version: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class GetSchemeRequest(_message.Message):
    __slots__ = ("code", "version")
    CODE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    code: str
    version: int
    def __init__(self, code: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class GetSchemeResponse(_message.Message):
    __slots__ = ("version", "document_json")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_JSON_FIELD_NUMBER: _ClassVar[int]
    version: SchemeVersion
    document_json: str
    def __init__(self, version: _Optional[_Union[SchemeVersion, _Mapping]] = ..., document_json: _Optional[str] = ...) -> None: ...

class ListSchemeVersionsRequest(_message.Message):
    __slots__ = ("code",)
    CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    def __init__(self, code: _Optional[str] = ...) -> None: ...

class ListSchemeVersionsResponse(_message.Message):
    __slots__ = ("versions",)
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    versions: _containers.RepeatedCompositeFieldContainer[SchemeVersion]
    def __init__(self, versions: _Optional[_Iterable[_Union[SchemeVersion, _Mapping]]] = ...) -> None: ...

class SourceKey(_message.Message):
    __slots__ = ("key_id", "source", "public_key", "created_by", "created_at", "revoked_at", "revoked_by", "revoked_reason")
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_KEY_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    REVOKED_AT_FIELD_NUMBER: _ClassVar[int]
    REVOKED_BY_FIELD_NUMBER: _ClassVar[int]
    REVOKED_REASON_FIELD_NUMBER: _ClassVar[int]
    key_id: str
    source: str
    public_key: bytes
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    revoked_at: _timestamp_pb2.Timestamp
    revoked_by: str
    revoked_reason: str
    def __init__(self, key_id: _Optional[str] = ..., source: _Optional[str] = ..., public_key: _Optional[bytes] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., revoked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., revoked_by: _Optional[str] = ..., revoked_reason: _Optional[str] = ...) -> None: ...

class CreateSourceKeyRequest(_message.Message):
    __slots__ = ("source", "public_key")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_KEY_FIELD_NUMBER: _ClassVar[int]
    source: str
    public_key: bytes
    def __init__(self, source: _Optional[str] = ..., public_key: _Optional[bytes] = ...) -> None: ...

class CreateSourceKeyResponse(_message.Message):
    __slots__ = ("key", "key_file")
    KEY_FIELD_NUMBER: _ClassVar[int]
    KEY_FILE_FIELD_NUMBER: _ClassVar[int]
    key: SourceKey
    key_file: str
    def __init__(self, key: _Optional[_Union[SourceKey, _Mapping]] = ..., key_file: _Optional[str] = ...) -> None: ...

class ListSourceKeysRequest(_message.Message):
    __slots__ = ("source",)
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    source: str
    def __init__(self, source: _Optional[str] = ...) -> None: ...

class ListSourceKeysResponse(_message.Message):
    __slots__ = ("keys",)
    KEYS_FIELD_NUMBER: _ClassVar[int]
    keys: _containers.RepeatedCompositeFieldContainer[SourceKey]
    def __init__(self, keys: _Optional[_Iterable[_Union[SourceKey, _Mapping]]] = ...) -> None: ...

class RevokeSourceKeyRequest(_message.Message):
    __slots__ = ("key_id", "reason")
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    key_id: str
    reason: str
    def __init__(self, key_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...
