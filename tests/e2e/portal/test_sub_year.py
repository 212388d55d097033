"""A quarter's unit page as an evaluation office publishes it: the demo scheme holds
民评 and 官评 at year end only, so 2026-Q3's total counts work results (and bonus and
deductions), and the page says so under the total; the dimensions not assessed show
no score and no bar; missing results are listed; year-to-date results are labelled;
the leaders' totals carry the note that their personal evaluation is not assessed.
In the office's preview of 2026-Q4, December's survey results are shown but marked
as not counted. Real services, real Chromium (its own platform: this module
publishes 2026-Q3)."""
from __future__ import annotations

import json
import re
import threading
import urllib.request
from dataclasses import dataclass

import grpc
import pytest

from helpers import eventually
from jixiao.common.auth import call_credentials
from jixiao.embedded import demo_feed
from jixiao.v1 import scoring_pb2

SCHEME = "jiangchuan-2026"
QUARTER = "2026-Q3"
SURVEYED = "U-R03"  # its October–December survey events are sent too: 2026-Q4 has results that do not count
SURVEY_METRICS = ("public_vote", "leadership_rating")
NOT_ASSESSED_DIMENSIONS = {"public_evaluation", "leadership_evaluation"}


@dataclass
class Quarter:
    portal: object
    indicator_names: dict[str, dict]  # code → {"zh", "en"} from the published scheme
    missing_unit: str  # a unit with a missing result in 2026-Q3


def _publish_over_grpc(portal, period: str) -> None:
    for method in ("LockPeriod", "ApprovePeriod", "PublishPeriod"):
        getattr(portal.scoring, method)(scoring_pb2.PeriodActionRequest(
            scheme_code=SCHEME, period=period, reason="季度考核结果经审核公示"), timeout=60,
            metadata=call_credentials(portal.tokens.office))


def _score(portal, unit_id: str, period: str):
    return portal.read("GetUnitScore", scoring_pb2.GetUnitScoreRequest(scheme_code=SCHEME, unit_id=unit_id, period=period))


@pytest.fixture(scope="module")
def quarter(portal) -> Quarter:
    _publish_over_grpc(portal, QUARTER)
    with urllib.request.urlopen(f"{portal.url}/api/v1/schemes/{SCHEME}", timeout=30) as response:
        document = json.loads(response.read())["document"]
    names = {i["code"]: i.get("name", {}) for i in document["indicators"]}
    missing_unit = next((u["id"] for u in document["units"] if _score(portal, u["id"], QUARTER).missing), "")
    assert missing_unit, f"the demo city has no unit with a missing result in {QUARTER}"
    survey = [e for e in demo_feed.demo_event_dicts()
              if e["unit_id"] == SURVEYED and e["metric_code"] in SURVEY_METRICS and e["period"][:7] >= "2026-10"]
    assert survey and demo_feed.publish(portal.bootstrap, portal.topic, survey, lambda text: None, threading.Event(), portal.signer) == len(survey)
    eventually(lambda: _dimensions_with_results(portal, SURVEYED, "2026-Q4") >= NOT_ASSESSED_DIMENSIONS, 90,
               "December's survey results scored", interval=0.3)
    return Quarter(portal, names, missing_unit)


def _dimensions_with_results(portal, unit_id: str, period: str) -> set[str]:
    try:
        return {r.dimension for r in _score(portal, unit_id, period).indicators}
    except grpc.RpcError as error:
        if error.code() == grpc.StatusCode.NOT_FOUND:  # not scored yet
            return set()
        raise


def _halves(text: str) -> tuple[str, str]:
    zh, _, en = text.partition(" / ")
    return zh, en


