"""The read API over real sockets: the public sees published periods only,
the office sees every period and moves periods through review, answers carry
ETags and the right Cache-Control, and every answer matches openapi.yaml
(gateway_kit checks each one)."""
from __future__ import annotations

import pytest
from gateway_kit import SCHEME

UNITS = ("U-R01", "U-R02", "U-R03", "U-R04")
API = f"/api/v1/schemes/{SCHEME}"


def report(platform, period: str, values: tuple[float, ...]) -> list[str]:
    """The statistics bureau uploads one investment figure per unit; returns the event ids once scored."""
    rows = "".join(f"{unit},fixed_asset_investment,{value},CNY_100M,{period}\n" for unit, value in zip(UNITS, values, strict=True))
    reply = platform.http.upload("v.csv", ("unit_id,metric_code,value,measurement_unit,period\n" + rows).encode(), platform.tokens.feed)
    assert reply.status == 200, reply.body
    ids = [e["event_id"] for e in reply.body["events"]]
    for unit, event_id in zip(UNITS, ids, strict=True):
        platform.scored(unit, period, event_id)
    return ids


def publish(platform, period: str) -> None:
    for action, state in (("lock", "locked"), ("approve", "approved"), ("publish", "published")):
        reply = platform.http.post(f"{API}/periods/{period}/{action}", token=platform.tokens.office, json_body={"reason": "审核通过"})
        assert reply.status == 200 and reply.body["state"] == state, reply.body


@pytest.fixture(scope="module")
def months(platform):
    """January and March published, February scored but open. Investment counts year to
    date against the plan due by the month's end (about 6.9 %, 13.1 % and 20 % of the year's
    plan): the figures keep every unit below its plan, so that the months rank the units
    differently — January U-R04, U-R03, U-R02, U-R01; February U-R04, U-R01, U-R03, U-R02;
    March U-R02, U-R01, U-R04, U-R03."""
    ids = {"2026-01": report(platform, "2026-01", (2, 5, 6, 8)),
           "2026-02": report(platform, "2026-02", (10, 8, 4, 2)),
           "2026-03": report(platform, "2026-03", (20, 30, 1, 1))}
    publish(platform, "2026-01")
    publish(platform, "2026-03")
    return ids


PERIOD_SCOPED = [f"{API}/rankings?category=district_county&period={{p}}", f"{API}/units/U-R01?period={{p}}",
                 f"{API}/persons/P0001?period={{p}}", f"{API}/regions?period={{p}}", f"{API}/grades/district_county?period={{p}}",
                 f"{API}/bulletins/{{p}}", f"{API}/progress?period={{p}}&warnings=1", f"{API}/completeness?period={{p}}"]


@pytest.mark.parametrize("template", PERIOD_SCOPED)
def test_an_unpublished_period_is_not_found_for_the_public_and_open_to_the_office(platform, months, template):
    hidden = platform.http.get(template.format(p="2026-02"))
    assert hidden.status == 404 and hidden.error == "period_not_published"
    assert "2026-02" in hidden.body["error"]["message"] and hidden.headers["Cache-Control"] == "no-store"
    office = platform.http.get(template.format(p="2026-02"), token=platform.tokens.office)
    assert office.status == 200, office.body
    assert office.headers["Cache-Control"] == "private, no-store" and "Authorization" in office.headers["Vary"]
    shown = platform.http.get(template.format(p="2026-01"))
    assert shown.status == 200, shown.body
    assert shown.headers["Cache-Control"] == "public, max-age=30"
    # Another token than the office's sees what the public sees.
    assert platform.http.get(template.format(p="2026-02"), token=platform.tokens.feed).status == 404


def test_published_answers_have_strong_etags_and_304(platform, months):
    path = f"{API}/rankings?category=district_county&period=2026-01"
    first = platform.http.get(path)
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert [e["unit_id"] for e in first.body["entries"]] == ["U-R04", "U-R03", "U-R02", "U-R01"]
    again = platform.http.get(path, headers={"If-None-Match": etag})
    assert again.status == 304 and again.raw == b"" and again.headers["ETag"] == etag
    assert platform.http.get(path, headers={"If-None-Match": '"something-else"'}).status == 200
    office = platform.http.get(path, token=platform.tokens.office, headers={"If-None-Match": etag})
    assert office.status == 304, "the same body has the same ETag for the office"


