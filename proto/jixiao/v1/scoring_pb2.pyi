from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PeriodState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PERIOD_STATE_UNSPECIFIED: _ClassVar[PeriodState]
    PERIOD_STATE_OPEN: _ClassVar[PeriodState]
    PERIOD_STATE_LOCKED: _ClassVar[PeriodState]
    PERIOD_STATE_APPROVED: _ClassVar[PeriodState]
    PERIOD_STATE_PUBLISHED: _ClassVar[PeriodState]
PERIOD_STATE_UNSPECIFIED: PeriodState
PERIOD_STATE_OPEN: PeriodState
PERIOD_STATE_LOCKED: PeriodState
PERIOD_STATE_APPROVED: PeriodState
PERIOD_STATE_PUBLISHED: PeriodState

class ListPeriodsRequest(_message.Message):
    __slots__ = ("scheme_code", "state", "page_size", "page_token")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    state: PeriodState
    page_size: int
    page_token: str
    def __init__(self, scheme_code: _Optional[str] = ..., state: _Optional[_Union[PeriodState, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class PeriodStatus(_message.Message):
    __slots__ = ("scheme_code", "period", "state", "locked_by", "locked_at", "approved_by", "approved_at", "published_by", "published_at", "reason", "result_digest")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    LOCKED_BY_FIELD_NUMBER: _ClassVar[int]
    LOCKED_AT_FIELD_NUMBER: _ClassVar[int]
    APPROVED_BY_FIELD_NUMBER: _ClassVar[int]
    APPROVED_AT_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_BY_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_AT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RESULT_DIGEST_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    period: str
    state: PeriodState
    locked_by: str
    locked_at: str
    approved_by: str
    approved_at: str
    published_by: str
    published_at: str
    reason: str
    result_digest: str
    def __init__(self, scheme_code: _Optional[str] = ..., period: _Optional[str] = ..., state: _Optional[_Union[PeriodState, str]] = ..., locked_by: _Optional[str] = ..., locked_at: _Optional[str] = ..., approved_by: _Optional[str] = ..., approved_at: _Optional[str] = ..., published_by: _Optional[str] = ..., published_at: _Optional[str] = ..., reason: _Optional[str] = ..., result_digest: _Optional[str] = ...) -> None: ...

class ListPeriodsResponse(_message.Message):
    __slots__ = ("periods", "next_page_token")
    PERIODS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    periods: _containers.RepeatedCompositeFieldContainer[PeriodStatus]
    next_page_token: str
    def __init__(self, periods: _Optional[_Iterable[_Union[PeriodStatus, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class PeriodActionRequest(_message.Message):
    __slots__ = ("scheme_code", "period", "reason", "override_findings_reason")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    OVERRIDE_FINDINGS_REASON_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    period: str
    reason: str
    override_findings_reason: str
    def __init__(self, scheme_code: _Optional[str] = ..., period: _Optional[str] = ..., reason: _Optional[str] = ..., override_findings_reason: _Optional[str] = ...) -> None: ...

class RecheckPeriodRequest(_message.Message):
    __slots__ = ("scheme_code", "period")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    period: str
    def __init__(self, scheme_code: _Optional[str] = ..., period: _Optional[str] = ...) -> None: ...

class RecheckPeriodResponse(_message.Message):
    __slots__ = ("identical", "compared", "differences", "stored_digest", "recomputed_digest")
    IDENTICAL_FIELD_NUMBER: _ClassVar[int]
    COMPARED_FIELD_NUMBER: _ClassVar[int]
    DIFFERENCES_FIELD_NUMBER: _ClassVar[int]
    STORED_DIGEST_FIELD_NUMBER: _ClassVar[int]
    RECOMPUTED_DIGEST_FIELD_NUMBER: _ClassVar[int]
    identical: bool
    compared: int
    differences: _containers.RepeatedScalarFieldContainer[str]
    stored_digest: str
    recomputed_digest: str
    def __init__(self, identical: _Optional[bool] = ..., compared: _Optional[int] = ..., differences: _Optional[_Iterable[str]] = ..., stored_digest: _Optional[str] = ..., recomputed_digest: _Optional[str] = ...) -> None: ...

class SubmitSelfEvaluationRequest(_message.Message):
    __slots__ = ("scheme_code", "unit_id", "period", "total", "summary", "indicators")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    INDICATORS_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    unit_id: str
    period: str
    total: float
    summary: str
    indicators: _containers.RepeatedCompositeFieldContainer[IndicatorSelfScore]
    def __init__(self, scheme_code: _Optional[str] = ..., unit_id: _Optional[str] = ..., period: _Optional[str] = ..., total: _Optional[float] = ..., summary: _Optional[str] = ..., indicators: _Optional[_Iterable[_Union[IndicatorSelfScore, _Mapping]]] = ...) -> None: ...

class IndicatorSelfScore(_message.Message):
    __slots__ = ("indicator_code", "points", "basis", "computed", "computed_points", "gap", "flagged")
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    BASIS_FIELD_NUMBER: _ClassVar[int]
    COMPUTED_FIELD_NUMBER: _ClassVar[int]
    COMPUTED_POINTS_FIELD_NUMBER: _ClassVar[int]
    GAP_FIELD_NUMBER: _ClassVar[int]
    FLAGGED_FIELD_NUMBER: _ClassVar[int]
    indicator_code: str
    points: float
    basis: str
    computed: bool
    computed_points: float
    gap: float
    flagged: bool
    def __init__(self, indicator_code: _Optional[str] = ..., points: _Optional[float] = ..., basis: _Optional[str] = ..., computed: _Optional[bool] = ..., computed_points: _Optional[float] = ..., gap: _Optional[float] = ..., flagged: _Optional[bool] = ...) -> None: ...

class SelfEvaluation(_message.Message):
    __slots__ = ("scheme_code", "unit_id", "period", "total", "summary", "submitted_by", "submitted_at", "indicators", "tolerance", "flagged", "unit_name_zh", "unit_name_en")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_BY_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    INDICATORS_FIELD_NUMBER: _ClassVar[int]
    TOLERANCE_FIELD_NUMBER: _ClassVar[int]
    FLAGGED_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_EN_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    unit_id: str
    period: str
    total: float
    summary: str
    submitted_by: str
    submitted_at: str
    indicators: _containers.RepeatedCompositeFieldContainer[IndicatorSelfScore]
    tolerance: float
    flagged: int
    unit_name_zh: str
    unit_name_en: str
    def __init__(self, scheme_code: _Optional[str] = ..., unit_id: _Optional[str] = ..., period: _Optional[str] = ..., total: _Optional[float] = ..., summary: _Optional[str] = ..., submitted_by: _Optional[str] = ..., submitted_at: _Optional[str] = ..., indicators: _Optional[_Iterable[_Union[IndicatorSelfScore, _Mapping]]] = ..., tolerance: _Optional[float] = ..., flagged: _Optional[int] = ..., unit_name_zh: _Optional[str] = ..., unit_name_en: _Optional[str] = ...) -> None: ...

class ListSelfEvaluationsRequest(_message.Message):
    __slots__ = ("scheme_code", "period")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    period: str
    def __init__(self, scheme_code: _Optional[str] = ..., period: _Optional[str] = ...) -> None: ...

class ListSelfEvaluationsResponse(_message.Message):
    __slots__ = ("self_evaluations", "missing_unit_ids")
    SELF_EVALUATIONS_FIELD_NUMBER: _ClassVar[int]
    MISSING_UNIT_IDS_FIELD_NUMBER: _ClassVar[int]
    self_evaluations: _containers.RepeatedCompositeFieldContainer[SelfEvaluation]
    missing_unit_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, self_evaluations: _Optional[_Iterable[_Union[SelfEvaluation, _Mapping]]] = ..., missing_unit_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class UploadWorkReportRequest(_message.Message):
    __slots__ = ("scheme_code", "unit_id", "person_id", "period", "file_name", "content")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    unit_id: str
    person_id: str
    period: str
    file_name: str
    content: bytes
    def __init__(self, scheme_code: _Optional[str] = ..., unit_id: _Optional[str] = ..., person_id: _Optional[str] = ..., period: _Optional[str] = ..., file_name: _Optional[str] = ..., content: _Optional[bytes] = ...) -> None: ...

class WorkReport(_message.Message):
    __slots__ = ("id", "scheme_code", "unit_id", "person_id", "period", "version", "file_name", "media_type", "size_bytes", "sha256", "uploaded_by", "uploaded_at", "current")
    ID_FIELD_NUMBER: _ClassVar[int]
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    MEDIA_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    UPLOADED_BY_FIELD_NUMBER: _ClassVar[int]
    UPLOADED_AT_FIELD_NUMBER: _ClassVar[int]
    CURRENT_FIELD_NUMBER: _ClassVar[int]
    id: int
    scheme_code: str
    unit_id: str
    person_id: str
    period: str
    version: int
    file_name: str
    media_type: str
    size_bytes: int
    sha256: str
    uploaded_by: str
    uploaded_at: str
    current: bool
    def __init__(self, id: _Optional[int] = ..., scheme_code: _Optional[str] = ..., unit_id: _Optional[str] = ..., person_id: _Optional[str] = ..., period: _Optional[str] = ..., version: _Optional[int] = ..., file_name: _Optional[str] = ..., media_type: _Optional[str] = ..., size_bytes: _Optional[int] = ..., sha256: _Optional[str] = ..., uploaded_by: _Optional[str] = ..., uploaded_at: _Optional[str] = ..., current: _Optional[bool] = ...) -> None: ...

class ListWorkReportsRequest(_message.Message):
    __slots__ = ("scheme_code", "unit_id", "period")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    unit_id: str
    period: str
    def __init__(self, scheme_code: _Optional[str] = ..., unit_id: _Optional[str] = ..., period: _Optional[str] = ...) -> None: ...

class ListWorkReportsResponse(_message.Message):
    __slots__ = ("reports",)
    REPORTS_FIELD_NUMBER: _ClassVar[int]
    reports: _containers.RepeatedCompositeFieldContainer[WorkReport]
    def __init__(self, reports: _Optional[_Iterable[_Union[WorkReport, _Mapping]]] = ...) -> None: ...

class GetWorkReportRequest(_message.Message):
    __slots__ = ("scheme_code", "id")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    id: int
    def __init__(self, scheme_code: _Optional[str] = ..., id: _Optional[int] = ...) -> None: ...

class WorkReportFile(_message.Message):
    __slots__ = ("report", "content")
    REPORT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    report: WorkReport
    content: bytes
    def __init__(self, report: _Optional[_Union[WorkReport, _Mapping]] = ..., content: _Optional[bytes] = ...) -> None: ...

class ListConsequencesRequest(_message.Message):
    __slots__ = ("scheme_code", "grading_code", "page_size", "page_token")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    GRADING_CODE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    grading_code: str
    page_size: int
    page_token: str
    def __init__(self, scheme_code: _Optional[str] = ..., grading_code: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class Consequence(_message.Message):
    __slots__ = ("subject", "unit_id", "person_id", "name_zh", "rule", "action_zh", "action_en", "grade_history", "provisional")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    ACTION_ZH_FIELD_NUMBER: _ClassVar[int]
    ACTION_EN_FIELD_NUMBER: _ClassVar[int]
    GRADE_HISTORY_FIELD_NUMBER: _ClassVar[int]
    PROVISIONAL_FIELD_NUMBER: _ClassVar[int]
    subject: str
    unit_id: str
    person_id: str
    name_zh: str
    rule: str
    action_zh: str
    action_en: str
    grade_history: _containers.RepeatedScalarFieldContainer[str]
    provisional: bool
    def __init__(self, subject: _Optional[str] = ..., unit_id: _Optional[str] = ..., person_id: _Optional[str] = ..., name_zh: _Optional[str] = ..., rule: _Optional[str] = ..., action_zh: _Optional[str] = ..., action_en: _Optional[str] = ..., grade_history: _Optional[_Iterable[str]] = ..., provisional: _Optional[bool] = ...) -> None: ...

class ListConsequencesResponse(_message.Message):
    __slots__ = ("consequences", "next_page_token")
    CONSEQUENCES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    consequences: _containers.RepeatedCompositeFieldContainer[Consequence]
    next_page_token: str
    def __init__(self, consequences: _Optional[_Iterable[_Union[Consequence, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetRankingRequest(_message.Message):
    __slots__ = ("scheme_code", "category", "period", "page_size", "page_token")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    category: str
    period: str
    page_size: int
    page_token: str
    def __init__(self, scheme_code: _Optional[str] = ..., category: _Optional[str] = ..., period: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class RankingEntry(_message.Message):
    __slots__ = ("rank", "unit_id", "unit_name_zh", "unit_name_en", "total", "incomplete", "gaps")
    RANK_FIELD_NUMBER: _ClassVar[int]
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_EN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    INCOMPLETE_FIELD_NUMBER: _ClassVar[int]
    GAPS_FIELD_NUMBER: _ClassVar[int]
    rank: int
    unit_id: str
    unit_name_zh: str
    unit_name_en: str
    total: float
    incomplete: bool
    gaps: int
    def __init__(self, rank: _Optional[int] = ..., unit_id: _Optional[str] = ..., unit_name_zh: _Optional[str] = ..., unit_name_en: _Optional[str] = ..., total: _Optional[float] = ..., incomplete: _Optional[bool] = ..., gaps: _Optional[int] = ...) -> None: ...

class GetRankingResponse(_message.Message):
    __slots__ = ("scheme_version", "entries", "next_page_token", "total_size", "basis")
    SCHEME_VERSION_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    BASIS_FIELD_NUMBER: _ClassVar[int]
    scheme_version: int
    entries: _containers.RepeatedCompositeFieldContainer[RankingEntry]
    next_page_token: str
    total_size: int
    basis: str
    def __init__(self, scheme_version: _Optional[int] = ..., entries: _Optional[_Iterable[_Union[RankingEntry, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total_size: _Optional[int] = ..., basis: _Optional[str] = ...) -> None: ...

class GetUnitScoreRequest(_message.Message):
    __slots__ = ("scheme_code", "unit_id", "period")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    unit_id: str
    period: str
    def __init__(self, scheme_code: _Optional[str] = ..., unit_id: _Optional[str] = ..., period: _Optional[str] = ...) -> None: ...

class DimensionScore(_message.Message):
    __slots__ = ("code", "name_zh", "name_en", "weight", "score", "assessed", "period_weight")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    ASSESSED_FIELD_NUMBER: _ClassVar[int]
    PERIOD_WEIGHT_FIELD_NUMBER: _ClassVar[int]
    code: str
    name_zh: str
    name_en: str
    weight: float
    score: float
    assessed: bool
    period_weight: float
    def __init__(self, code: _Optional[str] = ..., name_zh: _Optional[str] = ..., name_en: _Optional[str] = ..., weight: _Optional[float] = ..., score: _Optional[float] = ..., assessed: _Optional[bool] = ..., period_weight: _Optional[float] = ...) -> None: ...

class MissingResult(_message.Message):
    __slots__ = ("indicator_code", "dimension", "reason", "counted_as")
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    DIMENSION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    COUNTED_AS_FIELD_NUMBER: _ClassVar[int]
    indicator_code: str
    dimension: str
    reason: str
    counted_as: str
    def __init__(self, indicator_code: _Optional[str] = ..., dimension: _Optional[str] = ..., reason: _Optional[str] = ..., counted_as: _Optional[str] = ...) -> None: ...

class IndicatorResult(_message.Message):
    __slots__ = ("indicator_code", "status", "reason", "raw_value", "achievement", "points", "weight", "explanation", "evidence_event_ids", "plugin_version", "formula", "dimension", "period_basis", "counted")
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RAW_VALUE_FIELD_NUMBER: _ClassVar[int]
    ACHIEVEMENT_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_EVENT_IDS_FIELD_NUMBER: _ClassVar[int]
    PLUGIN_VERSION_FIELD_NUMBER: _ClassVar[int]
    FORMULA_FIELD_NUMBER: _ClassVar[int]
    DIMENSION_FIELD_NUMBER: _ClassVar[int]
    PERIOD_BASIS_FIELD_NUMBER: _ClassVar[int]
    COUNTED_FIELD_NUMBER: _ClassVar[int]
    indicator_code: str
    status: str
    reason: str
    raw_value: float
    achievement: float
    points: float
    weight: float
    explanation: str
    evidence_event_ids: _containers.RepeatedScalarFieldContainer[str]
    plugin_version: str
    formula: str
    dimension: str
    period_basis: str
    counted: bool
    def __init__(self, indicator_code: _Optional[str] = ..., status: _Optional[str] = ..., reason: _Optional[str] = ..., raw_value: _Optional[float] = ..., achievement: _Optional[float] = ..., points: _Optional[float] = ..., weight: _Optional[float] = ..., explanation: _Optional[str] = ..., evidence_event_ids: _Optional[_Iterable[str]] = ..., plugin_version: _Optional[str] = ..., formula: _Optional[str] = ..., dimension: _Optional[str] = ..., period_basis: _Optional[str] = ..., counted: _Optional[bool] = ...) -> None: ...

class UnitScore(_message.Message):
    __slots__ = ("scheme_code", "scheme_version", "unit_id", "unit_name_zh", "unit_name_en", "category", "period", "total", "rank", "dimensions", "indicators", "previous_period", "vs_previous", "last_year_period", "vs_last_year", "period_state", "self_evaluation", "leadership_team", "missing", "partial", "basis")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    SCHEME_VERSION_FIELD_NUMBER: _ClassVar[int]
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_EN_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    RANK_FIELD_NUMBER: _ClassVar[int]
    DIMENSIONS_FIELD_NUMBER: _ClassVar[int]
    INDICATORS_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_PERIOD_FIELD_NUMBER: _ClassVar[int]
    VS_PREVIOUS_FIELD_NUMBER: _ClassVar[int]
    LAST_YEAR_PERIOD_FIELD_NUMBER: _ClassVar[int]
    VS_LAST_YEAR_FIELD_NUMBER: _ClassVar[int]
    PERIOD_STATE_FIELD_NUMBER: _ClassVar[int]
    SELF_EVALUATION_FIELD_NUMBER: _ClassVar[int]
    LEADERSHIP_TEAM_FIELD_NUMBER: _ClassVar[int]
    MISSING_FIELD_NUMBER: _ClassVar[int]
    PARTIAL_FIELD_NUMBER: _ClassVar[int]
    BASIS_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    scheme_version: int
    unit_id: str
    unit_name_zh: str
    unit_name_en: str
    category: str
    period: str
    total: float
    rank: int
    dimensions: _containers.RepeatedCompositeFieldContainer[DimensionScore]
    indicators: _containers.RepeatedCompositeFieldContainer[IndicatorResult]
    previous_period: str
    vs_previous: float
    last_year_period: str
    vs_last_year: float
    period_state: PeriodState
    self_evaluation: SelfEvaluation
    leadership_team: LeadershipTeam
    missing: _containers.RepeatedCompositeFieldContainer[MissingResult]
    partial: bool
    basis: str
    def __init__(self, scheme_code: _Optional[str] = ..., scheme_version: _Optional[int] = ..., unit_id: _Optional[str] = ..., unit_name_zh: _Optional[str] = ..., unit_name_en: _Optional[str] = ..., category: _Optional[str] = ..., period: _Optional[str] = ..., total: _Optional[float] = ..., rank: _Optional[int] = ..., dimensions: _Optional[_Iterable[_Union[DimensionScore, _Mapping]]] = ..., indicators: _Optional[_Iterable[_Union[IndicatorResult, _Mapping]]] = ..., previous_period: _Optional[str] = ..., vs_previous: _Optional[float] = ..., last_year_period: _Optional[str] = ..., vs_last_year: _Optional[float] = ..., period_state: _Optional[_Union[PeriodState, str]] = ..., self_evaluation: _Optional[_Union[SelfEvaluation, _Mapping]] = ..., leadership_team: _Optional[_Union[LeadershipTeam, _Mapping]] = ..., missing: _Optional[_Iterable[_Union[MissingResult, _Mapping]]] = ..., partial: _Optional[bool] = ..., basis: _Optional[str] = ...) -> None: ...

class TeamMember(_message.Message):
    __slots__ = ("person_id", "name_zh", "position_zh", "position_en", "total")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    POSITION_ZH_FIELD_NUMBER: _ClassVar[int]
    POSITION_EN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    name_zh: str
    position_zh: str
    position_en: str
    total: float
    def __init__(self, person_id: _Optional[str] = ..., name_zh: _Optional[str] = ..., position_zh: _Optional[str] = ..., position_en: _Optional[str] = ..., total: _Optional[float] = ...) -> None: ...

class LeadershipTeam(_message.Message):
    __slots__ = ("team_id", "name_zh", "name_en", "score", "members")
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    team_id: str
    name_zh: str
    name_en: str
    score: float
    members: _containers.RepeatedCompositeFieldContainer[TeamMember]
    def __init__(self, team_id: _Optional[str] = ..., name_zh: _Optional[str] = ..., name_en: _Optional[str] = ..., score: _Optional[float] = ..., members: _Optional[_Iterable[_Union[TeamMember, _Mapping]]] = ...) -> None: ...

class GetPersonScoreRequest(_message.Message):
    __slots__ = ("scheme_code", "person_id", "period")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    person_id: str
    period: str
    def __init__(self, scheme_code: _Optional[str] = ..., person_id: _Optional[str] = ..., period: _Optional[str] = ...) -> None: ...

class PersonScore(_message.Message):
    __slots__ = ("scheme_code", "scheme_version", "person_id", "name_zh", "position_zh", "position_en", "unit_id", "unit_name_zh", "team_id", "period", "total", "unit_total", "unit_weight", "personal_points", "personal_weight", "personal_status", "explanation", "evidence_event_ids", "plugin_version", "veto_cap", "veto_reason", "period_state", "note", "deduction_points", "deduction_explanation", "deduction_evidence_event_ids")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    SCHEME_VERSION_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    POSITION_ZH_FIELD_NUMBER: _ClassVar[int]
    POSITION_EN_FIELD_NUMBER: _ClassVar[int]
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    UNIT_TOTAL_FIELD_NUMBER: _ClassVar[int]
    UNIT_WEIGHT_FIELD_NUMBER: _ClassVar[int]
    PERSONAL_POINTS_FIELD_NUMBER: _ClassVar[int]
    PERSONAL_WEIGHT_FIELD_NUMBER: _ClassVar[int]
    PERSONAL_STATUS_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_EVENT_IDS_FIELD_NUMBER: _ClassVar[int]
    PLUGIN_VERSION_FIELD_NUMBER: _ClassVar[int]
    VETO_CAP_FIELD_NUMBER: _ClassVar[int]
    VETO_REASON_FIELD_NUMBER: _ClassVar[int]
    PERIOD_STATE_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    DEDUCTION_POINTS_FIELD_NUMBER: _ClassVar[int]
    DEDUCTION_EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    DEDUCTION_EVIDENCE_EVENT_IDS_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    scheme_version: int
    person_id: str
    name_zh: str
    position_zh: str
    position_en: str
    unit_id: str
    unit_name_zh: str
    team_id: str
    period: str
    total: float
    unit_total: float
    unit_weight: float
    personal_points: float
    personal_weight: float
    personal_status: str
    explanation: str
    evidence_event_ids: _containers.RepeatedScalarFieldContainer[str]
    plugin_version: str
    veto_cap: int
    veto_reason: str
    period_state: PeriodState
    note: str
    deduction_points: float
    deduction_explanation: str
    deduction_evidence_event_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, scheme_code: _Optional[str] = ..., scheme_version: _Optional[int] = ..., person_id: _Optional[str] = ..., name_zh: _Optional[str] = ..., position_zh: _Optional[str] = ..., position_en: _Optional[str] = ..., unit_id: _Optional[str] = ..., unit_name_zh: _Optional[str] = ..., team_id: _Optional[str] = ..., period: _Optional[str] = ..., total: _Optional[float] = ..., unit_total: _Optional[float] = ..., unit_weight: _Optional[float] = ..., personal_points: _Optional[float] = ..., personal_weight: _Optional[float] = ..., personal_status: _Optional[str] = ..., explanation: _Optional[str] = ..., evidence_event_ids: _Optional[_Iterable[str]] = ..., plugin_version: _Optional[str] = ..., veto_cap: _Optional[int] = ..., veto_reason: _Optional[str] = ..., period_state: _Optional[_Union[PeriodState, str]] = ..., note: _Optional[str] = ..., deduction_points: _Optional[float] = ..., deduction_explanation: _Optional[str] = ..., deduction_evidence_event_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class GetRegionScoresRequest(_message.Message):
    __slots__ = ("scheme_code", "period")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    period: str
    def __init__(self, scheme_code: _Optional[str] = ..., period: _Optional[str] = ...) -> None: ...

class RegionScore(_message.Message):
    __slots__ = ("rank", "region_id", "name_zh", "name_en", "score", "units")
    RANK_FIELD_NUMBER: _ClassVar[int]
    REGION_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    UNITS_FIELD_NUMBER: _ClassVar[int]
    rank: int
    region_id: str
    name_zh: str
    name_en: str
    score: float
    units: int
    def __init__(self, rank: _Optional[int] = ..., region_id: _Optional[str] = ..., name_zh: _Optional[str] = ..., name_en: _Optional[str] = ..., score: _Optional[float] = ..., units: _Optional[int] = ...) -> None: ...

class GetRegionScoresResponse(_message.Message):
    __slots__ = ("scheme_version", "regions")
    SCHEME_VERSION_FIELD_NUMBER: _ClassVar[int]
    REGIONS_FIELD_NUMBER: _ClassVar[int]
    scheme_version: int
    regions: _containers.RepeatedCompositeFieldContainer[RegionScore]
    def __init__(self, scheme_version: _Optional[int] = ..., regions: _Optional[_Iterable[_Union[RegionScore, _Mapping]]] = ...) -> None: ...

class GetIngestStatusRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class IngestStatus(_message.Message):
    __slots__ = ("events_stored", "duplicates", "rejected", "pending_rescores", "unapproved_plugins")
    EVENTS_STORED_FIELD_NUMBER: _ClassVar[int]
    DUPLICATES_FIELD_NUMBER: _ClassVar[int]
    REJECTED_FIELD_NUMBER: _ClassVar[int]
    PENDING_RESCORES_FIELD_NUMBER: _ClassVar[int]
    UNAPPROVED_PLUGINS_FIELD_NUMBER: _ClassVar[int]
    events_stored: int
    duplicates: int
    rejected: int
    pending_rescores: int
    unapproved_plugins: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, events_stored: _Optional[int] = ..., duplicates: _Optional[int] = ..., rejected: _Optional[int] = ..., pending_rescores: _Optional[int] = ..., unapproved_plugins: _Optional[_Iterable[str]] = ...) -> None: ...

class ListIndicatorsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ActiveIndicator(_message.Message):
    __slots__ = ("code", "name_zh", "name_en", "kind", "plugin_version", "input_metrics", "formula")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PLUGIN_VERSION_FIELD_NUMBER: _ClassVar[int]
    INPUT_METRICS_FIELD_NUMBER: _ClassVar[int]
    FORMULA_FIELD_NUMBER: _ClassVar[int]
    code: str
    name_zh: str
    name_en: str
    kind: str
    plugin_version: str
    input_metrics: _containers.RepeatedScalarFieldContainer[str]
    formula: str
    def __init__(self, code: _Optional[str] = ..., name_zh: _Optional[str] = ..., name_en: _Optional[str] = ..., kind: _Optional[str] = ..., plugin_version: _Optional[str] = ..., input_metrics: _Optional[_Iterable[str]] = ..., formula: _Optional[str] = ...) -> None: ...

class ListIndicatorsResponse(_message.Message):
    __slots__ = ("indicators",)
    INDICATORS_FIELD_NUMBER: _ClassVar[int]
    indicators: _containers.RepeatedCompositeFieldContainer[ActiveIndicator]
    def __init__(self, indicators: _Optional[_Iterable[_Union[ActiveIndicator, _Mapping]]] = ...) -> None: ...

class GetGradesRequest(_message.Message):
    __slots__ = ("scheme_code", "grading_code", "period", "page_size", "page_token")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    GRADING_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    grading_code: str
    period: str
    page_size: int
    page_token: str
    def __init__(self, scheme_code: _Optional[str] = ..., grading_code: _Optional[str] = ..., period: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class GradeResult(_message.Message):
    __slots__ = ("rank", "unit_id", "unit_name_zh", "unit_name_en", "category", "total", "grade", "grade_name_zh", "grade_name_en", "capped", "reason", "person_id", "person_name_zh", "tie_pending")
    RANK_FIELD_NUMBER: _ClassVar[int]
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_EN_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    GRADE_FIELD_NUMBER: _ClassVar[int]
    GRADE_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    GRADE_NAME_EN_FIELD_NUMBER: _ClassVar[int]
    CAPPED_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    TIE_PENDING_FIELD_NUMBER: _ClassVar[int]
    rank: int
    unit_id: str
    unit_name_zh: str
    unit_name_en: str
    category: str
    total: float
    grade: int
    grade_name_zh: str
    grade_name_en: str
    capped: bool
    reason: str
    person_id: str
    person_name_zh: str
    tie_pending: bool
    def __init__(self, rank: _Optional[int] = ..., unit_id: _Optional[str] = ..., unit_name_zh: _Optional[str] = ..., unit_name_en: _Optional[str] = ..., category: _Optional[str] = ..., total: _Optional[float] = ..., grade: _Optional[int] = ..., grade_name_zh: _Optional[str] = ..., grade_name_en: _Optional[str] = ..., capped: _Optional[bool] = ..., reason: _Optional[str] = ..., person_id: _Optional[str] = ..., person_name_zh: _Optional[str] = ..., tie_pending: _Optional[bool] = ...) -> None: ...

class GradeTie(_message.Message):
    __slots__ = ("grading_code", "period", "ids", "total", "grades", "slots", "resolved", "order", "resolved_grades", "resolved_by", "resolved_at", "reason")
    GRADING_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    GRADES_FIELD_NUMBER: _ClassVar[int]
    SLOTS_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_GRADES_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_BY_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_AT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    grading_code: str
    period: str
    ids: _containers.RepeatedScalarFieldContainer[str]
    total: float
    grades: _containers.RepeatedScalarFieldContainer[int]
    slots: _containers.RepeatedScalarFieldContainer[int]
    resolved: bool
    order: _containers.RepeatedScalarFieldContainer[str]
    resolved_grades: _containers.RepeatedScalarFieldContainer[int]
    resolved_by: str
    resolved_at: str
    reason: str
    def __init__(self, grading_code: _Optional[str] = ..., period: _Optional[str] = ..., ids: _Optional[_Iterable[str]] = ..., total: _Optional[float] = ..., grades: _Optional[_Iterable[int]] = ..., slots: _Optional[_Iterable[int]] = ..., resolved: _Optional[bool] = ..., order: _Optional[_Iterable[str]] = ..., resolved_grades: _Optional[_Iterable[int]] = ..., resolved_by: _Optional[str] = ..., resolved_at: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ResolveGradeTieRequest(_message.Message):
    __slots__ = ("scheme_code", "grading_code", "period", "order", "grades", "reason")
    class GradesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    GRADING_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    GRADES_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    grading_code: str
    period: str
    order: _containers.RepeatedScalarFieldContainer[str]
    grades: _containers.ScalarMap[str, int]
    reason: str
    def __init__(self, scheme_code: _Optional[str] = ..., grading_code: _Optional[str] = ..., period: _Optional[str] = ..., order: _Optional[_Iterable[str]] = ..., grades: _Optional[_Mapping[str, int]] = ..., reason: _Optional[str] = ...) -> None: ...

class GradeCount(_message.Message):
    __slots__ = ("grade", "count")
    GRADE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    grade: int
    count: int
    def __init__(self, grade: _Optional[int] = ..., count: _Optional[int] = ...) -> None: ...

class GetGradesResponse(_message.Message):
    __slots__ = ("scheme_version", "method", "entries", "counts", "next_page_token", "total_size", "graded", "not_graded_reason_zh", "not_graded_reason_en", "ties")
    SCHEME_VERSION_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    GRADED_FIELD_NUMBER: _ClassVar[int]
    NOT_GRADED_REASON_ZH_FIELD_NUMBER: _ClassVar[int]
    NOT_GRADED_REASON_EN_FIELD_NUMBER: _ClassVar[int]
    TIES_FIELD_NUMBER: _ClassVar[int]
    scheme_version: int
    method: str
    entries: _containers.RepeatedCompositeFieldContainer[GradeResult]
    counts: _containers.RepeatedCompositeFieldContainer[GradeCount]
    next_page_token: str
    total_size: int
    graded: bool
    not_graded_reason_zh: str
    not_graded_reason_en: str
    ties: _containers.RepeatedCompositeFieldContainer[GradeTie]
    def __init__(self, scheme_version: _Optional[int] = ..., method: _Optional[str] = ..., entries: _Optional[_Iterable[_Union[GradeResult, _Mapping]]] = ..., counts: _Optional[_Iterable[_Union[GradeCount, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total_size: _Optional[int] = ..., graded: _Optional[bool] = ..., not_graded_reason_zh: _Optional[str] = ..., not_graded_reason_en: _Optional[str] = ..., ties: _Optional[_Iterable[_Union[GradeTie, _Mapping]]] = ...) -> None: ...

class GetProgressRequest(_message.Message):
    __slots__ = ("scheme_code", "period", "warnings_only", "page_size", "page_token")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_ONLY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    period: str
    warnings_only: bool
    page_size: int
    page_token: str
    def __init__(self, scheme_code: _Optional[str] = ..., period: _Optional[str] = ..., warnings_only: _Optional[bool] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ProgressEntry(_message.Message):
    __slots__ = ("unit_id", "unit_name_zh", "unit_name_en", "indicator_code", "actual", "target", "measurement_unit", "actual_share", "expected_share", "gap", "warning")
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_EN_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    ACTUAL_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    MEASUREMENT_UNIT_FIELD_NUMBER: _ClassVar[int]
    ACTUAL_SHARE_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_SHARE_FIELD_NUMBER: _ClassVar[int]
    GAP_FIELD_NUMBER: _ClassVar[int]
    WARNING_FIELD_NUMBER: _ClassVar[int]
    unit_id: str
    unit_name_zh: str
    unit_name_en: str
    indicator_code: str
    actual: float
    target: float
    measurement_unit: str
    actual_share: float
    expected_share: float
    gap: float
    warning: bool
    def __init__(self, unit_id: _Optional[str] = ..., unit_name_zh: _Optional[str] = ..., unit_name_en: _Optional[str] = ..., indicator_code: _Optional[str] = ..., actual: _Optional[float] = ..., target: _Optional[float] = ..., measurement_unit: _Optional[str] = ..., actual_share: _Optional[float] = ..., expected_share: _Optional[float] = ..., gap: _Optional[float] = ..., warning: _Optional[bool] = ...) -> None: ...

class GetProgressResponse(_message.Message):
    __slots__ = ("as_of", "tolerance", "entries", "next_page_token", "total_size")
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    TOLERANCE_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    as_of: str
    tolerance: float
    entries: _containers.RepeatedCompositeFieldContainer[ProgressEntry]
    next_page_token: str
    total_size: int
    def __init__(self, as_of: _Optional[str] = ..., tolerance: _Optional[float] = ..., entries: _Optional[_Iterable[_Union[ProgressEntry, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total_size: _Optional[int] = ...) -> None: ...

class GetBulletinRequest(_message.Message):
    __slots__ = ("scheme_code", "period")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    period: str
    def __init__(self, scheme_code: _Optional[str] = ..., period: _Optional[str] = ...) -> None: ...

class BulletinEntry(_message.Message):
    __slots__ = ("rank", "unit_id", "unit_name_zh", "unit_name_en", "total", "previous_rank", "vs_previous", "incomplete", "gaps")
    RANK_FIELD_NUMBER: _ClassVar[int]
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_EN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_RANK_FIELD_NUMBER: _ClassVar[int]
    VS_PREVIOUS_FIELD_NUMBER: _ClassVar[int]
    INCOMPLETE_FIELD_NUMBER: _ClassVar[int]
    GAPS_FIELD_NUMBER: _ClassVar[int]
    rank: int
    unit_id: str
    unit_name_zh: str
    unit_name_en: str
    total: float
    previous_rank: int
    vs_previous: float
    incomplete: bool
    gaps: int
    def __init__(self, rank: _Optional[int] = ..., unit_id: _Optional[str] = ..., unit_name_zh: _Optional[str] = ..., unit_name_en: _Optional[str] = ..., total: _Optional[float] = ..., previous_rank: _Optional[int] = ..., vs_previous: _Optional[float] = ..., incomplete: _Optional[bool] = ..., gaps: _Optional[int] = ...) -> None: ...

class KeyIndicatorRow(_message.Message):
    __slots__ = ("rank", "unit_id", "unit_name_zh", "unit_name_en", "year_to_date", "annual_plan", "completion", "expected_share", "ahead_points", "warning", "previous_rank", "previous_completion", "vs_previous_points", "last_year_to_date", "vs_last_year", "incomplete", "gaps")
    RANK_FIELD_NUMBER: _ClassVar[int]
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_EN_FIELD_NUMBER: _ClassVar[int]
    YEAR_TO_DATE_FIELD_NUMBER: _ClassVar[int]
    ANNUAL_PLAN_FIELD_NUMBER: _ClassVar[int]
    COMPLETION_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_SHARE_FIELD_NUMBER: _ClassVar[int]
    AHEAD_POINTS_FIELD_NUMBER: _ClassVar[int]
    WARNING_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_RANK_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_COMPLETION_FIELD_NUMBER: _ClassVar[int]
    VS_PREVIOUS_POINTS_FIELD_NUMBER: _ClassVar[int]
    LAST_YEAR_TO_DATE_FIELD_NUMBER: _ClassVar[int]
    VS_LAST_YEAR_FIELD_NUMBER: _ClassVar[int]
    INCOMPLETE_FIELD_NUMBER: _ClassVar[int]
    GAPS_FIELD_NUMBER: _ClassVar[int]
    rank: int
    unit_id: str
    unit_name_zh: str
    unit_name_en: str
    year_to_date: float
    annual_plan: float
    completion: float
    expected_share: float
    ahead_points: float
    warning: bool
    previous_rank: int
    previous_completion: float
    vs_previous_points: float
    last_year_to_date: float
    vs_last_year: float
    incomplete: bool
    gaps: int
    def __init__(self, rank: _Optional[int] = ..., unit_id: _Optional[str] = ..., unit_name_zh: _Optional[str] = ..., unit_name_en: _Optional[str] = ..., year_to_date: _Optional[float] = ..., annual_plan: _Optional[float] = ..., completion: _Optional[float] = ..., expected_share: _Optional[float] = ..., ahead_points: _Optional[float] = ..., warning: _Optional[bool] = ..., previous_rank: _Optional[int] = ..., previous_completion: _Optional[float] = ..., vs_previous_points: _Optional[float] = ..., last_year_to_date: _Optional[float] = ..., vs_last_year: _Optional[float] = ..., incomplete: _Optional[bool] = ..., gaps: _Optional[int] = ...) -> None: ...

class KeyIndicatorBulletin(_message.Message):
    __slots__ = ("indicator_code", "name_zh", "name_en", "metric_code", "measurement_unit", "rows")
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    METRIC_CODE_FIELD_NUMBER: _ClassVar[int]
    MEASUREMENT_UNIT_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    indicator_code: str
    name_zh: str
    name_en: str
    metric_code: str
    measurement_unit: str
    rows: _containers.RepeatedCompositeFieldContainer[KeyIndicatorRow]
    def __init__(self, indicator_code: _Optional[str] = ..., name_zh: _Optional[str] = ..., name_en: _Optional[str] = ..., metric_code: _Optional[str] = ..., measurement_unit: _Optional[str] = ..., rows: _Optional[_Iterable[_Union[KeyIndicatorRow, _Mapping]]] = ...) -> None: ...

class CategoryBulletin(_message.Message):
    __slots__ = ("category", "name_zh", "name_en", "ranking", "risers", "fallers", "key_indicators")
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    RANKING_FIELD_NUMBER: _ClassVar[int]
    RISERS_FIELD_NUMBER: _ClassVar[int]
    FALLERS_FIELD_NUMBER: _ClassVar[int]
    KEY_INDICATORS_FIELD_NUMBER: _ClassVar[int]
    category: str
    name_zh: str
    name_en: str
    ranking: _containers.RepeatedCompositeFieldContainer[BulletinEntry]
    risers: _containers.RepeatedCompositeFieldContainer[BulletinEntry]
    fallers: _containers.RepeatedCompositeFieldContainer[BulletinEntry]
    key_indicators: _containers.RepeatedCompositeFieldContainer[KeyIndicatorBulletin]
    def __init__(self, category: _Optional[str] = ..., name_zh: _Optional[str] = ..., name_en: _Optional[str] = ..., ranking: _Optional[_Iterable[_Union[BulletinEntry, _Mapping]]] = ..., risers: _Optional[_Iterable[_Union[BulletinEntry, _Mapping]]] = ..., fallers: _Optional[_Iterable[_Union[BulletinEntry, _Mapping]]] = ..., key_indicators: _Optional[_Iterable[_Union[KeyIndicatorBulletin, _Mapping]]] = ...) -> None: ...

class Bulletin(_message.Message):
    __slots__ = ("scheme_code", "scheme_version", "period", "previous_period", "categories", "warnings")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    SCHEME_VERSION_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_PERIOD_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    scheme_version: int
    period: str
    previous_period: str
    categories: _containers.RepeatedCompositeFieldContainer[CategoryBulletin]
    warnings: _containers.RepeatedCompositeFieldContainer[ProgressEntry]
    def __init__(self, scheme_code: _Optional[str] = ..., scheme_version: _Optional[int] = ..., period: _Optional[str] = ..., previous_period: _Optional[str] = ..., categories: _Optional[_Iterable[_Union[CategoryBulletin, _Mapping]]] = ..., warnings: _Optional[_Iterable[_Union[ProgressEntry, _Mapping]]] = ...) -> None: ...

class GetCompletenessRequest(_message.Message):
    __slots__ = ("scheme_code", "period", "page_size", "page_token")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    period: str
    page_size: int
    page_token: str
    def __init__(self, scheme_code: _Optional[str] = ..., period: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class CompletenessGap(_message.Message):
    __slots__ = ("unit_id", "unit_name_zh", "unit_name_en", "metric_code", "missing_periods", "indicator_codes")
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_EN_FIELD_NUMBER: _ClassVar[int]
    METRIC_CODE_FIELD_NUMBER: _ClassVar[int]
    MISSING_PERIODS_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_CODES_FIELD_NUMBER: _ClassVar[int]
    unit_id: str
    unit_name_zh: str
    unit_name_en: str
    metric_code: str
    missing_periods: _containers.RepeatedScalarFieldContainer[str]
    indicator_codes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, unit_id: _Optional[str] = ..., unit_name_zh: _Optional[str] = ..., unit_name_en: _Optional[str] = ..., metric_code: _Optional[str] = ..., missing_periods: _Optional[_Iterable[str]] = ..., indicator_codes: _Optional[_Iterable[str]] = ...) -> None: ...

class GetCompletenessResponse(_message.Message):
    __slots__ = ("scheme_code", "period", "checked_through", "expected_count", "gap_count", "incomplete_units", "gaps", "next_page_token", "total_size")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    CHECKED_THROUGH_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_COUNT_FIELD_NUMBER: _ClassVar[int]
    GAP_COUNT_FIELD_NUMBER: _ClassVar[int]
    INCOMPLETE_UNITS_FIELD_NUMBER: _ClassVar[int]
    GAPS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    period: str
    checked_through: str
    expected_count: int
    gap_count: int
    incomplete_units: int
    gaps: _containers.RepeatedCompositeFieldContainer[CompletenessGap]
    next_page_token: str
    total_size: int
    def __init__(self, scheme_code: _Optional[str] = ..., period: _Optional[str] = ..., checked_through: _Optional[str] = ..., expected_count: _Optional[int] = ..., gap_count: _Optional[int] = ..., incomplete_units: _Optional[int] = ..., gaps: _Optional[_Iterable[_Union[CompletenessGap, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total_size: _Optional[int] = ...) -> None: ...

class GetEventRequest(_message.Message):
    __slots__ = ("event_id",)
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    def __init__(self, event_id: _Optional[str] = ...) -> None: ...

class StoredEvent(_message.Message):
    __slots__ = ("event_id", "source", "unit_id", "person_id", "metric_code", "value", "measurement_unit", "period", "observed_at", "reported_at", "revision_of", "evidence_ref", "attributes", "kafka_topic", "kafka_partition", "kafka_offset", "superseded_by")
    class AttributesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    METRIC_CODE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    MEASUREMENT_UNIT_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    OBSERVED_AT_FIELD_NUMBER: _ClassVar[int]
    REPORTED_AT_FIELD_NUMBER: _ClassVar[int]
    REVISION_OF_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_REF_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    KAFKA_TOPIC_FIELD_NUMBER: _ClassVar[int]
    KAFKA_PARTITION_FIELD_NUMBER: _ClassVar[int]
    KAFKA_OFFSET_FIELD_NUMBER: _ClassVar[int]
    SUPERSEDED_BY_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    source: str
    unit_id: str
    person_id: str
    metric_code: str
    value: float
    measurement_unit: str
    period: str
    observed_at: str
    reported_at: str
    revision_of: str
    evidence_ref: str
    attributes: _containers.ScalarMap[str, str]
    kafka_topic: str
    kafka_partition: int
    kafka_offset: int
    superseded_by: str
    def __init__(self, event_id: _Optional[str] = ..., source: _Optional[str] = ..., unit_id: _Optional[str] = ..., person_id: _Optional[str] = ..., metric_code: _Optional[str] = ..., value: _Optional[float] = ..., measurement_unit: _Optional[str] = ..., period: _Optional[str] = ..., observed_at: _Optional[str] = ..., reported_at: _Optional[str] = ..., revision_of: _Optional[str] = ..., evidence_ref: _Optional[str] = ..., attributes: _Optional[_Mapping[str, str]] = ..., kafka_topic: _Optional[str] = ..., kafka_partition: _Optional[int] = ..., kafka_offset: _Optional[int] = ..., superseded_by: _Optional[str] = ...) -> None: ...

class ListFindingsRequest(_message.Message):
    __slots__ = ("scheme_code", "period", "state", "min_severity", "page_size", "page_token")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    MIN_SEVERITY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    period: str
    state: str
    min_severity: str
    page_size: int
    page_token: str
    def __init__(self, scheme_code: _Optional[str] = ..., period: _Optional[str] = ..., state: _Optional[str] = ..., min_severity: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListFindingsResponse(_message.Message):
    __slots__ = ("findings", "next_page_token", "total_size", "open_high", "checked_at", "benford_tests")
    FINDINGS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    OPEN_HIGH_FIELD_NUMBER: _ClassVar[int]
    CHECKED_AT_FIELD_NUMBER: _ClassVar[int]
    BENFORD_TESTS_FIELD_NUMBER: _ClassVar[int]
    findings: _containers.RepeatedCompositeFieldContainer[Finding]
    next_page_token: str
    total_size: int
    open_high: int
    checked_at: str
    benford_tests: _containers.RepeatedCompositeFieldContainer[BenfordTest]
    def __init__(self, findings: _Optional[_Iterable[_Union[Finding, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total_size: _Optional[int] = ..., open_high: _Optional[int] = ..., checked_at: _Optional[str] = ..., benford_tests: _Optional[_Iterable[_Union[BenfordTest, _Mapping]]] = ...) -> None: ...

class BenfordTest(_message.Message):
    __slots__ = ("source", "period", "status", "count", "digits", "chi_square", "p_value", "mad", "conformity", "reason_zh", "reason_en")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    DIGITS_FIELD_NUMBER: _ClassVar[int]
    CHI_SQUARE_FIELD_NUMBER: _ClassVar[int]
    P_VALUE_FIELD_NUMBER: _ClassVar[int]
    MAD_FIELD_NUMBER: _ClassVar[int]
    CONFORMITY_FIELD_NUMBER: _ClassVar[int]
    REASON_ZH_FIELD_NUMBER: _ClassVar[int]
    REASON_EN_FIELD_NUMBER: _ClassVar[int]
    source: str
    period: str
    status: str
    count: int
    digits: _containers.RepeatedScalarFieldContainer[int]
    chi_square: float
    p_value: float
    mad: float
    conformity: str
    reason_zh: str
    reason_en: str
    def __init__(self, source: _Optional[str] = ..., period: _Optional[str] = ..., status: _Optional[str] = ..., count: _Optional[int] = ..., digits: _Optional[_Iterable[int]] = ..., chi_square: _Optional[float] = ..., p_value: _Optional[float] = ..., mad: _Optional[float] = ..., conformity: _Optional[str] = ..., reason_zh: _Optional[str] = ..., reason_en: _Optional[str] = ...) -> None: ...

class FindingMark(_message.Message):
    __slots__ = ("state_before", "state_after", "comment", "actor", "at")
    STATE_BEFORE_FIELD_NUMBER: _ClassVar[int]
    STATE_AFTER_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    state_before: str
    state_after: str
    comment: str
    actor: str
    at: str
    def __init__(self, state_before: _Optional[str] = ..., state_after: _Optional[str] = ..., comment: _Optional[str] = ..., actor: _Optional[str] = ..., at: _Optional[str] = ...) -> None: ...

class Finding(_message.Message):
    __slots__ = ("key", "scheme_code", "kind", "kind_name_zh", "kind_name_en", "severity", "unit_id", "unit_name_zh", "unit_name_en", "other_unit_id", "metric_code", "period", "period_to", "source", "rule", "message_zh", "message_en", "evidence_event_ids", "numbers", "state", "comment", "marked_by", "marked_at", "first_found_at", "last_found_at", "found_now", "marks")
    class NumbersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    KEY_FIELD_NUMBER: _ClassVar[int]
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    KIND_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    KIND_NAME_EN_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_EN_FIELD_NUMBER: _ClassVar[int]
    OTHER_UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    METRIC_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PERIOD_TO_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ZH_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_EN_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_EVENT_IDS_FIELD_NUMBER: _ClassVar[int]
    NUMBERS_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    MARKED_BY_FIELD_NUMBER: _ClassVar[int]
    MARKED_AT_FIELD_NUMBER: _ClassVar[int]
    FIRST_FOUND_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_FOUND_AT_FIELD_NUMBER: _ClassVar[int]
    FOUND_NOW_FIELD_NUMBER: _ClassVar[int]
    MARKS_FIELD_NUMBER: _ClassVar[int]
    key: str
    scheme_code: str
    kind: str
    kind_name_zh: str
    kind_name_en: str
    severity: str
    unit_id: str
    unit_name_zh: str
    unit_name_en: str
    other_unit_id: str
    metric_code: str
    period: str
    period_to: str
    source: str
    rule: str
    message_zh: str
    message_en: str
    evidence_event_ids: _containers.RepeatedScalarFieldContainer[str]
    numbers: _containers.ScalarMap[str, float]
    state: str
    comment: str
    marked_by: str
    marked_at: str
    first_found_at: str
    last_found_at: str
    found_now: bool
    marks: _containers.RepeatedCompositeFieldContainer[FindingMark]
    def __init__(self, key: _Optional[str] = ..., scheme_code: _Optional[str] = ..., kind: _Optional[str] = ..., kind_name_zh: _Optional[str] = ..., kind_name_en: _Optional[str] = ..., severity: _Optional[str] = ..., unit_id: _Optional[str] = ..., unit_name_zh: _Optional[str] = ..., unit_name_en: _Optional[str] = ..., other_unit_id: _Optional[str] = ..., metric_code: _Optional[str] = ..., period: _Optional[str] = ..., period_to: _Optional[str] = ..., source: _Optional[str] = ..., rule: _Optional[str] = ..., message_zh: _Optional[str] = ..., message_en: _Optional[str] = ..., evidence_event_ids: _Optional[_Iterable[str]] = ..., numbers: _Optional[_Mapping[str, float]] = ..., state: _Optional[str] = ..., comment: _Optional[str] = ..., marked_by: _Optional[str] = ..., marked_at: _Optional[str] = ..., first_found_at: _Optional[str] = ..., last_found_at: _Optional[str] = ..., found_now: _Optional[bool] = ..., marks: _Optional[_Iterable[_Union[FindingMark, _Mapping]]] = ...) -> None: ...

class MarkFindingRequest(_message.Message):
    __slots__ = ("scheme_code", "key", "state", "comment")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    key: str
    state: str
    comment: str
    def __init__(self, scheme_code: _Optional[str] = ..., key: _Optional[str] = ..., state: _Optional[str] = ..., comment: _Optional[str] = ...) -> None: ...

class ScoreSheetRow(_message.Message):
    __slots__ = ("unit_id", "item", "points", "basis", "evidence_ref")
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    ITEM_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    BASIS_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_REF_FIELD_NUMBER: _ClassVar[int]
    unit_id: str
    item: str
    points: float
    basis: str
    evidence_ref: str
    def __init__(self, unit_id: _Optional[str] = ..., item: _Optional[str] = ..., points: _Optional[float] = ..., basis: _Optional[str] = ..., evidence_ref: _Optional[str] = ...) -> None: ...

class ScoreSheetHistoryEntry(_message.Message):
    __slots__ = ("action", "actor", "at", "reason", "version")
    ACTION_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    action: str
    actor: str
    at: str
    reason: str
    version: int
    def __init__(self, action: _Optional[str] = ..., actor: _Optional[str] = ..., at: _Optional[str] = ..., reason: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class ScoreSheet(_message.Message):
    __slots__ = ("scheme_code", "indicator_code", "period", "department", "version", "state", "rows", "signed_by", "signed_at", "digest", "review_comment", "due_date", "late", "history", "correction_reason", "reviewed_by", "reviewed_at", "department_name_zh", "content_digest")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    SIGNED_BY_FIELD_NUMBER: _ClassVar[int]
    SIGNED_AT_FIELD_NUMBER: _ClassVar[int]
    DIGEST_FIELD_NUMBER: _ClassVar[int]
    REVIEW_COMMENT_FIELD_NUMBER: _ClassVar[int]
    DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    LATE_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    CORRECTION_REASON_FIELD_NUMBER: _ClassVar[int]
    REVIEWED_BY_FIELD_NUMBER: _ClassVar[int]
    REVIEWED_AT_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    CONTENT_DIGEST_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    indicator_code: str
    period: str
    department: str
    version: int
    state: str
    rows: _containers.RepeatedCompositeFieldContainer[ScoreSheetRow]
    signed_by: str
    signed_at: str
    digest: str
    review_comment: str
    due_date: str
    late: bool
    history: _containers.RepeatedCompositeFieldContainer[ScoreSheetHistoryEntry]
    correction_reason: str
    reviewed_by: str
    reviewed_at: str
    department_name_zh: str
    content_digest: str
    def __init__(self, scheme_code: _Optional[str] = ..., indicator_code: _Optional[str] = ..., period: _Optional[str] = ..., department: _Optional[str] = ..., version: _Optional[int] = ..., state: _Optional[str] = ..., rows: _Optional[_Iterable[_Union[ScoreSheetRow, _Mapping]]] = ..., signed_by: _Optional[str] = ..., signed_at: _Optional[str] = ..., digest: _Optional[str] = ..., review_comment: _Optional[str] = ..., due_date: _Optional[str] = ..., late: _Optional[bool] = ..., history: _Optional[_Iterable[_Union[ScoreSheetHistoryEntry, _Mapping]]] = ..., correction_reason: _Optional[str] = ..., reviewed_by: _Optional[str] = ..., reviewed_at: _Optional[str] = ..., department_name_zh: _Optional[str] = ..., content_digest: _Optional[str] = ...) -> None: ...

class GetScoreSheetRequest(_message.Message):
    __slots__ = ("scheme_code", "indicator_code", "period")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    indicator_code: str
    period: str
    def __init__(self, scheme_code: _Optional[str] = ..., indicator_code: _Optional[str] = ..., period: _Optional[str] = ...) -> None: ...

class SaveScoreSheetRequest(_message.Message):
    __slots__ = ("scheme_code", "indicator_code", "period", "rows")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    indicator_code: str
    period: str
    rows: _containers.RepeatedCompositeFieldContainer[ScoreSheetRow]
    def __init__(self, scheme_code: _Optional[str] = ..., indicator_code: _Optional[str] = ..., period: _Optional[str] = ..., rows: _Optional[_Iterable[_Union[ScoreSheetRow, _Mapping]]] = ...) -> None: ...

class SubmitScoreSheetRequest(_message.Message):
    __slots__ = ("scheme_code", "indicator_code", "period")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    indicator_code: str
    period: str
    def __init__(self, scheme_code: _Optional[str] = ..., indicator_code: _Optional[str] = ..., period: _Optional[str] = ...) -> None: ...

class ReviewScoreSheetRequest(_message.Message):
    __slots__ = ("scheme_code", "indicator_code", "period", "decision", "comment")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    indicator_code: str
    period: str
    decision: str
    comment: str
    def __init__(self, scheme_code: _Optional[str] = ..., indicator_code: _Optional[str] = ..., period: _Optional[str] = ..., decision: _Optional[str] = ..., comment: _Optional[str] = ...) -> None: ...

class RequestSheetCorrectionRequest(_message.Message):
    __slots__ = ("scheme_code", "indicator_code", "period", "reason")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    indicator_code: str
    period: str
    reason: str
    def __init__(self, scheme_code: _Optional[str] = ..., indicator_code: _Optional[str] = ..., period: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class DecideSheetCorrectionRequest(_message.Message):
    __slots__ = ("scheme_code", "indicator_code", "period", "decision", "reason")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    indicator_code: str
    period: str
    decision: str
    reason: str
    def __init__(self, scheme_code: _Optional[str] = ..., indicator_code: _Optional[str] = ..., period: _Optional[str] = ..., decision: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ListScoreSheetsRequest(_message.Message):
    __slots__ = ("scheme_code", "period")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    period: str
    def __init__(self, scheme_code: _Optional[str] = ..., period: _Optional[str] = ...) -> None: ...

class ListScoreSheetsResponse(_message.Message):
    __slots__ = ("sheets",)
    SHEETS_FIELD_NUMBER: _ClassVar[int]
    sheets: _containers.RepeatedCompositeFieldContainer[ScoreSheet]
    def __init__(self, sheets: _Optional[_Iterable[_Union[ScoreSheet, _Mapping]]] = ...) -> None: ...
