"""Role boundaries of registry, scoring and gateway, injection attempts,
and secrets in logs — against the real processes, every one logging at DEBUG.

Tests elsewhere cover single boundaries (tests/integration/registry/test_grpc_roles.py,
tests/integration/scoring/test_grpc_review.py, tests/e2e/gateway/test_results.py and
test_uploads.py, tests/e2e/portal/); these check the whole matrix — every rpc
of both gRPC services for every role, so that a new rpc must be classified
here — and what they leave out: the public cache after an office read,
tokens anywhere but the Authorization header, encoded path tricks in upload
names, SQL in every kind of text field, and tokens or passwords in logs.
"""
from __future__ import annotations

import http.cookiejar
import json
import re
import sqlite3
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import grpc
import pytest

from helpers import ServiceProcess, eventually, free_port, postgres_database, run_to_exit, unique
from helpers.reliability_kit import SCHEME_CODE, start_platform
from jixiao.common.auth import call_credentials
from jixiao.common.readiness import grpc_serving
from jixiao.v1 import (
    assessment_pb2,
    assessment_pb2_grpc,
    ballots_pb2,
    ballots_pb2_grpc,
    registry_pb2_grpc,
    scoring_pb2,
    scoring_pb2_grpc,
    simulation_pb2,
    simulation_pb2_grpc,
)
from jixiao.v1 import assessment_pb2 as apb
from jixiao.v1 import ballots_pb2 as bpb
from jixiao.v1 import registry_pb2 as rpb
from jixiao.v1 import scoring_pb2 as spb
from jixiao.v1 import simulation_pb2 as simpb

API = f"/api/v1/schemes/{SCHEME_CODE}"
CODE = grpc.StatusCode
ROLES = ("office", "department", "other_department", "department_head", "assessor", "feed", "reader", "unit",
         "ballot_box")
HEAD = "发改委主要负责人"  # a department_head token of the department development_reform
ASSESSOR = "考评员 A017"  # an assessor token (docs/assessment-teams.md)
BALLOT_BOX = "gateway ballot box"  # the gateway's ballot_box token (docs/ballots.md)
ANY = frozenset(ROLES)


