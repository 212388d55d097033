"""The scheme format `jixiao.scheme/v1`, declared once.

Every section and field a scheme document may hold, with its kind, whether it is
required, what its absence means, and an example. The registry validates documents
against it (`check`), docs/scheme-reference.md is generated from it
(`python -m jixiao.common.scheme_format > docs/scheme-reference.md`) and so is the
JSON Schema of the OpenAPI document; tests keep the generated texts current.
A field not declared here is refused, so a misspelt key is never silently ignored.
"""
from __future__ import annotations

from jixiao.common import stages

from .fields import AnyOf, Boolean, Field, ListOf, Name, Number, OrNull, Record, Tagged, Text

FORMAT = "jixiao.scheme/v1"

GRADING_METHODS = ("ratio", "threshold", "rank_only")
SUBJECTS = ("unit", "person")
CONSEQUENCE_RULES = ("fourth_grade", "two_years_third_grade", "third_grade")
VALIDATION_OPERATORS = ("<=", "<", ">=", ">", "==")
VALIDATION_SEVERITIES = ("low", "medium", "high")
DIRECTIONS = ("higher_is_better", "lower_is_better")
AGGREGATES = ("sum", "last", "mean")
GENERIC_FORMULAS = ("rate", "amount", "case_points", "bands", "rank_points", "sheet", "assessment", "ballot")
#: How an assessment team's result is made of its assessors' totals (docs/assessment-teams.md).
TEAM_RULES = ("mean", "trimmed_mean")

TEXT = Text()
NUMBER = Number()
NAME = Name()
SHARE = Number(minimum=0, maximum=1)


def _code(what: str, example: str) -> Field:
    return Field("code", TEXT, f"The {what}'s code, unique in its section; other sections refer to it.",
                 required=True, example=example)


def _name(what: str, example: dict, default: str = "") -> Field:
    """A name: required unless `default` says what stands for it."""
    return Field("name", NAME, f"The {what}'s name, in Chinese and/or English.", required=not default,
                 default=default, example=example)


def _metric(doc: str = "The metric the indicator reads (reported by a source).") -> Field:
    return Field("metric", Text(refers="a metric code"), doc, required=True, example="cases_received")


_direction = Field("direction", Text(DIRECTIONS), "Whether a higher or a lower figure is better.",
                   default="`higher_is_better`", example="lower_is_better")
_aggregate = Field("aggregate", Text(AGGREGATES),
                   "How the period's figures of the metric make one value: their sum, the last reported, or their mean.",
                   default="`last`", example="mean")


def _formula(name: str) -> Field:
    return Field("formula", Text((name,)), "Which generic formula this indicator uses.", required=True, example=name)


