"""A deterministic year of metric events for the demo city.

`demo_events(city, seed)` yields MetricEvent dicts (the shape the scoring
service consumes) in the order the feeds report them: by `reported_at`, then
`observed_at`, then `event_id`. Event ids are uuid5 of a fixed namespace and a
content key (scheme, seed, source, metric, unit, person, period, discriminator),
so replaying the demo stores nothing twice.

What the year contains (about 50,000 events with the default seed):
monthly investment and budget revenue with seasonality (low January and
February, a December spike), a few regions lagging badly; grants won from
higher levels; monthly complaint counts; key project milestones due and met;
a few dozen commendations; a handful of work-style violations, three of them
criminal; two safety accidents, one serious; a public satisfaction survey over
four channels with some duplicate ballots; year-end leadership ratings of units
and of every leader. A few fabricated series are injected on purpose (`INJECTED`,
`fabricated=False` leaves them out) for the anomaly checks to find
(jixiao.scoring.domain.anomalies, bench/anomalies.py).

    python -m jixiao.demo.events --limit 5      # JSON lines
    python -m jixiao.demo.events --summary
"""
from __future__ import annotations

import argparse
import calendar
import json
import math
import random
import sys
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

try:
    from .build_city import DEFAULT_SEED, build_city
except ImportError:  # run as a script: python services/demo/src/jixiao/demo/events.py
    from build_city import DEFAULT_SEED, build_city  # type: ignore[no-redef]

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://jixiao.example/demo/events")
CST = timezone(timedelta(hours=8))

# Monthly shares of the annual amount; cumulative at the quarter ends they meet
# the scheme's milestones (0.20 / 0.45 / 0.70 / 1.00).
INVESTMENT_SHARES = [0.05, 0.045, 0.105, 0.075, 0.08, 0.095, 0.075, 0.08, 0.095, 0.08, 0.09, 0.13]
REVENUE_SHARES = [0.065, 0.055, 0.08, 0.09, 0.085, 0.085, 0.08, 0.08, 0.085, 0.085, 0.08, 0.13]
INVESTMENT_SECTORS = {"industry": 0.34, "infrastructure": 0.30, "real_estate": 0.22, "social": 0.14}
# Complaints peak around the Spring Festival (wage arrears) and at year end.
COMPLAINT_SEASON = [1.25, 1.15, 1.0, 0.95, 0.95, 1.0, 1.05, 1.0, 0.95, 0.95, 1.0, 1.15]
# Mean monthly complaints by category (low, high), and units that carry more.
COMPLAINT_LOAD = {"district_county": (90, 220), "comprehensive": (1, 6), "economic": (3, 18),
                  "social": (10, 40), "enforcement": (8, 35), "mass_org": (0.5, 3)}
COMPLAINT_HEAVY = {"市公安局": 95, "市住建局": 60, "市人社局": 55, "市市场监管局": 50, "市城管执法局": 45,
                   "市房管局": 45, "市教育局": 40, "市卫健委": 38, "市自然资源规划局": 35, "市医保局": 30}
GRANT_PROGRAMS = {
    "central": ["中央预算内投资", "超长期特别国债项目资金", "中央财政衔接推进乡村振兴补助资金", "中央水利发展资金",
                "车辆购置税收入补助地方资金", "中央财政城镇保障性安居工程补助资金"],
    "provincial": ["省级预算内基本建设资金", "省级工业转型升级专项资金", "省级乡村振兴专项资金", "省级交通建设专项资金",
                   "省级文化和旅游发展专项资金", "省级科技创新专项资金", "省级生态环境保护专项资金"],
}
# Survey channels: (share of ballots, first day, last day, first hour, last hour, voter pool size).
VOTE_CHANNELS = {
    "online": (0.60, (11, 10), (12, 10), 7, 23, 12000),
    "phone": (0.15, (11, 16), (11, 30), 9, 20, 3000),
    "newspaper": (0.10, (11, 20), (12, 5), 9, 16, 2500),
    "onsite": (0.15, (12, 1), (12, 12), 9, 16, 2000),
}
BALLOTS = {"district_county": (700, 1100), "comprehensive": (110, 200), "economic": (150, 260),
           "social": (180, 320), "enforcement": (180, 320), "mass_org": (90, 160)}
