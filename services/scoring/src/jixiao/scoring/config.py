"""Scoring settings, read only from environment variables (see README)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jixiao.common.config import (
    ConfigError,
    data_dir,
    database_url,
    env_float,
    env_int,
    env_port,
    env_str,
    service_token,
    tokens_file,
)
from jixiao.common.kafka import DEAD_LETTER_TOPIC, METRICS_TOPIC, api_version

from .adapters.observation_cache import DEFAULT_CAPACITY


@dataclass(frozen=True)
class ScoringConfig:
    host: str
    port: int
    database_url: str
    kafka_bootstrap: str
    kafka_api_version: tuple[int, ...] | None
    metrics_topic: str
    dead_letter_topic: str
    consumer_group: str
    registry_address: str
    scheme_poll_seconds: float
    plugin_timeout_seconds: float
    batch_size: int
    # While the consumer has a backlog, rescoring waits at most this long.
    rescore_max_delay_seconds: float
    # Plug-in views of stored events kept in memory (0: none).
    cache_events: int
    service_token: str
    tokens_file: Path
    # Per-scheme secrets of ballot pseudonyms, outside the database (adapters/ballot_secrets.py).
    ballot_secrets_file: Path
    # "required": an event counts only with a valid signature of its source's key
    # (domain/feed_signatures.py); "off": not checked, for a migration only.
    feed_signatures: str = "required"
    # The anomaly checks run this often while events arrive (0: only when the office
    # lists the findings and before publishing).
    findings_refresh_seconds: float = 30.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> ScoringConfig:
        return cls(
            host=env_str(environ, "JIXIAO_BIND_HOST", "127.0.0.1"),
            port=env_port(environ, "JIXIAO_SCORING_PORT", 50052),
            database_url=scoring_database_url(environ),
            kafka_bootstrap=env_str(environ, "JIXIAO_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
            kafka_api_version=api_version(environ),
            metrics_topic=env_str(environ, "JIXIAO_METRICS_TOPIC", METRICS_TOPIC),
            dead_letter_topic=env_str(environ, "JIXIAO_DEAD_LETTER_TOPIC", DEAD_LETTER_TOPIC),
            consumer_group=env_str(environ, "JIXIAO_CONSUMER_GROUP", "jixiao-scoring"),
            registry_address=env_str(environ, "JIXIAO_REGISTRY_ADDR", "127.0.0.1:50051"),
            scheme_poll_seconds=env_float(environ, "JIXIAO_SCHEME_POLL_SECONDS", 2.0, minimum=0.1),
            plugin_timeout_seconds=env_float(environ, "JIXIAO_PLUGIN_TIMEOUT_SECONDS", 2.0, minimum=0.01),
            batch_size=env_int(environ, "JIXIAO_CONSUMER_BATCH", 2000, minimum=1, maximum=50_000),
            rescore_max_delay_seconds=env_float(environ, "JIXIAO_RESCORE_MAX_DELAY_SECONDS", 5.0, minimum=0.0),
            cache_events=env_int(environ, "JIXIAO_SCORING_CACHE_EVENTS", DEFAULT_CAPACITY, minimum=0, maximum=10_000_000),
            service_token=service_token(environ),
            tokens_file=tokens_file(environ),
            ballot_secrets_file=ballot_secrets_file(environ),
            feed_signatures=feed_signatures(environ),
            findings_refresh_seconds=env_float(environ, "JIXIAO_FINDINGS_REFRESH_SECONDS", 30.0, minimum=0.0),
        )


def scoring_database_url(environ: Mapping[str, str]) -> str:
    """JIXIAO_SCORING_DATABASE_URL, by default scoring.db in JIXIAO_DATA_DIR (the service, `jixiao baselines`)."""
    return database_url(environ, "JIXIAO_SCORING_DATABASE_URL", "scoring.db")


FEED_SIGNATURES = ("required", "off")


def feed_signatures(environ: Mapping[str, str]) -> str:
    """JIXIAO_FEED_SIGNATURES: `required` (default) or `off` (only while feeds move to signing)."""
    value = env_str(environ, "JIXIAO_FEED_SIGNATURES", "required").lower()
    if value not in FEED_SIGNATURES:
        raise ConfigError(f"JIXIAO_FEED_SIGNATURES={value!r} is neither 'required' nor 'off'; leave it unset "
                          "(required: events count only when their source's key signed them)")
    return value


def ballot_secrets_file(environ: Mapping[str, str]) -> Path:
    """JIXIAO_BALLOT_SECRETS_FILE, by default ballot-secrets.yaml in JIXIAO_DATA_DIR."""
    given = env_str(environ, "JIXIAO_BALLOT_SECRETS_FILE", "")
    return Path(given).expanduser() if given else data_dir(environ) / "ballot-secrets.yaml"

