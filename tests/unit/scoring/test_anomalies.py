"""Anomaly checks (疑点核查): each check on small figures, bad input, and the demo year's
fabrications found (jixiao.scoring.domain.anomalies, bench/anomalies.py)."""
import importlib.util
import math
import random
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import REPO, demo_document
from jixiao.scoring.domain import anomalies
from jixiao.scoring.domain.anomalies import AnomalyInputError, ReportedFigure, Thresholds, ValidationRule, check
from jixiao_sdk.periods import parse_period

SEASON = [0.7, 0.6, 1.1, 0.9, 1.0, 1.05, 0.95, 1.0, 1.1, 0.95, 1.05, 1.4]


def fig(unit: str, metric: str, period: str, value: float, unit_of_measure: str = "CNY_100M", *,
        event_id: str = "", source: str = "stats_bureau", **more) -> ReportedFigure:
    p = parse_period(period)
    return ReportedFigure(unit_id=unit, metric=metric, period=period, start=p.start, end=p.end, value=value,
                  measurement_unit=unit_of_measure, event_id=event_id or f"{unit}/{metric}/{period}/{value}",
                  source=source, **more)


def monthly(unit: str, metric: str, values, unit_of_measure: str = "CNY_100M", year: int = 2026, **more) -> list[ReportedFigure]:
    return [fig(unit, metric, f"{year}-{m:02d}", v, unit_of_measure, **more) for m, v in enumerate(values, start=1)
            if v is not None]


def seasonal(level: float, decimals: int = 2) -> list[float]:
    return [round(level * s, decimals) for s in SEASON]


def kinds(report, kind: str) -> list:
    return [f for f in report.findings if f.kind == kind]


# -- (a) validation rules -----------------------------------------------------------------------

ON_TIME = ValidationRule("on_time_within_received", "complaints_handled_on_time", "<=", "complaints_received",
                         "high", "按期办理不超过受理", "on time ≤ received")


def test_a_broken_validation_rule_is_a_finding_of_its_severity():
    figures = [fig("U-1", "complaints_received", "2026-10", 22, "count", event_id="r10"),
               fig("U-1", "complaints_handled_on_time", "2026-10", 28, "count", event_id="t10"),
               fig("U-1", "complaints_received", "2026-11", 22, "count", event_id="r11"),
               fig("U-1", "complaints_handled_on_time", "2026-11", 22, "count", event_id="t11"),
               fig("U-1", "complaints_handled_on_time", "2026-12", 5, "count", event_id="t12")]  # no received: 缺报
    [finding] = kinds(check(figures, rules=[ON_TIME]), "validation_rule")
    assert (finding.severity, finding.unit_id, finding.period, finding.rule) == ("high", "U-1", "2026-10",
                                                                                 "on_time_within_received")
    assert finding.evidence == ("r10", "t10") and finding.numbers == {"left": 28, "right": 22, "difference": 6}
    assert "按期办理不超过受理" in finding.message_zh and "on time ≤ received" in finding.message_en


def test_rule_operators_allow_only_rounding_between_equal_values():
    rule = {op: ValidationRule("r", "a", op, "b") for op in anomalies.OPERATORS}
    assert rule["<="].holds(0.1 + 0.2, 0.3) and rule["=="].holds(0.1 + 0.2, 0.3) and rule[">="].holds(0.3, 0.1 + 0.2)
    assert not rule["<"].holds(0.1 + 0.2, 0.3) and not rule[">"].holds(0.3, 0.1 + 0.2)
    assert rule["<"].holds(1, 2) and rule[">"].holds(2, 1) and not rule["=="].holds(1, 1.001)
    assert rule["<="].severity == "medium"  # when a rule names none


