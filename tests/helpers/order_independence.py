"""One ruler: scoring events one batch at a time gives the same stored rows as
scoring them all at once in another order, then rescoring the whole year."""
from collections.abc import Callable, Sequence
from pathlib import Path

from jixiao.scoring.bootstrap import build_service
from jixiao.scoring.domain.records import IncomingRecord
from jixiao_sdk import IndicatorHost


def assert_order_independent(host: Callable[[], IndicatorHost], scheme: dict, records: Sequence[IncomingRecord],
                             batch: int, folder: Path) -> None:
    incremental = build_service(f"sqlite:///{folder / 'a.db'}", host())
    incremental.adopt_scheme(scheme, 1, "sha256:test")
    for start in range(0, len(records), batch):
        incremental.ingest(records[start:start + batch])
    at_once = build_service(f"sqlite:///{folder / 'b.db'}", host())
    at_once.adopt_scheme(scheme, 1, "sha256:test")
    at_once.ingest(list(reversed(records)))
    at_once.adopt_scheme(scheme, 2, "sha256:test")  # a full rescore of the year
    with incremental.engine.connect() as a, at_once.engine.connect() as b:
        for table in ("scoring_indicator_results", "scoring_unit_scores"):
            query = f"SELECT * FROM {table} ORDER BY unit_id, period" + (", indicator_code" if "indicator" in table else "")
            left = [dict(r._mapping) | {"scheme_version": 0} for r in a.exec_driver_sql(query)]
            right = [dict(r._mapping) | {"scheme_version": 0} for r in b.exec_driver_sql(query)]
            assert left == right, table