GENERIC = Tagged("generic indicator", "formula", {
    "rate": Record(
        "rate against a target", anchor="generic-rate",
        doc="A rate of two metrics (numerator / denominator in the period) against a target rate: "
            "points = 100 × min(1, rate / target), or 100 × min(1, target / rate) when lower is better "
            "(100 for a rate of 0). A period whose numerator exceeds its denominator, or with a denominator "
            "of 0, has no score and is listed as missing, with the reason.",
        fields=(_formula("rate"),
                Field("numerator", Text(refers="a metric code"), "The metric counted on top, e.g. cases handled on time.",
                      required=True, example="cases_on_time"),
                Field("denominator", Text(refers="a metric code"), "The metric counted below, e.g. cases received; "
                      "never below the numerator.", required=True, example="cases_received"),
                Field("target", Number(above=0, maximum=1), "The target rate of every unit; a unit's own target "
                      "(`targets[].value`) overrides it.", default="none: each unit needs a target", example=0.95),
                _direction),
        example={"formula": "rate", "numerator": "cases_on_time", "denominator": "cases_received", "target": 0.95}),
    "amount": Record(
        "amount against a target", anchor="generic-amount",
        doc="An amount (investment, revenue) against the unit's annual target, year to date by default: "
            "points = 100 × min(1, amount / (target × share of the plan due)), the share by the target's "
            "milestones or elapsed time (序时进度). Every unit assigned it needs a target.",
        fields=(_formula("amount"), _metric("The metric summed (e.g. monthly investment figures).")),
        example={"formula": "amount", "metric": "road_investment"}),
    "case_points": Record(
        "points per case", anchor="generic-case-points",
        doc="Counts with points per case: points = count × points_per_case, capped at `cap` either way. "
            "Negative points per case make a deduction indicator (in [−cap, 0]), positive a bonus (in [0, cap]); "
            "assign it to an additive dimension.",
        fields=(_formula("case_points"), _metric("The metric counted (each event's value is its number of cases)."),
                Field("points_per_case", NUMBER, "Points per case: negative for a deduction, positive for a bonus; not 0.",
                      required=True, example=-2),
                Field("cap", Number(above=0), "The most points the indicator adds or deducts in a period.",
                      required=True, example=10)),
        example={"formula": "case_points", "metric": "accidents_reported", "points_per_case": -2, "cap": 10}),
    "bands": Record(
        "bands of points", anchor="generic-bands",
        doc="Thresholds to points: the value (by `aggregate`) earns the points of the best band it reaches — "
            "`at_least` bands when higher is better, `at_most` bands when lower is better — else `otherwise`.",
        fields=(_formula("bands"), _metric(), _aggregate, _direction,
                Field("bands", ListOf(Record(
                    "band", anchor="generic-band",
                    doc="One band: a threshold and the points (0–100) of a value that reaches it.",
                    fields=(Field("at_least", NUMBER, "The band's lower threshold (higher is better).", example=0.95),
                            Field("at_most", NUMBER, "The band's upper threshold (lower is better).", example=2),
                            Field("points", Number(minimum=0, maximum=100), "Points of a value in the band.",
                                  required=True, example=100)),
                    example={"at_least": 0.95, "points": 100})),
                    "The bands, each with one threshold of the kind the direction asks for.", required=True,
                    example=[{"at_least": 0.95, "points": 100}, {"at_least": 0.9, "points": 90}]),
                Field("otherwise", Number(minimum=0, maximum=100), "Points of a value below every band.",
                      default="0", example=60)),
        example={"formula": "bands", "metric": "satisfaction_rate", "aggregate": "mean",
                 "bands": [{"at_least": 0.95, "points": 100}, {"at_least": 0.9, "points": 90}], "otherwise": 60}),
    "rank_points": Record(
        "rank to points", anchor="generic-rank-points",
        doc="A rank-to-points rule over the peer group (“1–5名依次赋予60、57、54、51、48分”): the units of a "
            "category are ranked on the value (ties share the better rank); rank n earns the n-th entry of "
            "`points_by_rank`, ranks beyond it `otherwise`. Scored as points / first entry × 100, so an "
            "assignment whose `max_points` is the first entry reads as the scheme wrote it.",
        fields=(_formula("rank_points"), _metric(), _aggregate, _direction,
                Field("points_by_rank", ListOf(Number(minimum=0)), "Points of rank 1, 2, …, best first; no longer "
                      "than the smallest category the indicator is assigned to.", required=True, example=[60, 57, 54, 51, 48]),
                Field("otherwise", Number(minimum=0), "Points of the ranks beyond the table.", default="0", example=45)),
        example={"formula": "rank_points", "metric": "revenue_growth", "points_by_rank": [60, 57, 54, 51, 48],
                 "otherwise": 45}),
    "sheet": Record(
        "score sheet of a responsible department", anchor="generic-sheet",
        doc="Scored by a responsible department (考核责任单位) on a signed score sheet, item by item, per the "
            "scheme's scoring rules (评分细则): points = 100 × the unit's item points / the items' maximum "
            "points. The office reviews each sheet before its points count (docs/score-sheets.md).",
        fields=(_formula("sheet"),
                Field("department", TEXT, "The responsible department's code: the subject of its department "
                      "tokens.", required=True, example="discipline_commission"),
                Field("department_name", NAME, "The department's name, as the sheets and results show it.",
                      default="the code", example={"zh": "市纪委监委", "en": "Discipline inspection commission"}),
                Field("due_days", Number(integer=True, minimum=0), "Sheets are due this many days after the "
                      "period ends; later ones are listed as late.", default="10", example=10),
                Field("items", ListOf(Record(
                    "sheet item", anchor="generic-sheet-item",
                    doc="One item of the scoring rules (评分细则): what is scored, its maximum and its rule.",
                    fields=(Field("code", TEXT, "The item's code, unique on the sheet.", required=True,
                                  example="responsibility"),
                            Field("name", NAME, "The item's name.", required=True,
                                  example={"zh": "主体责任落实", "en": "Primary responsibility"}),
                            Field("max_points", Number(above=0), "The most points the item gives.", required=True,
                                  example=40),
                            Field("rule", NAME, "How the item is scored, as the scheme publishes it.",
                                  example={"zh": "未按要求召开专题会议的，每次扣2分",
                                           "en": "2 points off per required meeting not held"})),
                    example={"code": "responsibility", "name": {"zh": "主体责任落实", "en": "Primary responsibility"},
                             "max_points": 40})),
                    "The items, in the order the sheet lists them.", required=True,
                    example=[{"code": "responsibility", "name": {"zh": "主体责任落实"}, "max_points": 40},
                             {"code": "cases", "name": {"zh": "违纪违法案件"}, "max_points": 60}])),
        example={"formula": "sheet", "department": "discipline_commission", "due_days": 10,
                 "items": [{"code": "responsibility", "name": {"zh": "主体责任落实", "en": "Primary responsibility"},
                            "max_points": 40},
                           {"code": "cases", "name": {"zh": "违纪违法案件", "en": "Disciplinary cases"},
                            "max_points": 60}]}),
    "assessment": Record(
        "on-site assessment by assessment teams", anchor="generic-assessment",
        doc="Scored on site by assessment teams (考核组) of assessors (考评员) the office forms, names, assigns "
            "to units and whose roster it locks; each assessor scores every item (评分细则) of the units of "
            "their team; the team's result is the `team_rule` of the submitted assessors' totals, and points "
            "= 100 × the team's result / the items' maximum points. The office closes a unit's scoring "
            "before its points count (docs/assessment-teams.md).",
        fields=(_formula("assessment"),
                Field("team_rule", Text(TEAM_RULES), "How the team's result is made of its assessors' totals: "
                      "`mean`, or `trimmed_mean` (the highest and the lowest total dropped, once each; with "
                      "fewer than 3 totals nothing is dropped, the plain mean).", default="mean",
                      example="trimmed_mean"),
                Field("items", ListOf(Record(
                    "assessment item", anchor="generic-assessment-item",
                    doc="One item of the scoring rules (评分细则) the assessors score on site: its maximum and rule.",
                    fields=(Field("code", TEXT, "The item's code, unique in the indicator.", required=True,
                                  example="targets"),
                            Field("name", NAME, "The item's name.", required=True,
                                  example={"zh": "目标任务完成情况", "en": "Targets met"}),
                            Field("max_points", Number(above=0), "The most points the item gives.", required=True,
                                  example=60),
                            Field("rule", NAME, "How the item is scored, as the scheme publishes it.",
                                  example={"zh": "每项未完成扣5分", "en": "5 points off per target missed"})),
                    example={"code": "targets", "name": {"zh": "目标任务完成情况", "en": "Targets met"},
                             "max_points": 60})),
                    "The items each assessor scores, in this order.", required=True,
                    example=[{"code": "targets", "name": {"zh": "目标任务完成情况"}, "max_points": 60},
                             {"code": "records", "name": {"zh": "台账资料"}, "max_points": 40}])),
        example={"formula": "assessment", "team_rule": "trimmed_mean",
                 "items": [{"code": "targets", "name": {"zh": "目标任务完成情况", "en": "Targets met"},
                            "max_points": 60},
                           {"code": "records", "name": {"zh": "台账资料", "en": "Records"}, "max_points": 40}]}),
    "ballot": Record(
        "democratic evaluation by ballot", anchor="generic-ballot",
        doc="A democratic evaluation (民主测评) of a unit's leadership team and its leaders (the scheme's persons "
            "of the unit) by anonymous one-time ballot codes issued per rater group: points = 100 × the weighted "
            "mean over the groups of each group's mean rating / the scale's highest value. A group under its "
            "minimum turnout is flagged and left out, the other groups' weights renormalised (docs/ballots.md).",
        fields=(_formula("ballot"),
                Field("groups", ListOf(Record(
                    "rater group", anchor="generic-ballot-group",
                    doc="A group of raters (评价组) that gets its own codes: cadres, 两代表一委员, residents, service "
                        "users…",
                    fields=(Field("code", TEXT, "The group's code, unique in the ballot.", required=True,
                                  example="cadres"),
                            Field("name", NAME, "The group's name.", required=True,
                                  example={"zh": "机关干部", "en": "Cadres"}),
                            Field("weight", Number(above=0), "The group's weight; the weights are renormalised "
                                  "over the groups counted.", required=True, example=0.4),
                            Field("min_turnout", SHARE, "The least share of the group's issued codes that must be "
                                  "used for the group to count (参评率).", default="0", example=0.6)),
                    example={"code": "cadres", "name": {"zh": "机关干部", "en": "Cadres"}, "weight": 0.4,
                             "min_turnout": 0.6})),
                    "The rater groups, in the order the office's pages list them.", required=True,
                    example=[{"code": "cadres", "name": {"zh": "机关干部"}, "weight": 0.6, "min_turnout": 0.6},
                             {"code": "residents", "name": {"zh": "群众代表"}, "weight": 0.4, "min_turnout": 0.5}]),
                Field("scale", ListOf(Record(
                    "ballot choice", anchor="generic-ballot-choice",
                    doc="One choice of the ballot's scale: its value and its name.",
                    fields=(Field("value", Number(minimum=0), "The choice's value in the mean.", required=True,
                                  example=100),
                            Field("name", NAME, "The choice's name, as the ballot paper shows it.", required=True,
                                  example={"zh": "优秀", "en": "Excellent"})),
                    example={"value": 100, "name": {"zh": "优秀", "en": "Excellent"}})),
                    "The scale, best first (e.g. 优秀/称职/基本称职/不称职, or 5 to 1).", required=True,
                    example=[{"value": 100, "name": {"zh": "优秀"}}, {"value": 80, "name": {"zh": "称职"}},
                             {"value": 60, "name": {"zh": "基本称职"}}, {"value": 0, "name": {"zh": "不称职"}}])),
        example={"formula": "ballot",
                 "groups": [{"code": "cadres", "name": {"zh": "机关干部", "en": "Cadres"}, "weight": 0.6,
                             "min_turnout": 0.6},
                            {"code": "residents", "name": {"zh": "群众代表", "en": "Residents"}, "weight": 0.4,
                             "min_turnout": 0.5}],
                 "scale": [{"value": 100, "name": {"zh": "优秀", "en": "Excellent"}},
                           {"value": 80, "name": {"zh": "称职", "en": "Competent"}},
                           {"value": 60, "name": {"zh": "基本称职", "en": "Basically competent"}},
                           {"value": 0, "name": {"zh": "不称职", "en": "Incompetent"}}]}),
})