def test_periods_list_the_published_ones_for_the_public(platform, months):
    public = platform.http.get(f"{API}/periods")
    assert {p["period"] for p in public.body["periods"]} == {"2026-01", "2026-03"}
    assert {p["state"] for p in public.body["periods"]} == {"published"}
    assert public.body["periods"][0]["published_by"] == "考核办"
    office = platform.http.get(f"{API}/periods?state=open", token=platform.tokens.office)
    assert "2026-02" in {p["period"] for p in office.body["periods"]}
    assert platform.http.get(f"{API}/periods?state=open").status == 403
    assert platform.http.get(f"{API}/periods?state=shut", token=platform.tokens.office).status == 400
    page = platform.http.get(f"{API}/periods?page_size=1", token=platform.tokens.office).body
    assert len(page["periods"]) == 1 and page["next_page_token"]


def test_comparisons_with_an_unpublished_period_are_left_out_for_the_public(platform, months):
    office = platform.http.get(f"{API}/units/U-R02?period=2026-03", token=platform.tokens.office).body
    assert office["previous_period"] == "2026-02" and "vs_previous" in office
    public = platform.http.get(f"{API}/units/U-R02?period=2026-03").body
    assert public["previous_period"] == "2026-02" and "vs_previous" not in public and public["period_state"] == "published"
    assert public["total"] == office["total"]

    inside = next(c for c in platform.http.get(f"{API}/bulletins/2026-03", token=platform.tokens.office).body["categories"]
                  if c["category"] == "district_county")
    assert any(e["previous_rank"] for e in inside["ranking"]) and (inside["risers"] or inside["fallers"])
    outside = next(c for c in platform.http.get(f"{API}/bulletins/2026-03").body["categories"] if c["category"] == "district_county")
    assert all(e["previous_rank"] == 0 and "vs_previous" not in e for e in outside["ranking"])
    assert outside["risers"] == [] and outside["fallers"] == []


def test_a_unit_trend_shows_the_periods_the_caller_may_see(platform, months):
    public = platform.http.get(f"{API}/units/U-R02/trend?granularity=month").body
    assert [(p["period"], p["state"]) for p in public["points"]] == [("2026-01", "published"), ("2026-03", "published")]
    office = platform.http.get(f"{API}/units/U-R02/trend", token=platform.tokens.office).body
    assert [p["period"] for p in office["points"]][:3] == ["2026-01", "2026-02", "2026-03"]
    assert office["points"][1]["state"] == "open" and office["points"][0]["rank"] == 3
    assert platform.http.get(f"{API}/units/U-NOPE/trend").status == 404
    bad = platform.http.get(f"{API}/units/U-R02/trend?granularity=week")
    assert bad.status == 400 and "granularity" in bad.body["error"]["message"]


def test_a_unit_explains_itself_down_to_public_events(platform, months):
    unit = platform.http.get(f"{API}/units/U-R03?period=2026-01").body
    result = next(r for r in unit["indicators"] if r["indicator_code"] == "investment_completion")
    assert result["formula"] and result["explanation"] and result["plugin_version"]
    event = platform.http.get(f"/api/v1/events/{result['evidence_event_ids'][0]}")
    assert event.status == 200 and event.body["unit_id"] == "U-R03" and event.body["period"] == "2026-01"
    hidden = platform.http.get(f"/api/v1/events/{months['2026-02'][0]}")
    assert hidden.status == 404 and hidden.error == "period_not_published"
    assert platform.http.get(f"/api/v1/events/{months['2026-02'][0]}", token=platform.tokens.office).status == 200
    person = platform.http.get(f"{API}/persons/P0001?period=2026-01").body
    assert person["unit_id"] == "U-R01" and person["period_state"] == "published"
    regions = platform.http.get(f"{API}/regions?period=2026-01").body
    assert [r["rank"] for r in regions["regions"]] == list(range(1, len(regions["regions"]) + 1))


