"""Fixed data of the demo city 江川市: regions, departments, titles, scheme parts.

Everything here is fictional but modelled on real prefecture-level cities; the
sizes follow the seeds (5 districts + 4 counties/county-level cities, 99
municipal departments). `build_city` adds the random parts (targets, people).
"""
from __future__ import annotations

CITY = {"id": "JC", "name": {"zh": "江川市", "en": "Jiangchuan City"}}

# (id, zh, en, kind, investment plan, budget revenue plan, funds plan) — plans
# in CNY 100 million (亿元) before the seeded ±5 % jitter of build_city.
REGIONS = [
    ("R01", "青山区", "Qingshan District", "district", 265, 88, 14),
    ("R02", "江滨区", "Jiangbin District", "district", 330, 112, 18),
    ("R03", "东湖区", "Donghu District", "district", 235, 62, 11),
    ("R04", "北塘区", "Beitang District", "district", 180, 39, 8),
    ("R05", "南港区", "Nangang District", "district", 385, 74, 16),
    ("R06", "临江县", "Linjiang County", "county", 168, 24, 22),
    ("R07", "桃源县", "Taoyuan County", "county", 152, 21, 27),
    ("R08", "云台市", "Yuntai City", "county_city", 292, 56, 19),
    ("R09", "白沙市", "Baisha City", "county_city", 214, 35, 24),
]

# kind -> (title prefix of the party committee, head of government zh, en)
REGION_TITLES = {
    "district": ("区", "区长", "District Mayor"),
    "county": ("县", "县长", "County Magistrate"),
    "county_city": ("市", "市长", "Mayor"),
}

CATEGORIES = [
    ("district_county", "区县（市）", "Districts and counties", "region"),
    ("comprehensive", "综合管理部门", "General administration departments", "department"),
    ("economic", "经济管理部门", "Economic management departments", "department"),
    ("social", "社会管理部门", "Social administration departments", "department"),
    ("enforcement", "执法监督部门", "Law enforcement and supervision departments", "department"),
    ("mass_org", "群团及其他", "People's organisations and others", "department"),
]

# Titles of a department's head and deputies by the kind of body:
# kind -> (head zh, head en, deputy zh, deputy en)
TITLES = {
    "bureau": ("党组书记、局长", "Party Group Secretary and Director", "副局长", "Deputy Director"),
    "commission": ("党组书记、主任", "Party Group Secretary and Director", "副主任", "Deputy Director"),
    "party_dept": ("部长", "Head", "副部长", "Deputy Head"),
    "office": ("主任", "Director", "副主任", "Deputy Director"),
    "party_committee": ("书记", "Secretary", "副书记", "Deputy Secretary"),
    "federation": ("党组书记、主席", "Party Group Secretary and Chair", "副主席", "Vice Chair"),
    "association": ("会长", "President", "副会长", "Vice President"),
    "board": ("理事长", "Chair of the Executive Board", "副理事长", "Vice Chair of the Executive Board"),
    "press": ("社长", "President", "副社长", "Vice President"),
    "broadcast": ("台长", "Director", "副台长", "Deputy Director"),
    "school": ("常务副校长", "Executive Vice President", "副校长", "Vice President"),
    "academy": ("院长", "President", "副院长", "Vice President"),
    "archives": ("馆长", "Curator", "副馆长", "Deputy Curator"),
    "detachment": ("支队长", "Commander", "副支队长", "Deputy Commander"),
    "customs": ("关长", "Commissioner", "副关长", "Deputy Commissioner"),
}

DISCIPLINE_TEAM_LEADER = ("市纪委监委派驻纪检监察组组长", "Head of the Resident Discipline Inspection and Supervision Team")

