"""The portal's message catalogues (docs/portal.md#translations), without servers: they hold
exactly the messages of the portal's code and templates (not stale), every message has a
translation in every catalogue, not fuzzy, with the msgid's placeholders and no markup,
and they lie where Flask-Babel looks for them. tests/integration/portal/test_translations.py renders
pages with them."""
from __future__ import annotations

import importlib.util
import re

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask_babel import gettext, ngettext

from helpers import REPO
from jixiao.gateway.entrypoints.portal import i18n

GATEWAY = REPO / "services" / "gateway"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _tool():
    """services/gateway/translations.py, which `make translations` runs."""
    spec = importlib.util.spec_from_file_location("gateway_translations", GATEWAY / "translations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


translations = _tool()


def _catalogue(locale: str):
    with translations.po_path(locale).open("rb") as f:
        return read_po(f, locale=locale)


def _forms(text) -> tuple[str, ...]:
    return (text,) if isinstance(text, str) else tuple(text)


def test_the_catalogues_are_those_of_the_sources():
    assert translations.stale_files() == [], "run `make translations`, then translate the new messages"


def test_the_catalogues_are_where_flask_babel_looks_for_them():
    assert translations.CATALOGUES == i18n.TRANSLATIONS
    assert set(translations.LOCALES) == set(i18n.LOCALES.values())
    for locale in translations.LOCALES:
        assert translations.po_path(locale).with_suffix(".mo").is_file()


@pytest.mark.parametrize("locale", translations.LOCALES)
def test_every_message_is_translated_with_its_placeholders(locale):
    catalogue = _catalogue(locale)
    messages = [m for m in catalogue if m.id]
    assert len(messages) > 200
    problems = []
    for m in messages:
        key = f"{m.context + ' | ' if m.context else ''}{_forms(m.id)[0]!r}"
        if "fuzzy" in m.flags:
            problems.append(f"{key}: fuzzy (check the guess, then remove the flag)")
        if not translations.translated(m):
            problems.append(f"{key}: not translated")
            continue
        wanted = {frozenset(PLACEHOLDER.findall(text)) for text in _forms(m.id)}
        for text in _forms(m.string):
            if frozenset(PLACEHOLDER.findall(text)) not in wanted:
                problems.append(f"{key}: placeholders {sorted(set(PLACEHOLDER.findall(text)))} in {text!r}")
            # the templates use Jinja's new-style gettext: the translation is not escaped, the values are.
            # The scheme desk's help texts are the declaration's docs, looked up in Python (i18n.scheme_help)
            # and escaped as data: their English may quote `dimension:<code>`.
            if set(text) & set('<>&"') and not (m.context == "scheme help" and locale == "en"):
                problems.append(f"{key}: markup characters in {text!r}")
    assert problems == []
    assert [(m.id, errors) for m, errors in catalogue.check()] == []  # Babel's own checkers (formats, plural forms)


def test_the_chinese_catalogue_is_chinese_and_the_english_one_english():
    chinese = [m for m in _catalogue("zh_Hans_CN") if m.id]
    # a Chinese character, or Chinese punctuation (the list separator 、, the dash of a run of periods —)
    untranslated = [m.id for m in chinese
                    if not any(re.search(r"[\u2014\u3000-\u9fff\uff00-\uffef]", t) for t in _forms(m.string))]
    assert untranslated == [], "Chinese translations that are not Chinese"
    # the declaration's English docs quote the Chinese terms they explain (序时进度, 缺报)
    english = [t for m in _catalogue("en") if m.id and m.context != "scheme help" for t in _forms(m.string)]
    assert [t for t in english if re.search(r"[\u3000-\u9fff\uff00-\uffef]", t)] == []


@pytest.mark.parametrize("url, cookie, expected", [
    ("/", None, "考核结果"), ("/?lang=en", None, "Results"), ("/", "en", "Results"), ("/?lang=zh", "en", "考核结果"),
    ("/?lang=fr", None, "考核结果"),
])
def test_flask_babel_reads_the_catalogue_of_the_pages_language(url, cookie, expected):
    app = Flask(__name__)
    i18n.configure_translations(app)
    headers = {"Cookie": f"{i18n.COOKIE}={cookie}"} if cookie else {}
    with app.test_request_context(url, headers=headers):
        assert gettext("Results") == expected
        chinese = expected == "考核结果"
        assert ngettext("%(num)d finding open", "%(num)d findings open", 1) == ("疑点待核 1" if chinese else "1 finding open")
        assert ngettext("%(num)d finding open", "%(num)d findings open", 2) == ("疑点待核 2" if chinese else "2 findings open")
        assert i18n.state_label("locked") == ("已锁定" if chinese else "Locked")
        assert i18n.switch_texts("en") == ("English", "Switch to English")
        assert i18n.switch_texts("zh") == ("中文", "切换到中文")
        assert gettext("Results") == expected  # forcing the other language leaves the page's
