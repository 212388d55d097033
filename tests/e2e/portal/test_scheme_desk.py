"""The scheme at the office's desk (/office/schemes/…) in a real browser, against a real
registry, scoring and gateway: the office edits a unit's English name and a dimension's
weight in forms generated from the declared format, sees the problem on the overview and
next to the field, has a negative weight refused (nothing stored), fixes the weight, previews
the difference from the published version (exactly the name), publishes with a reason;
uploads a targets spreadsheet; exports the document as YAML and imports it back (same
digest); adds a unit and edits the scheme record's progress_tolerance; deletes after a
confirmation page that lists what refers to the item (a category's units, assignments and
grading rule) and sees the dangling references the registry then names; adds generic
indicators with an unknown metric and a rank table longer than its category and finds each
problem next to the `generic` field with its path; searches, pages and filters 121 persons, on
a screen and a phone, with the help in Chinese (JIXIAO_SCREENSHOTS=<folder> keeps screenshots). The module runs its own small platform with the riverside-2027 scheme (no events:
the desk reads and writes the registry only)."""
from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import grpc
import pytest

from helpers.platform import start_platform
from jixiao.common.auth import call_credentials
from jixiao.v1 import registry_pb2, registry_pb2_grpc

from .conftest import Watched

CODE = "riverside-2027"
SCREENSHOTS = Path(os.environ.get("JIXIAO_SCREENSHOTS", "")) if os.environ.get("JIXIAO_SCREENSHOTS") else None


@pytest.fixture(scope="module")
def desk(broker, tmp_path_factory):
    text = (Path(__file__).resolve().parents[3] / "services/demo/src/jixiao/demo/data/riverside-2027.yaml").read_text(
        encoding="utf-8")
    running = start_platform(broker, tmp_path_factory.mktemp("scheme-desk"), scheme_text=text,
                             env={"JIXIAO_PORTAL_SECRET_KEY": "scheme-desk-tests"})
    channel = grpc.insecure_channel(running.registry_address)
    running.registry_stub = registry_pb2_grpc.RegistryServiceStub(channel)
    try:
        yield running
    finally:
        channel.close()
        running.stop_cleanly()


@pytest.fixture(scope="module")
def page(browser, desk):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    context.set_default_timeout(20_000)
    watched = Watched(context, desk.gateway_url)
    p = watched.goto("/office/login")
    p.fill("#token", desk.tokens.office)
    p.click("#login-button")
    p.wait_for_url(f"{desk.gateway_url}/office/")
    yield watched
    watched.check_clean()
    context.close()


def versions(desk) -> list:
    reply = desk.registry_stub.ListSchemeVersions(registry_pb2.ListSchemeVersionsRequest(code=CODE), timeout=30,
                                             metadata=call_credentials(desk.tokens.office))
    return sorted(reply.versions, key=lambda v: v.version)


def document(desk, version: int) -> dict:
    reply = desk.registry_stub.GetScheme(registry_pb2.GetSchemeRequest(code=CODE, version=version), timeout=30,
                                    metadata=call_credentials(desk.tokens.office))
    return json.loads(reply.document_json)


def draft_url(rest: str = "") -> str:
    return f"/office/schemes/{CODE}/draft{rest}"


def save(page, expect: str = "已保存为草稿"):
    page.click("#save-button")
    page.wait_for_load_state()
    assert expect in page.inner_text("main"), page.inner_text("main")[:2000]


def shoot(page, name: str, full_page: bool = True) -> None:
    if SCREENSHOTS is not None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)


