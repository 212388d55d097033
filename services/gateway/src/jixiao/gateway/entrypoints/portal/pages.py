"""What the result pages show, built from the backends' answers; the same
for the public view and the office's preview, except for which periods may
be shown (`visible`): the public sees only published periods, and a figure
that would let it work out an unpublished one (the change since an
unpublished period before) is left out."""
from __future__ import annotations

from collections.abc import Collection
from statistics import fmean

from flask_babel import gettext, ngettext

from jixiao_sdk.periods import PeriodError

from ...adapters.backend_errors import NotFound, Unimplemented
from ...domain.review_states import state_of
from . import charts, data
from .i18n import (
    benford_label,
    bilingual_parts,
    explanation,
    finding_label,
    list_separator,
    measurement_unit,
    name_of,
    page_calendar,
    period_label,
    pick,
    quarter_label,
    severity_label,
    span_label,
)


def grade_charts(lang: str, scheme: data.Scheme, period: str, token: str | None) -> tuple[list[dict], dict[str, dict]]:
    """One grade-distribution chart per grading rule that gives grades, and every unit's grade by unit id.
    A rule that does not grade the period gives its reason instead of a chart ("本期不评定等次…"),
    and its units no grade; entries of a tie the office has not resolved are counted apart."""
    charts_out, unit_grades = [], {}
    for rule in scheme.graded_rules():
        people = rule.get("subject") == "person"
        reply = data.grades(scheme.code, rule["code"], period, token, entries=not people)  # persons: the counts only
        if not reply.get("graded", True):
            name = _rule_name(lang, scheme, rule)
            charts_out.append({"code": rule["code"], "name": name, "title": _grade_distribution_of(name),
                               "people": people, "svg": None, "counts": [], "total": 0, "pending": 0,
                               "not_graded": pick(lang, reply.get("not_graded_reason_zh", ""),
                                                  reply.get("not_graded_reason_en", ""))})
            continue
        names = {g["grade"]: g.get("name", {}) for g in rule.get("grades", [])}
        counts = [c for c in reply.get("counts", []) if c.get("count")]
        bars = [charts.Bar(label=name_of(lang, names.get(c["grade"])) or str(c["grade"]), value=c["count"],
                           css=f"grade-{c['grade']}", note=_bar_note(name_of(lang, names.get(c["grade"])), c["count"], people))
                for c in counts]
        rule_name = _rule_name(lang, scheme, rule)
        title = _grade_distribution_of(rule_name)
        charts_out.append({
            "code": rule["code"], "name": rule_name, "title": title, "people": people,
            "svg": charts.grade_distribution(bars, title, gettext("Bar chart, one bar per grade, height = how many.")),
            "counts": [(name_of(lang, names.get(c["grade"])), c["count"]) for c in counts],
            "total": sum(c["count"] for c in counts),
            "pending": sum(len(tie["ids"]) for tie in reply.get("ties", []) if not tie.get("resolved")),
            "not_graded": "",
        })
        if not people:
            for entry in reply.get("entries", []):
                unit_grades[entry["unit_id"]] = entry
    return charts_out, unit_grades


def _grade_distribution_of(name: str) -> str:
    return gettext("Grade distribution: %(name)s", name=name)


def _bar_note(grade: str, count: int, people: bool) -> str:
    """A grade's bar on hover: '一等：3 人' / 'First: 3 people'."""
    if people:
        return ngettext("%(grade)s: %(num)d person", "%(grade)s: %(num)d people", count, grade=grade)
    return ngettext("%(grade)s: %(num)d unit", "%(grade)s: %(num)d units", count, grade=grade)


def _places(grade: str, slots: int, people: bool) -> str:
    """The places of a grade to decide in a tie: '一等 2 人' / 'First 2 people'."""
    if people:
        return ngettext("%(grade)s %(num)d person", "%(grade)s %(num)d people", slots, grade=grade)
    return ngettext("%(grade)s %(num)d unit", "%(grade)s %(num)d units", slots, grade=grade)


