"""Assessment teams in the telemetry: no assessor's code or token name is ever exported.

AssessmentService runs on a real port in this process with in-memory exporters installed (the
scoring process's gRPC interceptors and SQL spans); the office forms a team of assessors with
distinctive codes and names and locks it; the assessors save, are refused (a score over the
maximum, another team's unit, an office rpc, scoring again after submitting) and submit; the
office closes the unit and reads the round and the leniency. Then the text of every span —
names, attributes, events, status descriptions, resource — is searched for each code and
name: none may appear. Not vacuous: the same text holds the rpcs' names and the unit."""
from __future__ import annotations

import random
import uuid

import grpc
import jixiao_indicator_generic

from helpers import make_tokens
from helpers.assessment_scheme import INDICATOR, assessment_scheme
from helpers.in_memory_telemetry import in_memory_telemetry
from helpers.small_scheme import AmountVsPlan, Awards
from jixiao.common.auth import TokenBook, call_credentials
from jixiao.common.grpc_server import GrpcServer, ServiceBinding
from jixiao.common.tokens_cli import append
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.entrypoints.assessment_servicer import AssessmentServicer
from jixiao.scoring.service_layer.assessment_teams import AssessmentTeams
from jixiao.v1 import assessment_pb2 as pb
from jixiao.v1 import assessment_pb2_grpc
from jixiao_sdk import IndicatorHost


def _span_text(spans) -> str:
    parts = []
    for span in spans.get_finished_spans():
        parts += [span.name, str(dict(span.attributes or {})), str(span.status.description or ""),
                  str(dict(span.resource.attributes))]
        parts += [f"{e.name} {dict(e.attributes or {})}" for e in span.events]
    return "\n".join(parts)


def test_no_assessor_code_or_name_reaches_a_span(tmp_path):
    rng = random.Random(uuid.uuid4().int)
    codes = [f"KP{rng.randint(10**6, 10**7 - 1)}" for _ in range(3)]
    names = {code: f"考评员{code[-3:]}号{uuid.uuid4().hex[:6]}" for code in codes}
    host = IndicatorHost.from_plugins([jixiao_indicator_generic, AmountVsPlan(), Awards()], timeout_s=None)
    with in_memory_telemetry() as (spans, _):
        service = build_service(f"sqlite:///{tmp_path / 'scoring.db'}", host)
        service.adopt_scheme(assessment_scheme(), 1, "sha256:test")
        tokens = make_tokens(tmp_path)
        token = {code: append(tokens.file, names[code], "assessor", code) for code in codes}
        server = GrpcServer([ServiceBinding("jixiao.v1.AssessmentService",
                                            AssessmentServicer(AssessmentTeams(service), TokenBook.load(tokens.file)),
                                            assessment_pb2_grpc.add_AssessmentServiceServicer_to_server)],
                            "127.0.0.1", 0, port_setting="test")
        server.start()
        where = {"scheme_code": "test-2026", "indicator_code": INDICATOR, "period": "2026-Q1"}
        try:
            with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
                stub = assessment_pb2_grpc.AssessmentServiceStub(channel)

                def call(method, request, who):
                    return getattr(stub, method)(request, timeout=10, metadata=call_credentials(who))

                def refused(method, request, who):
                    try:
                        call(method, request, who)
                    except grpc.RpcError as error:
                        return error.code()
                    raise AssertionError(f"{method} was not refused")

                call("SetAssessmentTeam", pb.SetAssessmentTeamRequest(**where, team_code="t1", name="第一组",
                                                                     assessors=codes, unit_ids=["U1"]), tokens.office)
                assert refused("SetAssessmentTeam", pb.SetAssessmentTeamRequest(
                    **where, team_code="t2", assessors=[codes[0]], unit_ids=["U2"]), tokens.office) == \
                    grpc.StatusCode.INVALID_ARGUMENT   # already on t1
                call("LockAssessmentRoster", pb.AssessmentRoundRequest(**where), tokens.office)
                assert refused("ReplaceAssessor", pb.ReplaceAssessorRequest(
                    **where, team_code="t1", assessor=codes[0], replacement=codes[1], reason="x"), tokens.office) == \
                    grpc.StatusCode.INVALID_ARGUMENT
                unit = {**where, "unit_id": "U1"}
                rows = [pb.OnSiteScoreRow(item="targets", points=50), pb.OnSiteScoreRow(item="records", points=30)]
                assert refused("SaveOnSiteScores", pb.SaveOnSiteScoresRequest(
                    **unit, rows=[pb.OnSiteScoreRow(item="targets", points=61)]), token[codes[0]]) == \
                    grpc.StatusCode.INVALID_ARGUMENT
                assert refused("SaveOnSiteScores", pb.SaveOnSiteScoresRequest(**{**unit, "unit_id": "U2"}, rows=rows),
                               token[codes[0]]) == grpc.StatusCode.PERMISSION_DENIED
                assert refused("GetAssessorLeniency", pb.AssessmentRoundRequest(**where), token[codes[0]]) == \
                    grpc.StatusCode.PERMISSION_DENIED
                for code in codes:
                    call("SaveOnSiteScores", pb.SaveOnSiteScoresRequest(**unit, rows=rows), token[code])
                    call("SubmitOnSiteScores", pb.OnSiteScoresRequest(**unit), token[code])
                assert refused("SaveOnSiteScores", pb.SaveOnSiteScoresRequest(**unit, rows=rows), token[codes[0]]) == \
                    grpc.StatusCode.FAILED_PRECONDITION
                call("ListMyAssessments", pb.ListMyAssessmentsRequest(scheme_code="test-2026"), token[codes[1]])
                closed = call("CloseUnitAssessment", pb.CloseUnitAssessmentRequest(**unit), tokens.office)
                assert [s.assessor for s in closed.units[0].scores] == codes   # the office's own view has them
                call("GetAssessorLeniency", pb.AssessmentRoundRequest(**where), tokens.office)
        finally:
            server.stop(0)
    text = _span_text(spans)
    assert "SaveOnSiteScores" in text and "CloseUnitAssessment" in text and "U1" in text, text[:2000]
    for secret in (*codes, *names.values()):
        assert secret not in text, f"{secret} is in an exported span"