def test_a_month_says_what_its_total_counts(platform, months):
    """In a month the demo scheme assesses work results (民评 and 官评 at year end only), and
    January's figures here are only investment: the answer says what the total counts,
    which dimensions are not assessed, their weights in the period, the missing results,
    each result's basis, and the leaders' weights in the period, to the public as to the office."""
    public = platform.http.get(f"{API}/units/U-R01?period=2026-01").body
    office = platform.http.get(f"{API}/units/U-R01?period=2026-01", token=platform.tokens.office).body
    fields = ("total", "partial", "basis", "missing", "dimensions", "indicators")
    assert {f: public[f] for f in fields} == {f: office[f] for f in fields}, "nothing in them is hidden from the public"
    assert public["partial"] is True
    zh, en = public["basis"].split(" / ", 1)
    assert zh.startswith("本期总分计入工作实绩") and "民评、官评本期不考核" in zh and "权重按比例归一" in zh
    assert en.startswith("This period's total counts Work results") and "not assessed in this period" in en
    dimensions = {d["code"]: d for d in public["dimensions"]}
    for code in ("public_evaluation", "leadership_evaluation"):
        assert dimensions[code]["assessed"] is False and dimensions[code]["period_weight"] == 0
        assert dimensions[code]["weight"] == pytest.approx(0.2), "the scheme's weight stays"
    work = dimensions["work_results"]
    assert work["assessed"] is True and work["weight"] == pytest.approx(0.6) and work["period_weight"] == pytest.approx(1.0)
    assert dimensions["bonus_deduction"]["assessed"] is True and dimensions["bonus_deduction"]["period_weight"] == 0
    # Only investment was reported: the other assessed work-results indicators are missing, and say how they count.
    missing = {m["indicator_code"]: m for m in public["missing"]}
    assert missing and "investment_completion" not in missing
    assert {m["dimension"] for m in missing.values()} == {"work_results"}
    assert all(m["counted_as"] in ("zero", "excluded") and " / " in m["reason"] for m in missing.values())
    assert "缺" in zh and "missing" in en
    investment = next(r for r in public["indicators"] if r["indicator_code"] == "investment_completion")
    assert investment["period_basis"] == "year_to_date" and investment["counted"] is True
    assert all(r["counted"] for r in public["indicators"] if r["dimension"] == "work_results")
    # A leader's total in a month is the unit's: personal evaluation is assessed at year end.
    person = platform.http.get(f"{API}/persons/P0001?period=2026-01").body
    assert person["unit_weight"] == 1 and person["personal_weight"] == 0
    assert person["total"] == pytest.approx(person["unit_total"]) == pytest.approx(public["total"])
    assert "本期不考核个人评价" in person["note"] and "not assessed in this period" in person["note"]


def test_rankings_are_paged(platform, months):
    first = platform.http.get(f"{API}/rankings?category=district_county&period=2026-01&page_size=3").body
    assert [e["rank"] for e in first["entries"]] == [1, 2, 3] and first["total_size"] == 4 and first["next_page_token"]
    rest = platform.http.get(f"{API}/rankings?category=district_county&period=2026-01&page_size=3"
                             f"&page_token={first['next_page_token']}").body
    assert [e["rank"] for e in rest["entries"]] == [4] and rest["next_page_token"] == ""
    grades = platform.http.get(f"{API}/grades/district_county?period=2026-01&page_size=2").body
    assert len(grades["entries"]) == 2 and grades["total_size"] == 9 and grades["next_page_token"]
    following = platform.http.get(f"{API}/grades/district_county?period=2026-01&page_size=2"
                                  f"&page_token={grades['next_page_token']}").body
    assert [e["rank"] for e in following["entries"]] == [3, 4]
    progress = platform.http.get(f"{API}/progress?period=2026-01&page_size=1").body
    assert len(progress["entries"]) == 1 and progress["total_size"] > 1
    for query, name in (("page_size=x", "page_size"), ("page_size=501", "page_size"), ("page_token=zz", "page_token")):
        bad = platform.http.get(f"{API}/rankings?category=district_county&period=2026-01&{query}")
        assert bad.status == 400 and name in bad.body["error"]["message"], bad.body


