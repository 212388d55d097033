"""A leader's score: the unit's total and the personal evaluation combined as
the scheme's `person_scoring` says, and the person-level vetoes (a leader
who committed a crime is graded fourth, whatever the points)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class PersonRule:
    unit_weight: float
    personal_weight: float
    personal_indicator: str

    @classmethod
    def from_document(cls, document: Mapping) -> PersonRule | None:
        rule = document.get("person_scoring")
        if not rule:
            return None
        return cls(float(rule.get("unit_weight", 0)), float(rule.get("personal_weight", 0)),
                   str(rule.get("personal_indicator", "")))

    def total(self, unit_total: float, personal_points: float) -> float:
        return self.unit_weight * unit_total + self.personal_weight * personal_points


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
