"""SMALL_SCHEME with a democratic evaluation by ballot (docs/ballots.md): both districts'
leadership teams and U1's two leaders are evaluated at year end by two rater groups, and the
evaluation is the leaders' personal evaluation too."""
import copy

from helpers.small_scheme import SMALL_SCHEME

INDICATOR = "democratic_evaluation"
GROUPS = [
    {"code": "cadres", "name": {"zh": "机关干部", "en": "Cadres"}, "weight": 0.6, "min_turnout": 0.5},
    {"code": "residents", "name": {"zh": "群众代表", "en": "Residents"}, "weight": 0.4, "min_turnout": 0.5},
]
SCALE = [{"value": 100, "name": {"zh": "优秀", "en": "Excellent"}},
         {"value": 80, "name": {"zh": "称职", "en": "Competent"}},
         {"value": 60, "name": {"zh": "基本称职", "en": "Basically competent"}},
         {"value": 0, "name": {"zh": "不称职", "en": "Incompetent"}}]
PERSONS = [
    {"id": "P1", "name_zh": "李明", "name_pinyin": "Li Ming", "unit": "U1", "team": "T1",
     "position": {"zh": "区长", "en": "District head"}},
    {"id": "P2", "name_zh": "王芳", "name_pinyin": "Wang Fang", "unit": "U1", "team": "T1",
     "position": {"zh": "副区长", "en": "Deputy head"}},
]


def ballot_scheme(code: str | None = None) -> dict:
    document = copy.deepcopy(SMALL_SCHEME)
    if code:
        document["scheme"]["code"] = code
    document["indicators"].append({
        "code": INDICATOR, "name": {"zh": "民主测评", "en": "Democratic evaluation"}, "assessed_in": ["year"],
        "generic": {"formula": "ballot", "groups": copy.deepcopy(GROUPS), "scale": copy.deepcopy(SCALE)}})
    document["assignments"].append({"category": "district", "dimension": "work", "indicator": INDICATOR,
                                    "weight": 0.5, "max_points": 100})
    document["leadership_teams"] = [{"id": "T1", "unit": "U1", "name": {"zh": "甲区领导班子", "en": "District A team"}}]
    document["persons"] = copy.deepcopy(PERSONS)
    document["person_scoring"] = {"unit_weight": 0.6, "personal_weight": 0.4, "personal_indicator": INDICATOR}
    return document
