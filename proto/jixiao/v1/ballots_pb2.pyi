from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class IssueBallotCodesRequest(_message.Message):
    __slots__ = ("scheme_code", "indicator_code", "period", "unit_id", "group", "count")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    indicator_code: str
    period: str
    unit_id: str
    group: str
    count: int
    def __init__(self, scheme_code: _Optional[str] = ..., indicator_code: _Optional[str] = ..., period: _Optional[str] = ..., unit_id: _Optional[str] = ..., group: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class IssueBallotCodesResponse(_message.Message):
    __slots__ = ("paper", "ballot_codes")
    PAPER_FIELD_NUMBER: _ClassVar[int]
    BALLOT_CODES_FIELD_NUMBER: _ClassVar[int]
    paper: BallotPaper
    ballot_codes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, paper: _Optional[_Union[BallotPaper, _Mapping]] = ..., ballot_codes: _Optional[_Iterable[str]] = ...) -> None: ...

class VoidBallotCodesRequest(_message.Message):
    __slots__ = ("scheme_code", "indicator_code", "period", "unit_id", "group", "ballot_codes")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    BALLOT_CODES_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    indicator_code: str
    period: str
    unit_id: str
    group: str
    ballot_codes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, scheme_code: _Optional[str] = ..., indicator_code: _Optional[str] = ..., period: _Optional[str] = ..., unit_id: _Optional[str] = ..., group: _Optional[str] = ..., ballot_codes: _Optional[_Iterable[str]] = ...) -> None: ...

class GetBallotTurnoutRequest(_message.Message):
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

class CountBallotsRequest(_message.Message):
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

class ListBallotRoundsRequest(_message.Message):
    __slots__ = ("scheme_code", "period")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    period: str
    def __init__(self, scheme_code: _Optional[str] = ..., period: _Optional[str] = ...) -> None: ...

class ListBallotRoundsResponse(_message.Message):
    __slots__ = ("rounds",)
    ROUNDS_FIELD_NUMBER: _ClassVar[int]
    rounds: _containers.RepeatedCompositeFieldContainer[BallotTurnout]
    def __init__(self, rounds: _Optional[_Iterable[_Union[BallotTurnout, _Mapping]]] = ...) -> None: ...

class GroupTurnout(_message.Message):
    __slots__ = ("group", "name_zh", "name_en", "weight", "min_turnout", "issued", "spent", "voided", "turnout", "below_minimum", "counted")
    GROUP_FIELD_NUMBER: _ClassVar[int]
    NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    MIN_TURNOUT_FIELD_NUMBER: _ClassVar[int]
    ISSUED_FIELD_NUMBER: _ClassVar[int]
    SPENT_FIELD_NUMBER: _ClassVar[int]
    VOIDED_FIELD_NUMBER: _ClassVar[int]
    TURNOUT_FIELD_NUMBER: _ClassVar[int]
    BELOW_MINIMUM_FIELD_NUMBER: _ClassVar[int]
    COUNTED_FIELD_NUMBER: _ClassVar[int]
    group: str
    name_zh: str
    name_en: str
    weight: float
    min_turnout: float
    issued: int
    spent: int
    voided: int
    turnout: float
    below_minimum: bool
    counted: int
    def __init__(self, group: _Optional[str] = ..., name_zh: _Optional[str] = ..., name_en: _Optional[str] = ..., weight: _Optional[float] = ..., min_turnout: _Optional[float] = ..., issued: _Optional[int] = ..., spent: _Optional[int] = ..., voided: _Optional[int] = ..., turnout: _Optional[float] = ..., below_minimum: _Optional[bool] = ..., counted: _Optional[int] = ...) -> None: ...

class BallotAuditEntry(_message.Message):
    __slots__ = ("action", "actor", "at", "group", "count")
    ACTION_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    action: str
    actor: str
    at: str
    group: str
    count: int
    def __init__(self, action: _Optional[str] = ..., actor: _Optional[str] = ..., at: _Optional[str] = ..., group: _Optional[str] = ..., count: _Optional[int] = ...) -> None: ...

class BallotTurnout(_message.Message):
    __slots__ = ("scheme_code", "indicator_code", "period", "unit_id", "unit_name_zh", "unit_name_en", "indicator_name_zh", "indicator_name_en", "groups", "closed", "audit")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_EN_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_NAME_EN_FIELD_NUMBER: _ClassVar[int]
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    CLOSED_FIELD_NUMBER: _ClassVar[int]
    AUDIT_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    indicator_code: str
    period: str
    unit_id: str
    unit_name_zh: str
    unit_name_en: str
    indicator_name_zh: str
    indicator_name_en: str
    groups: _containers.RepeatedCompositeFieldContainer[GroupTurnout]
    closed: bool
    audit: _containers.RepeatedCompositeFieldContainer[BallotAuditEntry]
    def __init__(self, scheme_code: _Optional[str] = ..., indicator_code: _Optional[str] = ..., period: _Optional[str] = ..., unit_id: _Optional[str] = ..., unit_name_zh: _Optional[str] = ..., unit_name_en: _Optional[str] = ..., indicator_name_zh: _Optional[str] = ..., indicator_name_en: _Optional[str] = ..., groups: _Optional[_Iterable[_Union[GroupTurnout, _Mapping]]] = ..., closed: _Optional[bool] = ..., audit: _Optional[_Iterable[_Union[BallotAuditEntry, _Mapping]]] = ...) -> None: ...

