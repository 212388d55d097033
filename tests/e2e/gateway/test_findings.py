"""The anomaly checks' findings (疑点) through the JSON API, over real sockets (every
answer checked against openapi.yaml): only the office lists and marks them, bad
input is 400 naming the field, and a period with an open high-severity finding is
published only after the office marks it or with a reason to override.

The statistics bureau reports 青山区's investment as 10 亿元 in January and 80 in
February: eight times the month before, a high-severity jump (环比突变) in February."""
from __future__ import annotations

import pytest
from gateway_kit import SCHEME

API = f"/api/v1/schemes/{SCHEME}"
FINDINGS = f"{API}/findings"


@pytest.fixture(scope="module")
def jump(platform):
    rows = "U-R01,fixed_asset_investment,10,CNY_100M,2026-01\nU-R01,fixed_asset_investment,80,CNY_100M,2026-02\n"
    reply = platform.http.upload("v.csv", ("unit_id,metric_code,value,measurement_unit,period\n" + rows).encode(),
                                 platform.tokens.feed)
    assert reply.status == 200, reply.body
    january, february = (e["event_id"] for e in reply.body["events"])
    platform.scored("U-R01", "2026-01", january)
    platform.scored("U-R01", "2026-02", february)
    return january, february


def test_the_checks_run_as_events_are_stored(platform, jump):
    """Before anyone lists the findings, scoring has checked the new figures (every second here)."""
    scoring = next(p for p in platform.processes if p.module == "jixiao.scoring")
    line = f"anomaly checks of scheme {SCHEME}: "
    platform.wait_for(lambda: line in scoring.stderr(), what="a refresh of the findings after the upload")
    listed = platform.http.get(FINDINGS, token=platform.tokens.office).body
    assert any(f["kind"] == "jump" and f["period"] == "2026-02" for f in listed["findings"])
    # Benford's test of each source's amounts, whatever its outcome: two amounts are too few to judge
    [stats] = [t for t in listed["benford_tests"] if t["source"] == "stats_bureau"]
    assert (stats["period"], stats["status"], stats["count"]) == ("2026", "not_enough_data", 2), stats
    assert "too few" in stats["reason_en"] and "p_value" not in stats


def test_only_the_office_reads_and_marks_findings(platform, jump):
    assert platform.http.get(FINDINGS).status == 401
    assert platform.http.post(f"{FINDINGS}/x", json_body={"state": "confirmed"}).status == 401
    for token in (platform.tokens.feed, platform.tokens.reader, platform.tokens.department, platform.unit_token):
        listed = platform.http.get(FINDINGS, token=token)
        assert listed.status == 403 and "office" in listed.body["error"]["message"], listed.body
        assert platform.http.post(f"{FINDINGS}/x", token=token, json_body={"state": "confirmed"}).status == 403


@pytest.mark.parametrize("query, field", [("state=closed", "'state'"), ("min_severity=urgent", "'min_severity'"),
                                          ("period=2026-13", "period:"), ("period=2025-Q1", "period:"),
                                          ("page_size=501", "page_size:"), ("page_token=nonsense", "page_token:")])
def test_bad_filters_are_400_naming_the_parameter(platform, jump, query, field):
    reply = platform.http.get(f"{FINDINGS}?{query}", token=platform.tokens.office)
    assert reply.status == 400 and reply.error == "invalid_argument" and field in reply.body["error"]["message"], reply.body


