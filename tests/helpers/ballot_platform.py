"""A scheme a real platform can publish with one democratic evaluation by ballot (docs/ballots.md)
and nothing else: both districts' leadership teams and District A's two leaders, rated at year
end by cadres and residents with the standard generic plug-in; the leaders' personal evaluation
is the same ballot (tests/e2e/gateway/test_ballots_api.py, tests/e2e/portal/test_ballots.py)."""
from helpers.ballot_scheme import GROUPS, INDICATOR, PERSONS, SCALE

CODE = "ballots-2026"
BALLOT_BOX = "门户投票箱"  # the name of the gateway's ballot_box token
SCHEME = {
    "format": "jixiao.scheme/v1",
    "scheme": {"code": CODE, "year": 2026, "version": 1, "name": {"zh": "民主测评测试方案", "en": "Ballot test scheme"}},
    "categories": [{"code": "district", "name": {"zh": "区县", "en": "Districts"}, "subject": "region"}],
    "regions": [{"id": "R1", "name": {"zh": "甲区", "en": "A"}}, {"id": "R2", "name": {"zh": "乙区", "en": "B"}}],
    "units": [{"id": "U1", "name": {"zh": "甲区", "en": "District A"}, "category": "district", "region": "R1"},
              {"id": "U2", "name": {"zh": "乙区", "en": "District B"}, "category": "district", "region": "R2"}],
    "dimensions": [{"code": "evaluation", "name": {"zh": "民主测评", "en": "Democratic evaluation"}, "weight": 1.0}],
    "indicators": [{"code": INDICATOR, "name": {"zh": "民主测评", "en": "Democratic evaluation"}, "assessed_in": ["year"],
                    "generic": {"formula": "ballot", "groups": GROUPS, "scale": SCALE}}],
    "assignments": [{"category": "district", "dimension": "evaluation", "indicator": INDICATOR, "weight": 1.0,
                     "max_points": 100}],
    "leadership_teams": [{"id": "T1", "unit": "U1", "name": {"zh": "甲区领导班子", "en": "District A team"}}],
    "persons": PERSONS,
    "person_scoring": {"unit_weight": 0.6, "personal_weight": 0.4, "personal_indicator": INDICATOR},
}
