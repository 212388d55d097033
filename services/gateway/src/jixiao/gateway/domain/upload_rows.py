"""Uploaded rows of metric values, read and checked row by row, as scoring
would check the MetricEvents they become (adapters/metric_events.py builds
those).

A small office without a Kafka client uploads a spreadsheet (or posts JSON)
instead. Each row is one MetricEvent; every problem is reported by its row
number (a spreadsheet's: the header is row 1; JSON: the item's position,
from 1) and field, in the style of the registry's table imports.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from jixiao.common import stages
from jixiao.common.metric_ranges import MetricRange, metric_ranges, out_of_range
from jixiao.common.spreadsheets import check_header
from jixiao_sdk.periods import CALENDAR_YEAR, Calendar, day_period

from .review_states import APPROVED, LOCKED, PUBLISHED

TEXT_FIELDS = ("event_id", "source", "unit_id", "person_id", "metric_code", "measurement_unit", "revision_of", "evidence_ref")
COLUMNS = (*TEXT_FIELDS, "value", "period", "observed_at")
REQUIRED = ("unit_id", "metric_code", "value")
ATTRIBUTE_PREFIX = "attr."  # spreadsheet columns attr.channel, attr.voter_id → attributes
SCORED_KINDS = ("month", "quarter", "year")
FROZEN_STATES = (LOCKED, APPROVED, PUBLISHED)
# A time without a zone is China Standard Time (as jixiao.common.event_codec reads one).
CHINA_STANDARD_TIME = timezone(timedelta(hours=8))


@dataclass(frozen=True, order=True)
class RowProblem:
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}" + (f", field {self.field}" if self.field else "") + f": {self.message}"

    def as_json(self) -> dict:
        return {"row": self.row, "field": self.field, "message": self.message}


@dataclass
class RowValues:
    """The MetricEvent fields one row gives, each read from its cell (see adapters/metric_events.py)."""

    number: int
    texts: dict[str, str]  # the TEXT_FIELDS the row fills; `source` is the feed's when it names none
    value: float | None = None
    period: str = ""
    observed_at: datetime | None = None  # with its time zone
    attributes: dict[str, str] = field(default_factory=dict)

    @property
    def source(self) -> str:
        return self.texts.get("source", "")

    @property
    def unit_id(self) -> str:
        return self.texts.get("unit_id", "")

    @property
    def person_id(self) -> str:
        return self.texts.get("person_id", "")

    @property
    def metric_code(self) -> str:
        return self.texts.get("metric_code", "")

    @property
    def measurement_unit(self) -> str:
        return self.texts.get("measurement_unit", "")

    def period_text(self) -> str:
        """The row's period, or the day of observed_at in China Standard Time (as scoring reads an event's)."""
        if self.period:
            return self.period
        return day_period(self.observed_at.astimezone(CHINA_STANDARD_TIME).date()).text


@dataclass
class ReadRows:
    rows: list[RowValues] = field(default_factory=list)  # the rows without problems
    problems: list[RowProblem] = field(default_factory=list)
    # Rows naming a source other than the uploading feed's: 403, not 422.
    foreign: list[RowProblem] = field(default_factory=list)


@dataclass(frozen=True)
class SchemeFacts:
    """What the published scheme governing a year says about incoming events
    (the same checks scoring makes before storing one)."""

    code: str
    units: frozenset[str]
    person_unit: Mapping[str, str]
    source_metrics: Mapping[str, frozenset[str]]
    ranges: Mapping[str, MetricRange]
    # period → state of the scheme's periods that take no more events.
    frozen: Mapping[str, str]
    # reads the scheme's period texts (its year may start in any month)
    calendar: Calendar = CALENDAR_YEAR

    @classmethod
    def of(cls, document: dict, states: Mapping[str, str]) -> SchemeFacts:
        return cls(
            code=str(document["scheme"]["code"]),
            units=frozenset(u["id"] for u in document.get("units", [])),
            person_unit={p["id"]: p["unit"] for p in document.get("persons", [])},
            source_metrics={s["code"]: frozenset(s.get("metrics", [])) for s in document.get("sources", [])},
            ranges=metric_ranges(document),
            frozen={p: s for p, s in states.items() if s in FROZEN_STATES},
            calendar=stages.calendar_of(document["scheme"]),
        )


def header_problems(header: Iterable[str]) -> list[RowProblem]:
    """Problems with a spreadsheet's header row (row 1): the platform's rule
    (jixiao.common.spreadsheets.check_header) for COLUMNS, REQUIRED and
    attr.<name> columns, and a period or an observed_at column."""
    header = list(header)
    problems = [RowProblem(1, p.column, p.message)
                for p in check_header(header, COLUMNS, REQUIRED, prefixes=(ATTRIBUTE_PREFIX,))]
    if "period" not in header and "observed_at" not in header:
        problems.append(RowProblem(1, "period", "a period or an observed_at column is required"))
    return problems


def read_rows(rows: Iterable[tuple[int, Mapping[str, object]]], feed_source: str) -> ReadRows:
    """The values of each row, with every problem found in its cells."""
    read = ReadRows()
    for number, row in rows:
        problems: list[RowProblem] = []
        values = _values(number, row, feed_source, problems)
        if values.source != feed_source:
            read.foreign.append(RowProblem(number, "source", f"a feed token of {feed_source!r} may not report as {values.source!r}"))
        if problems:
            read.problems += problems
        else:
            read.rows.append(values)
    return read


def problem_of(number: int, reason: str) -> RowProblem:
    """A problem the event codec found (its reasons start with the field they are about)."""
    name = reason.split(" ", 1)[0].rstrip(":")
    return RowProblem(number, name if name in COLUMNS or name == "attributes" else "", reason)


def scheme_problems(rows: Sequence[RowValues], facts_by_year: Mapping[int, SchemeFacts | None],
                    known_metrics: frozenset[str]) -> list[RowProblem]:
    """Rows the published scheme would not accept (scoring would dead-letter them)."""
    problems = []

    def calendar_of_year(year: int) -> Calendar | None:
        facts = facts_by_year.get(year)
        return None if facts is None else facts.calendar

    for row in rows:
        year, period = stages.scheme_year_of(row.period_text(), calendar_of_year)
        facts = None if year is None else facts_by_year[year]
        reason = _rejection(row, period, facts, known_metrics)
        if reason:
            problems.append(RowProblem(row.number, *reason))
    return problems


# -- one row ------------------------------------------------------------------

def _values(number: int, row: Mapping[str, object], feed_source: str, problems: list[RowProblem]) -> RowValues:
    values = RowValues(number, {})
    for name in TEXT_FIELDS:
        text = _text(row.get(name), number, name, problems)
        if text:
            values.texts[name] = text
    if not values.source:
        values.texts["source"] = feed_source
    for name in REQUIRED:
        if _blank(row.get(name)):
            problems.append(RowProblem(number, name, "is required"))
    if not _blank(row.get("value")):
        value = _number(row["value"])
        if value is None:
            problems.append(RowProblem(number, "value", f"{row['value']!r} is not a number"))
        else:
            values.value = value
    period = row.get("period")
    if isinstance(period, (datetime, date)):
        problems.append(RowProblem(number, "period", "is a date cell; format the column as text (2026, 2026-Q1, 2026-03 or 2026-03-15)"))
    elif not _blank(period):
        values.period = _text(period, number, "period", problems)
    observed = row.get("observed_at")
    if not _blank(observed):
        moment = _moment(observed)
        if moment is None:
            problems.append(RowProblem(number, "observed_at", f"{observed!r} is not a date and time such as 2026-03-15T09:30:00+08:00"))
        else:
            values.observed_at = moment
    elif _blank(period):
        problems.append(RowProblem(number, "period", "a period or observed_at is required"))
    values.attributes = _attributes(row, number, problems)
    return values


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object, number: int, name: str, problems: list[RowProblem]) -> str:
    if _blank(value):
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool) or isinstance(value, (datetime, date, time)):
        problems.append(RowProblem(number, name, f"must be text, not {value!r}"))
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a spreadsheet's number cell holding an id or a year
    if isinstance(value, (int, float)):
        return str(value)
    problems.append(RowProblem(number, name, "must be text"))
    return ""


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _moment(value: object) -> datetime | None:
    """A timezone-aware time; one without a zone is China Standard Time."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=CHINA_STANDARD_TIME)