def test_edit_check_preview_and_publish(desk, page):
    p = page.goto("/office/")
    p.click("#nav-scheme")
    p.click(f"text={CODE}")
    p.wait_for_url(f"{desk.gateway_url}{draft_url()}")
    assert p.get_attribute("#versions", "data-latest-status") == "published"
    first = versions(desk)[-1].version

    # a unit's English name: the first save makes the draft from the published version
    p = page.goto(draft_url("/units"))
    p.click("tr[data-key='D-NORTH'] >> text=D-NORTH")
    assert p.input_value("#f-name\\.zh") == "北区"
    p.fill("#f-name\\.en", "North District (renamed)")
    save(p)
    after_name = versions(desk)[-1]
    assert after_name.version == first + 1 and after_name.status == "draft"
    assert "desk: units[0] D-NORTH edited" in after_name.reason

    # a dimension's weight so that the weights no longer sum to 1
    p = page.goto(draft_url("/dimensions/0"))
    assert p.input_value("#f-weight") == "1"
    p.fill("#f-weight", "0.9")
    save(p)
    p = page.goto(draft_url())
    assert p.get_attribute("tr[data-section='dimensions']", "data-problems") == "1"
    problem = p.locator("#problems li[data-path='dimensions']")
    assert "sum to 0.9" in problem.inner_text()
    shoot(p, "scheme-desk-overview.png")
    problem.locator("a").click()
    p.wait_for_load_state()
    assert "sum to 0.9" in p.inner_text("#section-problems")
    p = page.goto(draft_url("/dimensions/0"))
    assert "sum to 0.9" in p.inner_text(".field[data-field='weight'] .field-problem")
    shoot(p, "scheme-desk-item.png")

    # a negative weight is refused by the registry: the message next to the field, nothing stored
    stored = len(versions(desk))
    p.fill("#f-weight", "-0.5")
    response_status = []
    p.on("response", lambda r: response_status.append(r.status) if r.request.method == "POST" else None)
    p.click("#save-button")
    p.wait_for_load_state()
    assert response_status and response_status[-1] == 400
    assert "未保存" in p.inner_text("main")
    assert "must be ≥ 0" in p.inner_text(".field[data-field='weight'] .field-problem")
    assert p.input_value("#f-weight") == "-0.5"  # what the office typed, to correct
    assert len(versions(desk)) == stored

    # fixed
    p = page.goto(draft_url("/dimensions/0"))
    p.fill("#f-weight", "1")
    save(p)
    p = page.goto(draft_url())
    assert p.get_attribute("#problems", "data-count") == "0"

    # the difference from the published version: exactly the name
    p.click("#preview-changes")
    p.wait_for_load_state()
    changes = p.locator("#changes li")
    assert changes.count() == 1
    assert changes.first.get_attribute("data-key") == "D-NORTH"
    assert changes.first.get_attribute("data-field") == "name.en"
    assert "North District (renamed)" in changes.first.inner_text()

    # publish with a reason
    p.click("#publish-link")
    p.wait_for_load_state()
    assert p.locator("#changes li").count() == 1
    p.fill("#publish-reason", "更正北区英文名称 / corrected North District's English name")
    p.click("#publish-button")
    p.wait_for_url(f"{desk.gateway_url}{draft_url()}")
    assert "已发布" in p.inner_text("main")
    latest = versions(desk)[-1]
    assert latest.status == "published" and latest.version == first + 3
    assert document(desk, latest.version)["units"][0]["name"]["en"] == "North District (renamed)"


def test_the_publication_keeps_who_published_and_why(desk):
    """The desk's reason is recorded with the office's name (its token's) on the published version."""
    published = [v for v in versions(desk) if v.status == "published"]
    first, latest = published[0], published[-1]
    reason = "更正北区英文名称 / corrected North District's English name"
    assert (latest.published_by, latest.publication_reason) == ("考核办", reason)
    assert (first.published_by, first.publication_reason) == ("考核办", "bootstrap: first publication")
    current = desk.registry_stub.GetScheme(registry_pb2.GetSchemeRequest(code=CODE), timeout=30,
                                           metadata=call_credentials(desk.tokens.office)).version
    assert (current.version, current.published_by, current.publication_reason) == (latest.version, "考核办", reason)