# The 99 municipal departments:
# (short name, zh, en, category, title kind, size class, funds plan in CNY 100M or None)
# Size classes set the leadership team size (L 9, M 8, S 7, XS 6, then ±1).
DEPARTMENTS = [
    # 综合管理部门 (22)
    ("市委办", "市委办公室", "General Office of the CPC Jiangchuan Municipal Committee", "comprehensive", "office", "L", None),
    ("市政府办", "市人民政府办公室", "General Office of the Jiangchuan Municipal People's Government", "comprehensive", "office", "L", None),
    ("市人大办", "市人大常委会办公室", "General Office of the Standing Committee of the Municipal People's Congress", "comprehensive", "office", "M", None),
    ("市政协办", "市政协办公室", "General Office of the Municipal CPPCC Committee", "comprehensive", "office", "M", None),
    ("市委组织部", "市委组织部", "Organization Department of the Municipal Committee", "comprehensive", "party_dept", "L", None),
    ("市委宣传部", "市委宣传部", "Publicity Department of the Municipal Committee", "comprehensive", "party_dept", "L", None),
    ("市委统战部", "市委统战部", "United Front Work Department of the Municipal Committee", "comprehensive", "party_dept", "M", None),
    ("市委政法委", "市委政法委员会", "Political and Legal Affairs Commission of the Municipal Committee", "comprehensive", "party_committee", "M", None),
    ("市委政研室", "市委政策研究室", "Policy Research Office of the Municipal Committee", "comprehensive", "office", "S", None),
    ("市委编办", "市委机构编制委员会办公室", "Office of the Municipal Commission for Public Sector Reform", "comprehensive", "office", "S", None),
    ("市直机关工委", "市直机关工作委员会", "Working Committee for Municipal Organs", "comprehensive", "party_committee", "S", None),
    ("市委网信办", "市委网络安全和信息化委员会办公室", "Cyberspace Affairs Office of the Municipal Committee", "comprehensive", "office", "S", None),
    ("市委老干部局", "市委老干部局", "Veteran Cadres Bureau of the Municipal Committee", "comprehensive", "bureau", "S", None),
    ("市委党校", "市委党校", "Party School of the Municipal Committee", "comprehensive", "school", "M", None),
    ("市委党史研究室", "市委党史研究室", "Party History Research Office of the Municipal Committee", "comprehensive", "office", "XS", None),
    ("市档案馆", "市档案馆", "Jiangchuan Municipal Archives", "comprehensive", "archives", "XS", None),
    ("市机关事务局", "市机关事务管理局", "Government Offices Administration", "comprehensive", "bureau", "S", None),
    ("市外办", "市外事办公室", "Foreign Affairs Office", "comprehensive", "office", "S", None),
    ("市政府研究室", "市人民政府研究室", "Research Office of the Municipal Government", "comprehensive", "office", "XS", None),
    ("市信访局", "市信访局", "Bureau of Letters and Calls", "comprehensive", "bureau", "M", None),
    ("市政务服务数据局", "市政务服务和数据管理局", "Government Services and Data Administration", "comprehensive", "bureau", "M", None),
    ("市委台办", "市委台湾工作办公室", "Taiwan Affairs Office of the Municipal Committee", "comprehensive", "office", "XS", None),
    # 经济管理部门 (26)
    ("市发改委", "市发展和改革委员会", "Development and Reform Commission", "economic", "commission", "L", 15.0),
    ("市工信局", "市工业和信息化局", "Bureau of Industry and Information Technology", "economic", "bureau", "L", 4.0),
    ("市财政局", "市财政局", "Finance Bureau", "economic", "bureau", "L", 8.0),
    ("市商务局", "市商务局", "Commerce Bureau", "economic", "bureau", "M", 1.5),
    ("市自然资源规划局", "市自然资源和规划局", "Natural Resources and Planning Bureau", "economic", "bureau", "L", 3.0),
    ("市住建局", "市住房和城乡建设局", "Housing and Urban-Rural Development Bureau", "economic", "bureau", "L", 4.5),
    ("市交通运输局", "市交通运输局", "Transport Bureau", "economic", "bureau", "L", 6.0),
    ("市水利局", "市水利局", "Water Resources Bureau", "economic", "bureau", "M", 5.0),
    ("市农业农村局", "市农业农村局", "Agriculture and Rural Affairs Bureau", "economic", "bureau", "L", 6.0),
    ("市文广旅局", "市文化广电旅游局", "Culture, Radio, Television and Tourism Bureau", "economic", "bureau", "M", 1.2),
    ("市统计局", "市统计局", "Statistics Bureau", "economic", "bureau", "S", 0.3),
    ("市国资委", "市人民政府国有资产监督管理委员会", "State-owned Assets Supervision and Administration Commission", "economic", "commission", "M", 0.5),
    ("市金融管理局", "市地方金融管理局", "Local Financial Administration", "economic", "bureau", "S", 0.3),
    ("市林业局", "市林业局", "Forestry Bureau", "economic", "bureau", "S", 1.5),
    ("市科技局", "市科学技术局", "Science and Technology Bureau", "economic", "bureau", "M", 1.5),
    ("市投促局", "市投资促进局", "Investment Promotion Bureau", "economic", "bureau", "S", 0.4),
    ("市粮食和储备局", "市粮食和物资储备局", "Grain and Material Reserves Bureau", "economic", "bureau", "S", 1.0),
    ("市供销社", "市供销合作社联合社", "Federation of Supply and Marketing Cooperatives", "economic", "office", "S", 0.6),
    ("市能源局", "市能源局", "Energy Bureau", "economic", "bureau", "S", 2.0),
    ("市口岸办", "市口岸和物流办公室", "Port and Logistics Office", "economic", "office", "XS", 0.8),
    ("市乡村振兴局", "市乡村振兴局", "Rural Revitalization Bureau", "economic", "bureau", "M", 3.0),
    ("市重点办", "市重点项目建设服务中心", "Key Projects Construction Service Centre", "economic", "office", "S", 0.5),
    ("市公共资源交易中心", "市公共资源交易中心", "Public Resources Trading Centre", "economic", "office", "S", 0.2),
    ("市公积金中心", "市住房公积金管理中心", "Housing Provident Fund Management Centre", "economic", "office", "S", 0.3),
    ("市不动产登记中心", "市不动产登记中心", "Real Estate Registration Centre", "economic", "office", "XS", 0.2),
    ("市农科院", "市农业科学研究院", "Academy of Agricultural Sciences", "economic", "academy", "XS", 0.6),
    # 社会管理部门 (22)
    ("市教育局", "市教育局", "Education Bureau", "social", "bureau", "L", None),
    ("市民政局", "市民政局", "Civil Affairs Bureau", "social", "bureau", "M", None),
    ("市人社局", "市人力资源和社会保障局", "Human Resources and Social Security Bureau", "social", "bureau", "L", None),
    ("市卫健委", "市卫生健康委员会", "Health Commission", "social", "commission", "L", None),
    ("市生态环境局", "市生态环境局", "Ecology and Environment Bureau", "social", "bureau", "M", None),
    ("市退役军人局", "市退役军人事务局", "Veterans Affairs Bureau", "social", "bureau", "S", None),
    ("市医保局", "市医疗保障局", "Healthcare Security Bureau", "social", "bureau", "M", None),
    ("市体育局", "市体育局", "Sports Bureau", "social", "bureau", "S", None),
    ("市民宗局", "市民族宗教事务局", "Ethnic and Religious Affairs Bureau", "social", "bureau", "S", None),
    ("市人防办", "市人民防空办公室", "Civil Air Defence Office", "social", "office", "S", None),
    ("市地震局", "市地震局", "Earthquake Administration", "social", "bureau", "XS", None),
    ("市气象局", "市气象局", "Meteorological Bureau", "social", "bureau", "XS", None),
    ("市广播电视台", "江川广播电视台", "Jiangchuan Radio and Television", "social", "broadcast", "M", None),
    ("江川日报社", "江川日报社", "Jiangchuan Daily", "social", "press", "S", None),
    ("市社科院", "市社会科学院", "Academy of Social Sciences", "social", "academy", "XS", None),
    ("市老龄办", "市老龄工作委员会办公室", "Office of the Working Commission on Ageing", "social", "office", "XS", None),
    ("市社保局", "市社会保险事业管理局", "Social Insurance Administration", "social", "bureau", "S", None),
    ("市疾控局", "市疾病预防控制局", "Disease Control and Prevention Bureau", "social", "bureau", "S", None),
    ("市园林局", "市园林绿化局", "Landscaping and Greening Bureau", "social", "bureau", "S", None),
    ("市教育考试院", "市教育考试院", "Education Examinations Authority", "social", "academy", "XS", None),
    ("市委社会工作部", "市委社会工作部", "Social Work Department of the Municipal Committee", "social", "party_dept", "M", None),
    ("市房管局", "市住房保障和房产管理局", "Housing Security and Real Estate Administration", "social", "bureau", "M", None),
    # 执法监督部门 (15)
    ("市公安局", "市公安局", "Public Security Bureau", "enforcement", "bureau", "L", None),
    ("市司法局", "市司法局", "Justice Bureau", "enforcement", "bureau", "M", None),
    ("市审计局", "市审计局", "Audit Bureau", "enforcement", "bureau", "M", None),
    ("市市场监管局", "市市场监督管理局", "Administration for Market Regulation", "enforcement", "bureau", "L", None),
    ("市应急管理局", "市应急管理局", "Emergency Management Bureau", "enforcement", "bureau", "M", None),
    ("市城管执法局", "市城市管理综合执法局", "Urban Management and Law Enforcement Bureau", "enforcement", "bureau", "M", None),
    ("市税务局", "国家税务总局江川市税务局", "Jiangchuan Municipal Taxation Bureau, State Taxation Administration", "enforcement", "bureau", "L", None),
    ("市消防救援支队", "市消防救援支队", "Fire and Rescue Detachment", "enforcement", "detachment", "M", None),
    ("市烟草专卖局", "市烟草专卖局", "Tobacco Monopoly Bureau", "enforcement", "bureau", "S", None),
    ("市交通执法支队", "市交通运输综合行政执法支队", "Transport Law Enforcement Detachment", "enforcement", "detachment", "S", None),
    ("市生态环境执法支队", "市生态环境保护综合行政执法支队", "Environmental Law Enforcement Detachment", "enforcement", "detachment", "XS", None),
    ("市农业执法支队", "市农业综合行政执法支队", "Agricultural Law Enforcement Detachment", "enforcement", "detachment", "XS", None),
    ("市文化执法支队", "市文化市场综合行政执法支队", "Cultural Market Law Enforcement Detachment", "enforcement", "detachment", "XS", None),
    ("市保密局", "市国家保密局", "State Secrets Protection Bureau", "enforcement", "bureau", "XS", None),
    ("江川海关", "江川海关", "Jiangchuan Customs", "enforcement", "customs", "S", None),
    # 群团及其他 (14)
    ("市总工会", "市总工会", "Federation of Trade Unions", "mass_org", "federation", "S", None),
    ("团市委", "共青团江川市委员会", "Communist Youth League Jiangchuan Committee", "mass_org", "party_committee", "XS", None),
    ("市妇联", "市妇女联合会", "Women's Federation", "mass_org", "federation", "XS", None),
    ("市科协", "市科学技术协会", "Association for Science and Technology", "mass_org", "federation", "XS", None),
    ("市文联", "市文学艺术界联合会", "Federation of Literary and Art Circles", "mass_org", "federation", "XS", None),
    ("市社科联", "市社会科学界联合会", "Federation of Social Science Circles", "mass_org", "federation", "XS", None),
    ("市侨联", "市归国华侨联合会", "Federation of Returned Overseas Chinese", "mass_org", "federation", "XS", None),
    ("市残联", "市残疾人联合会", "Disabled Persons' Federation", "mass_org", "board", "XS", None),
    ("市红十字会", "市红十字会", "Red Cross Society", "mass_org", "association", "XS", None),
    ("市工商联", "市工商业联合会", "Federation of Industry and Commerce", "mass_org", "federation", "S", None),
    ("市贸促会", "中国国际贸易促进委员会江川市支会", "China Council for the Promotion of International Trade, Jiangchuan Sub-council", "mass_org", "association", "XS", None),
    ("市计生协", "市计划生育协会", "Family Planning Association", "mass_org", "association", "XS", None),
    ("市关工委", "市关心下一代工作委员会", "Committee for the Well-being of the Younger Generation", "mass_org", "office", "XS", None),
    ("市慈善总会", "市慈善总会", "Charity Federation", "mass_org", "association", "XS", None),
]

