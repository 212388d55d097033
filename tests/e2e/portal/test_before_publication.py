"""The portal while nothing is published: the public sees the message and
no figure of any period; the office signs in and previews every period,
with its charts drawn. Real services, real Chromium."""
from __future__ import annotations

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from jixiao.v1 import scoring_pb2

SCHEME = "jiangchuan-2026"

CATEGORIES = ("district_county", "comprehensive", "economic", "social", "enforcement", "mass_org")
PERIODS = ("2026-01", "2026-03", "2026-06", "2026-09", "2026-Q1", "2026-Q2", "2026-Q3", "2026")


def scored_totals(portal) -> set[str]:
    """Every unit total of every scored period, as the pages would print it."""
    shown = set()
    for period in PERIODS:
        for category in CATEGORIES:
            shown |= {f"{total:.2f}" for total in portal.totals(category, period).values()}
    return shown


def test_public_view_shows_no_unpublished_period(portal, open_page):
    figures = scored_totals(portal)
    assert len(figures) > 400  # the data is there, in scoring: 108 units × 8 periods (units at full marks share theirs)
    watched = open_page()
    for path in ("/", "/?period=2026-Q2", "/?period=2026"):
        page = watched.goto(path)
        assert page.locator("#no-published h2").inner_text() == "暂无已发布的考核结果"
        assert page.locator("#no-published").is_visible()
        assert page.locator("ul.roster li").count() == 108  # the published scheme's units, without scores
        html = page.content()
        leaked = sorted(f for f in figures if f in html)
        assert not leaked, f"{path} shows figures of unpublished periods: {leaked[:10]}"
        assert page.locator("table").count() == 0 and page.locator("svg.chart").count() == 0
        assert "2026-Q2" not in page.locator("main").inner_text()
    for path in ("/units/U-R01?period=2026-Q2", "/units/U-R01", "/progress?period=2026-Q2", "/progress"):
        page = watched.goto(path, expect_status=404)
        assert page.locator("#error h1").inner_text() == "该考核期的结果尚未公示。"
        html = page.content()
        assert not [f for f in figures if f in html]
    watched.goto("/units/NO-SUCH-UNIT", expect_status=404)
    watched.check_clean()


def test_language_toggle_switches_and_is_remembered(open_page):
    watched = open_page()
    page = watched.goto("/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator(".brand a").inner_text() == "绩效考核公示"
    toggle = page.locator("#lang-toggle")
    assert toggle.inner_text() == "English" and toggle.get_attribute("lang") == "en"
    toggle.click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".brand a").inner_text() == "Performance evaluation results"
    assert page.locator("#no-published h2").inner_text() == "No published results yet"
    body = page.locator("body").inner_text()
    assert "暂无已发布" not in body and "考核对象" not in body
    roster = page.locator("ul.roster").first.text_content()  # inside a closed <details>
    assert "Qingshan District" in roster and "青山区" not in roster  # the units' names in English too
    # Remembered: another page opens in English without asking again.
    page = watched.goto("/office/login")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#login h1").inner_text() == "Evaluation office sign-in"
    assert page.locator("label[for=token]").inner_text() == "Office token"
    page.locator("#lang-toggle").click()
    page.wait_for_load_state()
    assert page.url.endswith("/office/login")  # back to the same page
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("#login h1").inner_text() == "考核办登录"
    watched.check_clean()


def test_office_sign_in_needs_an_office_token(portal, open_page):
    watched = open_page()
    page = watched.goto("/office/")  # not signed in: to the sign-in page, coming back afterwards
    assert "/office/login" in page.url
    for token in (portal.tokens.reader, portal.tokens.feed, "jx_not-a-token"):
        page.fill("#token", token)
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.click("#login-button")
        assert answer.value.status == 401
        assert page.locator("#login-problem").inner_text() == "令牌无效，或不是考核办令牌。"
    page.fill("#token", portal.tokens.office)
    page.click("#login-button")
    page.wait_for_url(f"{portal.url}/office/")
    assert page.locator("nav .who").inner_text().startswith("已登录：考核办")
    cookie = next(c for c in watched.context.cookies() if c["name"] == "jixiao_office")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    # Signing out ends the session: the desk asks to sign in again.
    page.click("nav .who button")
    page.wait_for_url(f"{portal.url}/")
    page = watched.goto("/office/")
    assert "/office/login" in page.url
    watched.check_clean()