def test_the_office_marks_the_jump_and_then_publishes_february(platform, jump):
    office, http = platform.tokens.office, platform.http
    january, february = jump
    listed = http.get(f"{FINDINGS}?period=2026-Q1", token=office)
    assert listed.status == 200 and listed.headers["Cache-Control"] == "private, no-store", listed.body
    [found] = [f for f in listed.body["findings"] if f["kind"] == "jump"]
    assert (found["severity"], found["unit_id"], found["unit_name_zh"], found["metric_code"], found["period"]) == (
        "high", "U-R01", "青山区", "fixed_asset_investment", "2026-02")
    assert found["evidence_event_ids"] == sorted([january, february]) and found["state"] == "open" and found["found_now"]
    assert found["kind_name_zh"] == "环比突变" and found["numbers"]["factor"] == 8.0 and found["marks"] == []
    assert listed.body["open_high"] >= 1 and listed.body["checked_at"].endswith("Z")
    assert found["key"] not in {f["key"] for f in http.get(f"{FINDINGS}?period=2026-01", token=office).body["findings"]}
    assert http.get(f"{FINDINGS}?period=2026-02&state=confirmed", token=office).body["findings"] == []
    assert found["key"] in {f["key"] for f in http.get(f"{FINDINGS}?min_severity=high", token=office).body["findings"]}

    # February cannot be published while the jump is open
    for action in ("lock", "approve"):
        assert http.post(f"{API}/periods/2026-02/{action}", token=office, json_body={"reason": "审核"}).status == 200
    refused = http.post(f"{API}/periods/2026-02/publish", token=office, json_body={"reason": "公示"})
    assert refused.status == 409 and refused.error == "failed_precondition", refused.body
    assert "open high-severity finding" in refused.body["error"]["message"] and found["key"] in refused.body["error"]["message"]
    wrong = http.post(f"{API}/periods/2026-Q1/lock", token=office, json_body={"override_findings_reason": "x"})
    assert wrong.status == 400 and wrong.body["error"]["message"].startswith("override_findings_reason:"), wrong.body

    # the first quarter is published over the finding, with the office's reason kept
    for action in ("lock", "approve"):
        assert http.post(f"{API}/periods/2026-Q1/{action}", token=office).status == 200
    overridden = http.post(f"{API}/periods/2026-Q1/publish", token=office,
                           json_body={"reason": "公示", "override_findings_reason": "考核委员会决定先行公示一季度"})
    assert overridden.status == 200 and overridden.body["state"] == "published", overridden.body
    assert overridden.body["reason"].startswith("公示; published with") and found["key"] in overridden.body["reason"]
    assert overridden.body["reason"].endswith(": 考核委员会决定先行公示一季度")

    # marks: what a mark must carry
    mark = f"{FINDINGS}/{found['key']}"
    for body, field in (({"comment": "x"}, "state:"), ({"state": "open", "comment": "x"}, "state:"),
                        ({"state": "explained"}, "comment:"), ({"state": "false_alarm", "comment": "  "}, "comment:"),
                        ({"state": "explained", "comment": 5}, "comment:"),
                        ({"state": "explained", "comment": "x" * 2001}, "comment:")):
        reply = http.post(mark, token=office, json_body=body)
        assert reply.status == 400 and reply.body["error"]["message"].startswith(field), (body, reply.body)
    assert http.post(mark, token=office, data=b"not json", content_type="application/json").status == 400
    missing = http.post(f"{FINDINGS}/0123456789abcdef", token=office, json_body={"state": "confirmed"})
    assert missing.status == 404 and missing.error == "not_found"

    marked = http.post(mark, token=office, json_body={"state": "explained", "comment": "重大项目集中入库，单位已提供说明"})
    assert marked.status == 200, marked.body
    assert (marked.body["state"], marked.body["marked_by"], marked.body["comment"]) == (
        "explained", "考核办", "重大项目集中入库，单位已提供说明")
    assert [(m["state_before"], m["state_after"], m["actor"]) for m in marked.body["marks"]] == [
        ("open", "explained", "考核办")]
    published = http.post(f"{API}/periods/2026-02/publish", token=office, json_body={"reason": "公示"})
    assert published.status == 200 and published.body["reason"] == "公示", published.body
    again = http.get(f"{FINDINGS}?period=2026-02", token=office).body["findings"]
    assert [f["state"] for f in again if f["key"] == found["key"]] == ["explained"]
