"""The office's what-if simulation page (/office/simulation, docs/portal.md#what-if-simulation-模拟测算)
with Flask's test client and a stand-in for scoring's SimulationService: only the signed-in office
gets it, the form's rows go to scoring as the API's changes with the office's own token, the answer
is marked as a simulation, a refusal naming `changes[i].field` is said at the row it came from with
the form kept as typed, and nothing is sent without the session's CSRF token. No servers, no
browser (tests/e2e/portal/test_simulation.py drives the real platform)."""
from __future__ import annotations

import re

import pytest

from helpers import demo_document, make_tokens
from jixiao.common.auth import TokenBook
from jixiao.gateway.adapters.backend_errors import InvalidArgument, Unimplemented
from jixiao.gateway.entrypoints import wiring
from jixiao.gateway.entrypoints.flask_app import create_app
from jixiao.gateway.entrypoints.portal import i18n

SCHEME = demo_document()
CODE = SCHEME["scheme"]["code"]
DIFFERENCE = {
    "unit_id": "U-R01", "unit_name_zh": "青山区", "unit_name_en": "Qingshan District", "category": "district_county",
    "total_before": 80.5, "total_after": 70.25, "rank_before": 1, "rank_after": 5, "grades": [],
    "indicators": [{"indicator_code": "investment_completion", "name_zh": "固定资产投资完成率",
                    "name_en": "Fixed-asset investment completion", "points_before": 90.0, "points_after": 10.0}],
    "changes": [0], "explanation_zh": "总分 80.50 → 70.25；因变更1（数据）",
    "explanation_en": "total 80.50 → 70.25; by change 1 (figure)"}


class _Schemes:
    def published(self):
        return [{"code": CODE, "year": 2026, "version": 1, "status": "published"}]

    def document(self, code, version=0):
        return SCHEME


class _Periods:
    def listed(self, scheme_code, viewer):
        return []


class _Scoring:
    """SimulationService as scoring answers it; a weight of 0.5 is refused as scoring would."""

    def __init__(self):
        self.asked: list = []

    def call(self, backend, method, request, token=None):
        if method == "Simulate":
            self.asked.append((request, token))
            if any(c.kind == "weight" and c.weight == 0.5 for c in request.changes):
                raise InvalidArgument("changes[1].weight: weights for category 'district_county', dimension "
                                      "'work_results' sum to 1.29, not 1: change the other weights of the same "
                                      "dimension (or category) with it", backend, method)
            return {"scheme_code": CODE, "scheme_version": 1, "period": request.period, "units_compared": 108,
                    "replaced_figures": [1], "elapsed_ms": 321.4, "differences": [DIFFERENCE]}
        if method == "ListSimulations":
            return {"simulations": [{"id": 7, "scheme_version": 1, "period": "2026", "differences": 1,
                                     "elapsed_ms": 321.4, "asked_by": "考核办", "asked_at": "2026-10-01T02:03:04Z",
                                     "changes_json": '[{"kind": "figure", "unit_id": "U-R01", "indicator_code": '
                                                     '"investment_completion", "period": "2026-09", "value": 1.0}]'}]}
        raise Unimplemented(f"{method} is not implemented here", backend, method)


@pytest.fixture
def desk(tmp_path):
    tokens = make_tokens(tmp_path)
    scoring = _Scoring()
    wired = wiring.Wiring(backends=scoring, schemes=_Schemes(), periods=_Periods(), uploads=None, publisher=None,
                          tokens=TokenBook.load(tokens.file))
    app = create_app(wired, portal_secret_key="simulation-test", service_token="")
    return app.test_client(), tokens, scoring


