"""Anomaly checks (疑点核查) on the demo year: do they find the fabrications, and how fast.

    .venv/bin/python bench/anomalies.py [--seed 2026] [--rounds 3]

In this process, no servers: the demo city's scheme (the committed YAML), its year of
events drawn by `jixiao.demo.events.demo_events` with the fabrications of
`jixiao.demo.events.INJECTED`, each event turned into a `ReportedFigure` as scoring stores it
(`anomalies.figure_from_event`), then `anomalies.check` with the scheme's validation
rules and unit categories. Prints one JSON object: recall and precision against the
injected cases, the findings by kind and severity, the Benford statuses, the same
counts for the year drawn without the fabrications (every medium or high finding there
is a false alarm), and timings (best of `--rounds`).

Counting (`score`):
- A finding is *explained* by an injected case when it names one of the case's units
  (`unit_id` or `other_unit_id`) and one of its metrics (a validation-rule finding names
  the rule's left metric; the case lists both sides), and its months (a copied run from
  `period` to `period_to`) meet the case's months or the month just after the last of
  them (the fall back after a one-month spike is the same fabrication). A Benford
  finding is explained by a Benford case of the same source and year.
- Only findings of severity medium or high count: they are what the office is asked to
  look into. Low findings are listed (`by_kind_and_severity`) but are neither hits nor
  false alarms.
- recall = injected cases explaining at least one medium/high finding ÷ injected cases;
  precision = medium/high findings some case explains ÷ all medium/high findings (1.0
  when there are none). Goal: both ≥ 0.8.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import date

import yaml
from benchkit import emit, log

from jixiao.demo.build_city import DATA_FILE, DEFAULT_SEED
from jixiao.demo.events import INJECTED, Injected, demo_events
from jixiao.scoring.domain import anomalies
from jixiao.scoring.domain.anomalies import AnomalyReport, Finding

COUNTED = ("medium", "high")


def demo_document() -> dict:
    return yaml.load(DATA_FILE.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def demo_report(document: dict, seed: int = DEFAULT_SEED, *, fabricated: bool = True) -> AnomalyReport:
    """The checks over the demo year drawn with `seed` (the whole pipeline of the benchmark, untimed)."""
    figures = [anomalies.figure_from_event(e) for e in demo_events(document, seed, fabricated=fabricated)]
    return anomalies.check(figures, rules=anomalies.rules_from_scheme(document),
                           categories=anomalies.categories_from_scheme(document),
                           known_metrics=anomalies.scheme_metrics(document))


def _months(finding: Finding) -> set[tuple[int, int]]:
    first = date.fromisoformat(f"{finding.period[:7]}-01") if len(finding.period) >= 7 else None
    if first is None:
        return set()
    last_text = finding.period_to or finding.period
    last = date.fromisoformat(f"{last_text[:7]}-01")
    months, month = set(), first
    while month <= last:
        months.add((month.year, month.month))
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def explains(case: Injected, finding: Finding, year: int) -> bool:
    """Whether the injected `case` explains `finding` (module docstring, Counting)."""
    if finding.kind == "benford" or case.kind == "benford":
        return finding.kind == case.kind == "benford" and finding.source == case.source and finding.period == str(year)
    if not ({finding.unit_id, finding.other_unit_id} & set(case.units)) or finding.metric not in case.metrics:
        return False
    months = {(year, m) for m in case.months}
    last = max(case.months)
    months.add((year + last // 12, last % 12 + 1))
    return bool(_months(finding) & months)


def score(report: AnomalyReport, injected: Sequence[Injected] = INJECTED, year: int = 2026) -> dict:
    """Recall and precision of `report` against the injected cases (module docstring, Counting)."""
    counted = [f for f in report.findings if f.severity in COUNTED]
    found = {case.code: [f for f in counted if explains(case, f, year)] for case in injected}
    false_alarms = [f for f in counted if not any(explains(case, f, year) for case in injected)]
    hits = len(counted) - len(false_alarms)
    return {
        "injected": len(injected),
        "found": sum(1 for findings in found.values() if findings),
        "recall": round(sum(1 for findings in found.values() if findings) / len(injected), 3) if injected else 1.0,
        "precision": round(hits / len(counted), 3) if counted else 1.0,
        "counted_findings": len(counted),
        "false_alarms": [_brief(f) for f in false_alarms],
        "cases": {code: sorted({f"{f.kind}/{f.severity}" for f in findings}) for code, findings in found.items()},
    }


def _brief(finding: Finding) -> dict:
    return {"kind": finding.kind, "severity": finding.severity, "unit_id": finding.unit_id,
            "other_unit_id": finding.other_unit_id, "metric": finding.metric, "period": finding.period,
            "source": finding.source, "message_en": finding.message_en}


def summary(report: AnomalyReport) -> dict:
    kinds = Counter(f"{f.kind}/{f.severity}" for f in report.findings)
    return {"findings": len(report.findings), "by_severity": report.count_by_severity(),
            "by_kind_and_severity": dict(sorted(kinds.items())),
            "benford": [{"source": t.source, "period": t.period, "status": t.status, "count": t.count,
                         "chi_square": None if t.chi_square is None else round(t.chi_square, 2),
                         "p_value": None if t.p_value is None else round(t.p_value, 5),
                         "mad": None if t.mad is None else round(t.mad, 4),
                         "orders_of_magnitude": None if t.orders_of_magnitude is None else round(t.orders_of_magnitude, 2)}
                        for t in report.benford]}


def best_of(rounds: int, work: Callable[[], object]) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(rounds):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def run(seed: int, rounds: int) -> dict:
    document = demo_document()
    year = int(document["scheme"]["year"])
    log(f"drawing the demo year (seed {seed})")
    draw_s, events = best_of(rounds, lambda: list(demo_events(document, seed)))
    convert_s, figures = best_of(rounds, lambda: [anomalies.figure_from_event(e) for e in events])
    rules = anomalies.rules_from_scheme(document)
    categories = anomalies.categories_from_scheme(document)
    known = anomalies.scheme_metrics(document)
    log(f"checking {len(figures)} figures, {rules and len(rules)} validation rules")
    check_s, report = best_of(rounds, lambda: anomalies.check(figures, rules=rules, categories=categories,
                                                               known_metrics=known))
    log("checking the year drawn without the fabrications")
    clean = demo_report(document, seed, fabricated=False)
    clean_counted = [f for f in clean.findings if f.severity in COUNTED]
    return {
        "benchmark": "anomalies",
        "seed": seed,
        "events": len(events),
        **score(report, INJECTED, year),
        **summary(report),
        "without_fabrications": {**summary(clean), "false_alarms": len(clean_counted)},
        "seconds": {"draw_events": round(draw_s, 3), "to_figures": round(convert_s, 3), "check": round(check_s, 3)},
        "figures_per_s": round(len(figures) / check_s) if check_s else None,
        "rounds": rounds,
    }


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--rounds", type=int, default=3, help="timings are the best of this many rounds")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    emit(run(args.seed, args.rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
