import pytest

from jixiao.common.config import ConfigError, database_url, env_port
from jixiao.registry.config import RegistryConfig


def test_database_url_defaults_to_sqlite_in_the_data_dir(tmp_path):
    assert database_url({"JIXIAO_DATA_DIR": str(tmp_path)}, "X_URL", "a.db") == f"sqlite:///{tmp_path / 'a.db'}"


@pytest.mark.parametrize("raw", ["not a url", "mysql://u@h/db", "postgres//nohost"])
def test_malformed_or_unsupported_database_urls_are_named(raw):
    with pytest.raises(ConfigError, match="X_URL"):
        database_url({"X_URL": raw}, "X_URL", "a.db")


@pytest.mark.parametrize("raw", ["http", "-1", "70000"])
def test_bad_ports_are_named(raw):
    with pytest.raises(ConfigError, match="JIXIAO_X_PORT"):
        env_port({"JIXIAO_X_PORT": raw}, "JIXIAO_X_PORT", 1)


def test_missing_tokens_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="JIXIAO_TOKENS_FILE"):
        RegistryConfig.from_env({"JIXIAO_DATA_DIR": str(tmp_path), "JIXIAO_TOKENS_FILE": str(tmp_path / "nope.yaml")})


@pytest.mark.parametrize("raw, expected", [(None, "Asia/Shanghai"), ("UTC", "UTC"), ("Asia/Urumqi", "Asia/Urumqi")])
def test_the_portals_time_zone_defaults_to_beijing_time(raw, expected):
    from jixiao.gateway.config import portal_timezone

    assert portal_timezone({} if raw is None else {"JIXIAO_PORTAL_TIMEZONE": raw}) == expected


@pytest.mark.parametrize("raw", ["Beijing", "Asia/Nowhere", "../etc/passwd"])
def test_an_unknown_time_zone_is_named(raw):
    from jixiao.gateway.config import portal_timezone

    with pytest.raises(ConfigError, match="JIXIAO_PORTAL_TIMEZONE"):
        portal_timezone({"JIXIAO_PORTAL_TIMEZONE": raw})