DUPLICATE_BALLOTS = 40
CITY_LEADERS = [f"CL-{n:02d}" for n in range(1, 17)]  # 市委常委、副市长 who rate units and leaders
COMMENDATIONS = [  # (short name of the unit or None for any unit, level, title)
    ("团市委", "national", "全国五四红旗团委"),
    ("市总工会", "national", "全国模范职工之家"),
    ("市公安局", "national", "全国公安系统先进集体"),
    ("市民宗局", "national", "全国民族团结进步模范集体"),
    (None, "national", "全国文明单位"),
    (None, "national", "全国人民满意的公务员集体"),
    ("市司法局", "provincial", "全省人民满意的公务员集体"),
    ("市统计局", "provincial", "全省统计工作先进集体"),
    ("市财政局", "provincial", "全省财政工作先进单位"),
    ("市审计局", "provincial", "全省审计机关先进集体"),
    ("市水利局", "provincial", "全省河湖长制工作先进集体"),
    ("市信访局", "provincial", "全省信访工作先进集体"),
    ("市退役军人局", "provincial", "全省退役军人服务保障工作先进集体"),
    ("市妇联", "provincial", "全省三八红旗集体"),
    ("市农业农村局", "provincial", "全省乡村振兴工作先进集体"),
    ("市卫健委", "provincial", "全省卫生健康工作先进集体"),
    ("市发改委", "provincial", "全省重点项目建设先进单位"),
    ("市交通运输局", "provincial", "全省交通运输工作先进集体"),
    ("county", "provincial", "全省县域经济发展先进县（市）"),
    ("region", "provincial", "全省平安建设先进区县"),
    (None, "provincial", "全省文明单位"),
    (None, "provincial", "全省文明单位"),
    (None, "provincial", "全省文明单位"),
    (None, "provincial", "全省文明单位"),
    (None, "provincial", "全省优化营商环境先进单位"),
    (None, "provincial", "全省优化营商环境先进单位"),
    ("region", "municipal", "全市重点项目建设先进单位"),
    ("region", "municipal", "全市重点项目建设先进单位"),
    (None, "municipal", "全市重点项目建设先进单位"),
    (None, "municipal", "全市重点项目建设先进单位"),
    ("region", "municipal", "全市招商引资先进单位"),
    ("region", "municipal", "全市招商引资先进单位"),
    ("市投促局", "municipal", "全市招商引资先进单位"),
    ("市政务服务数据局", "municipal", "全市优秀政务服务窗口"),
    (None, "municipal", "全市优秀政务服务窗口"),
    (None, "municipal", "全市机关作风建设先进单位"),
    (None, "municipal", "全市机关作风建设先进单位"),
    (None, "municipal", "全市机关作风建设先进单位"),
    (None, "municipal", "全市信访工作先进单位"),
    (None, "municipal", "全市信访工作先进单位"),
]
UNIT_VIOLATIONS = [
    ("minor", "窗口工作人员服务态度生硬，被市效能办通报批评"),
    ("minor", "违规使用公务用车，被市纪委监委通报"),
    ("minor", "对群众来信推诿拖延，被市委督查室通报"),
    ("minor", "超标准公务接待，被责令整改"),
    ("serious", "违规发放津贴补贴，被市纪委监委通报并责令整改"),
]
PERSON_VIOLATIONS = [
    ("serious", "criminal", "涉嫌受贿罪，被依法移送检察机关审查起诉"),
    ("serious", "criminal", "涉嫌滥用职权罪，被依法追究刑事责任"),
    ("serious", "criminal", "犯贪污罪，被依法判处有期徒刑"),
    ("minor", "", "违规操办婚丧喜庆事宜，受到党内警告处分"),
    ("minor", "", "工作日午间饮酒，被通报批评"),
]
SERIOUS_ACCIDENTS = {
    "市住建局": ("江川新城安置房项目高大模板支撑体系坍塌事故，造成10人死亡，市住房和城乡建设局负有行业监管责任", "10"),
    "市交通运输局": ("国道改扩建工程桥梁施工支架垮塌事故，造成11人死亡，市交通运输局负有行业监管责任", "11"),
}


@dataclass(frozen=True)
class Injected:
    """A fabricated series the demo year carries on purpose, for the anomaly checks
    (疑点核查) to find: what was faked, where, and the kind of finding that should
    catch it (a kind of jixiao.scoring.domain.anomalies). `months` are the months of
    the year touched; none for the whole year (`source` then names the feed)."""

    code: str
    kind: str
    units: tuple[str, ...]
    metrics: tuple[str, ...]
    months: tuple[int, ...]
    source: str
    zh: str
    en: str


