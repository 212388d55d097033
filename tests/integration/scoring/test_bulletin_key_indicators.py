"""The bulletin's key indicators and completeness through the scoring service and
over gRPC: year to date against the plan and the schedule, ranks on completion,
the change since the last bulletin, year on year from the scheme's baselines only
(never last year's stored events) where the same span is known, figures, plans and
baselines in different money units converted to the table's unit, and the gaps of
units that did not report what the scheme expects, flagged in rankings and
bulletins. On SQLite and PostgreSQL."""
import copy
from types import SimpleNamespace

import grpc
import pytest

from helpers import make_tokens
from helpers.small_scheme import SMALL_SCHEME, AmountVsPlan, Awards
from jixiao.common import event_codec
from jixiao.common.auth import TokenBook, call_credentials
from jixiao.common.errors import FailedPrecondition, InvalidArgument
from jixiao.common.grpc_server import GrpcServer, ServiceBinding
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.records import IncomingRecord
from jixiao.scoring.entrypoints.grpc_servicer import ScoringServicer
from jixiao.scoring.service_layer.period_review import PeriodReview
from jixiao.v1 import scoring_pb2 as pb
from jixiao.v1 import scoring_pb2_grpc
from jixiao_sdk import IndicatorHost

SCHEME = "test-2026"


def scheme_of(year: int) -> dict:
    document = copy.deepcopy(SMALL_SCHEME)
    document["scheme"] = {**document["scheme"], "code": f"test-{year}", "year": year}
    document["metrics"] = [{"code": "amount", "min": 0, "expected": "month"}, {"code": "award", "min": 0}]
    if year == 2026:
        # U1's Q1–Q3 2025 in 万元 (27 亿元 a quarter); U2's months January to June only: no like-for-like Jan–Sep
        document["baselines"] = [{"unit": "U1", "metric": "amount", "period": f"2025-Q{q}", "value": 270000.0,
                                  "measurement_unit": "CNY_10K"} for q in (1, 2, 3)]
        document["baselines"] += [{"unit": "U2", "metric": "amount", "period": f"2025-{m:02d}", "value": 15.0}
                                  for m in range(1, 7)]
    return document


def record(event_id: str, unit: str, value: float, period: str, metric: str = "amount",
           measurement_unit: str = "") -> IncomingRecord:
    data = {"event_id": event_id, "source": "stats" if metric == "amount" else "office", "unit_id": unit,
            "metric_code": metric, "value": value, "period": period, "measurement_unit": measurement_unit}
    return IncomingRecord(event_codec.encode(event_codec.from_dict(data)), {})


@pytest.fixture
def service(database_url):
    service = build_service(database_url, IndicatorHost.from_plugins([AmountVsPlan(), Awards()], timeout_s=None))
    service.adopt_scheme(scheme_of(2025), 1, "sha256:test-2025")
    service.adopt_scheme(scheme_of(2026), 1, "sha256:test-2026")
    # 2025: U1 reported 8 a month; 2026: U1 10 a month, U2 20 a month but nothing for August.
    events = [record(f"2025-{m}-U1", "U1", 8.0, f"2025-{m:02d}") for m in range(1, 13)]
    events += [record(f"2026-{m}-U1", "U1", 10.0, f"2026-{m:02d}") for m in range(1, 10)]
    events += [record(f"2026-{m}-U2", "U2", 20.0, f"2026-{m:02d}") for m in range(1, 10) if m != 8]
    assert not service.ingest(events).rejected
    return service


def category(service, period: str) -> dict:
    _, before, categories, _ = service.bulletin(SCHEME, period)
    [district] = categories
    return district


def test_key_indicator_rows_of_a_quarter(service):
    district = category(service, "2026-Q3")
    [key] = district["key_indicators"]
    assert (key["indicator"], key["metric"]) == ("amount_vs_plan", "amount")
    u1, u2 = key["rows"]
    assert (u1.unit_id, u1.rank, u1.year_to_date, u1.plan) == ("U1", 1, 90.0, 100.0)
    assert (u2.unit_id, u2.rank, u2.year_to_date, u2.plan) == ("U2", 2, 160.0, 200.0)
    due = 273 / 365  # no milestones: the share of the year elapsed on 30 September
    assert u1.expected == pytest.approx(due) and u1.ahead_points == pytest.approx(100 * (0.9 - due))
    # the last bulletin is 2026-Q2's: U1 60 of 100, U2 120 of 200 — equal completions share rank 1
    assert (u1.previous_rank, u2.previous_rank) == (1, 1)
    assert u1.vs_previous_points == pytest.approx(30.0) and u2.vs_previous_points == pytest.approx(20.0)
    # year on year from the baselines only: U1's Jan–Sep 2025, 3 × 270,000 万元 = 81 亿元 (not the
    # stored 2025 events' 72); U2's baselines stop in June: none
    assert u1.last_year == pytest.approx(81.0) and u1.vs_last_year == pytest.approx(90 / 81 - 1)
    assert u2.last_year is None and u2.vs_last_year is None
    assert key["gaps"] == {"U2": 1}  # August
    assert key["measurement_unit"] == ""  # the targets give none: 亿元