def ties(lang: str, scheme: data.Scheme, period: str, token: str | None) -> list[dict]:
    """For the office's desk: per rule grading the period, its ties at a grade boundary (并列),
    unresolved first, each with its entries, the places to decide and any resolution."""
    persons = {p["id"]: p for p in scheme.document.get("persons", [])}
    blocks = []
    for rule in scheme.rules_grading(period):
        people = rule.get("subject") == "person"
        reply = data.grades(scheme.code, rule["code"], period, token, entries=False)
        names = {g["grade"]: g.get("name", {}) for g in rule.get("grades", [])}
        found = []
        for tie in reply.get("ties", []):
            decided = dict(zip(tie["ids"], tie.get("resolved_grades", []), strict=False)) if tie.get("resolved") else {}
            members = [{"id": i, "name": _subject_name(lang, scheme, persons, i, people), "grade": decided.get(i, 0)}
                       for i in tie["ids"]]
            grades = [{"grade": g, "name": name_of(lang, names.get(g)) or str(g), "slots": n}
                      for g, n in zip(tie["grades"], tie["slots"], strict=True)]
            found.append({
                "ids": ",".join(tie["ids"]), "total": tie["total"],
                "members": members, "grades": grades, "resolved": bool(tie.get("resolved")),
                "places": list_separator().join(_places(g["name"], g["slots"], people) for g in grades),
                "order": list_separator().join(_subject_name(lang, scheme, persons, i, people) for i in tie.get("order", [])),
                "by": tie.get("resolved_by", ""), "at": tie.get("resolved_at", ""), "reason": tie.get("reason", ""),
            })
        found.sort(key=lambda t: t["resolved"])
        blocks.append({"code": rule["code"], "name": _rule_name(lang, scheme, rule), "people": people, "ties": found,
                       "pending": sum(1 for t in found if not t["resolved"])})
    return blocks


def pending_ties(scheme: data.Scheme, period: str, token: str | None) -> int:
    """How many ties at a grade boundary of the period the office has not resolved."""
    return sum(sum(1 for tie in data.grades(scheme.code, rule["code"], period, token, entries=False).get("ties", [])
                   if not tie.get("resolved")) for rule in scheme.rules_grading(period))


def _subject_name(lang: str, scheme: data.Scheme, persons: dict, subject_id: str, people: bool) -> str:
    if people:
        person = persons.get(subject_id, {})
        name = pick(lang, person.get("name_zh", ""), person.get("name_pinyin", "")) or subject_id
        unit = name_of(lang, (scheme.unit(person.get("unit", "")) or {}).get("name"))
        return gettext("%(name)s (%(unit)s)", name=name, unit=unit)
    unit = scheme.unit(subject_id) or {}
    return name_of(lang, unit.get("name")) or subject_id


def rule_name(lang: str, scheme: data.Scheme, rule: dict) -> str:
    """A grading rule's name: the portal's own for the demo's rules, else its pool's categories."""
    return _rule_name(lang, scheme, rule)


def _rule_name(lang: str, scheme: data.Scheme, rule: dict) -> str:
    own = {"departments": gettext("Municipal departments"), "leaders": gettext("Leaders"),
           "district_county": gettext("Districts and counties")}
    if rule["code"] in own:
        return own[rule["code"]]
    return list_separator().join(name_of(lang, scheme.category(c).get("name")) for c in rule.get("pool", []))


