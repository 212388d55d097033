"""Responsible departments' score sheets in the portal (docs/score-sheets.md), in a real browser
against a real registry, scoring and gateway: a department's scorer fills in and saves a sheet on
a 375 px phone (a value over the item's maximum is refused next to its input, what was typed
kept); the head signs it after a confirmation showing the digest; the signed sheet has no form
and a forged save is refused; the office returns it with a comment; the department corrects,
the head signs version 2; the office accepts, and the unit's results (the office's preview)
explain the indicator's points by item, signer and digest; a correction requested afterwards
waits for the office, which refuses it with a reason; late sheets are listed as late; a sheet
downloaded as CSV and uploaded with a bad row is refused naming the row and column, nothing
saved, and an XLSX upload fills the draft. The module runs its own small platform (one
sheet-scored indicator, two districts, no events); JIXIAO_SCREENSHOTS=<folder> keeps
screenshots of the pages at 375 and 1280 px."""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import grpc
import pytest
import yaml

from helpers import make_tokens
from helpers.platform import start_platform
from helpers.sheet_platform import CODE, DEPARTMENT, INDICATOR, SCHEME
from jixiao.common.auth import call_credentials
from jixiao.common.tokens_cli import append
from jixiao.v1 import scoring_pb2, scoring_pb2_grpc

from .conftest import Watched

SCREENSHOTS = Path(os.environ["JIXIAO_SCREENSHOTS"]) if os.environ.get("JIXIAO_SCREENSHOTS") else None


@pytest.fixture(scope="module")
def platform(broker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("score-sheets")
    tokens = make_tokens(folder)
    scorer = append(tokens.file, "纪委评分员", "department", DEPARTMENT)
    head = append(tokens.file, "纪委书记王明", "department_head", DEPARTMENT)
    running = start_platform(broker, folder, tokens=tokens,
                             scheme_text=yaml.safe_dump(SCHEME, allow_unicode=True, sort_keys=False),
                             env={"JIXIAO_PORTAL_SECRET_KEY": "score-sheet-tests", "JIXIAO_PLUGIN_TIMEOUT_SECONDS": "30"})
    running.scorer, running.head = scorer, head
    channel = grpc.insecure_channel(running.scoring_address)
    running.stub = scoring_pb2_grpc.ScoringServiceStub(channel)
    try:
        yield running
    finally:
        channel.close()
        running.stop_cleanly()


@pytest.fixture
def open_as(browser, platform):
    contexts = []

    def make(token: str, *, width: int = 1280, office: bool = False) -> Watched:
        context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=1,
                                      locale="zh-CN", timezone_id="Asia/Shanghai")
        context.set_default_timeout(20_000)
        contexts.append(context)
        watched = Watched(context, platform.gateway_url)
        desk = "office" if office else "department"
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


def sheet(platform, period: str):
    return platform.stub.GetScoreSheet(scoring_pb2.GetScoreSheetRequest(
        scheme_code=CODE, indicator_code=INDICATOR, period=period), timeout=30,
        metadata=call_credentials(platform.tokens.office))


def sheet_url(period: str, rest: str = "") -> str:
    return f"/department/sheets/{INDICATOR}/{period}{rest}?scheme={CODE}"


def fill(page, values: dict[tuple[int, int], tuple[str, str, str]]) -> None:
    for (u, i), (points, basis, evidence) in values.items():
        page.fill(f"#points-{u}-{i}", points)
        page.fill(f"#basis-{u}-{i}", basis)
        page.fill(f"#evidence-{u}-{i}", evidence)


def sign(platform, open_as, period: str) -> str:
    head = open_as(platform.head)
    page = head.goto(sheet_url(period))
    assert page.locator("#sheet-form").count() == 0  # the head signs, the scorers save
    page.click("#sign-button")
    shown = page.inner_text("#confirm-digest").strip()
    assert "冻结" in page.inner_text("#sign") or "frozen" in page.inner_text("#sign")
    page.click("#sign-confirm")
    page.wait_for_load_state()
    assert page.inner_text("#signed-digest").strip() == shown
    assert "纪委书记王明" in page.inner_text("#signature")
    head.check_clean()
    return shown


