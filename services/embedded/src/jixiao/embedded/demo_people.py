"""The demo city's people, through scoring as they would act (docs/demo-city.md, "The people's
half"): each responsible department's scorer saves its score sheets of the first three quarters,
its head signs them and the office accepts them; the district and county units evaluate the
third quarter themselves; three assessment teams score the districts' year on site
(demo_assessment_round.py) and their leadership teams and leaders are rated by ballot
(demo_ballot_round.py). Idempotent: a sheet already accepted, a self-evaluation already given
is left as it is. Runs after the year's events are scored and before the office publishes."""
from __future__ import annotations

from collections.abc import Callable, Mapping

import grpc

from jixiao.common.auth import call_credentials
from jixiao.demo import people
from jixiao.embedded.demo_assessment_round import fill_assessment_round
from jixiao.embedded.demo_ballot_round import run_ballot_round
from jixiao.v1 import scoring_pb2 as pb
from jixiao.v1 import scoring_pb2_grpc

DEADLINE = 120.0


def fill_people(scoring_address: str, document: Mapping, office: str, tokens: Mapping[str, str],
                progress: Callable[[str], None], ballot_box: str = "") -> None:
    scheme = document["scheme"]["code"]
    with grpc.insecure_channel(scoring_address) as channel:
        stub = scoring_pb2_grpc.ScoringServiceStub(channel)
        accepted = 0
        for indicator in people.sheet_indicators(document):
            department = indicator["generic"]["department"]
            scorer, head = tokens[f"{department} scorer"], tokens[f"{department} head"]
            for period in people.SHEET_PERIODS:
                key = dict(scheme_code=scheme, indicator_code=indicator["code"], period=period)
                sheet = stub.GetScoreSheet(pb.GetScoreSheetRequest(**key), timeout=DEADLINE,
                                           metadata=call_credentials(office))
                if sheet.state == "accepted":
                    continue
                if sheet.state in ("not_started", "draft", "returned"):
                    rows = [pb.ScoreSheetRow(**row) for row in people.sheet_rows(document, indicator, period)]
                    stub.SaveScoreSheet(pb.SaveScoreSheetRequest(**key, rows=rows), timeout=DEADLINE,
                                        metadata=call_credentials(scorer))
                    stub.SubmitScoreSheet(pb.SubmitScoreSheetRequest(**key), timeout=DEADLINE,
                                          metadata=call_credentials(head))
                stub.ReviewScoreSheet(pb.ReviewScoreSheetRequest(**key, decision="accept"), timeout=DEADLINE,
                                      metadata=call_credentials(office))
                accepted += 1
        progress(f"  评分表 score sheets accepted: {accepted} (of {len(people.SHEET_PERIODS)} quarters × "
                 f"{len(people.sheet_indicators(document))} departments)")
        evaluated = 0
        for unit in [u["id"] for u in document["units"] if u.get("category") == "district_county"]:
            request = pb.GetUnitScoreRequest(scheme_code=scheme, unit_id=unit, period=people.SELF_EVALUATION_PERIOD)
            score = stub.GetUnitScore(request, timeout=DEADLINE, metadata=call_credentials(office))
            if score.HasField("self_evaluation"):
                continue
            computed = {r.indicator_code: r.points for r in score.indicators
                        if r.status == "ok" and r.counted and r.dimension == "work_results"}
            stub.SubmitSelfEvaluation(pb.SubmitSelfEvaluationRequest(
                scheme_code=scheme, unit_id=unit, period=people.SELF_EVALUATION_PERIOD,
                total=min(100.0, round(score.total + 3, 2)), summary="全面完成三季度目标任务，重点项目进度超序时",
                indicators=[pb.IndicatorSelfScore(**s) for s in people.self_scores(computed, unit)]),
                timeout=DEADLINE, metadata=call_credentials(office))
            evaluated += 1
        progress(f"  自评 self-evaluations of {people.SELF_EVALUATION_PERIOD}: {evaluated} district and county units")
        assessors = {key.split(" ", 1)[1]: token for key, token in tokens.items() if key.startswith("assessor ")}
        teams = fill_assessment_round(document, channel, office, assessors, str(document["scheme"]["year"]))
        progress(f"  考核组 on-site assessment of {document['scheme']['year']}: {teams.teams} teams, "
                 f"{teams.entries_submitted} scores submitted, {teams.units_closed} units closed")
        if ballot_box:
            ballots = run_ballot_round(document, channel, office, ballot_box)
            progress(f"  民主测评 democratic evaluation: {sum(ballots.issued.values())} codes issued, "
                     f"{ballots.ballots} ballots cast and counted")