@pytest.fixture(scope="module")
def platform(broker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("security")
    topics = {"JIXIAO_METRICS_TOPIC": unique("metrics"), "JIXIAO_DEAD_LETTER_TOPIC": unique("dlq"),
              "JIXIAO_CONSUMER_GROUP": unique("group")}
    running = start_platform(broker, topics, folder, events=1500, publish_periods=("2026-01",),
                             settings={"JIXIAO_LOG_LEVEL": "DEBUG"},
                             # an office token this module puts where no token belongs (a URL, a cookie),
                             # where logs may well show it: it is left out of the search for secrets in logs
                             more_tokens=(("thrown-away office", "office", ""),
                                          (HEAD, "department_head", "development_reform"),
                                          (ASSESSOR, "assessor", "A017"),
                                          (BALLOT_BOX, "ballot_box", "")))
    yield running
    for module, (code, log) in running.stop().items():
        assert code == 0, f"{module} exited with {code}:\n{log}"
        assert "Traceback" not in log, f"{module} logged a traceback:\n{log}"


def token_of(platform, role: str | None) -> str:
    if role is None:
        return ""
    if role == "department_head":
        return platform.extra_tokens[HEAD]
    if role == "assessor":
        return platform.extra_tokens[ASSESSOR]
    if role == "ballot_box":
        return platform.extra_tokens[BALLOT_BOX]
    return platform.unit_token if role == "unit" else getattr(platform.tokens, role)


def status_of(stub, method: str, request, metadata) -> grpc.StatusCode:
    try:
        getattr(stub, method)(request, timeout=30, metadata=metadata)
    except grpc.RpcError as error:
        return error.code()
    return CODE.OK


# -- gRPC: every rpc, every role -------------------------------------------------------------

# rpc → (roles the decorator lets in, a request that changes nothing: a bad or unknown argument, or a read)
REGISTRY = {
    "RegisterPlugin": ({"office", "department", "other_department", "unit"}, rpb.RegisterPluginRequest()),
    "SetPluginStatus": ({"office"}, rpb.SetPluginStatusRequest(name="nope", version="0", status="approved")),
    "SubmitScheme": ({"office"}, rpb.SubmitSchemeRequest(document="")),
    "PublishScheme": ({"office"}, rpb.PublishSchemeRequest(code="nope", version=1)),
    "ImportTable": ({"office"}, rpb.ImportTableRequest(code=SCHEME_CODE, table="nope", file_format="csv")),
    "ListPlugins": (ANY, rpb.ListPluginsRequest()),
    "GetPlugin": (ANY, rpb.GetPluginRequest(name="nope", version="1")),
    "ValidateScheme": (ANY, rpb.ValidateSchemeRequest(code=SCHEME_CODE)),
    "DiffSchemes": (ANY, rpb.DiffSchemesRequest(code=SCHEME_CODE, from_version=1, to_version=1)),
    "ExportTable": (ANY, rpb.ExportTableRequest(code=SCHEME_CODE, table="units", file_format="csv")),
    "GetScheme": (ANY, rpb.GetSchemeRequest(code=SCHEME_CODE)),
    "ListSchemeVersions": (ANY, rpb.ListSchemeVersionsRequest()),
    # the feeds' signing keys: only the office makes and revokes them; scoring's reader token lists them
    "CreateSourceKey": ({"office"}, rpb.CreateSourceKeyRequest(source="no_such_source")),
    "RevokeSourceKey": ({"office"}, rpb.RevokeSourceKeyRequest(key_id="k-nope", reason="x")),
    "ListSourceKeys": ({"office", "reader"}, rpb.ListSourceKeysRequest(source="no_such_source")),
}
DEPARTMENTS = frozenset({"department", "other_department", "unit"})  # tokens of the role department
SHEET_READERS = DEPARTMENTS | {"office", "department_head"}
NO_PERIOD = spb.PeriodActionRequest(scheme_code=SCHEME_CODE, period="", reason="x")
SCORING = {
    **{name: ({"office"}, NO_PERIOD) for name in ("LockPeriod", "ReopenPeriod", "ApprovePeriod", "PublishPeriod")},
    "RecheckPeriod": ({"office", "reader"}, spb.RecheckPeriodRequest(scheme_code=SCHEME_CODE, period="")),
    "ResolveGradeTie": ({"office"}, spb.ResolveGradeTieRequest(scheme_code=SCHEME_CODE, grading_code="departments",
                                                               period="", order=["U-D001"], reason="x")),
    # the role lets departments in; the service then wants the unit's own token (subject = unit id)
    "SubmitSelfEvaluation": ({"office", "unit"}, spb.SubmitSelfEvaluationRequest(
        scheme_code=SCHEME_CODE, unit_id="U-R01", period="2026-Q4", total=-1)),
    "ListSelfEvaluations": ({"office"}, spb.ListSelfEvaluationsRequest(scheme_code=SCHEME_CODE, period="2026-Q1")),
    "UploadWorkReport": ({"office", "unit"}, spb.UploadWorkReportRequest(
        scheme_code=SCHEME_CODE, unit_id="U-R01", period="2026", file_name="述职.exe", content=b"MZ")),
    "ListWorkReports": ({"office", "unit"}, spb.ListWorkReportsRequest(scheme_code=SCHEME_CODE, unit_id="U-R01")),
    # any department token passes the role; another unit's report is then NOT_FOUND, not even its existence told
    "GetWorkReport": ({"office", "unit", "department", "other_department"}, spb.GetWorkReportRequest(
        scheme_code=SCHEME_CODE, id=987654)),
    "GetRanking": (ANY, spb.GetRankingRequest(scheme_code=SCHEME_CODE, category="district_county", period="2026-02")),
    "GetUnitScore": (ANY, spb.GetUnitScoreRequest(scheme_code=SCHEME_CODE, unit_id="U-R01", period="2026-01")),
    "GetIngestStatus": (ANY, spb.GetIngestStatusRequest()),
    "GetGrades": (ANY, spb.GetGradesRequest(scheme_code=SCHEME_CODE, grading_code="departments", period="2026-01")),
    "GetBulletin": (ANY, spb.GetBulletinRequest(scheme_code=SCHEME_CODE, period="2026-01")),
    "GetCompleteness": (ANY, spb.GetCompletenessRequest(scheme_code=SCHEME_CODE, period="2026-01")),
    "GetProgress": (ANY, spb.GetProgressRequest(scheme_code=SCHEME_CODE, period="2026-01")),
    "GetEvent": (ANY, spb.GetEventRequest(event_id="nope")),
    "ListIndicators": (ANY, spb.ListIndicatorsRequest()),
    "ListPeriods": (ANY, spb.ListPeriodsRequest(scheme_code=SCHEME_CODE)),
    "ListConsequences": (ANY, spb.ListConsequencesRequest(scheme_code=SCHEME_CODE, grading_code="departments")),
    "GetPersonScore": (ANY, spb.GetPersonScoreRequest(scheme_code=SCHEME_CODE, person_id="P0001", period="2026-01")),
    "GetRegionScores": (ANY, spb.GetRegionScoresRequest(scheme_code=SCHEME_CODE, period="2026-01")),
    # the anomaly checks' findings (疑点) and the office's marks on them
    "ListFindings": ({"office"}, spb.ListFindingsRequest(scheme_code=SCHEME_CODE, state="nope")),
    "MarkFinding": ({"office"}, spb.MarkFindingRequest(scheme_code=SCHEME_CODE, key="nope", state="confirmed")),
    # responsible departments' score sheets: the decorator lets in these roles; the service then
    # wants the sheet's own department (its token's subject), or the office
    "GetScoreSheet": (SHEET_READERS, spb.GetScoreSheetRequest(scheme_code=SCHEME_CODE, indicator_code="nope",
                                                              period="2026-Q1")),
    "ListScoreSheets": (SHEET_READERS, spb.ListScoreSheetsRequest(scheme_code=SCHEME_CODE, period="2026-Q1")),
    "SaveScoreSheet": (DEPARTMENTS, spb.SaveScoreSheetRequest(scheme_code=SCHEME_CODE, indicator_code="nope",
                                                              period="2026-Q1")),
    "SubmitScoreSheet": ({"department_head"}, spb.SubmitScoreSheetRequest(scheme_code=SCHEME_CODE, indicator_code="nope",
                                                                         period="2026-Q1")),
    "RequestSheetCorrection": (DEPARTMENTS | {"department_head"}, spb.RequestSheetCorrectionRequest(
        scheme_code=SCHEME_CODE, indicator_code="nope", period="2026-Q1", reason="x")),
    "ReviewScoreSheet": ({"office"}, spb.ReviewScoreSheetRequest(scheme_code=SCHEME_CODE, indicator_code="nope",
                                                                 period="2026-Q1", decision="accept")),
    "DecideSheetCorrection": ({"office"}, spb.DecideSheetCorrectionRequest(
        scheme_code=SCHEME_CODE, indicator_code="nope", period="2026-Q1", decision="approve")),
}


_ROUND = {"scheme_code": SCHEME_CODE, "indicator_code": "nope", "period": "2026-Q1"}
# assessment teams (docs/assessment-teams.md): the office manages, an assessor scores their own units
ASSESSMENT = {
    "GetAssessmentRound": ({"office"}, apb.AssessmentRoundRequest(**_ROUND)),
    "SetAssessmentTeam": ({"office"}, apb.SetAssessmentTeamRequest(**_ROUND, team_code="t1")),
    "LockAssessmentRoster": ({"office"}, apb.AssessmentRoundRequest(**_ROUND)),
    "ReplaceAssessor": ({"office"}, apb.ReplaceAssessorRequest(**_ROUND, team_code="t1", reason="x")),
    "CloseUnitAssessment": ({"office"}, apb.CloseUnitAssessmentRequest(**_ROUND, unit_id="U-R01")),
    "GetAssessorLeniency": ({"office"}, apb.AssessmentRoundRequest(**_ROUND)),
    "ListMyAssessments": ({"assessor"}, apb.ListMyAssessmentsRequest(scheme_code=SCHEME_CODE)),
    "GetOnSiteScores": ({"assessor"}, apb.OnSiteScoresRequest(**_ROUND, unit_id="U-R01")),
    "SaveOnSiteScores": ({"assessor"}, apb.SaveOnSiteScoresRequest(**_ROUND, unit_id="U-R01")),
    "SubmitOnSiteScores": ({"assessor"}, apb.OnSiteScoresRequest(**_ROUND, unit_id="U-R01")),
}
_BALLOT_ROUND = dict(scheme_code=SCHEME_CODE, indicator_code="nope", period="2026", unit_id="U-R01")
BALLOTS = {  # docs/ballots.md: the office runs the rounds; only the gateway's ballot box votes
    "IssueBallotCodes": ({"office"}, bpb.IssueBallotCodesRequest(**_BALLOT_ROUND, group="cadres", count=1)),
    "VoidBallotCodes": ({"office"}, bpb.VoidBallotCodesRequest(**_BALLOT_ROUND, group="cadres")),
    "GetBallotTurnout": ({"office"}, bpb.GetBallotTurnoutRequest(**_BALLOT_ROUND)),
    "ListBallotRounds": ({"office"}, bpb.ListBallotRoundsRequest(scheme_code=SCHEME_CODE, period="2026")),
    "CountBallots": ({"office"}, bpb.CountBallotsRequest(**_BALLOT_ROUND)),
    "OpenBallot": ({"ballot_box"}, bpb.OpenBallotRequest(ballot_code="nope")),
    "CastBallot": ({"ballot_box"}, bpb.CastBallotRequest(ballot_code="nope")),
}

SIMULATION = {  # docs/simulation.md: the office alone asks what-ifs and reads who asked which
    "Simulate": ({"office"}, simpb.SimulateRequest(scheme_code=SCHEME_CODE, period="2026", changes=[
        simpb.SimulationChange(kind="ratio", grading_code="nope", parts={1: 1.0})])),
    "ListSimulations": ({"office"}, simpb.ListSimulationsRequest(scheme_code=SCHEME_CODE)),
}


@pytest.mark.parametrize("service, policy, stub_class, address", [
    ("RegistryService", REGISTRY, registry_pb2_grpc.RegistryServiceStub, "registry_address"),
    ("ScoringService", SCORING, scoring_pb2_grpc.ScoringServiceStub, "scoring_address"),
    ("AssessmentService", ASSESSMENT, assessment_pb2_grpc.AssessmentServiceStub, "scoring_address"),
    ("BallotService", BALLOTS, ballots_pb2_grpc.BallotServiceStub, "scoring_address"),
    ("SimulationService", SIMULATION, simulation_pb2_grpc.SimulationServiceStub, "scoring_address"),
])
def test_every_rpc_lets_in_exactly_its_roles(platform, service, policy, stub_class, address):
    module = {"RegistryService": rpb, "ScoringService": scoring_pb2, "AssessmentService": assessment_pb2,
              "BallotService": ballots_pb2, "SimulationService": simulation_pb2}[service]
    methods = {m.name for m in module.DESCRIPTOR.services_by_name[service].methods}
    assert methods == set(policy), f"classify every rpc of {service} here: {sorted(methods ^ set(policy))}"
    wrong = []
    with grpc.insecure_channel(getattr(platform, address)) as channel:
        stub = stub_class(channel)
        for method, (allowed, request) in sorted(policy.items()):
            for role in ROLES:
                found = status_of(stub, method, request, call_credentials(token_of(platform, role)))
                if role in allowed and found in (CODE.UNAUTHENTICATED, CODE.PERMISSION_DENIED):
                    wrong.append(f"{method} as {role}: {found.name}, expected it to be let in")
                if role not in allowed and found != CODE.PERMISSION_DENIED:
                    wrong.append(f"{method} as {role}: {found.name}, expected PERMISSION_DENIED")
                if found in (CODE.INTERNAL, CODE.UNKNOWN):
                    wrong.append(f"{method} as {role}: {found.name}")
            for metadata in ((), (("authorization", f"Bearer jx_{uuid.uuid4().hex}"),), (("authorization", "Bearer "),),
                             (("authorization", platform.tokens.office),),  # the token without "Bearer "
                             (("authorization", f"Basic {platform.tokens.office}"),)):
                found = status_of(stub, method, request, metadata)
                if found != CODE.UNAUTHENTICATED:
                    wrong.append(f"{method} with {metadata!r:.40}: {found.name}, expected UNAUTHENTICATED")
    assert not wrong, "\n".join(wrong)


# -- the gateway -------------------------------------------------------------------------------

def get(platform, path: str, token: str = "", headers: dict | None = None, method: str = "GET", data: bytes | None = None,
        content_type: str = "") -> tuple[int, dict, bytes]:
    sent = dict(headers or {})
    if token:
        sent["Authorization"] = f"Bearer {token}"
    if content_type:
        sent["Content-Type"] = content_type
    request = urllib.request.Request(platform.gateway_url + path, headers=sent, method=method, data=data)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def upload_json(platform, events: list[dict], token: str) -> tuple[int, dict]:
    status, _, body = get(platform, "/api/v1/uploads", token, method="POST",
                          data=json.dumps({"events": events}, ensure_ascii=False).encode(), content_type="application/json")
    return status, json.loads(body)


@pytest.fixture(scope="module")
def february(platform):
    """A figure for February (open, not published), uploaded by the statistics bureau; its event id."""
    status, body = upload_json(platform, [{"unit_id": "U-R02", "metric_code": "fixed_asset_investment", "value": 7.5,
                                           "measurement_unit": "CNY_100M", "period": "2026-02"}], platform.tokens.feed)
    assert status == 200, body
    event_id = body["events"][0]["event_id"]
    eventually(lambda: get(platform, f"/api/v1/events/{event_id}", platform.tokens.office)[0] == 200, 60,
               "the February figure stored")
    return event_id


def test_the_public_never_sees_what_the_office_read_first(platform, february):
    """The gateway caches public answers: an office answer must never be one, nor its ETag a 304."""
    for path in (f"{API}/rankings?category=district_county&period=2026-02", f"{API}/units/U-R02?period=2026-02",
                 f"{API}/bulletins/2026-02", f"/api/v1/events/{february}", f"{API}/progress?period=2026-02",
                 f"{API}/grades/district_county?period=2026-02", f"{API}/regions?period=2026-02",
                 f"{API}/completeness?period=2026-02"):
        status, headers, _ = get(platform, path, platform.tokens.office)
        assert status == 200, path
        for token in ("", platform.tokens.feed, platform.tokens.reader, platform.unit_token):
            again, _, body = get(platform, path, token)
            assert again == 404 and json.loads(body)["error"]["code"] == "period_not_published", (path, token[:6], body)
        conditional, _, _ = get(platform, path, headers={"If-None-Match": headers["ETag"]})
        assert conditional == 404, path
    listed = json.loads(get(platform, f"{API}/periods")[2])
    assert {p["state"] for p in listed["periods"]} == {"published"}
    trend = json.loads(get(platform, f"{API}/units/U-R02/trend?granularity=month")[2])
    assert [p["period"] for p in trend["points"]] == ["2026-01"]


@pytest.mark.parametrize("how", ["query", "cookie", "lower-case scheme", "two tokens", "Basic"])
def test_a_token_counts_only_as_authorization_bearer(platform, how):
    office = platform.extra_tokens["thrown-away office"]
    path = f"{API}/periods/2026-11/lock"
    sent = {"query": ({}, f"?access_token={office}&token={office}"), "cookie": ({"Cookie": f"token={office}"}, ""),
            "lower-case scheme": ({"Authorization": f"bearer {office}"}, ""),
            "two tokens": ({"Authorization": f"Bearer {platform.tokens.feed} {office}"}, ""),
            "Basic": ({"Authorization": f"Basic {office}"}, "")}[how]
    status, _, body = get(platform, path + sent[1], headers=sent[0], method="POST")
    assert status == 401, body
    assert get(platform, f"{API}/periods?state=open" + sent[1], headers=sent[0])[0] in (401, 403)


NAMES = ["..%2F..%2Fetc%2Fpasswd.csv", "%2e%2e/v.csv", "v.csv%00.txt", "..\\v.csv", "....//v.csv", "v\x00.csv",
         "/etc/cron.d/x.csv", "C:v.csv", "\\\\server\\share\\v.csv"]


def test_upload_names_with_encoded_paths_are_refused_and_nothing_is_written(platform):
    before = sorted(str(p) for p in Path(platform.folder).rglob("*") if not p.name.endswith((".stderr", "-wal", "-shm")))
    content = b"unit_id,metric_code,value,period\nU-R01,fixed_asset_investment,1,2026-10\n"
    for name in NAMES:
        boundary = uuid.uuid4().hex
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n\r\n').encode() \
            + content + f"\r\n--{boundary}--\r\n".encode()
        status, _, reply = get(platform, "/api/v1/uploads?dry_run=1", platform.tokens.feed, method="POST", data=body,
                               content_type=f"multipart/form-data; boundary={boundary}")
        assert status in (200, 400), (name, status, reply)
        if status == 200:  # a plain name after all (werkzeug keeps it as given): checked, never a path
            assert json.loads(reply)["dry_run"] is True
        else:
            assert json.loads(reply)["error"]["message"].startswith("file:"), reply
    after = sorted(str(p) for p in Path(platform.folder).rglob("*") if not p.name.endswith((".stderr", "-wal", "-shm")))
    assert after == before


def test_uploads_beyond_the_row_limit_are_refused_whole(platform):
    """8 MiB (413, tests/e2e/gateway/test_uploads.py) and 100,000 rows per upload: a bigger file is refused, not cut."""
    before = json.loads(get(platform, "/api/v1/ingest")[2])
    row = b"U-R01,fixed_asset_investment,1,2026-10\n"
    csv_body = b"unit_id,metric_code,value,period\n" + row * 100_001
    boundary = uuid.uuid4().hex
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="v.csv"\r\n\r\n').encode() \
        + csv_body + f"\r\n--{boundary}--\r\n".encode()
    assert len(body) < 8 << 20
    status, _, reply = get(platform, "/api/v1/uploads", platform.tokens.feed, method="POST", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert status == 400 and "100000 rows" in json.loads(reply)["error"]["message"], reply[:300]
    status, reply = upload_json(platform, [{"unit_id": "U-R01"}] * 100_001, platform.tokens.feed)  # counted before checked
    assert status == 400 and "100000 items" in reply["error"]["message"], reply
    time.sleep(1)
    assert json.loads(get(platform, "/api/v1/ingest")[2]) == before


INJECTIONS = ["' OR '1'='1", "x'; DROP TABLE scoring_events; --", "\"; DELETE FROM scoring_unit_scores; --",
              "1) UNION SELECT sha256 FROM tokens --", "%' OR 1=1 --", "\\'; SELECT pg_sleep(5); --"]


def table_counts(platform) -> dict[str, int]:
    with sqlite3.connect(Path(platform.env["JIXIAO_DATA_DIR"]) / "scoring.db") as connection:
        names = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def test_sql_in_text_fields_is_stored_as_text_or_refused(platform, february):
    before = table_counts(platform)
    # as path and query parameters
    for text in INJECTIONS:
        quoted = urllib.parse.quote(text, safe="")
        for path in (f"/api/v1/schemes/{quoted}/rankings?category=district_county&period=2026-01",
                     f"{API}/rankings?category={quoted}&period=2026-01", f"{API}/units/{quoted}?period=2026-01",
                     f"{API}/grades/{quoted}?period=2026-01", f"/api/v1/events/{quoted}", f"{API}/persons/{quoted}?period=2026-01",
                     f"{API}/periods/{quoted}/lock", f"{API}/consequences?grading_code={quoted}"):
            method = "POST" if path.endswith("/lock") else "GET"
            status, _, body = get(platform, path, platform.tokens.office, method=method)
            assert status in (400, 404), (path, status, body)
    # as uploaded text: stored verbatim, like any text
    rows = [{"unit_id": "U-R03", "metric_code": "fixed_asset_investment", "value": 1.25, "period": "2026-02",
             "measurement_unit": "CNY_100M", "event_id": f"sql-{i}", "evidence_ref": text, "attributes": {"note": text}}
            for i, text in enumerate(INJECTIONS)]
    status, body = upload_json(platform, rows, platform.tokens.feed)
    assert status == 200, body
    for i, text in enumerate(INJECTIONS):
        found = eventually(lambda i=i: (lambda answer: answer if answer[0] != 404 else None)(
            get(platform, f"/api/v1/events/sql-{i}", platform.tokens.office)), 60, f"sql-{i} stored")
        status, _, raw = found
        event = json.loads(raw)
        assert status == 200 and event["evidence_ref"] == text and event["attributes"] == {"note": text}
    # as the office's and a unit's free text
    summary = INJECTIONS[2]
    status, _, raw = get(platform, f"{API}/units/U-R01/self-evaluation", platform.unit_token, method="POST",
                         data=json.dumps({"period": "2026-03", "total": 50, "summary": summary}).encode(),
                         content_type="application/json")
    assert status == 200 and json.loads(raw)["summary"] == summary, raw
    for action, reason in (("lock", INJECTIONS[1]), ("reopen", INJECTIONS[0])):
        status, _, raw = get(platform, f"{API}/periods/2026-11/{action}", platform.tokens.office, method="POST",
                             data=json.dumps({"reason": reason}).encode(), content_type="application/json")
        assert status == 200 and json.loads(raw)["reason"] == reason, raw
    # over gRPC, to the registry and scoring directly
    with grpc.insecure_channel(platform.registry_address) as channel:
        stub = registry_pb2_grpc.RegistryServiceStub(channel)
        for text in INJECTIONS:
            metadata = call_credentials(platform.tokens.reader)
            assert status_of(stub, "GetScheme", rpb.GetSchemeRequest(code=text), metadata) == CODE.NOT_FOUND
            assert not stub.ListPlugins(rpb.ListPluginsRequest(query=text), timeout=30, metadata=metadata).plugins
    after = table_counts(platform)
    grew = {name: after[name] - before[name] for name in after if after[name] != before[name]}
    assert set(before) == set(after), "a table appeared or vanished"
    assert grew.get("scoring_events") == len(rows) and grew.get("scoring_self_evaluations") == 1, grew
    assert grew.get("scoring_self_evaluation_history") == 1, grew  # every submission kept
    assert set(grew) <= {"scoring_events", "scoring_self_evaluations", "scoring_self_evaluation_history",
                         "scoring_period_states", "scoring_period_actions",
                         "scoring_indicator_results", "scoring_unit_scores", "scoring_person_scores", "scoring_counters"}, grew
    assert all(n >= 0 for n in grew.values()), grew


# -- secrets in logs -----------------------------------------------------------------------

def secrets_in(text: str, secrets: dict[str, str]) -> list[str]:
    """Which secrets appear in `text`, whole or by a 12-character piece of their random part."""
    found = []
    for name, secret in secrets.items():
        body = secret[3:] if secret.startswith("jx_") else secret
        pieces = {body[i:i + 12] for i in range(0, max(1, len(body) - 11), 6)}
        if secret in text or any(piece in text for piece in pieces):
            found.append(name)
    return found


def test_no_token_or_password_reaches_a_log(platform, broker, tmp_path):
    unknown = f"jx_{uuid.uuid4().hex}{uuid.uuid4().hex}"
    secrets = {"office": platform.tokens.office, "reader": platform.tokens.reader, "feed": platform.tokens.feed,
               "department": platform.tokens.department, "unit": platform.unit_token, "unknown": unknown}
    # every kind of request, with every token, right and wrong
    for token in (*secrets.values(), ""):
        get(platform, f"{API}/rankings?category=district_county&period=2026-01", token)
        get(platform, f"{API}/periods/2026-12/recheck", token, method="POST")
        get(platform, "/api/v1/uploads", token, method="POST", data=b"{}", content_type="application/json")
        get(platform, "/api/v1/schemes", headers={"Authorization": f"Basic {token}"})
        for address, stub_class, method, request in (
                (platform.scoring_address, scoring_pb2_grpc.ScoringServiceStub, "GetIngestStatus", spb.GetIngestStatusRequest()),
                (platform.registry_address, registry_pb2_grpc.RegistryServiceStub, "SetPluginStatus",
                 rpb.SetPluginStatusRequest(name="x", version="1", status="approved"))):
            with grpc.insecure_channel(address) as channel:
                status_of(stub_class(channel), method, request, call_credentials(token))
    # the feeds' private keys: a key the registry makes (shown once, in its answer), the keys
    # the platform's feeds sign with, and the relay key the gateway signs an upload with
    with grpc.insecure_channel(platform.registry_address) as channel:
        made = registry_pb2_grpc.RegistryServiceStub(channel).CreateSourceKey(
            rpb.CreateSourceKeyRequest(source="stats_bureau"), timeout=30, metadata=call_credentials(platform.tokens.office))
    secrets["private key made now"] = json.loads(made.key_file)["private_key"]
    for path in platform.keys.folder.glob("*.key"):
        secrets[f"private key {path.name}"] = json.loads(path.read_text(encoding="utf-8"))["private_key"]
    status, body = upload_json(platform, [{"unit_id": "U-R09", "metric_code": "fixed_asset_investment", "value": 3.5,
                                           "measurement_unit": "CNY_100M", "period": "2026-07"}], platform.tokens.feed)
    assert status == 200, body
    # the office signs in at the desk, acts there, and signs out
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(platform.gateway_url + "/office/login", timeout=30).read().decode()
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    for token in (unknown, platform.tokens.office):
        try:
            opener.open(platform.gateway_url + "/office/login", data=urllib.parse.urlencode(
                {"csrf": csrf, "token": token}).encode(), timeout=30).read()
        except urllib.error.HTTPError as error:
            assert error.code == 401 and token == unknown
    assert "考核办" in opener.open(platform.gateway_url + "/office/", timeout=30).read().decode()
    # a scoring process whose database URL carries a password, at DEBUG too
    with postgres_database() as url:
        if url is not None:
            password = f"pw{uuid.uuid4().hex}"
            secrets["database password"] = password
            with_password = url.replace("postgres@", f"postgres:{password}@", 1)
            assert password in with_password
            port = free_port()
            scorer = ServiceProcess("jixiao.scoring", {**platform.env, "JIXIAO_SCORING_PORT": str(port),
                                                      "JIXIAO_SCORING_DATABASE_URL": with_password,
                                                      "JIXIAO_CONSUMER_GROUP": unique("group"),
                                                      "JIXIAO_METRICS_TOPIC": unique("metrics")}, tmp_path)
            scorer.wait_ready(lambda: grpc_serving(f"127.0.0.1:{port}"), timeout=60)
            assert scorer.stop() == 0
            logs = {"scoring (PostgreSQL)": scorer.stderr()}
            bad = run_to_exit("jixiao.scoring", {**platform.env, "JIXIAO_SCORING_PORT": str(free_port()),
                                                 "JIXIAO_SCORING_DATABASE_URL": with_password.replace("+psycopg", "+asyncpg")})
            assert bad.returncode == 2
            logs["scoring (bad URL)"] = bad.stderr
        else:
            logs = {}
    logs.update({process.module: process.stderr() for process in platform.processes})
    assert "DEBUG" in logs["jixiao.gateway"] + logs["jixiao.scoring"], "the services were meant to log at DEBUG"
    leaks = {where: found for where, text in logs.items() if (found := secrets_in(text, secrets))}
    assert not leaks, f"secrets in logs: {leaks}"
