"""Assessment teams through the JSON API (docs/assessment-teams.md), over real sockets, every
answer checked against openapi.yaml: the office forms a team and locks the roster, an assessor
sees only their team's units and scores them (a bad row is 400 naming it, another team's unit
403, after submitting 409), the office closes the unit, replaces an assessor with a reason and
reads leniency. Its own small platform (one assessment-scored indicator, no events)."""
from __future__ import annotations

import pytest
import yaml
from gateway_kit import Http

from helpers import make_tokens
from helpers.assessment_platform import CODE, INDICATOR, SCHEME
from helpers.platform import platform_running
from jixiao.common.tokens_cli import append

ROUND = f"/api/v1/schemes/{CODE}/assessments/{INDICATOR}/2026-Q1"
MINE = f"/api/v1/schemes/{CODE}/my-assessments"


@pytest.fixture(scope="module")
def teams(broker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("assessment-api")
    tokens = make_tokens(folder)
    assessors = {code: append(tokens.file, f"考评员{code}", "assessor", code) for code in ("A1", "A2", "A3", "A9")}
    with platform_running(broker, folder, tokens=tokens, scheme_text=yaml.safe_dump(SCHEME, allow_unicode=True),
                          env={"JIXIAO_PLUGIN_TIMEOUT_SECONDS": "30"}) as running:
        yield Http(running.gateway_url), tokens, assessors


def rows(targets, records):
    return {"rows": [{"item": "targets", "points": targets, "basis": "现场查看"}, {"item": "records", "points": records}]}


def test_form_lock_score_close_replace_and_leniency(teams):
    http, tokens, a = teams
    office = tokens.office
    assert http.get(ROUND).status == 401
    assert http.get(ROUND, token=a["A1"]).status == 403
    assert http.get(ROUND, token=tokens.department).status == 403
    team = f"{ROUND}/teams/t1"
    bad = http.request("PUT", team, token=office, json_body={"name": "第一组", "assessors": ["A1"], "unit_ids": ["U9"]})
    assert bad.status == 400 and bad.body["error"]["message"].startswith("unit_ids[0]:"), bad.body
    assert http.request("PUT", team, token=office, json_body={"assessors": "A1"}).status == 400
    formed = http.request("PUT", team, token=office, json_body={"name": "第一组", "assessors": ["A1", "A2", "A3"],
                                                                 "unit_ids": ["U1", "U3"]})
    assert formed.status == 200 and formed.body["state"] == "forming"
    early = http.request("PUT", f"{ROUND}/units/U1/scores", token=a["A1"], json_body=rows(50, 30))
    assert early.status == 409 and "not locked yet" in early.body["error"]["message"]
    assert http.post(f"{ROUND}/lock", token=a["A1"]).status == 403
    assert http.post(f"{ROUND}/lock", token=office).body["state"] == "locked"

    mine = http.get(MINE, token=a["A1"])
    assert mine.status == 200 and [[u["unit_id"] for u in m["units"]] for m in mine.body["assessments"]] == [["U1", "U3"]]
    assert http.get(MINE, token=office).status == 403
    assert http.get(MINE, token=a["A9"]).body == {"assessments": []}
    over = http.request("PUT", f"{ROUND}/units/U1/scores", token=a["A1"], json_body=rows(61, 30))
    assert over.status == 400 and over.body["error"]["message"].startswith("rows[0].points: item targets: 61"), over.body
    assert http.request("PUT", f"{ROUND}/units/U1/scores", token=a["A1"],
                        json_body={"rows": [{"item": "targets", "points": "many"}]}).status == 400
    other = http.request("PUT", f"{ROUND}/units/U2/scores", token=a["A1"], json_body=rows(50, 30))
    assert other.status == 403 and "U2 is not assigned to team t1" in other.body["error"]["message"]
    for code, (targets, records) in (("A1", (55, 35)), ("A2", (40, 30)), ("A3", (50, 40))):
        saved = http.request("PUT", f"{ROUND}/units/U1/scores", token=a[code], json_body=rows(targets, records))
        assert saved.status == 200 and saved.body["state"] == "draft", saved.body
        assert http.post(f"{ROUND}/units/U1/scores/submit", token=a[code]).body["state"] == "submitted"
    frozen = http.request("PUT", f"{ROUND}/units/U1/scores", token=a["A1"], json_body=rows(60, 40))
    assert frozen.status == 409 and "frozen" in frozen.body["error"]["message"]
    assert http.get(f"{ROUND}/units/U1/scores", token=a["A2"]).body["total"] == 70

    assert http.post(f"{ROUND}/units/U3/close", token=office).status == 409  # nobody scored U3
    closed = http.post(f"{ROUND}/units/U1/close", token=office)
    u1 = next(u for u in closed.body["units"] if u["unit_id"] == "U1")
    assert closed.status == 200 and (u1["result"], u1["closing"], u1["submitted"]) == (90, 1, 3)   # 90, 70, 90

    assert http.post(f"{ROUND}/teams/t1/replace", token=office,
                     json_body={"assessor": "A3", "replacement": "A9"}).status == 400  # no reason
    replaced = http.post(f"{ROUND}/teams/t1/replace", token=office,
                         json_body={"assessor": "A3", "replacement": "A9", "reason": "回避"})
    assert replaced.status == 200
    assert [(m["position"], m["assessor"], m["active"], m["reason"]) for m in replaced.body["teams"][0]["members"]] == [
        (1, "A1", True, ""), (2, "A2", True, ""), (3, "A3", False, "回避"), (3, "A9", True, "")]
    lenient = http.get(f"{ROUND}/leniency", token=office)
    assert lenient.status == 200
    assert [(r["assessor"], r["leniency"]) for r in lenient.body["rows"]] == [("A1", 10), ("A3", 10), ("A2", -20)]
    assert http.get(f"{ROUND}/leniency", token=a["A1"]).status == 403
