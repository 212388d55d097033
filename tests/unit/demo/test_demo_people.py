"""The demo city's people (jixiao.demo.people): plausible, deterministic score sheets and
self-evaluations, within the scheme's rules."""
import pytest

from jixiao.demo import build_city, people


@pytest.fixture(scope="module")
def city():
    return build_city.build_city()


def test_every_unit_is_scored_on_every_item_within_its_maximum(city):
    for indicator in people.sheet_indicators(city):
        maxima = {item["code"]: item["max_points"] for item in indicator["generic"]["items"]}
        rows = people.sheet_rows(city, indicator, "2026-Q2")
        assert len(rows) == len(people.sheet_units(city, indicator["code"])) * len(maxima) == 108 * 3
        assert all(0 <= row["points"] <= maxima[row["item"]] for row in rows)
        deducted = [row for row in rows if row["points"] < maxima[row["item"]]]
        assert 0.1 < len(deducted) / len(rows) < 0.4  # most units lose nothing
        assert all(row["basis"] == "无扣分情形" and not row["evidence_ref"] for row in rows if row not in deducted)
        assert all(f"扣{maxima[row['item']] - row['points']:g}分" in row["basis"] and row["evidence_ref"] for row in deducted)
        assert rows == people.sheet_rows(city, indicator, "2026-Q2")  # the same every time
        assert rows != people.sheet_rows(city, indicator, "2026-Q3")


def test_self_scores_are_the_computed_points_or_more_at_most_100():
    computed = {"investment_completion": 90.0, "fiscal_revenue": 99.0, "key_projects": 60.0}
    scores = people.self_scores(computed, "U-R01")
    assert [s["indicator_code"] for s in scores] == sorted(computed)
    assert all(computed[s["indicator_code"]] <= s["points"] <= 100 and s["basis"] for s in scores)
    assert scores == people.self_scores(computed, "U-R01")
    gaps = [s["points"] - computed[s["indicator_code"]] for u in ("U-R01", "U-R02", "U-R03", "U-R04")
            for s in people.self_scores(computed, u)]
    assert any(g > 10 for g in gaps) and any(g == 0 for g in gaps)  # some flagged, some exact
