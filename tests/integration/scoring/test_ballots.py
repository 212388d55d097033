"""Democratic evaluation ballots (docs/ballots.md) in scoring: codes stored only as keyed hashes,
a ballot cast spends its code in the same transaction or stores nothing, the count becomes
tally events and, through the `ballot` formula, the team's and each leader's results. On SQLite
and PostgreSQL; the rpcs over a real gRPC port with their roles on SQLite."""
import contextlib
import json

import grpc
import jixiao_indicator_generic
import pytest
from sqlalchemy import func, select

from helpers import make_tokens
from helpers.ballot_scheme import INDICATOR, ballot_scheme
from helpers.small_scheme import AmountVsPlan, Awards
from jixiao.common.auth import Principal, TokenBook, call_credentials
from jixiao.common.errors import FailedPrecondition, InvalidArgument
from jixiao.common.grpc_server import GrpcServer, ServiceBinding
from jixiao.common.tokens_cli import append
from jixiao.scoring.adapters.sql_schema import ballot_audit, ballot_codes, ballot_counts, ballots, events
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain import ballots as rules
from jixiao.scoring.entrypoints.ballot_servicer import BallotServicer
from jixiao.scoring.service_layer.ballots import Ballots
from jixiao.scoring.service_layer.period_review import PeriodReview
from jixiao.v1 import ballots_pb2 as pb
from jixiao.v1 import ballots_pb2_grpc
from jixiao_sdk import IndicatorHost

SCHEME, PERIOD = "test-2026", "2026"
OFFICE = Principal("考核办", "office")
ROUND = dict(scheme_code=SCHEME, indicator_code=INDICATOR, period=PERIOD)


@pytest.fixture
def service(database_url):
    host = IndicatorHost.from_plugins([jixiao_indicator_generic, AmountVsPlan(), Awards()], timeout_s=None)
    service = build_service(database_url, host)
    service.adopt_scheme(ballot_scheme(), 1, "sha256:test")
    return service


@pytest.fixture
def box(service):
    return Ballots(service)


def rows(service, table) -> list[dict]:
    with service.engine.connect() as connection:
        return [dict(r) for r in connection.execute(select(table)).mappings()]


def count(service, table) -> int:
    with service.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar()


def vote(box, code, team=100, p1=80, p2=60):
    return box.cast(code, [("", team), ("P1", p1), ("P2", p2)])


def test_codes_are_stored_only_as_keyed_hashes_and_the_issue_is_audited(service, box):
    paper, codes = box.issue(SCHEME, INDICATOR, PERIOD, "U1", "cadres", 5, OFFICE)
    assert len(set(codes)) == 5 and all(rules.read_code(c) for c in codes)
    assert paper.subjects == ("", "P1", "P2")
    stored = rows(service, ballot_codes)
    assert {r["state"] for r in stored} == {"issued"} and len(stored) == 5
    dump = json.dumps(stored + rows(service, ballot_audit))
    for code in codes:
        assert code not in dump and rules.read_code(code) not in dump
    assert [(a["action"], a["actor"], a["rater_group"], a["count"]) for a in rows(service, ballot_audit)] == [
        ("issue", "考核办", "cadres", 5)]
    assert set(rows(service, ballot_audit)[0]) == {"id", "scheme_code", "indicator_code", "period", "unit_id",
                                                  "rater_group", "action", "actor", "at", "count"}


def test_a_code_votes_once_and_a_ballot_keeps_only_its_group_round_and_ratings(service, box):
    _, codes = box.issue(SCHEME, INDICATOR, PERIOD, "U1", "cadres", 2, OFFICE)
    assert box.open(codes[0].lower()).group.code == "cadres"
    paper = vote(box, codes[0])
    assert paper.unit_id == "U1"
    (ballot,) = rows(service, ballots)
    assert set(ballot) == {"ballot_id", "scheme_code", "indicator_code", "period", "unit_id", "rater_group",
                           "ratings_json"}
    assert json.loads(ballot["ratings_json"]) == {"": 100.0, "P1": 80.0, "P2": 60.0} and len(ballot["ballot_id"]) == 32
    assert sorted(r["state"] for r in rows(service, ballot_codes)) == ["issued", "spent"]
    assert set(rows(service, ballot_codes)[0]) == {"code_hash", "scheme_code", "indicator_code", "period", "unit_id",
                                                  "rater_group", "state"}
    with pytest.raises(FailedPrecondition, match="this code has already been used"):
        vote(box, codes[0])
    with pytest.raises(FailedPrecondition, match="this code has already been used"):
        box.open(codes[0])
    assert count(service, ballots) == 1


