"""The review rpcs over a real gRPC port: roles, status codes, messages."""
from types import SimpleNamespace

import grpc
import pytest

from helpers import make_tokens
from helpers.small_scheme import small_service
from jixiao.common import event_codec
from jixiao.common.auth import TokenBook, call_credentials
from jixiao.common.grpc_server import GrpcServer, ServiceBinding
from jixiao.common.tokens_cli import append
from jixiao.scoring.domain.records import IncomingRecord
from jixiao.scoring.entrypoints.grpc_servicer import ScoringServicer
from jixiao.scoring.service_layer.period_review import PeriodReview
from jixiao.v1 import scoring_pb2 as pb
from jixiao.v1 import scoring_pb2_grpc


@pytest.fixture
def scoring(tmp_path):
    tokens = make_tokens(tmp_path)
    unit_token = append(tokens.file, "甲区联络员", "department", "U1")
    service = small_service(f"sqlite:///{tmp_path / 'scoring.db'}")
    data = {"event_id": "e1", "source": "stats", "unit_id": "U1", "metric_code": "amount", "value": 40.0, "period": "2026-03"}
    service.ingest([IncomingRecord(event_codec.encode(event_codec.from_dict(data)), {})])
    servicer = ScoringServicer(service, PeriodReview(service), TokenBook.load(tokens.file))
    server = GrpcServer([ServiceBinding("jixiao.v1.ScoringService", servicer, scoring_pb2_grpc.add_ScoringServiceServicer_to_server)],
                        "127.0.0.1", 0, port_setting="test")
    server.start()
    channel = grpc.insecure_channel(f"127.0.0.1:{server.port}")
    stub = scoring_pb2_grpc.ScoringServiceStub(channel)

    def call(rpc: str, request, token: str | None):
        return getattr(stub, rpc)(request, timeout=10, metadata=call_credentials(token or ""))

    yield SimpleNamespace(call=call, tokens=tokens, unit=unit_token)
    channel.close()
    server.stop(0)


def action(period: str = "2026-Q1", reason: str = "") -> pb.PeriodActionRequest:
    return pb.PeriodActionRequest(scheme_code="test-2026", period=period, reason=reason)


def code_of(call) -> grpc.StatusCode:
    with pytest.raises(grpc.RpcError) as error:
        call()
    return error.value.code(), error.value.details()


def test_the_office_locks_approves_and_publishes(scoring):
    office = scoring.tokens.office
    for rpc, state in (("LockPeriod", pb.PERIOD_STATE_LOCKED), ("ApprovePeriod", pb.PERIOD_STATE_APPROVED),
                       ("PublishPeriod", pb.PERIOD_STATE_PUBLISHED)):
        reply = scoring.call(rpc, action(), office)
        assert reply.state == state
    assert reply.published_by == "考核办" and len(reply.result_digest) == 64
    listed = scoring.call("ListPeriods", pb.ListPeriodsRequest(scheme_code="test-2026", state=pb.PERIOD_STATE_PUBLISHED),
                          scoring.tokens.reader)
    assert [p.period for p in listed.periods] == ["2026-Q1"]
    score = scoring.call("GetUnitScore", pb.GetUnitScoreRequest(scheme_code="test-2026", unit_id="U1", period="2026-Q1"),
                         scoring.tokens.reader)
    assert score.period_state == pb.PERIOD_STATE_PUBLISHED
    recheck = scoring.call("RecheckPeriod", pb.RecheckPeriodRequest(scheme_code="test-2026", period="2026-Q1"), office)
    assert recheck.identical and recheck.recomputed_digest == reply.result_digest


def test_periods_are_listed_newest_first_a_page_at_a_time(scoring):
    request = pb.ListPeriodsRequest(scheme_code="test-2026", page_size=2)
    first = scoring.call("ListPeriods", request, scoring.tokens.reader)
    assert [p.period for p in first.periods] == ["2026", "2026-Q1"]
    request.page_token = first.next_page_token
    second = scoring.call("ListPeriods", request, scoring.tokens.reader)
    assert [p.period for p in second.periods] == ["2026-03"] and not second.next_page_token
    assert {p.state for p in first.periods} == {pb.PERIOD_STATE_OPEN}