SIZE_CLASS = {"L": 9, "M": 8, "S": 7, "XS": 6}
REGION_TEAM_SIZE = 10
TOTAL_PERSONS = 835

SOURCES = [
    ("stats_bureau", "市统计局", "Municipal Statistics Bureau", ["fixed_asset_investment"]),
    ("finance_bureau", "市财政局", "Municipal Finance Bureau", ["general_budget_revenue", "funds_won_from_higher_levels"]),
    ("drc", "市发展和改革委员会", "Municipal Development and Reform Commission",
     ["key_project_milestones_due", "key_project_milestones_met"]),
    ("petition_bureau", "市信访局", "Municipal Bureau of Letters and Calls",
     ["complaints_received", "complaints_handled_on_time", "complaints_resolved", "complaints_escalated"]),
    ("survey_center", "第三方民意调查中心", "Independent Public Opinion Survey Centre", ["public_vote"]),
    ("evaluation_office", "市考核办", "Municipal Performance Evaluation Office",
     ["leadership_rating", "commendation", "work_style_violation"]),
    ("emergency_bureau", "市应急管理局", "Municipal Emergency Management Bureau", ["safety_accident"]),
]

# The range each reported value must lie in: (metric, measurement unit or "", min, max or None).
METRIC_RANGES = [
    ("fixed_asset_investment", "", 0, None),
    ("general_budget_revenue", "", 0, None),
    ("funds_won_from_higher_levels", "", 0, None),
    ("key_project_milestones_due", "count", 0, None),
    ("key_project_milestones_met", "count", 0, None),
    ("complaints_received", "count", 0, None),
    ("complaints_handled_on_time", "count", 0, None),
    ("complaints_resolved", "count", 0, None),
    ("complaints_escalated", "count", 0, None),
    ("public_vote", "ballot", 0, 1),
    ("leadership_rating", "rating", 1, 5),
    ("commendation", "count", 0, None),
    ("work_style_violation", "count", 0, None),
    ("safety_accident", "count", 0, None),
]
# How often every unit assigned an indicator consuming the metric must report it (缺报 otherwise):
# the monthly feeds, and the year-end surveys. Grants, project milestones, commendations,
# violations and accidents come when they happen and are expected from no one.
METRIC_EXPECTED = {
    "fixed_asset_investment": "month", "general_budget_revenue": "month",
    "complaints_received": "month", "complaints_handled_on_time": "month", "complaints_resolved": "month",
    "complaints_escalated": "month", "public_vote": "year", "leadership_rating": "year",
}