def test_bad_codes_and_bad_ballots_store_nothing(service, box):
    _, codes = box.issue(SCHEME, INDICATOR, PERIOD, "U1", "residents", 3, OFFICE)
    unknown = rules.shown(rules.new_code())
    with pytest.raises(InvalidArgument) as caught:
        vote(box, unknown)
    assert "unknown code" in str(caught.value) and unknown not in str(caught.value)
    with pytest.raises(InvalidArgument, match="ballot_code"):
        vote(box, "ABCD-EFGH")
    with pytest.raises(InvalidArgument, match="ballot_code"):
        vote(box, codes[0][:-1] + ("0" if codes[0][-1] != "0" else "1"))  # a mistyped check symbol
    with pytest.raises(InvalidArgument, match=r"ratings\[1\].value"):
        box.cast(codes[0], [("", 100), ("P1", 77), ("P2", 60)])
    with pytest.raises(InvalidArgument, match="not rated: P2"):
        box.cast(codes[0], [("", 100), ("P1", 80)])
    assert count(service, ballots) == 0 and {r["state"] for r in rows(service, ballot_codes)} == {"issued"}
    turnout = box.void(SCHEME, INDICATOR, PERIOD, "U1", "residents", [codes[1]], OFFICE)
    with pytest.raises(FailedPrecondition, match="withdrawn"):
        vote(box, codes[1])
    residents = next(g for g in turnout.groups if g.group.code == "residents")
    assert (residents.issued, residents.spent, residents.voided) == (2, 0, 1)
    vote(box, codes[0])
    with pytest.raises(FailedPrecondition, match="already been used"):
        box.void(SCHEME, INDICATOR, PERIOD, "U1", "residents", [codes[0]], OFFICE)
    turnout = box.void(SCHEME, INDICATOR, PERIOD, "U1", "residents", [], OFFICE)  # every unspent one
    residents = next(g for g in turnout.groups if g.group.code == "residents")
    assert (residents.issued, residents.spent, residents.voided) == (1, 1, 2)
    assert [(a["action"], a["count"]) for a in turnout.audit] == [("issue", 3), ("void", 1), ("void", 1)]


@pytest.mark.parametrize("field, value, message", [
    ("unit_id", "U9", "unit_id: 'U9' is not a unit"), ("period", "2026-Q1", "period: indicator"),
    ("group", "elders", "group: 'elders' is not a rater group"), ("count", 0, "count: must be a whole number"),
    ("indicator_code", "amount_vs_plan", "indicator_code: indicator 'amount_vs_plan'"),
    ("scheme_code", "", "scheme_code: is required")])
def test_a_bad_issue_names_the_field(service, box, field, value, message):
    request = dict(scheme_code=SCHEME, indicator_code=INDICATOR, period_text=PERIOD, unit_id="U1", group="cadres",
                   count=3)
    request[field if field != "period" else "period_text"] = value
    with pytest.raises(InvalidArgument) as caught:
        box.issue(**request, caller=OFFICE)
    assert str(caught.value).startswith(message) or message in str(caught.value)
    assert count(service, ballot_codes) == 0


