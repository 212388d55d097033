"""Data reporting without Kafka: a feed uploads a spreadsheet or posts JSON,
the gateway checks every row and publishes MetricEvents to the real topic
(mock cluster), scoring stores and scores them; the same file twice adds
nothing."""
from __future__ import annotations

import io
from datetime import datetime

import pytest
from gateway_kit import SCHEME, Http
from openpyxl import Workbook

from helpers import ServiceProcess, free_port
from jixiao.common.readiness import http_ok

CSV = """unit_id,metric_code,value,measurement_unit,period,evidence_ref
U-R01,fixed_asset_investment,28.23,CNY_100M,{period},统计月报
U-R02,fixed_asset_investment,19.5,CNY_100M,{period},统计月报
"""


def csv_file(period: str, text: str = CSV) -> bytes:
    return text.format(period=period).encode("utf-8")


def settled(platform, before: dict, more: int) -> dict:
    """The ingest counters once `more` records beyond `before` are consumed."""
    total = before["events_stored"] + before["duplicates"] + before["rejected"] + more
    return platform.wait_for(lambda: (lambda now: now if now["events_stored"] + now["duplicates"] + now["rejected"] >= total
                                      else None)(platform.ingest()), what=f"{more} more records consumed")


def test_a_csv_upload_is_published_scored_and_the_same_file_again_adds_nothing(platform):
    before = platform.ingest()
    reply = platform.http.upload("投资月报.csv", csv_file("2026-03"), platform.tokens.feed)
    assert reply.status == 200, reply.body
    assert reply.headers["Cache-Control"] == "no-store"
    report = reply.body
    assert report["source"] == "stats_bureau" and report["rows"] == 2 and report["published"] == 2
    assert [e["row"] for e in report["events"]] == [2, 3]
    first = report["events"][0]["event_id"]
    score = platform.scored("U-R01", "2026-03", first)
    result = next(r for r in score["indicators"] if first in r["evidence_event_ids"])
    assert result["raw_value"] == pytest.approx(28.23)
    stored = platform.http.get(f"/api/v1/events/{first}", token=platform.tokens.office).body
    assert stored["source"] == "stats_bureau" and stored["evidence_ref"] == "统计月报" and stored["reported_at"]
    counts = settled(platform, before, 2)
    assert counts["events_stored"] == before["events_stored"] + 2

    again = platform.http.upload("投资月报.csv", csv_file("2026-03"), platform.tokens.feed)
    assert again.status == 200 and again.body["events"] == report["events"]
    after = settled(platform, counts, 2)
    assert after["events_stored"] == counts["events_stored"] and after["duplicates"] == counts["duplicates"] + 2


def test_identical_rows_of_one_file_are_distinct_events_and_a_feed_may_name_its_ids(platform):
    text = CSV + "U-R02,fixed_asset_investment,19.5,CNY_100M,{period},统计月报\n"
    ids = [e["event_id"] for e in platform.http.upload("v.csv", csv_file("2026-04", text), platform.tokens.feed,
                                                     "?dry_run=1").body["events"]]
    assert len(set(ids)) == 3
    own = "U-R01,fixed_asset_investment,1.5,CNY_100M,2026-04,,stats-2026-04-0001\n"
    reply = platform.http.upload("own.csv", ("unit_id,metric_code,value,measurement_unit,period,evidence_ref,event_id\n" + own).encode(),
                                 platform.tokens.feed, "?dry_run=1")
    assert reply.body["events"] == [{"row": 2, "event_id": "stats-2026-04-0001"}]


def test_a_dry_run_checks_and_publishes_nothing(platform):
    dry = platform.http.upload("v.csv", csv_file("2026-05"), platform.tokens.feed, "?dry_run=1")
    assert dry.status == 200 and dry.body["dry_run"] is True and dry.body["published"] == 0
    before = platform.ingest()
    real = platform.http.upload("v.csv", csv_file("2026-05"), platform.tokens.feed)
    assert real.body["events"] == dry.body["events"]
    after = settled(platform, before, 2)
    # Had the dry run published, these would be duplicates.
    assert after["events_stored"] == before["events_stored"] + 2 and after["duplicates"] == before["duplicates"]


def test_an_xlsx_upload_with_number_cells(platform):
    book = Workbook()
    sheet = book.active
    sheet.append(["unit_id", "metric_code", "value", "measurement_unit", "period", "observed_at"])
    sheet.append(["U-R03", "fixed_asset_investment", 7.25, "CNY_100M", "2026-06", datetime(2026, 6, 30, 17, 0)])
    sheet.append([])
    sheet.append(["U-R04", "fixed_asset_investment", 3, "CNY_100M", "2026-06", None])
    content = io.BytesIO()
    book.save(content)
    reply = platform.http.upload("values.xlsx", content.getvalue(), platform.tokens.feed)
    assert reply.status == 200, reply.body
    assert [e["row"] for e in reply.body["events"]] == [2, 4]
    score = platform.scored("U-R03", "2026-06", reply.body["events"][0]["event_id"])
    assert any(r["raw_value"] == pytest.approx(7.25) for r in score["indicators"])
    stored = platform.http.get(f"/api/v1/events/{reply.body['events'][0]['event_id']}", token=platform.tokens.office).body
    assert stored["observed_at"].startswith("2026-06-30T17:00:00+08:00")