# Secret ballots: the attributes naming a voter or a rater, pseudonymised by scoring at ingest.
SECRET_ATTRIBUTES = {"public_vote": ("voter_id",), "leadership_rating": ("rater_id",)}

# Validation rules between metrics of one unit and period (校验规则, as DHIS2 has them), checked by
# scoring's anomaly checks: (code, left, operator, right, severity, zh, en).
VALIDATION_RULES = [
    ("complaints_on_time_within_received", "complaints_handled_on_time", "<=", "complaints_received", "high",
     "按期办理信访件数不超过受理件数", "complaints handled on time ≤ complaints received"),
    ("complaints_resolved_within_received", "complaints_resolved", "<=", "complaints_received", "high",
     "化解信访件数不超过受理件数", "complaints resolved ≤ complaints received"),
    ("complaints_escalated_within_received", "complaints_escalated", "<=", "complaints_received", "medium",
     "越级上访件数不超过受理件数", "complaints escalated ≤ complaints received"),
    ("milestones_met_within_due", "key_project_milestones_met", "<=", "key_project_milestones_due", "high",
     "完成重点项目节点数不超过应完成节点数", "key project milestones met ≤ milestones due"),
]

# 四位一体: (code, zh, en, weight, additive)
DIMENSIONS = [
    ("work_results", "工作实绩", "Work results", 0.6, False),
    ("public_evaluation", "民评", "Public evaluation", 0.2, False),
    ("leadership_evaluation", "官评", "Leadership evaluation", 0.2, False),
    ("bonus_deduction", "加减分", "Bonus and deductions", 0, True),
]

