"""The portal after the office publishes: 2026-Q1 with the desk's buttons in
the browser (lock, approve, publish: scoring's real rpcs with the office's
token), 2026-Q2 over gRPC; 2026-Q3, its months and the year stay
unpublished. The public pages show the published quarters — ranked, and
saying that the demo's offices grade the year only —, charts, the unit
breakdown, the trend and the warnings, and nothing of the rest. Real
services, real Chromium."""
from __future__ import annotations

import re
import urllib.request
from dataclasses import dataclass

import pytest

from jixiao.common.auth import call_credentials
from jixiao.v1 import scoring_pb2

SCHEME = "jiangchuan-2026"
PUBLISHED = ("2026-Q2", "2026-Q1")  # newest first, as the period selector lists them
UNPUBLISHED = ("2026-Q3", "2026", "2026-09", "2026-06", "2026-03")
CATEGORIES = ("district_county", "comprehensive", "economic", "social", "enforcement", "mass_org")


def _state(portal, period: str) -> str:
    listed = portal.read("ListPeriods", scoring_pb2.ListPeriodsRequest(scheme_code=SCHEME, page_size=500)).periods
    found = [p for p in listed if p.period == period]
    return scoring_pb2.PeriodState.Name(found[0].state) if found else ""


@dataclass
class Published:
    portal: object
    before_q1: dict[str, str]  # public pages while only 2026-Q2 was published


def _publish_over_grpc(portal, period: str) -> None:
    metadata = call_credentials(portal.tokens.office)
    for method in ("LockPeriod", "ApprovePeriod", "PublishPeriod"):
        getattr(portal.scoring, method)(scoring_pb2.PeriodActionRequest(
            scheme_code=SCHEME, period=period, reason="季度考核结果经审核公示"), timeout=30, metadata=metadata)


def _public_html(portal, path: str) -> str:
    with urllib.request.urlopen(portal.url + path, timeout=30) as response:
        return response.read().decode("utf-8")


@pytest.fixture(scope="module")
def published(portal, browser) -> Published:
    """Publishes 2026-Q2 through scoring's rpcs, reads the public pages, then
    publishes 2026-Q1 through the office's desk in the browser."""
    _publish_over_grpc(portal, "2026-Q2")
    before_q1 = {path: _public_html(portal, path) for path in ("/", "/units/U-R03")}
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        page.goto(portal.url + "/office/login")
        page.fill("#token", portal.tokens.office)
        page.click("#login-button")
        page.wait_for_url(portal.url + "/office/")
        for action, label, state in (("lock", "锁定", "已锁定"), ("approve", "审核通过", "已审核"), ("publish", "公示", "已公示")):
            button = page.locator(f'#periods tr[data-period="2026-Q1"] button[data-action="{action}"]')
            assert button.inner_text() == label
            button.click()
            page.wait_for_load_state()
            if action == "publish":  # the desk asks first, saying what becomes public
                assert page.locator("#publish-question").inner_text() == "公示2026年第一季度？"
                assert "区县（市）" in page.locator("#becomes-public").inner_text()
                page.click("#confirm-publish")
                page.wait_for_load_state()
            flash = page.locator(".flash").first.inner_text()
            assert page.locator(".flash.ok").count() == 1, flash
            assert page.locator('#periods tr[data-period="2026-Q1"] .state').inner_text() == state
    finally:
        context.close()
    return Published(portal, before_q1)


def test_no_change_since_a_period_that_is_not_published(published):
    """While only 2026-Q2 was published, its change since 2026-Q1 would have told 2026-Q1's totals."""
    portal = published.portal
    home, unit = published.before_q1["/"], published.before_q1["/units/U-R03"]
    q1, q2 = portal.totals("district_county", "2026-Q1"), portal.totals("district_county", "2026-Q2")
    assert re.findall(r'<td class="num total">([\d.]+)</td>', home)[:9] == [f"{t:.2f}" for t in q2.values()]
    assert 'class="num delta"' not in home and "较上期" not in home and 'class="movers"' not in home
    assert 'value="2026-Q1"' not in home and "2026年第一季度" not in home
    assert "较上期" not in unit and 'class="comparisons"' not in unit
    assert f"{q1['U-R03']:.2f}" not in unit and f"{q2['U-R03'] - q1['U-R03']:+.2f}" not in unit
    assert len(re.findall(r'<circle class="point"', unit.split('id="trend"')[1].split("</section>")[0])) == 3 + 3
    # (one point per series for 2026-Q2, and the three legend marks)