def _attributes(row: Mapping[str, object], number: int, problems: list[RowProblem]) -> dict[str, str]:
    attributes = {}
    given = row.get("attributes")
    if given is not None:  # JSON items carry an object
        if not isinstance(given, dict) or not all(isinstance(v, str) for v in given.values()):
            problems.append(RowProblem(number, "attributes", "must be an object of strings"))
        else:
            attributes.update(given)
    for name, value in row.items():
        if name.startswith(ATTRIBUTE_PREFIX) and not _blank(value):
            attributes[name[len(ATTRIBUTE_PREFIX):]] = _text(value, number, name, problems)
    return attributes


def _rejection(row: RowValues, period, facts: SchemeFacts | None, known_metrics: frozenset[str]) -> tuple[str, str] | None:
    if facts is None:
        return "period", f"no published scheme covers the period {period.text}"
    if row.unit_id not in facts.units:
        return "unit_id", f"{row.unit_id!r} is not a unit of scheme {facts.code}"
    if row.person_id and facts.person_unit.get(row.person_id) != row.unit_id:
        return "person_id", f"{row.person_id!r} is not a member of unit {row.unit_id!r}"
    if row.metric_code not in known_metrics:
        return "metric_code", f"{row.metric_code!r} is not consumed by any active indicator"
    if facts.source_metrics:
        allowed = facts.source_metrics.get(row.source)
        if allowed is None:
            return "source", f"{row.source!r} is not a data feed of scheme {facts.code}"
        if row.metric_code not in allowed:
            return "metric_code", f"source {row.source!r} may not report {row.metric_code!r}"
    problem = out_of_range(facts.ranges, row.metric_code, row.value, row.measurement_unit)
    if problem:
        return "value", problem
    for enclosing in period.enclosing():
        state = facts.frozen.get(enclosing.text)
        if enclosing.kind in SCORED_KINDS and state:
            return "period", f"period {enclosing.text} is {state}: it takes no more values"
    return None


def report_json(problems: list[RowProblem]) -> list[dict]:
    return [p.as_json() for p in sorted(set(problems))]


def json_rows(items: list) -> tuple[list[tuple[int, Mapping[str, object]]], list[RowProblem]]:
    """JSON items as rows numbered from 1, and the problems with their shape."""
    rows, problems = [], []
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(RowProblem(index, "", "must be a JSON object of MetricEvent fields"))
            continue
        problems += [RowProblem(index, key, f"unknown field; expected {', '.join(COLUMNS)} or attributes")
                     for key in item if key not in COLUMNS and key != "attributes"]
        rows.append((index, item))
    return rows, problems