def csrf(p) -> str:
    return p.get_attribute("input[name=csrf]", "value")


def test_bad_input_is_shown_next_to_its_field(desk, page):
    stored = len(versions(desk))
    p = page.goto(draft_url("/targets/0"))
    p.fill("#f-milestones", "- period: [2027-06")
    p.click("#save-button")
    p.wait_for_load_state()
    assert "YAML" in p.inner_text(".field[data-field='milestones'] .field-problem")
    reply = page.context.request.post(page.base_url + draft_url("/dimensions/0"), form={
        "csrf": csrf(p), "base": str(versions(desk)[-1].version), "code": "work_results", "weight": "a lot"})
    assert reply.status == 400 and "不是数字" in reply.text() and "a lot" in reply.text()
    assert len(versions(desk)) == stored


def test_upload_a_targets_spreadsheet(desk, page):
    p = page.goto(draft_url("/targets"))
    exported = page.context.request.get(page.base_url + p.get_attribute("#download-csv", "href"))
    assert exported.status == 200
    rows = list(csv.DictReader(io.StringIO(exported.body().decode("utf-8-sig"))))
    rows[0]["value"] = "13.5"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    before = versions(desk)[-1].version
    p.set_input_files("#table-file", files=[{"name": "targets.csv", "mimeType": "text/csv",
                                             "buffer": out.getvalue().encode("utf-8")}])
    p.fill("#table-reason", "目标调整")
    p.click("#upload-button")
    p.wait_for_load_state()
    assert "已导入" in p.inner_text("main")
    latest = versions(desk)[-1]
    assert latest.version == before + 1 and latest.reason == "目标调整"
    assert document(desk, latest.version)["targets"][0]["value"] == 13.5

    # not a spreadsheet: said next to the upload, nothing stored
    p.set_input_files("#table-file", files=[{"name": "targets.xlsx", "mimeType": "application/octet-stream",
                                             "buffer": b"this is not a spreadsheet"}])
    p.click("#upload-button")
    p.wait_for_load_state()
    assert p.locator("#upload-problem").count() == 1
    assert versions(desk)[-1].version == latest.version


def test_export_yaml_and_import_it_back(desk, page):
    published = [v for v in versions(desk) if v.status == "published"][-1]
    p = page.goto(draft_url())
    exported = page.context.request.get(
        page.base_url + f"/office/schemes/{CODE}/document.yaml?version={published.version}")
    assert exported.status == 200 and "attachment" in exported.headers["content-disposition"]
    text = exported.text()
    assert text.startswith("format: jixiao.scheme/v1")
    p.set_input_files("#document-file", files=[{"name": "riverside.yaml", "mimeType": "application/yaml",
                                                "buffer": text.encode("utf-8")}])
    p.fill("#document-reason", "回到已发布版本")
    p.click("#document-import-button")
    p.wait_for_load_state()
    latest = versions(desk)[-1]
    assert latest.digest == published.digest and latest.reason == "回到已发布版本"
    assert latest.digest[:19] in p.inner_text("main")
    # and JSON, the same document
    as_json = page.context.request.get(page.base_url + f"/office/schemes/{CODE}/document.json?version={latest.version}")
    assert json.loads(as_json.text()) == document(desk, published.version)


def test_pages_fit_a_phone_and_read_in_english(desk, browser):
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN")
    try:
        watched = Watched(context, desk.gateway_url)
        p = watched.goto("/office/login")
        p.fill("#token", desk.tokens.office)
        p.click("#login-button")
        p.wait_for_url(f"{desk.gateway_url}/office/")
        for path in (draft_url(), draft_url("/units/0"), draft_url("/targets/0"), draft_url("/scheme")):
            p = watched.goto(path)
            assert p.evaluate("document.documentElement.scrollWidth") <= 375, path
        p = watched.goto(draft_url("/units/0") + "?lang=en")
        assert "Save to the draft" in p.inner_text("main") and "Units" in p.inner_text("main")
        watched.check_clean()
    finally:
        context.close()


