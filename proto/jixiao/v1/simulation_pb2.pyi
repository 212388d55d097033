from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SimulationChange(_message.Message):
    __slots__ = ("kind", "unit_id", "indicator_code", "metric_code", "period", "value", "category", "dimension_code", "weight", "grading_code", "parts")
    class PartsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: int
        value: float
        def __init__(self, key: _Optional[int] = ..., value: _Optional[float] = ...) -> None: ...
    KIND_FIELD_NUMBER: _ClassVar[int]
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    METRIC_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    DIMENSION_CODE_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    GRADING_CODE_FIELD_NUMBER: _ClassVar[int]
    PARTS_FIELD_NUMBER: _ClassVar[int]
    kind: str
    unit_id: str
    indicator_code: str
    metric_code: str
    period: str
    value: float
    category: str
    dimension_code: str
    weight: float
    grading_code: str
    parts: _containers.ScalarMap[int, float]
    def __init__(self, kind: _Optional[str] = ..., unit_id: _Optional[str] = ..., indicator_code: _Optional[str] = ..., metric_code: _Optional[str] = ..., period: _Optional[str] = ..., value: _Optional[float] = ..., category: _Optional[str] = ..., dimension_code: _Optional[str] = ..., weight: _Optional[float] = ..., grading_code: _Optional[str] = ..., parts: _Optional[_Mapping[int, float]] = ...) -> None: ...

class SimulateRequest(_message.Message):
    __slots__ = ("scheme_code", "period", "changes")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    period: str
    changes: _containers.RepeatedCompositeFieldContainer[SimulationChange]
    def __init__(self, scheme_code: _Optional[str] = ..., period: _Optional[str] = ..., changes: _Optional[_Iterable[_Union[SimulationChange, _Mapping]]] = ...) -> None: ...

class SimulatedIndicator(_message.Message):
    __slots__ = ("indicator_code", "name_zh", "name_en", "points_before", "points_after")
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    POINTS_BEFORE_FIELD_NUMBER: _ClassVar[int]
    POINTS_AFTER_FIELD_NUMBER: _ClassVar[int]
    indicator_code: str
    name_zh: str
    name_en: str
    points_before: float
    points_after: float
    def __init__(self, indicator_code: _Optional[str] = ..., name_zh: _Optional[str] = ..., name_en: _Optional[str] = ..., points_before: _Optional[float] = ..., points_after: _Optional[float] = ...) -> None: ...

class SimulatedGrade(_message.Message):
    __slots__ = ("grading_code", "grade_before", "grade_after", "grade_before_zh", "grade_before_en", "grade_after_zh", "grade_after_en")
    GRADING_CODE_FIELD_NUMBER: _ClassVar[int]
    GRADE_BEFORE_FIELD_NUMBER: _ClassVar[int]
    GRADE_AFTER_FIELD_NUMBER: _ClassVar[int]
    GRADE_BEFORE_ZH_FIELD_NUMBER: _ClassVar[int]
    GRADE_BEFORE_EN_FIELD_NUMBER: _ClassVar[int]
    GRADE_AFTER_ZH_FIELD_NUMBER: _ClassVar[int]
    GRADE_AFTER_EN_FIELD_NUMBER: _ClassVar[int]
    grading_code: str
    grade_before: int
    grade_after: int
    grade_before_zh: str
    grade_before_en: str
    grade_after_zh: str
    grade_after_en: str
    def __init__(self, grading_code: _Optional[str] = ..., grade_before: _Optional[int] = ..., grade_after: _Optional[int] = ..., grade_before_zh: _Optional[str] = ..., grade_before_en: _Optional[str] = ..., grade_after_zh: _Optional[str] = ..., grade_after_en: _Optional[str] = ...) -> None: ...

class SimulatedUnit(_message.Message):
    __slots__ = ("unit_id", "unit_name_zh", "unit_name_en", "category", "total_before", "total_after", "rank_before", "rank_after", "grades", "indicators", "changes", "explanation_zh", "explanation_en")
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_EN_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    TOTAL_BEFORE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_AFTER_FIELD_NUMBER: _ClassVar[int]
    RANK_BEFORE_FIELD_NUMBER: _ClassVar[int]
    RANK_AFTER_FIELD_NUMBER: _ClassVar[int]
    GRADES_FIELD_NUMBER: _ClassVar[int]
    INDICATORS_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_ZH_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_EN_FIELD_NUMBER: _ClassVar[int]
    unit_id: str
    unit_name_zh: str
    unit_name_en: str
    category: str
    total_before: float
    total_after: float
    rank_before: int
    rank_after: int
    grades: _containers.RepeatedCompositeFieldContainer[SimulatedGrade]
    indicators: _containers.RepeatedCompositeFieldContainer[SimulatedIndicator]
    changes: _containers.RepeatedScalarFieldContainer[int]
    explanation_zh: str
    explanation_en: str
    def __init__(self, unit_id: _Optional[str] = ..., unit_name_zh: _Optional[str] = ..., unit_name_en: _Optional[str] = ..., category: _Optional[str] = ..., total_before: _Optional[float] = ..., total_after: _Optional[float] = ..., rank_before: _Optional[int] = ..., rank_after: _Optional[int] = ..., grades: _Optional[_Iterable[_Union[SimulatedGrade, _Mapping]]] = ..., indicators: _Optional[_Iterable[_Union[SimulatedIndicator, _Mapping]]] = ..., changes: _Optional[_Iterable[int]] = ..., explanation_zh: _Optional[str] = ..., explanation_en: _Optional[str] = ...) -> None: ...

