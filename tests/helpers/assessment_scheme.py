"""SMALL_SCHEME with an indicator scored on site by assessment teams (docs/assessment-teams.md):
two districts and two counties (another category), assessed every quarter and year on two items,
their team results the trimmed mean of the assessors' totals."""
import copy

from helpers.small_scheme import SMALL_SCHEME

INDICATOR = "on_site"
ITEMS = [
    {"code": "targets", "name": {"zh": "目标任务完成情况", "en": "Targets met"}, "max_points": 60,
     "rule": {"zh": "每项未完成扣5分", "en": "5 points off per target missed"}},
    {"code": "records", "name": {"zh": "台账资料", "en": "Records"}, "max_points": 40},
]


def assessment_scheme(team_rule: str = "trimmed_mean") -> dict:
    document = copy.deepcopy(SMALL_SCHEME)
    document["categories"].append({"code": "county", "name": {"zh": "县", "en": "Counties"}, "subject": "region"})
    document["regions"] += [{"id": "R3", "name": {"zh": "丙县", "en": "C"}}, {"id": "R4", "name": {"zh": "丁县", "en": "D"}}]
    document["units"] += [
        {"id": "U3", "name": {"zh": "丙县", "en": "County C"}, "category": "county", "region": "R3"},
        {"id": "U4", "name": {"zh": "丁县", "en": "County D"}, "category": "county", "region": "R4"},
    ]
    document["indicators"].append({
        "code": INDICATOR, "name": {"zh": "现场考核", "en": "On-site assessment"}, "assessed_in": ["quarter", "year"],
        "generic": {"formula": "assessment", "team_rule": team_rule, "items": copy.deepcopy(ITEMS)}})
    document["assignments"] += [
        {"category": "district", "dimension": "work", "indicator": INDICATOR, "weight": 0.5, "max_points": 100},
        {"category": "county", "dimension": "work", "indicator": "amount_vs_plan", "weight": 0.5, "max_points": 100},
        {"category": "county", "dimension": "work", "indicator": INDICATOR, "weight": 0.5, "max_points": 100},
    ]
    document["targets"] += [{"unit": "U3", "indicator": "amount_vs_plan", "value": 100.0},
                            {"unit": "U4", "indicator": "amount_vs_plan", "value": 100.0}]
    return document