#: The fabrications of the demo year (seed 2026), in one place. They change values of
#: events the generator draws anyway (never their number, ids or order). The faked
#: figures lie in the fourth quarter, which the demo leaves open, so the results it
#: publishes do not move; the invented revenue split runs all year but keeps every
#: monthly total, which is all scoring adds up. Another seed may leave a case nothing
#: to fake (a month without the figure): that case is then not injected.
INJECTED = (
    Injected("inflated_investment", "own_history", ("U-R09",), ("fixed_asset_investment",), (11,), "stats_bureau",
             "白沙市11月固定资产投资虚报为实际的3.5倍",
             "Baisha City reports 3.5 times its real fixed-asset investment for November"),
    Injected("copied_investment", "copied", ("U-R06", "U-R07"), ("fixed_asset_investment",), (10, 11, 12),
             "stats_bureau", "临江县10—12月固定资产投资（分行业）照抄桃源县",
             "Linjiang County copies Taoyuan County's fixed-asset investment, sector by sector, for October to "
             "December"),
    Injected("on_time_above_received", "validation_rule", ("U-D061",), ("complaints_handled_on_time",
             "complaints_received"), (10,), "petition_bureau",
             "市广播电视台10月按期办理信访件数（28）多于受理件数（22）",
             "the municipal broadcaster reports 28 complaints handled on time in October, of 22 received"),
    Injected("milestones_met_above_due", "validation_rule", ("U-D099",), ("key_project_milestones_met",
             "key_project_milestones_due"), (12,), "drc",
             "市慈善总会12月报完成重点项目节点3个，当月应完成仅1个",
             "the charity federation reports 3 project milestones met in December, with 1 due"),
    Injected("invented_non_tax_revenue", "benford", (), ("general_budget_revenue",), (), "finance_bureau",
             "市财政局全年各区县非税收入明细系编造（月度合计不变），首位数字分布不符合本福特定律",
             "the finance bureau invented the year's non-tax revenue parts of every region (monthly totals "
             "unchanged): their first digits do not follow Benford's law"),
)
INVESTMENT_INFLATION = 3.5
ON_TIME_EXCESS = 6  # on time = received + 6
MILESTONES_MET_CLAIMED = 3


def demo_events(city: dict, seed: int = DEFAULT_SEED, year: int | None = None, *,
                fabricated: bool = True) -> Iterator[dict]:
    """Yield a year of metric events for `city` (a `build_city` document), in report order,
    with the fabrications of `INJECTED` unless `fabricated` is false."""
    year = year or city["scheme"]["year"]
    year_ = _Year(city, seed, year)
    for part in (_investment, _revenue, _funds, _complaints, _key_projects, _commendations, _violations,
                 _accidents, _votes, _ratings):
        part(year_, random.Random(f"{seed}:{year}:{part.__name__}"))
    if fabricated:
        _fabricate(year_, random.Random(f"{seed}:{year}:fabrications"))
    year_.events.sort(key=lambda e: (e["reported_at"], e["observed_at"], e["event_id"]))
    yield from year_.events


class _Year:
    """The city, the year's hidden truths (how good each unit and leader is,
    who lags) and the list of events being drawn."""

    def __init__(self, city: dict, seed: int, year: int):
        self.city, self.seed, self.year = city, seed, year
        self.events: list[dict] = []
        self.units = {u["id"]: u for u in city["units"]}
        self.targets = {(t["unit"], t["indicator"]): t for t in city["targets"]}
        self.teams: dict[str, list[dict]] = {}
        for person in city["persons"]:
            self.teams.setdefault(person["unit"], []).append(person)
        rng = random.Random(f"{seed}:{year}:profile")
        self.quality = {uid: rng.betavariate(5, 2) for uid in self.units}
        self.person_quality = {p["id"]: min(0.99, max(0.02, self.quality[p["unit"]] + rng.gauss(0, 0.12)))
                               for p in city["persons"]}
        regions = [uid for uid, u in self.units.items() if u["category"] == "district_county"]
        departments = [uid for uid in self.units if uid not in regions]
        # Who lags this year: investment (two badly, one only early), revenue, funds, projects, complaints.
        picked = rng.sample(regions, 4)
        self.investment_laggards = {picked[0]: 0.72, picked[1]: 0.8}
        self.investment_slow_start = picked[2]
        self.revenue_laggard = picked[3]
        with_funds = sorted(uid for uid, ind in self.targets if ind == "funds_from_higher_levels")
        self.funds_laggards = set(rng.sample(with_funds, 2))
        self.project_laggards = set(rng.sample(departments, 5)) | {rng.choice(regions)}
        self.complaint_laggards = {rng.choice(regions), *rng.sample(departments, 2)}
        for uid in (*self.investment_laggards, self.revenue_laggard, *self.project_laggards,
                    *self.complaint_laggards):
            self.quality[uid] *= 0.7
        for pid in rng.sample(sorted(self.person_quality), 14):  # leaders who will be weakly rated
            self.person_quality[pid] = rng.uniform(0.05, 0.2)

    def emit(self, source: str, unit: str, metric: str, value: float, measurement_unit: str, period: str,
             observed: datetime, reported: datetime, *, key: str = "", person: str = "", evidence: str = "",
             attributes: dict[str, str] | None = None) -> None:
        content = (f"{self.city['scheme']['code']}/{self.seed}/{source}/{metric}/{unit}/{person}/{period}/{key}")
        self.events.append({
            "event_id": str(uuid.uuid5(NAMESPACE, content)),
            "source": source,
            "unit_id": unit,
            "person_id": person,
            "metric_code": metric,
            "value": float(value),
            "measurement_unit": measurement_unit,
            "period": period,
            "observed_at": observed.isoformat(),
            "reported_at": reported.isoformat(),
            "evidence_ref": evidence,
            "attributes": attributes or {},
        })

    def with_target(self, indicator: str) -> list[tuple[str, dict]]:
        return [(uid, t) for (uid, ind), t in self.targets.items() if ind == indicator]

    def month_end(self, month: int) -> datetime:
        return datetime(self.year, month, calendar.monthrange(self.year, month)[1], 23, 59, 59, tzinfo=CST)

    def batch_time(self, rng: random.Random, month: int, first_day: int, last_day: int) -> datetime:
        """When a feed sends its report of `month`: a working morning early next month."""
        following = date(self.year, month, 1) + timedelta(days=32)
        return datetime(following.year, following.month, rng.randint(first_day, last_day), 9, 30, tzinfo=CST)