def test_only_the_office_gets_in(desk, browser):
    context = browser.new_context()
    try:
        p = context.new_page()
        p.goto(desk.gateway_url + draft_url())
        assert "/office/login" in p.url
    finally:
        context.close()


# --- adding, record sections, deleting with confirmation ------------------------------------------


def test_add_a_unit_and_edit_the_schemes_progress_tolerance(desk, page):
    """The add form of a list section and a record section's form, end to end."""
    p = page.goto(draft_url("/units"))
    assert "新增被考核单位" in p.inner_text("#add-item")
    p.click("#add-item")
    p.wait_for_load_state()
    assert "新增被考核单位" in p.inner_text("h1")
    assert p.locator("#choices-category option[value='departments']").count() == 1  # the draft's categories offered
    p.fill("#f-id", "G-PARKS")
    p.fill("#f-name\\.zh", "园林局")
    p.fill("#f-name\\.en", "Parks Bureau")
    p.fill("#f-category", "departments")
    p.fill("#note", "新设园林局")
    save(p)
    assert p.input_value("#f-id") == "G-PARKS"  # the new item's own page
    latest = versions(desk)[-1]
    assert "units[12] G-PARKS added" in latest.reason and "新设园林局" in latest.reason
    assert document(desk, latest.version)["units"][-1] == {
        "id": "G-PARKS", "name": {"zh": "园林局", "en": "Parks Bureau"}, "category": "departments"}

    p = page.goto(draft_url("/scheme"))
    field = p.locator(".field[data-field='progress_tolerance']")
    assert "序时进度" in field.inner_text() and "预警" in field.inner_text()  # the help in Chinese
    assert p.input_value("#f-progress_tolerance") == "0.1"
    p.fill("#f-progress_tolerance", "0.15")
    save(p)
    assert p.input_value("#f-progress_tolerance") == "0.15"
    assert document(desk, versions(desk)[-1].version)["scheme"]["progress_tolerance"] == 0.15


def test_deleting_asks_first_and_says_what_refers_to_the_item(desk, page):
    # a unit nothing refers to: asked, then deleted
    p = page.goto(draft_url("/units"))
    p.locator("tr[data-key='G-PARKS'] [data-action=delete]").click()
    p.wait_for_load_state()
    assert "/units/12/delete" in p.url and p.locator("#no-references").count() == 1
    stored = len(versions(desk))
    # a POST without the confirmation deletes nothing (no JavaScript-only confirm to bypass)
    reply = page.context.request.post(page.base_url + draft_url("/units/12/delete"), form={
        "csrf": csrf(p), "base": str(versions(desk)[-1].version)}, max_redirects=0)
    assert reply.status == 302 and reply.headers["location"].endswith("/units/12/delete")
    assert len(versions(desk)) == stored
    p.click("#confirm-delete")
    p.wait_for_load_state()
    assert "已删除 G-PARKS" in p.inner_text("main")
    assert p.locator("tr[data-key='G-PARKS']").count() == 0

    # a category the departments use: the page lists the units, assignments and the grading rule
    p = page.goto(draft_url("/categories"))
    p.locator("tr[data-key='departments'] [data-action=delete]").click()
    p.wait_for_load_state()
    refs = p.locator("#references")
    assert "草稿的其他部分引用了它" in refs.inner_text()
    paths = [li.get_attribute("data-path") for li in p.locator("#references li[data-path]").all()]
    assert "units[6].category" in paths and "assignments[3].category" in paths and "grading[1].pool[0]" in paths
    assert "G-TRANSPORT" in p.inner_text("#references h3[data-section='units'] + ul")
    shoot(p, "scheme-desk-delete-confirm.png")
    # deleted anyway: the registry's check names each dangling reference, said at once
    p.click("#confirm-delete")
    p.wait_for_load_state()
    flashes = p.inner_text("main")
    assert "提到 departments" in flashes and "unknown category 'departments'" in flashes
    # and the category is added back (the add form again): no problem left
    p = page.goto(draft_url("/categories/new"))
    p.fill("#f-code", "departments")
    p.fill("#f-name\\.zh", "市直部门")
    p.fill("#f-name\\.en", "City departments")
    save(p)
    p = page.goto(draft_url())
    assert p.get_attribute("#problems", "data-count") == "0", p.inner_text("#problems")