def test_a_public_answer_is_kept_for_its_max_age(platform, months):
    """The gateway keeps a public answer as long as a browser may (30 s):
    the same URL right after a publication still gives the earlier answer. (April's figures
    stay near March's: a month several times the one before is a finding that keeps Q2 from
    being published, tests/e2e/gateway/test_findings.py.)"""
    report(platform, "2026-04", (18, 27, 1.5, 1.2))
    path = f"{API}/units/U-R03/trend?granularity=quarter"
    assert platform.http.get(path).body["points"] == []
    publish(platform, "2026-Q2")
    assert platform.http.get(path).body["points"] == [], "kept for max-age"
    fresh = platform.http.get(path + "&fresh=1").body["points"]
    assert [p["period"] for p in fresh] == ["2026-Q2"]


def test_office_actions_need_the_office(platform, months):
    path = f"{API}/periods/2026-02/lock"
    assert platform.http.post(path).status == 401
    assert platform.http.post(path, token="jx_unknown").status == 401
    for role in ("feed", "reader", "department"):
        reply = platform.http.post(path, token=getattr(platform.tokens, role))
        assert reply.status == 403 and "office" in reply.body["error"]["message"]
    early = platform.http.post(f"{API}/periods/2026-02/publish", token=platform.tokens.office)
    assert early.status == 409 and early.error == "failed_precondition"
    assert platform.http.post(f"{API}/periods/2026-02/lock", token=platform.tokens.office,
                              data=b"not json", content_type="application/json").status == 400
    assert platform.http.post(f"{API}/periods/2026-13/lock", token=platform.tokens.office).status == 400
    locked = platform.http.post(f"{API}/periods/2026-02/lock", token=platform.tokens.office)
    assert locked.status == 200 and locked.body["state"] == "locked" and locked.body["result_digest"]
    recheck = platform.http.post(f"{API}/periods/2026-02/recheck", token=platform.tokens.office)
    assert recheck.status == 200 and recheck.body["identical"] is True and recheck.body["compared"] > 0
    assert platform.http.post(f"{API}/periods/2026-02/recheck").status == 401
    no_reason = platform.http.post(f"{API}/periods/2026-02/reopen", token=platform.tokens.office)
    assert no_reason.status == 400 and "reason" in no_reason.body["error"]["message"]
    reopened = platform.http.post(f"{API}/periods/2026-02/reopen", token=platform.tokens.office, json_body={"reason": "数据更正"})
    assert reopened.status == 200 and reopened.body["state"] == "open" and reopened.body["reason"] == "数据更正"


def test_self_evaluation_by_the_unit_itself_or_the_office(platform, months):
    path = f"{API}/units/U-R01/self-evaluation"
    body = {"period": "2026-02", "total": 88.5, "summary": "全年投资超额完成"}
    own = platform.http.post(path, token=platform.unit_token, json_body=body)
    assert own.status == 200 and own.body["submitted_by"] == "青山区" and own.body["total"] == 88.5
    shown = platform.http.get(f"{API}/units/U-R01?period=2026-02", token=platform.tokens.office).body
    assert shown["self_evaluation"]["summary"] == "全年投资超额完成"
    other = platform.http.post(f"{API}/units/U-R02/self-evaluation", token=platform.unit_token, json_body=body)
    assert other.status == 403 and "U-R01" in other.body["error"]["message"]
    assert platform.http.post(path, token=platform.tokens.feed, json_body=body).status == 403
    assert platform.http.post(path, json_body=body).status == 401
    for broken, name in (({**body, "total": "lots"}, "total"), ({**body, "period": "soon"}, "period"),
                         ({"total": 1}, "period"), ({**body, "summary": 3}, "summary")):
        reply = platform.http.post(path, token=platform.tokens.office, json_body=broken)
        assert reply.status == 400 and reply.body["error"]["message"].startswith(name), reply.body
    closed = platform.http.post(path, token=platform.tokens.office, json_body={**body, "period": "2026-01"})
    assert closed.status == 409