def _at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=CST)


def _jittered(rng: random.Random, shares: list[float], spread: float) -> list[float]:
    noisy = [s * rng.uniform(1 - spread, 1 + spread) for s in shares]
    total = sum(noisy)
    return [s / total for s in noisy]


def _back_loaded(shares: list[float]) -> list[float]:
    """Shift a monthly plan towards the end of the year (a slow start)."""
    ramped = [s * (0.55 + 0.9 * i / 11) for i, s in enumerate(shares)]
    total = sum(ramped)
    return [s / total for s in ramped]


def _poisson(rng: random.Random, mean: float) -> int:
    if mean >= 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _binomial(rng: random.Random, n: int, p: float) -> int:
    return sum(rng.random() < p for _ in range(n))


def _investment(y: _Year, rng: random.Random) -> None:
    """Statistics bureau: monthly fixed-asset investment per region and sector."""
    batches = {m: y.batch_time(rng, m, 10, 15) for m in range(1, 13)}
    for index, (uid, target) in enumerate(y.with_target("investment_completion")):
        if uid in y.investment_laggards:
            completion, shares = y.investment_laggards[uid], _back_loaded(INVESTMENT_SHARES)
        elif uid == y.investment_slow_start:
            completion, shares = rng.uniform(0.97, 1.02), _back_loaded(INVESTMENT_SHARES)
        else:
            completion, shares = min(1.2, max(0.9, rng.gauss(1.05, 0.06))), INVESTMENT_SHARES
        sectors = _jittered(rng, list(INVESTMENT_SECTORS.values()), 0.3)
        for month, share in enumerate(_jittered(rng, shares, 0.08), start=1):
            amount = target["value"] * completion * share
            for (sector, _), sector_share in zip(INVESTMENT_SECTORS.items(), _jittered(rng, sectors, 0.1)):
                y.emit("stats_bureau", uid, "fixed_asset_investment", round(amount * sector_share, 2), "CNY_100M",
                       f"{y.year}-{month:02d}", y.month_end(month), batches[month] + timedelta(seconds=index),
                       key=sector, evidence=f"stats://{y.year}/{month:02d}/{uid}/fai/{sector}",
                       attributes={"sector": sector})


def _revenue(y: _Year, rng: random.Random) -> None:
    """Finance bureau: monthly general budget revenue per region, tax and non-tax."""
    batches = {m: y.batch_time(rng, m, 6, 10) for m in range(1, 13)}
    for index, (uid, target) in enumerate(y.with_target("fiscal_revenue")):
        completion = rng.uniform(0.82, 0.87) if uid == y.revenue_laggard else min(1.15, max(0.95, rng.gauss(1.03, 0.04)))
        tax_share = rng.uniform(0.68, 0.82)
        for month, share in enumerate(_jittered(rng, REVENUE_SHARES, 0.06), start=1):
            amount = target["value"] * completion * share
            tax = min(0.95, tax_share * rng.uniform(0.96, 1.04))
            for kind, part in (("tax", tax), ("non_tax", 1 - tax)):
                y.emit("finance_bureau", uid, "general_budget_revenue", round(amount * part, 2), "CNY_100M",
                       f"{y.year}-{month:02d}", y.month_end(month), batches[month] + timedelta(seconds=index),
                       key=kind, evidence=f"finance://{y.year}/{month:02d}/{uid}/revenue/{kind}",
                       attributes={"revenue_type": kind})