def test_bad_rules_get_a_clear_answer():
    document = {"sources": [{"code": "petition_bureau", "metrics": ["complaints_received",
                                                                   "complaints_handled_on_time"]}]}
    good = {"code": "r", "left": "complaints_handled_on_time", "operator": "<=", "right": "complaints_received"}
    assert anomalies.rules_from_scheme({**document, "validation_rules": [good]})[0].operator == "<="
    for change, message in [
        ({"operator": "=<"}, "validation_rules[0].operator: must be one of <=, <, >=, >, =="),
        ({"left": "complaints_made_up"}, "validation_rules[0].left: unknown metric 'complaints_made_up'"),
        ({"severity": "fatal"}, "validation_rules[0].severity: must be one of low, medium, high"),
        ({"right": "complaints_handled_on_time"}, "validation_rules[0].right: compares 'complaints_handled_on_time'"),
        ({"code": None}, "validation_rules[0].code: is required"),
    ]:
        with pytest.raises(AnomalyInputError) as raised:
            anomalies.rules_from_scheme({**document, "validation_rules": [{**good, **change}]})
        assert str(raised.value).startswith(message), str(raised.value)
    with pytest.raises(AnomalyInputError, match=r"^validation_rules: must be a list of rules, not a mapping"):
        anomalies.rules_from_scheme({**document, "validation_rules": {"code": "r"}})
    with pytest.raises(AnomalyInputError, match=r"operator: must be one of <=, <, >=, >, ==, not '≤'"):
        ValidationRule("r", "a", "≤", "b")
    with pytest.raises(AnomalyInputError, match=r"right: unknown metric 'complaints_received'"):
        check([], rules=[ON_TIME], known_metrics={"complaints_handled_on_time"})
    with pytest.raises(AnomalyInputError, match=r"^rules\[0\]: must be a ValidationRule, not a mapping"):
        check([], rules=[good])


def test_the_demo_scheme_declares_rules_between_its_metrics():
    document = demo_document()
    rules = anomalies.rules_from_scheme(document)
    pairs = {(r.left, r.operator, r.right) for r in rules}
    assert ("complaints_handled_on_time", "<=", "complaints_received") in pairs
    assert ("key_project_milestones_met", "<=", "key_project_milestones_due") in pairs
    assert all(r.name_zh and r.name_en for r in rules)


# -- (b) own history and jumps ------------------------------------------------------------------


def test_a_month_far_from_the_units_own_history_is_found():
    values = seasonal(20.0)
    values[10] = round(values[10] * 3.5, 2)  # November inflated
    report = check(monthly("U-1", "fixed_asset_investment", values))
    [finding] = kinds(report, "own_history")
    assert (finding.period, finding.severity) == ("2026-11", "medium")
    assert finding.numbers["z"] >= 5 and finding.numbers["months"] == 11
    assert "明显偏高" in finding.message_zh and "unusually high" in finding.message_en
    [jump] = kinds(report, "jump")
    assert jump.period == "2026-11" and jump.numbers["factor"] >= 3
    assert check(monthly("U-1", "fixed_asset_investment", seasonal(20.0))).findings == ()  # a December peak is no anomaly


def test_a_tiny_inflation_goes_unnoticed_and_a_huge_one_is_high():
    modest, huge = seasonal(20.0), seasonal(20.0)
    modest[5] *= 1.3
    huge[5] *= 8
    assert kinds(check(monthly("U-1", "m", modest)), "own_history") == []
    assert {f.severity for f in check(monthly("U-1", "m", huge)).findings} == {"high"}


def test_too_short_a_history_is_not_judged():
    values = [10, 11, 9, 10, 12, 80]  # five other months: fewer than history_min (6)
    assert kinds(check(monthly("U-1", "m", values)), "own_history") == []
    assert kinds(check(monthly("U-1", "m", values), thresholds=Thresholds(history_min=5)), "own_history")


def test_small_counts_are_noisy_not_suspicious():
    counts = [2, 1, 3, 2, 0, 2, 9, 1, 2, 3, 2, 1]  # 9 where 2 is usual: rare, not absurd
    report = check(monthly("U-1", "complaints_received", counts, "count"))
    assert all(f.severity == "low" for f in report.findings)
    big = [120, 131, 118, 125, 110, 123, 119, 127, 560, 122, 128, 140]  # 4.6 times the usual month
    [finding] = kinds(check(monthly("U-1", "complaints_received", big, "count")), "own_history")
    assert finding.period == "2026-09" and finding.severity == "high"


def test_month_on_month_jumps_need_a_big_ratio_and_a_material_change():
    assert kinds(check(monthly("U-1", "complaints_received", [1, 4, 1, 2, 3, 1, 2, 2, 1, 3, 2, 2], "count")),
                 "jump") == []  # 1 → 4 is a ratio of 4 but no evidence
    shifted = [10.0, 11.0, 10.5, 9.8, 10.2, 41.0, 40.0, 42.5, 39.0, 41.2, 40.4, 43.0]  # a level shift in June
    [jump] = kinds(check(monthly("U-1", "m", shifted)), "jump")
    assert (jump.period, jump.severity) == ("2026-06", "medium") and jump.numbers["previous"] == 10.2
    assert "2026-05" in jump.message_en and "2026-06" in jump.message_zh


