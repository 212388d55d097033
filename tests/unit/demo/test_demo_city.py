"""The demo city's scheme document: sizes, consistency, determinism, the committed file."""
from collections import Counter
from fractions import Fraction

import pytest
import yaml

from jixiao.demo import build_city

TOP_LEVEL_KEYS = ["format", "scheme", "city", "regions", "categories", "units", "sources", "metrics", "validation_rules",
                  "dimensions", "indicators",
                  "assignments", "targets", "baselines", "leadership_teams", "persons", "grading", "vetoes", "consequences",
                  "person_scoring"]


@pytest.fixture(scope="module")
def city():
    return build_city.build_city()


def _ratio_grades(size: int, parts: list[int]) -> list[int]:
    """Largest-remainder allocation of `size` subjects to grades by parts."""
    total = sum(parts)
    exact = [Fraction(size * p, total) for p in parts]
    counts = [int(x) for x in exact]
    for index in sorted(range(len(parts)), key=lambda i: exact[i] - counts[i], reverse=True)[:size - sum(counts)]:
        counts[index] += 1
    return counts


def test_top_level_keys_and_format(city):
    assert list(city) == TOP_LEVEL_KEYS
    assert city["format"] == "jixiao.scheme/v1"
    assert city["scheme"]["code"] == "jiangchuan-2026" and city["scheme"]["year"] == 2026


def test_sizes_follow_the_seeds(city):
    kinds = Counter(r["kind"] for r in city["regions"])
    assert len(city["regions"]) == 9 and kinds["district"] == 5 and kinds["county"] + kinds["county_city"] == 4
    categories = Counter(u["category"] for u in city["units"])
    assert categories["district_county"] == 9
    assert sum(n for code, n in categories.items() if code != "district_county") == 99
    assert len(city["persons"]) == 835
    assert len(city["leadership_teams"]) == len(city["units"]) == 108


def test_ids_are_unique_and_references_resolve(city):
    units = {u["id"] for u in city["units"]}
    assert len(units) == 108
    assert len({p["id"] for p in city["persons"]}) == 835
    regions = {r["id"] for r in city["regions"]}
    categories = {c["code"]: c["subject"] for c in city["categories"]}
    for unit in city["units"]:
        assert categories[unit["category"]] == ("region" if unit["id"].startswith("U-R") else "department")
        assert (unit["region"] in regions) if unit["id"].startswith("U-R") else unit["region"] is None
    teams = {t["id"]: t["unit"] for t in city["leadership_teams"]}
    for person in city["persons"]:
        assert teams[person["team"]] == person["unit"]
        assert person["rank"] in ("正处", "副处")


def test_teams_have_6_to_10_members_with_distinct_names(city):
    members: dict[str, list[str]] = {}
    for person in city["persons"]:
        members.setdefault(person["unit"], []).append(person["name_zh"])
    assert all(6 <= len(names) <= 10 for names in members.values())
    assert all(len(set(names)) == len(names) for names in members.values())
    assert all(2 <= len(p["name_zh"]) <= 3 for p in city["persons"])


def test_pinyin_is_plain_ascii(city):
    for person in city["persons"]:
        surname, given = person["name_pinyin"].split(" ")
        assert person["name_pinyin"].isascii() and surname.istitle() and given[0].isupper()


def test_every_target_references_an_assigned_indicator(city):
    category = {u["id"]: u["category"] for u in city["units"]}
    assigned = {(a["category"], a["indicator"]) for a in city["assignments"]}
    for target in city["targets"]:
        assert (category[target["unit"]], target["indicator"]) in assigned
        shares = [m["share"] for m in target["milestones"]]
        assert shares == sorted(shares) and (not shares or shares[-1] == 1.0)


def test_every_unit_has_a_target_for_each_work_result_indicator(city):
    category = {u["id"]: u["category"] for u in city["units"]}
    targets = {(t["unit"], t["indicator"]) for t in city["targets"]}
    sheets = {i["code"] for i in city["indicators"] if "generic" in i}  # scored by people: no target
    work = [(a["category"], a["indicator"]) for a in city["assignments"]
            if a["dimension"] == "work_results" and a["indicator"] not in sheets]
    for unit, cat in category.items():
        assert all((unit, indicator) in targets for c, indicator in work if c == cat)


def test_weights_inside_each_category_and_dimension_sum_to_one(city):
    sums: dict[tuple[str, str], Fraction] = {}
    for a in city["assignments"]:
        key = (a["category"], a["dimension"])
        sums[key] = sums.get(key, Fraction(0)) + Fraction(str(a["weight"]))
    assert len(sums) == len(city["categories"]) * len(city["dimensions"])
    assert all(total == 1 for total in sums.values())
    weighted = [d["weight"] for d in city["dimensions"] if not d["additive"]]
    assert sum(Fraction(str(w)) for w in weighted) == 1