def _funds(y: _Year, rng: random.Random) -> None:
    """Finance bureau: each grant won from the central or provincial level, on the day it is allocated."""
    for uid, target in y.with_target("funds_from_higher_levels"):
        if y.units[uid]["category"] == "district_county":
            grants = rng.randint(8, 16)
        else:
            grants = 14 if target["value"] >= 12 else rng.randint(4, 9) if target["value"] >= 3 else rng.randint(1, 4)
        completion = rng.uniform(0.45, 0.65) if uid in y.funds_laggards else min(1.3, max(0.85, rng.gauss(1.03, 0.1)))
        weights = [rng.lognormvariate(0, 0.9) for _ in range(grants)]
        days = sorted(date(y.year, 2, 1) + timedelta(days=rng.randrange(325)) for _ in range(grants))
        for number, (day, weight) in enumerate(zip(days, weights), start=1):
            level = "central" if rng.random() < 0.4 else "provincial"
            amount = max(0.01, round(target["value"] * completion * weight / sum(weights), 2))
            y.emit("finance_bureau", uid, "funds_won_from_higher_levels", amount, "CNY_100M", day.isoformat(),
                   _at(day, 15), _at(day + timedelta(days=rng.randint(2, 6)), 10), key=str(number),
                   evidence=f"finance://{y.year}/{day.month:02d}/{uid}/grant/{number:02d}",
                   attributes={"level": level, "program": rng.choice(GRANT_PROGRAMS[level])})


def _complaints(y: _Year, rng: random.Random) -> None:
    """Petition bureau: monthly counts received, handled on time, resolved and escalated, per unit."""
    batches = {m: y.batch_time(rng, m, 3, 6) for m in range(1, 13)}
    for index, (uid, unit) in enumerate(y.units.items()):
        mean = COMPLAINT_HEAVY.get(unit["short_name_zh"]) or rng.uniform(*COMPLAINT_LOAD[unit["category"]])
        if uid in y.complaint_laggards:
            rates = rng.uniform(0.78, 0.86), rng.uniform(0.72, 0.8), rng.uniform(0.03, 0.05)
        else:
            rates = rng.uniform(0.94, 0.995), rng.uniform(0.86, 0.97), rng.uniform(0.002, 0.015)
        for month in range(1, 13):
            received = _poisson(rng, mean * COMPLAINT_SEASON[month - 1])
            counts = [received, *(_binomial(rng, received, rate) for rate in rates)]
            for metric, count in zip(("complaints_received", "complaints_handled_on_time", "complaints_resolved",
                                      "complaints_escalated"), counts):
                y.emit("petition_bureau", uid, metric, count, "count", f"{y.year}-{month:02d}", y.month_end(month),
                       batches[month] + timedelta(seconds=index), evidence=f"petition://{y.year}/{month:02d}/{uid}")


def _key_projects(y: _Year, rng: random.Random) -> None:
    """Development and reform commission: project milestones due and met, per unit and month.

    The milestones due follow the target's quarterly plan; within a quarter the
    last month carries most. Lagging units meet 50–68 % of them, others 86–99 %.
    """
    batches = {m: y.batch_time(rng, m, 4, 8) for m in range(1, 13)}
    for index, (uid, target) in enumerate(y.with_target("key_projects")):
        total = int(target["value"])
        cumulative = [round(total * m["share"]) for m in target["milestones"]]
        due = [0] * 12
        for quarter, (low, high) in enumerate(zip([0, *cumulative], cumulative)):
            for _ in range(high - low):
                due[quarter * 3 + rng.choices((0, 1, 2), (1, 1, 2))[0]] += 1
        rate = rng.uniform(0.5, 0.68) if uid in y.project_laggards else rng.uniform(0.86, 0.99)
        for month, count in enumerate(due, start=1):
            if not count:
                continue
            for metric, value in (("key_project_milestones_due", count),
                                  ("key_project_milestones_met", _binomial(rng, count, rate))):
                y.emit("drc", uid, metric, value, "count", f"{y.year}-{month:02d}", y.month_end(month),
                       batches[month] + timedelta(seconds=index), evidence=f"drc://{y.year}/{month:02d}/{uid}/projects")


def _random_day(rng: random.Random, year: int, first: tuple[int, int], last: tuple[int, int]) -> date:
    start, end = date(year, *first), date(year, *last)
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _commendations(y: _Year, rng: random.Random) -> None:
    """Evaluation office: commendations won by units (national, provincial, municipal)."""
    by_short = {u["short_name_zh"]: uid for uid, u in y.units.items()}
    kinds = {r["id"]: r["kind"] for r in y.city["regions"]}
    regions = [uid for uid, u in y.units.items() if u["category"] == "district_county"]
    pools = {"region": regions, "county": [uid for uid in regions if kinds[y.units[uid]["region"]] != "district"],
             None: sorted(y.units)}
    for number, (who, level, title) in enumerate(COMMENDATIONS, start=1):
        if who in pools:
            uid = rng.choices(pools[who], [y.quality[u] ** 2 for u in pools[who]])[0]
        else:
            uid = by_short[who]
        day = _random_day(rng, y.year, (1, 10), (12, 20))
        y.emit("evaluation_office", uid, "commendation", 1, "count", day.isoformat(), _at(day, 10),
               _at(day + timedelta(days=rng.randint(1, 7)), 16), key=f"{number:03d}",
               evidence=f"eval://{y.year}/commendations/{number:03d}", attributes={"level": level, "title": title})