def test_a_session_needs_an_office_token_on_every_request(portal, open_page):
    """A session cookie signed with the portal's key still needs a token the tokens file
    lists as the office's: the desk checks it on every request, not only at sign-in."""
    app = Flask("forger")
    app.secret_key = portal.secret_key
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    for token, admitted in ((portal.tokens.reader, False), ("jx_unknown", False), (portal.tokens.office, True)):
        watched = open_page()
        cookie = serializer.dumps({"office": {"token": token, "name": "someone"}})
        watched.context.add_cookies([{"name": "jixiao_office", "value": cookie, "url": portal.url}])
        page = watched.goto("/office/results?period=2026-Q2")
        assert ("/office/login" not in page.url) is admitted, token
        assert page.locator("#unpublished-banner").count() == (1 if admitted else 0)
        watched.check_clean()


def test_office_lists_every_period(portal, open_page, sign_in):
    watched = open_page()
    sign_in(watched, portal.tokens.office)
    page = watched.page
    rows = page.locator("#periods tbody tr")
    listed = portal.read("ListPeriods", scoring_pb2.ListPeriodsRequest(scheme_code=SCHEME, page_size=500)).periods
    assert [r.get_attribute("data-period") for r in rows.all()] == [p.period for p in listed]
    for p in listed:
        row = page.locator(f'#periods tr[data-period="{p.period}"]')
        assert row.get_attribute("data-state") == scoring_pb2.PeriodState.Name(p.state).removeprefix("PERIOD_STATE_")
    q3 = page.locator('#periods tr[data-period="2026-Q3"]')
    assert q3.locator(".state").inner_text() == "进行中"
    assert q3.locator("button[data-action]").all_inner_texts() == ["锁定"]
    watched.check_clean()


def test_office_preview_draws_the_charts(portal, open_page, sign_in):
    watched = open_page()
    sign_in(watched, portal.tokens.office)
    # The demo's offices grade the year only: a quarter says so instead of a chart.
    page = watched.goto("/office/results?period=2026-Q2")
    assert page.locator("#unpublished-banner").is_visible()
    for code, name in (("departments", "市直部门"), ("leaders", "领导干部")):
        figure = page.locator(f"#grade-chart-{code}")
        assert figure.locator("rect.bar").count() == 0
        assert figure.inner_text() == f"{name}：本期不评定等次（该规则只评定年度）"
    assert page.locator("#ranking-economic tbody .grade").count() == 0
    assert "等次" not in page.locator("#ranking-economic thead").inner_text()
    # The year: one bar per grade that has a count, its height following the count.
    page = watched.goto("/office/results?period=2026")
    for code in ("departments", "leaders"):
        grades = portal.read("GetGrades", scoring_pb2.GetGradesRequest(scheme_code=SCHEME, grading_code=code, period="2026"))
        counts = [c.count for c in grades.counts if c.count]
        figure = page.locator(f"#grade-chart-{code}")
        bars = figure.locator("rect.bar")
        assert bars.count() == len(counts) >= 3
        assert [int(t) for t in figure.locator("text.value").all_text_contents()] == counts
        heights = [bars.nth(i).bounding_box()["height"] for i in range(bars.count())]
        assert all(h > 0 for h in heights)
        assert heights.index(max(heights)) == counts.index(max(counts))
        assert figure.locator("svg > title").text_content().endswith("等次分布")
        pending = sum(len(tie.ids) for tie in grades.ties if not tie.resolved)
        assert figure.locator(".tie-note").count() == (1 if pending else 0)
        if pending:
            assert f"另有{pending}{'人' if code == 'leaders' else '个'}在等次分界处并列" in figure.locator(".tie-note").inner_text()
    # The rankings are the scoring service's, in rank order.
    page = watched.goto("/office/results?period=2026-Q2")
    for category in ("district_county", "economic"):
        expected = sorted(portal.totals(category, "2026-Q2").values(), reverse=True)
        shown = page.locator(f"#ranking-{category} td.total").all_inner_texts()
        assert shown == [f"{t:.2f}" for t in expected]
    # The unit page: dimension bars and the quarterly trend of the three scored quarters.
    page = watched.goto("/office/units/U-R03?period=2026-Q2")
    assert page.locator("#unit-name").inner_text() == "东湖区"
    # (民评 and 官评 are held at year end: a quarter draws work results and bonus and deductions only)
    assert page.locator("#dimensions rect.bar").count() == 2
    assert page.locator("#dimensions g.not-assessed").count() == 2
    mine = page.locator("#trend g.series.mine:not(.legend) circle.point")
    assert mine.count() == 3
    totals = [portal.totals("district_county", q)["U-R03"] for q in ("2026-Q1", "2026-Q2", "2026-Q3")]
    assert page.locator("#trend tbody tr td:nth-child(2)").all_inner_texts()[:3] == [f"{t:.2f}" for t in totals]
    box = page.locator("#trend svg").bounding_box()
    assert box["width"] > 200 and box["height"] > 100
    watched.check_clean()