# -- (c) peers ----------------------------------------------------------------------------------


def _peers(level_of: dict[str, float], spike: tuple[str, int, float] | None = None) -> list[ReportedFigure]:
    figures, rng = [], random.Random(7)
    for unit, level in level_of.items():
        values = [round(level * s * rng.uniform(0.97, 1.03), 2) for s in SEASON]
        if spike and spike[0] == unit:
            values[spike[1] - 1] = round(values[spike[1] - 1] * spike[2], 2)
        figures += monthly(unit, "fixed_asset_investment", values)
    return figures


def test_a_unit_that_moves_unlike_its_peers_is_found_whatever_its_size():
    levels = {"U-1": 5.0, "U-2": 12.0, "U-3": 20.0, "U-4": 40.0, "U-5": 90.0, "U-6": 300.0}
    categories = dict.fromkeys(levels, "district_county")
    assert kinds(check(_peers(levels), categories=categories), "peers") == []  # sizes differ tenfold: no anomaly
    report = check(_peers(levels, ("U-4", 7, 2.6)), categories=categories)
    [finding] = kinds(report, "peers")
    assert (finding.unit_id, finding.period) == ("U-4", "2026-07")
    assert finding.numbers["index"] > 2 and finding.numbers["peers"] == 5
    assert kinds(check(_peers(levels, ("U-4", 7, 2.6))), "peers") == []  # no categories: no peers


def test_too_few_peers_are_not_compared():
    levels = {"U-1": 5.0, "U-2": 12.0, "U-3": 20.0, "U-4": 40.0, "U-5": 90.0}  # four peers each: fewer than 5
    report = check(_peers(levels, ("U-4", 7, 2.6)), categories=dict.fromkeys(levels, "c"))
    assert kinds(report, "peers") == []


# -- (d) copied figures -------------------------------------------------------------------------


def test_figures_copied_across_units_are_found():
    rng = random.Random(3)
    a = [round(15 * s * rng.uniform(0.9, 1.1), 2) for s in SEASON]
    b = [round(13 * s * rng.uniform(0.9, 1.1), 2) for s in SEASON]
    b[9:12] = a[9:12]  # October to December copied
    figures = monthly("U-A", "fixed_asset_investment", a) + monthly("U-B", "fixed_asset_investment", b)
    [finding] = kinds(check(figures), "copied")
    assert (finding.unit_id, finding.other_unit_id, finding.period, finding.period_to) == ("U-A", "U-B", "2026-10",
                                                                                           "2026-12")
    assert finding.severity == "medium" and finding.numbers["months"] == 3 and 1e-9 < finding.numbers["chance"] < 1e-6
    assert len(finding.evidence) == 6 and "U-B" in finding.message_zh
    b[8] = a[8]  # September too: four months
    figures = monthly("U-A", "fixed_asset_investment", a) + monthly("U-B", "fixed_asset_investment", b)
    [finding] = kinds(check(figures), "copied")
    assert (finding.period, finding.severity, finding.numbers["months"]) == ("2026-09", "high", 4)
    b[10] = round(b[10] + 0.01, 2)  # no run of three equal months is left
    figures = monthly("U-A", "fixed_asset_investment", a) + monthly("U-B", "fixed_asset_investment", b)
    assert kinds(check(figures), "copied") == []


def test_small_equal_counts_and_equal_zeros_are_no_evidence_of_copying():
    a = [14, 17, 12, 15, 13, 16, 14, 18, 12, 15, 17, 13]
    b = [11, 19, 12, 17, 13, 16, 15, 18, 10, 14, 13, 12]  # May to July equal by chance
    zeros = [0] * 12
    figures = (monthly("U-A", "complaints_received", a, "count") + monthly("U-B", "complaints_received", b, "count")
               + monthly("U-A", "complaints_escalated", zeros, "count")
               + monthly("U-B", "complaints_escalated", zeros, "count"))
    assert kinds(check(figures), "copied") == []
    assert anomalies.coincidence_chance(14, 4.4, 4.4) == pytest.approx(1 / math.sqrt(2 * math.pi * 2 * 4.4 ** 2))
    assert anomalies.coincidence_chance(5, 0, 0) == 1.0
    assert (anomalies.grid(184), anomalies.grid(12.05), anomalies.grid(12.5)) == (1.0, 0.01, 0.1)


