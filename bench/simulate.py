"""What-if simulations (模拟测算, docs/simulation.md) on the demo city: how long the office
waits for an answer. Goal (issue 21): under 1 s for the demo city.

    .venv/bin/python bench/simulate.py [--database sqlite|postgresql|both] [--rounds 5]

In this process, no servers: per database, a scratch database, the scoring service with
the installed plug-ins, the demo scheme adopted and the demo year's events ingested (one
batch, untimed). Then each case below `--rounds` times through `Simulation.simulate`
(service_layer/simulation.py), exactly what SimulationService.Simulate runs:

- figure: one district's December investment set to 0 (the year compared);
- target: one district's fiscal-revenue target raised by a fifth;
- weights: two district indicators' weights swapped (the category's totals again);
- ratio: the departments' grades 30/63/6 instead of 18/75/6;
- combined: the figure, the weights and the ratio at once.

The districts change turn by turn, so no round repeats the one before. Baseline in the same
run: reading the year's standings through the read side (each category's ranking and the
departments' grades), as a page showing them would. Prints one JSON object: per database
and case the milliseconds (median, max), the units and leaders that differ, and
`simulate_vs_read_ratio` (median simulation ÷ median read; how many reads one what-if costs).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from benchkit import emit, log, scratch_database

from jixiao.common import event_codec
from jixiao.common.auth import Principal
from jixiao.embedded.demo_feed import demo_event_dicts
from jixiao.registry.domain.scheme import digest, parse_document
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.records import IncomingRecord
from jixiao.scoring.service_layer.simulation import Simulation
from jixiao_sdk import IndicatorHost

DEMO_SCHEME = Path(__file__).resolve().parents[1] / "services/demo/src/jixiao/demo/data/jiangchuan-2026.yaml"
SCHEME, YEAR = "jiangchuan-2026", "2026"
OFFICE = Principal("bench", "office")
DISTRICTS = [f"U-R0{n}" for n in range(1, 10)]


def cases(turn: int) -> dict[str, list[dict]]:
    district = DISTRICTS[turn % len(DISTRICTS)]
    figure = {"kind": "figure", "unit_id": district, "indicator_code": "investment_completion", "period": "2026-12",
              "value": 0.0}
    weights = [{"kind": "weight", "category": "district_county", "indicator_code": "investment_completion",
                "weight": 0.175},
               {"kind": "weight", "category": "district_county", "indicator_code": "fiscal_revenue", "weight": 0.21}]
    ratio = {"kind": "ratio", "grading_code": "departments", "parts": {"1": 30, "2": 63, "3": 6}}
    return {
        "figure": [figure],
        "target": [{"kind": "target", "unit_id": district, "indicator_code": "fiscal_revenue", "value": 0.0}],
        "weights": weights,
        "ratio": [ratio],
        "combined": [figure, *weights, ratio],
    }


def scored_service(url: str):
    service = build_service(url, IndicatorHost.discover())
    document = parse_document(DEMO_SCHEME.read_text(encoding="utf-8"))
    service.adopt_scheme(document, 1, digest(document))
    records = [IncomingRecord(event_codec.encode(event_codec.from_dict(e)), {}) for e in demo_event_dicts()]
    outcome = service.ingest(records)
    if outcome.rejected:
        raise SystemExit(f"{len(outcome.rejected)} demo events rejected: {outcome.rejected[0]}")
    return service, document, len(records)


def timed(work: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return (time.perf_counter() - started) * 1000, result


def run_database(kind: str, rounds: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp, scratch_database(kind, Path(tmp), "simulate") as url:
        log(f"{kind}: scoring the demo year (untimed)")
        service, document, count = scored_service(url)
        simulation = Simulation(service)
        targets = {(t["unit"], t["indicator"]): t["value"] for t in document["targets"]}
        categories = sorted({u["category"] for u in document["units"]})

        def read() -> None:
            for category in categories:
                service.ranking(SCHEME, category, YEAR)
            service.grades(SCHEME, "departments", YEAR)

        reads = sorted(timed(read)[0] for _ in range(rounds))
        found: dict[str, dict] = {}
        for name in cases(0):
            times, differences, leaders = [], [], []
            for turn in range(rounds):
                changes = cases(turn)[name]
                for change in changes:
                    if change["kind"] == "target":
                        change["value"] = targets[(change["unit_id"], change["indicator_code"])] * 1.2
                elapsed, result = timed(lambda changes=changes: simulation.simulate(SCHEME, YEAR, changes, OFFICE))
                times.append(elapsed)
                differences.append(len(result.differences))
                leaders.append(len(result.leaders))
            times.sort()
            found[name] = {"ms_median": round(statistics.median(times), 1), "ms_max": round(times[-1], 1),
                           "differences": differences, "leaders": leaders,
                           "simulate_vs_read_ratio": round(statistics.median(times) / statistics.median(reads), 2)}
            log(f"{kind}: {name}: median {found[name]['ms_median']} ms, max {found[name]['ms_max']} ms")
        service.engine.dispose()
        return {"events": count, "read_standings_ms_median": round(statistics.median(reads), 1), "cases": found,
                "ms_max_of_all": max(c["ms_max"] for c in found.values())}


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--rounds", type=int, default=5, help="simulations of each case (each on another district)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    kinds = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    emit({"benchmark": "simulate", "scheme": SCHEME, "period": YEAR, "rounds": args.rounds,
          **{kind: run_database(kind, args.rounds) for kind in kinds}})
    return 0


if __name__ == "__main__":
    sys.exit(main())
