"""Assessment teams in the portal (docs/assessment-teams.md), in a real browser against a real
registry, scoring and gateway: the office forms a team on its round page (a unit of another
indicator refused, what was typed kept) and locks the roster; an assessor signs in on a 375 px
phone, sees only their team's units, a score over an item's maximum is refused next to its
input, a draft is saved, then submitted after a confirmation showing the total, and the page
is read-only; the other assessors submit (through the JSON API); the office closes the unit,
sees the team result and each assessor's total, replaces an assessor with a reason (both kept
on the roster), reads the leniency by category, and the unit's results explain the points by
roster position, never by an assessor's code. Its own small platform (one assessment-scored
indicator, no events); JIXIAO_SCREENSHOTS=<folder> keeps screenshots."""
from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path

import pytest
import yaml

from helpers import make_tokens
from helpers.assessment_platform import CODE, INDICATOR, SCHEME
from helpers.platform import start_platform
from jixiao.common.tokens_cli import append

from .conftest import Watched

SCREENSHOTS = Path(os.environ["JIXIAO_SCREENSHOTS"]) if os.environ.get("JIXIAO_SCREENSHOTS") else None
PERIOD = "2026-Q1"
ROUND = f"/office/assessments/{INDICATOR}/{PERIOD}?scheme={CODE}"