# --- bad input: generic indicators -----------------------------------------------------------------


def add_indicator(page, code: str, name: str, generic: str):
    p = page.goto(draft_url("/indicators"))
    p.click("#add-item")
    p.wait_for_load_state()
    p.fill("#f-code", code)
    p.fill("#f-name\\.zh", name)
    p.fill("#f-generic", generic)
    save(p)
    return p


def test_a_generic_indicators_problems_are_next_to_its_generic_field(desk, page):
    p = page.goto(draft_url("/indicators/new"))
    generic = p.locator(".field[data-field='generic']")
    assert "通用指标" in generic.inner_text()  # the help in Chinese, and the formulas under it
    assert generic.locator("[data-formula='rank_points']").count() == 1

    p = add_indicator(page, "unknown_metric_rate", "未知数据项比率",
                      "formula: rate\nnumerator: no_such_metric\ndenominator: cases_received\ntarget: 0.9")
    index = len(document(desk, versions(desk)[-1].version)["indicators"]) - 1
    problem = p.locator(".field[data-field='generic'] .field-problem")
    assert f"indicators[{index}].generic.metric" not in problem.first.inner_text()
    assert f"indicators[{index}].generic.numerator: unknown metric 'no_such_metric'" in problem.first.inner_text()

    p = add_indicator(page, "revenue_rank", "收入增速名次赋分",
                      "formula: rank_points\nmetric: cases_received\npoints_by_rank: [10, 9, 8, 7, 6, 5, 4, 3, 2]")
    rank_index = index + 1
    # assigned to the districts (6 units), its table of 9 ranks is too long
    p = page.goto(draft_url("/assignments/new"))
    p.fill("#f-category", "districts")
    p.fill("#f-dimension", "bonus_deductions")
    p.fill("#f-indicator", "revenue_rank")
    p.fill("#f-max_points", "10")
    save(p)
    p = page.goto(draft_url(f"/indicators/{rank_index}"))
    messages = p.inner_text(".field[data-field='generic']")
    assert (f"indicators[{rank_index}].generic.points_by_rank: has 9 ranks but category 'districts'"
            in messages), messages
    assert p.get_attribute("#f-assessed_in", "placeholder") == "月、季、年三种都考核"  # a default in words, in Chinese
    shoot(p, "scheme-desk-generic-problem.png")
    p = page.goto(draft_url("/indicators"))
    assert p.get_attribute(f"tr[data-key='revenue_rank']", "data-problems") != "0"


# --- a long section: search, pages, problems; Chinese help; screenshots ----------------------------


