"""The office's review of the anomaly checks' findings (疑点复核) on the desk, in a real
browser: the desk's period list counts the open findings of each period, the findings
page lists them (severity, unit, metric, period, message, evidence, state) in both
languages with a form per row, a mark needs a comment where it should and is kept
with who and when, and a publication refused for an open high-severity finding says
so and offers the reason to publish anyway.

Its own platform: the demo city's January–October events (September's scored demo and October on top) — October carries the demo's
injected fabrication of 江川广播电视台 (U-D061), 28 complaints handled on time of 22
received — and one more figure that breaks a rule in August: 市委编办 (U-D010)
reports 3 more complaints resolved, 12 of 10 received."""
from __future__ import annotations

import pytest

from helpers import DEMO_SCHEME
from jixiao.embedded import demo_feed
from jixiao.v1 import scoring_pb2

from .conftest import LAST_MONTH as SCORED_UNTIL
from .conftest import SCHEME, copy_scored_demo, start_platform, stop_platform

LAST_MONTH = "2026-10"
EXTRA = {"event_id": "findings-test-U-D010-2026-08-resolved", "source": "petition_bureau", "unit_id": "U-D010",
         "metric_code": "complaints_resolved", "value": 3.0, "measurement_unit": "count", "period": "2026-08"}


@pytest.fixture(scope="module")
def portal(broker, scored_demo, tmp_path_factory):
    events = [e for e in demo_feed.demo_event_dicts() if SCORED_UNTIL < e["period"][:7] <= LAST_MONTH] + [EXTRA]
    running = start_platform(broker, copy_scored_demo(scored_demo, tmp_path_factory.mktemp("findings")),
                             DEMO_SCHEME.read_text(encoding="utf-8"), events)
    yield running
    stop_platform(running)


def findings(portal, period: str, **filters) -> scoring_pb2.ListFindingsResponse:
    return portal.read("ListFindings", scoring_pb2.ListFindingsRequest(scheme_code=SCHEME, period=period, page_size=500,
                                                                      **filters))


def approve_over_grpc(portal, period: str) -> None:
    for method in ("LockPeriod", "ApprovePeriod"):
        portal.read(method, scoring_pb2.PeriodActionRequest(scheme_code=SCHEME, period=period, reason="审核"))


def test_the_desk_counts_the_open_findings_of_each_period(portal, open_page, sign_in):
    watched = open_page()
    sign_in(watched, portal.tokens.office)
    page = watched.page
    october = page.locator('#periods tr[data-period="2026-10"] a.findings-link')
    assert (october.get_attribute("data-open"), october.get_attribute("data-high")) == ("1", "1")
    assert october.inner_text() == "疑点待核 1"
    august = page.locator('#periods tr[data-period="2026-08"] a.findings-link')
    assert int(august.get_attribute("data-high")) >= 1
    september = page.locator('#periods tr[data-period="2026-09"] a.findings-link')
    assert september.get_attribute("data-open") == "0" and september.inner_text() == "疑点核查"
    year = page.locator('#periods tr[data-period="2026"] a.findings-link')
    expected = findings(portal, "2026", state="open", min_severity="medium")
    assert int(year.get_attribute("data-open")) == expected.total_size >= 3  # Benford's finding is about the year
    october.click()
    page.wait_for_load_state()
    assert page.url.endswith("/office/findings?period=2026-10&scheme=" + SCHEME)
    assert page.locator("h1").inner_text().startswith("疑点核查")
    watched.check_clean()


def confirm_publication(page, period_label: str) -> None:
    """The desk asks before publishing and says what becomes public; the office confirms."""
    page.wait_for_load_state()
    assert page.locator("#publish-question").inner_text() == f"公示{period_label}？"
    assert int(page.locator("#becomes-public").get_attribute("data-units")) > 0
    page.click("#confirm-publish")