@pytest.fixture(scope="module")
def platform(broker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("assessment-teams")
    tokens = make_tokens(folder)
    running = start_platform(broker, folder, tokens=tokens,
                             scheme_text=yaml.safe_dump(SCHEME, allow_unicode=True, sort_keys=False),
                             env={"JIXIAO_PORTAL_SECRET_KEY": "assessment-tests", "JIXIAO_PLUGIN_TIMEOUT_SECONDS": "30"})
    running.assessors = {code: append(tokens.file, f"考评员{code}", "assessor", code) for code in ("A1", "A2", "A3", "A9")}
    try:
        yield running
    finally:
        running.stop_cleanly()


@pytest.fixture
def open_as(browser, platform):
    contexts = []

    def make(token: str, *, width: int = 1280, desk: str = "office") -> Watched:
        context = browser.new_context(viewport={"width": width, "height": 800}, device_scale_factor=1,
                                      locale="zh-CN", timezone_id="Asia/Shanghai")
        context.set_default_timeout(20_000)
        contexts.append(context)
        watched = Watched(context, platform.gateway_url)
        page = watched.goto(f"/{desk}/login")
        page.fill("#token", token)
        page.click("#login-button")
        page.wait_for_url(f"{platform.gateway_url}/{desk}/")
        return watched

    yield make
    for context in contexts:
        context.close()


def shoot(page, name: str) -> None:
    if SCREENSHOTS is not None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def api(platform, method: str, path: str, token: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(platform.gateway_url + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "the page scrolls sideways at 375 px"


def test_office_forms_assessor_scores_on_a_phone_office_closes_and_reads_leniency(platform, open_as, browser):
    office = open_as(platform.tokens.office)
    page = office.goto(ROUND)
    assert page.get_attribute("#round-state", "data-state") == "forming"
    page.fill("#team-code", "t1")
    page.fill("#team-name", "第一考核组")
    page.fill("#team-assessors", "A1, A2 A3")
    page.check("#team-form input[value='U1']")
    page.check("#team-form input[value='U3']")
    page.click("#team-save")
    page.wait_for_load_state()
    assert [li.get_attribute("data-assessor") for li in page.locator("[data-team='t1'] .roster li").all()] == [
        "A1", "A2", "A3"]
    page.click("#lock-button")
    page.wait_for_load_state()
    assert page.get_attribute("#round-state", "data-state") == "locked"
    assert page.locator("#team-form").count() == 0
    office.check_clean()

    # the public navigation links the assessors' sign-in and still fits a phone
    public = browser.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN")
    try:
        page = Watched(public, platform.gateway_url).goto("/")
        assert page.get_attribute("#nav-assessor-login", "href") == "/assessor/"
        fits_the_phone(page)
    finally:
        public.close()

    # the assessor, on a phone
    a1 = open_as(platform.assessors["A1"], width=375, desk="assessor")
    page = a1.page
    assert [li.get_attribute("data-unit") for li in page.locator(".my-units li").all()] == ["U1", "U3"]
    fits_the_phone(page)
    shoot(page, "assessor-home-375.png")
    page.click(".my-units li[data-unit='U1'] a")
    page.wait_for_load_state()
    assert "甲区" in page.inner_text("h1")
    page.fill("#points-targets", "61")
    page.fill("#basis-targets", "三项目标全部完成")
    page.fill("#points-records", "35")
    page.click("#save-button")
    page.wait_for_load_state()
    assert page.inner_text("#problem-targets").strip() == "61 超出 0 至 60 的范围。"
    assert page.get_attribute("#points-targets", "aria-invalid") == "true"
    assert page.input_value("#points-targets") == "61" and page.input_value("#basis-targets") == "三项目标全部完成"
    fits_the_phone(page)
    page.fill("#points-targets", "55")
    page.click("#save-button")
    page.wait_for_load_state()
    assert page.inner_text("#entry-state").strip() == "草稿已保存" and "草稿已保存。" in page.inner_text("main")
    page.click("#submit-button")
    page.wait_for_load_state()
    assert "90.00" in page.inner_text("#submit-box")
    shoot(page, "assessor-confirm-375.png")
    page.click("#submit-confirm")
    page.wait_for_load_state()
    assert page.locator("#score-form").count() == 0 and "90.00" in page.inner_text("#submitted")
    fits_the_phone(page)
    a1.check_clean()
    # another team's unit is not theirs
    a1.goto(f"/assessor/{INDICATOR}/{PERIOD}/U2?scheme={CODE}", expect_status=403)

    # the other assessors submit through the JSON API: 70 and 95 (trimmed mean of 90, 70, 95: 90)
    base = f"/api/v1/schemes/{CODE}/assessments/{INDICATOR}/{PERIOD}/units/U1/scores"
    for code, (targets, records) in (("A2", (40, 30)), ("A3", (60, 35))):
        api(platform, "PUT", base, platform.assessors[code], {"rows": [{"item": "targets", "points": targets},
                                                                        {"item": "records", "points": records}]})
        api(platform, "POST", base + "/submit", platform.assessors[code])

    page = office.goto(ROUND)
    row = page.locator("tr[data-unit='U1']")
    assert "已提交 3 / 3" in row.inner_text()
    row.locator(".close-button").click()
    page.wait_for_load_state()
    row = page.locator("tr[data-unit='U1']")
    assert row.locator(".team-result").inner_text().strip() == "90.00"
    assert "A1" in row.inner_text() and "95.00" in row.inner_text()  # the office's own view shows the codes
    shoot(page, "office-round-1280.png")

    # a replacement with a reason: both assessors stay on the roster
    page.click("[data-team='t1'] .replace-box summary")
    page.select_option("[data-team='t1'] select[name='assessor']", "A3")
    page.fill("[data-team='t1'] input[name='replacement']", "A9")
    page.fill("[data-team='t1'] textarea[name='reason']", "A3 与丙县存在利害关系，回避")
    page.click("[data-team='t1'] .replace-box button")
    page.wait_for_load_state()
    replaced = page.locator("[data-team='t1'] .roster li.replaced")
    assert replaced.get_attribute("data-assessor") == "A3" and "回避" in replaced.inner_text()
    assert "回避" in page.inner_text("#history")

    page.click("#leniency-link")
    page.wait_for_load_state()
    # A1: 90 − mean(70, 95) = 7.50; A2: 70 − 92.5 = −22.50; A3: 95 − 80 = 15.00 — all on a district
    assert page.locator("tr[data-assessor='A3'] .leniency").inner_text().strip() == "+15.00"
    assert page.locator("tr[data-assessor='A2'] td[data-category='district']").inner_text().startswith("-22.50")
    office.check_clean()

    # the office's list of rounds: the quarter's progress
    page = office.goto(f"/office/assessments?scheme={CODE}")
    entry = page.locator(f".sheet-entry[data-period='{PERIOD}']")
    assert entry.get_attribute("data-state") == "locked"
    # U1: A1 and A2 submitted, A9 (who replaced A3) not yet; U3: nobody yet. U1's closing stands meanwhile.
    assert "1个考核组" in entry.inner_text() and "评分已提交 2 / 6" in entry.inner_text()
    assert "已结束评分单位 1 / 2" in entry.inner_text()
    assert page.locator(".sheet-entry[data-period='2026-Q2']").get_attribute("data-state") == "forming"

    # the results explain the points by roster position, never by code
    page = office.goto(f"/office/units/U1?period={PERIOD}&scheme={CODE}")
    text = page.inner_text("main")
    assert "考评员1 90.00；考评员2 70.00；考评员3 95.00" in text, text[:3000]
    assert "A1" not in text and "A3" not in text
