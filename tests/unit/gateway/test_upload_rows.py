"""The row rules of uploads (domain/upload_rows.py) and the MetricEvents of
the rows (adapters/metric_events.py) without servers: ids, field parsing,
header checks, and the published scheme's checks."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from jixiao.gateway.adapters import metric_events
from jixiao.gateway.domain import upload_rows as rules
from jixiao.v1.metric_event_pb2 import MetricEvent

NOW = datetime(2026, 4, 5, 1, 0, tzinfo=UTC)
DOCUMENT = {
    "scheme": {"code": "city-2026", "year": 2026},
    "units": [{"id": "U1"}, {"id": "U2"}],
    "persons": [{"id": "P1", "unit": "U1"}],
    "sources": [{"code": "stats", "metrics": ["amount"]}, {"code": "office", "metrics": ["rating"]}],
}


@dataclass
class Parsed:
    events: list[tuple[int, MetricEvent]] = field(default_factory=list)
    rows: list[rules.RowValues] = field(default_factory=list)  # those of the events
    problems: list[rules.RowProblem] = field(default_factory=list)
    foreign: list[rules.RowProblem] = field(default_factory=list)


def parse_rows(rows: list, source: str, reported_at: datetime) -> Parsed:
    """The rows read (the row rules), then made events (the codec's checks), as an upload does."""
    read = rules.read_rows(rows, source)
    events, problems = metric_events.events_of(read.rows, reported_at)
    return Parsed([(row.number, event) for row, event in events], [row for row, _ in events],
                  read.problems + problems, read.foreign)


def parse(*rows: dict, source: str = "stats") -> Parsed:
    return parse_rows(list(enumerate(rows, start=2)), source, NOW)


def assign_ids(events: list[tuple[int, MetricEvent]]) -> None:
    metric_events.assign_ids([event for _, event in events])


def row(**fields) -> dict:
    return {"unit_id": "U1", "metric_code": "amount", "value": "1.5", "period": "2026-03", **fields}


def test_ids_come_from_the_content_and_identical_rows_differ_by_occurrence():
    first = parse(row(), row(), row(value="2"))
    assign_ids(first.events)
    ids = [e.event_id for _, e in first.events]
    assert len(set(ids)) == 3 and all(i.startswith("upl-") for i in ids)
    later = parse_rows([(9, row(value="2")), (10, row()), (11, row())], "stats", datetime(2027, 1, 1, tzinfo=UTC))
    assign_ids(later.events)
    assert sorted(e.event_id for _, e in later.events) == sorted(ids), "row order and upload time do not matter"
    other_source = parse(row(), source="office")
    assign_ids(other_source.events)
    assert other_source.events[0][1].event_id not in ids


def test_fields_are_parsed_from_text_numbers_and_dates():
    parsed = parse(row(value=7, period=2026, observed_at="2026-03-15 09:30", **{"attr.channel": "online", "attr.empty": ""}),
                   row(value="x"), row(value=float("nan")), row(observed_at=datetime(2026, 3, 15)), row(unit_id=1001.0))
    event = parsed.events[0][1]
    assert (event.value, event.period, event.source) == (7.0, "2026", "stats")
    assert dict(event.attributes) == {"channel": "online"}
    assert event.observed_at.ToDatetime(tzinfo=UTC) == datetime(2026, 3, 15, 1, 30, tzinfo=UTC), "China Standard Time"
    assert [(p.row, p.field) for p in parsed.problems] == [(3, "value"), (4, "value")]
    assert parsed.events[-1][1].unit_id == "1001"


def test_missing_and_malformed_fields_are_named():
    parsed = parse({"value": "1"}, row(period="", observed_at=""), row(period="2026-13"), row(event_id="x" * 200),
                   row(attributes={"a": 1}))
    assert sorted((p.row, p.field) for p in parsed.problems) == [
        (2, "metric_code"), (2, "period"), (2, "unit_id"), (3, "period"), (4, "period"), (5, "event_id"), (6, "attributes")]
    assert not parsed.events


def test_another_source_is_foreign():
    parsed = parse(row(source="stats"), row(source="finance"))
    assert [str(p) for p in parsed.foreign] == ["row 3, field source: a feed token of 'stats' may not report as 'finance'"]


def test_header_problems_are_row_one():
    assert rules.header_problems(["unit_id", "metric_code", "value", "period", "attr.channel"]) == []
    problems = rules.header_problems(["unit_id", "unit_id", "value", "colour", "attr."])
    assert {(p.row, p.field) for p in problems} == {(1, "metric_code"), (1, "period"), (1, "colour"), (1, "attr."), (1, "unit_id")}


def test_json_rows_name_unknown_fields():
    rows, problems = rules.json_rows([row(), "text", {**row(), "colour": "red"}])
    assert [n for n, _ in rows] == [1, 3]
    assert [(p.row, p.field) for p in problems] == [(2, ""), (3, "colour")]


def test_the_published_scheme_decides_like_scoring():
    june = {"period": "2026-06"}
    parsed = parse(row(**june), row(**june, unit_id="U9"), row(**june, person_id="P1", unit_id="U2"),
                   row(**june, metric_code="rating"), row(**june, metric_code="unknown"), row(period="2027-01"),
                   row(period="2026-02-10"), row(period="2026-05"), row(**june, source="press"),
                   row(**june, source="office", metric_code="rating"), row(period="2026-04"))
    facts = rules.SchemeFacts.of(DOCUMENT, {"2026-Q1": "locked", "2026-05": "open", "2026-04": "published"})
    problems = rules.scheme_problems(parsed.rows, {2026: facts, 2027: None}, frozenset({"amount", "rating"}))
    found = {(p.row, p.field): p.message for p in problems}
    assert set(found) == {(3, "unit_id"), (4, "person_id"), (5, "metric_code"), (6, "metric_code"), (7, "period"),
                          (8, "period"), (10, "source"), (12, "period")}
    assert found[(8, "period")] == "period 2026-Q1 is locked: it takes no more values"
    assert found[(7, "period")] == "no published scheme covers the period 2027-01"
    assert "'stats' may not report 'rating'" in found[(5, "metric_code")]
    assert "not consumed by any active indicator" in found[(6, "metric_code")]


def test_report_json_is_sorted_and_without_repeats():
    problems = [rules.RowProblem(3, "value", "b"), rules.RowProblem(2, "unit_id", "a"), rules.RowProblem(3, "value", "b")]
    assert rules.report_json(problems) == [{"row": 2, "field": "unit_id", "message": "a"},
                                           {"row": 3, "field": "value", "message": "b"}]


def test_a_value_outside_the_schemes_range_is_refused_like_scoring_refuses_it():
    parsed = parse(row(period="2026-06", value="-3"), row(period="2026-06", value="5"))
    facts = rules.SchemeFacts.of({**DOCUMENT, "metrics": [{"code": "amount", "min": 0}]}, {})
    problems = rules.scheme_problems(parsed.rows, {2026: facts}, frozenset({"amount"}))
    assert [(p.row, p.field, p.message) for p in problems] == [
        (2, "value", "value -3 of metric 'amount' is below the minimum 0 the scheme allows")]