# -- (e) year-to-date totals that decrease ------------------------------------------------------


def test_a_downward_revision_after_later_months_were_reported_is_found():
    figures = [fig("U-1", "m", "2026-01", 10.0, event_id="jan", reported_at="2026-02-10T09:30:00+08:00"),
               fig("U-1", "m", "2026-02", 12.0, event_id="feb", reported_at="2026-03-10T09:30:00+08:00"),
               fig("U-1", "m", "2026-03", 30.0, event_id="mar", reported_at="2026-04-10T09:30:00+08:00"),
               fig("U-1", "m", "2026-03", 14.0, event_id="mar-revised", revision_of="mar",
                   reported_at="2026-05-20T09:30:00+08:00"),
               fig("U-1", "m", "2026-04", 13.0, event_id="apr", reported_at="2026-05-10T09:30:00+08:00")]
    [finding] = kinds(check(figures), "ytd_decrease")
    assert (finding.period, finding.severity, finding.evidence) == ("2026-03", "medium", ("mar", "mar-revised"))
    assert finding.numbers["ytd_before"] == 65.0 and finding.numbers["ytd_after"] == 49.0
    assert "2026-04" in finding.message_en  # the year to date through April shrank
    early = [f for f in figures if f.event_id != "apr"]  # nothing later was reported: a plain correction
    assert kinds(check(early), "ytd_decrease") == []
    upward = [f if f.event_id != "mar-revised" else fig("U-1", "m", "2026-03", 31.0, event_id="up", revision_of="mar",
                                                         reported_at="2026-05-20T09:30:00+08:00") for f in figures]
    assert kinds(check(upward), "ytd_decrease") == []


def test_a_revised_figure_no_longer_counts_in_the_other_checks():
    values = seasonal(20.0)
    figures = monthly("U-1", "m", values)
    figures[10] = fig("U-1", "m", "2026-11", 90.0, event_id="nov")
    assert kinds(check(figures), "own_history")
    figures.append(fig("U-1", "m", "2026-11", values[10], event_id="nov-fixed", revision_of="nov"))
    report = check(figures)  # the revision puts November back among its months
    assert kinds(report, "own_history") == [] and kinds(report, "jump") == []
    [revised] = kinds(report, "ytd_decrease")  # and, December being reported, lowers the year to date
    assert revised.evidence == ("nov", "nov-fixed")


def test_cumulative_figures_must_not_fall():
    ytd = [5.0, 9.0, 15.0, 14.0, 21.0]
    figures = monthly("U-1", "ytd_metric", ytd)
    [finding] = kinds(check(figures, cumulative_metrics={"ytd_metric"}), "ytd_decrease")
    assert (finding.period, finding.numbers["previous"], finding.numbers["value"]) == ("2026-04", 15.0, 14.0)
    assert kinds(check(figures), "ytd_decrease") == []  # a flow may fall
    next_year = monthly("U-1", "ytd_metric", [30.0], year=2026) + monthly("U-1", "ytd_metric", [2.0], year=2027)
    assert kinds(check(next_year, cumulative_metrics={"ytd_metric"}), "ytd_decrease") == []


# -- (f) Benford --------------------------------------------------------------------------------


def _amounts(values, source: str = "finance_bureau") -> list[ReportedFigure]:
    return [fig(f"U-{i % 9}", "grant", f"2026-{i % 12 + 1:02d}-{i % 28 + 1:02d}", v, event_id=f"e{i}", source=source)
            for i, v in enumerate(values)]


def _benford_like(n: int, seed: int = 1) -> list[float]:
    rng = random.Random(seed)
    return [round(10 ** rng.uniform(-1, 3), 2) for _ in range(n)]  # log-uniform over 4 orders: Benford


def test_benford_with_too_few_amounts_says_so_and_finds_nothing():
    report = check(_amounts(_benford_like(99)))
    [test] = report.benford
    assert (test.source, test.period, test.status, test.count) == ("finance_bureau", "2026", "not_enough_data", 99)
    assert "fewer than 100" in test.reason_en and report.findings == ()
    assert check(_amounts(_benford_like(100))).benford[0].status == "conforms"