def test_the_count_becomes_the_teams_and_each_leaders_results_and_a_recount_revises_it(service, box):
    _, cadres = box.issue(SCHEME, INDICATOR, PERIOD, "U1", "cadres", 4, OFFICE)
    _, residents = box.issue(SCHEME, INDICATOR, PERIOD, "U1", "residents", 4, OFFICE)
    vote(box, cadres[0], 100, 100, 80)
    vote(box, cadres[1], 80, 80, 80)
    vote(box, residents[0], 60, 100, 0)       # residents: 1 of 4, under the minimum of 50 %
    turnout = box.count(SCHEME, INDICATOR, PERIOD, "U1", OFFICE)
    by_group = {g.group.code: g for g in turnout.groups}
    assert (by_group["cadres"].fraction, by_group["cadres"].below_minimum) == (0.5, False)
    assert (by_group["residents"].fraction, by_group["residents"].below_minimum) == (0.25, True)
    assert turnout.counted == {"cadres": 2, "residents": 1}
    tallies = [r for r in rows(service, events) if r["metric_code"] == f"ballot_{INDICATOR}"]
    assert len(tallies) == 6 and {r["person_id"] for r in tallies} == {"", "P1", "P2"}
    assert all(set(json.loads(r["attributes_json"])) == {"group", "ballots", "issued"} for r in tallies)

    def team_result():
        found = next(r for r in service.unit_score(SCHEME, "U1", PERIOD)[3] if r["indicator_code"] == INDICATOR)
        return found["status"], found["points"], found["explanation"]

    status, points, explanation = team_result()
    assert (status, points) == ("ok", 90.0)   # the cadres' mean alone: residents flagged and left out
    assert "群众代表 平均60.00（1票/发放4张，参评率25.0%，最低50.0%，参评率不足，未计入）" in explanation
    people = service.repository.period_person_scores(SCHEME, PERIOD, ["P1", "P2"])
    assert (people["P1"]["personal_points"], people["P2"]["personal_points"]) == (90.0, 80.0)
    assert box.count(SCHEME, INDICATOR, PERIOD, "U1", OFFICE).counted == {"cadres": 2, "residents": 1}
    assert len([r for r in rows(service, events) if r["metric_code"] == f"ballot_{INDICATOR}"]) == 6  # nothing new
    vote(box, residents[1], 100, 100, 100)     # residents now 2 of 4: counted
    box.count(SCHEME, INDICATOR, PERIOD, "U1", OFFICE)
    assert team_result()[:2] == ("ok", pytest.approx(0.6 * 90 + 0.4 * 80))
    assert dict((r["rater_group"], r["ballots"]) for r in rows(service, ballot_counts)) == {"cadres": 2, "residents": 2}
    actions = [(a["action"], a["rater_group"], a["count"]) for a in rows(service, ballot_audit)]
    assert actions[-3:] == [("count", "cadres", 2), ("count", "residents", 1), ("count", "residents", 2)]


def test_a_closed_period_refuses_votes_issues_and_counts(service, box):
    _, codes = box.issue(SCHEME, INDICATOR, PERIOD, "U2", "cadres", 2, OFFICE)
    vote_u2 = lambda code: box.cast(code, [("", 80)])  # noqa: E731  (U2 has no persons)
    vote_u2(codes[0])
    PeriodReview(service).act("lock", SCHEME, PERIOD, OFFICE, reason="年度测评结束")
    with pytest.raises(FailedPrecondition, match="2026 is closed"):
        vote_u2(codes[1])
    with pytest.raises(FailedPrecondition, match="2026 is closed"):
        box.count(SCHEME, INDICATOR, PERIOD, "U2", OFFICE)
    with pytest.raises(FailedPrecondition, match="2026 is closed"):
        box.issue(SCHEME, INDICATOR, PERIOD, "U2", "cadres", 1, OFFICE)
    assert box.turnout(SCHEME, INDICATOR, PERIOD, "U2").closed
    assert count(service, ballots) == 1


def test_the_rounds_of_a_period_list_every_unit(service, box):
    box.issue(SCHEME, INDICATOR, PERIOD, "U1", "cadres", 2, OFFICE)
    listed = box.rounds(SCHEME, PERIOD)
    assert [(r.unit_id, [g.issued for g in r.groups]) for r in listed] == [("U1", [2, 0]), ("U2", [0, 0])]
    assert box.rounds(SCHEME, "2026-Q1") == []


