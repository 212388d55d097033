"""A metric's `expected`: how often every unit assigned an indicator consuming it
must report it (month, quarter or year); anything else is refused, naming the field."""
import copy

from helpers import demo_document
from jixiao.registry.domain import scheme as schemes

DEMO = demo_document()


def problems_of(document) -> list[str]:
    return [str(p) for p in schemes.validate(document)]


def test_the_demo_expects_its_monthly_feeds_and_year_end_surveys():
    expected = {m["code"]: m.get("expected") for m in DEMO["metrics"]}
    assert expected["fixed_asset_investment"] == expected["complaints_received"] == "month"
    assert expected["public_vote"] == expected["leadership_rating"] == "year"
    assert expected["funds_won_from_higher_levels"] is None  # grants arrive when they are won
    assert problems_of(DEMO) == []


def test_expected_must_be_a_month_a_quarter_or_a_year():
    document = copy.deepcopy(DEMO)
    document["metrics"][0]["expected"] = "week"
    document["metrics"][1]["expected"] = "quarter"
    assert problems_of(document) == [
        "metrics[0].expected: must be one of month, quarter, year, not 'week'"]


def test_expected_must_be_text():
    document = copy.deepcopy(DEMO)
    document["metrics"][2]["expected"] = 12
    assert problems_of(document) == ["metrics[2].expected: must be text, not a number"]
    document["metrics"][2]["expected"] = None
    assert "metrics[2].expected: must be text, not null" in problems_of(document)