def results(lang: str, scheme: data.Scheme, period: str, visible: Collection[str], token: str | None = None) -> dict:
    """Rankings per category with grades and changes, grade charts, movers, warnings."""
    grade_blocks, unit_grades = grade_charts(lang, scheme, period, token)
    not_graded = {block["code"] for block in grade_blocks if block["not_graded"]}
    bulletin = data.bulletin(scheme.code, period, token)
    comparable = bool(bulletin.get("previous_period")) and bulletin["previous_period"] in visible
    by_category = {c["category"]: c for c in bulletin.get("categories", [])}
    categories = []
    basis = ""
    for category in scheme.categories:
        code = category["code"]
        rows = []
        reply = data.ranking_reply(scheme.code, code, period, token)
        entries = reply.get("entries", [])
        basis = basis or explanation(lang, reply.get("basis", ""))
        bulletin_rows = {e["unit_id"]: e for e in by_category.get(code, {}).get("ranking", [])}
        rule = scheme.unit_rule_for(code)
        graded = rule is not None and rule["code"] not in not_graded
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
                "tie_pending": bool(grade and grade.get("tie_pending")),
                "vs_previous": b.get("vs_previous") if comparable else None,
                "rank_change": (b["previous_rank"] - e["rank"]) if comparable and b.get("previous_rank") else None,
                "gaps": e.get("gaps", 0) if e.get("incomplete") else 0,
            })
        movers = by_category.get(code, {}) if comparable else {}
        categories.append({
            "code": code, "name": name_of(lang, category.get("name")), "rows": rows, "graded": graded,
            "risers": [_mover(lang, m) for m in movers.get("risers", [])],
            "fallers": [_mover(lang, m) for m in movers.get("fallers", [])],
        })
    return {
        "categories": categories, "grade_charts": grade_blocks, "basis": basis,
        "previous_period": bulletin.get("previous_period", "") if comparable else "",
        "warnings": len(bulletin.get("warnings", [])),
    }


def bulletin_page(lang: str, scheme: data.Scheme, period: str, visible: Collection[str], token: str | None = None) -> dict:
    """The bulletin (通报) as an office prints it: per category the ranking with its changes
    since the last bulletin, the key indicators (重点指标完成情况) and the warnings."""
    report = data.bulletin(scheme.code, period, token)
    previous = report.get("previous_period", "")
    comparable = bool(previous) and previous in visible
    names = scheme.indicator_names()
    warnings = progress_rows(lang, scheme, {"entries": report.get("warnings", [])})
    categories = []
    for c in report.get("categories", []):
        members = {u["id"] for u in scheme.units_of(c["category"])}
        ranking = [{
            "rank": e["rank"], "unit_id": e["unit_id"], "name": pick(lang, e["unit_name_zh"], e["unit_name_en"]),
            "total": e["total"], "gaps": e.get("gaps", 0) if e.get("incomplete") else 0,
            "vs_previous": e.get("vs_previous") if comparable else None,
            "previous_rank": e.get("previous_rank", 0) if comparable else 0,
            "rank_change": e["previous_rank"] - e["rank"] if comparable and e.get("previous_rank") else None,
        } for e in c.get("ranking", [])]
        indicators = []
        for k in c.get("key_indicators", []):
            rows = [{
                "rank": r["rank"], "unit_id": r["unit_id"], "name": pick(lang, r["unit_name_zh"], r["unit_name_en"]),
                "year_to_date": r["year_to_date"], "plan": r["annual_plan"], "completion": r["completion"],
                "expected": r["expected_share"], "ahead": r["ahead_points"], "warning": r["warning"],
                "previous_rank": r.get("previous_rank", 0) if comparable else 0,
                "rank_change": r["previous_rank"] - r["rank"] if comparable and r.get("previous_rank") else None,
                "vs_previous_points": r.get("vs_previous_points") if comparable else None,
                "last_year": r.get("last_year_to_date"), "vs_last_year": r.get("vs_last_year"),
                "gaps": r.get("gaps", 0) if r.get("incomplete") else 0,
            } for r in k.get("rows", [])]
            indicators.append({
                "code": k["indicator_code"],
                "name": name_of(lang, names.get(k["indicator_code"])) or pick(lang, k["name_zh"], k["name_en"]),
                "measurement_unit": measurement_unit(lang, k.get("measurement_unit", "")), "rows": rows,
                "year_on_year": any(r["vs_last_year"] is not None for r in rows),
            })
        categories.append({
            "code": c["category"], "name": pick(lang, c.get("name_zh", ""), c.get("name_en", "")) or c["category"],
            "ranking": ranking, "key_indicators": indicators,
            "risers": [_mover(lang, m) for m in c.get("risers", [])] if comparable else [],
            "fallers": [_mover(lang, m) for m in c.get("fallers", [])] if comparable else [],
            "warnings": [w for w in warnings if w["unit_id"] in members],
            "incomplete": sum(1 for e in ranking if e["gaps"]),
        })
    as_of = _end_of(period)
    return {"period": period, "previous_period": previous if comparable else "", "uncompared": previous if not comparable else "",
            "as_of": as_of, "span": span_label(lang, period), "categories": categories, "warning_count": len(warnings),
            "incomplete": any(c["incomplete"] for c in categories)}


