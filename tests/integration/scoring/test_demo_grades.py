"""The demo year through the scoring service: departments graded 18/75/6 with
the safety veto applied, districts and counties ranked only."""
import pytest

from helpers import DEMO_SCHEME
from jixiao.common import event_codec
from jixiao.common.errors import InvalidArgument
from jixiao.embedded.demo_feed import demo_event_dicts
from jixiao.registry.domain.scheme import digest, parse_document
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.grading import boundary_ties
from jixiao.scoring.domain.ranking import competition_ranks
from jixiao.scoring.domain.records import IncomingRecord
from jixiao_sdk import IndicatorHost


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    service = build_service(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'scoring.db'}", IndicatorHost.discover())
    document = parse_document(DEMO_SCHEME.read_text(encoding="utf-8"))
    service.adopt_scheme(document, 1, digest(document))
    records = [IncomingRecord(event_codec.encode(event_codec.from_dict(e)), {}) for e in demo_event_dicts()]
    assert not service.ingest(records).rejected  # one batch: one rescore of each period, half the time of ten
    return service


def test_departments_are_graded_by_the_published_ratio_with_the_veto(scored):
    scheme, rule, graded = scored.grades("jiangchuan-2026", "departments", "2026")
    assert len(graded) == 99
    counts = {}
    for g in graded:
        counts[g.grade] = counts.get(g.grade, 0) + 1
    assert counts == {1: 18, 2: 75, 3: 6}
    [vetoed] = [g for g in graded if g.capped]
    assert vetoed.grade == 3 and vetoed.reason
    assert scheme.units[vetoed.id].name_zh == "市住房和城乡建设局"
    assert [g.rank for g in graded] == list(range(1, 100))


def test_no_two_leaders_with_equal_totals_get_different_grades(scored):
    """The demo year's 835 leaders: a grade never depends on an identifier. Leaders with
    the same total (and the same veto) have the same grade, or are a boundary tie the
    office must resolve, reported with the places it has to decide."""
    scheme, rule, graded = scored.grades("jiangchuan-2026", "leaders", "2026")
    assert rule.periods == ("year",) and rule.tie_breakers == ("personal_evaluation", "unit_total")
    by_total: dict[tuple, set] = {}
    for g in graded:
        by_total.setdefault((g.total, g.capped), set()).add(g.grade)
    tied = {key: grades for key, grades in by_total.items() if len(grades) > 1}
    assert tied == {}, f"leaders with equal totals got different grades: {tied}"
    assert sum(1 for g in graded if sum(1 for o in graded if o.total == g.total) > 1) > 0  # the demo has equal totals
    assert [g.rank for g in graded] == competition_ranks([g.total for g in graded])
    for tie in boundary_ties(graded):  # none in the demo year today; if scoring changes, each is reported whole
        assert {g.grade for g in graded if g.id in tie.ids} == {None}


def test_quarters_are_ranked_but_not_graded(scored):
    for code in ("departments", "leaders"):
        _, rule, graded = scored.grades("jiangchuan-2026", code, "2026-Q2")
        assert not rule.grades_period("quarter") and {g.grade for g in graded} == {None}
        assert not boundary_ties(graded)


def test_districts_are_ranked_only(scored):
    _, rule, graded = scored.grades("jiangchuan-2026", "district_county", "2026")
    assert rule.method == "rank_only" and len(graded) == 9 and {g.grade for g in graded} == {None}


def test_leaders_are_graded_163_658_11_with_the_three_crimes_fourth(scored):
    scheme, rule, graded = scored.grades("jiangchuan-2026", "leaders", "2026")
    counts = {}
    for g in graded:
        counts[g.grade] = counts.get(g.grade, 0) + 1
    assert len(graded) == 835 and counts == {1: 163, 2: 658, 3: 11, 4: 3}
    assert all(g.capped and "刑" in g.reason for g in graded if g.grade == 4)


