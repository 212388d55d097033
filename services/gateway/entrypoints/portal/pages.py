"""What the result pages show, built from the backends' answers; the same
for the public view and the office's preview, except for which periods may
be shown (`visible`): the public sees only published periods, and a figure
that would let it work out an unpublished one (the change since an
unpublished period before) is left out."""
from __future__ import annotations

from collections.abc import Collection
from statistics import fmean

from jixiao.common.periods import PeriodError, parse_period

from . import charts, data
from .i18n import explanation, measurement_unit, name_of, period_label, pick, translate


def grade_charts(lang: str, scheme: data.Scheme, period: str, token: str | None) -> tuple[list[dict], dict[str, dict]]:
    """One grade-distribution chart per grading rule that gives grades, and every unit's grade by unit id."""
    charts_out, unit_grades = [], {}
    for rule in scheme.graded_rules():
        people = rule.get("subject") == "person"
        reply = data.grades(scheme.code, rule["code"], period, token, entries=not people)  # persons: the counts only
        names = {g["grade"]: g.get("name", {}) for g in rule.get("grades", [])}
        counts = [c for c in reply.get("counts", []) if c.get("count")]
        how_many = translate(lang, "people" if people else "units_count")
        bars = [charts.Bar(label=name_of(lang, names.get(c["grade"])) or str(c["grade"]), value=c["count"],
                           css=f"grade-{c['grade']}",
                           note=translate(lang, "chart_bar", label=name_of(lang, names.get(c["grade"])),
                                          value=f"{c['count']} {how_many}".strip()))
                for c in counts]
        rule_name = _rule_name(lang, scheme, rule)
        title = translate(lang, "grade_distribution_of", name=rule_name)
        charts_out.append({
            "code": rule["code"], "name": rule_name, "title": title, "people": people,
            "svg": charts.grade_distribution(bars, title, translate(lang, "grade_chart_desc")),
            "counts": [(name_of(lang, names.get(c["grade"])), c["count"]) for c in counts],
            "total": sum(c["count"] for c in counts),
        })
        if not people:
            for entry in reply.get("entries", []):
                unit_grades[entry["unit_id"]] = entry
    return charts_out, unit_grades


def _rule_name(lang: str, scheme: data.Scheme, rule: dict) -> str:
    key = f"grading_{rule['code']}"
    try:
        return translate(lang, key)
    except KeyError:
        pool = rule.get("pool", [])
        return "、".join(name_of(lang, scheme.category(c).get("name")) for c in pool) if lang == "zh" else \
            ", ".join(name_of(lang, scheme.category(c).get("name")) for c in pool)


def results(lang: str, scheme: data.Scheme, period: str, visible: Collection[str], token: str | None = None) -> dict:
    """Rankings per category with grades and changes, grade charts, movers, warnings."""
    grade_blocks, unit_grades = grade_charts(lang, scheme, period, token)
    bulletin = data.bulletin(scheme.code, period, token)
    comparable = bool(bulletin.get("previous_period")) and bulletin["previous_period"] in visible
    by_category = {c["category"]: c for c in bulletin.get("categories", [])}
    categories = []
    for category in scheme.categories:
        code = category["code"]
        rows = []
        entries = data.ranking(scheme.code, code, period, token)
        bulletin_rows = {e["unit_id"]: e for e in by_category.get(code, {}).get("ranking", [])}
        graded = scheme.unit_rule_for(code) is not None
        for e in entries:
            b = bulletin_rows.get(e["unit_id"], {})
            grade = unit_grades.get(e["unit_id"])
            rows.append({
                "rank": e["rank"], "unit_id": e["unit_id"], "name": pick(lang, e["unit_name_zh"], e["unit_name_en"]),
                "total": e["total"],
                "grade": name_of(lang, {"zh": grade.get("grade_name_zh", ""), "en": grade.get("grade_name_en", "")})
                if grade and grade.get("grade") else "",
                "grade_number": grade.get("grade", 0) if grade else 0,
                "capped": bool(grade and grade.get("capped")),
                "vs_previous": b.get("vs_previous") if comparable else None,
                "rank_change": (b["previous_rank"] - e["rank"]) if comparable and b.get("previous_rank") else None,
            })
        movers = by_category.get(code, {}) if comparable else {}
        categories.append({
            "code": code, "name": name_of(lang, category.get("name")), "rows": rows, "graded": graded,
            "risers": [_mover(lang, m) for m in movers.get("risers", [])],
            "fallers": [_mover(lang, m) for m in movers.get("fallers", [])],
        })
    return {
        "categories": categories, "grade_charts": grade_blocks,
        "previous_period": bulletin.get("previous_period", "") if comparable else "",
        "warnings": len(bulletin.get("warnings", [])),
    }