class SimulatedLeader(_message.Message):
    __slots__ = ("person_id", "name_zh", "unit_id", "unit_name_zh", "unit_name_en", "total_before", "total_after", "rank_before", "rank_after", "grades", "changes", "explanation_zh", "explanation_en")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_EN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_BEFORE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_AFTER_FIELD_NUMBER: _ClassVar[int]
    RANK_BEFORE_FIELD_NUMBER: _ClassVar[int]
    RANK_AFTER_FIELD_NUMBER: _ClassVar[int]
    GRADES_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_ZH_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_EN_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    name_zh: str
    unit_id: str
    unit_name_zh: str
    unit_name_en: str
    total_before: float
    total_after: float
    rank_before: int
    rank_after: int
    grades: _containers.RepeatedCompositeFieldContainer[SimulatedGrade]
    changes: _containers.RepeatedScalarFieldContainer[int]
    explanation_zh: str
    explanation_en: str
    def __init__(self, person_id: _Optional[str] = ..., name_zh: _Optional[str] = ..., unit_id: _Optional[str] = ..., unit_name_zh: _Optional[str] = ..., unit_name_en: _Optional[str] = ..., total_before: _Optional[float] = ..., total_after: _Optional[float] = ..., rank_before: _Optional[int] = ..., rank_after: _Optional[int] = ..., grades: _Optional[_Iterable[_Union[SimulatedGrade, _Mapping]]] = ..., changes: _Optional[_Iterable[int]] = ..., explanation_zh: _Optional[str] = ..., explanation_en: _Optional[str] = ...) -> None: ...

class SimulateResponse(_message.Message):
    __slots__ = ("scheme_code", "scheme_version", "period", "differences", "units_compared", "replaced_figures", "elapsed_ms", "leaders")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    SCHEME_VERSION_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    DIFFERENCES_FIELD_NUMBER: _ClassVar[int]
    UNITS_COMPARED_FIELD_NUMBER: _ClassVar[int]
    REPLACED_FIGURES_FIELD_NUMBER: _ClassVar[int]
    ELAPSED_MS_FIELD_NUMBER: _ClassVar[int]
    LEADERS_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    scheme_version: int
    period: str
    differences: _containers.RepeatedCompositeFieldContainer[SimulatedUnit]
    units_compared: int
    replaced_figures: _containers.RepeatedScalarFieldContainer[int]
    elapsed_ms: float
    leaders: _containers.RepeatedCompositeFieldContainer[SimulatedLeader]
    def __init__(self, scheme_code: _Optional[str] = ..., scheme_version: _Optional[int] = ..., period: _Optional[str] = ..., differences: _Optional[_Iterable[_Union[SimulatedUnit, _Mapping]]] = ..., units_compared: _Optional[int] = ..., replaced_figures: _Optional[_Iterable[int]] = ..., elapsed_ms: _Optional[float] = ..., leaders: _Optional[_Iterable[_Union[SimulatedLeader, _Mapping]]] = ...) -> None: ...

class ListSimulationsRequest(_message.Message):
    __slots__ = ("scheme_code",)
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    def __init__(self, scheme_code: _Optional[str] = ...) -> None: ...

class SimulationRecord(_message.Message):
    __slots__ = ("id", "scheme_version", "period", "changes_json", "differences", "elapsed_ms", "asked_by", "asked_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    SCHEME_VERSION_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    CHANGES_JSON_FIELD_NUMBER: _ClassVar[int]
    DIFFERENCES_FIELD_NUMBER: _ClassVar[int]
    ELAPSED_MS_FIELD_NUMBER: _ClassVar[int]
    ASKED_BY_FIELD_NUMBER: _ClassVar[int]
    ASKED_AT_FIELD_NUMBER: _ClassVar[int]
    id: int
    scheme_version: int
    period: str
    changes_json: str
    differences: int
    elapsed_ms: float
    asked_by: str
    asked_at: str
    def __init__(self, id: _Optional[int] = ..., scheme_version: _Optional[int] = ..., period: _Optional[str] = ..., changes_json: _Optional[str] = ..., differences: _Optional[int] = ..., elapsed_ms: _Optional[float] = ..., asked_by: _Optional[str] = ..., asked_at: _Optional[str] = ...) -> None: ...

class ListSimulationsResponse(_message.Message):
    __slots__ = ("simulations",)
    SIMULATIONS_FIELD_NUMBER: _ClassVar[int]
    simulations: _containers.RepeatedCompositeFieldContainer[SimulationRecord]
    def __init__(self, simulations: _Optional[_Iterable[_Union[SimulationRecord, _Mapping]]] = ...) -> None: ...