def test_the_desk_published_with_the_office_token(published):
    portal = published.portal
    listed = {p.period: p for p in portal.read("ListPeriods", scoring_pb2.ListPeriodsRequest(
        scheme_code=SCHEME, page_size=500)).periods}
    for period in PUBLISHED:
        assert listed[period].state == scoring_pb2.PERIOD_STATE_PUBLISHED
        assert "考核办" in listed[period].published_by  # the office's token, not the gateway's
    for period in UNPUBLISHED:
        assert listed[period].state != scoring_pb2.PERIOD_STATE_PUBLISHED


def test_rankings_of_the_newest_published_period(published, open_page):
    portal = published.portal
    watched = open_page()
    page = watched.goto("/")
    assert page.locator("#no-published").count() == 0
    # Only the published periods can be chosen; the newest is shown.
    assert page.locator("#period-select option").evaluate_all("os => os.map(o => o.value)") == list(PUBLISHED)
    assert page.locator("#period-select").input_value() == "2026-Q2"
    assert page.locator("h1").inner_text().endswith("2026年第二季度")
    for category in CATEGORIES:
        ranking = portal.read("GetRanking", scoring_pb2.GetRankingRequest(scheme_code=SCHEME, category=category,
                                                                          period="2026-Q2", page_size=500)).entries
        rows = page.locator(f"#ranking-{category} tbody tr")
        assert [r.get_attribute("data-unit") for r in rows.all()] == [e.unit_id for e in ranking]
        assert page.locator(f"#ranking-{category} td.total").all_inner_texts() == [f"{e.total:.2f}" for e in ranking]
        # equal totals share a rank (1, 2, 2, 4)
        assert page.locator(f"#ranking-{category} tbody td.num:first-child").all_inner_texts() == [str(e.rank) for e in ranking]
        assert all(e.rank == 1 + sum(1 for o in ranking if o.total > e.total) for e in ranking)
        # quarters are ranked, not graded: no grade column, for departments as for districts
        assert page.locator(f"#ranking-{category} thead th").all_inner_texts()[:3] == ["名次", "单位", "得分"]
        assert "等次" not in page.locator(f"#ranking-{category} thead").inner_text()
        assert page.locator(f"#ranking-{category} tbody .grade").count() == 0
    # The change since 2026-Q1 is shown, because 2026-Q1 is published too.
    first_row = page.locator("#ranking-district_county tbody tr").first
    unit = first_row.get_attribute("data-unit")
    change = portal.totals("district_county", "2026-Q2")[unit] - portal.totals("district_county", "2026-Q1")[unit]
    assert first_row.locator("td.delta").inner_text().startswith(f"{change:+.2f}")
    watched.check_clean()


def test_published_quarters_say_they_are_not_graded(published, open_page):
    portal = published.portal
    watched = open_page()
    for period in PUBLISHED:
        page = watched.goto(f"/?period={period}")
        for code, name in (("departments", "市直部门"), ("leaders", "领导干部")):
            grades = portal.read("GetGrades", scoring_pb2.GetGradesRequest(scheme_code=SCHEME, grading_code=code, period=period))
            assert not grades.graded and not grades.counts
            figure = page.locator(f"#grade-chart-{code}")
            assert figure.locator("rect.bar").count() == 0
            assert figure.inner_text() == f"{name}：{grades.not_graded_reason_zh}" == f"{name}：本期不评定等次（该规则只评定年度）"
    page = watched.goto("/units/U-D023?period=2026-Q1")
    assert page.locator("#grade-note").inner_text() == "本期不评定等次（该规则只评定年度）"
    assert page.locator("#summary .grade").count() == 0
    watched.check_clean()


