"""`jixiao baselines`: a year's stored figures become the next scheme's baselines, which
scoring then hands its plug-ins as last year's same span."""
from datetime import date

import pytest
import yaml

from helpers.small_scheme import SMALL_SCHEME, Awards, Invested, Rating
from jixiao.cli import main
from jixiao.common import event_codec
from jixiao.registry.domain import scheme as schemes
from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.baselines import Figure, baselines_from_figures
from jixiao.scoring.domain.records import IncomingRecord
from jixiao_sdk import IndicatorHost

SCHEME = {
    **SMALL_SCHEME,
    "sources": [{"code": "stats", "metrics": ["amount", "rating"]}, {"code": "office", "metrics": ["award"]}],
    "indicators": [{"code": "invested"}, {"code": "awards"}],
    "assignments": [
        {"category": "district", "dimension": "work", "indicator": "invested", "weight": 1.0, "max_points": 100},
        {"category": "district", "dimension": "bonus", "indicator": "awards", "weight": 1.0, "max_points": 3},
    ],
    "targets": [{"unit": "U1", "indicator": "invested", "value": 100.0}, {"unit": "U2", "indicator": "invested", "value": 200.0}],
}


def host() -> IndicatorHost:
    return IndicatorHost.from_plugins([Invested(), Rating(), Awards()], timeout_s=None)


def record(event_id: str, metric: str, value: float, period: str, unit: str = "U1") -> IncomingRecord:
    data = {"event_id": event_id, "source": "stats", "unit_id": unit, "metric_code": metric, "value": value, "period": period}
    return IncomingRecord(event_codec.encode(event_codec.from_dict(data)), {})


def test_figures_are_summed_per_month_and_keep_a_quarters_own_period():
    figures = [Figure("U1", "amount", "2025-03-02", date(2025, 3, 2), date(2025, 3, 2), 1.5, "CNY_100M"),
               Figure("U1", "amount", "2025-03", date(2025, 3, 1), date(2025, 3, 31), 2.5, "CNY_100M"),
               Figure("U1", "amount", "2025-Q2", date(2025, 4, 1), date(2025, 6, 30), 7.0, "CNY_100M"),
               Figure("U2", "count", "2025", date(2025, 1, 1), date(2025, 12, 31), 3.0, "")]
    assert baselines_from_figures(figures) == [
        {"unit": "U1", "metric": "amount", "period": "2025-03", "value": 4.0, "measurement_unit": "CNY_100M"},
        {"unit": "U1", "metric": "amount", "period": "2025-Q2", "value": 7.0, "measurement_unit": "CNY_100M"},
        {"unit": "U2", "metric": "count", "period": "2025", "value": 3.0},
    ]
    with pytest.raises(ValueError, match="U1 amount 2025-03: figures in 'CNY_100M' and 'CNY_10K'"):
        baselines_from_figures([*figures, Figure("U1", "amount", "2025-03", date(2025, 3, 1), date(2025, 3, 31), 1.0,
                                                  "CNY_10K")])


def test_the_command_writes_baselines_that_the_next_year_compares_with(tmp_path, monkeypatch, capsys):
    last_year = {**SCHEME, "scheme": {**SCHEME["scheme"], "code": "test-2025", "year": 2025}}
    service = build_service(f"sqlite:///{tmp_path / 'scoring.db'}", host())
    service.adopt_scheme(last_year, 1, "sha256:2025")
    service.ingest([record(f"a{m}", "amount", 4.0 + m, f"2025-{m:02d}") for m in range(1, 13)]
                   + [record("d", "amount", 1.0, "2025-05-20"), record("b", "amount", 2.0, "2025-02", unit="U2")])
    monkeypatch.setenv("JIXIAO_DATA_DIR", str(tmp_path))
    assert main(["baselines", "--year", "2025", "--metrics", "amount"]) == 0
    section = yaml.safe_load(capsys.readouterr().out)["baselines"]
    assert len(section) == 13
    assert {"unit": "U1", "metric": "amount", "period": "2025-05", "value": 10.0} in section
    this_year = {**SCHEME, "baselines": section}
    assert [p for p in schemes.validate(this_year) if p.path.startswith("baselines")] == []
    current = build_service(f"sqlite:///{tmp_path / 'this-year.db'}", host())
    current.adopt_scheme(this_year, 1, "sha256:2026")
    Invested.seen.clear()
    current.ingest([record(f"m{m}", "amount", 6.0, f"2026-{m:02d}") for m in range(1, 10)])
    given = next(i for i in reversed(Invested.seen) if i.as_of_period == "2026-Q3" and i.unit_id == "U1")
    assert sum(o.value for o in given.baseline) == pytest.approx(sum(4.0 + m for m in range(1, 10)) + 1.0)


@pytest.mark.parametrize("argv, message", [
    (["baselines", "--year", "2025-Q1"], "--year '2025-Q1': is not a year"),
    (["baselines", "--year", "twenty"], "--year 'twenty'"),
])
def test_bad_input_gets_one_line_and_status_2(tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.setenv("JIXIAO_DATA_DIR", str(tmp_path))
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_a_database_that_is_not_scorings_is_named(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("JIXIAO_SCORING_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    assert main(["baselines", "--year", "2025"]) == 2
    assert "is JIXIAO_SCORING_DATABASE_URL the scoring service's database?" in capsys.readouterr().err
