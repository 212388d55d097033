"""The self-evaluation and work-report steps of the portal's desks (docs/portal.md): a unit
fills in its self-evaluation as a form (its total, its account, its points and basis per
indicator it is assessed on) and uploads its work reports; the office reads them. Scoring
does each with the caller's token and has the last word on every rule; a refusal comes back
as `SelfEvaluationRefused`, placed at its input, with what was typed kept, and nothing saved."""
from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..adapters.backend_errors import FailedPrecondition, InvalidArgument, PermissionDenied
from ..adapters.scoring_self_assessment import ScoringSelfAssessment

_INDICATOR_FIELD = re.compile(r"^indicators\[(\d+)\]\.(points|basis|indicator_code)")


@dataclass
class SelfEvaluationRefused(Exception):
    """Nothing was saved: `cells` {(indicator code or "", field): message}, `general` messages."""

    cells: dict = field(default_factory=dict)
    general: list = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(self.general + [str(m) for m in self.cells.values()])


@dataclass(frozen=True)
class FormIndicator:
    """An indicator the unit is assessed on in the period, as the form shows it."""

    code: str
    name: str
    computed: float | None
    min_points: float | None = None
    max_points: float | None = None


def _number(text: str) -> float | None:
    try:
        value = float(text.strip().replace("，", ".").replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class SelfAssessmentDesk:
    def __init__(self, scoring: ScoringSelfAssessment):
        self.scoring = scoring

    def submit_form(self, scheme: str, unit_id: str, period: str, indicators: Sequence[FormIndicator],
                    form: Mapping[str, str], token: str) -> dict:
        """The posted form (`total`, `summary`, `points.<code>`, `basis.<code>`) checked for
        numbers here, then sent; an indicator without points is left out (not self-scored)."""
        cells: dict = {}
        total = _number(form.get("total", ""))
        if total is None:
            cells[("", "total")] = "not_a_number" if form.get("total", "").strip() else "missing_total"
        sent, order = [], []
        for indicator in indicators:
            text = form.get(f"points.{indicator.code}", "").strip()
            basis = form.get(f"basis.{indicator.code}", "")
            if not text:
                if basis.strip():
                    cells[(indicator.code, "points")] = "missing_points"
                continue
            points = _number(text)
            if points is None:
                cells[(indicator.code, "points")] = "not_a_number"
                continue
            sent.append({"indicator_code": indicator.code, "points": points, "basis": basis})
            order.append(indicator.code)
        if cells:
            raise SelfEvaluationRefused(cells=cells)
        try:
            return self.scoring.submit(scheme, unit_id, period, total, form.get("summary", ""), sent, token)
        except InvalidArgument as error:
            placed, general = {}, []
            for part in error.message.split("; "):
                found = _INDICATOR_FIELD.match(part)
                if found and int(found.group(1)) < len(order):
                    placed[(order[int(found.group(1))], found.group(2))] = part.split(": ", 1)[-1]
                elif part.startswith("total"):
                    placed[("", "total")] = part.split(": ", 1)[-1]
                else:
                    general.append(part)
            raise SelfEvaluationRefused(cells=placed, general=general) from None
        except (FailedPrecondition, PermissionDenied) as error:
            raise SelfEvaluationRefused(general=[error.message]) from None

    def upload_report(self, scheme: str, unit_id: str, person_id: str, period: str, file_name: str,
                      content: bytes, token: str) -> dict:
        try:
            return self.scoring.upload_report(scheme, unit_id, person_id, period, file_name, content, token)
        except (InvalidArgument, FailedPrecondition, PermissionDenied) as error:
            raise SelfEvaluationRefused(general=[error.message]) from None

    def reports(self, scheme: str, unit_id: str, token: str) -> list[dict]:
        return self.scoring.reports(scheme, unit_id, "", token)

    def report(self, scheme: str, report_id: int, token: str) -> tuple[dict, bytes]:
        return self.scoring.report(scheme, report_id, token)

    def listed(self, scheme: str, period: str, token: str) -> dict:
        return self.scoring.listed(scheme, period, token)
