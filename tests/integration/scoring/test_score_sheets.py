"""Responsible departments' score sheets (docs/score-sheets.md): stored versions, rows and
history, the transitions as use cases, and the events an accepted sheet gives. On SQLite and
PostgreSQL; the rpcs over a real gRPC port on SQLite."""
import json
from datetime import UTC, datetime

import grpc
import pytest
from sqlalchemy import func, select

from helpers import make_tokens
from helpers.scoring_server import scoring_over_grpc
from helpers.sheet_scheme import DEPARTMENT, sheet_scheme
from helpers.small_scheme import AmountVsPlan, Awards
from jixiao.common.auth import Principal
from jixiao.common.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from jixiao.common.tokens_cli import append
from jixiao.scoring.adapters.sql_schema import events, sheet_history, sheet_rows, sheet_versions
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.score_sheets import SheetRow
from jixiao.scoring.service_layer.period_review import PeriodReview
from jixiao.scoring.service_layer.score_sheets import ScoreSheets, event_id
from jixiao.v1 import scoring_pb2 as pb
from jixiao_sdk import IndicatorHost

SCHEME, INDICATOR, PERIOD = "test-2026", "clean_government", "2026-Q1"
OFFICE = Principal("考核办", "office")
SCORER = Principal("纪委评分员", "department", DEPARTMENT)
HEAD = Principal("纪委主要负责人", "department_head", DEPARTMENT)
OTHER = Principal("财政局", "department", "finance")
ROWS = [SheetRow("U1", "responsibility", 38, "少开一次专题会", "纪发〔2026〕1号"), SheetRow("U1", "cases", 60),
        SheetRow("U2", "responsibility", 40), SheetRow("U2", "cases", 50, "一起案件")]


class Clock:
    def __init__(self):
        self.now = datetime(2026, 4, 2, 8, 0, tzinfo=UTC)

    def __call__(self):
        return self.now


@pytest.fixture
def service(database_url):
    service = build_service(database_url, IndicatorHost.from_plugins([AmountVsPlan(), Awards()], timeout_s=None))
    service.adopt_scheme(sheet_scheme(), 1, "sha256:test")
    return service


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def desk(service, clock):
    return ScoreSheets(service, clock)


def count(service, table, **where) -> int:
    with service.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table).where(
            *(table.c[k] == v for k, v in where.items()))).scalar()


def sheet_events(service) -> dict[str, dict]:
    with service.engine.connect() as connection:
        rows = connection.execute(select(events).where(events.c.metric_code == f"sheet_{INDICATOR}")).mappings()
        return {row["event_id"]: dict(row) for row in rows}


def accepted(desk, clock, rows=ROWS):
    desk.save(SCHEME, INDICATOR, PERIOD, rows, SCORER)
    clock.now = clock.now.replace(day=3)
    desk.submit(SCHEME, INDICATOR, PERIOD, HEAD)
    return desk.review(SCHEME, INDICATOR, PERIOD, "accept", "", OFFICE)


def test_a_sheet_is_saved_signed_and_accepted_with_its_history(service, desk, clock):
    assert desk.get(SCHEME, INDICATOR, PERIOD, SCORER).sheet.state == "not_started"
    desk.save(SCHEME, INDICATOR, PERIOD, ROWS[:2], SCORER)
    saved = desk.save(SCHEME, INDICATOR, PERIOD, ROWS, SCORER)
    assert (saved.sheet.version, saved.sheet.state, len(saved.sheet.rows)) == (1, "draft", 4)
    clock.now = clock.now.replace(day=3)
    signed = desk.submit(SCHEME, INDICATOR, PERIOD, HEAD)
    assert (signed.sheet.signed_by, signed.sheet.signed_at, len(signed.sheet.digest)) == (
        "纪委主要负责人", "2026-04-03T08:00:00Z", 64)
    done = desk.review(SCHEME, INDICATOR, PERIOD, "accept", "", OFFICE).sheet
    read = desk.get(SCHEME, INDICATOR, PERIOD, OFFICE)
    assert read.sheet == done and (read.due_date.isoformat(), read.late) == ("2026-04-10", False)
    assert [(h.version, h.action, h.actor) for h in read.sheet.history] == [
        (1, "save", "纪委评分员"), (1, "save", "纪委评分员"), (1, "submit", "纪委主要负责人"), (1, "accept", "考核办")]
    assert [r.basis for r in read.sheet.rows if r.unit_id == "U1"] == ["", "少开一次专题会"]  # by unit, then item


