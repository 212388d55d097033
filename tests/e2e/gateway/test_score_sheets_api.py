"""Responsible departments' score sheets through the JSON API (docs/score-sheets.md), over real
sockets, every answer checked against openapi.yaml: the department's scorer saves the rows (a
bad row is 400 naming it), only the head signs, the signed sheet is frozen (409), another
department is refused, the office returns and accepts. Its own small platform (one sheet-scored
indicator, no events)."""
from __future__ import annotations

import pytest
import yaml
from gateway_kit import Http

from helpers import make_tokens
from helpers.platform import platform_running
from helpers.sheet_platform import CODE, DEPARTMENT, INDICATOR, SCHEME
from jixiao.common.tokens_cli import append

SHEET = f"/api/v1/schemes/{CODE}/sheets/{INDICATOR}/2026-Q1"
ROWS = [{"unit_id": "U1", "item": "responsibility", "points": 38, "basis": "少开一次专题会", "evidence_ref": "纪发1号"},
        {"unit_id": "U1", "item": "cases", "points": 60}, {"unit_id": "U2", "item": "responsibility", "points": 40},
        {"unit_id": "U2", "item": "cases", "points": 50}]


@pytest.fixture(scope="module")
def sheets(broker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("sheets-api")
    tokens = make_tokens(folder)
    scorer = append(tokens.file, "纪委评分员", "department", DEPARTMENT)
    head = append(tokens.file, "纪委书记", "department_head", DEPARTMENT)
    with platform_running(broker, folder, tokens=tokens, scheme_text=yaml.safe_dump(SCHEME, allow_unicode=True),
                          env={"JIXIAO_PLUGIN_TIMEOUT_SECONDS": "30"}) as running:
        yield Http(running.gateway_url), tokens, scorer, head


def test_save_sign_return_and_accept(sheets):
    http, tokens, scorer, head = sheets
    assert http.get(SHEET).status == 401
    assert http.get(SHEET, token=tokens.feed).status == 403
    assert http.get(SHEET, token=tokens.department).status == 403  # another department's sheet
    started = http.get(SHEET, token=scorer)
    assert started.status == 200 and started.body["state"] == "not_started" and started.body["late"] is True

    bad = http.request("PUT", SHEET, token=scorer, json_body={"rows": [{**ROWS[0], "points": 41}, *ROWS[1:]]})
    assert bad.status == 400 and "rows[0].points" in bad.body["error"]["message"], bad.body
    assert http.request("PUT", SHEET, token=scorer, json_body={"rows": [{"unit_id": "U1"}]}).status == 400
    assert http.request("PUT", SHEET, token=head, json_body={"rows": ROWS}).status == 403  # the head signs only
    saved = http.request("PUT", SHEET, token=scorer, json_body={"rows": ROWS})
    assert saved.status == 200 and (saved.body["state"], len(saved.body["rows"])) == ("draft", 4)

    assert http.post(f"{SHEET}/submit", token=scorer).status == 403
    signed = http.post(f"{SHEET}/submit", token=head)
    assert signed.status == 200 and signed.body["signed_by"] == "纪委书记" and len(signed.body["digest"]) == 64
    frozen = http.request("PUT", SHEET, token=scorer, json_body={"rows": ROWS})
    assert frozen.status == 409 and "frozen" in frozen.body["error"]["message"]

    assert http.post(f"{SHEET}/review", token=scorer, json_body={"decision": "accept"}).status == 403
    assert http.post(f"{SHEET}/review", token=tokens.office, json_body={"decision": "return"}).status == 400
    returned = http.post(f"{SHEET}/review", token=tokens.office, json_body={"decision": "return", "comment": "核实"})
    assert returned.status == 200 and returned.body["state"] == "returned"
    again = http.request("PUT", SHEET, token=scorer, json_body={"rows": ROWS})
    assert again.status == 200 and again.body["version"] == 2
    assert http.post(f"{SHEET}/submit", token=head).status == 200
    accepted = http.post(f"{SHEET}/review", token=tokens.office, json_body={"decision": "accept"})
    assert accepted.status == 200 and accepted.body["state"] == "accepted"
    assert [h["action"] for h in accepted.body["history"]] == ["save", "submit", "return", "save", "submit", "accept"]


def test_list_and_correct(sheets):
    """After the accepted sheet of the test above (module order): the listing per role, a
    correction requested by the department and decided by the office, each step's bad input."""
    http, tokens, scorer, head = sheets
    listing = f"/api/v1/schemes/{CODE}/sheets"
    assert http.get(listing, token=scorer).status == 400  # no period
    assert http.get(f"{listing}?period=2026-13", token=scorer).status == 400
    assert http.get(f"{listing}?period=2026-Q1", token=tokens.feed).status == 403
    for token in (tokens.office, scorer):
        listed = http.get(f"{listing}?period=2026-Q1", token=token)
        assert listed.status == 200, listed.body
        assert [(s["indicator_code"], s["state"]) for s in listed.body["sheets"]] == [(INDICATOR, "accepted")]
        assert listed.body["sheets"][0]["rows"] == [] and listed.body["sheets"][0]["history"] == []
    assert http.get(f"{listing}?period=2026-Q1", token=tokens.department).body["sheets"] == []  # another department

    corrections = f"{SHEET}/corrections"
    assert http.post(corrections, token=scorer, json_body={}).status == 400  # no reason
    assert http.post(corrections, token=tokens.office, json_body={"reason": "x"}).status == 403
    asked = http.post(corrections, token=head, json_body={"reason": "乙区一起案件已撤销"})
    assert asked.status == 200 and asked.body["correction_reason"] == "乙区一起案件已撤销"
    assert http.post(corrections, token=scorer, json_body={"reason": "again"}).status == 409  # one at a time

    decision = f"{corrections}/decision"
    assert http.post(decision, token=head, json_body={"decision": "approve"}).status == 403
    assert http.post(decision, token=tokens.office, json_body={"decision": "maybe"}).status == 400
    assert http.post(decision, token=tokens.office, json_body={"decision": "refuse"}).status == 400  # no reason
    approved = http.post(decision, token=tokens.office, json_body={"decision": "approve"})
    assert approved.status == 200 and (approved.body["state"], approved.body["version"]) == ("draft", 3)
    assert approved.body["history"][-2:][0]["action"] == "request_correction"
    assert approved.body["history"][-1]["action"] == "approve_correction"
    assert http.post(decision, token=tokens.office, json_body={"decision": "approve"}).status == 409  # none pending
