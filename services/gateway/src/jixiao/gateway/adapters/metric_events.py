"""The MetricEvents of uploaded rows, as the metrics topic carries them: each
row's values (domain/upload_rows.py) as an event, the event codec's checks
(jixiao.common.event_codec, the same scoring makes), and the events' ids.

Event ids: a row may carry the feed's own `event_id`; otherwise the id is
derived from the source and the row's content (and, for identical rows of
one upload, their occurrence), so that uploading the same file again
publishes the same ids and scoring stores nothing twice.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from datetime import datetime

from jixiao.common import event_codec
from jixiao.v1.metric_event_pb2 import MetricEvent

from ..domain.upload_rows import RowProblem, RowValues, problem_of

ID_PREFIX = "upl-"


def events_of(rows: list[RowValues], reported_at: datetime) -> tuple[list[tuple[RowValues, MetricEvent]], list[RowProblem]]:
    """Each row with its event (without an id yet), or the codec's problem with it."""
    events, problems = [], []
    for row in rows:
        event = event_of(row, reported_at)
        try:
            event_codec.check(_with_placeholder_id(event))
        except event_codec.EventError as exc:
            problems.append(problem_of(row.number, str(exc)))
            continue
        events.append((row, event))
    return events, problems


def event_of(row: RowValues, reported_at: datetime) -> MetricEvent:
    event = MetricEvent()
    for name, text in row.texts.items():
        setattr(event, name, text)
    if row.value is not None:
        event.value = row.value
    if row.period:
        event.period = row.period
    if row.observed_at is not None:
        event.observed_at.FromDatetime(row.observed_at)
    if row.attributes:
        event.attributes.update(row.attributes)
    event.reported_at.FromDatetime(reported_at)
    return event


def assign_ids(events: list[MetricEvent]) -> None:
    """Gives each event without one its content-derived id."""
    seen: Counter[bytes] = Counter()
    for event in events:
        if event.event_id:
            continue
        identity = MetricEvent()
        identity.CopyFrom(event)
        identity.ClearField("reported_at")
        content = identity.SerializeToString(deterministic=True)
        occurrence = seen[content]
        seen[content] += 1
        digest = hashlib.sha256(b"%s\x00%s\x00%d" % (event.source.encode(), content, occurrence)).hexdigest()
        event.event_id = ID_PREFIX + digest[:40]


def _with_placeholder_id(event: MetricEvent) -> MetricEvent:
    """The codec's structural checks need an id; an upload's is assigned later."""
    if event.event_id:
        return event
    probe = MetricEvent()
    probe.CopyFrom(event)
    probe.event_id = ID_PREFIX
    return probe