def test_accepted_points_become_one_event_per_unit_and_item_stored_once(service, desk, clock):
    sheet = accepted(desk, clock).sheet
    stored = sheet_events(service)
    assert len(stored) == 4
    one = stored[event_id(SCHEME, INDICATOR, PERIOD, 1, "U1", "responsibility")]
    assert (one["source"], one["unit_id"], one["value"], one["period"], one["measurement_unit"], one["evidence_ref"],
            one["revision_of"]) == (f"sheet:{DEPARTMENT}", "U1", 38.0, PERIOD, "points", "纪发〔2026〕1号", "")
    assert json.loads(one["attributes_json"]) == {"item": "responsibility", "sheet_version": "1",
                                                  "signed_by": "纪委主要负责人", "digest": sheet.digest,
                                                  "basis": "少开一次专题会"}
    assert service.repository.pending_count() == 0  # the unit-periods were rescored in the same transaction
    with service.unit_of_work.transaction() as connection:  # a retry stores nothing twice
        again = [dict(row) for row in stored.values()]
        assert service.store_derived(connection, SCHEME, again) == []
    assert len(sheet_events(service)) == 4


def test_a_corrected_version_supersedes_the_earlier_events(service, desk, clock):
    accepted(desk, clock)
    with pytest.raises(FailedPrecondition, match="accepted by 考核办 at .*: frozen; request a correction"):
        desk.save(SCHEME, INDICATOR, PERIOD, ROWS, SCORER)
    desk.request_correction(SCHEME, INDICATOR, PERIOD, "U2 案件已撤销", SCORER)
    second = desk.decide_correction(SCHEME, INDICATOR, PERIOD, "approve", "", OFFICE).sheet
    assert (second.version, second.state, second.rows) == (2, "draft", tuple(sorted(ROWS, key=lambda r: (r.unit_id, r.item))))
    assert service.repository.sheet(None, (SCHEME, INDICATOR, PERIOD), 1).state == "accepted"  # the old one kept
    desk.save(SCHEME, INDICATOR, PERIOD, [*ROWS[:3], SheetRow("U2", "cases", 60, "案件已撤销")], SCORER)
    desk.submit(SCHEME, INDICATOR, PERIOD, HEAD)
    desk.review(SCHEME, INDICATOR, PERIOD, "accept", "", OFFICE)
    stored = sheet_events(service)
    assert len(stored) == 8
    newer = stored[event_id(SCHEME, INDICATOR, PERIOD, 2, "U2", "cases")]
    assert newer["value"] == 60.0 and newer["revision_of"] == event_id(SCHEME, INDICATOR, PERIOD, 1, "U2", "cases")
    assert service.event(event_id(SCHEME, INDICATOR, PERIOD, 1, "U2", "cases"))[1] == newer["event_id"]
    assert count(service, sheet_versions) == 2 and count(service, sheet_rows) == 8


def test_a_returned_sheet_is_saved_as_the_next_version(service, desk, clock):
    desk.save(SCHEME, INDICATOR, PERIOD, ROWS, SCORER)
    desk.submit(SCHEME, INDICATOR, PERIOD, HEAD)
    returned = desk.review(SCHEME, INDICATOR, PERIOD, "return", "U2 依据不足", OFFICE).sheet
    assert (returned.state, returned.review_comment) == ("returned", "U2 依据不足")
    again = desk.save(SCHEME, INDICATOR, PERIOD, ROWS, SCORER).sheet
    assert (again.version, again.state) == (2, "draft") and not sheet_events(service)
    assert service.repository.sheet(None, (SCHEME, INDICATOR, PERIOD), 1).state == "returned"


def test_bad_input_names_the_field_and_wrong_states_say_why(service, desk):
    with pytest.raises(InvalidArgument, match=r"rows\[1\].points: unit U1, item responsibility: 41 is outside \[0, 40\]"):
        desk.save(SCHEME, INDICATOR, PERIOD, [ROWS[1], SheetRow("U1", "responsibility", 41)], SCORER)
    with pytest.raises(InvalidArgument, match="indicator_code: indicator 'amount_vs_plan'"):
        desk.save(SCHEME, "amount_vs_plan", PERIOD, ROWS, SCORER)
    with pytest.raises(InvalidArgument, match="period: indicator clean_government is not assessed in month"):
        desk.get(SCHEME, INDICATOR, "2026-03", SCORER)
    with pytest.raises(InvalidArgument, match="decision: must be accept or return"):
        desk.review(SCHEME, INDICATOR, PERIOD, "ok", "", OFFICE)
    with pytest.raises(FailedPrecondition, match="only a submitted sheet is reviewed; version 0 is not started"):
        desk.review(SCHEME, INDICATOR, PERIOD, "accept", "", OFFICE)
    desk.save(SCHEME, INDICATOR, PERIOD, ROWS[:3], SCORER)
    with pytest.raises(FailedPrecondition, match=r"1 unit × item without points \(U2/cases\)"):
        desk.submit(SCHEME, INDICATOR, PERIOD, HEAD)
    with pytest.raises(PermissionDenied, match="discipline_commission's"):
        desk.get(SCHEME, INDICATOR, PERIOD, OTHER)
    assert count(service, sheet_versions) == 1 and count(service, sheet_history) == 1  # nothing half-stored


