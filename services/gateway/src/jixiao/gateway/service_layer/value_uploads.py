"""A data feed reports metric values without Kafka: the rows of its upload
are read (domain/upload_rows.py), made MetricEvents and checked as scoring
would check them — against the published scheme of their year and the
states of its periods —, and only when every row is good are they published
to the metrics topic."""
from __future__ import annotations

from datetime import datetime

from jixiao_sdk.periods import parse_period

from ..adapters.active_indicators import ActiveIndicators
from ..adapters.kafka_publisher import MetricsPublisher
from ..adapters.metric_events import assign_ids, events_of
from ..domain import upload_rows as rules
from .period_access import PeriodAccess
from .scheme_lookup import SchemeLookup


class RowsRefused(Exception):
    """Nothing was published: `problems` by row number and field, of `rows` rows."""

    def __init__(self, message: str, rows: int, problems: list[rules.RowProblem]):
        super().__init__(message)
        self.message, self.rows, self.problems = message, rows, problems


class ForeignRows(RowsRefused):
    """Rows naming another source than the uploading feed's."""


class InvalidRows(RowsRefused):
    """Rows scoring would not accept."""


class ValueUploads:
    def __init__(self, indicators: ActiveIndicators, schemes: SchemeLookup, periods: PeriodAccess,
                 publisher: MetricsPublisher):
        self.indicators, self.schemes, self.periods, self.publisher = indicators, schemes, periods, publisher

    def upload(self, rows: list, problems: list[rules.RowProblem], feed_source: str, now: datetime,
               dry_run: bool) -> list[tuple[int, str]]:
        """(row number, event id) of each row, published unless `dry_run`. `rows` are numbered
        cells ({column: cell}), `problems` those already found with their shape."""
        read = rules.read_rows(rows, feed_source)
        events, codec_problems = events_of(read.rows, now)
        problems = problems + read.problems + codec_problems
        if read.foreign:
            raise ForeignRows(f"{read.foreign[0]}", len(rows), read.foreign + problems)
        checked = [row for row, _event in events]
        problems += rules.scheme_problems(checked, self._facts_by_year(checked), self.indicators.consumed_metrics())
        if problems:
            raise InvalidRows(f"{len({p.row for p in problems})} of {len(rows)} rows have problems; nothing was published",
                              len(rows), problems)
        assign_ids([event for _row, event in events])
        if not dry_run:
            self.publisher.publish([event for _row, event in events])
        return [(row.number, event.event_id) for row, event in events]

    def _facts_by_year(self, rows: list[rules.RowValues]) -> dict[int, rules.SchemeFacts | None]:
        """The published scheme governing each year the rows are about, with its period states."""
        facts: dict[int, rules.SchemeFacts | None] = {}
        # A month or day may fall in the scheme of its calendar year or, with financial years,
        # of the year before (stages.scheme_year_of).
        starts = {parse_period(row.period_text()).start.year for row in rows}
        for year in sorted(starts | {year - 1 for year in starts}):
            code = self.schemes.code_for_year(year)
            facts[year] = None if code is None else rules.SchemeFacts.of(
                self.schemes.document(code), self.periods.all_states(code))
        return facts
