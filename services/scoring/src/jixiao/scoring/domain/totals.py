"""From indicator results to dimension scores and a unit's total, for one period.

The four-in-one scheme (四位一体): weighted dimensions (work results, public
evaluation, leadership evaluation) each score 0–100 as the weighted mean of
their indicators, and the total is their weighted sum; additive dimensions
(bonus and deductions) add their points on top. A veto result adds no points
but caps the unit's grade.

Stages. Only what is assessed in a period counts in it (月评议、季考核、年总结):
a dimension, or an indicator, whose ``assessed_in`` does not name the
period's kind is left out, and the weights of the weighted dimensions that
are assessed are renormalised to sum to 1 (民评 and 官评 held at year end:
a quarter's total is its work results, plus bonus and deductions).

Missing results. An assessed indicator of a weighted dimension whose result
is absent (no figures) or failed is *missing*, listed with the reason, and
counts as the dimension's ``missing`` policy says: ``zero`` (0 points, its
weight kept, as a failed result always did) or ``excluded`` (left out, the
dimension's other weights renormalised; a dimension left with nothing to
count is itself left out of the period). Bonus, deduction and veto
indicators are never missing: no event means nothing to add.

Exactness. When nothing is left out, no weight is divided by its sum, so a
scheme assessed in every period gives the totals it gave before stages.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .scheme_view import Assignment, Dimension, SchemeView

NO_FIGURES = "本期无数据 / no figures for this period"


@dataclass(frozen=True)
class IndicatorOutcome:
    """What the totals need of one stored indicator result."""

    status: str
    points: float
    veto_cap: int | None = None
    veto_reason: str = ""
    reason: str = ""


@dataclass(frozen=True)
class IndicatorScale:
    """What the totals need of an indicator's spec."""

    kind: str
    min_points: float
    max_points: float


@dataclass(frozen=True)
class DimensionTotal:
    dimension: Dimension
    score: float
    # The dimension's weight in this period's total (renormalised; 0 for additive
    # dimensions), and whether it counts in this period at all.
    weight: float = 0.0
    assessed: bool = True


@dataclass(frozen=True)
class Missing:
    """An assessed indicator with no usable result, and what it counted as."""

    indicator: str
    dimension: str
    reason: str
    counted_as: str  # "zero" or "excluded"


@dataclass(frozen=True)
class UnitTotal:
    total: float
    dimensions: tuple[DimensionTotal, ...]
    veto_cap: int | None
    veto_reasons: tuple[str, ...]
    missing: tuple[Missing, ...] = ()
    not_assessed: tuple[str, ...] = ()  # indicators of counted dimensions left out of this period

    @property
    def partial(self) -> bool:
        """True when some weighted dimension or indicator is not counted or some result is missing."""
        return bool(self.missing or self.not_assessed) or any(
            not d.assessed and not d.dimension.additive for d in self.dimensions)

    def breakdown_json(self) -> str:
        """The stored form (``scoring_unit_scores.dimensions_json``); `Breakdown.parse` reads it."""
        return json.dumps({
            "dimensions": [[d.dimension.code, d.score, d.weight, d.assessed] for d in self.dimensions],
            "missing": [[m.indicator, m.dimension, m.reason, m.counted_as] for m in self.missing],
            **({"not_assessed": list(self.not_assessed)} if self.not_assessed else {}),
        }, ensure_ascii=False)


@dataclass(frozen=True)
class Breakdown:
    """A stored total's dimensions and missing results, as read back."""

    scores: Mapping[str, float]
    weights: Mapping[str, float]
    assessed: Mapping[str, bool]
    missing: tuple[Missing, ...]
    not_assessed: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Breakdown:
        data = json.loads(text)
        if isinstance(data, list):  # stored before stages: [[code, score], ...], every dimension counted
            return cls({code: score for code, score in data}, {}, {}, ())
        rows = data["dimensions"]
        return cls({r[0]: r[1] for r in rows}, {r[0]: r[2] for r in rows}, {r[0]: r[3] for r in rows},
                   tuple(Missing(*m) for m in data.get("missing", ())), tuple(data.get("not_assessed", ())))


def contribution(assignment: Assignment, dimension: Dimension, scale: IndicatorScale, outcome: IndicatorOutcome | None) -> float:
    """Points an indicator adds to its dimension; a missing or failed result adds nothing."""
    if outcome is None or outcome.status != "ok" or scale.kind == "veto":
        return 0.0
    if not dimension.additive:
        return assignment.weight * (outcome.points / scale.max_points * 100.0 if scale.max_points else 0.0)
    span = max(abs(scale.max_points), abs(scale.min_points))
    return outcome.points * assignment.max_points / span if span else 0.0