def test_fill_sign_return_correct_accept_and_explain(platform, open_as):
    period = "2026-Q1"
    scorer = open_as(platform.scorer, width=375)
    page = scorer.page
    entry = page.locator(f".sheet-entry[data-period='{period}']")
    assert entry.get_attribute("data-late") == "yes" and "逾期未报" in entry.inner_text()  # due 2026-04-10
    entry.locator("a").click()
    assert page.get_attribute("#sheet-facts", "data-state") == "not_started"
    # one card per unit, the item's maximum and rule shown; it fits a phone
    assert page.locator(".unit-card").count() == 2
    first = page.locator(".unit-card[data-unit='U1'] fieldset[data-item='responsibility']").inner_text()
    assert "满分40" in first or "最高40" in first, first
    assert "未按要求召开专题会议的，每次扣2分" in first
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    fill(page, {(0, 0): ("41", "少开一次专题会", "纪发〔2026〕1号"), (0, 1): ("60", "", ""),
                (1, 0): ("40", "", ""), (1, 1): ("50", "发生一起案件", "纪案〔2026〕7号")})
    page.click("#save-button")
    page.wait_for_load_state()
    problem = page.locator("fieldset[data-item='responsibility'] .field-problem").first.inner_text()
    assert "41" in problem and "40" in problem, problem
    assert page.input_value("#points-0-0") == "41" and page.input_value("#basis-1-1") == "发生一起案件"  # kept
    assert sheet(platform, period).state == "not_started"  # nothing saved
    page.fill("#points-0-0", "38")
    page.click("#save-button")
    page.wait_for_load_state()
    assert "已保存" in page.inner_text("main")
    assert page.input_value("#points-0-0") == "38"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shoot(page, "department-sheet-375.png")
    assert len(sheet(platform, period).rows) == 4

    digest = sign(platform, open_as, period)
    assert sheet(platform, period).digest == digest

    # frozen: no form, a correction instead; a forged save is refused
    page = scorer.goto(sheet_url(period))
    assert page.locator("#sheet-form").count() == 0 and page.locator("#correction-button").count() == 1
    csrf = page.get_attribute("#correction input[name='csrf']", "value")
    forged = scorer.context.request.post(platform.gateway_url + sheet_url(period, "/save"), form={
        "csrf": csrf, "points-0-0": "10", "points-0-1": "10", "points-1-0": "10", "points-1-1": "10"})
    assert forged.status == 400 and "frozen" in forged.text()
    assert sorted(r.points for r in sheet(platform, period).rows) == [38, 40, 50, 60]

    # the office returns it with a comment
    office = open_as(platform.tokens.office, office=True)
    page = office.goto("/office/sheets")
    entry = page.locator(f".sheet-entry[data-period='{period}']")
    assert entry.get_attribute("data-state") == "submitted" and entry.get_attribute("data-late") == "yes"
    assert "纪委书记王明" in entry.inner_text()
    entry.locator("a").click()
    assert digest in page.inner_text("#signed-digest")
    page.click("#return-button")  # without a comment: refused, said at the top
    page.wait_for_load_state()
    assert "评语" in page.inner_text("#sheet-problems") or "comment" in page.inner_text("#sheet-problems")
    page.fill("#review-comment", "乙区案件数需核实")
    page.click("#return-button")
    page.wait_for_load_state()
    assert page.get_attribute("#sheet-facts", "data-state") == "returned"

    # the department corrects, the head signs version 2
    page = scorer.goto(sheet_url(period))
    assert "乙区案件数需核实" in page.inner_text("#return-comment")
    page.fill("#points-1-1", "45")
    page.click("#save-button")
    page.wait_for_load_state()
    assert page.get_attribute("#sheet-facts", "data-version") == "2"
    second = sign(platform, open_as, period)
    assert second != digest

    # the office accepts; the results explain the points down to the sheet
    page = office.goto(f"/office/sheets/{INDICATOR}/{period}?scheme={CODE}")
    assert [li.get_attribute("data-action") for li in page.locator("#history li").all()][:3] == [
        "submit", "save", "return"]
    shoot(page, "office-sheet-1280.png")
    page.click("#accept-button")
    page.wait_for_load_state()
    assert page.get_attribute("#sheet-facts", "data-state") == "accepted"
    page = office.goto(f"/office/units/U1?period={period}&scheme={CODE}")
    text = page.inner_text("main")
    assert "主体责任落实 38.00/40.00（少开一次专题会）" in text and "违纪违法案件 60.00/60.00" in text, text[:3000]
    assert "points = 100 x" not in text  # the Chinese half only
    assert f"签字人纪委书记王明，摘要{second[:12]}，第2版" in text
    page = office.goto(f"/office/units/U2?period={period}&scheme={CODE}")
    assert "违纪违法案件 45.00/60.00" in page.inner_text("main")

    # a correction requested afterwards waits for the office, which refuses it with a reason
    page = scorer.goto(sheet_url(period))
    page.fill("#correction-reason", "甲区专题会记录补录")
    page.click("#correction-button")
    page.wait_for_load_state()
    assert "甲区专题会记录补录" in page.inner_text("#pending-correction")
    page = office.goto("/office/sheets")
    assert page.locator(f".sheet-entry[data-period='{period}'] .correction-tag").count() == 1
    page = office.goto(f"/office/sheets/{INDICATOR}/{period}?scheme={CODE}")
    assert "甲区专题会记录补录" in page.inner_text("#decide-correction")
    page.click("#refuse-correction")  # no reason: refused
    page.wait_for_load_state()
    assert page.locator("#sheet-problems").count() == 1
    page.fill("#correction-decision-reason", "补录材料不影响得分")
    page.click("#refuse-correction")
    page.wait_for_load_state()
    history = page.inner_text("#history")
    assert "补录材料不影响得分" in history and "甲区专题会记录补录" in history and "乙区案件数需核实" in history
    shoot(page, "office-sheet-history-1280.png")
    phone = open_as(platform.tokens.office, width=375, office=True)
    page = phone.goto(f"/office/sheets/{INDICATOR}/{period}?scheme={CODE}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shoot(page, "office-sheet-375.png")
    page = phone.goto("/office/sheets")
    shoot(page, "office-sheets-375.png")
    for watched in (scorer, office, phone):
        watched.check_clean()


def test_bulk_entry_by_spreadsheet(platform, open_as):
    period = "2026-Q2"
    scorer = open_as(platform.scorer)
    download = scorer.context.request.get(platform.gateway_url + sheet_url(period, "/sheet.csv"))
    assert download.status == 200
    lines = list(csv.reader(io.StringIO(download.body().decode("utf-8-sig"))))
    assert lines[0] == ["unit_id", "unit_name", "item", "item_name", "max_points", "points", "basis", "evidence_ref"]
    assert [(line[0], line[2], line[4]) for line in lines[1:]] == [
        ("U1", "responsibility", "40.0"), ("U1", "cases", "60.0"), ("U2", "responsibility", "40.0"), ("U2", "cases", "60.0")]
    filled = [lines[0]] + [line[:5] + [points, "依据", ""] for line, points in zip(lines[1:], ["36", "70", "40", "60"], strict=True)]
    out = io.StringIO()
    csv.writer(out).writerows(filled)
    page = scorer.goto(sheet_url(period))
    page.set_input_files("#upload-file", files=[{"name": "sheet.csv", "mimeType": "text/csv",
                                                 "buffer": out.getvalue().encode("utf-8")}])
    page.click("#upload-button")
    page.wait_for_load_state()
    row = page.locator("#upload-problems tr[data-row='3']").inner_text()
    assert "points (F)" in row and "70" in row, row
    assert sheet(platform, period).state == "not_started"  # nothing half-saved
    shoot(page, "department-upload-refused-1280.png")

    from openpyxl import Workbook
    book = Workbook()
    for line in [lines[0]] + [line[:5] + [points, "依据", "文号"] for line, points in zip(lines[1:], [36, 55, 40, 60], strict=True)]:
        book.active.append(line)
    content = io.BytesIO()
    book.save(content)
    page.set_input_files("#upload-file", files=[{
        "name": "sheet.xlsx", "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "buffer": content.getvalue()}])
    page.click("#upload-button")
    page.wait_for_load_state()
    assert "4" in page.inner_text(".flash.ok")
    stored = sheet(platform, period)
    assert stored.state == "draft" and sorted(r.points for r in stored.rows) == [36, 40, 55, 60]
    assert page.input_value("#points-0-1") == "55"
    xlsx = scorer.context.request.get(platform.gateway_url + sheet_url(period, "/sheet.xlsx"))
    assert xlsx.status == 200 and xlsx.body()[:2] == b"PK"
    shoot(page, "department-sheet-1280.png")
    scorer.check_clean()


def test_only_a_departments_tokens_sign_in_and_only_its_sheets(platform, browser, open_as):
    context = browser.new_context(locale="zh-CN")
    try:
        watched = Watched(context, platform.gateway_url)
        page = watched.goto("/department/login")
        page.fill("#token", platform.tokens.feed)
        page.click("#login-button")
        assert "feed" in page.inner_text("#login-problem")
        page.fill("#token", platform.tokens.office)
        page.click("#login-button")
        assert "office" in page.inner_text("#login-problem")
        assert watched.goto(sheet_url("2026-Q3")).url.startswith(platform.gateway_url + "/department/login")
    finally:
        context.close()
    # another department signs in but sees none of these sheets
    other = open_as(platform.tokens.department)
    assert other.page.locator("#no-sheets").count() == 1
    other.goto(sheet_url("2026-Q3"), expect_status=404)
    # the head's listing: late sheets marked, the year's not yet due
    head = open_as(platform.head, width=375)
    page = head.goto(f"/department/?scheme={CODE}")
    assert page.get_attribute(".sheet-entry[data-period='2026-Q3']", "data-late") == "yes"
    assert page.get_attribute(".sheet-entry[data-period='2026']", "data-late") == "no"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shoot(page, "department-sheets-375.png")
    english = head.goto(f"/department/?scheme={CODE}&lang=en")
    assert "Overdue, not submitted" in english.inner_text(".sheet-entry[data-period='2026-Q3']")