def completeness_rows(lang: str, scheme: data.Scheme, reply: dict) -> list[dict]:
    """The office's list of missing figures: unit, metric (with who reports it and the
    indicators consuming it), and the periods missing."""
    names = scheme.indicator_names()
    sources = {}
    for source in scheme.document.get("sources", []):
        for metric in source.get("metrics", []):
            sources.setdefault(metric, []).append(name_of(lang, source.get("name")) or source.get("code", ""))
    return [{
        "unit_id": g["unit_id"], "unit": pick(lang, g["unit_name_zh"], g["unit_name_en"]), "metric": g["metric_code"],
        "indicators": list_separator().join(name_of(lang, names.get(code)) or code for code in g.get("indicator_codes", [])),
        "sources": list_separator().join(sources.get(g["metric_code"], [])),
        "periods": [period_label(lang, p) for p in g.get("missing_periods", [])],
    } for g in reply.get("gaps", [])]


def source_names(lang: str, scheme: data.Scheme) -> dict[str, str]:
    """Source code → its name in the page's language (the code when it has none)."""
    return {s.get("code", ""): name_of(lang, s.get("name")) or s.get("code", "")
            for s in scheme.document.get("sources", [])}


def benford_rows(lang: str, scheme: data.Scheme, reply: dict) -> list[dict]:
    """Benford's first-digit test of each source's amounts per year, whatever its outcome:
    source, year, outcome, how many amounts, and why in the page's language."""
    sources = source_names(lang, scheme)
    return [{"source": sources.get(test.get("source", ""), test.get("source", "")), "status": test.get("status", ""),
             "status_label": benford_label(test.get("status", "")),
             "period_label": period_label(lang, test.get("period", "")), "count": int(test.get("count", 0)),
             "reason": pick(lang, test.get("reason_zh", ""), test.get("reason_en", ""))}
            for test in reply.get("benford_tests", [])]


def finding_rows(lang: str, scheme: data.Scheme, reply: dict) -> list[dict]:
    """The office's list of findings (疑点): severity, unit (the source, for a Benford finding),
    metric, period (a run: first to last month), the message in the page's language, how
    many events it rests on, and the office's review of it."""
    sources = source_names(lang, scheme)
    joiner = list_separator()
    rows = []
    for f in reply.get("findings", []):
        unit = pick(lang, f.get("unit_name_zh", ""), f.get("unit_name_en", "")) or f.get("unit_id", "")
        other = scheme.unit(f.get("other_unit_id", "")) if f.get("other_unit_id") else None
        if other:
            unit = joiner.join((unit, name_of(lang, other.get("name")) or other["id"]))
        if not unit:
            unit = sources.get(f.get("source", ""), f.get("source", ""))
        label = period_label(lang, f["period"])
        if f.get("period_to"):
            label = gettext("%(first)s – %(last)s", first=label, last=period_label(lang, f["period_to"]))
        rows.append({
            "key": f["key"], "severity": f["severity"], "severity_label": severity_label(f["severity"]),
            "kind": pick(lang, f.get("kind_name_zh", ""), f.get("kind_name_en", "")) or f["kind"],
            "unit_id": f.get("unit_id", ""), "unit": unit, "metric": f.get("metric_code", ""), "period": f["period"],
            "period_label": label, "message": pick(lang, f.get("message_zh", ""), f.get("message_en", "")),
            "evidence": len(f.get("evidence_event_ids", [])), "state": f["state"],
            "state_label": finding_label(f["state"]), "comment": f.get("comment", ""),
            "marked_by": f.get("marked_by", ""), "marked_at": f.get("marked_at", ""), "found_now": f.get("found_now", True),
        })
    return rows