def _mover(lang: str, entry: dict) -> dict:
    return {"unit_id": entry["unit_id"], "name": pick(lang, entry["unit_name_zh"], entry["unit_name_en"]),
            "rank": entry["rank"], "previous_rank": entry.get("previous_rank", 0),
            "change": entry.get("previous_rank", 0) - entry["rank"] if entry.get("previous_rank") else 0}


def progress_rows(lang: str, scheme: data.Scheme, reply: dict, unit_id: str | None = None) -> list[dict]:
    names = scheme.indicator_names()
    rows = []
    for e in reply.get("entries", []):
        if unit_id and e["unit_id"] != unit_id:
            continue
        indicator = name_of(lang, names.get(e["indicator_code"])) or e["indicator_code"]
        rows.append({
            "unit_id": e["unit_id"], "unit": pick(lang, e["unit_name_zh"], e["unit_name_en"]), "indicator": indicator,
            "actual": e["actual"], "target": e["target"], "measurement_unit": measurement_unit(lang, e.get("measurement_unit", "")),
            "actual_share": e["actual_share"], "expected_share": e["expected_share"], "gap": e["gap"],
            "warning": e["warning"],
            "bullet": charts.progress_bullet(e["actual_share"], e["expected_share"], e["warning"],
                                             f"{indicator}: {e['actual_share']:.0%} / {e['expected_share']:.0%}"),
        })
    rows.sort(key=lambda r: (not r["warning"], -r["gap"]))
    return rows


def progress_page(lang: str, scheme: data.Scheme, period: str, warnings_only: bool, token: str | None = None) -> dict:
    reply = data.progress(scheme.code, period, token)
    rows = progress_rows(lang, scheme, reply)
    return {
        "as_of": reply.get("as_of", ""), "tolerance": reply.get("tolerance", 0.0),
        "rows": [r for r in rows if r["warning"] or not warnings_only],
        "warning_count": sum(1 for r in rows if r["warning"]), "all_count": len(rows),
    }