def test_a_bulletin_is_of_a_period_of_the_schemes_year(service):
    for period in ("2027-Q1", "2025-Q4", "2027"):
        with pytest.raises(InvalidArgument, match="period"):
            service.bulletin(SCHEME, period)


def test_money_units_are_converted_and_last_years_stored_events_not_used(database_url):
    """U1's plan is in 万元 and it reports in 万元; U2's plan is in 亿元 and it reports partly in
    万元; U1's baselines are in 元. U2 has last year's stored events but no baselines."""
    service = build_service(database_url, IndicatorHost.from_plugins([AmountVsPlan(), Awards()], timeout_s=None))
    last_year, document = scheme_of(2025), scheme_of(2026)
    document["targets"] = [{"unit": "U1", "indicator": "amount_vs_plan", "value": 1_000_000.0, "measurement_unit": "CNY_10K"},
                           {"unit": "U2", "indicator": "amount_vs_plan", "value": 200.0, "measurement_unit": "CNY_100M"}]
    document["baselines"] = [{"unit": "U1", "metric": "amount", "period": f"2025-Q{q}", "value": 2.7e9,
                              "measurement_unit": "CNY"} for q in (1, 2, 3)]
    service.adopt_scheme(last_year, 1, "sha256:test-2025")
    service.adopt_scheme(document, 1, "sha256:test-2026")
    events = [record(f"2025-{m}-U2", "U2", 15.0, f"2025-{m:02d}") for m in range(1, 13)]
    events += [record(f"2026-{m}-U1", "U1", 100_000.0, f"2026-{m:02d}", measurement_unit="CNY_10K") for m in range(1, 10)]
    events += [record(f"2026-{m}-U2", "U2", 200_000.0 if m in (1, 2) else 20.0, f"2026-{m:02d}",
                      measurement_unit="CNY_10K" if m in (1, 2) else "CNY_100M") for m in range(1, 10)]
    assert not service.ingest(events).rejected

    progress = {(unit, code): p for unit, code, p in service.progress(SCHEME, "2026-Q3")[3]}
    u1, u2 = progress[("U1", "amount_vs_plan")], progress[("U2", "amount_vs_plan")]
    assert (u1.actual, u1.target) == (pytest.approx(900_000.0), 1_000_000.0)  # in the target's unit, 万元
    assert (u2.actual, u2.target) == (pytest.approx(180.0), 200.0)            # 亿元
    assert u1.actual_share == pytest.approx(0.9) and u2.actual_share == pytest.approx(0.9)

    [key] = category(service, "2026-Q3")["key_indicators"]
    assert key["measurement_unit"] == "CNY_100M"  # plans in 万元 and 亿元: the table is in 亿元
    rows = {row.unit_id: row for row in key["rows"]}
    assert (rows["U1"].year_to_date, rows["U1"].plan) == (pytest.approx(90.0), pytest.approx(100.0))
    assert (rows["U2"].year_to_date, rows["U2"].plan) == (pytest.approx(180.0), 200.0)
    assert rows["U1"].rank == rows["U2"].rank == 1
    assert rows["U1"].last_year == pytest.approx(81.0) and rows["U1"].vs_last_year == pytest.approx(90 / 81 - 1)
    assert rows["U2"].last_year is None and rows["U2"].vs_last_year is None  # stored 2025 events: not used


def test_a_table_whose_plans_share_a_unit_stays_in_it(database_url):
    service = build_service(database_url, IndicatorHost.from_plugins([AmountVsPlan(), Awards()], timeout_s=None))
    document = scheme_of(2026)
    document["targets"] = [{"unit": u, "indicator": "amount_vs_plan", "value": 1_000_000.0, "measurement_unit": "CNY_10K"}
                           for u in ("U1", "U2")]
    service.adopt_scheme(document, 1, "sha256:test-2026")
    events = [record(f"2026-{m}-{u}", u, 10.0, f"2026-{m:02d}", measurement_unit="CNY_100M")
              for m in range(1, 10) for u in ("U1", "U2")]
    assert not service.ingest(events).rejected
    [key] = category(service, "2026-Q3")["key_indicators"]
    assert key["measurement_unit"] == "CNY_10K"
    for row in key["rows"]:
        assert (row.year_to_date, row.plan, row.completion) == (pytest.approx(900_000.0), 1_000_000.0, pytest.approx(0.9))
    # U1's baselines, 3 × 270,000 万元, compare like for like
    u1 = next(row for row in key["rows"] if row.unit_id == "U1")
    assert u1.last_year == pytest.approx(810_000.0) and u1.vs_last_year == pytest.approx(900 / 810 - 1)


def test_a_figure_in_no_money_unit_is_refused(database_url):
    service = build_service(database_url, IndicatorHost.from_plugins([AmountVsPlan(), Awards()], timeout_s=None))
    service.adopt_scheme(scheme_of(2026), 1, "sha256:test-2026")
    assert not service.ingest([record("2026-1-U1", "U1", 3.0, "2026-01", measurement_unit="ton")]).rejected
    with pytest.raises(FailedPrecondition, match="ton"):
        service.progress(SCHEME, "2026-Q1")