def _end_of(period: str) -> str:
    try:
        return page_calendar().parse(period).end.isoformat()
    except PeriodError:
        return ""


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
    dim_rows = dimension_rows(lang, dimensions)
    dim_bars = [charts.Bar(label=d["name"], value=d["score"],
                           css=("additive" if d["additive"] else "weighted") + ("" if d["assessed"] else " not-assessed"),
                           text="" if d["assessed"] else gettext("not assessed this period"))
                for d in dim_rows]
    sub_year = _kind(period) != "year"  # a year's result is its year-to-date result: no label needed
    indicators = []
    for r in score.get("indicators", []):
        indicators.append({
            "code": r["indicator_code"], "name": name_of(lang, names.get(r["indicator_code"])) or r["indicator_code"],
            "dimension": dim_names.get(r.get("dimension", ""), r.get("dimension", "")),
            "dimension_code": r.get("dimension", ""),
            "ok": r["status"] == "ok", "reason": explanation(lang, r.get("reason", "")), "raw_value": r["raw_value"],
            "achievement": r["achievement"], "points": r["points"], "weight": r["weight"],
            "explanation": explanation(lang, r.get("explanation", "")), "formula": r.get("formula", ""),
            "plugin_version": r.get("plugin_version", ""), "evidence": len(r.get("evidence_event_ids", [])),
            "year_to_date": sub_year and r.get("period_basis") == "year_to_date",
            "counted": r.get("counted", True),
        })
    order = {d["code"]: i for i, d in enumerate(dimensions)}
    indicators.sort(key=lambda i: (order.get(i["dimension_code"], len(order)), -i["weight"], i["code"]))
    ranking = data.ranking(scheme.code, score["category"], period, token)
    grade, grade_note = None, ""
    rule = scheme.unit_rule_for(score["category"])
    if rule:
        graded = data.grades(scheme.code, rule["code"], period, token)
        grade = next((g for g in graded.get("entries", []) if g["unit_id"] == unit_id), None)
        if not graded.get("graded", True):  # e.g. a quarter of a rule grading the year only
            grade_note = pick(lang, graded.get("not_graded_reason_zh", ""), graded.get("not_graded_reason_en", ""))
        elif grade and grade.get("tie_pending"):
            grade_note = gettext("Tie pending")
    comparisons = []
    if score.get("previous_period") in visible and score.get("vs_previous") is not None:
        comparisons.append(gettext("vs %(period)s", period=period_label(lang, score["previous_period"])) +
                           f" {score['vs_previous']:+.2f}")
    if score.get("last_year_period") in visible and score.get("vs_last_year") is not None:
        comparisons.append(gettext("vs same period last year %(period)s", period=period_label(lang, score["last_year_period"])) +
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
        "grade_note": grade_note,
        "comparisons": comparisons,
        "basis": explanation(lang, score.get("basis", "")) if score.get("partial") else "",
        "dimensions": dim_rows,
        # Both weights when this period's differ from the scheme's (a dimension not assessed, renormalised).
        "period_weights": any(not d["additive"] and abs(d["weight"] - d["period_weight"]) > 1e-9 for d in dim_rows),
        "dimension_chart": charts.dimension_bars(dim_bars, gettext("Dimension scores"), gettext(
            "Bar chart, one bar per dimension, length = the dimension's score (out of 100); a dimension not assessed "
            "this period has no bar.")),
        "missing": [{
            "code": m["indicator_code"], "name": name_of(lang, names.get(m["indicator_code"])) or m["indicator_code"],
            "dimension": dim_names.get(m.get("dimension", ""), m.get("dimension", "")),
            "reason": explanation(lang, m.get("reason", "")),
            "counted_as": gettext("left out, the other weights renormalised") if m.get("counted_as") == "excluded"
            else gettext("counted as 0"),
        } for m in score.get("missing", [])],
        "indicators": indicators,
        "state": state_of(score.get("period_state", "")),
        "self_evaluation": _self_evaluation(lang, names, score.get("self_evaluation")),
        "team": team_table(lang, scheme, team, period, token) if team else None,
    }


