"""What the office's simulation page (simulation_desk.py) shows, in the page's language: the
form's choices from the scheme (periods, units by category, indicators, categories,
dimensions, ratio grading rules and their grades), the answer's units and leaders that
differ, and the record of simulations asked with each change in short."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from flask_babel import gettext, pgettext

from jixiao_sdk.periods import PeriodError

from . import data, i18n, pages

MAX_LEADERS_SHOWN = 200  # a weight of a big category can move the totals of hundreds of leaders


def kind_label(kind: str) -> str:
    """A kind of change (数据 figure, 目标 target, 权重 weight, 等次比例 ratio)."""
    labels = {"figure": pgettext("simulation change", "Figure"), "target": pgettext("simulation change", "Target"),
              "weight": pgettext("simulation change", "Weight"), "ratio": pgettext("simulation change", "Grade ratio")}
    return labels.get(kind, kind)


@dataclass
class Choices:
    """The scheme's codes the form offers, each with its name in the page's language."""

    periods: list[str]  # newest first: the year, its quarters and months
    year: str
    units: list[tuple[str, list[tuple[str, str]]]]  # (category's name, [(unit id, name)])
    indicators: list[tuple[str, str]]
    metrics: list[str]
    categories: list[tuple[str, str]]
    dimensions: list[tuple[str, str]]
    rules: list[tuple[str, str]]  # the ratio grading rules of units
    grades: list[tuple[int, str]]  # the grade numbers of those rules, with a label
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # "unit" → {id: name}, "indicator", …

    @property
    def grade_numbers(self) -> list[int]:
        return [number for number, _ in self.grades]

    def name(self, what: str, code: str) -> str:
        return self.names.get(what, {}).get(code, code)


def choices(lang: str, scheme: data.Scheme) -> Choices:
    periods = data.year_periods(scheme.year)
    year = next((p for p in periods if _kind(scheme, p) == "year"), str(scheme.year))
    document = scheme.document
    categories = [(c["code"], i18n.name_of(lang, c.get("name")) or c["code"]) for c in scheme.categories]
    units = [(name, [(u["id"], i18n.name_of(lang, u.get("name")) or u["id"]) for u in scheme.units_of(code)])
             for code, name in categories]
    indicators = [(i["code"], i18n.name_of(lang, i.get("name")) or i["code"]) for i in document.get("indicators", [])]
    dimensions = [(d["code"], i18n.name_of(lang, d.get("name")) or d["code"]) for d in document.get("dimensions", [])]
    ratio_rules = [r for r in scheme.grading
                   if r.get("method") == "ratio" and r.get("subject", "unit") == "unit" and r.get("grades")]
    rules = [(r["code"], pages.rule_name(lang, scheme, r)) for r in ratio_rules]
    grade_names: dict[int, set[str]] = {}
    for rule in ratio_rules:
        for grade in rule["grades"]:
            grade_names.setdefault(int(grade["grade"]), set()).add(i18n.name_of(lang, grade.get("name")))
    grades = [(number, next(iter(names)) if len(names) == 1 and "" not in names
               else pgettext("simulation", "Grade %(n)s", n=number))
              for number, names in sorted(grade_names.items())]
    names = {"unit": {u: n for _, members in units for u, n in members}, "indicator": dict(indicators),
             "category": dict(categories), "dimension": dict(dimensions), "rule": dict(rules),
             "grade": {str(number): label for number, label in grades}}
    return Choices(periods=periods, year=year, units=units, indicators=indicators,
                   metrics=sorted(m["code"] for m in document.get("metrics", []) if m.get("code")),
                   categories=categories, dimensions=dimensions, rules=rules, grades=grades, names=names)


def _kind(scheme: data.Scheme, period: str) -> str:
    try:
        return scheme.calendar.parse(period).kind
    except PeriodError:
        return ""


def _move(before, after, *, lower_is_better: bool = False) -> str:
    """'up' when `after` is better than `before`, 'down' when worse, '' otherwise."""
    if before is None or after is None or before == after:
        return ""
    better = after < before if lower_is_better else after > before
    return "up" if better else "down"


def answer_view(lang: str, scheme: data.Scheme, result: dict, changes: list[dict]) -> dict:
    """The answer of a simulation: its units that differ as the table shows them, and the facts
    above it (the period, how many units were compared, the figures each figure change replaced,
    the time it took). `changes` are those sent, in order."""
    categories = {c["code"]: i18n.name_of(lang, c.get("name")) or c["code"] for c in scheme.categories}
    rules = {r["code"]: pages.rule_name(lang, scheme, r) for r in scheme.grading}
    rows = []
    for d in result.get("differences", []):
        rows.append({
            "unit_id": d["unit_id"],
            "name": i18n.pick(lang, d.get("unit_name_zh", ""), d.get("unit_name_en", "")) or d["unit_id"],
            "category": categories.get(d.get("category", ""), d.get("category", "")),
            "total_before": d.get("total_before"), "total_after": d.get("total_after"),
            "total_move": _move(d.get("total_before"), d.get("total_after")),
            "rank_before": d.get("rank_before"), "rank_after": d.get("rank_after"),
            "rank_move": _move(d.get("rank_before"), d.get("rank_after"), lower_is_better=True),
            "grades": _grade_texts(lang, d.get("grades", []), rules),
            "indicators": [{"name": i18n.pick(lang, i.get("name_zh", ""), i.get("name_en", "")) or i["indicator_code"],
                            "before": i.get("points_before"), "after": i.get("points_after")}
                           for i in d.get("indicators", [])],
            "changes": [n + 1 for n in d.get("changes", [])],
            "explanation": i18n.pick(lang, d.get("explanation_zh", ""), d.get("explanation_en", "")),
        })
    leaders = [_leader_row(lang, d, rules) for d in result.get("leaders", [])]
    figure_numbers = [n + 1 for n, c in enumerate(changes) if c.get("kind") == "figure"]
    return {"period": result.get("period", ""), "rows": rows, "units_compared": int(result.get("units_compared", 0)),
            "leaders": leaders[:MAX_LEADERS_SHOWN], "leaders_count": len(leaders),
            "elapsed_ms": float(result.get("elapsed_ms", 0.0)), "scheme_version": result.get("scheme_version"),
            "figures": list(zip(figure_numbers, result.get("replaced_figures", []), strict=False))}


def _grade_texts(lang: str, grades: list[dict], rules: dict[str, str]) -> list[dict]:
    no_grade = pgettext("simulation", "no grade")
    return [{"rule": rules.get(g["grading_code"], g["grading_code"]),
             "before": (i18n.pick(lang, g.get("grade_before_zh", ""), g.get("grade_before_en", ""))
                        or str(g["grade_before"])) if g.get("grade_before") else no_grade,
             "after": (i18n.pick(lang, g.get("grade_after_zh", ""), g.get("grade_after_en", ""))
                       or str(g["grade_after"])) if g.get("grade_after") else no_grade}
            for g in grades]


def _leader_row(lang: str, d: dict, rules: dict[str, str]) -> dict:
    """A leader whose total or grade would differ: their total follows their unit's."""
    return {
        "person_id": d["person_id"], "name": d.get("name_zh") or d["person_id"],
        "unit": i18n.pick(lang, d.get("unit_name_zh", ""), d.get("unit_name_en", "")) or d.get("unit_id", ""),
        "total_before": d.get("total_before"), "total_after": d.get("total_after"),
        "total_move": _move(d.get("total_before"), d.get("total_after")),
        "rank_before": d.get("rank_before"), "rank_after": d.get("rank_after"),
        "rank_move": _move(d.get("rank_before"), d.get("rank_after"), lower_is_better=True),
        "grades": _grade_texts(lang, d.get("grades", []), rules),
        "changes": [n + 1 for n in d.get("changes", [])],
        "explanation": i18n.pick(lang, d.get("explanation_zh", ""), d.get("explanation_en", "")),
    }