def test_the_first_quarters_last_bulletin_is_last_years_fourth(service):
    [key] = category(service, "2026-Q1")["key_indicators"]
    u1 = next(r for r in key["rows"] if r.unit_id == "U1")
    assert u1.previous_rank == 1 and u1.previous_completion == pytest.approx(96 / 100)  # 2025: 12 × 8 of a plan of 100


def test_gaps_of_a_period_and_of_the_periods_inside_it(service):
    scheme, found = service.completeness(SCHEME, "2026-Q3")
    assert found.checked_through.isoformat() == "2026-09-30"
    assert found.expected == 6 and [(g.unit_id, g.period.text) for g in found.gaps] == [("U2", "2026-08")]
    assert service.completeness(SCHEME, "2026-07")[1].gaps == ()
    year = service.completeness(SCHEME, "2026")[1]
    assert year.expected == 18 and len(year.gaps) == 1  # January to September: October has not ended by the last figure
    with pytest.raises(InvalidArgument, match="period"):
        service.completeness(SCHEME, "2025-Q3")
    assert [(e["unit_id"], e["gaps"]) for e in category(service, "2026-Q3")["ranking"]] == [("U1", 0), ("U2", 1)]
    # U2 reported nothing in August: no score, so no place in August's ranking, but its gap is listed
    assert [e["unit_id"] for e in category(service, "2026-08")["ranking"]] == ["U1"]
    assert [(g.unit_id, g.period.text) for g in service.completeness(SCHEME, "2026-08")[1].gaps] == [("U2", "2026-08")]


def test_a_late_figure_closes_the_gap(service):
    assert service.ingest([record("2026-8-U2", "U2", 20.0, "2026-08")]).stored == 1
    assert service.completeness(SCHEME, "2026-Q3")[1].gaps == ()


@pytest.fixture
def scoring(tmp_path, service):
    tokens = make_tokens(tmp_path)
    servicer = ScoringServicer(service, PeriodReview(service), TokenBook.load(tokens.file))
    server = GrpcServer([ServiceBinding("jixiao.v1.ScoringService", servicer, scoring_pb2_grpc.add_ScoringServiceServicer_to_server)],
                        "127.0.0.1", 0, port_setting="test")
    server.start()
    channel = grpc.insecure_channel(f"127.0.0.1:{server.port}")
    stub = scoring_pb2_grpc.ScoringServiceStub(channel)

    def call(rpc: str, request, token: str = tokens.reader):
        return getattr(stub, rpc)(request, timeout=10, metadata=call_credentials(token))

    yield SimpleNamespace(call=call, tokens=tokens)
    channel.close()
    server.stop(0)


def test_bulletin_rankings_and_completeness_over_grpc(scoring):
    bulletin = scoring.call("GetBulletin", pb.GetBulletinRequest(scheme_code=SCHEME, period="2026-Q3"))
    [district] = bulletin.categories
    assert [(e.unit_id, e.incomplete, e.gaps) for e in district.ranking] == [("U1", False, 0), ("U2", True, 1)]
    [key] = district.key_indicators
    assert (key.indicator_code, key.name_zh, key.metric_code) == ("amount_vs_plan", "完成率", "amount")
    u1, u2 = key.rows
    assert (u1.unit_id, u1.unit_name_zh, u1.rank, u1.year_to_date, u1.annual_plan, u1.completion) == (
        "U1", "甲区", 1, 90.0, 100.0, 0.9)
    assert u1.HasField("vs_last_year") and not u2.HasField("vs_last_year") and not u2.HasField("last_year_to_date")
    assert (u2.incomplete, u2.gaps, u2.previous_rank) == (True, 1, 1) and u2.vs_previous_points == pytest.approx(20.0)
    ranking = scoring.call("GetRanking", pb.GetRankingRequest(scheme_code=SCHEME, category="district", period="2026-Q3"))
    assert [(e.unit_id, e.incomplete, e.gaps) for e in ranking.entries] == [("U1", False, 0), ("U2", True, 1)]

    for token in (scoring.tokens.reader, scoring.tokens.department, scoring.tokens.office):  # any role may read it
        found = scoring.call("GetCompleteness", pb.GetCompletenessRequest(scheme_code=SCHEME, period="2026"), token)
        assert (found.checked_through, found.expected_count, found.gap_count, found.incomplete_units) == ("2026-09-30", 18, 1, 1)
    [gap] = found.gaps
    assert (gap.unit_id, gap.unit_name_zh, gap.metric_code, list(gap.missing_periods), list(gap.indicator_codes)) == (
        "U2", "乙区", "amount", ["2026-08"], ["amount_vs_plan"])
    assert found.total_size == 1 and not found.next_page_token
    with pytest.raises(grpc.RpcError) as error:
        scoring.call("GetCompleteness", pb.GetCompletenessRequest(scheme_code=SCHEME, period="2025"))
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(grpc.RpcError) as error:
        scoring.call("GetCompleteness", pb.GetCompletenessRequest(scheme_code=SCHEME, period="2026"), "")
    assert error.value.code() == grpc.StatusCode.UNAUTHENTICATED
