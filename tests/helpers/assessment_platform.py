"""A scheme a real platform can publish with one indicator scored on site by assessment teams
(docs/assessment-teams.md) and nothing else: two districts and a county, scored each quarter and
year on two items, the team result the trimmed mean (tests/e2e/gateway/test_assessment_api.py,
tests/e2e/portal/test_assessment_teams.py)."""

CODE, INDICATOR = "teams-2026", "on_site"
SCHEME = {
    "format": "jixiao.scheme/v1",
    "scheme": {"code": CODE, "year": 2026, "version": 1, "name": {"zh": "现场考核测试方案", "en": "On-site assessment test scheme"}},
    "categories": [{"code": "district", "name": {"zh": "区", "en": "Districts"}, "subject": "region"},
                   {"code": "county", "name": {"zh": "县", "en": "Counties"}, "subject": "region"}],
    "regions": [{"id": "R1", "name": {"zh": "甲区", "en": "A"}}, {"id": "R2", "name": {"zh": "乙区", "en": "B"}},
                {"id": "R3", "name": {"zh": "丙县", "en": "C"}}],
    "units": [{"id": "U1", "name": {"zh": "甲区", "en": "District A"}, "category": "district", "region": "R1"},
              {"id": "U2", "name": {"zh": "乙区", "en": "District B"}, "category": "district", "region": "R2"},
              {"id": "U3", "name": {"zh": "丙县", "en": "County C"}, "category": "county", "region": "R3"}],
    "dimensions": [{"code": "work", "name": {"zh": "工作实绩", "en": "Work"}, "weight": 1.0}],
    "indicators": [{
        "code": INDICATOR, "name": {"zh": "现场考核", "en": "On-site assessment"}, "assessed_in": ["quarter", "year"],
        "generic": {"formula": "assessment", "team_rule": "trimmed_mean",
                    "items": [{"code": "targets", "name": {"zh": "目标任务完成情况", "en": "Targets met"}, "max_points": 60,
                               "rule": {"zh": "每项未完成扣5分", "en": "5 points off per target missed"}},
                              {"code": "records", "name": {"zh": "台账资料", "en": "Records"}, "max_points": 40}]}}],
    "assignments": [{"category": "district", "dimension": "work", "indicator": INDICATOR, "weight": 1.0, "max_points": 100},
                    {"category": "county", "dimension": "work", "indicator": INDICATOR, "weight": 1.0, "max_points": 100}],
}