def test_the_quarter_says_what_its_total_counts(quarter, open_page):
    score = _score(quarter.portal, "U-R03", QUARTER)
    assert score.partial and {d.code for d in score.dimensions if not d.assessed} == NOT_ASSESSED_DIMENSIONS
    watched = open_page()
    page = watched.goto(f"/units/U-R03?period={QUARTER}")
    assert page.locator("#unit-total").inner_text() == f"{score.total:.2f}"
    # The basis, right under the total.
    basis = page.locator("#summary #total-basis")
    assert basis.is_visible() and basis.locator(".basis-title").inner_text() == "本期总分口径"
    zh, _ = _halves(score.basis)
    assert zh in basis.inner_text() and "民评、官评本期不考核" in basis.inner_text()
    # The table: the scheme's weight and this period's; no score for a dimension not assessed.
    heads = page.locator("#dimensions thead th").all_inner_texts()
    assert heads == ["维度", "方案权重", "本期权重", "得分"]
    for d in score.dimensions:
        row = page.locator(f'#dimensions tr[data-dimension="{d.code}"]')
        cells = [row.locator(f"td.{c}").inner_text() for c in ("weight", "period-weight", "score")]
        if d.weight == 0:
            assert cells == ["加减", "加减", f"{d.score:.2f}"]
        elif d.assessed:
            assert cells == [f"{d.weight:.0%}", f"{d.period_weight:.0%}", f"{d.score:.2f}"]
        else:
            assert cells == [f"{d.weight:.0%}", "—", "本期不考核"], d.code
    assert page.locator('#dimensions tr[data-dimension="work_results"] td.period-weight').inner_text() == "100%"
    # The chart draws no bar, and no 0, for a dimension not assessed.
    chart = page.locator("#dimensions svg.chart")
    assert chart.locator("rect.bar").count() == sum(d.assessed for d in score.dimensions)
    assert chart.locator("g.not-assessed text.absent").all_text_contents() == ["本期不考核", "本期不考核"]
    expected = [("—" if not d.assessed else f"{d.score:+.2f}" if d.weight == 0 else f"{d.score:.2f}") for d in score.dimensions]
    assert chart.locator("text.value").all_text_contents() == expected
    # Year-to-date results are labelled; everything shown counts in the quarter.
    for result in score.indicators:
        article = page.locator(f"#indicator-{result.indicator_code}")
        assert article.locator(".tag.ytd").count() == (result.period_basis == "year_to_date")
        assert article.locator(".tag.not-counted").count() == 0
    assert page.locator("#indicators .tag.ytd").first.inner_text() == "年初至今累计"
    # The leaders' totals are the unit's, and the footnote says why.
    members = page.locator("#team tbody td.num").all_inner_texts()
    assert members and set(members) == {f"{score.total:.2f}"}
    assert page.locator("#team-notes li").all_inner_texts() == ["注：本期不考核个人评价，总分即单位得分。"]
    assert page.locator("#team sup.note-mark").count() == 0
    assert page.locator("#missing").count() == (1 if score.missing else 0)
    watched.check_clean()


def test_missing_results_are_listed(quarter, open_page):
    unit = quarter.missing_unit
    score = _score(quarter.portal, unit, QUARTER)
    watched = open_page()
    page = watched.goto(f"/units/{unit}?period={QUARTER}")
    assert f"缺{len(score.missing)}项结果" in page.locator("#total-basis").inner_text()
    page.locator('#total-basis a[href="#missing"]').click()  # the note leads to the list
    assert page.url.endswith("#missing") and page.locator("#missing").is_visible()
    assert page.locator("#missing-h").inner_text() == f"缺项 {len(score.missing)}"
    rows = page.locator("#missing tbody tr")
    assert rows.count() == len(score.missing)
    dimension_names = {d.code: d.name_zh for d in score.dimensions}
    for missing in score.missing:
        row = page.locator(f'#missing tr[data-indicator="{missing.indicator_code}"]')
        assert row.locator("th").inner_text() == quarter.indicator_names[missing.indicator_code]["zh"]
        assert row.locator("td").first.inner_text() == dimension_names[missing.dimension]
        assert row.locator("td.reason").inner_text() == _halves(missing.reason)[0]
        assert row.locator("td.counted-as").inner_text() == \
            {"zero": "按0分计", "excluded": "不计入，其余权重按比例归一"}[missing.counted_as]
        assert page.locator(f"#indicator-{missing.indicator_code}").count() == (
            missing.indicator_code in {r.indicator_code for r in score.indicators})  # a failed result, or none at all
    watched.check_clean()