@pytest.mark.parametrize("path", ["/", "/office/login"])
def test_public_pages_fit_a_phone(open_page, path):
    watched = open_page(width=375, height=812)
    page = watched.goto(path)
    assert page.locator('meta[name="viewport"]').get_attribute("content") == "width=device-width, initial-scale=1"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    watched.check_clean()


def test_office_pages_fit_a_phone(portal, open_page, sign_in):
    watched = open_page(width=375, height=812)
    sign_in(watched, portal.tokens.office)
    for path in ("/office/", "/office/results?period=2026-Q2", "/office/units/U-D023?period=2026-Q2",
                 "/office/progress?period=2026-Q2", "/office/ties?period=2026"):
        page = watched.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        for svg in page.locator("svg.chart:visible").all():
            assert svg.bounding_box()["width"] <= 375
    watched.check_clean()


def test_the_desk_locks_and_reopens_a_month(portal, open_page, sign_in):
    watched = open_page()
    sign_in(watched, portal.tokens.office)
    page = watched.page
    row = page.locator('#periods tr[data-period="2026-03"]')
    # A form without the session's CSRF token does nothing.
    forged = page.request.post(f"{portal.url}/office/periods/2026-03/lock", form={"scheme": SCHEME, "csrf": "forged"})
    assert forged.status == 400
    assert watched.goto("/office/").locator('#periods tr[data-period="2026-03"]').get_attribute("data-state") == "OPEN"
    row.locator('button[data-action="lock"]').click()
    page.wait_for_load_state()
    assert page.locator(".flash.ok").inner_text() == "2026年3月 已锁定。"
    assert row.get_attribute("data-state") == "LOCKED"
    assert row.locator("button[data-action]").all_inner_texts() == ["回溯复核", "审核通过", "重新开放"]
    row.locator("input[name=reason]").fill("补报3月信访数据")
    row.locator('button[data-action="reopen"]').click()
    page.wait_for_load_state()
    assert page.locator(".flash.ok").inner_text() == "2026年3月 已重新开放。"
    assert row.get_attribute("data-state") == "OPEN"
    state = [p for p in portal.read("ListPeriods", scoring_pb2.ListPeriodsRequest(scheme_code=SCHEME, page_size=500)).periods
             if p.period == "2026-03"][0]
    assert state.state == scoring_pb2.PERIOD_STATE_OPEN and state.reason == "补报3月信访数据"
    # Still nothing public.
    assert watched.goto("/").locator("#no-published").is_visible()
    watched.check_clean()


