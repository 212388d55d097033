"""Plug-in views of stored events (`Observation`s), kept in memory.

Rescoring a unit hands its plug-ins every event of the year of the metrics
it changed, read again from the database; building the `Observation`s (the
SDK checks each field) is a good part of that cost. Stored events never
change, so their views are kept: at most `capacity` events, the oldest
dropped first, so memory is bounded by the capacity (about 0.6 KiB an
event), not by the events stored. The texts every event repeats — metric,
measurement unit, period, source, attribute names — are shared (interned)
rather than held once per event.
"""
from __future__ import annotations

import json
import sys
from collections import OrderedDict
from collections.abc import Mapping

from jixiao_sdk import Observation

# A city's year (the demo's 48,942 events) fits; a province's does not, and
# rescoring it reads unit after unit, so a bigger cache would rarely hit.
# On the load benchmark 50,000 rescored as fast as 200,000 (RELIABILITY.md).
DEFAULT_CAPACITY = 50_000


class ObservationCache:
    """Not locked itself: scoring uses it only while holding its writer lock
    (`UnitOfWork.writing`, service_layer/unit_of_work.py), as every recompute does."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY):
        if capacity < 0:
            raise ValueError(f"capacity must be 0 or more, not {capacity}")
        self.capacity = capacity
        # Not a plain dict: taking a dict's oldest key scans past the slots of every
        # key deleted before it, so evicting from a full dict costs O(capacity)
        # (~35 µs an event at 50,000); an OrderedDict pops its oldest in O(1).
        self._views: OrderedDict[str, Observation] = OrderedDict()

    def __len__(self) -> int:
        return len(self._views)

    def view(self, row: Mapping) -> Observation:
        """The plug-in view of a stored event row; built once while it stays cached."""
        event_id = row["event_id"]
        found = self._views.get(event_id)
        if found is None:
            found = _build(row)
            if self.capacity:
                if len(self._views) >= self.capacity:
                    self._views.popitem(last=False)
                self._views[event_id] = found
        return found

    def forget(self, event_id: str) -> None:
        """Drops an event's view (a revision withdrawn: that id may be stored again)."""
        self._views.pop(event_id, None)


def _build(row: Mapping) -> Observation:
    attributes = json.loads(row["attributes_json"])
    return Observation(
        event_id=row["event_id"], metric_code=sys.intern(row["metric_code"]), value=row["value"],
        measurement_unit=sys.intern(row["measurement_unit"]), period=sys.intern(row["period"]),
        source=sys.intern(row["source"]),
        attributes={sys.intern(name): value for name, value in attributes.items()} if attributes else attributes,
    )