def test_a_period_excel_turned_into_a_date_is_named(platform):
    book = Workbook()
    book.active.append(["unit_id", "metric_code", "value", "period"])
    book.active.append(["U-R03", "fixed_asset_investment", 1, datetime(2026, 3, 1)])
    content = io.BytesIO()
    book.save(content)
    reply = platform.http.upload("values.xlsx", content.getvalue(), platform.tokens.feed)
    assert reply.status == 422
    assert reply.body["problems"] == [{"row": 2, "field": "period", "message": reply.body["problems"][0]["message"]}]
    assert "format the column as text" in reply.body["problems"][0]["message"]


def test_a_far_away_cell_is_ignored_at_once_and_the_row_limit_counts_blank_rows(platform):
    """One cell at XFD50000 used to keep a gateway thread busy for minutes
    (jixiao.common.spreadsheets; the details are in tests/integration/common/test_spreadsheets.py)."""
    book = Workbook()
    book.active.append(["unit_id", "metric_code", "value", "measurement_unit", "period"])
    book.active.append(["U-R03", "fixed_asset_investment", 2.5, "CNY_100M", "2026-06"])
    book.active.cell(50_000, 16_384, "x")
    content = io.BytesIO()
    book.save(content)
    reply = platform.http.upload("values.xlsx", content.getvalue(), platform.tokens.feed, "?dry_run=1")
    assert reply.status == 200, reply.body
    assert reply.body["rows"] == 1 and [e["row"] for e in reply.body["events"]] == [2]
    book.active.cell(100_002, 1, "U-R03")  # past the 100,000 rows below the header
    content = io.BytesIO()
    book.save(content)
    refused = platform.http.upload("values.xlsx", content.getvalue(), platform.tokens.feed, "?dry_run=1")
    assert refused.status == 400
    assert refused.body["error"]["message"] == \
        "file: more than 100000 rows below the header, blank rows included; split the file or delete the blank rows"


def test_json_rows(platform):
    events = [{"unit_id": "U-R05", "metric_code": "fixed_asset_investment", "value": 4.5, "period": "2026-07",
               "measurement_unit": "CNY_100M", "source": "stats_bureau"}]
    reply = platform.http.post("/api/v1/uploads", json_body={"events": events}, token=platform.tokens.feed)
    assert reply.status == 200 and reply.body["events"][0]["row"] == 1
    platform.scored("U-R05", "2026-07", reply.body["events"][0]["event_id"])
    same = platform.http.post("/api/v1/uploads", json_body={"events": events}, token=platform.tokens.feed)
    assert same.body["events"] == reply.body["events"]


def test_bad_rows_are_reported_by_row_and_field_and_nothing_is_published(platform):
    text = """unit_id,metric_code,value,period,measurement_unit
U-R01,fixed_asset_investment,lots,2026-08,CNY_100M
U-NOPE,fixed_asset_investment,1,2026-08,CNY_100M
U-R01,general_budget_revenue,1,2026-08,CNY_100M
U-R01,fixed_asset_investment,1,2026-13,CNY_100M
U-R01,fixed_asset_investment,1,2031-01,CNY_100M
,fixed_asset_investment,1,2026-08,CNY_100M
U-R01,fixed_asset_investment,2,2026-08,CNY_100M
"""
    before = platform.ingest()
    reply = platform.http.upload("v.csv", text.encode(), platform.tokens.feed)
    assert reply.status == 422 and reply.error == "invalid_rows"
    assert reply.body["rows"] == 7
    problems = {(p["row"], p["field"]): p["message"] for p in reply.body["problems"]}
    assert set(problems) == {(2, "value"), (3, "unit_id"), (4, "metric_code"), (5, "period"), (6, "period"), (7, "unit_id")}
    assert "'lots' is not a number" in problems[(2, "value")]
    assert "not a unit of scheme jiangchuan-2026" in problems[(3, "unit_id")]
    assert "may not report 'general_budget_revenue'" in problems[(4, "metric_code")]
    assert "no published scheme covers the period 2031-01" in problems[(6, "period")]
    assert problems[(7, "unit_id")] == "is required"
    assert "6 of 7 rows have problems; nothing was published" in reply.body["error"]["message"]
    # Row 8 was good but not published: a later good upload is all that arrives.
    marker = platform.http.upload("m.csv", csv_file("2026-08"), platform.tokens.feed)
    platform.scored("U-R02", "2026-08", marker.body["events"][1]["event_id"])
    assert settled(platform, before, 2)["events_stored"] == before["events_stored"] + 2


