"""Self-evaluations per indicator and work reports (service_layer/self_assessment.py) on
SQLite and PostgreSQL: stored beside the computed score, gaps above the scheme's tolerance
flagged, reports type-checked and kept in every version; a unit reaches only its own."""
import copy
import io
import zipfile

import pytest

from helpers.small_scheme import SMALL_SCHEME, AmountVsPlan, Awards
from jixiao.common import event_codec
from jixiao.common.auth import Principal
from jixiao.common.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.records import IncomingRecord
from jixiao.scoring.domain.self_evaluation import SelfScore
from jixiao.scoring.service_layer.period_review import PeriodReview
from jixiao.scoring.service_layer.self_assessment import SelfAssessment
from jixiao_sdk import IndicatorHost

OFFICE = Principal("考核办", "office")
UNIT = Principal("甲区考核联络员", "department", "U1")
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
SCHEME = copy.deepcopy(SMALL_SCHEME)
SCHEME["scheme"]["self_evaluation_tolerance"] = 5
SCHEME["persons"] = [{"id": "P1", "unit": "U1", "name_zh": "张三"}, {"id": "P2", "unit": "U2", "name_zh": "李四"}]


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def record(event_id: str, **fields) -> IncomingRecord:
    data = {"event_id": event_id, "source": "stats", "unit_id": "U1", "metric_code": "amount",
            "value": 10.0, "period": "2026-03", **fields}
    return IncomingRecord(value=event_codec.encode(event_codec.from_dict(data)), headers={})


@pytest.fixture
def service(database_url):
    host = IndicatorHost.from_plugins([AmountVsPlan(), Awards()], timeout_s=None)
    service = build_service(database_url, host)
    service.adopt_scheme(SCHEME, 1, "sha256:test")
    return service


@pytest.fixture
def review(service):
    return PeriodReview(service)


@pytest.fixture
def desk(review):
    return SelfAssessment(review)


def test_self_evaluation_is_stored_beside_the_score(service, desk):
    service.ingest([record("e1", value=40.0)])  # amount_vs_plan: 40 of 100 → 40 points
    desk.submit_self_evaluation("test-2026", "U1", "2026-Q1", 88.0, "完成了全年投资任务的四成", UNIT)
    stored = desk.submit_self_evaluation("test-2026", "U1", "2026-Q1", 86.5, "修正", UNIT, [
        SelfScore("amount_vs_plan", 44.5, "完成投资40亿元，另有4.5亿元在途"), SelfScore("awards", 2.0, "省级表彰两次")])
    assert (stored["total"], stored["summary"], stored["submitted_by"]) == (86.5, "修正", "甲区考核联络员")
    assert stored["tolerance"] == 5 and stored["flagged"] == 0
    investment, awards = stored["indicators"]
    assert (investment.computed, investment.computed_points, investment.gap, investment.flagged) == (True, 40.0, 4.5, False)
    assert investment.basis.startswith("完成投资")
    assert (awards.computed, awards.flagged) == (False, False)  # no result computed: no gap
    history = desk.repository.self_evaluation_history("test-2026", "U1", "2026-Q1")  # every submission kept
    assert [(h["total"], h["summary"], len(h["scores"])) for h in history] == [
        (88.0, "完成了全年投资任务的四成", 0), (86.5, "修正", 2)]
    assert history[1]["scores"][0] == SelfScore("amount_vs_plan", 44.5, "完成投资40亿元，另有4.5亿元在途")
    service.ingest([record("e2", value=-5.0, period="2026-02")])  # 35 points now: the gap grows to 9.5
    again = desk.self_evaluation("test-2026", "U1", "2026-Q1")
    assert (again["indicators"][0].gap, again["indicators"][0].flagged, again["flagged"]) == (9.5, True, 1)


def test_the_office_lists_a_periods_self_evaluations_most_flagged_first(service, desk):
    service.ingest([record("e1", value=40.0), record("e2", unit_id="U2", value=100.0)])  # U2: 50 points
    desk.submit_self_evaluation("test-2026", "U1", "2026-Q1", 40.0, "", UNIT, [SelfScore("amount_vs_plan", 45.0)])
    desk.submit_self_evaluation("test-2026", "U2", "2026-Q1", 90.0, "", OFFICE, [SelfScore("amount_vs_plan", 90.0)])
    listed, missing = desk.list_self_evaluations("test-2026", "2026-Q1")
    assert [(e["unit_id"], e["flagged"], e["unit_name_zh"]) for e in listed] == [("U2", 1, "乙区"), ("U1", 0, "甲区")]
    assert missing == []
    listed, missing = desk.list_self_evaluations("test-2026", "2026-Q2")
    assert listed == [] and missing == ["U1", "U2"]


