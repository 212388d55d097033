"""The bulletin page (通报) as an evaluation office prints it, and the desk's list
of missing figures (缺报). This module publishes 2026-Q2 and 2026-Q3 over gRPC,
then sends the demo's October events except one district's investment figure:
October has one gap, which the desk counts and lists and the office's preview
flags, while the published quarters have none. Real services, real Chromium
(its own platform)."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import eventually
from jixiao.common.auth import call_credentials
from jixiao.embedded import demo_feed
from jixiao.v1 import scoring_pb2

SCHEME = "jiangchuan-2026"
QUARTER = "2026-Q3"
SILENT = "U-R05"  # 南港区: its October investment figure is not sent
SILENT_METRIC = "fixed_asset_investment"
KEY_HEADERS = ["单位", "1–9月累计完成", "年计划", "占年计划", "序时进度", "快慢（百分点）", "排名", "名次变化",
               "较上期（百分点）", "同比"]


@dataclass
class Scene:
    portal: object
    report: scoring_pb2.Bulletin  # GetBulletin of 2026-Q3, as the office reads it


def _publish_over_grpc(portal, period: str) -> None:
    for method in ("LockPeriod", "ApprovePeriod", "PublishPeriod"):
        getattr(portal.scoring, method)(scoring_pb2.PeriodActionRequest(
            scheme_code=SCHEME, period=period, reason="季度考核结果经审核公示"), timeout=60,
            metadata=call_credentials(portal.tokens.office))


def _consumed(portal) -> tuple[int, int]:
    status = portal.read("GetIngestStatus", scoring_pb2.GetIngestStatusRequest())
    return status.events_stored + status.duplicates + status.rejected, status.pending_rescores


@pytest.fixture(scope="module")
def scene(portal) -> Scene:
    for quarter in ("2026-Q2", QUARTER):
        _publish_over_grpc(portal, quarter)
    before, _ = _consumed(portal)
    october = [e for e in demo_feed.demo_event_dicts() if e["period"][:7] == "2026-10"
               and not (e["unit_id"] == SILENT and e["metric_code"] == SILENT_METRIC)]
    assert demo_feed.publish(portal.bootstrap, portal.topic, october, lambda text: None, threading.Event(), portal.signer) == len(october)
    eventually(lambda: (lambda done, pending: done >= before + len(october) and pending == 0)(*_consumed(portal)), 120,
               f"scoring consuming the {len(october)} October events", interval=0.3)
    report = portal.read("GetBulletin", scoring_pb2.GetBulletinRequest(scheme_code=SCHEME, period=QUARTER))
    return Scene(portal, report)


def test_the_public_bulletin_of_a_quarter(scene, open_page, tmp_path):
    watched = open_page()
    page = watched.goto(f"/?period={QUARTER}")
    page.locator("header nav a", has_text="通报").click()  # linked from the navigation
    assert page.url.endswith(f"/bulletin?period={QUARTER}")
    assert page.locator("h1").inner_text() == "2026年第三季度考核通报"
    assert "较上期：与2026年第二季度通报比较。" in page.locator(".page-head").inner_text()
    districts = next(c for c in scene.report.categories if c.category == "district_county")
    section = page.locator("#bulletin-district_county")
    assert section.locator("h2").inner_text().startswith("1. 区县（市）")
    # The ranking, with each unit's move since the last bulletin; nothing is missing in a published quarter.
    rows = section.locator("table.bulletin-ranking tbody tr")
    assert [r.get_attribute("data-unit") for r in rows.all()] == [e.unit_id for e in districts.ranking]
    for e in districts.ranking:
        cells = section.locator(f'table.bulletin-ranking tr[data-unit="{e.unit_id}"] td').all_inner_texts()
        assert cells[0] == str(e.rank) and cells[1] == f"{e.total:.2f}" and cells[2] == f"{e.vs_previous:+.2f}"
        assert cells[3].startswith(f"{e.previous_rank} → {e.rank}")
    assert page.locator(".tag.incomplete").count() == 0
    # The key indicators: investment, revenue and funds won, with the schedule and the change since Q2.
    tables = section.locator(".key-indicator")
    assert [t.get_attribute("data-indicator") for t in tables.all()] == [k.indicator_code for k in districts.key_indicators] == [
        "investment_completion", "fiscal_revenue", "funds_from_higher_levels"]
    investment = section.locator('.key-indicator[data-indicator="investment_completion"]')
    assert investment.locator("h4").inner_text() == "1. 固定资产投资完成率 （亿元）"
    assert investment.locator("thead th").all_inner_texts() == KEY_HEADERS
    east_lake = investment.locator('tr[data-unit="U-R03"]')  # the demo's laggard: 72 % of its plan by December
    assert east_lake.locator("th").inner_text() == "东湖区"
    assert east_lake.locator("td").all_inner_texts()[:5] == ["105.30", "242.00", "43.5%", "70.0%", "慢26.5 预警"]
    row = next(r for r in districts.key_indicators[0].rows if r.unit_id == "U-R03")
    assert east_lake.locator("td.key-rank").inner_text() == str(row.rank)
    assert east_lake.locator("td.rank-move").inner_text().startswith(f"{row.previous_rank} → {row.rank}")
    assert east_lake.locator("td.since-last").inner_text() == f"{row.vs_previous_points:+.1f}"
    assert east_lake.locator("td.yoy").inner_text() == f"{row.vs_last_year * 100:+.1f}%"
    assert "warning" in east_lake.get_attribute("class")
    # The warnings of the category, in words.
    warnings = section.locator("ul.bulletin-warnings li").all_inner_texts()
    assert "东湖区固定资产投资完成率：完成43.5%，序时进度70.0%，落后26.5个百分点。" in warnings
    assert len(warnings) == sum(1 for w in scene.report.warnings if w.unit_id.startswith("U-R"))
    # Departments: the economic ones have funds won as their key indicator, the social ones none.
    assert page.locator('#bulletin-economic .key-indicator').count() == 1
    assert page.locator('#bulletin-social .key-indicator').count() == 0
    page.screenshot(path=str(tmp_path / "bulletin-2026-Q3.png"), full_page=True)
    assert (tmp_path / "bulletin-2026-Q3.png").stat().st_size > 50_000
    watched.check_clean()


def test_the_bulletin_prints_without_the_navigation(scene, open_page, tmp_path):
    watched = open_page(width=700)  # about the width of an A4 page inside its margins
    page = watched.goto(f"/bulletin?period={QUARTER}")
    page.emulate_media(media="print")
    assert not page.locator("header.site").is_visible() and not page.locator(".period-form").is_visible()
    assert not page.locator("footer").is_visible()
    assert page.locator("h1").is_visible() and page.locator("#bulletin-district_county table.key-table").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 700  # every column on the page
    page.pdf(path=str(tmp_path / "bulletin.pdf"), format="A4")
    assert Path(tmp_path / "bulletin.pdf").read_bytes()[:4] == b"%PDF"
    watched.check_clean()


def test_the_bulletin_in_english_and_on_a_phone(scene, open_page):
    watched = open_page(width=375, height=812)
    page = watched.goto(f"/bulletin?period={QUARTER}&lang=en")
    assert page.locator("h1").inner_text() == "Evaluation bulletin, Q3 2026"
    investment = page.locator('#bulletin-district_county .key-indicator[data-indicator="investment_completion"]')
    assert investment.locator("h4").inner_text() == "1. Fixed-asset investment completion (CNY 100M)"
    assert investment.locator("thead th").all_inner_texts()[:6] == [
        "Unit", "Done Jan–Sep", "Annual plan", "Of plan", "Schedule", "vs schedule (pts)"]
    assert investment.locator('tr[data-unit="U-R03"] td.ahead').inner_text() == "26.5 behind Warning"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # the tables scroll in their cards
    watched.check_clean()


def test_no_changes_against_a_bulletin_that_is_not_published(scene, open_page):
    watched = open_page()
    page = watched.goto("/bulletin?period=2026-Q2")  # 2026-Q1 is not published
    assert "上期（2026年第一季度）结果未公示，本通报不作比较。" in page.locator(".page-head").inner_text()
    assert "名次变化" not in page.locator("#bulletin-district_county").inner_text()
    assert page.locator("td.rank-move, td.since-last").count() == 0
    watched.goto("/bulletin?period=2026-10", expect_status=404)
    watched.check_clean()


def test_the_desk_counts_the_missing_figures_and_lists_them(scene, open_page, sign_in):
    watched = open_page()
    sign_in(watched, scene.portal.tokens.office)
    page = watched.page
    october = page.locator('#periods tr[data-period="2026-10"] a.gaps-link')
    assert october.inner_text() == "缺报 1" and october.get_attribute("data-gaps") == "1"
    assert page.locator('#periods tr[data-period="2026-Q4"] a.gaps-link').inner_text() == "缺报 1"
    for period in ("2026-Q3", "2026-09", "2026-Q2"):
        assert page.locator(f'#periods tr[data-period="{period}"] a.gaps-link').inner_text() == "数据完整", period
    october.click()
    assert "/office/completeness?period=2026-10" in page.url
    assert page.locator("#completeness").get_attribute("data-gaps") == "1"
    assert page.locator("#completeness > p").first.inner_text() == "应报450项，缺报1项，涉及1个单位。"
    [row] = page.locator("#completeness tbody tr").all()
    assert (row.get_attribute("data-unit"), row.get_attribute("data-metric")) == (SILENT, SILENT_METRIC)
    assert row.locator("td").all_inner_texts() == [SILENT_METRIC, "固定资产投资完成率", "市统计局", "2026年10月"]
    assert row.locator("th").inner_text() == "南港区"
    # The office's preview of October's bulletin flags the unit, and so does its ranking.
    page = watched.goto("/office/bulletin?period=2026-10")
    assert page.locator("#unpublished-banner").is_visible()
    tag = page.locator(f'#bulletin-district_county table.bulletin-ranking tr[data-unit="{SILENT}"] .tag.incomplete')
    assert tag.inner_text() == "缺报1项"
    investment = page.locator('#bulletin-district_county .key-indicator[data-indicator="investment_completion"]')
    assert investment.locator(f'tr[data-unit="{SILENT}"] .tag.incomplete').inner_text() == "缺报1项"
    assert investment.locator('tr[data-unit="U-R01"] .tag.incomplete').count() == 0
    assert "缺报：该单位有考核方案要求报送的数据尚未报送" in page.locator("#bulletin-district_county").inner_text()
    page = watched.goto("/office/results?period=2026-10")
    assert page.locator(f'#ranking-district_county tr[data-unit="{SILENT}"] .tag.incomplete').inner_text() == "缺报1项"
    page = watched.goto("/office/completeness?period=2026-Q3")
    assert page.locator("#completeness > p").first.inner_text() == "本期应报数据均已报送（1350项）。"
    watched.check_clean()