INDICATORS = [
    ("investment_completion", "固定资产投资完成率", "Fixed-asset investment completion"),
    ("fiscal_revenue", "一般公共预算收入", "General budget revenue"),
    ("funds_from_higher_levels", "向上争取资金", "Funds won from higher levels"),
    ("key_projects", "重点项目建设", "Key project construction"),
    ("complaint_handling", "信访件办理", "Complaint (letters and calls) handling"),
    ("public_evaluation", "群众满意度测评", "Public satisfaction survey"),
    ("leadership_evaluation", "领导评价", "Leadership evaluation"),
    ("commendations", "表彰奖励加分", "Commendation bonus"),
    ("work_style", "作风建设扣分", "Work-style deductions"),
    ("safety_veto", "安全生产一票否决", "Work-safety veto"),
]

# Work-results indicators and their shares per category (each row sums to 1).
WORK_RESULTS = {
    "district_county": [("investment_completion", 0.3), ("fiscal_revenue", 0.25), ("funds_from_higher_levels", 0.15),
                        ("key_projects", 0.2), ("complaint_handling", 0.1)],
    "comprehensive": [("key_projects", 0.7), ("complaint_handling", 0.3)],
    "economic": [("key_projects", 0.5), ("funds_from_higher_levels", 0.3), ("complaint_handling", 0.2)],
    "social": [("key_projects", 0.6), ("complaint_handling", 0.4)],
    "enforcement": [("key_projects", 0.55), ("complaint_handling", 0.45)],
    "mass_org": [("key_projects", 0.75), ("complaint_handling", 0.25)],
}