def test_public_pages_never_show_an_unpublished_period(published, open_page):
    portal = published.portal
    hidden = {f"{t:.2f}" for period in ("2026-Q3", "2026") for c in CATEGORIES for t in portal.totals(c, period).values()}
    shown_ok = set()
    for period in PUBLISHED:
        for category in CATEGORIES:
            totals = portal.totals(category, period)
            shown_ok |= {f"{t:.2f}" for t in totals.values()} | {f"{sum(totals.values()) / len(totals):.2f}"}
    watched = open_page()
    for path in ("/", "/?period=2026-Q1", "/units/U-R03", "/units/U-D023?period=2026-Q1", "/progress"):
        page = watched.goto(path)
        text = page.locator("main").inner_text().replace("江川市2026年度综合绩效考核方案", "")  # the scheme's name
        assert not re.search(r"2026-Q3|2026年第三季度|2026年度|2026年9月", text), path
        # Every total on the page (and peer average in the trend) is a published one.
        totals = set(page.locator("td.total, #unit-total, #trend tbody td").all_inner_texts()) - {"—"}
        assert (totals or path == "/progress") and totals <= shown_ok, f"{path}: {sorted(totals - shown_ok)[:5]}"
        assert not (totals & (hidden - shown_ok))
    for period in UNPUBLISHED:
        for path in (f"/?period={period}", f"/units/U-R03?period={period}", f"/progress?period={period}"):
            page = watched.goto(path, expect_status=404)
            assert page.locator("#error h1").inner_text() == "该考核期的结果尚未公示。"
            html = page.content()
            assert not [f for f in hidden if f in html]
    watched.check_clean()


def test_unit_page_breakdown_trend_and_progress(published, open_page):
    portal = published.portal
    score = portal.read("GetUnitScore", scoring_pb2.GetUnitScoreRequest(scheme_code=SCHEME, unit_id="U-R03", period="2026-Q2"))
    watched = open_page()
    page = watched.goto("/")
    page.locator('#ranking-district_county a:text-is("东湖区")').click()
    page.wait_for_load_state()
    assert page.url.endswith("/units/U-R03?period=2026-Q2")
    assert page.locator("#unit-name").inner_text() == "东湖区"
    assert page.locator("#unit-total").inner_text() == f"{score.total:.2f}"
    assert page.locator("#summary").inner_text().count(f"第{score.rank}名（共9个）") == 1
    # Dimension breakdown: a row per dimension, a bar per dimension assessed in the quarter
    # (民评 and 官评 are held at year end: no bar, no score, and the total says what it counts).
    assert len(score.dimensions) == 4
    assert page.locator("#dimensions rect.bar").count() == sum(d.assessed for d in score.dimensions)
    assert page.locator("#dimensions g.not-assessed").count() == sum(not d.assessed for d in score.dimensions)
    assert page.locator("#total-basis").count() == score.partial
    assert page.locator("#dimensions tbody th").all_inner_texts() == [d.name_zh for d in score.dimensions]
    # Every indicator with its Chinese explanation, and the formula.
    articles = page.locator("#indicators article.indicator")
    assert articles.count() == len(score.indicators)
    for result in score.indicators:
        article = page.locator(f"#indicator-{result.indicator_code}")
        assert article.locator(".explanation").inner_text() == result.explanation.split(" / ")[0]
        assert article.locator(".formula").text_content() == result.formula
    # The trend: the two published quarters only, against the peer group.
    for series in ("mine", "mean", "best"):
        assert page.locator(f"#trend g.series.{series}:not(.legend) circle.point").count() == 2
    assert page.locator("#trend tbody th").all_inner_texts() == ["2026年第一季度", "2026年第二季度"]
    q1, q2 = (portal.totals("district_county", q) for q in ("2026-Q1", "2026-Q2"))
    expected = [[f"{q['U-R03']:.2f}", f"{sum(q.values()) / len(q):.2f}", f"{max(q.values()):.2f}"] for q in (q1, q2)]
    rows = page.locator("#trend tbody tr")
    assert [r.locator("td").all_inner_texts() for r in rows.all()] == expected
    assert page.locator("#summary .comparisons").inner_text() == f"较上期 2026年第一季度 {q2['U-R03'] - q1['U-R03']:+.2f}"
    # 东湖区 lags its investment plan: the warning is on its page.
    progress = portal.read("GetProgress", scoring_pb2.GetProgressRequest(scheme_code=SCHEME, period="2026-Q2", page_size=500))
    mine = [e for e in progress.entries if e.unit_id == "U-R03"]
    assert page.locator("#unit-progress tbody tr").count() == len(mine)
    assert page.locator("#unit-progress tr.warning").count() == sum(e.warning for e in mine) >= 1
    assert "固定资产投资完成率 预警" in page.locator("#unit-progress tr.warning").first.inner_text()
    watched.check_clean()