@contextlib.contextmanager
def ballots_over_grpc(service, tokens):
    server = GrpcServer([ServiceBinding("jixiao.v1.BallotService", BallotServicer(Ballots(service),
                                                                                   TokenBook.load(tokens.file)),
                                        ballots_pb2_grpc.add_BallotServiceServicer_to_server)],
                        "127.0.0.1", 0, port_setting="test")
    server.start()
    channel = grpc.insecure_channel(f"127.0.0.1:{server.port}")
    stub = ballots_pb2_grpc.BallotServiceStub(channel)

    def call(rpc: str, request, token: str):
        return getattr(stub, rpc)(request, timeout=10, metadata=call_credentials(token or ""))

    call.channel = channel
    try:
        yield call
    finally:
        channel.close()
        server.stop(0)


def test_the_rpcs_with_their_roles_and_statuses(tmp_path):
    host = IndicatorHost.from_plugins([jixiao_indicator_generic, AmountVsPlan(), Awards()], timeout_s=None)
    service = build_service(f"sqlite:///{tmp_path / 'scoring.db'}", host)
    service.adopt_scheme(ballot_scheme(), 1, "sha256:test")
    tokens = make_tokens(tmp_path)
    ballot_box = append(tokens.file, "gateway ballot box", "ballot_box", "")

    def refused(call, *args):
        with pytest.raises(grpc.RpcError) as error:
            call(*args)
        return error.value.code(), error.value.details()

    with ballots_over_grpc(service, tokens) as call:
        issue = pb.IssueBallotCodesRequest(**ROUND, unit_id="U1", group="cadres", count=3)
        for token in (tokens.reader, tokens.department, tokens.feed, ballot_box):
            assert refused(call, "IssueBallotCodes", issue, token)[0] == grpc.StatusCode.PERMISSION_DENIED
        issued = call("IssueBallotCodes", issue, tokens.office)
        assert len(issued.ballot_codes) == 3 and issued.paper.group_name_zh == "机关干部"
        assert [s.name_zh for s in issued.paper.subjects] == ["甲区领导班子", "李明", "王芳"]
        assert [c.name_zh for c in issued.paper.scale] == ["优秀", "称职", "基本称职", "不称职"]
        code = issued.ballot_codes[0]
        for token in (tokens.office, tokens.reader):
            assert refused(call, "OpenBallot", pb.OpenBallotRequest(ballot_code=code), token)[0] == \
                grpc.StatusCode.PERMISSION_DENIED
        paper = call("OpenBallot", pb.OpenBallotRequest(ballot_code=code), ballot_box)
        assert (paper.unit_name_zh, paper.period) == ("甲区", PERIOD)
        ratings = [pb.BallotRating(subject=s, value=80) for s in ("", "P1", "P2")]
        cast = pb.CastBallotRequest(ballot_code=code, ratings=ratings)
        assert refused(call, "CastBallot", cast, tokens.office)[0] == grpc.StatusCode.PERMISSION_DENIED
        assert call("CastBallot", cast, ballot_box).paper.unit_id == "U1"
        assert refused(call, "CastBallot", cast, ballot_box) == (
            grpc.StatusCode.FAILED_PRECONDITION, "ballot_code: this code has already been used")
        unknown = pb.CastBallotRequest(ballot_code=rules.shown(rules.new_code()), ratings=ratings)
        code_, details = refused(call, "CastBallot", unknown, ballot_box)
        assert code_ == grpc.StatusCode.INVALID_ARGUMENT and details.startswith("ballot_code: unknown code")
        bad = pb.CastBallotRequest(ballot_code=issued.ballot_codes[1], ratings=ratings[:2])
        assert refused(call, "CastBallot", bad, ballot_box)[0] == grpc.StatusCode.INVALID_ARGUMENT
        where = pb.GetBallotTurnoutRequest(**ROUND, unit_id="U1")
        assert refused(call, "GetBallotTurnout", where, ballot_box)[0] == grpc.StatusCode.PERMISSION_DENIED
        turnout = call("GetBallotTurnout", where, tokens.office)
        assert [(g.group, g.issued, g.spent, g.below_minimum) for g in turnout.groups] == [
            ("cadres", 3, 1, True), ("residents", 0, 0, False)]
        counted = call("CountBallots", pb.CountBallotsRequest(**ROUND, unit_id="U1"), tokens.office)
        assert [g.counted for g in counted.groups] == [1, 0] and counted.audit[-1].action == "count"
        voided = call("VoidBallotCodes", pb.VoidBallotCodesRequest(**ROUND, unit_id="U1", group="cadres"),
                      tokens.office)
        assert [(g.issued, g.voided) for g in voided.groups][0] == (1, 2)
        listed = call("ListBallotRounds", pb.ListBallotRoundsRequest(scheme_code=SCHEME, period=PERIOD), tokens.office)
        assert [r.unit_id for r in listed.rounds] == ["U1", "U2"]
        assert refused(call, "IssueBallotCodes", pb.IssueBallotCodesRequest(**ROUND, unit_id="U1", group="cadres",
                                                                            count=0), tokens.office) == (
            grpc.StatusCode.INVALID_ARGUMENT, "count: must be a whole number from 1 to 2000, not 0")