def unit_page(lang: str, scheme: data.Scheme, unit_id: str, period: str, visible: Collection[str],
              token: str | None = None) -> dict:
    score = data.unit_score(scheme.code, unit_id, period, token)
    category = scheme.category(score["category"])
    names = scheme.indicator_names()
    dimensions = score.get("dimensions", [])
    dim_names = {d["code"]: pick(lang, d["name_zh"], d["name_en"]) for d in dimensions}
    dim_bars = [charts.Bar(label=pick(lang, d["name_zh"], d["name_en"]), value=d["score"],
                           css="additive" if not d["weight"] else "weighted") for d in dimensions]
    indicators = []
    for r in score.get("indicators", []):
        indicators.append({
            "code": r["indicator_code"], "name": name_of(lang, names.get(r["indicator_code"])) or r["indicator_code"],
            "dimension": dim_names.get(r.get("dimension", ""), r.get("dimension", "")),
            "dimension_code": r.get("dimension", ""),
            "ok": r["status"] == "ok", "reason": r.get("reason", ""), "raw_value": r["raw_value"],
            "achievement": r["achievement"], "points": r["points"], "weight": r["weight"],
            "explanation": explanation(lang, r.get("explanation", "")), "formula": r.get("formula", ""),
            "plugin_version": r.get("plugin_version", ""), "evidence": len(r.get("evidence_event_ids", [])),
        })
    order = {d["code"]: i for i, d in enumerate(dimensions)}
    indicators.sort(key=lambda i: (order.get(i["dimension_code"], len(order)), -i["weight"], i["code"]))
    ranking = data.ranking(scheme.code, score["category"], period, token)
    grade = None
    rule = scheme.unit_rule_for(score["category"])
    if rule:
        graded = data.grades(scheme.code, rule["code"], period, token)
        grade = next((g for g in graded.get("entries", []) if g["unit_id"] == unit_id), None)
    comparisons = []
    if score.get("previous_period") in visible and score.get("vs_previous") is not None:
        comparisons.append(translate(lang, "vs_previous", period=period_label(lang, score["previous_period"])) +
                           f" {score['vs_previous']:+.2f}")
    if score.get("last_year_period") in visible and score.get("vs_last_year") is not None:
        comparisons.append(translate(lang, "vs_last_year", period=period_label(lang, score["last_year_period"])) +
                           f" {score['vs_last_year']:+.2f}")
    team = score.get("leadership_team")
    return {
        "unit_id": unit_id, "name": pick(lang, score["unit_name_zh"], score["unit_name_en"]),
        "other_name": pick("en" if lang == "zh" else "zh", score["unit_name_zh"], score["unit_name_en"]),
        "category": name_of(lang, category.get("name")), "category_code": score["category"],
        "total": score["total"], "rank": score["rank"], "size": len(ranking),
        "grade": name_of(lang, {"zh": grade.get("grade_name_zh", ""), "en": grade.get("grade_name_en", "")})
        if grade and grade.get("grade") else "",
        "capped_reason": grade.get("reason", "") if grade and grade.get("capped") else "",
        "comparisons": comparisons,
        "dimensions": [{"name": pick(lang, d["name_zh"], d["name_en"]), "weight": d["weight"], "score": d["score"]}
                       for d in dimensions],
        "dimension_chart": charts.dimension_bars(dim_bars, translate(lang, "dimensions"), translate(lang, "dim_chart_desc")),
        "indicators": indicators,
        "state": data.short_state(score.get("period_state", "")),
        "self_evaluation": score.get("self_evaluation"),
        "team": {
            "name": name_of(lang, {"zh": team.get("name_zh", ""), "en": team.get("name_en", "")}), "score": team.get("score", 0.0),
            "members": [{"name": pick(lang, m["name_zh"], scheme.person_pinyin(m["person_id"])),
                         "position": pick(lang, m.get("position_zh", ""), m.get("position_en", "")),
                         "total": m.get("total", 0.0)} for m in team.get("members", [])],
        } if team else None,
    }


def trend(lang: str, scheme: data.Scheme, unit_id: str, category: str, quarters: list[str], token: str | None = None) -> dict:
    """The unit's total in each given quarter against its peer group's mean and best."""
    mine, mean, best = [], [], []
    for quarter in quarters:
        entries = data.ranking(scheme.code, category, quarter, token)
        totals = [e["total"] for e in entries]
        mine.append(next((e["total"] for e in entries if e["unit_id"] == unit_id), None))
        mean.append(fmean(totals) if totals else None)
        best.append(max(totals) if totals else None)
    labels = [f"Q{q[-1]}" if lang == "en" else f"{'一二三四'[int(q[-1]) - 1]}季度" for q in quarters]
    rows = [{"period": period_label(lang, q), "mine": m, "mean": a, "best": b} for q, m, a, b in zip(quarters, mine, mean, best, strict=True)]
    svg = charts.trend_lines(labels, [
        charts.Series(translate(lang, "this_unit"), mine, "mine"),
        charts.Series(translate(lang, "peer_mean"), mean, "mean"),
        charts.Series(translate(lang, "peer_best"), best, "best"),
    ], translate(lang, "trend"), translate(lang, "trend_chart_desc")) if quarters else None
    return {"svg": svg, "rows": rows}


def quarters_of(periods: Collection[str], year: int) -> list[str]:
    """The quarters of `year` among `periods`, in order."""
    out = []
    for text in periods:
        try:
            period = parse_period(text)
        except PeriodError:
            continue
        if period.kind == "quarter" and period.start.year == year:
            out.append(text)
    return sorted(out)