def test_consequences_are_for_the_office(platform, months):
    path = f"{API}/consequences?grading_code=departments"
    office = platform.http.get(path, token=platform.tokens.office)
    assert office.status == 200 and isinstance(office.body["consequences"], list)
    assert platform.http.get(path).status == 401
    assert platform.http.get(path, token=platform.tokens.reader).status == 403
    missing = platform.http.get(f"{API}/consequences", token=platform.tokens.office)
    assert missing.status == 400 and "grading_code" in missing.body["error"]["message"]


def test_schemes_and_indicator_definitions(platform):
    schemes = platform.http.get("/api/v1/schemes").body["schemes"]
    assert [s["code"] for s in schemes] == [SCHEME]
    scheme = platform.http.get(f"{API}").body
    assert scheme["version"]["status"] == "published" and len(scheme["document"]["units"]) == 108
    # who published it and why are public, as who submitted it (an office token's name)
    assert (scheme["version"]["published_by"], scheme["version"]["publication_reason"]) == (
        "考核办", "bootstrap: first publication")
    assert schemes[0]["published_by"] == "考核办"
    assert {"category", "dimension", "indicator", "weight"} <= set(scheme["document"]["assignments"][0])
    indicators = platform.http.get("/api/v1/indicators").body["indicators"]
    assert any(i["code"] == "investment_completion" and "fixed_asset_investment" in i["input_metrics"] for i in indicators)
    assert platform.http.get("/api/v1/schemes/no-such-scheme").status == 404
    assert platform.http.get("/api/v1/openapi.json").body["openapi"].startswith("3.1")


def test_bad_requests_are_json_naming_the_parameter(platform):
    missing = platform.http.get(f"{API}/rankings?period=2026-01")
    assert missing.status == 400 and "category" in missing.body["error"]["message"]
    bad = platform.http.get(f"{API}/rankings?category=district_county&period=2026-13")
    assert bad.status == 400 and bad.body["error"]["message"].startswith("period:")
    unknown = platform.http.get("/api/v1/schemes/nope/rankings?category=x&period=2026")
    assert unknown.status == 404 and unknown.error == "not_found"
    route = platform.http.request("GET", "/api/v1/no-such-thing", check=False)
    assert route.status == 404 and route.body["error"]["code"] == "not_found"
    malformed = platform.http.get("/api/v1/schemes", headers={"Authorization": "Basic abc"})
    assert malformed.status == 401 and "Bearer" in malformed.body["error"]["message"]


def test_completeness_lists_the_figures_units_did_not_report(platform, months):
    """The demo expects monthly investment and revenue from the districts and the complaint
    counts from every unit; this platform has the four districts' investment only."""
    found = platform.http.get(f"{API}/completeness?period=2026-02&page_size=500", token=platform.tokens.office).body
    assert len(found["gaps"]) == found["total_size"] == 9 + 9 + 108 * 4 - 4  # by unit and metric
    assert found["checked_through"] >= "2026-03-31" and found["expected_count"] == 9 * 2 + 108 * 4
    assert found["gap_count"] == found["expected_count"] - 4 and found["incomplete_units"] == 108
    gaps = {(g["unit_id"], g["metric_code"]): g for g in found["gaps"]}
    assert ("U-R01", "fixed_asset_investment") not in gaps
    r05 = gaps[("U-R05", "fixed_asset_investment")]
    assert r05["missing_periods"] == ["2026-02"] and r05["indicator_codes"] == ["investment_completion"]
    assert gaps[("U-D001", "complaints_received")]["indicator_codes"] == ["complaint_handling"]
    quarter = platform.http.get(f"{API}/completeness?period=2026-Q1&page_size=2", token=platform.tokens.office).body
    assert quarter["total_size"] == len(found["gaps"]) and len(quarter["gaps"]) == 2 and quarter["next_page_token"]
    assert quarter["gaps"][0]["missing_periods"] == ["2026-01", "2026-02", "2026-03"]
    bad = platform.http.get(f"{API}/completeness?period=2025-12", token=platform.tokens.office)
    assert bad.status == 400 and "period" in bad.body["error"]["message"]


