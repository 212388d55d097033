from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AssessmentRoundRequest(_message.Message):
    __slots__ = ("scheme_code", "indicator_code", "period")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    indicator_code: str
    period: str
    def __init__(self, scheme_code: _Optional[str] = ..., indicator_code: _Optional[str] = ..., period: _Optional[str] = ...) -> None: ...

class AssessmentItem(_message.Message):
    __slots__ = ("code", "name_zh", "name_en", "max_points", "rule_zh", "rule_en")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    MAX_POINTS_FIELD_NUMBER: _ClassVar[int]
    RULE_ZH_FIELD_NUMBER: _ClassVar[int]
    RULE_EN_FIELD_NUMBER: _ClassVar[int]
    code: str
    name_zh: str
    name_en: str
    max_points: float
    rule_zh: str
    rule_en: str
    def __init__(self, code: _Optional[str] = ..., name_zh: _Optional[str] = ..., name_en: _Optional[str] = ..., max_points: _Optional[float] = ..., rule_zh: _Optional[str] = ..., rule_en: _Optional[str] = ...) -> None: ...

class AssessmentMember(_message.Message):
    __slots__ = ("position", "assessor", "active", "joined_at", "left_at", "replaced_by", "reason")
    POSITION_FIELD_NUMBER: _ClassVar[int]
    ASSESSOR_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    JOINED_AT_FIELD_NUMBER: _ClassVar[int]
    LEFT_AT_FIELD_NUMBER: _ClassVar[int]
    REPLACED_BY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    position: int
    assessor: str
    active: bool
    joined_at: str
    left_at: str
    replaced_by: str
    reason: str
    def __init__(self, position: _Optional[int] = ..., assessor: _Optional[str] = ..., active: _Optional[bool] = ..., joined_at: _Optional[str] = ..., left_at: _Optional[str] = ..., replaced_by: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class AssessmentTeam(_message.Message):
    __slots__ = ("code", "name", "members", "unit_ids")
    CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    UNIT_IDS_FIELD_NUMBER: _ClassVar[int]
    code: str
    name: str
    members: _containers.RepeatedCompositeFieldContainer[AssessmentMember]
    unit_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, code: _Optional[str] = ..., name: _Optional[str] = ..., members: _Optional[_Iterable[_Union[AssessmentMember, _Mapping]]] = ..., unit_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class AssessorScore(_message.Message):
    __slots__ = ("position", "assessor", "state", "total", "active")
    POSITION_FIELD_NUMBER: _ClassVar[int]
    ASSESSOR_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    position: int
    assessor: str
    state: str
    total: float
    active: bool
    def __init__(self, position: _Optional[int] = ..., assessor: _Optional[str] = ..., state: _Optional[str] = ..., total: _Optional[float] = ..., active: _Optional[bool] = ...) -> None: ...

class UnitAssessment(_message.Message):
    __slots__ = ("unit_id", "unit_name_zh", "unit_name_en", "category", "team_code", "scores", "submitted", "expected", "has_result", "result", "closing", "closed_at", "closed_by", "can_close")
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_EN_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    TEAM_CODE_FIELD_NUMBER: _ClassVar[int]
    SCORES_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_FIELD_NUMBER: _ClassVar[int]
    HAS_RESULT_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    CLOSING_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    CLOSED_BY_FIELD_NUMBER: _ClassVar[int]
    CAN_CLOSE_FIELD_NUMBER: _ClassVar[int]
    unit_id: str
    unit_name_zh: str
    unit_name_en: str
    category: str
    team_code: str
    scores: _containers.RepeatedCompositeFieldContainer[AssessorScore]
    submitted: int
    expected: int
    has_result: bool
    result: float
    closing: int
    closed_at: str
    closed_by: str
    can_close: bool
    def __init__(self, unit_id: _Optional[str] = ..., unit_name_zh: _Optional[str] = ..., unit_name_en: _Optional[str] = ..., category: _Optional[str] = ..., team_code: _Optional[str] = ..., scores: _Optional[_Iterable[_Union[AssessorScore, _Mapping]]] = ..., submitted: _Optional[int] = ..., expected: _Optional[int] = ..., has_result: _Optional[bool] = ..., result: _Optional[float] = ..., closing: _Optional[int] = ..., closed_at: _Optional[str] = ..., closed_by: _Optional[str] = ..., can_close: _Optional[bool] = ...) -> None: ...

class AssessmentHistoryEntry(_message.Message):
    __slots__ = ("action", "actor", "at", "team_code", "unit_id", "detail", "reason")
    ACTION_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    TEAM_CODE_FIELD_NUMBER: _ClassVar[int]
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    action: str
    actor: str
    at: str
    team_code: str
    unit_id: str
    detail: str
    reason: str
    def __init__(self, action: _Optional[str] = ..., actor: _Optional[str] = ..., at: _Optional[str] = ..., team_code: _Optional[str] = ..., unit_id: _Optional[str] = ..., detail: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class AssessmentRound(_message.Message):
    __slots__ = ("scheme_code", "indicator_code", "period", "indicator_name_zh", "indicator_name_en", "team_rule", "state", "locked_by", "locked_at", "items", "teams", "units", "history", "period_open")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_NAME_EN_FIELD_NUMBER: _ClassVar[int]
    TEAM_RULE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    LOCKED_BY_FIELD_NUMBER: _ClassVar[int]
    LOCKED_AT_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    TEAMS_FIELD_NUMBER: _ClassVar[int]
    UNITS_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    PERIOD_OPEN_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    indicator_code: str
    period: str
    indicator_name_zh: str
    indicator_name_en: str
    team_rule: str
    state: str
    locked_by: str
    locked_at: str
    items: _containers.RepeatedCompositeFieldContainer[AssessmentItem]
    teams: _containers.RepeatedCompositeFieldContainer[AssessmentTeam]
    units: _containers.RepeatedCompositeFieldContainer[UnitAssessment]
    history: _containers.RepeatedCompositeFieldContainer[AssessmentHistoryEntry]
    period_open: bool
    def __init__(self, scheme_code: _Optional[str] = ..., indicator_code: _Optional[str] = ..., period: _Optional[str] = ..., indicator_name_zh: _Optional[str] = ..., indicator_name_en: _Optional[str] = ..., team_rule: _Optional[str] = ..., state: _Optional[str] = ..., locked_by: _Optional[str] = ..., locked_at: _Optional[str] = ..., items: _Optional[_Iterable[_Union[AssessmentItem, _Mapping]]] = ..., teams: _Optional[_Iterable[_Union[AssessmentTeam, _Mapping]]] = ..., units: _Optional[_Iterable[_Union[UnitAssessment, _Mapping]]] = ..., history: _Optional[_Iterable[_Union[AssessmentHistoryEntry, _Mapping]]] = ..., period_open: _Optional[bool] = ...) -> None: ...

class SetAssessmentTeamRequest(_message.Message):
    __slots__ = ("scheme_code", "indicator_code", "period", "team_code", "name", "assessors", "unit_ids")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    TEAM_CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ASSESSORS_FIELD_NUMBER: _ClassVar[int]
    UNIT_IDS_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    indicator_code: str
    period: str
    team_code: str
    name: str
    assessors: _containers.RepeatedScalarFieldContainer[str]
    unit_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, scheme_code: _Optional[str] = ..., indicator_code: _Optional[str] = ..., period: _Optional[str] = ..., team_code: _Optional[str] = ..., name: _Optional[str] = ..., assessors: _Optional[_Iterable[str]] = ..., unit_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class ReplaceAssessorRequest(_message.Message):
    __slots__ = ("scheme_code", "indicator_code", "period", "team_code", "assessor", "replacement", "reason")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    TEAM_CODE_FIELD_NUMBER: _ClassVar[int]
    ASSESSOR_FIELD_NUMBER: _ClassVar[int]
    REPLACEMENT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    indicator_code: str
    period: str
    team_code: str
    assessor: str
    replacement: str
    reason: str
    def __init__(self, scheme_code: _Optional[str] = ..., indicator_code: _Optional[str] = ..., period: _Optional[str] = ..., team_code: _Optional[str] = ..., assessor: _Optional[str] = ..., replacement: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class CloseUnitAssessmentRequest(_message.Message):
    __slots__ = ("scheme_code", "indicator_code", "period", "unit_id")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    indicator_code: str
    period: str
    unit_id: str
    def __init__(self, scheme_code: _Optional[str] = ..., indicator_code: _Optional[str] = ..., period: _Optional[str] = ..., unit_id: _Optional[str] = ...) -> None: ...

class CategoryLeniency(_message.Message):
    __slots__ = ("category", "units", "leniency")
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    UNITS_FIELD_NUMBER: _ClassVar[int]
    LENIENCY_FIELD_NUMBER: _ClassVar[int]
    category: str
    units: int
    leniency: float
    def __init__(self, category: _Optional[str] = ..., units: _Optional[int] = ..., leniency: _Optional[float] = ...) -> None: ...

class LeniencyRow(_message.Message):
    __slots__ = ("assessor", "team_code", "units", "leniency", "by_category")
    ASSESSOR_FIELD_NUMBER: _ClassVar[int]
    TEAM_CODE_FIELD_NUMBER: _ClassVar[int]
    UNITS_FIELD_NUMBER: _ClassVar[int]
    LENIENCY_FIELD_NUMBER: _ClassVar[int]
    BY_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    assessor: str
    team_code: str
    units: int
    leniency: float
    by_category: _containers.RepeatedCompositeFieldContainer[CategoryLeniency]
    def __init__(self, assessor: _Optional[str] = ..., team_code: _Optional[str] = ..., units: _Optional[int] = ..., leniency: _Optional[float] = ..., by_category: _Optional[_Iterable[_Union[CategoryLeniency, _Mapping]]] = ...) -> None: ...

class AssessorLeniency(_message.Message):
    __slots__ = ("scheme_code", "indicator_code", "period", "rows")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    indicator_code: str
    period: str
    rows: _containers.RepeatedCompositeFieldContainer[LeniencyRow]
    def __init__(self, scheme_code: _Optional[str] = ..., indicator_code: _Optional[str] = ..., period: _Optional[str] = ..., rows: _Optional[_Iterable[_Union[LeniencyRow, _Mapping]]] = ...) -> None: ...

class ListMyAssessmentsRequest(_message.Message):
    __slots__ = ("scheme_code", "period")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    period: str
    def __init__(self, scheme_code: _Optional[str] = ..., period: _Optional[str] = ...) -> None: ...

class MyUnit(_message.Message):
    __slots__ = ("unit_id", "unit_name_zh", "unit_name_en", "state", "total")
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_EN_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    unit_id: str
    unit_name_zh: str
    unit_name_en: str
    state: str
    total: float
    def __init__(self, unit_id: _Optional[str] = ..., unit_name_zh: _Optional[str] = ..., unit_name_en: _Optional[str] = ..., state: _Optional[str] = ..., total: _Optional[float] = ...) -> None: ...

class MyAssessment(_message.Message):
    __slots__ = ("indicator_code", "indicator_name_zh", "indicator_name_en", "period", "team_code", "team_name", "position", "units")
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_NAME_EN_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    TEAM_CODE_FIELD_NUMBER: _ClassVar[int]
    TEAM_NAME_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    UNITS_FIELD_NUMBER: _ClassVar[int]
    indicator_code: str
    indicator_name_zh: str
    indicator_name_en: str
    period: str
    team_code: str
    team_name: str
    position: int
    units: _containers.RepeatedCompositeFieldContainer[MyUnit]
    def __init__(self, indicator_code: _Optional[str] = ..., indicator_name_zh: _Optional[str] = ..., indicator_name_en: _Optional[str] = ..., period: _Optional[str] = ..., team_code: _Optional[str] = ..., team_name: _Optional[str] = ..., position: _Optional[int] = ..., units: _Optional[_Iterable[_Union[MyUnit, _Mapping]]] = ...) -> None: ...

class ListMyAssessmentsResponse(_message.Message):
    __slots__ = ("assessments",)
    ASSESSMENTS_FIELD_NUMBER: _ClassVar[int]
    assessments: _containers.RepeatedCompositeFieldContainer[MyAssessment]
    def __init__(self, assessments: _Optional[_Iterable[_Union[MyAssessment, _Mapping]]] = ...) -> None: ...

class OnSiteScoreRow(_message.Message):
    __slots__ = ("item", "points", "basis")
    ITEM_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    BASIS_FIELD_NUMBER: _ClassVar[int]
    item: str
    points: float
    basis: str
    def __init__(self, item: _Optional[str] = ..., points: _Optional[float] = ..., basis: _Optional[str] = ...) -> None: ...

class SaveOnSiteScoresRequest(_message.Message):
    __slots__ = ("scheme_code", "indicator_code", "period", "unit_id", "rows")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    indicator_code: str
    period: str
    unit_id: str
    rows: _containers.RepeatedCompositeFieldContainer[OnSiteScoreRow]
    def __init__(self, scheme_code: _Optional[str] = ..., indicator_code: _Optional[str] = ..., period: _Optional[str] = ..., unit_id: _Optional[str] = ..., rows: _Optional[_Iterable[_Union[OnSiteScoreRow, _Mapping]]] = ...) -> None: ...

class OnSiteScoresRequest(_message.Message):
    __slots__ = ("scheme_code", "indicator_code", "period", "unit_id")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    indicator_code: str
    period: str
    unit_id: str
    def __init__(self, scheme_code: _Optional[str] = ..., indicator_code: _Optional[str] = ..., period: _Optional[str] = ..., unit_id: _Optional[str] = ...) -> None: ...

class OnSiteScores(_message.Message):
    __slots__ = ("scheme_code", "indicator_code", "period", "unit_id", "unit_name_zh", "unit_name_en", "indicator_name_zh", "indicator_name_en", "team_name", "position", "state", "items", "rows", "total", "saved_at", "submitted_at")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_EN_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_NAME_EN_FIELD_NUMBER: _ClassVar[int]
    TEAM_NAME_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    SAVED_AT_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    indicator_code: str
    period: str
    unit_id: str
    unit_name_zh: str
    unit_name_en: str
    indicator_name_zh: str
    indicator_name_en: str
    team_name: str
    position: int
    state: str
    items: _containers.RepeatedCompositeFieldContainer[AssessmentItem]
    rows: _containers.RepeatedCompositeFieldContainer[OnSiteScoreRow]
    total: float
    saved_at: str
    submitted_at: str
    def __init__(self, scheme_code: _Optional[str] = ..., indicator_code: _Optional[str] = ..., period: _Optional[str] = ..., unit_id: _Optional[str] = ..., unit_name_zh: _Optional[str] = ..., unit_name_en: _Optional[str] = ..., indicator_name_zh: _Optional[str] = ..., indicator_name_en: _Optional[str] = ..., team_name: _Optional[str] = ..., position: _Optional[int] = ..., state: _Optional[str] = ..., items: _Optional[_Iterable[_Union[AssessmentItem, _Mapping]]] = ..., rows: _Optional[_Iterable[_Union[OnSiteScoreRow, _Mapping]]] = ..., total: _Optional[float] = ..., saved_at: _Optional[str] = ..., submitted_at: _Optional[str] = ...) -> None: ...