def test_the_demo_round_issues_votes_and_counts_every_unit(tmp_path):
    from jixiao.embedded.demo_ballot_round import run_ballot_round

    host = IndicatorHost.from_plugins([jixiao_indicator_generic, AmountVsPlan(), Awards()], timeout_s=None)
    service = build_service(f"sqlite:///{tmp_path / 'scoring.db'}", host)
    document = ballot_scheme()
    service.adopt_scheme(document, 1, "sha256:test")
    tokens = make_tokens(tmp_path)
    ballot_box = append(tokens.file, "gateway ballot box", "ballot_box", "")
    with ballots_over_grpc(service, tokens) as call:
        summary = run_ballot_round(document, call.channel, tokens.office, ballot_box, codes_per_group=10, seed=7)
    assert set(summary.issued) == {(INDICATOR, u, g) for u in ("U1", "U2") for g in ("cadres", "residents")}
    assert all(5 <= n <= 10 for n in summary.cast.values()) and count(service, ballots) == summary.ballots
    results = {u: next(r for r in service.unit_score(SCHEME, u, PERIOD)[3] if r["indicator_code"] == INDICATOR)
               for u in ("U1", "U2")}
    assert all(r["status"] == "ok" and 0 <= r["points"] <= 100 for r in results.values())
    people = service.repository.period_person_scores(SCHEME, PERIOD, ["P1", "P2"])
    assert set(people) == {"P1", "P2"}


def test_a_code_is_spent_once_even_by_two_transactions_at_once(service, box):
    """The guard against two ballots racing on one code: the second transaction's spend waits
    for the first (a row lock on PostgreSQL, the write lock on SQLite) and then finds the code
    spent, so its cast is refused and rolled back."""
    import threading

    from jixiao.scoring.adapters.ballot_repository import BallotRepository

    _, (code,) = box.issue(SCHEME, INDICATOR, PERIOD, "U1", "cadres", 1, OFFICE)
    code_hash = rules.code_hash(rules.code_key(service.ballot_secrets.secret(SCHEME)), rules.read_code(code))
    repository, second = BallotRepository(), {}

    def spend_too():
        with service.engine.connect() as other, other.begin():
            second["spent"] = repository.spend(other, code_hash)

    with service.engine.connect() as first:
        transaction = first.begin()
        assert repository.spend(first, code_hash)
        racer = threading.Thread(target=spend_too)
        racer.start()
        racer.join(0.5)
        assert racer.is_alive(), "the second spend waits for the first transaction"
        transaction.commit()
    racer.join(30)
    assert second == {"spent": False}
    with pytest.raises(FailedPrecondition, match="already been used"):
        vote(box, code)
    assert count(service, ballots) == 0