def test_progress_page_lists_the_warnings(published, open_page):
    portal = published.portal
    warnings = portal.read("GetProgress", scoring_pb2.GetProgressRequest(scheme_code=SCHEME, period="2026-Q1",
                                                                        warnings_only=True, page_size=500)).entries
    watched = open_page()
    page = watched.goto("/?period=2026-Q1")
    assert page.locator("#warnings-summary p").inner_text().startswith(f"本期有{len(warnings)}项进度预警。")
    page.locator("#warnings-summary a").click()
    page.wait_for_load_state()
    assert "/progress?period=2026-Q1&warnings=1" in page.url
    rows = page.locator("#progress tbody tr")
    assert rows.count() == len(warnings) > 0
    assert page.locator("#progress tbody tr.warning").count() == len(warnings)
    assert sorted(r.get_attribute("data-unit") for r in rows.all()) == sorted(e.unit_id for e in warnings)
    watched.check_clean()


def test_language_toggle_on_the_results(published, open_page):
    portal = published.portal
    watched = open_page()
    page = watched.goto("/units/U-R02")
    assert page.locator("#unit-name").inner_text() == "江滨区"
    page.locator("#lang-toggle").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith("/units/U-R02")
    assert page.locator("#unit-name").inner_text() == "Jiangbin District"
    assert page.locator("#dim-h").inner_text() == "Dimension scores"
    assert page.locator("#dimensions tbody th").all_inner_texts() == ["Work results", "Public evaluation",
                                                                      "Leadership evaluation", "Bonus and deductions"]
    score = portal.read("GetUnitScore", scoring_pb2.GetUnitScoreRequest(scheme_code=SCHEME, unit_id="U-R02", period="2026-Q2"))
    first = score.indicators[0]
    assert page.locator(f"#indicator-{first.indicator_code} .explanation").inner_text() == first.explanation.split(" / ")[1]
    assert page.locator("#trend svg > title").text_content() == "Quarterly trend against peers"
    assert re.search(r"[\u4e00-\u9fff]", page.locator("main").inner_text().replace("江滨区", "")) is None
    page = watched.goto("/")  # remembered
    assert page.locator("#ranking-district_county h3").inner_text().startswith("Districts and counties")
    assert page.locator("#ranking-district_county thead").inner_text().split() == ["Rank", "Unit", "Score", "Change"]
    assert page.locator("#grade-chart-departments").inner_text() == (
        "Municipal departments: not graded in this period (this rule grades the year only)")
    watched.check_clean()


def test_results_read_on_a_phone(published, open_page):
    watched = open_page(width=375, height=812)
    for path in ("/", "/units/U-D023", "/units/U-R03?period=2026-Q1", "/progress", "/progress?warnings=1&lang=en"):
        page = watched.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        for svg in page.locator("svg.chart:visible").all():
            box = svg.bounding_box()
            assert 0 < box["width"] <= 375 and box["height"] > 0
    watched.check_clean()


def test_the_desk_rechecks_a_published_period(published, open_page, sign_in):
    portal = published.portal
    watched = open_page()
    sign_in(watched, portal.tokens.office)
    page = watched.page
    row = page.locator('#periods tr[data-period="2026-Q1"]')
    assert row.locator(".state").inner_text() == "已公示"
    assert row.locator("button[data-action]").all_inner_texts() == ["回溯复核"]  # published is final
    assert "公示: 考核办" in row.locator(".who-when").inner_text()  # the office token's name
    row.locator('button[data-action="recheck"]').click()
    page.wait_for_load_state()
    flash = page.locator(".flash.ok").inner_text(timeout=90_000)  # a recheck recomputes the quarter
    assert flash.startswith("2026年第一季度回溯复核一致：") and "与锁定时完全相同" in flash
    compared = int(re.search(r"：(\d+)项", flash).group(1))
    assert compared >= 108  # every unit's score (and the leaders')
    # The preview of an unpublished period says so; a published one does not.
    assert watched.goto("/office/results?period=2026-Q3").locator("#unpublished-banner").is_visible()
    assert watched.goto("/office/results?period=2026-Q1").locator("#unpublished-banner").count() == 0
    watched.check_clean()