def unit_total(scheme: SchemeView, unit_id: str, outcomes: Mapping[str, IndicatorOutcome],
               scales: Mapping[str, IndicatorScale], kind: str = "year") -> UnitTotal:
    """The unit's total for a period of `kind` (month, quarter or year) from its indicator results."""
    assignments = scheme.assignments_for(unit_id)
    scored: list[tuple[Dimension, float, bool]] = []  # (dimension, score, counted)
    missing: list[Missing] = []
    left_out: list[str] = []  # indicators of weighted dimensions not assessed in this kind of period
    for dimension in scheme.dimensions:
        if kind not in dimension.assessed_in:
            scored.append((dimension, 0.0, False))
            continue
        raw, full, counted = 0.0, 0.0, 0.0
        for assignment in sorted((a for a in assignments if a.dimension == dimension.code), key=lambda a: a.indicator):
            scale = scales.get(assignment.indicator)
            if scale is None:
                continue
            assessed = scheme.assessed(assignment.indicator, kind)
            if dimension.additive or scale.kind == "veto":
                if assessed:
                    raw += contribution(assignment, dimension, scale, outcomes.get(assignment.indicator))
                continue
            full += assignment.weight
            if not assessed:  # left out of this period: the dimension's other weights renormalised
                left_out.append(assignment.indicator)
                continue
            outcome = outcomes.get(assignment.indicator)
            raw += contribution(assignment, dimension, scale, outcome)
            if outcome is not None and outcome.status == "ok":
                counted += assignment.weight
                continue
            reason = NO_FIGURES if outcome is None else (outcome.reason or outcome.status)
            missing.append(Missing(assignment.indicator, dimension.code, reason, dimension.missing))
            if dimension.missing != "excluded":
                counted += assignment.weight
        if dimension.additive:
            scored.append((dimension, raw, True))
        elif counted <= 0.0:
            scored.append((dimension, 0.0, False))
        else:
            scored.append((dimension, raw if counted == full else raw * full / counted, True))
    weighted = [d for d in scheme.dimensions if not d.additive]
    counted_weighted = [d for d, _, counted in scored if counted and not d.additive]
    weight_sum = sum(d.weight for d in counted_weighted)
    renormalise = len(counted_weighted) != len(weighted) and weight_sum > 0
    dimension_totals = []
    total = 0.0
    for dimension, score, counted in scored:
        if dimension.additive:
            dimension_totals.append(DimensionTotal(dimension, score, 0.0, counted))
            total += score if counted else 0.0
            continue
        weight = (dimension.weight / weight_sum if renormalise else dimension.weight) if counted else 0.0
        dimension_totals.append(DimensionTotal(dimension, score, weight, counted))
        total += weight * score
    assigned = {a.indicator for a in assignments}
    caps = sorted(
        (o.veto_cap, o.veto_reason) for code, o in outcomes.items()
        if code in assigned and o.status == "ok" and o.veto_cap is not None
    )
    return UnitTotal(
        total=total,
        dimensions=tuple(dimension_totals),
        veto_cap=max((cap for cap, _ in caps), default=None),
        veto_reasons=tuple(reason for _, reason in caps),
        missing=tuple(missing),
        not_assessed=tuple(left_out),
    )


def stage_note(dimensions: Sequence[Dimension], kind: str) -> str:
    """What totals of a period of `kind` count by the scheme's stages, in words
    ("中文 / English"); "" when every dimension is assessed in such periods. It is the same
    for every unit of the period, missing results aside: rankings show it."""
    zh, en = _counted_words(dimensions, {d.code: kind in d.assessed_in for d in dimensions})
    return f"{zh} / {en}" if zh else ""


def basis_note(dimensions: Sequence[Dimension], breakdown: Breakdown) -> str:
    """What a stored total counts, in words ("中文 / English"); "" when it counts every dimension
    with every result: ``本期总分计入工作实绩、加减分（民评、官评本期不考核），权重按比例归一 / …``."""
    zh, en = _counted_words(dimensions, breakdown.assessed)
    if not zh and not breakdown.missing and not breakdown.not_assessed:
        return ""
    if not zh:
        zh = "本期总分计入" + "、".join(d.name_zh for d in dimensions)
        en = "This period's total counts " + ", ".join(d.name_en for d in dimensions)
    if breakdown.not_assessed:
        count = len(breakdown.not_assessed)
        zh += f"；{count}项指标本期不考核，所在维度权重按比例归一"
        en += f"; {count} indicator{'s' if count != 1 else ''} not assessed in this period, the weights of their dimension renormalised"
    excluded = sum(1 for m in breakdown.missing if m.counted_as == "excluded")
    if breakdown.missing:
        zh += f"；缺{len(breakdown.missing)}项结果"
        en += f"; {len(breakdown.missing)} result{'s' if len(breakdown.missing) != 1 else ''} missing"
    if excluded:
        zh += f"，其中{excluded}项不计入"
        en += f", {excluded} left out"
    return f"{zh} / {en}"


def _counted_words(dimensions: Sequence[Dimension], assessed: Mapping[str, bool]) -> tuple[str, str]:
    """("本期总分计入…（…本期不考核），权重按比例归一", its English), or ("", "") when no weighted
    dimension is left out."""
    left_out = [d for d in dimensions if not assessed.get(d.code, True) and not d.additive]
    if not left_out:
        return "", ""
    counted = [d for d in dimensions if assessed.get(d.code, True)]
    return ("本期总分计入" + "、".join(d.name_zh for d in counted)
            + f"（{'、'.join(d.name_zh for d in left_out)}本期不考核），权重按比例归一",
            "This period's total counts " + ", ".join(d.name_en for d in counted)
            + f" ({', '.join(d.name_en for d in left_out)} not assessed in this period), weights renormalised")
