"""A leader's score: the unit's total and the personal evaluation combined as
the scheme's `person_scoring` says, and the person-level vetoes (a leader
who committed a crime is graded fourth, whatever the points)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

NOT_ASSESSED = "本期不考核个人评价，总分即单位得分 / personal evaluation not assessed in this period: the unit's total"
NOT_EVALUATED_EXCLUDED = "本期无个人评价，不计入，总分即单位得分 / no personal evaluation this period: left out, the unit's total"
NOT_EVALUATED_ZERO = "本期无个人评价，按0分计 / no personal evaluation this period: counted as 0"


@dataclass(frozen=True)
class PersonWeights:
    """The weights of a leader's total in one period, and why they differ from the rule's."""

    unit: float
    personal: float
    note: str = ""
    assessed: bool = True  # the personal part (evaluation and own deductions) counts in this period


@dataclass(frozen=True)
class PersonRule:
    """``person_scoring``: total = unit_weight × unit total + personal_weight × personal evaluation.

    In a period whose kind the personal indicator is not assessed in (官评 at year end
    only), or where the person has no evaluation and the rule's ``missing`` is
    ``excluded``, the total is the unit's total (weights 1 and 0) and says so; with
    ``missing: zero`` a missing evaluation counts 0 points.
    """

    unit_weight: float
    personal_weight: float
    personal_indicator: str
    missing: str = "zero"
    # Deduction indicators scored on the leader's own events (作风建设扣分), added to the
    # total in the periods the personal evaluation is assessed in.
    deductions: tuple[str, ...] = ()

    @classmethod
    def from_document(cls, document: Mapping) -> PersonRule | None:
        rule = document.get("person_scoring")
        if not rule:
            return None
        default = (document.get("scheme") or {}).get("missing_results") or "zero"
        return cls(float(rule.get("unit_weight", 0)), float(rule.get("personal_weight", 0)),
                   str(rule.get("personal_indicator", "")), str(rule.get("missing") or default),
                   tuple(str(code) for code in rule.get("personal_deductions") or ()))

    def weights(self, assessed: bool, evaluated: bool) -> PersonWeights:
        """The weights for a period: `assessed`, whether the personal indicator is
        assessed in its kind; `evaluated`, whether the person has an evaluation."""
        if not assessed:
            return PersonWeights(1.0, 0.0, NOT_ASSESSED, assessed=False)
        if not evaluated:
            if self.missing == "excluded":
                return PersonWeights(1.0, 0.0, NOT_EVALUATED_EXCLUDED)
            return PersonWeights(self.unit_weight, self.personal_weight, NOT_EVALUATED_ZERO)
        return PersonWeights(self.unit_weight, self.personal_weight)

    def total(self, unit_total: float, personal_points: float, weights: PersonWeights | None = None,
              deduction: float = 0.0) -> float:
        """unit_weight × unit total + personal_weight × personal points + the leader's own
        deductions (≤ 0); the unit's total (and the deductions, where the period assesses the
        personal part) where `weights` leave the evaluation out."""
        if weights is not None and weights.personal == 0.0:
            return unit_total + deduction if deduction and weights.assessed else unit_total
        total = self.unit_weight * unit_total + self.personal_weight * personal_points
        return total + deduction if deduction else total

    def explain(self, unit_total: float, personal_points: float, weights: PersonWeights, deduction: float = 0.0) -> str:
        """The total in words, unit part and personal part, and why the weights are this period's:
        ``总分=单位得分85.20×0.6+个人评价78.00×0.4=82.32 / total = unit 85.20 × 0.6 + personal 78.00 × 0.4 = 82.32``."""
        total = self.total(unit_total, personal_points, weights, deduction)
        if weights.personal == 0.0 and deduction and weights.assessed:
            text = (f"总分=单位得分{unit_total:.2f}-作风扣分{-deduction:.2f}={total:.2f} / total = the unit's "
                    f"{unit_total:.2f} - deductions {-deduction:.2f} = {total:.2f}")
        elif weights.personal == 0.0:
            text = f"总分=单位得分{unit_total:.2f} / total = the unit's {unit_total:.2f}"
        else:
            less_zh = f"-作风扣分{-deduction:.2f}" if deduction else ""
            less_en = f" - deductions {-deduction:.2f}" if deduction else ""
            text = (f"总分=单位得分{unit_total:.2f}×{weights.unit:g}+个人评价{personal_points:.2f}×{weights.personal:g}"
                    f"{less_zh}={total:.2f} / total = unit {unit_total:.2f} × {weights.unit:g} + personal "
                    f"{personal_points:.2f} × {weights.personal:g}{less_en} = {total:.2f}")
        return f"{text}; {weights.note}" if weights.note else text


@dataclass(frozen=True)
class PersonVeto:
    """A person-level veto: events of `metric` whose attributes match `match` cap the grade."""

    metric: str
    match: tuple[tuple[str, frozenset[str]], ...]
    cap_grade: int
    reason: str

    @classmethod
    def all_from_document(cls, document: Mapping) -> tuple[PersonVeto, ...]:
        vetoes = []
        for veto in document.get("vetoes", []):
            trigger = veto.get("trigger") or {}
            if veto.get("subject") != "person" or not trigger.get("metric"):
                continue
            match = tuple(sorted((key, frozenset(map(str, values if isinstance(values, list) else [values])))
                                 for key, values in trigger.items() if key != "metric"))
            reason = veto.get("reason") or {}
            vetoes.append(cls(str(trigger["metric"]), match, int(veto.get("grade", veto.get("cap_grade", 0))),
                              f"{reason.get('zh', '')} / {reason.get('en', '')}".strip(" /")))
        return tuple(vetoes)

    def applies(self, metric: str, attributes: Mapping[str, str]) -> bool:
        return metric == self.metric and all(attributes.get(key) in values for key, values in self.match)


def person_cap(vetoes: Iterable[PersonVeto], events: Iterable[tuple[str, Mapping[str, str]]]) -> tuple[int | None, str]:
    """The worst cap the person's (metric, attributes) events trigger, with its reason."""
    caps = sorted({(v.cap_grade, v.reason) for v in vetoes for metric, attributes in events if v.applies(metric, attributes)})
    return (caps[-1][0], caps[-1][1]) if caps else (None, "")