def _self_evaluation(lang: str, names: dict, found: dict | None) -> dict | None:
    """The unit's self-evaluation with its indicators named (the office's unit page)."""
    if not found:
        return None
    return {**found, "indicators": [{**c, "name": name_of(lang, names.get(c["indicator_code"])) or c["indicator_code"]}
                                    for c in found.get("indicators", [])]}


def dimension_rows(lang: str, dimensions: list[dict]) -> list[dict]:
    """A unit's dimensions with the scheme's weight and this period's: a dimension the
    period does not assess has no score to show (its 0 is not a result)."""
    return [{
        "code": d["code"], "name": pick(lang, d["name_zh"], d["name_en"]), "additive": not d["weight"],
        "weight": d["weight"], "period_weight": d.get("period_weight", d["weight"]),
        "assessed": d.get("assessed", True), "score": d["score"],
        # a renormalised weight may not be a whole percentage (0.3 / 0.7 = 42.9 %)
        "period_digits": 0 if abs(d.get("period_weight", 0.0) * 100 - round(d.get("period_weight", 0.0) * 100)) < 0.05 else 1,
    } for d in dimensions]


def team_table(lang: str, scheme: data.Scheme, team: dict, period: str, token: str | None) -> dict:
    """The leadership team's members and totals, with why this period's weights differ
    from the scheme's (a quarter without personal evaluation: each total is the unit's).
    A person's `note` is the total in words, then (after "; ") the why; a why every
    member shares is one footnote, otherwise each footnote is marked on its members."""
    members, notes = [], []
    for m in team.get("members", []):
        try:
            note = _why(lang, data.person_score(scheme.code, m["person_id"], period, token).get("note", ""))
        except Unimplemented:
            note = ""
        except NotFound:  # no score for the person yet: the table reads without a note
            note = ""
        if note and note not in notes:
            notes.append(note)
        members.append({"person_id": m["person_id"], "name": pick(lang, m["name_zh"], scheme.person_pinyin(m["person_id"])),
                        "position": pick(lang, m.get("position_zh", ""), m.get("position_en", "")),
                        "total": m.get("total", 0.0), "note": notes.index(note) + 1 if note else 0})
    shared = bool(notes) and len(notes) == 1 and all(m["note"] for m in members)
    return {
        "name": name_of(lang, {"zh": team.get("name_zh", ""), "en": team.get("name_en", "")}), "score": team.get("score", 0.0),
        "members": [{**m, "note": 0} for m in members] if shared else members,
        "notes": [gettext("Note: %(note)s.", note=_sentence(lang, n)) for n in notes],
        "marked": not shared,
    }