def test_the_desk_lists_the_ties_of_the_year_and_resolves_one(portal, open_page, sign_in):
    """The year (January to September so far) is graded; quarters and months are not. Leaders
    tied on the total, the personal evaluation and the unit's total across a grade boundary
    have no grade until the office decides, with a reason, on the desk."""
    ties = {code: list(portal.read("GetGrades", scoring_pb2.GetGradesRequest(
        scheme_code=SCHEME, grading_code=code, period="2026", page_size=1)).ties) for code in ("departments", "leaders")}
    pending = sum(1 for found in ties.values() for tie in found if not tie.resolved)
    watched = open_page()
    sign_in(watched, portal.tokens.office)
    page = watched.page
    year = page.locator('#periods tr[data-period="2026"] a.ties-link')
    assert year.get_attribute("data-ties") == str(pending)
    assert year.inner_text() == (f"并列待定 {pending}" if pending else "等次并列")
    assert page.locator('#periods tr[data-period="2026-Q2"] a.ties-link').count() == 0  # quarters are not graded
    year.click()
    page.wait_for_load_state()
    assert page.url.endswith("/office/ties?period=2026&scheme=" + SCHEME)
    assert page.locator("h1").inner_text().startswith("等次并列")
    for code, found in ties.items():
        articles = page.locator(f'#ties article.tie[data-grading="{code}"]')
        assert sorted(a.get_attribute("data-ids") for a in articles.all()) == sorted(",".join(t.ids) for t in found)
    assert watched.goto("/office/ties?period=2026-Q2").locator("#ties .no-ties").inner_text() == "本期不评定等次，没有等次并列。"
    assert ties["leaders"], "the demo's January–September year has leaders tied at a grade boundary to resolve"
    tie = ties["leaders"][0]
    page = watched.goto("/office/ties?period=2026")
    article = page.locator(f'#ties article.tie[data-ids="{",".join(tie.ids)}"]')
    assert article.locator("tbody tr").count() == len(tie.ids)
    assert "待确定" in article.locator("h3").inner_text() and "名额" in article.locator("h3").inner_text()
    # Grades that do not fill the tie's places are refused, with scoring's reason.
    for person in tie.ids:
        article.locator(f'select[name="grade-{person}"]').select_option(str(tie.grades[0]))
    article.locator("textarea[name=reason]").fill("全部定为较好等次")
    article.locator('button[data-action="resolve"]').click()
    page.wait_for_load_state()
    assert "操作未完成" in page.locator(".flash.error").inner_text() and "places" in page.locator(".flash.error").inner_text()
    # The office's decision: the places in the reverse of the listed order.
    chosen = dict(zip(reversed(tie.ids), [g for g, n in zip(tie.grades, tie.slots, strict=True) for _ in range(n)],
                      strict=True))
    article = page.locator(f'#ties article.tie[data-ids="{",".join(tie.ids)}"]')
    for person, grade in chosen.items():
        article.locator(f'select[name="grade-{person}"]').select_option(str(grade))
    article.locator("textarea[name=reason]").fill("经考核委员会研究，按年度重点工作完成情况确定")
    article.locator('button[data-action="resolve"]').click()
    page.wait_for_load_state()
    assert page.locator(".flash.ok").inner_text() == "已确定领导干部并列等次。"
    article = page.locator(f'#ties article.tie[data-ids="{",".join(tie.ids)}"]')
    assert "已确定" in article.locator("h3").inner_text() and "考核办" in article.locator("h3").inner_text()
    assert article.locator(".reason").inner_text() == "原因: 经考核委员会研究，按年度重点工作完成情况确定"
    after = [t for t in portal.read("GetGrades", scoring_pb2.GetGradesRequest(
        scheme_code=SCHEME, grading_code="leaders", period="2026", page_size=1)).ties if list(t.ids) == list(tie.ids)][0]
    assert after.resolved and dict(zip(after.ids, after.resolved_grades, strict=True)) == chosen
    assert after.resolved_by == "考核办" and after.reason == "经考核委员会研究，按年度重点工作完成情况确定"
    row = watched.goto("/office/").locator('#periods tr[data-period="2026"] a.ties-link')
    assert row.get_attribute("data-ties") == str(pending - 1)
    page = watched.goto("/office/ties?period=2026&lang=en")
    assert page.locator("h1").inner_text().startswith("Ties at grade boundaries")
    watched.check_clean()