def test_rankings_and_bulletins_flag_units_with_missing_figures(platform, months):
    entries = platform.http.get(f"{API}/rankings?category=district_county&period=2026-01").body["entries"]
    assert {e["unit_id"]: (e["incomplete"], e["gaps"]) for e in entries}["U-R01"] == (True, 5)  # revenue, 4 complaint counts
    office = next(c for c in platform.http.get(f"{API}/bulletins/2026-03", token=platform.tokens.office).body["categories"]
                  if c["category"] == "district_county")
    assert all(e["incomplete"] and e["gaps"] == 5 for e in office["ranking"])
    investment, revenue, funds = office["key_indicators"]
    assert (investment["indicator_code"], investment["metric_code"], investment["measurement_unit"]) == (
        "investment_completion", "fixed_asset_investment", "CNY_100M")
    rows = {r["unit_id"]: r for r in investment["rows"]}
    assert rows["U-R02"]["year_to_date"] == pytest.approx(5 + 8 + 30) and rows["U-R02"]["expected_share"] == pytest.approx(0.2)
    assert rows["U-R02"]["completion"] == pytest.approx(43 / rows["U-R02"]["annual_plan"])
    assert rows["U-R02"]["rank"] == 1 and rows["U-R02"]["previous_rank"] == 4 and "vs_previous_points" in rows["U-R02"]
    assert rows["U-R02"]["vs_last_year"] == pytest.approx(43 / rows["U-R02"]["last_year_to_date"] - 1)  # the baselines
    assert not rows["U-R02"]["incomplete"] and rows["U-R05"]["gaps"] == 1  # no investment in March
    assert {r["rank"] for r in investment["rows"] if r["year_to_date"] == 0} == {5}  # five at 0 %: a shared rank
    assert all(r["year_to_date"] == 0 and r["gaps"] == 1 for r in revenue["rows"]) and funds["rows"]
    public = next(c for c in platform.http.get(f"{API}/bulletins/2026-03").body["categories"] if c["category"] == "district_county")
    for row in public["key_indicators"][0]["rows"]:  # 2026-02 is not published: no change since its bulletin
        assert row["previous_rank"] == 0 and "previous_completion" not in row and "vs_previous_points" not in row
        assert row["year_to_date"] == rows[row["unit_id"]]["year_to_date"] and row["gaps"] == rows[row["unit_id"]]["gaps"]


def test_self_evaluation_per_indicator_beside_the_computed_points(platform, months):
    path = f"{API}/units/U-R01/self-evaluation"
    computed = next(i["points"] for i in platform.http.get(f"{API}/units/U-R01?period=2026-02",
                                                         token=platform.tokens.office).body["indicators"]
                    if i["indicator_code"] == "investment_completion")
    body = {"period": "2026-02", "total": 90, "summary": "投资进度超序时",
            "indicators": [{"indicator_code": "investment_completion", "points": 100, "basis": "在途项目3个"},
                           {"indicator_code": "work_style", "points": 0}]}
    own = platform.http.post(path, token=platform.unit_token, json_body=body)
    assert own.status == 200, own.body
    investment = own.body["indicators"][0]
    assert investment["computed"] and investment["computed_points"] == computed
    assert investment["gap"] == 100 - computed and investment["flagged"] is (100 - computed > 10)
    assert own.body["tolerance"] == 10 and own.body["flagged"] == int(investment["flagged"])
    listed = platform.http.get(f"{API}/self-evaluations?period=2026-02", token=platform.tokens.office)
    assert listed.status == 200 and [e["unit_id"] for e in listed.body["self_evaluations"]] == ["U-R01"]
    assert "U-R02" in listed.body["missing_unit_ids"]
    assert platform.http.get(f"{API}/self-evaluations?period=2026-02", token=platform.unit_token).status == 403
    assert platform.http.get(f"{API}/self-evaluations", token=platform.tokens.office).status == 400
    for broken, message in (
            ([{"indicator_code": "investment_completion", "points": 101}], "indicators[0].points"),
            ([{"indicator_code": "nope", "points": 1}], "indicators[0].indicator_code"),
            ([{"points": 1}], "indicators[0].indicator_code"),
            ([{"indicator_code": "work_style", "points": "x"}], "indicators[0].points"),
            ([{"indicator_code": "work_style", "points": 0, "colour": "red"}], "indicators[0]: unknown field"),
            ("all", "indicators: must be a list")):
        reply = platform.http.post(path, token=platform.unit_token, json_body={**body, "indicators": broken})
        assert reply.status == 400 and message in reply.body["error"]["message"], reply.body
    unchanged = platform.http.get(f"{API}/self-evaluations?period=2026-02", token=platform.tokens.office).body
    assert unchanged["self_evaluations"][0]["summary"] == "投资进度超序时"  # nothing half-stored