def test_a_bad_header_is_row_one(platform):
    reply = platform.http.upload("v.csv", b"unit,metric_code,value\nU-R01,fixed_asset_investment,1\n", platform.tokens.feed)
    assert reply.status == 422
    fields = {(p["row"], p["field"]) for p in reply.body["problems"]}
    assert fields == {(1, "unit_id"), (1, "period"), (1, "unit")}


def test_a_feed_writing_as_another_source_is_forbidden_naming_the_row(platform):
    text = "source,unit_id,metric_code,value,period\nstats_bureau,U-R01,fixed_asset_investment,1,2026-09\n" \
           "finance_bureau,U-R01,general_budget_revenue,5,2026-09\n"
    reply = platform.http.upload("v.csv", text.encode(), platform.tokens.feed)
    assert reply.status == 403 and reply.error == "permission_denied"
    assert reply.body["error"]["message"] == "row 3, field source: a feed token of 'stats_bureau' may not report as 'finance_bureau'"
    assert {"row": 3, "field": "source", "message": "a feed token of 'stats_bureau' may not report as 'finance_bureau'"} in reply.body["problems"]


@pytest.mark.parametrize("role", ["office", "reader", "department"])
def test_only_a_feed_token_may_upload(platform, role):
    reply = platform.http.upload("v.csv", csv_file("2026-09"), getattr(platform.tokens, role))
    assert reply.status == 403 and reply.error == "permission_denied" and "feed" in reply.body["error"]["message"]
    assert platform.http.upload("v.csv", csv_file("2026-09"), "").status == 401
    assert platform.http.upload("v.csv", csv_file("2026-09"), "jx_not_a_token").status == 401


@pytest.mark.parametrize("name", ["../../etc/passwd.csv", "C:\\Users\\统计\\v.csv", "/tmp/v.csv", ".v.csv", "v.txt", "v"])
def test_path_like_or_foreign_file_names_are_refused(platform, name):
    reply = platform.http.upload(name, csv_file("2026-09"), platform.tokens.feed)
    assert reply.status == 400 and reply.body["error"]["message"].startswith("file: ")


def test_bodies_that_are_not_uploads(platform):
    big = platform.http.upload("v.csv", b"x" * (8 * 1024 * 1024 + 1), platform.tokens.feed)
    assert big.status == 413 and big.error == "payload_too_large"
    text = platform.http.post("/api/v1/uploads", data=b"unit_id\n", content_type="text/plain", token=platform.tokens.feed)
    assert text.status == 415
    assert platform.http.upload("v.csv", b"\xff\xfe\x00garbage", platform.tokens.feed).status == 400
    assert platform.http.upload("v.xlsx", b"not a workbook", platform.tokens.feed).body["error"]["message"] == \
        "file: the file is not an XLSX workbook"
    assert platform.http.upload("v.csv", b"", platform.tokens.feed).status == 400
    no_events = platform.http.post("/api/v1/uploads", json_body={"rows": []}, token=platform.tokens.feed)
    assert no_events.status == 400 and "events" in no_events.body["error"]["message"]
    shapes = platform.http.post("/api/v1/uploads", json_body={"events": [3, {"unit_id": "U-R01", "colour": "red"}]},
                                token=platform.tokens.feed)
    assert shapes.status == 422
    assert {(p["row"], p["field"]) for p in shapes.body["problems"]} >= {(1, ""), (2, "colour"), (2, "metric_code")}


def test_a_locked_period_takes_no_uploads(platform):
    locked = platform.http.post(f"/api/v1/schemes/{SCHEME}/periods/2026-10/lock", token=platform.tokens.office,
                                json_body={"reason": "月度审核"})
    assert locked.status == 200 and locked.body["state"] == "locked", locked.body
    reply = platform.http.upload("v.csv", csv_file("2026-10-15"), platform.tokens.feed)
    assert reply.status == 422
    assert reply.body["problems"][0] == {"row": 2, "field": "period", "message": "period 2026-10 is locked: it takes no more values"}


def test_kafka_not_answering_is_503_with_retry_after(platform, tmp_path):
    port = free_port()
    env = {**platform.env, "JIXIAO_GATEWAY_PORT": str(port), "JIXIAO_KAFKA_BOOTSTRAP": f"127.0.0.1:{free_port()}"}
    gateway = ServiceProcess("jixiao.gateway", env, tmp_path)
    try:
        gateway.wait_ready(lambda: http_ok(f"http://127.0.0.1:{port}/api/v1/health"))
        http = Http(f"http://127.0.0.1:{port}")
        reply = http.upload("v.csv", csv_file("2026-09"), platform.tokens.feed)
        assert reply.status == 503 and reply.error == "kafka_unavailable" and reply.headers["Retry-After"] == "5"
    finally:
        assert gateway.stop() == 0
    assert "Traceback" not in gateway.stderr()
