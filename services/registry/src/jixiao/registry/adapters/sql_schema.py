"""The registry's tables (SQLAlchemy Core); migrations/ creates them."""
from sqlalchemy import Column, DateTime, Integer, LargeBinary, MetaData, String, Table, Text

metadata = MetaData()

plugin_versions = Table(
    "registry_plugin_versions",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("version", String(64), primary_key=True),
    Column("owner", String(100), nullable=False),
    Column("digest", String(100), nullable=False),
    Column("status", String(16), nullable=False),
    Column("indicators_json", Text, nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False),
)

# Append-only: who registered a plug-in version and who changed its status, when and why.
plugin_events = Table(
    "registry_plugin_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, index=True),
    Column("version", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("previous_status", String(16), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

scheme_versions = Table(
    "registry_scheme_versions",
    metadata,
    Column("code", String(100), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("year", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("digest", String(100), nullable=False),
    Column("author", String(200), nullable=False),
    Column("reason", Text, nullable=False),
    Column("document_json", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=True),
    # Who published the version and why ("" while a draft, and for versions published before r0004).
    Column("published_by", String(200), nullable=False, server_default=""),
    Column("publication_reason", Text, nullable=False, server_default=""),
)

# The feeds' signing keys: public keys only (the private key is shown once, at creation).
source_keys = Table(
    "registry_source_keys",
    metadata,
    Column("key_id", String(64), primary_key=True),
    Column("source", String(100), nullable=False, index=True),
    Column("public_key", LargeBinary(32), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("revoked_by", String(200), nullable=False),
    Column("revoked_reason", Text, nullable=False),
)
