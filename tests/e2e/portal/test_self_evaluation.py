"""A unit's self-evaluation (自评) and work reports (述职报告) in the portal, in a real browser
against the demo city's scored January–September: the unit signs in at the departments' desk
with its own token on a phone, gives its own points per indicator with the basis (a bad number
refused next to its input, nothing saved), uploads its leadership team's report (a file that is
not what its name says refused); the office sees the gap beyond the tolerance flagged on its
self-evaluations page and on the unit page, beside the computed points, and downloads the
report exactly as uploaded."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from jixiao.common.tokens_cli import append
from jixiao.v1 import scoring_pb2

from .conftest import SCHEME

UNIT = "U-R01"
PERIOD = "2026-Q3"
PDF = b"%PDF-1.4\n% jixiao test report\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SCREENSHOTS = Path(os.environ["JIXIAO_SCREENSHOTS"]) if os.environ.get("JIXIAO_SCREENSHOTS") else None


def shoot(page, name: str) -> None:
    if SCREENSHOTS is not None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


@pytest.fixture(scope="module")
def unit_token(portal):
    return append(portal.tokens.file, "青山区考核联络员", "department", UNIT)


def computed_points(portal, indicator: str) -> float:
    score = portal.read("GetUnitScore", scoring_pb2.GetUnitScoreRequest(scheme_code=SCHEME, unit_id=UNIT, period=PERIOD))
    return next(r.points for r in score.indicators if r.indicator_code == indicator)


def sign_in_unit(watched, token: str) -> None:
    page = watched.goto("/department/login")
    page.fill("#token", token)
    page.click("#login-button")
    page.wait_for_url(f"{watched.base_url}/department/")


def test_a_unit_evaluates_itself_on_a_phone_and_the_office_sees_the_gap(portal, open_page, sign_in, unit_token,
                                                                          tmp_path):
    investment = computed_points(portal, "investment_completion")
    phone = open_page(width=375)
    sign_in_unit(phone, unit_token)
    page = phone.page
    assert page.locator("#own-unit h2").inner_text() == "本单位：青山区"
    page.click("#self-evaluation-link")
    page.select_option("#period-select", PERIOD)
    page.click("form.period-form button")
    card = page.locator('fieldset[data-indicator="investment_completion"]')
    assert f"计算得分：{investment:.2f}" in card.locator("legend").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # fits the phone

    card.locator("input").fill("abc")  # refused next to its input, nothing saved
    page.fill('input[name="total"]', "95")
    page.click("#self-save")
    assert card.locator(".field-problem").inner_text() == "请填写数字。"
    assert card.locator("input").get_attribute("aria-invalid") == "true"
    assert portal.read("GetUnitScore", scoring_pb2.GetUnitScoreRequest(
        scheme_code=SCHEME, unit_id=UNIT, period=PERIOD)).HasField("self_evaluation") is False

    mine = round(investment - 20 if investment > 50 else investment + 20, 2)  # 20 points off: beyond the 10 allowed
    card.locator("input").fill(f"{mine:g}")
    card.locator("textarea").fill("三季度新开工项目4个，在途投资已签约")
    page.fill('textarea[name="summary"]', "全面完成三季度目标任务")
    page.click("#self-save")
    assert page.locator(".flash.ok").inner_text() == "自评已保存。"
    assert page.locator('fieldset[data-indicator="investment_completion"] input').input_value() == f"{mine:g}"
    shoot(page, "unit-self-evaluation-375.png")

    page.set_input_files("#report-file", {"name": "青山区领导班子述职报告.exe", "mimeType": "application/octet-stream",
                                          "buffer": PDF})
    page.click("#report-upload")
    assert "must be a .pdf or .docx file" in page.locator(".flash.problem").inner_text()
    page.set_input_files("#report-file", {"name": "青山区领导班子述职报告.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.click("#report-upload")
    assert page.locator(".flash.ok").inner_text() == "青山区领导班子述职报告.pdf 已保存为第1版。"
    assert page.locator("#report-list li[data-person='']").count() == 1  # the team's, whatever else the module uploads
    phone.check_clean()

    office = open_page()
    sign_in(office, portal.tokens.office)
    desk = office.goto(f"/office/self-evaluations?period={PERIOD}")
    row = desk.locator(f'#self-evaluations tr[data-unit="{UNIT}"]')
    assert row.get_attribute("data-flagged") == "1" and "固定资产投资完成率" in row.inner_text()
    assert desk.locator("#missing-units a").count() > 50  # the other units have not evaluated themselves
    desk.click(f'#self-evaluations tr[data-unit="{UNIT}"] th a')
    scores = desk.locator('#self-scores tr[data-indicator="investment_completion"]')
    assert scores.get_attribute("data-flagged") == "yes" and "超出容许值" in scores.inner_text()
    assert "三季度新开工项目4个" in scores.inner_text()
    link = desk.locator("#work-reports a").first
    assert "青山区领导班子述职报告.pdf" in link.inner_text()
    download = office.context.request.get(office.base_url + link.get_attribute("href"))
    assert download.status == 200 and download.body() == PDF
    assert download.headers["x-content-sha256"] == hashlib.sha256(PDF).hexdigest()
    shoot(desk, "office-unit-self-evaluation-1280.png")
    office.check_clean()


def test_a_units_desk_is_its_own(portal, open_page, unit_token):
    """A department's scorer (not a unit) has no self-evaluation page; the unit's download of a
    report id that is not its own is 404."""
    watched = open_page()
    sign_in_unit(watched, portal.tokens.department)
    watched.goto(f"/department/self-evaluation?scheme={SCHEME}", expect_status=404)
    unit = open_page()
    sign_in_unit(unit, unit_token)
    unit.goto(f"/department/work-reports/987654?scheme={SCHEME}", expect_status=404)


def test_a_leaders_page_shows_the_evaluation_and_the_leaders_own_work_report(portal, open_page, sign_in, unit_token):
    """The unit uploads 刘永强's own report (P0001); the office opens him from the unit page's team
    table and sees his total, how it is made, the personal evaluation and the report beside it.
    The public has no page of an unpublished period."""
    phone = open_page(width=375)
    sign_in_unit(phone, unit_token)
    page = phone.goto(f"/department/self-evaluation?scheme={SCHEME}&period=2026")
    page.select_option("#report-person", "P0001")
    page.set_input_files("#report-file", {"name": "刘永强述职报告.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.click("#report-upload")
    assert page.locator(".flash.ok").inner_text() == "刘永强述职报告.pdf 已保存为第1版。"

    office = open_page()
    sign_in(office, portal.tokens.office)
    unit = office.goto(f"/office/units/{UNIT}?period=2026")
    unit.click("#team a:has-text('刘永强')")
    unit.wait_for_selector("#person-total")
    assert unit.locator("h1").inner_text() == "刘永强" and "青山区" in unit.locator(".crumbs").inner_text()
    score = portal.read("GetPersonScore", scoring_pb2.GetPersonScoreRequest(scheme_code=SCHEME, person_id="P0001",
                                                                          period="2026"))
    assert unit.locator("dd.big").inner_text() == f"{score.total:.2f}"
    assert unit.locator("#personal-explanation").inner_text()  # the raters' groups, or why there is none
    entries, token = [], ""
    while True:  # every leader's grade of the year, page by page
        grades = portal.read("GetGrades", scoring_pb2.GetGradesRequest(scheme_code=SCHEME, grading_code="leaders",
                                                                       period="2026", page_size=500, page_token=token))
        entries += grades.entries
        token = grades.next_page_token
        if not token:
            break
    mine = next(g for g in entries if g.person_id == "P0001")
    assert unit.locator("#person-grade").inner_text().startswith(f"{mine.grade_name_zh} 第{mine.rank}名")
    assert [a.inner_text() for a in unit.locator("#person-reports a").all()] == ["2026年度 · 刘永强述职报告.pdf"]
    shoot(unit, "office-leader-1280.png")
    office.check_clean()
    public = open_page()
    public.goto("/persons/P0001?period=2026", expect_status=404)
