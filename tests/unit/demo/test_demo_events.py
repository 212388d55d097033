"""The demo city's year of metric events: shape, references, determinism, realism."""
import json
import re
from collections import Counter, defaultdict

import pytest

from jixiao.demo import build_city, events

FIELDS = ["event_id", "source", "unit_id", "person_id", "metric_code", "value", "measurement_unit", "period",
          "observed_at", "reported_at", "evidence_ref", "attributes"]
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$")


@pytest.fixture(scope="module")
def city():
    return build_city.build_city()


@pytest.fixture(scope="module")
def stream(city):
    return list(events.demo_events(city))


def test_volume(stream):
    assert 30_000 <= len(stream) <= 60_000


def test_same_seed_same_events(city, stream):
    assert list(events.demo_events(city, seed=2026)) == stream


def test_shape_and_time_order(stream):
    for event in stream:
        assert list(event) == FIELDS
        assert isinstance(event["value"], float)
        assert TIMESTAMP.match(event["observed_at"]) and TIMESTAMP.match(event["reported_at"])
        assert event["reported_at"] >= event["observed_at"]
        assert event["observed_at"][:len(event["period"])] == event["period"]
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in event["attributes"].items())
    keys = [(e["reported_at"], e["observed_at"], e["event_id"]) for e in stream]
    assert keys == sorted(keys)
    assert len({e["event_id"] for e in stream}) == len(stream)


def test_every_event_references_the_scheme(city, stream):
    units = {u["id"] for u in city["units"]}
    person_unit = {p["id"]: p["unit"] for p in city["persons"]}
    allowed = {s["code"]: set(s["metrics"]) for s in city["sources"]}
    for event in stream:
        assert event["unit_id"] in units
        assert event["metric_code"] in allowed[event["source"]]
        if event["person_id"]:
            assert person_unit[event["person_id"]] == event["unit_id"]


def test_value_conventions(stream):
    for event in stream:
        metric, value, attributes = event["metric_code"], event["value"], event["attributes"]
        if metric == "public_vote":
            assert value in (0.0, 0.5, 1.0) and attributes["channel"] in ("newspaper", "online", "phone", "onsite")
            assert attributes["voter_id"]
        elif metric == "leadership_rating":
            assert 1 <= value <= 5 and attributes["rater_group"] in ("city_leaders", "peers", "subordinates")
        elif metric in ("commendation", "work_style_violation", "safety_accident"):
            assert value == 1.0
        elif metric.startswith(("complaints_", "key_project_")):
            assert value >= 0 and value == int(value) and event["measurement_unit"] == "count"
        else:
            assert value > 0 and event["measurement_unit"] == "CNY_100M"


def test_public_votes_exercise_the_one_vote_rule(stream):
    votes = [e for e in stream if e["metric_code"] == "public_vote"]
    channels = Counter(e["attributes"]["channel"] for e in votes)
    assert channels.most_common(1)[0][0] == "online" and len(channels) == 4
    ballots = Counter((e["unit_id"], e["attributes"]["channel"], e["attributes"]["voter_id"]) for e in votes)
    duplicates = sum(n - 1 for n in ballots.values())
    assert duplicates == events.DUPLICATE_BALLOTS
    assert events.summary(stream)["duplicate_ballots"] == duplicates


def test_units_and_every_leader_are_rated(city, stream):
    ratings = [e for e in stream if e["metric_code"] == "leadership_rating"]
    assert {e["person_id"] for e in ratings if e["person_id"]} == {p["id"] for p in city["persons"]}
    assert {e["unit_id"] for e in ratings if not e["person_id"]} == {u["id"] for u in city["units"]}


def test_money_follows_targets_with_seasonality_and_laggards(city, stream):
    targets = {(t["unit"], t["indicator"]): t["value"] for t in city["targets"]}
    monthly = defaultdict(lambda: [0.0] * 12)
    for e in stream:
        if e["metric_code"] == "fixed_asset_investment":
            monthly[e["unit_id"]][int(e["period"][5:]) - 1] += e["value"]
    completion = {u: sum(m) / targets[(u, "investment_completion")] for u, m in monthly.items()}
    assert len(completion) == 9
    assert sum(0.9 <= c <= 1.2 for c in completion.values()) >= 6
    assert sum(c < 0.85 for c in completion.values()) >= 2  # lagging badly: progress warnings fire
    city_months = [sum(m[i] for m in monthly.values()) for i in range(12)]
    assert city_months[11] == max(city_months) and max(city_months[:2]) < min(city_months[2:])


def test_key_project_milestones_add_up_to_targets(city, stream):
    targets = {t["unit"]: t["value"] for t in city["targets"] if t["indicator"] == "key_projects"}
    due, met = Counter(), Counter()
    for e in stream:
        if e["metric_code"] == "key_project_milestones_due":
            due[e["unit_id"]] += e["value"]
        elif e["metric_code"] == "key_project_milestones_met":
            met[e["unit_id"]] += e["value"]
    assert dict(due) == targets
    assert all(met[u] <= due[u] for u in due)


def test_rare_events(stream):
    result = events.summary(stream)
    assert result["safety_accidents_by_severity"] == {"general": 1, "serious": 1}
    assert 20 <= result["by_metric"]["commendation"] <= 60
    assert set(result["commendations_by_level"]) == {"national", "provincial", "municipal"}
    violations = [e for e in stream if e["metric_code"] == "work_style_violation"]
    assert 3 <= len(violations) <= 12
    criminal = [e for e in violations if e["attributes"].get("offence") == "criminal"]
    assert len(criminal) == 3 and all(e["person_id"] for e in criminal)


def test_cli_prints_json_lines(capsys):
    assert events.main(["--limit", "5"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5 and all(list(json.loads(line)) == FIELDS for line in lines)


def test_the_fabrications_change_only_the_values_they_name(city, stream):
    """INJECTED fakes a few series for the anomaly checks to find (bench/anomalies.py); the
    events, their ids and order stay, every monthly revenue total stays, and nothing else moves."""
    clean = list(events.demo_events(city, fabricated=False))
    assert [e["event_id"] for e in clean] == [e["event_id"] for e in stream]
    changed = [(a, b) for a, b in zip(clean, stream, strict=True) if a != b]
    assert all({k for k in a if a[k] != b[k]} == {"value"} for a, b in changed)
    named = set()
    for case in events.INJECTED:
        months = {f"2026-{m:02d}" for m in case.months}
        named |= {(e["event_id"]) for e in clean if e["source"] == case.source and e["metric_code"] in case.metrics
                  and (not case.months or e["period"] in months) and (not case.units or e["unit_id"] in case.units)}
    assert changed and {a["event_id"] for a, _ in changed} <= named
    revenue = defaultdict(lambda: [0.0, 0.0])
    for index, events_ in enumerate((clean, stream)):
        for e in events_:
            if e["metric_code"] == "general_budget_revenue":
                revenue[(e["unit_id"], e["period"])][index] += e["value"]
    assert all(abs(before - after) < 1e-9 for before, after in revenue.values())
    assert {case.kind for case in events.INJECTED} == {"own_history", "copied", "validation_rule", "benford"}
