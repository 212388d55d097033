"""The pure rules of self-evaluations and work reports (domain/self_evaluation.py,
domain/work_reports.py)."""
import hashlib
import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.scoring.domain import self_evaluation as rules
from jixiao.scoring.domain import work_reports
from jixiao.scoring.domain.self_evaluation import SelfScore

SCALES = {"investment": (0.0, 100.0), "bonus": (0.0, 5.0), "deduction": (-5.0, 0.0)}


def test_gaps_are_flagged_only_beyond_the_tolerance():
    compared = rules.compare([SelfScore("investment", 90.0), SelfScore("bonus", 5.0), SelfScore("deduction", -1.0),
                              SelfScore("missing", 50.0)],
                             {"investment": 80.0, "bonus": 4.9, "deduction": None}, tolerance=10.0)
    assert [(c.computed, c.gap, c.flagged) for c in compared] == [
        (True, 10.0, False), (True, pytest.approx(0.1), False), (False, 0.0, False), (False, 0.0, False)]
    assert rules.compare([SelfScore("investment", 90.5)], {"investment": 80.0}, 10.0)[0].flagged
    assert rules.compare([SelfScore("investment", 69.5)], {"investment": 80.0}, 10.0)[0].flagged  # either way


def test_the_comparison_with_the_tolerance_is_exact():
    # 0.1 + 0.2 is 0.30000000000000004 as a float: a gap of 0.1 + 0.2 − 0.0 against a tolerance of
    # 0.30000000000000004 is not above it; against 0.3 (a smaller float) it is.
    assert not rules.compare([SelfScore("bonus", 0.1 + 0.2)], {"bonus": 0.0}, 0.1 + 0.2)[0].flagged
    assert rules.compare([SelfScore("bonus", 0.1 + 0.2)], {"bonus": 0.0}, 0.3)[0].flagged


@given(st.floats(0, 100), st.floats(0, 100), st.floats(0, 50))
def test_flagged_exactly_when_the_gap_exceeds_the_tolerance(mine, computed, tolerance):
    found = rules.compare([SelfScore("investment", mine)], {"investment": computed}, tolerance)[0]
    if found.flagged:
        assert abs(mine - computed) >= tolerance
    else:
        assert abs(mine - computed) <= tolerance * (1 + 1e-12)
    assert found.gap == pytest.approx(mine - computed)


def test_tolerance_defaults_to_ten_points():
    assert rules.tolerance_of({}) == 10.0 and rules.tolerance_of({"self_evaluation_tolerance": 0}) == 0.0


@pytest.mark.parametrize("scores, problem", [
    ([SelfScore("investment", 100.5)], ("indicators[0].points", "investment: 100.5 is outside [0, 100]")),
    ([SelfScore("deduction", 1.0)], ("indicators[0].points", "deduction: 1 is outside [-5, 0]")),
    ([SelfScore("investment", float("nan"))], ("indicators[0].points", "investment: nan is outside [0, 100]")),
    ([SelfScore("bonus", 1.0), SelfScore("bonus", 2.0)], ("indicators[1].indicator_code", "bonus is given twice")),
    ([SelfScore("", 1.0)], ("indicators[0].indicator_code", "is required")),
    ([SelfScore("public", 1.0)], ("indicators[0].indicator_code",
                                  "public is not an indicator the unit is assessed on in this period")),
    ([SelfScore("bonus", 1.0, "x" * 2001)], ("indicators[0].basis", "bonus: at most 2,000 characters")),
])
def test_bad_self_scores_are_named(scores, problem):
    assert rules.check(scores, SCALES) == [problem]


def test_good_self_scores_have_no_problem():
    assert rules.check([SelfScore("investment", 0.0), SelfScore("deduction", -5.0, "两次通报")], SCALES) == []


def _docx(parts=("[Content_Types].xml", "word/document.xml")) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for part in parts:
            archive.writestr(part, "<x/>")
    return out.getvalue()


def test_a_pdf_and_a_docx_are_accepted_with_their_digest():
    pdf = work_reports.check("folder/述职.PDF", b"%PDF-1.4 ...")
    assert (pdf.file_name, pdf.media_type, pdf.size_bytes) == ("述职.PDF", work_reports.PDF, 12)
    assert pdf.sha256 == hashlib.sha256(b"%PDF-1.4 ...").hexdigest()
    assert work_reports.check("述职.docx", _docx()).media_type == work_reports.DOCX


@pytest.mark.parametrize("name, content, field, problem", [
    ("述职.docx", _docx(("[Content_Types].xml", "xl/workbook.xml")), "content", "is not a Word (.docx) document"),
    ("述职.docx", b"PK\x03\x04broken", "content", "is not a Word (.docx) document"),
    ("述职.pdf", b"<html>", "content", "is not a PDF file"),
    ("述职", b"%PDF-", "file_name", "a work report must be a .pdf or .docx file"),
    ("/", b"%PDF-", "file_name", "is required"),
    ("a" * 197 + ".pdf", b"%PDF-", "file_name", "at most 200 characters"),
    ("述\u202e职.pdf", b"%PDF-", "file_name", "control characters"),
])
def test_bad_files_are_refused_naming_the_field(name, content, field, problem):
    with pytest.raises(work_reports.ReportRefused) as refused:
        work_reports.check(name, content)
    assert refused.value.field == field and problem in refused.value.problem
