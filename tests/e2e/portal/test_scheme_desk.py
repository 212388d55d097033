"""The scheme at the office's desk (/office/schemes/…) in a real browser, against a real
registry, scoring and gateway: the office edits a unit's English name and a dimension's
weight in forms generated from the declared format, sees the problem on the overview and
next to the field, has a negative weight refused (nothing stored), fixes the weight, previews
the difference from the published version (exactly the name), publishes with a reason;
uploads a targets spreadsheet; exports the document as YAML and imports it back (same
digest). The module runs its own small platform with the riverside-2027 scheme (no events:
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


def shoot(page, name: str) -> None:
    if SCREENSHOTS is not None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


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