@pytest.mark.parametrize("who, expected", [
    (None, grpc.StatusCode.UNAUTHENTICATED),
    ("reader", grpc.StatusCode.PERMISSION_DENIED),
    ("department", grpc.StatusCode.PERMISSION_DENIED),
    ("feed", grpc.StatusCode.PERMISSION_DENIED),
])
@pytest.mark.parametrize("rpc", ["LockPeriod", "ReopenPeriod", "ApprovePeriod", "PublishPeriod"])
def test_only_the_office_acts_on_periods(scoring, rpc, who, expected):
    token = getattr(scoring.tokens, who) if who else None
    assert code_of(lambda: scoring.call(rpc, action(), token))[0] == expected


def test_reads_need_a_token(scoring):
    request = pb.GetRankingRequest(scheme_code="test-2026", category="district", period="2026")
    assert code_of(lambda: scoring.call("GetRanking", request, None))[0] == grpc.StatusCode.UNAUTHENTICATED
    assert code_of(lambda: scoring.call("GetRanking", request, "jx_forged"))[0] == grpc.StatusCode.UNAUTHENTICATED
    assert scoring.call("GetRanking", request, scoring.tokens.feed).total_size == 1


@pytest.mark.parametrize("request_, code, field", [
    (action(period=""), grpc.StatusCode.INVALID_ARGUMENT, "period: is required"),
    (action(period="2026-03-01"), grpc.StatusCode.INVALID_ARGUMENT, "period: '2026-03-01' is a day"),
    (pb.PeriodActionRequest(period="2026"), grpc.StatusCode.INVALID_ARGUMENT, "scheme_code: is required"),
    (pb.PeriodActionRequest(scheme_code="nope", period="2026"), grpc.StatusCode.NOT_FOUND, "nope"),
])
def test_bad_requests_name_the_field(scoring, request_, code, field):
    found, details = code_of(lambda: scoring.call("LockPeriod", request_, scoring.tokens.office))
    assert found == code and field in details


def test_approving_an_open_period_is_a_failed_precondition(scoring):
    found, details = code_of(lambda: scoring.call("ApprovePeriod", action(), scoring.tokens.office))
    assert found == grpc.StatusCode.FAILED_PRECONDITION and "is open" in details


def test_a_unit_submits_its_own_self_evaluation_only(scoring):
    request = pb.SubmitSelfEvaluationRequest(scheme_code="test-2026", unit_id="U1", period="2026-Q1", total=90, summary="自评")
    stored = scoring.call("SubmitSelfEvaluation", request, scoring.unit)
    assert (stored.total, stored.submitted_by) == (90.0, "甲区联络员")
    score = scoring.call("GetUnitScore", pb.GetUnitScoreRequest(scheme_code="test-2026", unit_id="U1", period="2026-Q1"),
                         scoring.tokens.reader)
    assert score.HasField("self_evaluation") and score.self_evaluation.summary == "自评"
    request.unit_id = "U2"
    assert code_of(lambda: scoring.call("SubmitSelfEvaluation", request, scoring.unit))[0] == grpc.StatusCode.PERMISSION_DENIED
    assert code_of(lambda: scoring.call("SubmitSelfEvaluation", request, scoring.tokens.reader))[0] == \
        grpc.StatusCode.PERMISSION_DENIED


def test_regions_persons_and_consequences_over_grpc(scoring):
    reader = scoring.tokens.reader
    regions = scoring.call("GetRegionScores", pb.GetRegionScoresRequest(scheme_code="test-2026", period="2026"), reader)
    assert [(r.rank, r.region_id, r.name_zh, r.units) for r in regions.regions] == [(1, "R1", "甲区", 1)]
    found, details = code_of(lambda: scoring.call(
        "GetPersonScore", pb.GetPersonScoreRequest(scheme_code="test-2026", person_id="P1", period="2026"), reader))
    assert found == grpc.StatusCode.INVALID_ARGUMENT and details.startswith("person_id")
    found, details = code_of(lambda: scoring.call(
        "ListConsequences", pb.ListConsequencesRequest(scheme_code="test-2026", grading_code="x"), reader))
    assert found == grpc.StatusCode.INVALID_ARGUMENT and details.startswith("grading_code")
    score = scoring.call("GetUnitScore", pb.GetUnitScoreRequest(scheme_code="test-2026", unit_id="U1", period="2026"), reader)
    assert not score.HasField("leadership_team")
