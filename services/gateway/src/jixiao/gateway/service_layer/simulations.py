"""The office's what-if simulations (docs/simulation.md): the changes of a request body
checked for their shape — each an object with the fields of its kind, numbers where numbers
belong — before scoring checks what they mean (a unit of the scheme, weights summing to 1).
A shape refused is `ChangeShapeRefused`, naming the field."""
from __future__ import annotations

from collections.abc import Mapping

from ..adapters.scoring_simulation import ScoringSimulation
from ..domain.json_values import finite, utf8

MAX_CHANGES = 50
TEXT_FIELDS = ("kind", "unit_id", "indicator_code", "metric_code", "period", "category", "dimension_code",
               "grading_code")
NUMBER_FIELDS = ("value", "weight")
MAX_TEXT = 128


class ChangeShapeRefused(ValueError):
    """A change that is not an object of the expected fields."""


class Simulations:
    def __init__(self, simulation: ScoringSimulation):
        self.simulation = simulation

    def simulate(self, scheme: str, period: str, changes, token: str) -> dict:
        return self.simulation.simulate(scheme, period, checked_changes(changes), token)

    def simulations(self, scheme: str, token: str) -> list[dict]:
        return self.simulation.simulations(scheme, token)


def checked_changes(changes) -> list[dict]:
    """The changes as SimulationChange fields; refuses what no change could be."""
    if not isinstance(changes, list) or not changes:
        raise ChangeShapeRefused("changes: must be a non-empty list of changes ({\"kind\": \"figure\", …})")
    if len(changes) > MAX_CHANGES:
        raise ChangeShapeRefused(f"changes: at most {MAX_CHANGES}")
    return [_checked(change, f"changes[{n}]") for n, change in enumerate(changes)]


def _checked(change, where: str) -> dict:
    if not isinstance(change, Mapping):
        raise ChangeShapeRefused(f"{where}: must be an object")
    unknown = sorted(set(change) - {*TEXT_FIELDS, *NUMBER_FIELDS, "parts"})
    if unknown:
        raise ChangeShapeRefused(f"{where}.{unknown[0]}: is not a field of a change")
    found: dict = {}
    for name in TEXT_FIELDS:
        value = change.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or len(value) > MAX_TEXT or not utf8(value):
            raise ChangeShapeRefused(f"{where}.{name}: must be text of at most {MAX_TEXT} characters")
        found[name] = value
    for name in NUMBER_FIELDS:
        value = change.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not finite(value):
            raise ChangeShapeRefused(f"{where}.{name}: must be a finite number")
        found[name] = float(value)
    parts = change.get("parts")
    if parts is not None:
        if not isinstance(parts, Mapping):
            raise ChangeShapeRefused(f"{where}.parts: must be an object {{grade: parts}}")
        found["parts"] = {}
        for grade, value in parts.items():
            try:
                number = int(grade)
            except ValueError:
                raise ChangeShapeRefused(f"{where}.parts: {grade!r} is not a grade number") from None
            if not 1 <= number <= 1000:
                raise ChangeShapeRefused(f"{where}.parts: {grade!r} is not a grade number")
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not finite(value):
                raise ChangeShapeRefused(f"{where}.parts: grade {number}: must be a finite number")
            found["parts"][number] = float(value)
    return found