def test_a_leaders_score_combines_the_unit_and_the_personal_evaluation(scored):
    person = "P0001"
    [row] = [r for p, r in scored.repository.period_person_scores("jiangchuan-2026", "2026").items() if p == person]
    unit_total = scored.repository.period_scores("jiangchuan-2026", "2026")[row["unit_id"]][0]
    assert row["unit_total"] == unit_total
    assert row["total"] == pytest.approx(0.6 * unit_total + 0.4 * row["personal_points"])
    assert row["personal_status"] == "ok" and row["plugin_version"].startswith("jixiao-indicator-leadership-evaluation==")
    assert row["evidence_json"] != "[]"


def test_unknown_rules_are_refused(scored):
    with pytest.raises(InvalidArgument, match="grading_code"):
        scored.grades("jiangchuan-2026", "nope", "2026")


def test_progress_warns_where_a_unit_lags_its_plan(scored):
    scheme, check, tolerance, entries = scored.progress("jiangchuan-2026", "2026-Q3")
    assert check.end.isoformat() == "2026-09-30" and tolerance == 0.1
    codes = {code for _, code, _ in entries}
    assert codes == {"investment_completion", "fiscal_revenue", "funds_from_higher_levels"}
    warned = {(scheme.units[unit].name_zh, code) for unit, code, p in entries if p.warning}
    assert ("东湖区", "investment_completion") in warned  # the demo's laggard: 72 % of its plan by December
    assert all(p.gap > tolerance for _, _, p in entries if p.warning)
    east_lake = next(p for unit, code, p in entries
                     if scheme.units[unit].name_zh == "东湖区" and code == "investment_completion")
    assert east_lake.expected_share == pytest.approx(0.7)  # the 2026-09 milestone


def test_bulletin_ranks_movers_and_warnings(scored):
    scheme, before, categories, warnings = scored.bulletin("jiangchuan-2026", "2026-Q3")
    assert before == "2026-Q2"
    districts = next(c for c in categories if c["category"]["code"] == "district_county")
    assert [e["rank"] for e in districts["ranking"]] == list(range(1, 10))
    assert all(e["previous_rank"] for e in districts["ranking"])
    for e in districts["ranking"]:
        earlier = scored.repository.unit_score("jiangchuan-2026", e["unit_id"], "2026-Q2")["total"]
        assert e["vs_previous"] == pytest.approx(e["total"] - earlier)
    assert all(e["previous_rank"] > e["rank"] for e in districts["risers"])
    assert all(e["previous_rank"] < e["rank"] for e in districts["fallers"])
    assert warnings and all(p.warning for _, _, p in warnings)


def test_unit_deltas_against_the_period_before(scored):
    scheme = scored.scheme("jiangchuan-2026")
    q2 = scored.repository.unit_score("jiangchuan-2026", "U-R01", "2026-Q2")["total"]
    q3 = scored.repository.unit_score("jiangchuan-2026", "U-R01", "2026-Q3")["total"]
    deltas = scored.deltas(scheme, "U-R01", "2026-Q3", q3)
    assert deltas["vs_previous"] == pytest.approx(q3 - q2)
    assert (deltas["last_year_period"], deltas["vs_last_year"]) == ("2025-Q3", None)  # no 2025 scheme


@pytest.fixture(scope="module")
def rollups(scored):
    from jixiao.scoring.service_layer.above_unit import Rollups
    from jixiao.scoring.service_layer.period_review import PeriodReview

    return Rollups(scored, PeriodReview(scored))


def test_a_leaders_score_combines_the_units_total_and_the_personal_evaluation(rollups):
    person, score, state = rollups.person("jiangchuan-2026", "P0001", "2026")
    assert (person["name_zh"], person["unit"], state) == ("刘永强", "U-R01", "open")
    assert score["total"] == pytest.approx(0.6 * score["unit_total"] + 0.4 * score["personal_points"])
    assert score["personal_status"] == "ok" and score["explanation"]
    with pytest.raises(InvalidArgument, match="person_id"):
        rollups.person("jiangchuan-2026", "P9999", "2026")


