"""Configuration from environment variables, with clear errors.

Every service is configured only by environment variables; each reader
here names the variable in its error message so that a bad setting ends the
process with one line saying what is wrong and how to fix it.
"""
from __future__ import annotations

import re
import socket
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


class ConfigError(Exception):
    """A setting is missing or malformed; the message says how to fix it."""


def env_str(environ: Mapping[str, str], name: str, default: str) -> str:
    value = environ.get(name, "").strip()
    return value or default


def env_int(environ: Mapping[str, str], name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number; set it to e.g. {default}") from None
    if value < minimum or (maximum is not None and value > maximum):
        upper = f" and {maximum}" if maximum is not None else ""
        raise ConfigError(f"{name}={value} is out of range; use a number between {minimum}{upper}")
    return value


def env_float(environ: Mapping[str, str], name: str, default: float, *, minimum: float = 0.0) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number; set it to e.g. {default}") from None
    if not value >= minimum:
        raise ConfigError(f"{name}={raw} must be at least {minimum}")
    return value


def env_port(environ: Mapping[str, str], name: str, default: int) -> int:
    """A TCP port; 0 asks the operating system for a free one."""
    return env_int(environ, name, default, minimum=0, maximum=65535)


def data_dir(environ: Mapping[str, str]) -> Path:
    """JIXIAO_DATA_DIR: where the embedded SQLite databases live (created if missing)."""
    path = Path(env_str(environ, "JIXIAO_DATA_DIR", ".jixiao")).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"JIXIAO_DATA_DIR={path} cannot be created ({exc.strerror}); point it at a writable folder") from None
    return path


def database_url(environ: Mapping[str, str], name: str, sqlite_file: str) -> str:
    """A SQLAlchemy database URL from `name`, by default a SQLite file in the data directory."""
    raw = environ.get(name, "").strip()
    if not raw:
        return f"sqlite:///{data_dir(environ) / sqlite_file}"
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise ConfigError(
            f"{name}={hide_password(raw)!r} is not a database URL; use e.g. "
            f"sqlite:////var/lib/jixiao/{sqlite_file} or postgresql+psycopg://user:password@host:5432/jixiao"
        ) from None
    if url.get_backend_name() not in {"sqlite", "postgresql"}:
        raise ConfigError(f"{name}: database {url.get_backend_name()!r} is not supported; use sqlite or postgresql")
    return raw


def hide_password(url: str) -> str:
    """The URL with the password of its user:password@ part replaced by ***, for messages."""
    return re.sub(r"(://[^/@:]*:)[^/]*@", r"\1***@", url)


def tokens_file(environ: Mapping[str, str]) -> Path:
    """JIXIAO_TOKENS_FILE: the hashes and roles of the accepted bearer tokens (required)."""
    raw = env_str(environ, "JIXIAO_TOKENS_FILE", "")
    if not raw:
        raise ConfigError("JIXIAO_TOKENS_FILE is not set; create a tokens file with `jixiao tokens init FILE` and point it there")
    path = Path(raw).expanduser()
    if not path.is_file():
        raise ConfigError(f"JIXIAO_TOKENS_FILE={raw}: no such file; create it with `jixiao tokens init {raw}`")
    return path


def check_port_free(host: str, port: int, setting: str) -> None:
    """Raises ConfigError naming `setting` when host:port cannot be listened on."""
    if port == 0:
        return
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise ConfigError(f"cannot listen on {host}:{port} ({exc.strerror}); set {setting} to a free port") from None


def service_token(environ: Mapping[str, str]) -> str:
    """JIXIAO_SERVICE_TOKEN: the reader token a service presents to the others (required)."""
    token = env_str(environ, "JIXIAO_SERVICE_TOKEN", "")
    if not token:
        raise ConfigError("JIXIAO_SERVICE_TOKEN is not set; give the service a reader token "
                          "(`jixiao tokens add FILE --name services --role reader`)")
    return token
