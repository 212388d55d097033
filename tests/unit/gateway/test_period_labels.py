"""Period labels follow the calendar of the page's scheme: calendar years by default,
'2022/23年度' and 'Q1 FY 2022/23' for a year from April; months keep calendar names."""
import pytest
from flask import Flask

from jixiao.gateway.entrypoints.portal import i18n
from jixiao_sdk.periods import Calendar


@pytest.mark.parametrize("text, zh, en", [
    ("2026", "2026年度", "Year 2026"),
    ("2026-Q1", "2026年第一季度", "Q1 2026"),
    ("2026-03", "2026年3月", "March 2026"),
])
def test_calendar_years(text, zh, en):
    assert (i18n.period_label("zh", text), i18n.period_label("en", text)) == (zh, en)


@pytest.mark.parametrize("text, zh, en", [
    ("2022", "2022/23年度", "FY 2022/23"),
    ("2022-Q4", "2022/23年度第四季度", "Q4 FY 2022/23"),
    ("2023-01", "2023年1月", "January 2023"),
    ("2099", "2099/00年度", "FY 2099/00"),
])
def test_a_financial_year_from_april(text, zh, en):
    april = Calendar(4)
    assert (i18n.period_label("zh", text, april), i18n.period_label("en", text, april)) == (zh, en)


def test_the_page_calendar_is_the_calendar_of_the_scheme_it_shows():
    app = Flask(__name__)
    with app.test_request_context("/"):
        assert i18n.span_label("zh", "2022-Q3") == "1–9月累计"
        i18n.set_page_calendar(Calendar(4))
        assert i18n.period_label("en", "2022") == "FY 2022/23"
        assert i18n.span_label("zh", "2022-Q3") == "4–12月累计"
        assert i18n.span_label("en", "2022-Q4") == "Apr 2022–Mar 2023"
        assert i18n.span_label("zh", "2022") == "全年"
    assert i18n.period_label("zh", "2022") == "2022年度"  # outside a request: calendar years