def test_the_leadership_team_scores_the_mean_of_its_members(rollups):
    team = rollups.team("jiangchuan-2026", "U-R01", "2026")
    assert team.team_id == "T-U-R01" and team.name_zh == "青山区领导班子"
    assert len(team.members) >= 5 and team.members[0].person_id == "P0001"
    assert team.score == pytest.approx(sum(m.total for m in team.members) / len(team.members))


def test_regions_rank_by_their_units_mean_total(rollups, scored):
    regions = rollups.regions("jiangchuan-2026", "2026")
    assert [r.rank for r in regions] == list(range(1, 10)) and {r.units for r in regions} == {1}
    _, ranked = scored.ranking("jiangchuan-2026", "district_county", "2026")
    assert [(r.region_id, r.score) for r in regions] == [(f"R{r.unit_id[-2:]}", r.total) for r in ranked]


def test_consequences_of_the_first_year_are_listed_provisionally(rollups):
    findings = rollups.consequences("jiangchuan-2026", "leaders")
    rules = {}
    for f in findings:
        rules[f.consequence.rule] = rules.get(f.consequence.rule, 0) + 1
    assert rules == {"fourth_grade": 3, "third_grade": 11}
    assert all(f.provisional and f.subject == "person" and f.name_zh and f.unit_id for f in findings)
    assert {f.consequence.action_zh for f in findings if f.consequence.rule == "fourth_grade"} == {"撤销党政职务"}
    assert rollups.consequences("jiangchuan-2026", "district_county") == []
    with pytest.raises(InvalidArgument, match="grading_code"):
        rollups.consequences("jiangchuan-2026", "nope")


def test_grades_and_progress_come_a_page_at_a_time_over_grpc(scored, tmp_path):
    import grpc

    from helpers import make_tokens
    from jixiao.common.auth import TokenBook, call_credentials
    from jixiao.common.grpc_server import GrpcServer, ServiceBinding
    from jixiao.scoring.entrypoints.grpc_servicer import ScoringServicer
    from jixiao.scoring.service_layer.period_review import PeriodReview
    from jixiao.v1 import scoring_pb2 as pb
    from jixiao.v1 import scoring_pb2_grpc

    tokens = make_tokens(tmp_path)
    servicer = ScoringServicer(scored, PeriodReview(scored), TokenBook.load(tokens.file))
    server = GrpcServer([ServiceBinding("jixiao.v1.ScoringService", servicer, scoring_pb2_grpc.add_ScoringServiceServicer_to_server)],
                        "127.0.0.1", 0, port_setting="test")
    server.start()
    try:
        with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
            stub = scoring_pb2_grpc.ScoringServiceStub(channel)
            metadata = call_credentials(tokens.reader)
            request = pb.GetGradesRequest(scheme_code="jiangchuan-2026", grading_code="leaders", period="2026", page_size=500)
            first = stub.GetGrades(request, timeout=30, metadata=metadata)
            request.page_token = first.next_page_token
            second = stub.GetGrades(request, timeout=30, metadata=metadata)
            assert (len(first.entries), len(second.entries), first.total_size, second.next_page_token) == (500, 335, 835, "")
            assert first.counts == second.counts and sum(c.count for c in first.counts) == 835
            listed = [*first.entries, *second.entries]
            assert [e.rank for e in listed] == competition_ranks([e.total for e in listed])  # equal totals share a rank
            assert first.graded and not first.not_graded_reason_en and not first.ties
            quarter = stub.GetGrades(pb.GetGradesRequest(scheme_code="jiangchuan-2026", grading_code="leaders",
                                                         period="2026-Q3", page_size=500), timeout=30, metadata=metadata)
            assert not quarter.graded and not quarter.counts and not quarter.ties and quarter.total_size == 835
            assert (quarter.not_graded_reason_zh, quarter.not_graded_reason_en) == (
                "本期不评定等次（该规则只评定年度）", "not graded in this period (this rule grades the year only)")
            assert {e.grade for e in quarter.entries} == {0} and not any(e.tie_pending for e in quarter.entries)
            assert [e.rank for e in quarter.entries] == competition_ranks([e.total for e in quarter.entries])
            progress = stub.GetProgress(pb.GetProgressRequest(scheme_code="jiangchuan-2026", period="2026-06"),
                                        timeout=30, metadata=metadata)
            assert len(progress.entries) == min(100, progress.total_size) and progress.total_size > 0
    finally:
        server.stop(0)


