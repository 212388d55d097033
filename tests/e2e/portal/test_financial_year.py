"""The demo city on a financial year from April (scheme.year_start_month: 4), as an
office that keeps one would publish it: 2026 is April 2026 to March 2027, its second
quarter July to September. The portal names the periods so ('2026/27年度第二季度',
'Q2 FY 2026/27'), year-to-date results count from April ('4–9月累计完成投资…'), and the
public reads the published quarter's events. Real services, real Chromium (its own
platform: this module publishes the financial year's Q2)."""
from __future__ import annotations

import json
import urllib.request

import pytest
import yaml

from helpers import demo_document
from jixiao.common.auth import call_credentials
from jixiao.embedded import demo_feed
from jixiao.v1 import scoring_pb2

from .conftest import start_platform, stop_platform

SCHEME = "jiangchuan-2026"
QUARTER = "2026-Q2"  # July to September 2026
UNIT = "U-R03"
# The demo's milestones are calendar months; a financial year's plan is laid out by its quarters.
MILESTONES = {"2026-03": "2026-Q1", "2026-06": "2026-Q2", "2026-09": "2026-Q3", "2026-12": "2026-Q4"}


def financial_year_scheme() -> str:
    document = demo_document()
    document["scheme"]["year_start_month"] = 4
    for target in document["targets"]:
        for milestone in target.get("milestones", []):
            milestone["period"] = MILESTONES[milestone["period"]]
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module")
def portal(broker, tmp_path_factory):
    events = [e for e in demo_feed.demo_event_dicts() if "2026-04" <= e["period"][:7] <= "2026-09"]
    running = start_platform(broker, tmp_path_factory.mktemp("fiscal"), financial_year_scheme(), events)
    try:
        for method in ("LockPeriod", "ApprovePeriod", "PublishPeriod"):
            getattr(running.scoring, method)(scoring_pb2.PeriodActionRequest(
                scheme_code=SCHEME, period=QUARTER, reason="季度考核结果经审核公示"), timeout=60,
                metadata=call_credentials(running.tokens.office))
    except BaseException:
        running.close()
        running.platform.stop()  # no process left behind by a failed set-up
        raise
    yield running
    stop_platform(running)


def _get(portal, path: str) -> dict:
    with urllib.request.urlopen(f"{portal.url}{path}", timeout=30) as response:
        return json.loads(response.read())


def test_a_financial_quarter_is_scored_from_april(portal):
    score = portal.read("GetUnitScore", scoring_pb2.GetUnitScoreRequest(scheme_code=SCHEME, unit_id=UNIT, period=QUARTER))
    investment = next(r for r in score.indicators if r.indicator_code == "investment_completion")
    assert investment.explanation.startswith("4–9月累计完成投资"), investment.explanation
    assert investment.period_basis == "year_to_date"
    # A month of the quarter belongs to it: its events are public once the quarter is published.
    evidence = investment.evidence_event_ids[-1]
    event = _get(portal, f"/api/v1/events/{evidence}")
    assert event["period"][:7] in ("2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09")


def test_the_portal_names_the_financial_year(portal, open_page):
    watched = open_page()
    page = watched.goto(f"/?period={QUARTER}")
    assert "2026/27年度第二季度" in page.inner_text("body")
    unit = watched.goto(f"/units/{UNIT}?period={QUARTER}")
    text = unit.inner_text("body")
    assert "2026/27年度第二季度" in text and "4–9月累计完成投资" in text
    english = watched.goto(f"/units/{UNIT}?period={QUARTER}&lang=en").inner_text("body")
    assert "Q2 FY 2026/27" in english and "Apr–Sep" in english
    watched.check_clean()