def change_summary(lang: str, options: Choices, change: dict) -> str:
    """A change in short: '数据：青山区 · 固定资产投资完成率 · 2026年9月 = 10'."""
    kind = change.get("kind", "")
    number = _number_text  # a value as stated: 0.11, 1, —
    if kind in ("figure", "target"):
        what = [options.name("unit", change.get("unit_id", "")),
                options.name("indicator", change.get("indicator_code", ""))]
        if change.get("metric_code"):
            what.append(change["metric_code"])
        if kind == "figure" and change.get("period"):
            what.append(i18n.period_label(lang, change["period"]))
        value = number(change.get("value"))
    elif kind == "weight":
        what = ([options.name("dimension", change["dimension_code"])] if change.get("dimension_code") else
                [options.name("category", change.get("category", "")),
                 options.name("indicator", change.get("indicator_code", ""))])
        value = number(change.get("weight"))
    else:
        what = [options.name("rule", change.get("grading_code", ""))]
        parts = change.get("parts") or {}
        value = i18n.list_separator().join(f"{options.name('grade', str(g))} {number(p)}"
                                           for g, p in sorted(parts.items(), key=lambda item: int(item[0])))
    return gettext("%(kind)s: %(what)s = %(value)s", kind=kind_label(kind), what=" · ".join(w for w in what if w),
                   value=value)


def _number_text(value) -> str:
    return "—" if value is None or isinstance(value, bool) else f"{value:g}" if isinstance(value, (int, float)) \
        else str(value)


def record_rows(lang: str, options: Choices, records: list[dict], limit: int = 20) -> list[dict]:
    """The latest simulations asked (scoring lists them newest first), each change in short."""
    rows = []
    for record in records[:limit]:
        try:
            changes = json.loads(record.get("changes_json") or "[]")
        except ValueError:
            changes = None
        summaries = ([change_summary(lang, options, c) for c in changes if isinstance(c, dict)]
                     if isinstance(changes, list) else [record.get("changes_json", "")])
        rows.append({**record, "period_text": i18n.period_label(lang, record.get("period", "")),
                     "summaries": summaries})
    return rows