def test_nothing_is_stored_when_acceptance_would_change_a_frozen_period(service, desk, clock):
    desk.save(SCHEME, INDICATOR, PERIOD, ROWS, SCORER)
    desk.submit(SCHEME, INDICATOR, PERIOD, HEAD)
    PeriodReview(service).act("lock", SCHEME, PERIOD, OFFICE, "一季度数据已齐")
    with pytest.raises(FailedPrecondition, match="period: 2026-Q1 is closed for review"):
        desk.review(SCHEME, INDICATOR, PERIOD, "accept", "", OFFICE)
    sheet = desk.get(SCHEME, INDICATOR, PERIOD, OFFICE).sheet
    assert sheet.state == "submitted" and sheet.history[-1].action == "submit" and not sheet_events(service)


def test_the_office_lists_every_sheet_with_lateness_and_a_department_its_own(service, desk, clock):
    clock.now = datetime(2026, 4, 11, 1, 0, tzinfo=UTC)
    listed = desk.list(SCHEME, PERIOD, OFFICE)
    assert [(s.sheet.indicator_code, s.sheet.state, s.late) for s in listed] == [(INDICATOR, "not_started", True)]
    assert desk.list(SCHEME, PERIOD, OTHER) == [] and desk.list(SCHEME, "2026-03", OFFICE) == []
    desk.save(SCHEME, INDICATOR, PERIOD, ROWS, SCORER)
    desk.submit(SCHEME, INDICATOR, PERIOD, HEAD)  # signed on 11 April: a day late
    mine = desk.list(SCHEME, PERIOD, HEAD)
    assert [(s.sheet.state, s.late, s.sheet.rows, s.sheet.signed_at) for s in mine] == [
        ("submitted", True, (), "2026-04-11T01:00:00Z")]


# -- over gRPC ---------------------------------------------------------------------------------

