"""What-if simulations (docs/simulation.md) through the scoring service on SQLite and
PostgreSQL: a figure, a target, weights and a grading ratio change what they should, the
stored official results do not change at all, every simulation is recorded, and a change
that cannot hold is INVALID_ARGUMENT naming its field."""
from __future__ import annotations

import copy
import hashlib
import json

import pytest
from sqlalchemy import select

from helpers.small_scheme import SMALL_SCHEME, AmountVsPlan, Awards, Rating
from jixiao.common import event_codec
from jixiao.common.auth import Principal
from jixiao.common.errors import InvalidArgument, NotFound
from jixiao.scoring.adapters.sql_schema import events, indicator_results, person_scores, unit_scores
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.records import IncomingRecord
from jixiao.scoring.service_layer.simulation import Simulation
from jixiao_sdk import IndicatorHost

OFFICE = Principal("考核办（张）", "office")
SCHEME = "test-2026"


def scheme() -> dict:
    """Three districts on two indicators (0.6 amount against plan, 0.4 rating), graded 1:2 in the year."""
    document = copy.deepcopy(SMALL_SCHEME)
    document["units"].append({"id": "U3", "name": {"zh": "丙区", "en": "District C"}, "category": "district"})
    document["sources"].append({"code": "survey", "metrics": ["rating"]})
    document["indicators"].append({"code": "rating"})
    document["assignments"] = [
        {"category": "district", "dimension": "work", "indicator": "amount_vs_plan", "weight": 0.6, "max_points": 100},
        {"category": "district", "dimension": "work", "indicator": "rating", "weight": 0.4, "max_points": 100},
        {"category": "district", "dimension": "bonus", "indicator": "awards", "weight": 1.0, "max_points": 3},
    ]
    document["targets"].append({"unit": "U3", "indicator": "amount_vs_plan", "value": 100.0})
    document["grading"] = [{"code": "districts", "pool": ["district"], "subject": "unit", "method": "ratio",
                            "grades": [{"grade": 1, "parts": 1, "name": {"zh": "一等", "en": "First"}},
                                       {"grade": 2, "parts": 2, "name": {"zh": "二等", "en": "Second"}}]},
                           {"code": "leaders", "pool": ["district"], "subject": "person", "method": "ratio",
                            "grades": [{"grade": 1, "parts": 1}, {"grade": 2, "parts": 2}]}]
    # One leader per district; without a personal evaluation a leader's total is the unit's.
    document["persons"] = [{"id": f"P{n}", "name_zh": name, "unit": f"U{n}"}
                           for n, name in ((1, "甲"), (2, "乙"), (3, "丙"))]
    document["person_scoring"] = {"unit_weight": 0.6, "personal_weight": 0.4, "personal_indicator": "rating",
                                  "missing": "excluded"}
    return document


def record(event_id: str, unit: str, metric: str, value: float, period: str) -> IncomingRecord:
    source = {"amount": "stats", "award": "office", "rating": "survey"}[metric]
    return IncomingRecord(event_codec.encode(event_codec.from_dict({
        "event_id": event_id, "source": source, "unit_id": unit, "metric_code": metric, "value": value,
        "period": period})), {})


@pytest.fixture
def simulation(database_url):
    service = build_service(database_url, IndicatorHost.from_plugins([AmountVsPlan(), Awards(), Rating()],
                                                                      timeout_s=None))
    service.adopt_scheme(scheme(), 1, "sha256:test")
    # Year: U1 90% of 100 and rating 80 → 86; U2 50% of 200 and 90 → 66; U3 70% of 100 and 70 → 70.
    outcome = service.ingest([
        record("a1", "U1", "amount", 90, "2026-03"), record("a2", "U2", "amount", 100, "2026-03"),
        record("a3", "U3", "amount", 70, "2026-03"), record("r1", "U1", "rating", 80, "2026-03"),
        record("r2", "U2", "rating", 90, "2026-03"), record("r3", "U3", "rating", 70, "2026-03"),
    ])
    assert not outcome.rejected
    return Simulation(service)


def official(simulation: Simulation) -> str:
    """A digest of every stored result and event: what a simulation must leave as it was."""
    digest = hashlib.sha256()
    with simulation.service.engine.connect() as connection:
        for table in (events, indicator_results, unit_scores, person_scores):
            rows = [dict(r) for r in connection.execute(select(table)).mappings()]
            digest.update(json.dumps(sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, default=str)),
                                     sort_keys=True, default=str).encode())
    return digest.hexdigest()