def person_page(lang: str, scheme: data.Scheme, person_id: str, period: str, token: str | None = None) -> dict:
    """A leader's page: the total and how it is made (the unit's part, the personal evaluation
    with its explanation — the raters' groups —, the leader's own deductions, a veto)."""
    score = data.person_score(scheme.code, person_id, period, token)
    category = (scheme.unit(score["unit_id"]) or {}).get("category", "")
    rule = next((r for r in scheme.graded_rules() if r.get("subject") == "person" and category in r.get("pool", [])),
                None)
    grade, grade_note, ranked = None, "", 0
    if rule:
        graded = data.grades(scheme.code, rule["code"], period, token)
        grade = next((g for g in graded.get("entries", []) if g.get("person_id") == person_id), None)
        ranked = len(graded.get("entries", []))
        if not graded.get("graded", True):  # e.g. a quarter of a rule grading the year only
            grade_note = pick(lang, graded.get("not_graded_reason_zh", ""), graded.get("not_graded_reason_en", ""))
        elif grade and grade.get("tie_pending"):
            grade_note = gettext("Tie pending")
    return {
        "grade": name_of(lang, {"zh": grade.get("grade_name_zh", ""), "en": grade.get("grade_name_en", "")})
        if grade and grade.get("grade") else "",
        "rank": grade.get("rank", 0) if grade else 0, "ranked": ranked, "grade_note": grade_note,
        "capped_reason": explanation(lang, grade.get("reason", "")) if grade and grade.get("capped") else "",
        "person_id": person_id, "name": pick(lang, score["name_zh"], scheme.person_pinyin(person_id)) or person_id,
        "position": pick(lang, score.get("position_zh", ""), score.get("position_en", "")),
        "unit_id": score["unit_id"],
        "unit_name": name_of(lang, (scheme.unit(score["unit_id"]) or {}).get("name")) or score.get("unit_name_zh", ""),
        "total": score["total"], "unit_total": score["unit_total"], "unit_weight": score["unit_weight"],
        "personal_points": score["personal_points"], "personal_weight": score["personal_weight"],
        "personal_ok": score.get("personal_status") == "ok",
        "explanation": explanation(lang, score.get("explanation", "")),
        "note": explanation(lang, score.get("note", "")),
        "deduction_points": score.get("deduction_points", 0.0),
        "deduction_explanation": explanation(lang, score.get("deduction_explanation", "")),
        "veto_cap": score.get("veto_cap", 0), "veto_reason": explanation(lang, score.get("veto_reason", "")),
        "state": state_of(score.get("period_state", "")),
    }


def _why(lang: str, note: str) -> str:
    """The why of a person's note, without the total in words that comes first."""
    parts = bilingual_parts(note)[1:]
    return ("; " if lang == "en" else "；").join(en if lang == "en" else zh for zh, en in parts)


def _sentence(lang: str, text: str) -> str:
    return text[:1].upper() + text[1:] if lang == "en" else text


def _kind(period: str) -> str:
    try:
        return page_calendar().parse(period).kind
    except PeriodError:
        return ""


def trend(lang: str, scheme: data.Scheme, unit_id: str, category: str, quarters: list[str], token: str | None = None) -> dict:
    """The unit's total in each given quarter against its peer group's mean and best."""
    mine, mean, best = [], [], []
    for quarter in quarters:
        entries = data.ranking(scheme.code, category, quarter, token)
        totals = [e["total"] for e in entries]
        mine.append(next((e["total"] for e in entries if e["unit_id"] == unit_id), None))
        mean.append(fmean(totals) if totals else None)
        best.append(max(totals) if totals else None)
    labels = [quarter_label(lang, q) for q in quarters]
    rows = [{"period": period_label(lang, q), "mine": m, "mean": a, "best": b} for q, m, a, b in zip(quarters, mine, mean, best, strict=True)]
    svg = charts.trend_lines(labels, [
        charts.Series(gettext("This unit"), mine, "mine"),
        charts.Series(gettext("Peer average"), mean, "mean"),
        charts.Series(gettext("Peer best"), best, "best"),
    ], gettext("Quarterly trend against peers"),
        gettext("Line chart: this unit's total per quarter against the peer average and the peer best.")) if quarters else None
    return {"svg": svg, "rows": rows}


def quarters_of(periods: Collection[str], year: int) -> list[str]:
    """The quarters of `year` (by the page's calendar) among `periods`, in order."""
    out = []
    for text in periods:
        try:
            period = page_calendar().parse(text)
        except PeriodError:
            continue
        if period.kind == "quarter" and period.year == year:
            out.append(text)
    return sorted(out)