# Indicators scored by responsible departments on signed score sheets (考核责任单位评分,
# docs/score-sheets.md), each a share of every category's work results: (code, zh, en,
# department code, department zh, department en, items as (code, zh, en, max points, rule zh,
# rule en)). Assessed each quarter and the year; the other work-results shares shrink by
# the sheets' part (SHEET_SHARE each), so a period without accepted sheets (they are
# missing, left out) weighs the other indicators as before.
SHEET_SHARE = 0.1
SHEET_DUE_DAYS = 10
SHEET_INDICATORS = [
    ("clean_government", "党风廉政建设", "Clean government", "discipline_commission", "市纪委监委",
     "Municipal Commission for Discipline Inspection and Supervision", [
         ("responsibility", "主体责任落实", "Primary responsibility", 40,
          "未按要求召开党风廉政建设专题会议的，每次扣2分", "2 points off per required meeting not held"),
         ("cases", "违纪违法案件", "Disciplinary cases", 30,
          "发生违纪违法案件的，每起扣10分", "10 points off per case"),
         ("rectification", "巡察整改", "Inspection follow-up", 30,
          "巡察反馈问题逾期未整改的，每项扣5分", "5 points off per overdue follow-up"),
     ]),
    ("work_safety", "安全生产目标责任", "Work-safety responsibility", "emergency_bureau", "市应急管理局",
     "Municipal Emergency Management Bureau", [
         ("system", "责任体系建设", "Responsibility system", 30,
          "安全生产责任清单未落实到岗的，每处扣3分", "3 points off per post without its duties"),
         ("hazards", "隐患排查整改", "Hazard rectification", 40,
          "重大隐患逾期未整改的，每项扣8分", "8 points off per major hazard not fixed in time"),
         ("drills", "应急演练", "Emergency drills", 30,
          "未按计划开展应急演练的，每次扣5分", "5 points off per planned drill not held"),
     ]),
]

