"""Ranks inside a category (peer group), by total, highest first.

Exact ties share a rank, competition style (1, 2, 2, 4): an entry's rank is
one more than the number of entries with a strictly higher total. Nothing
but the total decides a rank. The listing order inside a tie is by unit id,
so the list is the same on every run and for any input order.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Ranked:
    rank: int
    unit_id: str
    total: float


def rank(totals: Iterable[tuple[str, float]]) -> list[Ranked]:
    ordered = sorted(totals, key=lambda item: (-item[1], item[0]))
    ranks = competition_ranks([total for _, total in ordered])
    return [Ranked(r, unit_id, total) for r, (unit_id, total) in zip(ranks, ordered, strict=True)]


def competition_ranks(totals: Sequence[float]) -> list[int]:
    """The shared ranks of `totals`, given highest first: 1, 2, 2, 4 for 90, 80, 80, 70."""
    ranks: list[int] = []
    for position, total in enumerate(totals, start=1):
        if position > 1 and total > totals[position - 2]:
            raise ValueError("totals must be given highest first")
        ranks.append(ranks[-1] if position > 1 and total == totals[position - 2] else position)
    return ranks
