"""Leaders are scored on their own evidence where they are graded: their own
ratings and their own work-style deductions, beside the unit's total; in a
period whose kind the personal evaluation is not assessed in, a leader's total
is the unit's, and says so."""
import pytest

from helpers.small_scheme import SMALL_SCHEME, AmountVsPlan, Awards, Rating
from jixiao.common import event_codec
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.records import IncomingRecord
from jixiao_sdk import IndicatorHost, IndicatorResult, IndicatorSpec, hookimpl


class Conduct:
    spec = IndicatorSpec(code="conduct", name_zh="作风扣分", name_en="Conduct", version="1.0", owner="test",
                         input_metrics=("violation",), min_points=-10, max_points=0, kind="deduction",
                         formula="-2 per violation")

    @hookimpl
    def jixiao_indicator_specs(self):
        return [self.spec]

    @hookimpl
    def jixiao_indicator_evaluate(self, spec, inputs):
        if spec.code != "conduct":
            return None
        count = len(inputs.observations)
        return IndicatorResult(indicator_code=spec.code, raw_value=count, points=-2.0 * count,
                               explanation=f"违规{count}次扣{2 * count}分", evidence=tuple(o.event_id for o in inputs.observations))


SCHEME = {
    **SMALL_SCHEME,
    "sources": [{"code": "stats", "metrics": ["amount"]}, {"code": "office", "metrics": ["award", "rating", "violation"]}],
    "dimensions": [
        {"code": "work", "name": {"zh": "工作实绩", "en": "Work"}, "weight": 0.8},
        {"code": "people", "name": {"zh": "官评", "en": "Leadership evaluation"}, "weight": 0.2, "assessed_in": ["year"]},
        {"code": "bonus", "name": {"zh": "加减分", "en": "Bonus"}, "weight": 0, "additive": True},
    ],
    "indicators": [{"code": "amount_vs_plan"}, {"code": "awards"}, {"code": "rating"}, {"code": "conduct"}],
    "assignments": [
        *SMALL_SCHEME["assignments"],
        {"category": "district", "dimension": "people", "indicator": "rating", "weight": 1.0, "max_points": 100},
        {"category": "district", "dimension": "bonus", "indicator": "conduct", "weight": 1.0, "max_points": 5},
    ],
    "leadership_teams": [{"id": "T1", "unit": "U1", "name": {"zh": "甲区领导班子", "en": "Team A"}}],
    "persons": [{"id": "P1", "name_zh": "张三", "unit": "U1", "team": "T1"},
                {"id": "P2", "name_zh": "李四", "unit": "U1", "team": "T1"}],
    "person_scoring": {"unit_weight": 0.6, "personal_weight": 0.4, "personal_indicator": "rating",
                       "personal_deductions": ["conduct"]},
}


def record(event_id, metric, value, period, person="", source="office"):
    data = {"event_id": event_id, "source": source, "unit_id": "U1", "person_id": person, "metric_code": metric,
            "value": value, "period": period}
    return IncomingRecord(event_codec.encode(event_codec.from_dict(data)), {})


@pytest.fixture
def service(tmp_path):
    host = IndicatorHost.from_plugins([AmountVsPlan(), Awards(), Rating(), Conduct()], timeout_s=None)
    service = build_service(f"sqlite:///{tmp_path / 'scoring.db'}", host)
    service.adopt_scheme(SCHEME, 1, "sha256:test")
    service.ingest([
        record("amount-q2", "amount", 40.0, "2026-05", source="stats"),
        record("r1", "rating", 90, "2026-12-10", person="P1"), record("r2", "rating", 70, "2026-12-10", person="P2"),
        record("v1", "violation", 1, "2026-05-20", person="P2"),
    ])
    return service


def person(service, person_id: str, period: str) -> dict:
    return service.repository.period_person_scores("test-2026", period, [person_id])[person_id]


def test_in_a_quarter_a_leaders_total_is_the_units(service):
    unit_total = service.unit_score("test-2026", "U1", "2026-Q2")[1]["total"]
    assert person(service, "P1", "2026-Q2")["total"] == person(service, "P2", "2026-Q2")["total"] == unit_total