def test_the_demo_year_has_no_false_gaps(scored):
    """Every unit reports its monthly feeds (investment and revenue for the districts, the four
    complaint counts for everyone) and takes part in the year-end surveys: the published months
    and quarters, and the year, have nothing missing."""
    months = [f"2026-{m:02d}" for m in range(1, 13)]
    for period in [*months, "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2026"]:
        _, found = scored.completeness("jiangchuan-2026", period)
        assert found.gaps == (), f"{period}: {found.missing()[:5]}"
        assert found.checked_through.isoformat() == "2026-12-31"
    # a month: 9 districts × (investment, revenue) + 108 units × 4 complaint counts
    assert scored.completeness("jiangchuan-2026", "2026-03")[1].expected == 9 * 2 + 108 * 4
    assert scored.completeness("jiangchuan-2026", "2026-Q3")[1].expected == 3 * 450
    assert scored.completeness("jiangchuan-2026", "2026")[1].expected == 12 * 450 + 108 * 2  # and the two surveys
    _, categories = scored.bulletin("jiangchuan-2026", "2026-Q3")[1:3]
    assert all(e["gaps"] == 0 for c in categories for e in c["ranking"])


def test_the_quarterly_bulletins_key_indicators(scored):
    scheme, before, categories, _ = scored.bulletin("jiangchuan-2026", "2026-Q3")
    districts = next(c for c in categories if c["category"]["code"] == "district_county")
    assert [k["indicator"] for k in districts["key_indicators"]] == [
        "investment_completion", "fiscal_revenue", "funds_from_higher_levels"]
    economic = next(c for c in categories if c["category"]["code"] == "economic")
    assert [k["indicator"] for k in economic["key_indicators"]] == ["funds_from_higher_levels"]
    assert next(c for c in categories if c["category"]["code"] == "social")["key_indicators"] == []
    investment = districts["key_indicators"][0]["rows"]
    assert [r.rank for r in investment] == competition_ranks([r.completion for r in investment])
    east_lake = next(r for r in investment if scheme.units[r.unit_id].name_zh == "东湖区")
    # 1–9月累计完成投资105.30亿元，占年计划43.5%，序时进度70.0%，落后26.5个百分点
    assert round(east_lake.year_to_date, 2) == 105.30 and round(east_lake.completion * 100, 1) == 43.5
    assert east_lake.expected == pytest.approx(0.7) and round(east_lake.ahead_points, 1) == -26.5
    assert east_lake.warning and east_lake.rank == 9 and east_lake.previous_rank == 9
    previous = {r.unit_id: r for r in scored.key_indicators(scheme, "2026-Q2", compare=False)[
        ("district_county", "investment_completion")]}
    for row in investment:
        assert row.previous_completion == pytest.approx(previous[row.unit_id].completion)
        assert row.vs_previous_points == pytest.approx(100 * (row.completion - previous[row.unit_id].completion))
        # last year's January–September from the scheme's monthly baselines, not the whole of 2025
        last = sum(b.value for b in scheme.baselines[(row.unit_id, "fixed_asset_investment")] if b.period <= "2025-09")
        assert row.last_year == pytest.approx(last) and row.vs_last_year == pytest.approx(row.year_to_date / last - 1)
