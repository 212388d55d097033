"""Gateway settings, read only from environment variables (see README)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jixiao.common.auth import TokenBook
from jixiao.common.config import ConfigError, env_float, env_port, env_str, service_token, tokens_file
from jixiao.common.feed_signing import load_key_file
from jixiao.common.kafka import METRICS_TOPIC, api_version
from jixiao_sdk.signing import ANY_SOURCE, SigningKey

DEFAULT_PORTAL_TIMEZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class GatewayConfig:
    host: str
    port: int
    scoring_address: str
    registry_address: str
    deadline_seconds: float
    # Office actions on a period (lock, approve, publish, reopen, recheck)
    # recompute or digest a whole period: they get a deadline of their own.
    action_deadline_seconds: float
    service_token: str
    # Who callers are: office tokens see unpublished periods and act on
    # periods; feed tokens upload metric values as their source.
    tokens: TokenBook
    # Where uploaded metric values are published (as a data feed would).
    kafka_bootstrap: str
    kafka_api_version: tuple[int, ...] | None
    metrics_topic: str
    # The relay key (source "*") the gateway signs uploads with, for the feed whose
    # token it checked; None: uploads are refused (scoring would not count them).
    relay_key: SigningKey | None = None
    # The key of the portal's signed session cookies (JIXIAO_PORTAL_SECRET_KEY); '': derived
    # from the service token (entrypoints/portal/__init__.py: configure_sessions).
    portal_secret_key: str = field(default="", repr=False)
    # The time zone the portal shows times in (JIXIAO_PORTAL_TIMEZONE, an IANA name); scoring
    # records them in UTC.
    portal_timezone: str = DEFAULT_PORTAL_TIMEZONE
    # The gateway's ballot-box token (role ballot_box, JIXIAO_BALLOT_BOX_TOKEN): the only token scoring
    # lets open and cast a democratic evaluation ballot with (docs/ballots.md); '': voting is closed (503).
    ballot_box_token: str = field(default="", repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> GatewayConfig:
        return cls(
            host=env_str(environ, "JIXIAO_BIND_HOST", "127.0.0.1"),
            port=env_port(environ, "JIXIAO_GATEWAY_PORT", 8080),
            scoring_address=env_str(environ, "JIXIAO_SCORING_ADDR", "127.0.0.1:50052"),
            registry_address=env_str(environ, "JIXIAO_REGISTRY_ADDR", "127.0.0.1:50051"),
            deadline_seconds=env_float(environ, "JIXIAO_GRPC_DEADLINE_SECONDS", 3.0, minimum=0.05),
            action_deadline_seconds=env_float(environ, "JIXIAO_GRPC_ACTION_DEADLINE_SECONDS", 120.0, minimum=0.05),
            service_token=service_token(environ),
            tokens=TokenBook.load(tokens_file(environ)),
            kafka_bootstrap=env_str(environ, "JIXIAO_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
            kafka_api_version=api_version(environ),
            metrics_topic=env_str(environ, "JIXIAO_METRICS_TOPIC", METRICS_TOPIC),
            relay_key=relay_key(environ),
            portal_secret_key=env_str(environ, "JIXIAO_PORTAL_SECRET_KEY", ""),
            portal_timezone=portal_timezone(environ),
            ballot_box_token=env_str(environ, "JIXIAO_BALLOT_BOX_TOKEN", ""),
        )


def portal_timezone(environ: Mapping[str, str]) -> str:
    """JIXIAO_PORTAL_TIMEZONE: an IANA time zone name (Asia/Shanghai by default)."""
    name = env_str(environ, "JIXIAO_PORTAL_TIMEZONE", DEFAULT_PORTAL_TIMEZONE)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"JIXIAO_PORTAL_TIMEZONE={name}: not a time zone; use an IANA name such as "
                          f"{DEFAULT_PORTAL_TIMEZONE} or UTC") from None
    return name


def relay_key(environ: Mapping[str, str]) -> SigningKey | None:
    """JIXIAO_RELAY_KEY_FILE: the key file of a relay key (`jixiao keys create --source '*'`), or None."""
    raw = env_str(environ, "JIXIAO_RELAY_KEY_FILE", "")
    if not raw:
        return None
    key = load_key_file(Path(raw).expanduser(), "JIXIAO_RELAY_KEY_FILE")
    if key.source != ANY_SOURCE:
        raise ConfigError(f"JIXIAO_RELAY_KEY_FILE={raw}: key {key.key_id} signs for source {key.source!r} only; the "
                          "gateway relays every feed's uploads and needs a relay key (`jixiao keys create --source '*'`)")
    return key
