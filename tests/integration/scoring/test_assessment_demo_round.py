"""The demo's round of on-site assessment (jixiao.embedded.demo_assessment_round) against a real
AssessmentService on a free port: teams formed and locked, every assessor's plausible scores
submitted, every unit closed and scored; run again, it changes nothing."""
import grpc
import jixiao_indicator_generic

from helpers import make_tokens
from helpers.assessment_scheme import INDICATOR, assessment_scheme
from helpers.small_scheme import AmountVsPlan, Awards
from jixiao.common.auth import TokenBook
from jixiao.common.grpc_server import GrpcServer, ServiceBinding
from jixiao.common.tokens_cli import append
from jixiao.embedded.demo_assessment_round import fill_assessment_round, plausible_points
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.entrypoints.assessment_servicer import AssessmentServicer
from jixiao.scoring.service_layer.assessment_teams import AssessmentTeams
from jixiao.v1 import assessment_pb2_grpc
from jixiao_sdk import IndicatorHost


def test_a_demo_round_forms_scores_and_closes_every_unit_once(tmp_path):
    host = IndicatorHost.from_plugins([jixiao_indicator_generic, AmountVsPlan(), Awards()], timeout_s=None)
    service = build_service(f"sqlite:///{tmp_path / 'scoring.db'}", host)
    document = assessment_scheme()
    service.adopt_scheme(document, 1, "sha256:test")
    tokens = make_tokens(tmp_path)
    assessors = {f"A{n}": append(tokens.file, f"考评员A{n}", "assessor", f"A{n}") for n in range(1, 7)}
    teams = AssessmentTeams(service)
    server = GrpcServer([ServiceBinding("jixiao.v1.AssessmentService", AssessmentServicer(teams, TokenBook.load(tokens.file)),
                                        assessment_pb2_grpc.add_AssessmentServiceServicer_to_server)],
                        "127.0.0.1", 0, port_setting="test")
    server.start()
    try:
        with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
            summary = fill_assessment_round(document, channel, tokens.office, assessors, "2026-Q1")
            assert (summary.rounds, summary.teams, summary.entries_submitted, summary.units_closed) == (
                [f"{INDICATOR}/2026-Q1"], 2, 12, 4)   # 2 teams of 3, 2 units each
            again = fill_assessment_round(document, channel, tokens.office, assessors, "2026-Q1")
            assert (again.entries_submitted, again.units_closed) == (0, 0)
            assert fill_assessment_round(document, channel, tokens.office, assessors, "2026-03").rounds == []
    finally:
        server.stop(0)
    status = teams.get("test-2026", INDICATOR, "2026-Q1")
    assert status.round.state == "locked" and all(u.latest is not None for u in status.units)
    for unit in ("U1", "U2", "U3", "U4"):
        found = next(r for r in service.unit_score("test-2026", unit, "2026-Q1")[3] if r["indicator_code"] == INDICATOR)
        assert found["status"] == "ok" and 50 <= found["points"] <= 100, found
    assert len(teams.leniency("test-2026", INDICATOR, "2026-Q1")[2]) == 6


def test_plausible_points_stay_within_each_items_range():
    import random

    items = [{"code": "a", "max_points": 60}, {"code": "b", "max_points": 40}]
    for quality in (0.0, 0.5, 1.0):
        for leniency in (-4.0, 4.0):
            for item, points in plausible_points(items, quality, leniency, random.Random(1)):
                assert 0 <= points <= {"a": 60, "b": 40}[item] and points * 2 == int(points * 2)
