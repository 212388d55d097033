"""The office's what-if simulation (模拟测算) in the portal, in a real browser against the demo
city's scored January–September: the office states a low September investment figure for 青山区
and a pair of district weights that still sum to 1, and sees the districts that would differ,
each explained, marked as a simulation and not published; a weight that no longer sums to 1
is said at its row with the form kept as typed; the record lists who asked what; the official
rankings are as they were; the public is sent to sign in; and the form fits a 375 px phone.
JIXIAO_SCREENSHOTS=<folder> keeps the screenshot of the answer (docs/images/simulation-desk.png)."""
from __future__ import annotations

import os
from pathlib import Path

from .conftest import SCHEME

PERIOD = "2026-Q3"
SCREENSHOTS = Path(os.environ["JIXIAO_SCREENSHOTS"]) if os.environ.get("JIXIAO_SCREENSHOTS") else None
DISTRICTS = [f"U-R0{n}" for n in range(1, 10)]


def shoot(page, name: str, selector: str | None = None) -> None:
    if SCREENSHOTS is not None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target = page.locator(selector) if selector else page
        target.screenshot(path=str(SCREENSHOTS / name), **({} if selector else {"full_page": True}))


def state(page, row: int, kind: str, **fields: str) -> None:
    """Fills row `row` of the form: its kind, then its fields (selects by value, inputs by text)."""
    change = page.locator(f"#change-{row}")
    change.locator(f'select[name="change-{row}-kind"]').select_option(kind)
    for name, value in fields.items():
        field = change.locator(f'[name="change-{row}-{name.replace("part_", "part-")}"]')
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def official(portal, watched) -> tuple[dict, str]:
    """The district ranking as scoring stores it, and as the office's results page shows it."""
    page = watched.goto(f"/office/results?period={PERIOD}")
    return portal.totals("district_county", PERIOD), page.locator("#ranking-district_county").inner_text()


def test_the_office_simulates_a_figure_and_a_weight_pair_and_reads_the_differences(portal, open_page, sign_in):
    watched = open_page()
    sign_in(watched, portal.tokens.office)
    totals, shown = official(portal, watched)
    page = watched.page
    page.click("#nav-simulation")
    page.wait_for_url(f"{watched.base_url}/office/simulation")
    assert page.locator("h1").inner_text() == "模拟测算"
    assert page.locator("#simulation-period").input_value() == "2026"  # the year by default
    assert page.locator("fieldset.change").count() == 3
    assert not page.locator("#change-0 [name='change-0-unit_id']").is_visible()  # a row shows its kind's fields
    page.select_option("#simulation-period", PERIOD)
    state(page, 0, "figure", unit_id="U-R01", indicator_code="investment_completion", period="2026-09", value="1")
    assert not page.locator("#change-0 [name='change-0-weight']").is_visible()
    state(page, 1, "weight", category="district_county", indicator_code="investment_completion", weight="0.11")
    state(page, 2, "weight", category="district_county", indicator_code="fiscal_revenue", weight="0.275")
    page.click("#simulate-button")
    answer = page.locator("#simulation-answer")
    answer.wait_for()
    assert answer.get_attribute("data-period") == PERIOD
    assert page.locator("#simulation-banner").inner_text() == "模拟测算结果，非正式结果，不公开。"
    assert "毫秒" in page.locator("#simulation-time").inner_text()

    rows = page.locator("#simulation-differences tbody tr")
    units = [rows.nth(n).get_attribute("data-unit") for n in range(rows.count())]
    assert set(units) == set(DISTRICTS)  # the reweighted category; no other unit moves
    qingshan = page.locator('#simulation-differences tr[data-unit="U-R01"]')
    assert qingshan.get_attribute("data-direct") == "1" and "直接受变更1、2、3影响" in qingshan.inner_text()
    assert qingshan.locator("td.total").inner_text().startswith(f"{totals['U-R01']:.2f} → ")  # before: the official
    assert "固定资产投资完成率" in qingshan.locator("td.indicators").inner_text()
    explanation = qingshan.locator("td.explanation").inner_text()
    assert explanation.startswith("总分 ") and "因变更1（数据）、变更2（权重）、变更3（权重）" in explanation
    other = page.locator('#simulation-differences tr[data-unit="U-R02"]')
    assert "因变更2（权重）、变更3（权重）" in other.locator("td.explanation").inner_text()
    assert "固定资产投资完成率" not in other.locator("td.indicators").inner_text()  # its figures did not change
    # the form is kept as sent, the changes numbered as the answer numbers them
    assert page.locator("[name='change-0-value']").input_value() == "1"
    assert page.locator("[name='change-2-weight']").input_value() == "0.275"
    shoot(page, "simulation-desk.png", "main")
    # the districts' leaders: their totals follow their districts' (names in the table, not ids)
    leaders = page.locator("#simulation-leaders tbody tr")
    assert leaders.count() > 20 and page.locator("#simulation-leaders-heading").inner_text() == "总分或等次将变化的领导干部"
    assert not leaders.first.is_visible()  # a long list folds away: the office opens it
    page.click("#simulation-leaders-box > summary")
    first = leaders.first
    assert first.locator("th").inner_text() and "总分 " in first.locator("td.explanation").inner_text()

    record = page.locator("#simulation-records tbody tr").first
    text = record.inner_text()
    assert "考核办" in text and "2026年第三季度" in text
    assert "数据：青山区 · 固定资产投资完成率 · fixed_asset_investment · 2026年9月 = 1" in text  # as scoring read it
    assert "权重：区县（市） · 固定资产投资完成率 = 0.11" in text
    assert record.locator("td.num").first.inner_text() == str(len(units) + leaders.count())  # units and leaders

    after_totals, after_shown = official(portal, watched)
    assert after_totals == totals and after_shown == shown  # nothing official changed
    watched.check_clean()