def by_unit(result) -> dict:
    return {d.unit_id: d for d in result.differences}


def by_leader(result) -> dict:
    return {d.unit_id: d for d in result.leaders}  # unit_id holds the person's id


def test_a_figure_changes_the_units_points_total_rank_and_grade_and_nothing_official(simulation):
    before = official(simulation)
    result = simulation.simulate(SCHEME, "2026", [
        {"kind": "figure", "unit_id": "U2", "indicator_code": "amount_vs_plan", "period": "2026-03", "value": 200}],
        OFFICE)
    changed = by_unit(result)
    # U2: 100% of plan → 60 + 36 = 96, first; U1 86 second, grade 1 → 2.
    assert changed["U2"].total_before == pytest.approx(66) and changed["U2"].total_after == pytest.approx(96)
    assert (changed["U2"].rank_before, changed["U2"].rank_after) == (3, 1)
    assert [(g.grading_code, g.before, g.after) for g in changed["U2"].grades] == [("districts", 2, 1)]
    assert [(i.indicator_code, i.before, i.after) for i in changed["U2"].indicators] == [("amount_vs_plan", 50, 100)]
    assert changed["U2"].changes == (0,)
    assert (changed["U1"].rank_after, changed["U1"].changes) == (2, ())  # moved by U2 only
    assert [(g.before, g.after) for g in changed["U1"].grades] == [(1, 2)]
    assert changed["U3"].rank_before == 2 and changed["U3"].rank_after == 3
    assert result.replaced_figures == {0: 1} and result.units_compared == 3
    leaders = by_leader(result)  # their totals follow their units', and so their grades
    assert leaders["P2"].total_after == pytest.approx(96)
    assert (leaders["P2"].rank_before, leaders["P2"].rank_after) == (3, 1)
    assert [(g.grading_code, g.before, g.after) for g in leaders["P2"].grades] == [("leaders", 2, 1)]
    assert leaders["P2"].changes == (0,) and leaders["P1"].changes == ()
    assert official(simulation) == before
    # The same question again gives the same answer: nothing of the first stayed behind.
    again = simulation.simulate(SCHEME, "2026", [
        {"kind": "figure", "unit_id": "U2", "indicator_code": "amount_vs_plan", "period": "2026-03", "value": 200}],
        OFFICE)
    assert again.differences == result.differences


def test_a_figure_in_a_month_without_one_is_added_and_counts_in_the_quarter(simulation):
    result = simulation.simulate(SCHEME, "2026-Q2", [
        {"kind": "figure", "unit_id": "U3", "indicator_code": "amount_vs_plan", "period": "2026-05", "value": 50}],
        OFFICE)
    [u3] = result.differences
    assert u3.unit_id == "U3" and u3.total_before is None and u3.total_after == pytest.approx(30)  # 0.6 × 50%
    assert result.replaced_figures == {0: 0}


def test_a_target_weights_and_a_ratio(simulation):
    before = official(simulation)
    target = by_unit(simulation.simulate(SCHEME, "2026", [
        {"kind": "target", "unit_id": "U1", "indicator_code": "amount_vs_plan", "value": 90}], OFFICE))
    assert target["U1"].total_after == pytest.approx(92)  # 100% of 90 → 60 + 32
    weights = by_unit(simulation.simulate(SCHEME, "2026", [
        {"kind": "weight", "category": "district", "indicator_code": "amount_vs_plan", "weight": 0.2},
        {"kind": "weight", "category": "district", "indicator_code": "rating", "weight": 0.8}], OFFICE))
    # 0.2 × points + 0.8 × rating: U1 18 + 64 = 82, U2 10 + 72 = 82, U3 14 + 56 = 70.
    assert weights["U2"].total_after == pytest.approx(82) and weights["U2"].rank_after == 1
    assert weights["U1"].rank_after == 1 and weights["U1"].changes == (0, 1)
    ratio = simulation.simulate(SCHEME, "2026", [{"kind": "ratio", "grading_code": "districts",
                                                  "parts": {"1": 2, "2": 1}}], OFFICE)
    [u3] = ratio.differences  # 2 of 3 in the first grade now: U3 (second of three) moves up
    assert u3.unit_id == "U3" and [(g.before, g.after) for g in u3.grades] == [(2, 1)] and u3.changes == (0,)
    assert u3.total_before == u3.total_after and ratio.leaders == ()  # the leaders' rule kept its ratio
    assert official(simulation) == before


