"""`jixiao plugin list` on a registry that has no plug-in yet says so and what to do,
instead of printing an empty table."""
from helpers.cli import run_jixiao


def test_an_empty_registry_says_how_to_register_the_installed_plugins(registry):
    address, tokens = registry
    env = {"JIXIAO_REGISTRY_ADDR": address, "JIXIAO_TOKEN": tokens.office}
    listed = run_jixiao("plugin", "list", env=env)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith("no plug-in registered; `jixiao plugin register` registers every installed one")
    filtered = run_jixiao("plugin", "list", "--status", "active", env=env)
    assert "no plug-in registered matching what you asked" in filtered.stdout
    assert run_jixiao("plugin", "register", env=env).returncode == 0
    table = run_jixiao("plugin", "list", env=env).stdout
    assert table.splitlines()[0].split() == ["name", "version", "status", "owner", "indicators"]
    assert "jixiao-indicator-generic" in table
