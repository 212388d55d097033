"""The registry's records as `jixiao.v1` messages and back: what the gRPC servicer answers
and the commands send."""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from jixiao.common.proto_convert import timestamp
from jixiao.v1 import registry_pb2 as pb

from ..domain.records import IndicatorDefinition, PluginEvent, PluginVersion, SchemeVersion, SourceKey

DEFINITION_FIELDS = tuple(f.name for f in dataclasses.fields(IndicatorDefinition))
SEQUENCE_FIELDS = ("input_metrics", "parameters")


def definition_message(indicator: IndicatorDefinition) -> pb.IndicatorDefinition:
    values = {f: getattr(indicator, f) for f in DEFINITION_FIELDS}
    return pb.IndicatorDefinition(**{**values, **{f: list(values[f]) for f in SEQUENCE_FIELDS}})


def plugin_message(plugin: PluginVersion, history: Sequence[PluginEvent] = ()) -> pb.PluginVersion:
    return pb.PluginVersion(
        name=plugin.name,
        version=plugin.version,
        owner=plugin.owner,
        digest=plugin.digest,
        status=plugin.status,
        registered_at=timestamp(plugin.registered_at),
        indicators=[definition_message(i) for i in plugin.indicators],
        history=[pb.PluginEvent(status=e.status, previous_status=e.previous_status, actor=e.actor, reason=e.reason,
                                at=timestamp(e.at)) for e in history],
    )


def plugin_record(message: pb.PluginVersion) -> PluginVersion:
    """A version to register, as a caller sent it: a draft, not yet registered."""
    return PluginVersion(
        name=message.name,
        version=message.version,
        owner=message.owner,
        digest=message.digest,
        status="draft",
        indicators=tuple(
            IndicatorDefinition(**{**{f: getattr(i, f) for f in DEFINITION_FIELDS},
                                   **{f: tuple(getattr(i, f)) for f in SEQUENCE_FIELDS}})
            for i in message.indicators
        ),
        registered_at=None,
    )


def scheme_message(scheme: SchemeVersion) -> pb.SchemeVersion:
    return pb.SchemeVersion(
        code=scheme.code,
        year=scheme.year,
        version=scheme.version,
        status=scheme.status,
        digest=scheme.digest,
        author=scheme.author,
        reason=scheme.reason,
        created_at=timestamp(scheme.created_at),
        published_at=timestamp(scheme.published_at),
        published_by=scheme.published_by,
        publication_reason=scheme.publication_reason,
    )


def source_key_message(key: SourceKey) -> pb.SourceKey:
    return pb.SourceKey(key_id=key.key_id, source=key.source, public_key=key.public_key, created_by=key.created_by,
                        created_at=timestamp(key.created_at), revoked_at=timestamp(key.revoked_at),
                        revoked_by=key.revoked_by, revoked_reason=key.revoked_reason)
