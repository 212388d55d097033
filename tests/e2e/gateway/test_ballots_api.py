"""Democratic evaluation ballots through the JSON API (docs/ballots.md), over real sockets, every
answer checked against openapi.yaml: the office issues codes, a rater without a token opens a
paper and votes once, a second use is 409 and stores nothing, a bad ballot is 400 naming the
field, the office counts and sees turnout and the result; repeated wrong codes are slowed (429).
Its own small platform (one ballot-scored indicator, no events)."""
from __future__ import annotations

import pytest
import yaml
from gateway_kit import Http

from helpers import eventually, make_tokens
from helpers.ballot_platform import BALLOT_BOX, CODE, SCHEME
from helpers.ballot_scheme import INDICATOR
from helpers.platform import platform_running
from jixiao.common.tokens_cli import append

ROUND = f"/api/v1/schemes/{CODE}/ballots/{INDICATOR}/2026/U1"


@pytest.fixture(scope="module")
def platform(broker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("ballots-api")
    tokens = make_tokens(folder)
    box = append(tokens.file, BALLOT_BOX, "ballot_box", "")
    with platform_running(broker, folder, tokens=tokens, scheme_text=yaml.safe_dump(SCHEME, allow_unicode=True),
                          env={"JIXIAO_PLUGIN_TIMEOUT_SECONDS": "30", "JIXIAO_BALLOT_BOX_TOKEN": box}) as running:
        yield Http(running.gateway_url), tokens


def ratings(team=100, p1=80, p2=60):
    return [{"subject": "", "value": team}, {"subject": "P1", "value": p1}, {"subject": "P2", "value": p2}]


def test_issue_vote_once_count_and_see_the_result(platform):
    http, tokens = platform
    body = {"group": "cadres", "count": 2}
    assert http.post(f"{ROUND}/codes", json_body=body).status == 401
    assert http.post(f"{ROUND}/codes", token=tokens.reader, json_body=body).status == 403
    assert http.post(f"{ROUND}/codes", token=tokens.office, json_body={"group": "cadres", "count": "2"}).status == 400
    bad_group = http.post(f"{ROUND}/codes", token=tokens.office, json_body={"group": "elders", "count": 2})
    assert bad_group.status == 400 and bad_group.body["error"]["message"].startswith("group:")
    issued = http.post(f"{ROUND}/codes", token=tokens.office, json_body=body)
    assert issued.status == 200 and len(issued.body["ballot_codes"]) == 2
    assert issued.body["paper"]["group_name_zh"] == "机关干部"
    first, second = issued.body["ballot_codes"]

    paper = http.post("/api/v1/ballots/open", json_body={"ballot_code": first.lower().replace("-", " ")})
    assert paper.status == 200 and [s["person_id"] for s in paper.body["subjects"]] == ["", "P1", "P2"]
    assert http.post("/api/v1/ballots/open", json_body={}).status == 400
    short = http.post("/api/v1/ballots/cast", json_body={"ballot_code": first, "ratings": ratings()[:2]})
    assert short.status == 400 and "not rated: P2" in short.body["error"]["message"]
    off_scale = http.post("/api/v1/ballots/cast", json_body={"ballot_code": first, "ratings": ratings(p1=77)})
    assert off_scale.status == 400 and off_scale.body["error"]["message"].startswith("ratings[1].value")
    assert http.post("/api/v1/ballots/cast", json_body={"ballot_code": first, "ratings": "all good"}).status == 400
    cast = http.post("/api/v1/ballots/cast", json_body={"ballot_code": first, "ratings": ratings()})
    assert cast.status == 200 and cast.body["paper"]["unit_id"] == "U1"
    again = http.post("/api/v1/ballots/cast", json_body={"ballot_code": first, "ratings": ratings(0, 0, 0)})
    assert again.status == 409 and again.body["error"] == {"code": "ballot_refused",
                                                           "message": "ballot_code: this code has already been used"}
    assert http.post("/api/v1/ballots/cast", json_body={"ballot_code": second, "ratings": ratings(80, 80, 80)}).status == 200

    turnout = http.get(ROUND, token=tokens.office)
    assert turnout.status == 200
    cadres = turnout.body["groups"][0]
    assert (cadres["issued"], cadres["spent"], cadres["turnout"], cadres["below_minimum"]) == (2, 2, 1.0, False)
    assert http.get(ROUND, token=tokens.reader).status == 403
    counted = http.post(f"{ROUND}/count", token=tokens.office)
    assert counted.status == 200 and counted.body["groups"][0]["counted"] == 2
    assert [a["action"] for a in counted.body["audit"]] == ["issue", "count"]

    def result():
        reply = http.get(f"/api/v1/schemes/{CODE}/units/U1?period=2026", token=tokens.office)
        found = [r for r in reply.body.get("indicators", []) if r["indicator_code"] == INDICATOR]
        return found[0] if found else None

    found = eventually(result, 30, "the ballot's result for U1")
    assert found["points"] == pytest.approx(90.0) and "机关干部 平均90.00（2票/发放2张" in found["explanation"]
    listed = http.get(f"/api/v1/schemes/{CODE}/ballots?period=2026", token=tokens.office)
    assert listed.status == 200 and [r["unit_id"] for r in listed.body["rounds"]] == ["U1", "U2"]
    voided = http.post(f"{ROUND}/void", token=tokens.office, json_body={"group": "residents"})
    assert voided.status == 200 and voided.body["audit"][-1]["action"] == "void"


def test_repeated_wrong_codes_are_slowed(platform):
    """Five refused codes (the spent one reused above counts) and this client is refused at once."""
    http, tokens = platform
    good = http.post(f"{ROUND}/codes", token=tokens.office, json_body={"group": "residents", "count": 1})
    wrong = {"ballot_code": "0000-0000-0000-0000"}  # well formed, never issued
    answers = [http.post("/api/v1/ballots/open", json_body=wrong) for _ in range(5)]
    statuses = [a.status for a in answers]
    assert 400 in statuses and statuses == sorted(statuses) and statuses[-1] == 429, statuses
    assert "unknown code" in answers[0].body["error"]["message"]
    assert int(answers[-1].headers["Retry-After"]) > 0 and answers[-1].body["error"]["code"] == "too_many_attempts"
    blocked = http.post("/api/v1/ballots/open", json_body={"ballot_code": good.body["ballot_codes"][0]})
    assert blocked.status == 429, "a slowed client is refused before its code is even looked at"