def _violations(y: _Year, rng: random.Random) -> None:
    """Evaluation office: work-style violations of units and of individual leaders."""
    units = rng.sample(sorted(y.units), len(UNIT_VIOLATIONS))
    deputies = [p for p in y.city["persons"]
                if p["rank"] == "副处" and p["unit"].startswith("U-D") and "纪检监察" not in p["position"]["zh"]]
    persons = rng.sample(deputies, len(PERSON_VIOLATIONS))
    cases = [(uid, "", severity, "", text) for uid, (severity, text) in zip(units, UNIT_VIOLATIONS)]
    cases += [(p["unit"], p["id"], severity, offence, text) for p, (severity, offence, text) in zip(persons, PERSON_VIOLATIONS)]
    for number, (uid, pid, severity, offence, text) in enumerate(cases, start=1):
        day = _random_day(rng, y.year, (3, 1), (11, 30))
        attributes = {"severity": severity, "description": text}
        if offence:
            attributes["offence"] = offence
            y.person_quality[pid] = 0.1
        y.emit("evaluation_office", uid, "work_style_violation", 1, "count", day.isoformat(), _at(day, 11),
               _at(day + timedelta(days=rng.randint(1, 5)), 17), key=f"{number:03d}", person=pid,
               evidence=f"eval://{y.year}/violations/{number:03d}", attributes=attributes)


def _accidents(y: _Year, rng: random.Random) -> None:
    """Emergency bureau: one general accident in a region, one serious one under a department's supervision."""
    by_short = {u["short_name_zh"]: uid for uid, u in y.units.items()}
    region = rng.choice([uid for uid, u in y.units.items() if u["category"] == "district_county"])
    department = rng.choice(sorted(SERIOUS_ACCIDENTS))
    text, deaths = SERIOUS_ACCIDENTS[department]
    cases = [
        (region, "general", f"{y.units[region]['name']['zh']}一起建筑施工高处坠落事故，造成1人死亡", "1",
         _random_day(rng, y.year, (4, 1), (4, 30))),
        (by_short[department], "serious", text, deaths, _random_day(rng, y.year, (8, 1), (8, 31))),
    ]
    for number, (uid, severity, description, dead, day) in enumerate(cases, start=1):
        y.quality[uid] *= 0.8
        y.emit("emergency_bureau", uid, "safety_accident", 1, "count", day.isoformat(),
               _at(day, rng.randint(6, 17), rng.randint(0, 59)), _at(day + timedelta(days=1), 9),
               key=f"{number:03d}", evidence=f"emergency://{y.year}/accidents/{number:03d}",
               attributes={"severity": severity, "description": description, "deaths": dead})


def _voter_id(rng: random.Random, channel: str, n: int, year: int) -> str:
    """An online account, a masked phone number, a newspaper coupon serial or an onsite form number."""
    if channel == "online":
        return f"wx-{rng.getrandbits(40):010x}"
    if channel == "phone":
        return f"tel-1{rng.randint(30, 99)}****{rng.randint(0, 9999):04d}"
    if channel == "newspaper":
        return f"np-{year}-{n:06d}"
    return f"site-{n:05d}"


def _voter_pools(rng: random.Random, year: int) -> dict[str, list[str]]:
    pools = {}
    for channel, (*_, size) in VOTE_CHANNELS.items():
        ids: set[str] = set()
        while len(ids) < size:
            ids.add(_voter_id(rng, channel, len(ids) + 1, year))
        pools[channel] = sorted(ids)
    return pools