def test_the_quarter_in_english(quarter, open_page):
    unit = quarter.missing_unit
    score = _score(quarter.portal, unit, QUARTER)
    watched = open_page()
    page = watched.goto(f"/units/{unit}?period={QUARTER}&lang=en")
    basis = page.locator("#total-basis")
    assert basis.locator(".basis-title").inner_text() == "What this total counts"
    assert _halves(score.basis)[1] in basis.inner_text()
    assert page.locator("#dimensions thead th").all_inner_texts() == ["Dimension", "Scheme weight", "Weight this period", "Score"]
    assert page.locator("#dimensions td.score .not-assessed").all_inner_texts() == ["not assessed this period"] * 2
    assert page.locator("#dimensions text.absent").all_text_contents() == ["not assessed this period"] * 2
    assert page.locator("#missing-h").inner_text().startswith("Missing results")
    assert page.locator("#missing td.reason").first.inner_text() == _halves(score.missing[0].reason)[1]
    if any(r.period_basis == "year_to_date" for r in score.indicators):
        assert page.locator("#indicators .tag.ytd").first.inner_text() == "year to date"
    if page.locator("#team").count():
        assert page.locator("#team-notes li").all_inner_texts() == [
            "Note: Personal evaluation not assessed in this period: the unit's total."]
    for part in ("#summary", "#dimensions", "#missing", "#indicators h3"):
        text = " ".join(page.locator(part).all_inner_texts())
        assert re.search(r"[\u4e00-\u9fff]", text) is None, f"{part}: {text[:200]}"
    watched.check_clean()


def test_the_office_sees_results_that_do_not_count_in_the_quarter(quarter, open_page, sign_in):
    score = _score(quarter.portal, SURVEYED, "2026-Q4")
    uncounted = {r.indicator_code for r in score.indicators if not r.counted}
    assert uncounted and {r.dimension for r in score.indicators if not r.counted} == NOT_ASSESSED_DIMENSIONS
    watched = open_page()
    sign_in(watched, quarter.portal.tokens.office)
    page = watched.goto(f"/office/units/{SURVEYED}?period=2026-Q4")
    assert page.locator("#unpublished-banner").is_visible()
    for result in score.indicators:
        article = page.locator(f"#indicator-{result.indicator_code}")
        marks = article.locator(".tag.not-counted")
        if result.indicator_code in uncounted:
            assert marks.inner_text() == "不计入本期总分" and "not-counted" in article.get_attribute("class")
        else:
            assert marks.count() == 0
    # The survey's dimensions still count nothing in the quarter, results or not.
    assert page.locator("#dimensions td.score .not-assessed").count() == 2
    watched.check_clean()


def test_the_quarter_reads_on_a_phone(quarter, open_page):
    watched = open_page(width=375, height=812)
    for path in (f"/units/U-R03?period={QUARTER}", f"/units/{quarter.missing_unit}?period={QUARTER}",
                 f"/units/{quarter.missing_unit}?period={QUARTER}&lang=en"):
        page = watched.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        assert page.locator("#total-basis").is_visible()
    watched.check_clean()


def test_the_rankings_say_what_the_quarters_totals_count(quarter, open_page):
    reply = quarter.portal.read("GetRanking", scoring_pb2.GetRankingRequest(
        scheme_code=SCHEME, category="district_county", period=QUARTER))
    zh, en = _halves(reply.basis)
    assert zh == "本期总分计入工作实绩、加减分（民评、官评本期不考核），权重按比例归一"
    assert en.startswith("This period's total counts Work results")
    watched = open_page()
    page = watched.goto(f"/?period={QUARTER}")
    assert page.locator("#ranking-basis").inner_text().endswith(zh)
    year = quarter.portal.read("GetRanking", scoring_pb2.GetRankingRequest(
        scheme_code=SCHEME, category="district_county", period="2026"))
    assert year.basis == ""  # the year assesses every dimension
    watched.check_clean()
