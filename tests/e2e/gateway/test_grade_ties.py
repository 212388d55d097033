"""Grades and boundary ties through the JSON API, over real sockets (every answer
checked against openapi.yaml): a period the rule does not grade answers ranks
and the reason; a tie no criterion separates has no grades until the office
resolves it (POST .../ties, by order or by grades); publishing waits for it.

The platform has no events: every department and leader counts 0 points in
2026, so the 99 departments are one tie across both boundaries of 18/75/6 and
the 835 leaders one tie across 164/660/11."""
from __future__ import annotations

from gateway_kit import SCHEME

API = f"/api/v1/schemes/{SCHEME}"
REASON = "考核办会议决定（2027年1月10日）"


def ties_url(grading_code: str, period: str = "2026") -> str:
    return f"{API}/grades/{grading_code}/ties?period={period}"


def test_a_period_the_rule_does_not_grade_is_ranked_with_the_reason(platform):
    office = platform.tokens.office
    reply = platform.http.get(f"{API}/grades/departments?period=2026-Q1&page_size=500", token=office)
    assert reply.status == 200, reply.body
    body = reply.body
    assert not body["graded"] and body["counts"] == [] and body["ties"] == [] and body["total_size"] == 99
    assert (body["not_graded_reason_zh"], body["not_graded_reason_en"]) == (
        "本期不评定等次（该规则只评定年度）", "not graded in this period (this rule grades the year only)")
    assert {(e["rank"], e["grade"], e["tie_pending"]) for e in body["entries"]} == {(1, 0, False)}  # all 0: one shared rank


def test_the_office_resolves_the_ties_and_then_publishes_the_year(platform):
    office, http = platform.tokens.office, platform.http
    body = http.get(f"{API}/grades/departments?period=2026&page_size=500", token=office).body
    assert body["graded"] and body["counts"] == [] and all(e["tie_pending"] for e in body["entries"])
    [tie] = body["ties"]
    assert (len(tie["ids"]), tie["grades"], tie["slots"], tie["resolved"]) == (99, [1, 2, 3], [18, 75, 6], False)
    order = sorted(tie["ids"], reverse=True)  # the office's order, best first

    # who may resolve, and what they must send
    assert http.post(ties_url("departments"), json_body={"order": order, "reason": REASON}).status == 401
    assert http.post(ties_url("departments"), token=platform.tokens.feed,
                     json_body={"order": order, "reason": REASON}).status == 403
    for bad in ({"order": order}, {"order": order, "grades": {order[0]: 1}, "reason": REASON},
                {"order": "U-D001", "reason": REASON}, {"grades": {order[0]: "first"}, "reason": REASON},
                {"order": order[:2], "reason": REASON}, {"grades": {i: 1 for i in order}, "reason": REASON}):
        reply = http.post(ties_url("departments"), token=office, json_body=bad)
        assert reply.status == 400 and reply.error == "invalid_argument", (bad, reply.body)
    assert http.post(ties_url("departments", "2026-Q1"), token=office,
                     json_body={"order": order, "reason": REASON}).status == 409  # quarters are not graded

    resolved = http.post(ties_url("departments"), token=office, json_body={"order": order, "reason": REASON})
    assert resolved.status == 200, resolved.body
    assert resolved.body["resolved"] and resolved.body["order"] == order and resolved.body["resolved_by"] == "考核办"
    assert resolved.body["reason"] == REASON and sorted(resolved.body["ids"]) == resolved.body["ids"]
    body = http.get(f"{API}/grades/departments?period=2026&page_size=500", token=office).body
    assert {c["grade"]: c["count"] for c in body["counts"]} == {1: 18, 2: 75, 3: 6} and body["ties"][0]["resolved"]
    grade_of = {e["unit_id"]: e["grade"] for e in body["entries"]}
    assert [grade_of[i] for i in order] == [1] * 18 + [2] * 75 + [3] * 6
    assert [e["unit_id"] for e in body["entries"]] == order and {e["rank"] for e in body["entries"]} == {1}

    # the year cannot be published while the leaders' tie is open
    for action in ("lock", "approve"):
        assert http.post(f"{API}/periods/2026/{action}", token=office, json_body={"reason": "审核"}).status == 200
    refused = http.post(f"{API}/periods/2026/publish", token=office, json_body={"reason": "公示"})
    assert refused.status == 409 and "'leaders'" in refused.body["error"]["message"], refused.body
    assert "(835 in all)" in refused.body["error"]["message"]
    leaders = http.get(f"{API}/grades/leaders?period=2026&page_size=1", token=office).body
    [tie] = leaders["ties"]
    assert (tie["grades"], tie["slots"]) == ([1, 2, 3], [164, 660, 11])
    places = [1] * 164 + [2] * 660 + [3] * 11
    decided = http.post(ties_url("leaders"), token=office,
                        json_body={"grades": dict(zip(tie["ids"], places, strict=True)), "reason": REASON})
    assert decided.status == 200 and decided.body["resolved_grades"] == places, decided.body

    published = http.post(f"{API}/periods/2026/publish", token=office, json_body={"reason": "公示"})
    assert published.status == 200 and published.body["state"] == "published", published.body
    public = http.get(f"{API}/grades/departments?period=2026&page_size=500")
    assert public.status == 200 and {c["grade"]: c["count"] for c in public.body["counts"]} == {1: 18, 2: 75, 3: 6}
    again = http.post(ties_url("departments"), token=office, json_body={"order": order[::-1], "reason": "改变主意"})
    assert again.status == 409 and "published" in again.body["error"]["message"]