def test_a_refused_publication_is_marked_explained_and_then_published(portal, open_page, sign_in):
    approve_over_grpc(portal, "2026-10")
    watched = open_page()
    sign_in(watched, portal.tokens.office)
    page = watched.page
    row = page.locator('#periods tr[data-period="2026-10"]')
    row.locator('button[data-action="publish"]').click()
    page.wait_for_load_state()
    page.click("#cancel-publish")  # asked, the office goes back: nothing is published
    page.wait_for_load_state()
    assert row.get_attribute("data-state") == "APPROVED"
    row.locator('button[data-action="publish"]').click()
    confirm_publication(page, "2026年10月")
    page.wait_for_load_state()
    assert page.locator(".flash.error").inner_text() == \
        "2026年10月 未公示：有1条高严重度疑点尚未核查。请先核查疑点，或填写理由后仍然公示。"
    assert row.get_attribute("data-state") == "APPROVED"
    assert row.locator("form.override textarea[name=override_findings_reason]").is_visible()
    row.locator("form.override a").click()
    page.wait_for_load_state()
    [finding] = [f for f in findings(portal, "2026-10").findings if f.severity == "high"]
    line = page.locator(f'#findings tr[data-key="{finding.key}"]')
    assert line.get_attribute("data-state") == "open"
    cells = [line.locator(selector).inner_text() for selector in ("td .severity", "th", "td code", "td.finding-period",
                                                                  "td.evidence", "td .finding-state")]
    assert cells == ["高", "江川广播电视台", "complaints_handled_on_time", "2026年10月", "2", "待核查"]
    message = line.locator("td.finding-message").inner_text()
    assert message.startswith("违反校验规则") and "按期办理信访件数不超过受理件数" in message and "28" in message
    # explained needs a comment: scoring refuses, the desk says why
    line.locator("select[name=state]").select_option("explained")
    line.locator('button[data-action="mark"]').click()
    page.wait_for_load_state()
    assert page.locator(".flash.error").inner_text().startswith("操作未完成：comment: is required")
    line = page.locator(f'#findings tr[data-key="{finding.key}"]')
    line.locator("select[name=state]").select_option("explained")
    line.locator("textarea[name=comment]").fill("电视台10月集中办结积压信访件，已提供台账说明")
    line.locator('button[data-action="mark"]').click()
    page.wait_for_load_state()
    assert page.locator(".flash.ok").inner_text() == "疑点已标注为“已说明”。"
    line = page.locator(f'#findings tr[data-key="{finding.key}"]')
    assert line.get_attribute("data-state") == "explained"
    assert line.locator("td .finding-state").inner_text() == "已说明"
    assert line.locator(".marked").inner_text().startswith("考核办，")
    assert line.locator(".reason").inner_text() == "原因: 电视台10月集中办结积压信访件，已提供台账说明"
    [marked] = [f for f in findings(portal, "2026-10").findings if f.key == finding.key]
    assert (marked.state, marked.marked_by, [m.state_after for m in marked.marks]) == ("explained", "考核办", ["explained"])
    # published now, as before
    page = watched.goto("/office/")
    row = page.locator('#periods tr[data-period="2026-10"]')
    row.locator('button[data-action="publish"]').click()
    confirm_publication(page, "2026年10月")
    page.wait_for_load_state()
    assert page.locator(".flash.ok").inner_text() == "2026年10月 已公示。"
    assert row.get_attribute("data-state") == "PUBLISHED"
    watched.check_clean()


def test_the_office_publishes_over_open_findings_with_a_reason(portal, open_page, sign_in):
    approve_over_grpc(portal, "2026-08")
    watched = open_page()
    sign_in(watched, portal.tokens.office)
    page = watched.page
    row = page.locator('#periods tr[data-period="2026-08"]')
    row.locator('button[data-action="publish"]').click()
    confirm_publication(page, "2026年8月")
    page.wait_for_load_state()
    open_high = findings(portal, "2026-08", state="open", min_severity="high").total_size
    assert page.locator(".flash.error").inner_text().startswith(f"2026年8月 未公示：有{open_high}条高严重度疑点尚未核查")
    row.locator("textarea[name=override_findings_reason]").fill("考核委员会决定先行公示，疑点另行核查")
    row.locator("button.override-button").click()
    page.wait_for_load_state()
    assert page.locator("#publish-form .reason").inner_text().endswith("考核委员会决定先行公示，疑点另行核查")
    confirm_publication(page, "2026年8月")
    page.wait_for_load_state()
    assert page.locator(".flash.ok").inner_text() == "2026年8月 已公示。"
    assert row.get_attribute("data-state") == "PUBLISHED" and row.locator("form.override").count() == 0
    state = [p for p in portal.read("ListPeriods", scoring_pb2.ListPeriodsRequest(scheme_code=SCHEME, page_size=500)).periods
             if p.period == "2026-08"][0]
    assert state.reason.endswith(": 考核委员会决定先行公示，疑点另行核查") and "open high-severity finding" in state.reason
    watched.check_clean()


def test_the_findings_page_in_english_and_on_a_phone(portal, open_page, sign_in):
    watched = open_page(width=375, height=812)
    sign_in(watched, portal.tokens.office)
    page = watched.goto("/office/findings?period=2026&lang=en")
    assert page.locator("h1").inner_text().startswith("Anomaly findings")
    reply = findings(portal, "2026")
    assert page.locator("#findings tbody tr").count() == reply.total_size
    benford = [f for f in reply.findings if f.kind == "benford"]
    assert benford, "the finance bureau's invented revenue parts depart from Benford's law"
    line = page.locator(f'#findings tr[data-key="{benford[0].key}"]')
    assert line.locator("td .severity").inner_text() == "High"
    assert "Benford" in line.locator("td.finding-message").inner_text()
    assert line.locator("th").inner_text() == "Municipal Finance Bureau"  # a Benford finding names its source
    # every source's Benford test, whatever its outcome
    tests = page.locator("#benford tr.benford-test")
    assert tests.count() == len(reply.benford_tests) >= 2
    finance = page.locator('#benford tr.benford-test[data-status="nonconforming"]')
    assert finance.locator("th").inner_text() == "Municipal Finance Bureau"
    assert finance.locator("td .state").inner_text() == "Departs (a finding)"
    statuses = {t.status for t in reply.benford_tests}
    assert statuses - {"nonconforming"}, "the demo's other sources conform, are not applicable or have too few amounts"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # the desk does not claim, as public pages do, to show only published results
    assert "not yet published; for the office only" in page.locator("footer").inner_text()
    public = watched.goto("/?lang=en")
    assert "approved for publication" in public.locator("footer").inner_text()
    watched.check_clean()