PERIOD_KINDS = ListOf(Text(stages.PERIOD_KINDS))

SECTIONS = Record(
    "scheme document", anchor="document",
    doc=f"A scheme document: the mapping at the top of the file, in YAML or JSON. Its `format` is `{FORMAT}`.",
    fields=(
        Field("format", Text((FORMAT,)), "The format of the document.", required=True, example=FORMAT),
        Field("scheme", Record(
            "scheme", doc="The scheme's identity and its year-wide settings.",
            fields=(
                Field("code", TEXT, "The scheme's code; every version of a scheme has the same code.", required=True,
                      example="riverside-2027"),
                Field("year", Number(integer=True, minimum=1000, maximum=9999),
                      "The year the scheme assesses (named by the calendar year it starts in).", required=True, example=2027),
                Field("version", Number(integer=True, minimum=1), "The document's version number, as drafted. The "
                      "registry numbers the versions it stores itself, in order of submission.", required=True, example=1),
                _name("scheme", {"zh": "河畔市2027年度绩效考核方案", "en": "Riverside 2027 performance scheme"},
                      default="the code"),
                Field("reason", TEXT, "Why this version is issued. The version's recorded reason is the one the "
                      "submission gives (`jixiao scheme submit --reason`, the desk's reason box), else this one; the "
                      "stored document keeps what it says either way.",
                      default="the submission's reason", example="年初发布 / initial publication"),
                Field("progress_tolerance", Number(minimum=0, maximum=1), "How far (a share of the annual target) "
                      "a unit may fall behind its plan (序时进度) before it is warned.", default="0.1", example=0.1),
                Field("self_evaluation_tolerance", Number(minimum=0), "How far a unit's self-assessed points "
                      "(自评) for an indicator may differ from the computed points before the office's desk flags "
                      "the gap, in points of the indicator's scale.", default="10", example=5),
                Field("missing_results", Text(stages.MISSING_POLICIES), "What an indicator result that should exist "
                      "but does not counts as: `zero` (0 points, its weight kept) or `excluded` (left out, the other "
                      "weights renormalised). Either way it is listed as missing.", default="`zero`", example="excluded"),
                Field("year_start_month", Number(integer=True, minimum=1, maximum=12), "The month the scheme's year "
                      "starts in (4 for a financial year from April).", default="1", example=4),
                Field("separate_duties", Boolean(), "Four eyes on publication (审核与发布分离): the office member who "
                      "locked a period may not also approve or publish it; each member signs in with their own "
                      "office token (`jixiao tokens add FILE --name 考核办·张 --role office`), whose name the review records.",
                      default="false", example=True),
            ),
            example={"code": "riverside-2027", "year": 2027, "version": 1,
                     "name": {"zh": "河畔市2027年度绩效考核方案", "en": "Riverside 2027 performance scheme"}}),
            "The scheme's identity and settings.", required=True),
        Field("city", Record(
            "city", doc="The city (or province) the scheme covers: the top of the region roll-up.",
            fields=(Field("id", TEXT, "The city's id.", required=True, example="RS"),
                    _name("city", {"zh": "河畔市", "en": "Riverside"}, default="the id")),
            example={"id": "RS", "name": {"zh": "河畔市", "en": "Riverside"}}),
            "The city the scheme covers.", default="none: no city-level roll-up"),
        Field("regions", ListOf(Record(
            "region", doc="A district or county below the city; units may belong to one.",
            fields=(Field("id", TEXT, "The region's id, unique.", required=True, example="R01"),
                    _name("region", {"zh": "东区", "en": "East District"}, default="the id"),
                    Field("kind", TEXT, "What kind of region it is, in the office's words.", example="district")),
            example={"id": "R01", "name": {"zh": "东区", "en": "East District"}, "kind": "district"})),
            "The regions.", default="none"),
        Field("categories", ListOf(Record(
            "category", doc="A peer group (考核类别): units of one category are ranked and graded together and "
                            "assessed on the same indicators.",
            fields=(_code("category", "economic"), _name("category", {"zh": "经济部门", "en": "Economic departments"}),
                    Field("subject", TEXT, "What the category's units are, in the office's words.", example="department")),
            example={"code": "economic", "name": {"zh": "经济部门", "en": "Economic departments"}})),
            "The peer groups.", required=True),
        Field("units", ListOf(Record(
            "unit", doc="An assessed unit (被考核单位): a department, district or county.",
            fields=(Field("id", TEXT, "The unit's id, unique; feeds send it.", required=True, example="U-E01"),
                    _name("unit", {"zh": "发展改革委", "en": "Development and Reform Commission"}),
                    Field("short_name_zh", TEXT, "A short Chinese name for narrow columns.", default="the name",
                          example="发改委"),
                    Field("category", Text(refers="a category code"), "The unit's peer group.", required=True,
                          example="economic"),
                    Field("region", OrNull(Text(refers="a region id")), "The region the unit belongs to.",
                          default="none", example="R01")),
            example={"id": "U-E01", "name": {"zh": "发展改革委", "en": "Development and Reform Commission"},
                     "category": "economic"})),
            "The assessed units.", required=True),
        Field("sources", ListOf(Record(
            "source", doc="A data feed and the metrics it reports.",
            fields=(_code("source", "statistics_bureau"),
                    _name("source", {"zh": "统计局", "en": "Statistics bureau"}, default="the code"),
                    Field("metrics", ListOf(TEXT), "The codes of the metrics the source reports.",
                          example=["road_investment"])),
            example={"code": "statistics_bureau", "name": {"zh": "统计局", "en": "Statistics bureau"},
                     "metrics": ["road_investment"]})),
            "The data feeds. When given, every metric the scheme names must be reported by one.", default="none"),
        Field("metrics", ListOf(Record(
            "metric", doc="What the platform checks of a metric's reported values.",
            fields=(_code("metric", "cases_received"),
                    Field("measurement_unit", TEXT, "The unit values are reported in; `min`/`max` apply to it.",
                          example="count"),
                    Field("min", NUMBER, "The smallest value that can be true.", example=0),
                    Field("max", NUMBER, "The largest value that can be true.", example=1),
                    Field("expected", Text(stages.PERIOD_KINDS), "How often every unit assessed on the metric must "
                          "report it; a unit without a figure in such a period is flagged (缺报).", example="month"),
                    Field("secret_attributes", ListOf(TEXT), "Event attributes naming who voted or rated; replaced "
                          "by a keyed pseudonym before the event is stored, never served.", example=["voter_id"])),
            example={"code": "cases_received", "measurement_unit": "count", "min": 0, "expected": "month"})),
            "Ranges and reporting rules of metrics.", default="none"),
        Field("validation_rules", ListOf(Record(
            "validation rule", doc="What must hold between two metrics of one unit and period (校验规则).",
            fields=(_code("rule", "on_time_within_received"),
                    Field("left", Text(refers="a metric code"), "The metric on the left.", required=True,
                          example="cases_on_time"),
                    Field("operator", Text(VALIDATION_OPERATORS), "How left compares with right.", required=True,
                          example="<="),
                    Field("right", Text(refers="a metric code"), "The metric on the right.", required=True,
                          example="cases_received"),
                    Field("severity", Text(VALIDATION_SEVERITIES), "How serious a breach is.", default="`medium`",
                          example="high"),
                    Field("name", NAME, "What the rule says, for the findings list.",
                          example={"zh": "按时办结数不超过受理数", "en": "On time within received"})),
            example={"code": "on_time_within_received", "left": "cases_on_time", "operator": "<=",
                     "right": "cases_received", "severity": "high"})),
            "Checks between metrics.", default="none"),
        Field("dimensions", ListOf(Record(
            "dimension", doc="A dimension of the assessment (考核维度) and its weight in a unit's total.",
            fields=(_code("dimension", "work_results"),
                    _name("dimension", {"zh": "工作实绩", "en": "Work results"}, default="the code"),
                    Field("weight", Number(minimum=0, maximum=1), "The dimension's share of the total; the weights "
                          "of the non-additive dimensions sum to 1.", default="0", example=0.7),
                    Field("additive", Boolean(), "An additive dimension (bonuses and deductions) adds its points to "
                          "the total instead of weighing in.", default="false", example=False),
                    Field("assessed_in", PERIOD_KINDS, "The period kinds it is assessed in; the weights of a period "
                          "are renormalised over what is assessed in it.", default="all three", example=["year"]),
                    Field("missing", Text(stages.MISSING_POLICIES), "What a missing result in it counts as.",
                          default="`scheme.missing_results`", example="zero")),
            example={"code": "work_results", "name": {"zh": "工作实绩", "en": "Work results"}, "weight": 0.7})),
            "The dimensions.", required=True),
        Field("indicators", ListOf(Record(
            "indicator", doc="An indicator the scheme assesses: provided by a plug-in of the same code, or a generic "
                             "indicator the scheme configures itself (`generic`, no code needed).",
            fields=(_code("indicator", "on_time_rate"),
                    _name("indicator", {"zh": "按时办结率", "en": "On-time rate"},
                          default="the plug-in's names (a generic indicator needs its own)"),
                    Field("period_basis", Text(stages.PERIOD_BASES), "`year_to_date`: a month or quarter is the year "
                          "so far against the plan due by then (序时进度); `period_alone`: the period on its own.",
                          default="the plug-in's (generic: `year_to_date` for amounts, else `period_alone`)",
                          example="year_to_date"),
                    Field("assessed_in", PERIOD_KINDS, "The period kinds it is assessed in.", default="all three",
                          example=["quarter", "year"]),
                    Field("generic", GENERIC, "A generic indicator's formula and settings; without it, an active "
                          "plug-in must provide the code.", default="none: a plug-in provides the indicator",
                          example={"formula": "rate", "numerator": "cases_on_time", "denominator": "cases_received"})),
            example={"code": "on_time_rate", "name": {"zh": "按时办结率", "en": "On-time rate"},
                     "generic": {"formula": "rate", "numerator": "cases_on_time", "denominator": "cases_received",
                                 "target": 0.95}})),
            "The indicators' names and settings. When given, every assigned indicator must be listed.", default="none"),
        Field("assignments", ListOf(Record(
            "assignment", doc="An indicator assessed for a category inside a dimension, with its weight and points.",
            fields=(Field("category", Text(refers="a category code"), "The category.", required=True, example="economic"),
                    Field("dimension", Text(refers="a dimension code"), "The dimension.", required=True,
                          example="work_results"),
                    Field("indicator", Text(refers="an indicator code"), "The indicator.", required=True,
                          example="on_time_rate"),
                    Field("weight", Number(minimum=0), "Its share of the dimension; the weights of one category and "
                          "non-additive dimension sum to 1.", default="0", example=0.25),
                    Field("max_points", Number(minimum=0), "The points it is worth, as the scheme publishes them.",
                          default="0", example=25)),
            example={"category": "economic", "dimension": "work_results", "indicator": "on_time_rate",
                     "weight": 0.25, "max_points": 25})),
            "Which indicators count for which category.", required=True),
        Field("targets", ListOf(Record(
            "target", doc="The target a unit signed for an indicator (目标责任书).",
            fields=(Field("unit", Text(refers="a unit id"), "The unit.", required=True, example="U-E01"),
                    Field("indicator", Text(refers="an indicator code"), "The indicator (assigned to the unit's "
                          "category).", required=True, example="road_investment"),
                    Field("value", OrNull(NUMBER), "The target figure, in `measurement_unit`.", default="none",
                          example=12.5),
                    Field("measurement_unit", TEXT, "The unit of the figure.", default="\"\"", example="CNY_100M"),
                    Field("params", OrNull(Record(
                        "target parameters", anchor="target-parameters",
                        doc="Named numbers or texts the indicator's formula reads; each must be one its plug-in "
                            "declares.", fields=(), extra=AnyOf((NUMBER, TEXT)),
                        extra_doc="a parameter the plug-in declares", example={"last_year_value": 141.0})),
                        "Parameters of the formula.", default="none", example={"last_year_value": 141.0}),
                    Field("milestones", ListOf(Record(
                        "milestone", doc="By the end of `period`, `share` of the target is due (节点化).",
                        fields=(Field("period", Text(refers="a period of the scheme's year"), "A month or quarter.",
                                      required=True, example="2027-Q2"),
                                Field("share", SHARE, "The share due by its end.", required=True, example=0.4)),
                        example={"period": "2027-Q2", "share": 0.4})),
                        "The plan over the year; shares never fall and reach 1 at the year's end.",
                        default="time-proportional", example=[{"period": "2027-Q2", "share": 0.4},
                                                               {"period": "2027-Q4", "share": 1}])),
            example={"unit": "U-E01", "indicator": "road_investment", "value": 12.5, "measurement_unit": "CNY_100M"})),
            "The units' targets.", default="none"),
        Field("baselines", ListOf(Record(
            "baseline", doc="One of last year's figures, for like-for-like comparison (同比).",
            fields=(Field("unit", Text(refers="a unit id"), "The unit.", required=True, example="U-E01"),
                    Field("metric", Text(refers="a metric code"), "The metric.", required=True, example="road_investment"),
                    Field("period", Text(refers="a period before the scheme's year"), "The period.", required=True,
                          example="2026-03"),
                    Field("value", NUMBER, "The figure.", required=True, example=3.2),
                    Field("measurement_unit", TEXT, "Its unit (the metric's, when `metrics` gives one).",
                          default="\"\"", example="CNY_100M")),
            example={"unit": "U-E01", "metric": "road_investment", "period": "2026-03", "value": 3.2})),
            "Last year's figures.", default="none"),
        Field("leadership_teams", ListOf(Record(
            "leadership team", doc="A unit's leadership team (领导班子).",
            fields=(Field("id", TEXT, "The team's id, unique.", required=True, example="T-E01"),
                    Field("unit", Text(refers="a unit id"), "Its unit.", required=True, example="U-E01"),
                    _name("team", {"zh": "发改委领导班子", "en": "DRC leadership team"}, default="none")),
            example={"id": "T-E01", "unit": "U-E01", "name": {"zh": "发改委领导班子", "en": "DRC leadership team"}})),
            "Leadership teams.", default="none"),
        Field("persons", ListOf(Record(
            "person", doc="A leader assessed with their unit (领导干部).",
            fields=(Field("id", TEXT, "The person's id, unique.", required=True, example="P-0001"),
                    Field("name_zh", TEXT, "The name in Chinese characters.", example="李明"),
                    Field("name_pinyin", TEXT, "The name in pinyin (shown in English).", example="Li Ming"),
                    Field("unit", Text(refers="a unit id"), "The unit.", required=True, example="U-E01"),
                    Field("team", OrNull(Text(refers="a leadership team id")), "The leadership team.", default="none",
                          example="T-E01"),
                    Field("position", NAME, "The post.", example={"zh": "主任", "en": "Director"}),
                    Field("rank", TEXT, "The rank (正处, 副处, ...).", example="正处")),
            example={"id": "P-0001", "name_zh": "李明", "name_pinyin": "Li Ming", "unit": "U-E01", "team": "T-E01"})),
            "Persons.", default="none"),
        Field("grading", ListOf(Record(
            "grading rule", doc="How a pool of categories is graded (评定等次).",
            fields=(_code("rule", "departments"),
                    Field("pool", ListOf(Text(refers="a category code")), "The categories graded together.",
                          example=["economic", "social"]),
                    Field("subject", Text(SUBJECTS), "Units or persons.", default="`unit`", example="unit"),
                    Field("method", Text(GRADING_METHODS), "Forced distribution by `ratio`, `threshold` on totals, or "
                          "`rank_only`.", required=True, example="ratio"),
                    Field("periods", PERIOD_KINDS, "The period kinds it grades; others are ranked only.",
                          default="`[year]`", example=["quarter", "year"]),
                    Field("tie_breakers", ListOf(TEXT), "What separates totals tied at a grade boundary, in order: "
                          "`dimension:<code>` for units, `personal_evaluation` or `unit_total` for persons.",
                          default="none", example=["dimension:work_results"]),
                    Field("grades", ListOf(Record(
                        "grade", doc="One grade of a rule; grade 1 is the best.",
                        fields=(Field("grade", Number(integer=True, minimum=1), "The grade's number.", required=True,
                                      example=1),
                                Field("name", NAME, "The grade's name.", example={"zh": "一等", "en": "First"}),
                                Field("parts", Number(minimum=0), "Its parts of the distribution (ratio).", example=20),
                                Field("min_total", NUMBER, "The lowest total it takes (threshold).", example=90)),
                        example={"grade": 1, "name": {"zh": "一等", "en": "First"}, "parts": 20})),
                        "The grades.", example=[{"grade": 1, "parts": 20}, {"grade": 2, "parts": 80}])),
            example={"code": "departments", "pool": ["economic"], "method": "ratio",
                     "grades": [{"grade": 1, "parts": 20}, {"grade": 2, "parts": 80}]})),
            "Grading rules.", default="none"),
        Field("vetoes", ListOf(Record(
            "veto", doc="A one-vote veto (一票否决): caps the grade of a unit whose veto indicator fires, or of a "
                        "person whose events match the trigger.",
            fields=(Field("indicator", Text(refers="an indicator code"), "The veto indicator (units).",
                          example="safety_veto"),
                    Field("rule", TEXT, "The rule's name (persons).", example="criminal_offence"),
                    Field("subject", Text(SUBJECTS), "Units or persons.", example="unit"),
                    Field("cap_grade", Number(integer=True, minimum=1), "The best grade left.", example=3),
                    Field("grade", Number(integer=True, minimum=1), "Same as `cap_grade` (older spelling).", example=4),
                    Field("trigger", Record(
                        "trigger", doc="The events that fire the veto: a metric, and attribute values they must carry.",
                        fields=(Field("metric", Text(refers="a metric code"), "The metric.", required=True,
                                      example="safety_accident"),),
                        extra=AnyOf((TEXT, ListOf(TEXT))), extra_doc="an event attribute and its value(s)",
                        example={"metric": "safety_accident", "severity": ["serious"]}),
                        "When it fires.", example={"metric": "safety_accident", "severity": ["serious"]}),
                    Field("reason", NAME, "Why, as published.", example={"zh": "发生重大事故", "en": "A serious accident"})),
            example={"indicator": "safety_veto", "subject": "unit", "cap_grade": 3,
                     "trigger": {"metric": "safety_accident", "severity": ["serious"]}})),
            "Vetoes.", default="none"),
        Field("consequences", ListOf(Record(
            "consequence", doc="What follows from a person's grades (结果运用).",
            fields=(Field("rule", Text(CONSEQUENCE_RULES), "When it applies.", required=True, example="fourth_grade"),
                    Field("subject", Text(SUBJECTS), "Units or persons.", default="`person`", example="person"),
                    Field("action", NAME, "The action, as published.", required=True,
                          example={"zh": "免职", "en": "removal from post"})),
            example={"rule": "fourth_grade", "action": {"zh": "免职", "en": "removal from post"}})),
            "Consequences.", default="none"),
        Field("person_scoring", Record(
            "person scoring", doc="How a leader's score combines the unit's total and a personal evaluation.",
            fields=(Field("unit_weight", SHARE, "The unit total's share.", example=0.6),
                    Field("personal_weight", SHARE, "The personal evaluation's share; the two sum to 1.", example=0.4),
                    Field("personal_indicator", Text(refers="an indicator code"), "The personal evaluation.",
                          example="leadership_evaluation"),
                    Field("personal_deductions", ListOf(Text(refers="an indicator code")),
                          "Deductions (in additive dimensions) that count against the person too.", example=["work_style"]),
                    Field("missing", Text(stages.MISSING_POLICIES), "What a missing personal result counts as.",
                          default="`scheme.missing_results`", example="zero")),
            example={"unit_weight": 0.6, "personal_weight": 0.4, "personal_indicator": "leadership_evaluation"}),
            "Person scoring.", default="none: persons are not scored"),
    ),
)