def test_grading_ratios_give_18_75_6_over_the_99_departments(city):
    rules = {rule["code"]: rule for rule in city["grading"]}
    departments = [u for u in city["units"] if u["category"] in rules["departments"]["pool"]]
    assert len(departments) == 99
    parts = [g["parts"] for g in rules["departments"]["grades"]]
    assert _ratio_grades(len(departments), parts) == [18, 75, 6]
    assert rules["district_county"]["method"] == "rank_only"
    leaders = rules["leaders"]
    assert leaders["subject"] == "person" and set(leaders["pool"]) == {c["code"] for c in city["categories"]}
    assert [g["parts"] for g in leaders["grades"]] == [163, 658, 11, 0]


def test_sources_indicators_and_vetoes_are_consistent(city):
    indicators = {i["code"] for i in city["indicators"]}
    assert {a["indicator"] for a in city["assignments"]} == indicators
    assert city["vetoes"][0]["indicator"] in indicators
    metrics = [m for s in city["sources"] for m in s["metrics"]]
    assert len(metrics) == len(set(metrics)) == 14


def test_build_is_deterministic_and_seeded():
    assert build_city.dump_yaml(build_city.build_city(7)) == build_city.dump_yaml(build_city.build_city(7))
    assert build_city.build_city(7)["persons"] != build_city.build_city(8)["persons"]


def test_committed_scheme_file_is_up_to_date(city):
    committed = build_city.DATA_FILE.read_text(encoding="utf-8")
    assert committed == build_city.dump_yaml(city), "run: python services/demo/src/jixiao/demo/build_city.py"
    assert yaml.load(committed, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) == city


def test_the_surveys_are_assessed_at_year_end_and_amounts_year_to_date(city):
    stages = {d["code"]: d.get("assessed_in") for d in city["dimensions"]}
    assert stages == {"work_results": None, "public_evaluation": ["year"], "leadership_evaluation": ["year"],
                      "bonus_deduction": None}
    bases = {i["code"]: i["period_basis"] for i in city["indicators"]}
    assert {code for code, basis in bases.items() if basis == "year_to_date"} == {
        "investment_completion", "fiscal_revenue", "funds_from_higher_levels", "commendations"}


def test_last_years_baselines_add_up_to_the_targets_last_year_value(city):
    sums = {}
    for b in city["baselines"]:
        assert b["period"].startswith("2025-")
        sums[(b["unit"], b["metric"])] = sums.get((b["unit"], b["metric"]), 0.0) + b["value"]
    metric_of = {"investment_completion": "fixed_asset_investment", "fiscal_revenue": "general_budget_revenue",
                 "funds_from_higher_levels": "funds_won_from_higher_levels"}
    checked = 0
    for t in city["targets"]:
        if t["indicator"] in metric_of:
            assert sums[(t["unit"], metric_of[t["indicator"]])] == pytest.approx(t["params"]["last_year_value"], abs=0.011)
            checked += 1
    assert checked >= 27  # every district's three amounts, and the departments' funds


def test_two_indicators_are_scored_by_responsible_departments_on_signed_sheets(city):
    sheets = {i["code"]: i for i in city["indicators"] if i.get("generic", {}).get("formula") == "sheet"}
    assert {code: i["generic"]["department"] for code, i in sheets.items()} == {
        "clean_government": "discipline_commission", "work_safety": "emergency_bureau"}
    assert all(i["assessed_in"] == ["quarter", "year"] and sum(item["max_points"] for item in i["generic"]["items"]) == 100
               for i in sheets.values())
    shares = {(a["category"], a["indicator"]): a["weight"] for a in city["assignments"] if a["indicator"] in sheets}
    assert len(shares) == 2 * len(city["categories"]) and set(shares.values()) == {0.1}


def test_the_districts_are_assessed_on_site_and_their_leaders_by_ballot(city):
    generic = {i["code"]: i["generic"] for i in city["indicators"] if "generic" in i}
    assert generic["onsite_inspection"]["formula"] == "assessment" and generic["onsite_inspection"]["team_rule"] == "trimmed_mean"
    assert [g["code"] for g in generic["democratic_evaluation"]["groups"]] == ["cadres", "deputies", "residents"]
    rows = {(a["category"], a["dimension"], a["indicator"]): a["weight"] for a in city["assignments"]}
    assert rows[("district_county", "work_results", "onsite_inspection")] == 0.1
    assert rows[("district_county", "leadership_evaluation", "democratic_evaluation")] == 0.5
    assert not [key for key in rows if key[2] in ("onsite_inspection", "democratic_evaluation") and key[0] != "district_county"]