@pytest.mark.parametrize("who, unit, value, scores, error, match", [
    (Principal("乙区", "department", "U2"), "U1", 80.0, [], PermissionDenied, "of U2 only, not of U1"),
    (OFFICE, "U9", 80.0, [], InvalidArgument, "unit_id"),
    (OFFICE, "U1", 104.0, [], InvalidArgument, "total: must be between 0 and 103"),
    (OFFICE, "U1", float("nan"), [], InvalidArgument, "total"),
    (OFFICE, "U1", 80.0, [SelfScore("amount_vs_plan", 101.0)], InvalidArgument,
     r"indicators\[0\].points: amount_vs_plan: 101 is outside \[0, 100\]"),
    (OFFICE, "U1", 80.0, [SelfScore("nope", 1.0)], InvalidArgument, "not an indicator the unit is assessed on"),
    (OFFICE, "U1", 80.0, [SelfScore("awards", 1.0), SelfScore("awards", 1.0)], InvalidArgument, "given twice"),
    (OFFICE, "U1", 80.0, [SelfScore("awards", 1.0, "长" * 2001)], InvalidArgument, "at most 2,000 characters"),
])
def test_bad_self_evaluations_are_refused_and_nothing_is_stored(desk, who, unit, value, scores, error, match):
    with pytest.raises(error, match=match):
        desk.submit_self_evaluation("test-2026", unit, "2026-Q1", value, "", who, scores)
    assert desk.self_evaluation("test-2026", "U1", "2026-Q1") is None


def test_no_self_evaluation_or_report_once_the_period_is_locked(desk, review):
    review.act("lock", "test-2026", "2026", OFFICE)
    with pytest.raises(FailedPrecondition, match="closed for review"):
        desk.submit_self_evaluation("test-2026", "U1", "2026-Q1", 80.0, "", OFFICE)
    with pytest.raises(FailedPrecondition, match="closed for review"):
        desk.upload_work_report("test-2026", "U1", "", "2026", "述职报告.pdf", PDF, UNIT)
    assert desk.work_reports("test-2026", "U1", "", OFFICE) == []


def test_work_reports_are_kept_in_every_version_with_their_digest(desk):
    first = desk.upload_work_report("test-2026", "U1", "", "2026", "C:\\报告\\领导班子述职.pdf", PDF, UNIT)
    assert (first["file_name"], first["media_type"], first["version"], first["size_bytes"]) == (
        "领导班子述职.pdf", "application/pdf", 1, len(PDF))
    assert len(first["sha256"]) == 64 and first["uploaded_by"] == "甲区考核联络员"
    second = desk.upload_work_report("test-2026", "U1", "", "2026", "领导班子述职（修改）.docx", docx(), OFFICE)
    leader = desk.upload_work_report("test-2026", "U1", "P1", "2026", "张三述职.pdf", PDF, UNIT)
    assert (second["version"], second["media_type"].endswith("document"), leader["version"]) == (2, True, 1)
    listed = desk.work_reports("test-2026", "U1", "2026", UNIT)
    assert [(r["person_id"], r["version"], r["current"]) for r in listed] == [("", 2, True), ("", 1, False), ("P1", 1, True)]
    assert "content" not in listed[0]
    row, content = desk.work_report("test-2026", first["id"], OFFICE)
    assert content == PDF and row["current"] is False and row["sha256"] == first["sha256"]


@pytest.mark.parametrize("name, content, match", [
    ("报告.pdf", b"", "content: the file is empty"),
    ("报告.pdf", b"PK\x03\x04 not a pdf", "is not a PDF file"),
    ("报告.docx", PDF, r"is not a Word \(.docx\) document"),
    ("报告.doc", PDF, "must be a .pdf or .docx file"),
    ("报告.exe", PDF, "must be a .pdf or .docx file"),
    ("", PDF, "file_name: is required"),
    ("报\x00告.pdf", PDF, "control characters"),
    ("报告.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "at most 10,485,760"),
])
def test_bad_report_files_are_refused_naming_what_is_wrong(desk, name, content, match):
    with pytest.raises(InvalidArgument, match=match):
        desk.upload_work_report("test-2026", "U1", "", "2026", name, content, UNIT)
    assert desk.work_reports("test-2026", "U1", "", OFFICE) == []


def test_a_unit_reaches_only_its_own_reports(desk):
    other = Principal("乙区", "department", "U2")
    stored = desk.upload_work_report("test-2026", "U1", "", "2026", "述职.pdf", PDF, UNIT)
    with pytest.raises(PermissionDenied):
        desk.upload_work_report("test-2026", "U1", "", "2026", "述职.pdf", PDF, other)
    with pytest.raises(PermissionDenied):
        desk.work_reports("test-2026", "U1", "", other)
    with pytest.raises(NotFound):  # another unit's report: not even its existence
        desk.work_report("test-2026", stored["id"], other)
    with pytest.raises(InvalidArgument, match="person_id: 'P2' is not a leader of unit U1"):
        desk.upload_work_report("test-2026", "U1", "P2", "2026", "述职.pdf", PDF, UNIT)
