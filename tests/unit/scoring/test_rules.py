"""The pure scoring rules: totals and ranks."""
import pytest

from helpers.small_scheme import SMALL_SCHEME
from jixiao.scoring.domain.ranking import rank
from jixiao.scoring.domain.scheme_view import SchemeView
from jixiao.scoring.domain.totals import IndicatorOutcome, IndicatorScale, unit_total

SCALES = {"amount_vs_plan": IndicatorScale("score", 0, 100), "awards": IndicatorScale("bonus", 0, 2)}


def test_total_is_weighted_dimensions_plus_additive_points():
    scheme = SchemeView(SMALL_SCHEME, 1)
    total = unit_total(scheme, "U1", {"amount_vs_plan": IndicatorOutcome("ok", 80.0), "awards": IndicatorOutcome("ok", 2.0)}, SCALES)
    assert total.total == pytest.approx(83.0)
    assert [(d.dimension.code, d.score) for d in total.dimensions] == [("work", 80.0), ("bonus", 3.0)]


def test_failed_or_missing_results_add_nothing_and_vetoes_cap():
    scheme = SchemeView(SMALL_SCHEME, 1)
    outcomes = {"amount_vs_plan": IndicatorOutcome("failed", 99.0), "awards": IndicatorOutcome("ok", 0.0, 3, "重大安全事故")}
    total = unit_total(scheme, "U1", outcomes, SCALES)
    assert total.total == 0.0
    assert (total.veto_cap, total.veto_reasons) == (3, ("重大安全事故",))


def test_equal_totals_share_a_rank_and_are_listed_by_id():
    ranked = rank([("U3", 90.0), ("U1", 95.0), ("U2", 90.0), ("U4", 80.0)])
    assert [(r.rank, r.unit_id) for r in ranked] == [(1, "U1"), (2, "U2"), (2, "U3"), (4, "U4")]
    assert rank([("U2", 90.0), ("U3", 90.0), ("U1", 95.0), ("U4", 80.0)]) == ranked
