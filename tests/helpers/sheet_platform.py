"""A scheme a real platform can publish with one sheet-scored indicator (docs/score-sheets.md) and
nothing else: the discipline commission scores two districts on two items each quarter and year,
with the standard generic plug-in (tests/e2e/portal/test_score_sheets.py,
tests/e2e/gateway/test_score_sheets_api.py)."""

CODE, INDICATOR, DEPARTMENT = "sheets-2026", "clean_government", "discipline_commission"
SCHEME = {
    "format": "jixiao.scheme/v1",
    "scheme": {"code": CODE, "year": 2026, "version": 1, "name": {"zh": "评分表测试方案", "en": "Score sheet test scheme"}},
    "categories": [{"code": "district", "name": {"zh": "区县", "en": "Districts"}, "subject": "region"}],
    "regions": [{"id": "R1", "name": {"zh": "甲区", "en": "A"}}, {"id": "R2", "name": {"zh": "乙区", "en": "B"}}],
    "units": [{"id": "U1", "name": {"zh": "甲区", "en": "District A"}, "category": "district", "region": "R1"},
              {"id": "U2", "name": {"zh": "乙区", "en": "District B"}, "category": "district", "region": "R2"}],
    "dimensions": [{"code": "work", "name": {"zh": "工作实绩", "en": "Work"}, "weight": 1.0}],
    "indicators": [{
        "code": INDICATOR, "name": {"zh": "党风廉政建设", "en": "Clean government"}, "assessed_in": ["quarter", "year"],
        "generic": {"formula": "sheet", "department": DEPARTMENT,
                    "department_name": {"zh": "市纪委监委", "en": "Discipline commission"}, "due_days": 10,
                    "items": [{"code": "responsibility", "name": {"zh": "主体责任落实", "en": "Primary responsibility"},
                               "max_points": 40, "rule": {"zh": "未按要求召开专题会议的，每次扣2分",
                                                          "en": "2 points off per required meeting not held"}},
                              {"code": "cases", "name": {"zh": "违纪违法案件", "en": "Disciplinary cases"},
                               "max_points": 60, "rule": {"zh": "发生一起扣10分", "en": "10 points off per case"}}]}}],
    "assignments": [{"category": "district", "dimension": "work", "indicator": INDICATOR, "weight": 1.0,
                     "max_points": 100}],
}
