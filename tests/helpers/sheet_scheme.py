"""SMALL_SCHEME with a sheet-scored indicator (docs/score-sheets.md): the discipline
commission scores both districts on two items each quarter and year."""
import copy

from helpers.small_scheme import SMALL_SCHEME

DEPARTMENT = "discipline_commission"
SHEET_ITEMS = [
    {"code": "responsibility", "name": {"zh": "主体责任落实", "en": "Primary responsibility"}, "max_points": 40,
     "rule": {"zh": "未按要求召开专题会议的，每次扣2分"}},
    {"code": "cases", "name": {"zh": "违纪违法案件", "en": "Disciplinary cases"}, "max_points": 60},
]


def sheet_scheme() -> dict:
    document = copy.deepcopy(SMALL_SCHEME)
    document["indicators"].append({
        "code": "clean_government", "name": {"zh": "党风廉政建设", "en": "Clean government"},
        "assessed_in": ["quarter", "year"],
        "generic": {"formula": "sheet", "department": DEPARTMENT, "department_name": {"zh": "市纪委监委"},
                    "due_days": 10, "items": copy.deepcopy(SHEET_ITEMS)}})
    document["assignments"].append({"category": "district", "dimension": "work", "indicator": "clean_government",
                                    "weight": 0.5, "max_points": 100})
    return document
