"""Ranks inside a category (peer group): higher total first, ties broken by
unit id so the order is the same on every run."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Ranked:
    rank: int
    unit_id: str
    total: float


def rank(totals: Iterable[tuple[str, float]]) -> list[Ranked]:
    ordered = sorted(totals, key=lambda item: (-item[1], item[0]))
    return [Ranked(position, unit_id, total) for position, (unit_id, total) in enumerate(ordered, start=1)]