def test_a_long_section_is_searched_and_paged(desk, page, browser):
    p = page.goto(draft_url("/persons"))
    exported = page.context.request.get(page.base_url + p.get_attribute("#download-csv", "href"))
    header = next(csv.reader(io.StringIO(exported.body().decode("utf-8-sig"))))
    units = [u["id"] for u in document(desk, versions(desk)[-1].version)["units"]]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    surnames = "王李张刘陈杨黄赵吴周"
    for i in range(1, 121):
        writer.writerow({"id": f"P-{i:04d}", "name_zh": f"{surnames[i % 10]}{'明华强伟芳'[i % 5]}{i}",
                         "name_pinyin": f"Person {i}", "unit": units[i % len(units)],
                         "position_zh": "副局长", "position_en": "Deputy director", "rank": "副处"})
    p.set_input_files("#table-file", files=[{"name": "persons.csv", "mimeType": "text/csv",
                                             "buffer": out.getvalue().encode("utf-8")}])
    p.fill("#table-reason", "导入领导干部")
    p.click("#upload-button")
    p.wait_for_load_state()
    assert "已导入" in p.inner_text("main"), p.inner_text("main")[:1500]
    # one more with a unit that does not exist, through the add form: a problem to find
    p = page.goto(draft_url("/persons/new"))
    p.fill("#f-id", "P-0121")
    p.fill("#f-name_zh", "钱进")
    p.fill("#f-unit", "G-NOWHERE")
    save(p)

    p = page.goto(draft_url("/persons"))
    items = p.locator("#items")
    assert (items.get_attribute("data-count"), items.get_attribute("data-pages")) == ("121", "3")
    assert p.locator("#items tbody tr").count() == 50
    assert "共121项，当前显示第1—50项" in p.inner_text("#listing-count")
    assert "1项有问题" in p.inner_text("#items h2")
    assert "problems=1" in p.get_attribute("#problems-link", "href")
    shoot(p, "scheme-desk-section-1280.png")
    p.click("#pager [data-page='3']")
    p.wait_for_load_state()
    assert p.locator("#items tbody tr").count() == 21 and "page=3" in p.url
    # search, server-side, by id or name
    p.fill("#search", "p-0105")
    p.click("#search-button")
    p.wait_for_load_state()
    assert "q=p-0105" in p.url and p.locator("#items tbody tr").count() == 1
    assert p.get_attribute("#items tbody tr", "data-key") == "P-0105"
    p = page.goto(draft_url("/persons") + "?q=" + "王")
    assert p.get_attribute("#items", "data-matched") == "12"
    # only the items with problems, with the registry's message
    p = page.goto(draft_url("/persons"))
    p.check("#only-problems")
    p.click("#search-button")
    p.wait_for_load_state()
    assert p.locator("#items tbody tr").count() == 1
    row = p.locator("#items tbody tr")
    assert row.get_attribute("data-key") == "P-0121" and "unknown unit 'G-NOWHERE'" in row.inner_text()

    # the same on a phone, in Chinese: nothing scrolls sideways; and the item page's help
    context = browser.new_context(viewport={"width": 375, "height": 800}, device_scale_factor=1, locale="zh-CN")
    try:
        phone = Watched(context, desk.gateway_url)
        q = phone.goto("/office/login")
        q.fill("#token", desk.tokens.office)
        q.click("#login-button")
        q.wait_for_url(f"{desk.gateway_url}/office/")
        q = phone.goto(draft_url("/persons") + "?page=2")
        assert q.evaluate("document.documentElement.scrollWidth") <= 375
        assert q.locator("#pager").is_visible() and q.locator("#search").is_visible()
        shoot(q, "scheme-desk-section-375.png")
        shoot(q, "scheme-desk-section-375-top.png", full_page=False)
        q.locator("#pager").scroll_into_view_if_needed()
        shoot(q, "scheme-desk-section-375-pager.png", full_page=False)
        q = phone.goto(draft_url("/units/0"))
        assert q.evaluate("document.documentElement.scrollWidth") <= 375
        help_text = q.inner_text(".field[data-field='category'] .help")
        assert "单位所属的考核类别" in help_text and "单位 ID" not in help_text
        assert q.locator(".field[data-field='id'] .help span[lang=en]").count() == 0
        shoot(q, "scheme-desk-item-375.png")
        shoot(q, "scheme-desk-item-375-top.png", full_page=False)
        q = phone.goto(draft_url("/units/0") + "?lang=en")
        assert "The unit's peer group." in q.inner_text(".field[data-field='category'] .help")
        phone.check_clean()
    finally:
        context.close()
    p = page.goto(draft_url("/units/0"))
    shoot(p, "scheme-desk-item-1280.png")