def test_benford_flags_invented_amounts_not_real_ones():
    real = check(_amounts(_benford_like(1000)))
    assert real.benford[0].status == "conforms" and real.benford[0].conformity in ("close", "acceptable")
    rng = random.Random(5)
    invented = [round(rng.randint(1, 9) * 10 ** rng.randint(-1, 2) * rng.uniform(1.0, 1.11), 2) for _ in range(500)]
    report = check(_amounts(invented))
    [test] = report.benford
    assert test.status == "nonconforming" and test.conformity == "nonconformity" and test.p_value < 0.001
    [finding] = kinds(report, "benford")
    assert (finding.severity, finding.source, finding.period, finding.unit_id) == ("high", "finance_bureau", "2026", "")
    assert len(finding.evidence) == 500 and "本福特定律" in finding.message_zh


def test_benford_does_not_apply_to_similar_amounts():
    rng = random.Random(2)
    similar = [round(rng.uniform(3, 15), 2) for _ in range(400)]  # one order of magnitude: not Benford's domain
    report = check(_amounts(similar))
    assert report.benford[0].status == "not_applicable" and report.findings == ()
    counts = check([fig("U-1", "complaints_received", "2026-01", 3, "count", event_id=f"c{i}") for i in range(200)])
    assert counts.benford == ()  # counts are no amounts


def test_the_chi_square_p_value_is_exact_for_eight_degrees_of_freedom():
    assert anomalies.chi_square_p_value_8df(15.507313) == pytest.approx(0.05, abs=1e-6)
    assert anomalies.chi_square_p_value_8df(20.090235) == pytest.approx(0.01, abs=1e-6)
    assert anomalies.chi_square_p_value_8df(0.0) == 1.0
    assert [anomalies.first_digit(v) for v in (0.29, 1.0, 9.99, 123.4, 0.000456)] == [2, 1, 9, 1, 4]
    assert anomalies.nigrini_conformity(0.013) == "marginal" and anomalies.nigrini_conformity(0.02) == "nonconformity"


# -- bad input and order ------------------------------------------------------------------------


def test_bad_figures_get_a_clear_answer():
    good = fig("U-1", "m", "2026-01", 1.0, event_id="e1")
    cases = [
        ([good, fig("U-1", "m", "2026-02", math.nan, event_id="e2")], r"^figures\[1\] \(event 'e2'\)\.value: must be a finite number"),
        ([good, {"unit_id": "U-1"}], r"^figures\[1\]: must be a ReportedFigure, not a mapping"),
        ([good, good], r"^figures\[1\] \(event 'e1'\)\.event_id: is listed twice"),
        ([fig("U-1", "m", "2026-02", 1e300)], r"^figures\[0\] .*\.value: must be a finite number of at most 1e\+100"),
        ([ReportedFigure("U-1", "m", "2026-01", good.end, good.start, 1.0)], r"^figures\[0\]\.start: must be a date no later than end"),
        ([ReportedFigure("", "m", "2026-01", good.start, good.end, 1.0)], r"^figures\[0\]\.unit_id: is required"),
        ("not figures", r"^figures: must be a list of Figures, not text"),
    ]
    for figures, message in cases:
        with pytest.raises(AnomalyInputError, match=message):
            check(figures)
    with pytest.raises(AnomalyInputError, match=r"^event 'x'\.period: period '2026-13' is not a real calendar date"):
        anomalies.figure_from_event({"event_id": "x", "unit_id": "U-1", "metric_code": "m", "period": "2026-13",
                                     "value": 1.0})
    with pytest.raises(AnomalyInputError, match=r"^event 'x'\.value: must be a number, not text"):
        anomalies.figure_from_event({"event_id": "x", "unit_id": "U-1", "metric_code": "m", "period": "2026-03",
                                     "value": "1"})
    with pytest.raises(AnomalyInputError, match=r"^thresholds\.z: must be a finite number ≥ 0"):
        Thresholds(z=-1)
    with pytest.raises(AnomalyInputError, match=r"^thresholds\.benford_min_count: must be a whole number ≥ 1"):
        Thresholds(benford_min_count=0)
    with pytest.raises(AnomalyInputError, match=r"^year_start_month: "):
        check([good], year_start_month=13)