def _report_form(fields: dict, name: str, content: bytes) -> tuple[bytes, str]:
    boundary = "jixiao-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
             for key, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                 "Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_work_reports_upload_list_and_download(platform, months):
    import hashlib

    path = f"{API}/units/U-R01/work-reports"
    pdf = b"%PDF-1.7\n% \xe8\xbf\xb0\xe8\x81\x8c\ntrailer <<>>\n%%EOF\n"
    data, kind = _report_form({"period": "2026"}, "青山区领导班子述职报告.pdf", pdf)
    stored = platform.http.post(path, token=platform.unit_token, data=data, content_type=kind)
    assert stored.status == 200, stored.body
    assert (stored.body["version"], stored.body["sha256"]) == (1, hashlib.sha256(pdf).hexdigest())
    listed = platform.http.get(f"{path}?period=2026", token=platform.tokens.office)
    assert [(r["file_name"], r["current"]) for r in listed.body["reports"]] == [("青山区领导班子述职报告.pdf", True)]
    download = platform.http.get(f"{API}/work-reports/{stored.body['id']}", token=platform.unit_token)
    assert download.status == 200 and download.raw == pdf
    assert download.headers["Content-Type"] == "application/pdf" and download.headers["X-Content-SHA256"] == stored.body["sha256"]
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    other = platform.http.get(f"{API}/work-reports/{stored.body['id']}", token=platform.tokens.department)
    assert other.status == 404  # another unit's report: not even its existence
    assert platform.http.get(f"{API}/work-reports/{stored.body['id']}").status == 401
    for fields, name, content, message in (
            ({"period": "2026"}, "报告.pdf", b"MZ\x90\x00", "is not a PDF file"),
            ({"period": "2026"}, "报告.exe", pdf, "must be a .pdf or .docx file"),
            ({}, "报告.pdf", pdf, "period"),
            ({"period": "2026", "person_id": "P9999"}, "报告.pdf", pdf, "person_id"),
            ({"period": "2026"}, "报告.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "10 MiB")):
        data, kind = _report_form(fields, name, content)
        reply = platform.http.post(path, token=platform.unit_token, data=data, content_type=kind)
        assert reply.status == 400 and message in reply.body["error"]["message"], reply.body
    too_large = _report_form({"period": "2026"}, "报告.pdf", b"%PDF-" + b"0" * (11 * 1024 * 1024))
    assert platform.http.post(path, token=platform.unit_token, data=too_large[0],
                              content_type=too_large[1]).status == 413
    assert len(platform.http.get(path, token=platform.unit_token).body["reports"]) == 1  # nothing else stored


def test_a_report_id_beyond_an_int64_is_not_found(platform):
    reply = platform.http.get(f"{API}/work-reports/{2**80}", token=platform.tokens.office)
    assert reply.status == 404, reply.body
