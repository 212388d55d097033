"""The portal in the language chosen (docs/portal.md#languages): a page renders in Chinese
by default and in English on request (?lang=, the cookie), through the gettext catalogues
(tests/unit/gateway/test_translations_catalogues.py checks them). No servers and no
browser: Flask's test client with stand-ins for the backends."""
from __future__ import annotations

import re

import pytest

from helpers import demo_document, make_tokens
from jixiao.common.auth import TokenBook
from jixiao.gateway.adapters.backend_errors import Unimplemented
from jixiao.gateway.entrypoints import wiring
from jixiao.gateway.entrypoints.flask_app import create_app
from jixiao.gateway.entrypoints.portal import i18n

# -- pages --------------------------------------------------------------------------------------

SCHEME = demo_document()


class _Schemes:
    def published(self):
        return [{"code": SCHEME["scheme"]["code"], "year": SCHEME["scheme"]["year"], "version": 1, "status": "published"}]

    def document(self, code, version=0):
        return SCHEME


class _Periods:
    """The office sees Q1 published and Q2 approved; nothing is published for the public."""

    def listed(self, scheme_code, viewer):
        if not viewer.office:
            return []
        return [{"period": "2026-Q1", "state": "published", "locked_by": "考核办", "locked_at": "2026-04-02T08:00:00Z",
                 "approved_by": "考核办", "approved_at": "2026-04-03T08:00:00Z",
                 "published_by": "考核办", "published_at": "2026-04-04T08:00:00Z"},
                {"period": "2026-Q2", "state": "approved", "locked_by": "考核办", "locked_at": "2026-07-02T08:00:00Z",
                 "approved_by": "考核办", "approved_at": "2026-07-03T08:00:00Z"}]


class _Backends:
    def call(self, backend, method, request, token=None):
        raise Unimplemented(f"{method} is not implemented here", backend, method)


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    tokens = make_tokens(tmp_path_factory.mktemp("tokens"))
    wired = wiring.Wiring(backends=_Backends(), schemes=_Schemes(), periods=_Periods(), uploads=None, publisher=None,
                          tokens=TokenBook.load(tokens.file))
    app = create_app(wired, portal_secret_key="translations-test", service_token="")
    return app, tokens


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("query, cookie, lang, words", [
    ("", None, "zh-CN", ["绩效考核公示", "暂无已发布的考核结果", "考核对象", "考核办登录", "English"]),
    ("?lang=en", None, "en", ["Performance evaluation results", "No published results yet", "Units under evaluation",
                              "Office login", "中文"]),
    ("", "en", "en", ["No published results yet"]),
    ("?lang=zh", "en", "zh-CN", ["暂无已发布的考核结果"]),
])
def test_the_home_page_is_in_the_chosen_language(portal, query, cookie, lang, words):
    app, _ = portal
    client = app.test_client()
    if cookie:
        client.set_cookie(i18n.COOKIE, cookie)
    page = client.get("/" + query)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and f'<html lang="{lang}">' in html
    assert [w for w in words if w not in _text(html)] == []
    other = "No published results yet" if lang == "zh-CN" else "暂无已发布的考核结果"
    assert other not in html
    if lang == "zh-CN":
        assert 'title="Switch to English"' in html
    else:
        assert 'title="切换到中文"' in html


def _signed_in(app, tokens, lang: str):
    client = app.test_client()
    client.set_cookie(i18n.COOKIE, lang)
    login = client.get("/office/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', login).group(1)
    refused = client.post("/office/login", data={"csrf": csrf, "token": "not a token", "next": "/office/"})
    assert refused.status_code == 401
    answer = client.post("/office/login", data={"csrf": csrf, "token": tokens.office, "next": "/office/"})
    assert answer.status_code == 302
    return client, refused.get_data(as_text=True)


@pytest.mark.parametrize("lang, words, buttons", [
    ("zh", ["考核期管理", "已公示", "已审核", "锁定: 考核办", "公示: 考核办", "已登录：考核办",
            "2026-04-02 16:00 北京时间",  # scoring's 08:00 UTC in the portal's time zone (Asia/Shanghai by default)
            "考核办工作台：含尚未公示的结果，仅供考核办使用，请勿外传。"],
     {"recheck": "回溯复核", "publish": "公示", "reopen": "重新开放"}),
    ("en", ["Periods", "Published", "Approved", "Locked: 考核办", "Published: 考核办", "Signed in: 考核办",
            "2026-04-02 16:00 Beijing time",
            "The evaluation office's desk: it shows results not yet published; for the office only."],
     {"recheck": "Recheck", "publish": "Publish", "reopen": "Reopen"}),
])
def test_the_office_desk_is_in_the_chosen_language(portal, lang, words, buttons):
    app, tokens = portal
    client, refused = _signed_in(app, tokens, lang)
    assert ("令牌无效，或不是考核办令牌。" if lang == "zh" else
            "The token is unknown or is not an evaluation office token.") in refused
    html = client.get("/office/").get_data(as_text=True)
    assert [w for w in words if w not in _text(html)] == []
    assert dict(re.findall(r'data-action="(\w+)">([^<]+)</button>', html)) == buttons
    rows = dict(re.findall(r'<tr data-period="([^"]+)" data-state="([A-Z]*)"', html))
    assert rows == {"2026-Q1": "PUBLISHED", "2026-Q2": "APPROVED"}  # the markup does not change with the language


def test_a_flash_and_an_error_page_are_in_the_chosen_language(portal):
    app, tokens = portal
    for lang, flash, expired in (("zh", "操作未完成：评分服务尚未实现该操作。", "页面已过期，请重试。"),
                                 ("en", "The action did not complete: The scoring service does not implement this "
                                        "action yet.", "The page expired; please try again.")):
        client, _ = _signed_in(app, tokens, lang)
        desk = client.get("/office/").get_data(as_text=True)
        csrf = re.search(r'name="csrf" value="([^"]+)"', desk).group(1)
        answer = client.post("/office/periods/2026-Q1/recheck", data={"csrf": csrf}, follow_redirects=True)
        assert flash in _text(answer.get_data(as_text=True))
        stale = client.post("/office/periods/2026-Q1/recheck", data={"csrf": "stale"})
        assert stale.status_code == 400 and expired in stale.get_data(as_text=True)