def test_money_in_any_unit_is_one_figure_and_a_persons_figures_are_left_out():
    values = seasonal(20.0)
    values[10] *= 3.5
    in_100m = monthly("U-1", "m", values)
    in_10k = [fig(f.unit_id, f.metric, f.period, f.value * 1e4, "CNY_10K", event_id=f.event_id) for f in in_100m]
    a, b = check(in_100m), check(in_10k)
    assert a.findings and [(f.kind, f.period, f.severity) for f in a.findings] == \
        [(f.kind, f.period, f.severity) for f in b.findings]
    assert b.findings[0].numbers["value"] == pytest.approx(a.findings[0].numbers["value"])  # in 亿元
    rated = [fig("U-1", "m", f.period, f.value, person_id="P0001") for f in in_100m]
    assert check(rated).findings == ()


def _demo_like_figures() -> list[ReportedFigure]:
    figures = _peers({"U-1": 5.0, "U-2": 12.0, "U-3": 20.0, "U-4": 40.0, "U-5": 90.0, "U-6": 300.0}, ("U-2", 3, 4.0))
    figures += [fig("U-3", "complaints_received", "2026-05", 10, "count", event_id="r"),
                fig("U-3", "complaints_handled_on_time", "2026-05", 12, "count", event_id="t")]
    figures += _amounts(_benford_like(150), source="grants")
    return figures


CATEGORIES = {f"U-{i}": "district_county" for i in range(1, 7)}


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_the_same_figures_in_any_order_give_the_same_report(rng):
    figures = _demo_like_figures()
    expected = check(figures, rules=[ON_TIME], categories=CATEGORIES)
    assert {f.kind for f in expected.findings} >= {"own_history", "peers", "validation_rule"}
    shuffled = list(figures)
    rng.shuffle(shuffled)
    assert check(shuffled, rules=[ON_TIME], categories=CATEGORIES) == expected


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(min_value=-1e100, max_value=1e100, allow_nan=False), min_size=0, max_size=40),
       st.integers(min_value=1, max_value=12))
def test_any_finite_figures_give_findings_resting_on_their_own_events(values, year_start_month):
    figures = [fig(f"U-{i % 3}", "m", f"2026-{i % 12 + 1:02d}", v, event_id=f"e{i}") for i, v in enumerate(values)]
    report = check(figures, year_start_month=year_start_month, categories={"U-0": "c", "U-1": "c", "U-2": "c"})
    ids = {f.event_id for f in figures}
    for finding in report.findings:
        assert finding.kind in anomalies.KINDS and finding.severity in anomalies.SEVERITIES
        assert set(finding.evidence) <= ids and finding.message_zh and finding.message_en
    assert all(t.status in anomalies.BENFORD_STATUSES for t in report.benford)


# -- the demo year ------------------------------------------------------------------------------


def _bench():
    spec = importlib.util.spec_from_file_location("bench_anomalies", REPO / "bench" / "anomalies.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(REPO / "bench"))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(REPO / "bench"))
    return module


@pytest.fixture(scope="module")
def bench():
    return _bench()


def test_the_demo_years_fabrications_are_found_and_little_else(bench):
    document = bench.demo_document()
    result = bench.score(bench.demo_report(document))
    assert result["recall"] >= 0.8 and result["precision"] >= 0.8, result
    assert all(result["cases"].values()), result["cases"]  # every injected case, today
    clean = bench.demo_report(document, fabricated=False)
    assert [f for f in clean.findings if f.severity != "low"] == []
    assert {t.source: t.status for t in clean.benford} == {"finance_bureau": "conforms", "stats_bureau": "not_applicable"}


def test_the_bench_counts_a_finding_by_unit_metric_and_month(bench):
    from jixiao.demo.events import INJECTED

    inflated = next(c for c in INJECTED if c.code == "inflated_investment")
    finding = anomalies.Finding("jump", "medium", "U-R09", "fixed_asset_investment", "2026-12", "", "")
    assert bench.explains(inflated, finding, 2026)  # the fall back after the spike
    assert not bench.explains(inflated, anomalies.Finding("jump", "medium", "U-R09", "fixed_asset_investment",
                                                          "2026-09", "", ""), 2026)
    assert not bench.explains(inflated, anomalies.Finding("jump", "medium", "U-R01", "fixed_asset_investment",
                                                          "2026-11", "", ""), 2026)
    report = anomalies.AnomalyReport((finding, anomalies.Finding("own_history", "high", "U-D001", "m", "2026-01", "",
                                                                  "")), ())
    scored = bench.score(report, (inflated,))
    assert (scored["recall"], scored["precision"], len(scored["false_alarms"])) == (1.0, 0.5, 1)

