"""What-if simulations through the JSON API over real sockets (docs/simulation.md; every
answer checked against openapi.yaml): the office asks, gets the units that differ with
their explanations, and reads who asked what; nobody else may; a change that cannot hold
is 400 naming its field; the official rankings stay as they were.

The platform has no events: a figure given to 青山区 (U-R01) makes it the only scored
district in the simulated period."""
from __future__ import annotations

from gateway_kit import SCHEME

API = f"/api/v1/schemes/{SCHEME}"
FIGURE = {"kind": "figure", "unit_id": "U-R01", "indicator_code": "investment_completion", "period": "2026-03",
          "value": 60.0}


def test_the_office_simulates_a_figure_and_reads_the_record(platform):
    office, http = platform.tokens.office, platform.http
    ranking = f"{API}/rankings?category=district_county&period=2026-Q1"
    before = http.get(ranking, token=office)
    reply = http.post(f"{API}/simulations", token=office, json_body={"period": "2026-Q1", "changes": [FIGURE]})
    assert reply.status == 200, reply.body
    body = reply.body
    assert (body["scheme_code"], body["period"], body["replaced_figures"]) == (SCHEME, "2026-Q1", [0])
    [unit] = body["differences"]
    assert unit["unit_id"] == "U-R01" and unit["unit_name_zh"] == "青山区" and unit["changes"] == [0]
    assert "total_before" not in unit and unit["total_after"] > 0 and unit["rank_after"] == 1
    assert [i["indicator_code"] for i in unit["indicators"]] == ["investment_completion"]
    assert unit["explanation_zh"].startswith("总分 — → ") and "因变更1（数据）" in unit["explanation_zh"]
    assert "by change 1 (figure)" in unit["explanation_en"]
    # its leaders' totals follow its own (no one else in the district category is scored yet)
    assert body["leaders"] and {leader["unit_id"] for leader in body["leaders"]} == {"U-R01"}
    assert all(leader["changes"] == [0] and "total_before" not in leader for leader in body["leaders"])
    assert "no-store" in reply.headers.get("Cache-Control", "")  # never cached anywhere
    # nothing official changed
    assert http.get(ranking, token=office).body == before.body
    [record] = http.get(f"{API}/simulations", token=office).body["simulations"]
    assert record["asked_by"] == "考核办" and record["period"] == "2026-Q1"
    assert record["differences"] == 1 + len(body["leaders"])  # units and leaders
    assert '"unit_id": "U-R01"' in record["changes_json"]


def test_only_the_office_simulates(platform):
    http = platform.http
    for method, path, body in (("POST", f"{API}/simulations", {"period": "2026", "changes": [FIGURE]}),
                               ("GET", f"{API}/simulations", None)):
        assert http.request(method, path, json_body=body).status == 401
        for token in (platform.tokens.feed, platform.unit_token):
            assert http.request(method, path, token=token, json_body=body).status == 403


def test_a_change_that_cannot_hold_is_400_naming_its_field(platform):
    office, http = platform.tokens.office, platform.http
    for body, field in (
            ({"period": "2026", "changes": [{**FIGURE, "unit_id": "U-NOPE"}]}, "changes[0].unit_id"),
            ({"period": "2026", "changes": [{**FIGURE, "value": "many"}]}, "changes[0].value"),
            ({"period": "2026", "changes": [{**FIGURE, "colour": "red"}]}, "changes[0].colour"),
            ({"period": "2026", "changes": "all"}, "changes"),
            ({"period": "2026-Q5", "changes": [FIGURE]}, "period"),
            ({"period": "2026", "changes": [{"kind": "weight", "category": "district_county",
                                             "indicator_code": "fiscal_revenue", "weight": 0.5}]}, "changes[0].weight"),
            ({"period": "2026", "changes": [{"kind": "ratio", "grading_code": "departments",
                                             "parts": {"1": 0, "2": 0, "3": 0}}]}, "changes[0].parts"),
            ({"period": "2026", "changes": [{"kind": "ratio", "grading_code": "departments",
                                             "parts": {"first": 1}}]}, "changes[0].parts")):
        reply = http.post(f"{API}/simulations", token=office, json_body=body)
        assert reply.status == 400 and reply.error == "invalid_argument", (body, reply.body)
        assert reply.body["error"]["message"].startswith(field), (field, reply.body)
    assert http.post("/api/v1/schemes/nope-2026/simulations", token=office,
                     json_body={"period": "2026", "changes": [FIGURE]}).status == 404