def test_a_weight_that_no_longer_sums_to_1_is_said_at_its_row_and_the_form_is_kept(portal, open_page, sign_in):
    watched = open_page()
    sign_in(watched, portal.tokens.office)
    page = watched.goto("/office/simulation")
    state(page, 0, "figure", unit_id="U-R01", indicator_code="investment_completion", period="2026-09", value="1")
    state(page, 1, "weight", category="district_county", indicator_code="investment_completion", weight="0.5")
    with page.expect_navigation() as navigation:
        page.click("#simulate-button")
    assert navigation.value.status == 400
    problem = page.locator("#change-1 .field-problem")
    assert problem.get_attribute("data-field") == "weight"
    assert problem.inner_text().startswith("未能测算：weights for category 'district_county', dimension 'work_results' "
                                           "sum to 1.29, not 1")
    assert page.locator("#change-1 [name='change-1-weight']").get_attribute("aria-invalid") == "true"
    assert page.locator("#change-0 .field-problem").count() == 0
    assert page.locator("[name='change-0-value']").input_value() == "1"  # as typed
    assert page.locator("[name='change-0-period']").input_value() == "2026-09"
    assert page.locator("[name='change-1-weight']").input_value() == "0.5"
    assert page.locator("#simulation-answer").count() == 0
    page.click("#add-change")  # one more row, the rows typed kept
    page.locator("#change-3").wait_for()
    assert page.locator("fieldset.change").count() == 4
    assert page.locator("[name='change-1-weight']").input_value() == "0.5"
    watched.check_clean()


def test_the_form_fits_a_phone(portal, open_page, sign_in):
    phone = open_page(width=375)
    sign_in(phone, portal.tokens.office)
    page = phone.goto("/office/simulation")
    state(page, 0, "figure", unit_id="U-R05", indicator_code="investment_completion", period="2026-09")
    state(page, 1, "ratio", grading_code="departments", part_1="20")
    state(page, 2, "weight", dimension_code="work_results")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    form = page.locator("#simulation-form")
    assert form.evaluate("e => e.scrollWidth <= e.clientWidth")
    for row in range(3):
        box = page.locator(f"#change-{row}").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    phone.check_clean()


def test_the_public_is_sent_to_sign_in(portal, open_page):
    watched = open_page()
    page = watched.goto("/office/simulation")
    assert page.url.startswith(f"{watched.base_url}/office/login?next=/office/simulation")
    assert page.locator("#token").is_visible() and page.locator("#simulation-form").count() == 0
    assert "模拟测算结果" not in page.content()
    posted = watched.context.request.post(f"{watched.base_url}/office/simulation?scheme={SCHEME}", max_redirects=0,
                                          form={"period": PERIOD, "rows": "3", "change-0-kind": "target",
                                                "change-0-unit_id": "U-R01", "change-0-value": "1"})
    assert posted.status == 302 and "/office/login" in posted.headers["location"]
    assert watched.goto("/").locator("#nav-simulation").count() == 0
