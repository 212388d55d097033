"""What `jixiao baselines` asks for: a year's stored figures, to become the `baselines`
section of the next scheme (domain/baselines.py states the rule)."""
from __future__ import annotations

from jixiao.common import stages
from jixiao_sdk.periods import Period

from ..adapters.repository import ScoringRepository
from ..domain.baselines import Figure


def stored_figures(repository: ScoringRepository, year: Period, metrics: list[str] | None) -> tuple[Period, list[Figure]]:
    """The year as the stored scheme of that year counts it (a financial year too), and its
    unit-level figures no revision supersedes, of `metrics` (None: every metric)."""
    stored = [document for _, document in repository.latest_schemes()
              if str(document.get("scheme", {}).get("year")) == year.text]
    if stored:
        year = stages.calendar_of(stored[0]["scheme"]).year(year.year)
    rows = repository.unit_figures(year.start, year.end, metrics)
    return year, [Figure(r["unit_id"], r["metric_code"], r["period"], r["period_start"], r["period_end"], r["value"],
                         r["measurement_unit"]) for r in rows]