def test_every_simulation_is_recorded_with_who_asked_what(simulation):
    simulation.simulate(SCHEME, "2026", [{"kind": "ratio", "grading_code": "districts", "parts": {"1": 2}}], OFFICE)
    simulation.simulate(SCHEME, "2026-Q1", [
        {"kind": "target", "unit_id": "U2", "indicator_code": "amount_vs_plan", "value": 150}], OFFICE)
    newest, older = simulation.simulations(SCHEME)
    assert (newest["period"], newest["asked_by"], newest["scheme_version"]) == ("2026-Q1", OFFICE.name, 1)
    assert newest["changes"] == [{"kind": "target", "unit_id": "U2", "indicator_code": "amount_vs_plan",
                                  "value": 150.0}]
    assert older["changes"] == [{"kind": "ratio", "grading_code": "districts", "parts": {"1": 2.0}}]
    assert older["differences"] == 1 and older["asked_at"].endswith("Z")  # 2:2 of 3 gives U3 the first grade too


@pytest.mark.parametrize("period, changes, field", [
    ("2026-13", [{"kind": "ratio", "grading_code": "districts", "parts": {"1": 2}}], "period"),
    ("2025", [{"kind": "ratio", "grading_code": "districts", "parts": {"1": 2}}], "period"),
    ("2026", [], "changes"),
    ("2026", [{"kind": "guess"}], "changes[0].kind"),
    ("2026", [{"kind": "figure", "unit_id": "U9", "indicator_code": "amount_vs_plan", "period": "2026-03",
               "value": 1}], "changes[0].unit_id"),
    ("2026", [{"kind": "figure", "unit_id": "U1", "indicator_code": "nope", "period": "2026-03", "value": 1}],
     "changes[0].indicator_code"),
    ("2026", [{"kind": "figure", "unit_id": "U1", "indicator_code": "amount_vs_plan", "period": "2027-01",
               "value": 1}], "changes[0].period"),
    ("2026", [{"kind": "figure", "unit_id": "U1", "indicator_code": "amount_vs_plan", "period": "2026-03"}],
     "changes[0].value"),
    ("2026", [{"kind": "figure", "unit_id": "U1", "indicator_code": "amount_vs_plan", "metric_code": "award",
               "period": "2026-03", "value": 1}], "changes[0].metric_code"),
    ("2026", [{"kind": "target", "unit_id": "U1", "indicator_code": "rating", "value": 5}], "changes[0].indicator_code"),
    ("2026", [{"kind": "weight", "category": "district", "indicator_code": "amount_vs_plan", "weight": 0.5}],
     "changes[0].weight"),
    ("2026", [{"kind": "weight", "dimension_code": "work", "weight": 0.9}], "changes[0].weight"),
    ("2026", [{"kind": "weight", "category": "district", "indicator_code": "amount_vs_plan", "weight": 1.5}],
     "changes[0].weight"),
    ("2026", [{"kind": "ratio", "grading_code": "districts", "parts": {"1": 0, "2": 0}}], "changes[0].parts"),
    ("2026", [{"kind": "ratio", "grading_code": "districts", "parts": {"3": 1}}], "changes[0].parts"),
    ("2026", [{"kind": "ratio", "grading_code": "nope", "parts": {"1": 1}}], "changes[0].grading_code"),
    ("2026", [{"kind": "ratio", "grading_code": "districts", "parts": {"1": 2}},
              {"kind": "ratio", "grading_code": "districts", "parts": {"1": 3}}], "changes[1]"),
])
def test_a_change_that_cannot_hold_names_its_field_and_records_nothing(simulation, period, changes, field):
    before = official(simulation)
    with pytest.raises(InvalidArgument) as refused:
        simulation.simulate(SCHEME, period, changes, OFFICE)
    assert refused.value.field == field, str(refused.value)
    assert official(simulation) == before and simulation.simulations(SCHEME) == []


def test_an_unknown_scheme_is_not_found(simulation):
    with pytest.raises(NotFound):
        simulation.simulate("nope-2026", "2026", [{"kind": "ratio", "grading_code": "districts", "parts": {"1": 1}}],
                            OFFICE)