class OpenBallotRequest(_message.Message):
    __slots__ = ("ballot_code",)
    BALLOT_CODE_FIELD_NUMBER: _ClassVar[int]
    ballot_code: str
    def __init__(self, ballot_code: _Optional[str] = ...) -> None: ...

class BallotSubject(_message.Message):
    __slots__ = ("person_id", "name_zh", "name_en", "position_zh", "position_en")
    PERSON_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    POSITION_ZH_FIELD_NUMBER: _ClassVar[int]
    POSITION_EN_FIELD_NUMBER: _ClassVar[int]
    person_id: str
    name_zh: str
    name_en: str
    position_zh: str
    position_en: str
    def __init__(self, person_id: _Optional[str] = ..., name_zh: _Optional[str] = ..., name_en: _Optional[str] = ..., position_zh: _Optional[str] = ..., position_en: _Optional[str] = ...) -> None: ...

class BallotChoice(_message.Message):
    __slots__ = ("value", "name_zh", "name_en")
    VALUE_FIELD_NUMBER: _ClassVar[int]
    NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    value: float
    name_zh: str
    name_en: str
    def __init__(self, value: _Optional[float] = ..., name_zh: _Optional[str] = ..., name_en: _Optional[str] = ...) -> None: ...

class BallotPaper(_message.Message):
    __slots__ = ("scheme_code", "indicator_code", "indicator_name_zh", "indicator_name_en", "period", "unit_id", "unit_name_zh", "unit_name_en", "group", "group_name_zh", "group_name_en", "subjects", "scale")
    SCHEME_CODE_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_CODE_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    INDICATOR_NAME_EN_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    UNIT_ID_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    UNIT_NAME_EN_FIELD_NUMBER: _ClassVar[int]
    GROUP_FIELD_NUMBER: _ClassVar[int]
    GROUP_NAME_ZH_FIELD_NUMBER: _ClassVar[int]
    GROUP_NAME_EN_FIELD_NUMBER: _ClassVar[int]
    SUBJECTS_FIELD_NUMBER: _ClassVar[int]
    SCALE_FIELD_NUMBER: _ClassVar[int]
    scheme_code: str
    indicator_code: str
    indicator_name_zh: str
    indicator_name_en: str
    period: str
    unit_id: str
    unit_name_zh: str
    unit_name_en: str
    group: str
    group_name_zh: str
    group_name_en: str
    subjects: _containers.RepeatedCompositeFieldContainer[BallotSubject]
    scale: _containers.RepeatedCompositeFieldContainer[BallotChoice]
    def __init__(self, scheme_code: _Optional[str] = ..., indicator_code: _Optional[str] = ..., indicator_name_zh: _Optional[str] = ..., indicator_name_en: _Optional[str] = ..., period: _Optional[str] = ..., unit_id: _Optional[str] = ..., unit_name_zh: _Optional[str] = ..., unit_name_en: _Optional[str] = ..., group: _Optional[str] = ..., group_name_zh: _Optional[str] = ..., group_name_en: _Optional[str] = ..., subjects: _Optional[_Iterable[_Union[BallotSubject, _Mapping]]] = ..., scale: _Optional[_Iterable[_Union[BallotChoice, _Mapping]]] = ...) -> None: ...

class BallotRating(_message.Message):
    __slots__ = ("subject", "value")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    subject: str
    value: float
    def __init__(self, subject: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...

class CastBallotRequest(_message.Message):
    __slots__ = ("ballot_code", "ratings")
    BALLOT_CODE_FIELD_NUMBER: _ClassVar[int]
    RATINGS_FIELD_NUMBER: _ClassVar[int]
    ballot_code: str
    ratings: _containers.RepeatedCompositeFieldContainer[BallotRating]
    def __init__(self, ballot_code: _Optional[str] = ..., ratings: _Optional[_Iterable[_Union[BallotRating, _Mapping]]] = ...) -> None: ...

class CastBallotResponse(_message.Message):
    __slots__ = ("paper",)
    PAPER_FIELD_NUMBER: _ClassVar[int]
    paper: BallotPaper
    def __init__(self, paper: _Optional[_Union[BallotPaper, _Mapping]] = ...) -> None: ...