def _votes(y: _Year, rng: random.Random) -> None:
    """Survey centre: one event per satisfaction ballot, reported nightly.

    Each voter votes at most once per unit and channel, except DUPLICATE_BALLOTS
    repeated ballots that the one-vote rule of the scoring must discard.
    """
    pools = _voter_pools(rng, y.year)
    ballots = []
    for uid, unit in y.units.items():
        n = rng.randint(*BALLOTS[unit["category"]])
        q = y.quality[uid]
        for channel, (share, first, last, hour_from, hour_to, _) in VOTE_CHANNELS.items():
            count = round(n * share * rng.uniform(0.9, 1.1))
            critical = 0.05 if channel == "online" else 0.0
            weights = (0.4 + 0.5 * q - critical, 0.0, 0.03 + 0.12 * (1 - q) + critical / 2)
            weights = (weights[0], 1 - weights[0] - weights[2], weights[2])
            for serial, voter in enumerate(rng.sample(pools[channel], count), start=1):
                moment = _at(_random_day(rng, y.year, first, last), rng.randint(hour_from, hour_to),
                             rng.randint(0, 59), rng.randint(0, 59))
                value = rng.choices((1.0, 0.5, 0.0), weights)[0]
                ballots.append((uid, channel, voter, f"{channel}-{serial:05d}", moment, value, weights))
    for uid, channel, voter, serial, moment, _, weights in rng.sample(ballots, DUPLICATE_BALLOTS):
        again = moment + timedelta(minutes=rng.randint(3, 2880))
        ballots.append((uid, channel, voter, f"{serial}-again", again, rng.choices((1.0, 0.5, 0.0), weights)[0],
                        weights))
    for uid, channel, voter, serial, moment, value, _ in ballots:
        reported = _at(moment.date() + timedelta(days=1), 2)
        y.emit("survey_center", uid, "public_vote", value, "ballot", moment.date().isoformat(), moment, reported,
               key=serial, evidence=f"survey://{y.year}/{uid}/{serial}",
               attributes={"channel": channel, "voter_id": voter})


def _rating(rng: random.Random, quality: float, group: str) -> float:
    bias = {"city_leaders": 0.0, "peers": 0.05, "subordinates": 0.1}[group]
    return float(min(5, max(1, round(rng.gauss(2.4 + 2.5 * quality + bias, 0.55)))))