def _sign_in(client, tokens) -> str:
    login = client.get("/office/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', login).group(1)
    assert client.post("/office/login", data={"csrf": csrf, "token": tokens.office, "next": "/office/"}).status_code == 302
    page = client.get("/office/simulation").get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


FORM = {"scheme": CODE, "rows": "3", "period": "2026",
        "change-0-kind": "figure", "change-0-unit_id": "U-R01", "change-0-indicator_code": "investment_completion",
        "change-0-period": "2026-09", "change-0-value": "1", "change-0-weight": "0.9",  # not a figure's: not sent
        "change-2-kind": "weight", "change-2-category": "district_county",
        "change-2-indicator_code": "investment_completion", "change-2-weight": "0.11"}


def test_only_the_signed_in_office_gets_the_page(desk):
    client, _, scoring = desk
    answer = client.get("/office/simulation")
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/office/login?next=/office/simulation")
    assert client.post("/office/simulation", data=FORM).status_code == 302
    assert scoring.asked == []


def test_the_form_lists_the_schemes_periods_units_and_kinds(desk):
    client, tokens, _ = desk
    _sign_in(client, tokens)
    page = client.get("/office/simulation?rows=5")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "no-store" in page.headers["Cache-Control"]
    assert len(re.findall(r'<fieldset class="change[" ]', html)) == 5
    assert re.search(r'<option value="2026" selected>2026年度</option>', html)  # the year by default
    assert '<option value="U-R01">青山区</option>' in html and '<option value="figure">数据</option>' in html
    assert [k for k in ("目标", "权重", "等次比例") if f">{k}</option>" not in html] == []
    assert 'id="nav-simulation"' in html and "模拟测算" in _text(html)


def test_the_changes_go_to_scoring_with_the_offices_token_and_the_answer_says_it_is_a_simulation(desk):
    client, tokens, scoring = desk
    csrf = _sign_in(client, tokens)
    answer = client.post("/office/simulation", data={**FORM, "csrf": csrf})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    [(request, token)] = scoring.asked
    assert token == tokens.office and request.period == "2026"
    figure, weight = request.changes
    assert (figure.kind, figure.unit_id, figure.period, figure.value, figure.HasField("weight")) == \
        ("figure", "U-R01", "2026-09", 1.0, False)
    assert (weight.kind, weight.category, weight.indicator_code, weight.weight) == \
        ("weight", "district_county", "investment_completion", 0.11)
    text = _text(html)
    assert "模拟测算结果，非正式结果，不公开" in text and "用时 321 毫秒" in text
    assert re.search(r'<tr data-unit="U-R01" data-direct="1"', html) and "直接受变更1影响" in text
    assert "80.50 → 70.25" in text and "因变更1（数据）" in text
    # the rows sent come first: the weight change is row 2 now, as in the answer's words
    assert re.search(r'name="change-1-weight"[^>]*value="0.11"', html)
    assert "数据：青山区 · 固定资产投资完成率 · 2026年9月 = 1" in text  # the record, in short


def test_a_refusal_is_said_at_the_row_it_names_and_the_form_is_kept(desk):
    client, tokens, _ = desk
    csrf = _sign_in(client, tokens)
    client.set_cookie(i18n.COOKIE, "en")
    answer = client.post("/office/simulation", data={**FORM, "csrf": csrf, "change-2-weight": "0.5"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400 and 'id="simulation-answer"' not in html
    row = html.split('id="change-2"')[1].split("</fieldset>\n  <fieldset")[0]
    assert re.search(r'name="change-2-weight"[^>]*value="0.5" aria-invalid="true"', row)
    assert "data-field=\"weight\">Not simulated: weights for category &#39;district_county&#39;, dimension" in row
    assert re.search(r'name="change-0-value"[^>]*value="1"', html)  # as typed, not moved


def test_what_cannot_be_sent_is_said_without_asking_scoring(desk):
    client, tokens, scoring = desk
    csrf = _sign_in(client, tokens)
    answer = client.post("/office/simulation", data={**FORM, "csrf": csrf, "change-0-value": "很多",
                                                     "change-1-unit_id": "U-R02"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400 and scoring.asked == []
    assert 'data-field="value">请填写数字。' in html and 'data-field="kind">请选择变更类型，或清空此行。' in html
    more = client.post("/office/simulation", data={**FORM, "csrf": csrf, "add": "1"}).get_data(as_text=True)
    assert len(re.findall(r'<fieldset class="change[" ]', more)) == 4 and scoring.asked == []
    stale = client.post("/office/simulation", data={**FORM, "csrf": "stale"})
    assert stale.status_code == 400 and scoring.asked == []