def test_the_rpcs_convert_sheets_and_map_errors_to_statuses(tmp_path):
    service = build_service(f"sqlite:///{tmp_path / 'scoring.db'}",
                            IndicatorHost.from_plugins([AmountVsPlan(), Awards()], timeout_s=None))
    service.adopt_scheme(sheet_scheme(), 1, "sha256:test")
    tokens = make_tokens(tmp_path)
    scorer = append(tokens.file, "纪委评分员", "department", DEPARTMENT)
    head = append(tokens.file, "纪委主要负责人", "department_head", DEPARTMENT)
    where = {"scheme_code": SCHEME, "indicator_code": INDICATOR, "period": PERIOD}
    rows = [pb.ScoreSheetRow(unit_id=r.unit_id, item=r.item, points=r.points, basis=r.basis,
                             evidence_ref=r.evidence_ref) for r in ROWS]

    def refused(call, *args):
        with pytest.raises(grpc.RpcError) as error:
            call(*args)
        return error.value.code(), error.value.details()

    with scoring_over_grpc(service, tokens) as call:
        bad = [pb.ScoreSheetRow(unit_id="U1", item="responsibility", points=40.5)]
        assert refused(call, "SaveScoreSheet", pb.SaveScoreSheetRequest(**where, rows=bad), scorer) == (
            grpc.StatusCode.INVALID_ARGUMENT, "rows[0].points: unit U1, item responsibility: 40.5 is outside [0, 40]")
        assert refused(call, "SaveScoreSheet", pb.SaveScoreSheetRequest(**where, rows=rows),
                       tokens.department)[0] == grpc.StatusCode.PERMISSION_DENIED  # another department
        assert refused(call, "SaveScoreSheet", pb.SaveScoreSheetRequest(**where, rows=rows),
                       head)[0] == grpc.StatusCode.PERMISSION_DENIED  # the head signs; the scorers save
        saved = call("SaveScoreSheet", pb.SaveScoreSheetRequest(**where, rows=rows), scorer)
        assert (saved.version, saved.state, len(saved.rows), saved.due_date) == (1, "draft", 4, "2026-04-10")
        assert refused(call, "SubmitScoreSheet", pb.SubmitScoreSheetRequest(**where), scorer)[0] == \
            grpc.StatusCode.PERMISSION_DENIED
        signed = call("SubmitScoreSheet", pb.SubmitScoreSheetRequest(**where), head)
        assert signed.state == "submitted" and signed.signed_by == "纪委主要负责人" and len(signed.digest) == 64
        code, details = refused(call, "SaveScoreSheet", pb.SaveScoreSheetRequest(**where, rows=rows), scorer)
        assert code == grpc.StatusCode.FAILED_PRECONDITION
        assert f"submitted by 纪委主要负责人 at {signed.signed_at}: frozen; request a correction" in details
        returned = call("ReviewScoreSheet", pb.ReviewScoreSheetRequest(**where, decision="return", comment="依据不足"),
                        tokens.office)
        assert (returned.state, returned.review_comment, returned.reviewed_by) == ("returned", "依据不足", "考核办")
        call("SaveScoreSheet", pb.SaveScoreSheetRequest(**where, rows=rows), scorer)
        call("SubmitScoreSheet", pb.SubmitScoreSheetRequest(**where), head)
        call("ReviewScoreSheet", pb.ReviewScoreSheetRequest(**where, decision="accept"), tokens.office)
        asked = call("RequestSheetCorrection", pb.RequestSheetCorrectionRequest(**where, reason="笔误"), head)
        assert asked.correction_reason == "笔误"
        kept = call("DecideSheetCorrection", pb.DecideSheetCorrectionRequest(**where, decision="refuse", reason="无需更正"),
                    tokens.office)
        assert (kept.version, kept.state, kept.correction_reason) == (2, "accepted", "")
        read = call("GetScoreSheet", pb.GetScoreSheetRequest(**where), tokens.office)
        assert [h.action for h in read.history] == ["save", "submit", "return", "save", "submit", "accept",
                                                   "request_correction", "refuse_correction"]
        listed = call("ListScoreSheets", pb.ListScoreSheetsRequest(scheme_code=SCHEME, period=PERIOD), scorer)
        assert [(s.indicator_code, s.state, len(s.rows)) for s in listed.sheets] == [(INDICATOR, "accepted", 0)]
        assert not call("ListScoreSheets", pb.ListScoreSheetsRequest(scheme_code=SCHEME, period=PERIOD),
                        tokens.department).sheets
        assert refused(call, "GetScoreSheet", pb.GetScoreSheetRequest(**where), tokens.reader)[0] == \
            grpc.StatusCode.PERMISSION_DENIED


# -- with the `sheet` formula ----------------------------------------------------------------

def test_an_accepted_sheet_scores_the_indicator_and_a_correction_replaces_its_points(database_url):
    import jixiao_indicator_generic

    host = IndicatorHost.from_plugins([jixiao_indicator_generic, AmountVsPlan(), Awards()], timeout_s=None)
    if "generic_sheet" not in host.specs():
        pytest.skip("jixiao-indicator-generic has no generic_sheet yet (docs/score-sheets.md, State of the work)")
    service = build_service(database_url, host)
    service.adopt_scheme(sheet_scheme(), 1, "sha256:test")
    desk = ScoreSheets(service, Clock())

    def points(unit: str) -> tuple[str, float, str]:
        results = service.unit_score(SCHEME, unit, PERIOD)[3]
        found = next(r for r in results if r["indicator_code"] == INDICATOR)
        return found["status"], found["points"], found["explanation"]

    accepted(desk, Clock())
    status, score, explanation = points("U1")
    assert (status, score) == ("ok", 98.0) and "少开一次专题会" in explanation and "纪委主要负责人" in explanation
    assert points("U2")[:2] == ("ok", 90.0)
    desk.request_correction(SCHEME, INDICATOR, PERIOD, "U2 案件已撤销", SCORER)
    desk.decide_correction(SCHEME, INDICATOR, PERIOD, "approve", "", OFFICE)
    desk.save(SCHEME, INDICATOR, PERIOD, [*ROWS[:3], SheetRow("U2", "cases", 60, "案件已撤销")], SCORER)
    assert points("U2")[:2] == ("ok", 90.0), "a draft counts for nothing"
    desk.submit(SCHEME, INDICATOR, PERIOD, HEAD)
    desk.review(SCHEME, INDICATOR, PERIOD, "accept", "", OFFICE)
    assert points("U2")[:2] == ("ok", 100.0) and points("U1")[:2] == ("ok", 98.0)
