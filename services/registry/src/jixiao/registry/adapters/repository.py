"""SQL repository of plug-in versions, scheme versions and the feeds' signing keys."""
from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime

from sqlalchemy import Engine, func, select, update

from ..domain.records import IndicatorDefinition, PluginEvent, PluginVersion, SchemeVersion, SourceKey
from ..domain.scheme import canonical_json
from .sql_schema import plugin_events, plugin_versions, scheme_versions, source_keys


class RegistryRepository:
    def __init__(self, engine: Engine):
        self.engine = engine

    # plug-ins -----------------------------------------------------------
    def add_plugin(self, plugin: PluginVersion, event: PluginEvent) -> None:
        """Stores a new version and the event of its registration, in one transaction."""
        row = asdict(plugin)
        row["indicators_json"] = json.dumps(row.pop("indicators"), ensure_ascii=False)
        with self.engine.begin() as connection:
            connection.execute(plugin_versions.insert().values(**row))
            connection.execute(plugin_events.insert().values(**asdict(event)))

    def get_plugin(self, name: str, version: str) -> PluginVersion | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(plugin_versions).where(plugin_versions.c.name == name, plugin_versions.c.version == version)
            ).mappings().first()
        return _plugin(row) if row else None

    def list_plugins(self, status: str = "") -> list[PluginVersion]:
        query = select(plugin_versions).order_by(plugin_versions.c.registered_at.desc(), plugin_versions.c.name)
        if status:
            query = query.where(plugin_versions.c.status == status)
        with self.engine.connect() as connection:
            return [_plugin(row) for row in connection.execute(query).mappings()]

    def set_plugin_status(self, changes: list[PluginEvent]) -> None:
        """Applies status changes and records them, in one transaction."""
        with self.engine.begin() as connection:
            for change in changes:
                connection.execute(
                    update(plugin_versions)
                    .where(plugin_versions.c.name == change.name, plugin_versions.c.version == change.version)
                    .values(status=change.status)
                )
                connection.execute(plugin_events.insert().values(**asdict(change)))

    def plugin_history(self, name: str, version: str) -> list[PluginEvent]:
        """The recorded events of one version, oldest first."""
        query = (select(*[c for c in plugin_events.c if c.name != "id"])
                 .where(plugin_events.c.name == name, plugin_events.c.version == version)
                 .order_by(plugin_events.c.id))
        with self.engine.connect() as connection:
            return [PluginEvent(**{**row, "at": _utc(row["at"])}) for row in connection.execute(query).mappings()]

    # schemes ------------------------------------------------------------
    def latest_version_number(self, code: str) -> int:
        with self.engine.connect() as connection:
            return connection.execute(
                select(func.coalesce(func.max(scheme_versions.c.version), 0)).where(scheme_versions.c.code == code)
            ).scalar_one()

    def add_scheme(self, scheme: SchemeVersion) -> None:
        row = asdict(scheme)
        row["document_json"] = canonical_json(row.pop("document"))
        with self.engine.begin() as connection:
            connection.execute(scheme_versions.insert().values(**row))

    def get_scheme(self, code: str, version: int = 0, *, published_only: bool = False) -> SchemeVersion | None:
        query = select(scheme_versions).where(scheme_versions.c.code == code)
        if version:
            query = query.where(scheme_versions.c.version == version)
        if published_only:
            query = query.where(scheme_versions.c.status == "published")
        query = query.order_by(scheme_versions.c.version.desc()).limit(1)
        with self.engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        return _scheme(row) if row else None

    def list_schemes(self, code: str = "") -> list[SchemeVersion]:
        query = select(*[c for c in scheme_versions.c if c.name != "document_json"]).order_by(
            scheme_versions.c.code, scheme_versions.c.version
        )
        if code:
            query = query.where(scheme_versions.c.code == code)
        with self.engine.connect() as connection:
            rows = [dict(row) for row in connection.execute(query).mappings()]
        return [SchemeVersion(**{**row, "created_at": _utc(row["created_at"]), "published_at": _utc(row["published_at"])})
                for row in rows]

    def mark_published(self, code: str, version: int, when: datetime, by: str, reason: str) -> None:
        """Marks a draft published, by whom, when and why; a version already published keeps
        its first publication (the update matches drafts only)."""
        with self.engine.begin() as connection:
            connection.execute(
                update(scheme_versions)
                .where(scheme_versions.c.code == code, scheme_versions.c.version == version,
                       scheme_versions.c.status == "draft")
                .values(status="published", published_at=when, published_by=by, publication_reason=reason)
            )

    def scheme_sources(self) -> set[str]:
        """The source codes (`sources[].code`) of every stored scheme version, draft or published."""
        found: set[str] = set()
        with self.engine.connect() as connection:
            for (text,) in connection.execute(select(scheme_versions.c.document_json)):
                sources = json.loads(text).get("sources")
                if isinstance(sources, list):
                    found.update(str(s["code"]) for s in sources if isinstance(s, dict) and s.get("code"))
        return found

    # the feeds' signing keys --------------------------------------------
    def add_source_key(self, key: SourceKey) -> None:
        with self.engine.begin() as connection:
            connection.execute(source_keys.insert().values(**asdict(key)))

    def get_source_key(self, key_id: str) -> SourceKey | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(source_keys).where(source_keys.c.key_id == key_id)).mappings().first()
        return _source_key(row) if row else None

    def list_source_keys(self, source: str = "") -> list[SourceKey]:
        query = select(source_keys).order_by(source_keys.c.created_at, source_keys.c.key_id)
        if source:
            query = query.where(source_keys.c.source == source)
        with self.engine.connect() as connection:
            return [_source_key(row) for row in connection.execute(query).mappings()]

    def revoke_source_key(self, key_id: str, when: datetime, by: str, reason: str) -> None:
        """Marks an active key revoked (a revoked one keeps its first revocation)."""
        with self.engine.begin() as connection:
            connection.execute(update(source_keys)
                               .where(source_keys.c.key_id == key_id, source_keys.c.revoked_at.is_(None))
                               .values(revoked_at=when, revoked_by=by, revoked_reason=reason))


def _source_key(row) -> SourceKey:
    return SourceKey(**{**row, "public_key": bytes(row["public_key"]), "created_at": _utc(row["created_at"]),
                        "revoked_at": _utc(row["revoked_at"])})


def _utc(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; every stored time is UTC."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _plugin(row) -> PluginVersion:
    data = dict(row)
    data["registered_at"] = _utc(data["registered_at"])
    indicators = tuple(
        IndicatorDefinition(**{**i, "input_metrics": tuple(i["input_metrics"]), "parameters": tuple(i.get("parameters", ()))})
        for i in json.loads(data.pop("indicators_json"))
    )
    return PluginVersion(**data, indicators=indicators)


def _scheme(row) -> SchemeVersion:
    data = dict(row)
    data["created_at"], data["published_at"] = _utc(data["created_at"]), _utc(data["published_at"])
    document = json.loads(data.pop("document_json"))
    return SchemeVersion(**data, document=document)