def _ratings(y: _Year, rng: random.Random) -> None:
    """Evaluation office: the year-end democratic appraisal (民主测评) of each unit and each leader.

    Units are rated by city leaders, by the heads of peer units and by their
    own staff; each leader by two city leaders, up to five team mates and four staff.
    """
    heads = {uid: team[0]["id"] for uid, team in y.teams.items()}
    by_category: dict[str, list[str]] = {}
    for uid, unit in y.units.items():
        by_category.setdefault(unit["category"], []).append(uid)
    for uid, unit in y.units.items():
        day = _random_day(rng, y.year, (12, 14), (12, 22))
        start = _at(day, 14, 30)
        reported = _at(day, 20)
        staff = [f"S-{uid}-{n:02d}" for n in range(1, rng.randint(12, 20) + 1)]
        peers = [heads[other] for other in by_category[unit["category"]] if other != uid]
        raters = ([(r, "city_leaders") for r in rng.sample(CITY_LEADERS, 12)]
                  + [(r, "peers") for r in rng.sample(peers, min(10, len(peers)))]
                  + [(r, "subordinates") for r in staff])
        for minute, (rater, group) in enumerate(raters):
            y.emit("evaluation_office", uid, "leadership_rating", _rating(rng, y.quality[uid], group), "rating",
                   day.isoformat(), start + timedelta(minutes=minute // 4), reported, key=rater,
                   evidence=f"eval://{y.year}/ratings/{uid}", attributes={"rater_id": rater, "rater_group": group})
        team = y.teams[uid]
        for member in team:
            mates = [p["id"] for p in team if p["id"] != member["id"]]
            raters = ([(r, "city_leaders") for r in rng.sample(CITY_LEADERS, 2)]
                      + [(r, "peers") for r in rng.sample(mates, min(5, len(mates)))]
                      + [(r, "subordinates") for r in rng.sample(staff, 4)])
            for rater, group in raters:
                y.emit("evaluation_office", uid, "leadership_rating",
                       _rating(rng, y.person_quality[member["id"]], group), "rating", day.isoformat(),
                       start + timedelta(minutes=30), reported, key=rater, person=member["id"],
                       evidence=f"eval://{y.year}/ratings/{uid}/{member['id']}",
                       attributes={"rater_id": rater, "rater_group": group})


def _fabricate(y: _Year, rng: random.Random) -> None:
    """Applies INJECTED to the drawn year: values change, events stay as they are.
    A case whose units or figures the city does not have is left out."""
    figures: dict[tuple[str, str, str], list[dict]] = {}
    for event in y.events:
        if not event["person_id"]:
            figures.setdefault((event["metric_code"], event["unit_id"], event["period"]), []).append(event)

    def one(metric: str, unit: str, month: int) -> dict | None:
        found = figures.get((metric, unit, f"{y.year}-{month:02d}"), [])
        return found[0] if len(found) == 1 else None

    inflated, copied, on_time, milestones, _ = INJECTED
    for event in figures.get((inflated.metrics[0], inflated.units[0], f"{y.year}-{inflated.months[0]:02d}"), []):
        event["value"] = round(event["value"] * INVESTMENT_INFLATION, 2)
    copier, original = copied.units
    for month in copied.months:
        period = f"{y.year}-{month:02d}"
        sectors = {e["attributes"].get("sector"): e for e in figures.get((copied.metrics[0], original, period), [])}
        for event in figures.get((copied.metrics[0], copier, period), []):
            if event["attributes"].get("sector") in sectors:
                event["value"] = sectors[event["attributes"]["sector"]]["value"]
    handled, received = (one(metric, on_time.units[0], on_time.months[0]) for metric in on_time.metrics)
    if handled and received:
        handled["value"] = received["value"] + ON_TIME_EXCESS
    met, due = (one(metric, milestones.units[0], milestones.months[0]) for metric in milestones.metrics)
    if met and due and due["value"] < MILESTONES_MET_CLAIMED:
        met["value"] = float(MILESTONES_MET_CLAIMED)
    _invent_non_tax(figures, rng)


def _invent_non_tax(figures: dict[tuple[str, str, str], list[dict]], rng: random.Random) -> None:
    """The finance bureau's made-up split of each monthly revenue total: the non-tax part
    is invented between 8 % and 40 % of the total with a first digit drawn evenly from
    those of 2 to 9 that range allows (people who make numbers up spread first digits
    evenly and seldom begin with 1, where Benford's law puts 30 % of real amounts), and
    the tax part is the rest, so that every monthly total — all that scoring adds up —
    stays the same."""
    for (metric, _, _), events in sorted(figures.items()):
        if metric != "general_budget_revenue" or len(events) != 2:
            continue
        tax, non_tax = sorted(events, key=lambda e: e["attributes"].get("revenue_type") != "tax")
        if non_tax["attributes"].get("revenue_type") != "non_tax":
            continue
        total = round(tax["value"] + non_tax["value"], 2)
        low, high = 0.08 * total, 0.4 * total
        choices = [(digit, power) for power in range(-2, 4) for digit in range(2, 10)
                   if digit * 10.0 ** power < high and (digit + 1) * 10.0 ** power > low]
        if not choices or total < 0.1:
            continue
        digit = rng.choice(sorted({d for d, _ in choices}))
        power = rng.choice([p for d, p in choices if d == digit])
        start, end = max(low, digit * 10.0 ** power), min(high, (digit + 1) * 10.0 ** power)
        value = round(rng.uniform(start, end), 2)
        if not 0 < value < total or int(f"{value:.14e}"[0]) != digit:
            continue
        non_tax["value"] = value
        tax["value"] = round(total - value, 2)


def summary(events: Iterable[dict]) -> dict:
    """Counts and totals of an event stream, for docs, tests and a quick look."""
    by_metric: Counter = Counter()
    by_source: Counter = Counter()
    channels: Counter = Counter()
    ballots: Counter = Counter()
    levels: Counter = Counter()
    severities: Counter = Counter()
    totals: Counter = Counter()
    count, first, last = 0, None, None
    for event in events:
        count += 1
        metric, attributes = event["metric_code"], event["attributes"]
        by_metric[metric] += 1
        by_source[event["source"]] += 1
        first = min(first or event["reported_at"], event["reported_at"])
        last = max(last or event["reported_at"], event["reported_at"])
        if event["measurement_unit"] == "CNY_100M":
            totals[metric] += event["value"]
        if metric == "public_vote":
            channels[attributes["channel"]] += 1
            ballots[(event["unit_id"], attributes["channel"], attributes["voter_id"])] += 1
        elif metric == "commendation":
            levels[attributes["level"]] += 1
        elif metric == "safety_accident":
            severities[attributes["severity"]] += 1
    return {
        "events": count,
        "by_metric": dict(sorted(by_metric.items())),
        "by_source": dict(sorted(by_source.items())),
        "totals_cny_100m": {metric: round(total, 2) for metric, total in sorted(totals.items())},
        "votes_by_channel": dict(channels.most_common()),
        "duplicate_ballots": sum(n - 1 for n in ballots.values()),
        "commendations_by_level": dict(sorted(levels.items())),
        "safety_accidents_by_severity": dict(sorted(severities.items())),
        "first_reported_at": first,
        "last_reported_at": last,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print the demo city's metric events as JSON lines.")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--limit", type=int, default=None, help="print only the first N events")
    parser.add_argument("--summary", action="store_true", help="print the summary instead of the events")
    args = parser.parse_args(argv)
    stream = demo_events(build_city(args.seed), args.seed)
    if args.summary:
        print(json.dumps(summary(stream), ensure_ascii=False, indent=2))
        return 0
    for number, event in enumerate(stream):
        if args.limit is not None and number >= args.limit:
            break
        print(json.dumps(event, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
