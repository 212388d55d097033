"""A service's tokens follow its tokens file (jixiao.common.auth.TokenFile): a change
counts at the first lookup a second or more after the last look, without a restart;
a broken file keeps the tokens read before and says so once. The clock is injected.
A real service picking up `jixiao tokens add`: tests/e2e/platform/test_token_reload.py."""
from __future__ import annotations

import logging
import stat

import pytest
import yaml

from jixiao.common.auth import TokenBook, TokenFile
from jixiao.common.config import ConfigError
from jixiao.common.tokens_cli import append


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def tokens_file(tmp_path):
    path = tmp_path / "tokens.yaml"
    office = append(path, "考核办", "office", "")
    return path, office


def remove_entry(path, name: str) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["tokens"] = [entry for entry in data["tokens"] if entry["name"] != name]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_an_added_token_counts_from_the_first_lookup_a_second_later(tokens_file, clock):
    path, office = tokens_file
    book = TokenFile(path, clock=clock)
    feed = append(path, "市统计局", "feed", "stats_bureau")
    clock.now += 0.5
    assert book.principal(feed) is None, "the file is looked at no more than once a second"
    clock.now += 0.5
    assert book.principal(feed).subject == "stats_bureau"
    assert book.principal(office).role == "office"


def test_a_removed_token_is_refused_and_a_rotated_one_replaces_it(tokens_file, clock):
    path, office = tokens_file
    book = TokenFile(path, clock=clock)
    new_office = append(path, "考核办 2026", "office", "")
    remove_entry(path, "考核办")
    clock.now += 1
    assert book.principal(office) is None
    assert book.principal(new_office).name == "考核办 2026"


@pytest.mark.parametrize("broken, problem", [
    ("tokens: [unclosed", "not valid YAML"),
    ("tokens: []\n", "lists no tokens"),
    ("tokens: {office: x}\n", "`tokens` must be a list"),
    ("tokens:\n  - {name: x, role: admin, sha256: " + "0" * 64 + "}\n", "tokens[0]: role must be one of"),
])
def test_a_broken_file_keeps_the_tokens_read_before_and_says_so_once(tokens_file, clock, caplog, broken, problem):
    path, office = tokens_file
    book = TokenFile(path, clock=clock)
    path.write_text(broken, encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="jixiao.common.auth"):
        for _ in range(3):
            clock.now += 1
            assert book.principal(office).role == "office"
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, caplog.text
    assert problem in warnings[0].getMessage()
    assert "the 1 tokens read before stay in force until the file is valid again" in warnings[0].getMessage()
    assert str(path) in warnings[0].getMessage()


def test_no_token_counts_from_a_file_with_an_invalid_entry(tokens_file, clock, caplog):
    path, office = tokens_file
    book = TokenFile(path, clock=clock)
    feed = append(path, "市统计局", "feed", "stats_bureau")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["tokens"][1]["subject"]  # a feed token without its source
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    clock.now += 1
    with caplog.at_level(logging.WARNING, logger="jixiao.common.auth"):
        assert book.principal(feed) is None
    assert book.principal(office).role == "office"
    assert "tokens[1]: a feed token needs a subject" in caplog.text


def test_a_missing_file_keeps_the_tokens_and_its_return_is_adopted(tokens_file, clock, caplog):
    path, office = tokens_file
    book = TokenFile(path, clock=clock)
    saved = path.read_bytes()
    path.unlink()
    with caplog.at_level(logging.INFO, logger="jixiao.common.auth"):
        clock.now += 1
        assert book.principal(office).role == "office"
        clock.now += 1
        book.principal(office)
        assert [r.levelname for r in caplog.records] == ["WARNING"]
        assert "No such file or directory" in caplog.records[0].getMessage()
        path.write_bytes(saved)
        reader = append(path, "services", "reader", "")
        clock.now += 1
        assert book.principal(reader).role == "reader"
    assert caplog.records[-1].levelname == "INFO"
    assert caplog.records[-1].getMessage() == f"JIXIAO_TOKENS_FILE={path} changed: 2 tokens in force"


def test_a_fixed_file_is_adopted_after_a_broken_one(tokens_file, clock):
    path, office = tokens_file
    book = TokenFile(path, clock=clock)
    good = path.read_text(encoding="utf-8")
    path.write_text("tokens: [", encoding="utf-8")
    clock.now += 1
    book.principal(office)
    path.write_text(good, encoding="utf-8")
    reader = append(path, "services", "reader", "")
    clock.now += 1
    assert book.principal(reader).role == "reader"


def test_an_unchanged_file_is_not_parsed_again(tokens_file, clock, monkeypatch):
    path, office = tokens_file
    book = TokenFile(path, clock=clock)
    parsed = []
    monkeypatch.setattr("jixiao.common.auth.parse_tokens", lambda *args: parsed.append(args))
    for _ in range(3):
        clock.now += 1
        assert book.principal(office).role == "office"
    assert parsed == []


def test_at_start_a_broken_file_is_a_configuration_error(tmp_path):
    path = tmp_path / "tokens.yaml"
    path.write_text("tokens: [", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        TokenBook.load(path)
    with pytest.raises(ConfigError, match="No such file or directory; create it with `jixiao tokens init"):
        TokenBook.load(tmp_path / "missing.yaml")


def test_tokens_add_replaces_the_file_whole_and_private(tokens_file):
    path, _ = tokens_file
    append(path, "市统计局", "feed", "stats_bureau")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["tokens.yaml"], "no temporary file left behind"


def test_a_department_head_token_names_its_department(tokens_file, tmp_path):
    path, _ = tokens_file
    head = append(path, "市纪委主要负责人", "department_head", "discipline_commission")
    principal = TokenBook.load(path).principal(head)
    assert (principal.role, principal.subject) == ("department_head", "discipline_commission")
    lacking = tmp_path / "lacking.yaml"
    append(lacking, "无名负责人", "department_head", "")
    with pytest.raises(ConfigError, match="a department_head token needs a subject"):
        TokenBook.load(lacking)


def test_tokens_add_offers_the_department_head_role_and_wants_its_subject(tmp_path, capsys):
    from jixiao.common.tokens_cli import run

    class Options:
        action, file, name, role, subject = "add", tmp_path / "tokens.yaml", "市纪委主要负责人", "department_head", ""

    assert run(Options()) == 2
    assert "a department_head token needs --subject" in capsys.readouterr().out


def test_an_assessor_token_names_the_assessor_and_tokens_add_wants_it(tokens_file, tmp_path, capsys):
    from jixiao.common.tokens_cli import run

    path, _ = tokens_file
    token = append(path, "考评员 A017", "assessor", "A017")
    principal = TokenBook.load(path).principal(token)
    assert (principal.role, principal.subject) == ("assessor", "A017")
    lacking = tmp_path / "lacking.yaml"
    append(lacking, "无名考评员", "assessor", "")
    with pytest.raises(ConfigError, match="an assessor token needs a subject"):
        TokenBook.load(lacking)

    class Options:
        action, file, name, role, subject = "add", tmp_path / "more.yaml", "考评员 A018", "assessor", ""

    assert run(Options()) == 2
    assert "an assessor token needs --subject (its source, department or assessor code)" in capsys.readouterr().out