def test_for_the_year_each_leader_is_scored_on_their_own_ratings_and_deductions(service):
    unit_total = service.unit_score("test-2026", "U1", "2026")[1]["total"]
    first, second = person(service, "P1", "2026"), person(service, "P2", "2026")
    assert first["total"] == pytest.approx(0.6 * unit_total + 0.4 * 90)
    # The plug-in's -2 (of its 10) scaled to the assignment's 5 points, as a unit's deduction is.
    assert second["total"] == pytest.approx(0.6 * unit_total + 0.4 * 70 - 1.0)
    assert (second["deduction_points"], second["deduction_evidence_json"]) == (-1.0, '["v1"]')
    assert second["deduction_explanation"] == "违规1次扣2分"
    rule = service.scheme("test-2026").person_rule
    from jixiao.scoring.service_layer.recompute import person_weights

    weights = person_weights(service.scheme("test-2026"), rule, "year", second)
    assert rule.explain(second["unit_total"], second["personal_points"], weights, second["deduction_points"]) == (
        f"总分=单位得分{unit_total:.2f}×0.6+个人评价70.00×0.4-作风扣分1.00={second['total']:.2f} / total = unit "
        f"{unit_total:.2f} × 0.6 + personal 70.00 × 0.4 - deductions 1.00 = {second['total']:.2f}")


def test_a_leaders_violation_does_not_touch_the_units_total(service):
    results = service.unit_score("test-2026", "U1", "2026")[3]
    assert "conduct" not in {r["indicator_code"] for r in results}


def test_a_leaders_deductions_count_without_an_evaluation_but_not_in_a_quarter(tmp_path):
    host = IndicatorHost.from_plugins([AmountVsPlan(), Awards(), Rating(), Conduct()], timeout_s=None)
    service = build_service(f"sqlite:///{tmp_path / 'scoring.db'}", host)
    service.adopt_scheme({**SCHEME, "scheme": {**SCHEME["scheme"], "missing_results": "excluded"}}, 1, "sha256:test")
    service.ingest([record("amount", "amount", 40.0, "2026-05", source="stats"),
                    record("v1", "violation", 1, "2026-05-20", person="P2")])
    unit_total = service.unit_score("test-2026", "U1", "2026")[1]["total"]
    assert person(service, "P2", "2026")["total"] == pytest.approx(unit_total - 1.0)  # no rating: the unit's, less 1
    assert person(service, "P2", "2026-Q2")["total"] == service.unit_score("test-2026", "U1", "2026-Q2")[1]["total"]


def test_a_frozen_periods_weights_are_explained_by_the_scheme_version_that_scored_it(tmp_path):
    from jixiao.common.auth import Principal
    from jixiao.scoring.service_layer.period_review import PeriodReview
    from jixiao.scoring.service_layer.recompute import person_weights

    every_period = {**SCHEME, "dimensions": [{k: v for k, v in d.items() if k != "assessed_in"} for d in SCHEME["dimensions"]]}
    host = IndicatorHost.from_plugins([AmountVsPlan(), Awards(), Rating(), Conduct()], timeout_s=None)
    service = build_service(f"sqlite:///{tmp_path / 'scoring.db'}", host)
    service.adopt_scheme(every_period, 1, "sha256:v1")
    service.ingest([record("a", "amount", 50.0, "2026-02", source="stats"), record("r", "rating", 90, "2026-02", person="P1")])
    PeriodReview(service).act("lock", "test-2026", "2026-Q1", Principal("考核办", "office"))
    service.adopt_scheme(SCHEME, 2, "sha256:v2")  # the leadership evaluation now assessed at year end only
    row = person(service, "P1", "2026-Q1")
    used = service.scheme_at("test-2026", row["scheme_version"])
    assert used.version == 1 and service.scheme("test-2026").version == 2
    weights = person_weights(used, used.person_rule, "quarter", row)
    assert (weights.unit, weights.personal) == (0.6, 0.4)
    assert used.person_rule.total(row["unit_total"], row["personal_points"], weights) == row["total"]