# On-site assessment by assessment teams (考核组现场考核, docs/assessment-teams.md) of the districts
# and counties' year, a share of their work results (the other shares shrink once more):
# (code, zh, en, team rule, items as (code, zh, en, max points, rule zh, rule en)).
ASSESSMENT_SHARE = 0.1
ASSESSMENT_CATEGORY = "district_county"
ASSESSMENT_INDICATOR = ("onsite_inspection", "重点工作现场考核", "On-site inspection of key work", "trimmed_mean", [
    ("targets", "目标任务完成情况", "Targets met", 60, "每项目标未完成扣5分", "5 points off per target missed"),
    ("records", "台账资料", "Records", 40, "台账不全的，每项扣4分", "4 points off per missing record"),
])
ASSESSORS = tuple(f"A{n:02d}" for n in range(1, 10))  # nine assessors drawn from departments: three teams

# Democratic evaluation (民主测评, docs/ballots.md) of the districts' and counties' leadership teams
# and leaders at year end, beside the leadership ratings in 官评 (half each: a year without
# counted ballots weighs the ratings as before): (code, zh, en, rater groups as (code, zh, en,
# weight, min turnout), scale as (value, zh, en)).
BALLOT_INDICATOR = ("democratic_evaluation", "民主测评", "Democratic evaluation", [
    ("cadres", "机关干部", "Cadres", 0.5, 0.6),
    ("deputies", "两代表一委员", "Deputies and CPPCC members", 0.3, 0.6),
    ("residents", "群众代表", "Residents", 0.2, 0.5),
], [(100, "优秀", "Excellent"), (80, "称职", "Competent"), (60, "基本称职", "Basically competent"),
    (0, "不称职", "Incompetent")])

# Additive bonus and deductions: (indicator, share, max points). The share of
# an additive indicator only documents its part of the cap; points add up.
BONUS_DEDUCTION = [("commendations", 0.5, 5), ("work_style", 0.5, 5), ("safety_veto", 0.0, 0)]

# 天记录、月评议、季考核、年总结: the 民评 and 官评 surveys are held at year end, so those
# dimensions are assessed for the year only; months and quarters count work results,
# bonus and deductions, their weights renormalised. A missing result is left out.
YEAR_END_DIMENSIONS = ("public_evaluation", "leadership_evaluation")
MISSING_RESULTS = "excluded"

# How a month or quarter of each indicator is assessed: cumulative amounts year to date
# against the plan prorated to the period's end (序时进度), rates on the period alone.
PERIOD_BASIS = {"investment_completion": "year_to_date", "fiscal_revenue": "year_to_date",
                "funds_from_higher_levels": "year_to_date", "commendations": "year_to_date"}

# Last year's (2025) monthly profile of the cumulative amounts, for the baselines the office
# imports with the scheme so that 同比 compares the same span of last year.
LAST_YEAR_SHARES = {
    "fixed_asset_investment": [0.045, 0.05, 0.1, 0.08, 0.085, 0.09, 0.075, 0.08, 0.09, 0.085, 0.09, 0.13],
    "general_budget_revenue": [0.07, 0.05, 0.085, 0.09, 0.08, 0.085, 0.08, 0.085, 0.08, 0.085, 0.08, 0.13],
    "funds_won_from_higher_levels": [0.0, 0.06, 0.09, 0.08, 0.1, 0.11, 0.08, 0.09, 0.1, 0.09, 0.1, 0.1],
}

# Milestone plan of cumulative indicators (share of the annual target due by the period).
MILESTONE_SHARES = [("03", 0.2), ("06", 0.45), ("09", 0.7), ("12", 1.0)]

GRADE_NAMES = {1: ("一等", "First"), 2: ("二等", "Second"), 3: ("三等", "Third"), 4: ("四等", "Fourth")}
DEPARTMENT_GRADE_PARTS = [(1, 18), (2, 75), (3, 6)]
PERSON_GRADE_PARTS = [(1, 163), (2, 658), (3, 11), (4, 0)]
