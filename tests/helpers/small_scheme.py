"""A small scheme and indicator plug-ins for scoring tests (not the standard
ones), and a scoring service that uses them."""
from jixiao_sdk import IndicatorHost, IndicatorResult, IndicatorSpec, hookimpl
from jixiao_sdk.helpers import expected_share

SMALL_SCHEME = {
    "format": "jixiao.scheme/v1",
    "scheme": {"code": "test-2026", "year": 2026, "version": 1},
    "categories": [{"code": "district", "name": {"zh": "区县", "en": "Districts"}, "subject": "region"}],
    "regions": [{"id": "R1", "name": {"zh": "甲区", "en": "A"}}, {"id": "R2", "name": {"zh": "乙区", "en": "B"}}],
    "units": [
        {"id": "U1", "name": {"zh": "甲区", "en": "District A"}, "category": "district", "region": "R1"},
        {"id": "U2", "name": {"zh": "乙区", "en": "District B"}, "category": "district", "region": "R2"},
    ],
    "sources": [{"code": "stats", "metrics": ["amount"]}, {"code": "office", "metrics": ["award"]}],
    "dimensions": [
        {"code": "work", "name": {"zh": "工作实绩", "en": "Work"}, "weight": 1.0},
        {"code": "bonus", "name": {"zh": "加分", "en": "Bonus"}, "weight": 0, "additive": True},
    ],
    "indicators": [{"code": "amount_vs_plan"}, {"code": "awards"}],
    "assignments": [
        {"category": "district", "dimension": "work", "indicator": "amount_vs_plan", "weight": 1.0, "max_points": 100},
        {"category": "district", "dimension": "bonus", "indicator": "awards", "weight": 1.0, "max_points": 3},
    ],
    "targets": [
        {"unit": "U1", "indicator": "amount_vs_plan", "value": 100.0},
        {"unit": "U2", "indicator": "amount_vs_plan", "value": 200.0},
    ],
}


class AmountVsPlan:
    """points = min(100, 100 × sum(amount) / plan)."""

    spec = IndicatorSpec(code="amount_vs_plan", name_zh="完成率", name_en="Amount vs plan", version="1.0", owner="test",
                         input_metrics=("amount",), min_points=0, max_points=100, formula="min(100, 100 × sum / plan)")

    @hookimpl
    def jixiao_indicator_specs(self):
        return [self.spec]

    @hookimpl
    def jixiao_indicator_evaluate(self, spec, inputs):
        if spec.code != "amount_vs_plan":
            return None
        total = sum(o.value for o in inputs.observations)
        ratio = total / inputs.target.value
        return IndicatorResult(indicator_code=spec.code, raw_value=total, achievement=ratio, points=min(100.0, 100 * ratio),
                               explanation=f"完成{total:g}，计划{inputs.target.value:g}",
                               evidence=tuple(o.event_id for o in inputs.observations))


class Awards:
    """One point per award, at most two."""

    spec = IndicatorSpec(code="awards", name_zh="表彰", name_en="Awards", version="1.0", owner="test",
                         input_metrics=("award",), min_points=0, max_points=2, kind="bonus", formula="min(2, count)")

    @hookimpl
    def jixiao_indicator_specs(self):
        return [self.spec]

    @hookimpl
    def jixiao_indicator_evaluate(self, spec, inputs):
        if spec.code != "awards":
            return None
        count = len(inputs.observations)
        return IndicatorResult(indicator_code=spec.code, raw_value=count, points=min(2.0, float(count)),
                               explanation=f"表彰{count}次", evidence=tuple(o.event_id for o in inputs.observations))


class Rating:
    """A rating 0–100 per observation; the plug-in averages what it is given (roll-up rule mean)."""

    spec = IndicatorSpec(code="rating", name_zh="评价", name_en="Rating", version="1.0", owner="test",
                         input_metrics=("rating",), min_points=0, max_points=100, rollup="mean", formula="mean")

    @hookimpl
    def jixiao_indicator_specs(self):
        return [self.spec]

    @hookimpl
    def jixiao_indicator_evaluate(self, spec, inputs):
        if spec.code != "rating":
            return None
        values = [o.value for o in inputs.observations]
        mean = sum(values) / len(values)
        return IndicatorResult(indicator_code=spec.code, raw_value=mean, points=mean, explanation=f"{len(values)} ratings",
                               evidence=tuple(o.event_id for o in inputs.observations))


class Invested:
    """Amount invested against the plan due by then; records what it was given."""

    spec = IndicatorSpec(code="invested", name_zh="投资", name_en="Invested", version="1.0", owner="test",
                         input_metrics=("amount",), min_points=0, max_points=100, period_basis="year_to_date",
                         formula="100 × min(1, actual / (plan × expected share))")
    seen: list = []

    @hookimpl
    def jixiao_indicator_specs(self):
        return [self.spec]

    @hookimpl
    def jixiao_indicator_evaluate(self, spec, inputs):
        if spec.code != "invested":
            return None
        Invested.seen.append(inputs)
        actual = sum(o.value for o in inputs.observations)
        due = inputs.target.value * expected_share(inputs)
        last = sum(o.value for o in inputs.baseline)
        achievement = actual / due if due else 1.0
        return IndicatorResult(indicator_code=spec.code, raw_value=actual, achievement=achievement,
                               points=min(100.0, 100 * achievement),
                               explanation=f"{inputs.as_of_period or inputs.period}: {actual:g} of {due:g} due; last year {last:g}",
                               evidence=tuple(o.event_id for o in inputs.observations))


def small_service(database_url: str, **options):
    """A scoring service on `database_url` with these plug-ins, SMALL_SCHEME adopted as version 1."""
    from jixiao.scoring.bootstrap import build_service

    service = build_service(database_url, IndicatorHost.from_plugins([AmountVsPlan(), Awards()], timeout_s=None), **options)
    service.adopt_scheme(SMALL_SCHEME, 1, "sha256:test")
    return service
