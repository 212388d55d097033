"""Democratic evaluation ballots in the portal (docs/ballots.md), in a real browser against a real
registry, scoring and gateway exporting their traces to an OTLP receiver: the office issues
codes for two rater groups and gets them once as printable A4 slips (and a CSV); a rater on a
375 px phone, with no account, opens a ballot with a code, rates the leadership team and each
leader, and submits; the same code a second time is refused and stores nothing; the office
sees the turnout per group (the group under its minimum flagged), counts, and the unit's
result explains the points by group. Then the privacy check: no table row but the code's own
holds a code's hash, none holds a code, and no log line or exported span or metric holds
either. The module runs its own small platform (one ballot-scored indicator, two districts,
no events); JIXIAO_SCREENSHOTS=<folder> keeps screenshots."""
from __future__ import annotations

import base64
import os
import sqlite3
import urllib.parse
from pathlib import Path

import pytest
import yaml

from helpers import eventually, make_tokens
from helpers.ballot_platform import BALLOT_BOX, CODE, SCHEME
from helpers.ballot_scheme import INDICATOR
from helpers.otlp_receiver import OtlpReceiver
from helpers.platform import start_platform
from jixiao.common.tokens_cli import append
from jixiao.scoring.domain import ballots as rules

from .conftest import Watched

SCREENSHOTS = Path(os.environ["JIXIAO_SCREENSHOTS"]) if os.environ.get("JIXIAO_SCREENSHOTS") else None
ROUND = f"/office/ballots/{INDICATOR}/2026/U1?scheme={CODE}"


@pytest.fixture(scope="module")
def platform(broker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("ballots")
    tokens = make_tokens(folder)
    box = append(tokens.file, BALLOT_BOX, "ballot_box", "")
    receiver = OtlpReceiver()
    running = start_platform(broker, folder, tokens=tokens,
                             scheme_text=yaml.safe_dump(SCHEME, allow_unicode=True, sort_keys=False),
                             env={"JIXIAO_PORTAL_SECRET_KEY": "ballot-tests", "JIXIAO_PLUGIN_TIMEOUT_SECONDS": "30",
                                  "JIXIAO_BALLOT_BOX_TOKEN": box, "JIXIAO_LOG_LEVEL": "DEBUG",
                                  "OTEL_TRACES_EXPORTER": "otlp", "OTEL_METRICS_EXPORTER": "otlp",
                                  "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
                                  "OTEL_TRACES_SAMPLER": "parentbased_always_on", "OTEL_BSP_SCHEDULE_DELAY": "200",
                                  "OTEL_METRIC_EXPORT_INTERVAL": "500"})
    running.receiver = receiver
    running.codes = []  # every code the office was shown, for the privacy check
    try:
        yield running
    finally:
        running.stop_cleanly()
        receiver.close()


@pytest.fixture
def open_page(browser, platform):
    contexts = []

    def make(width: int = 1280) -> Watched:
        context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=1,
                                      locale="zh-CN", timezone_id="Asia/Shanghai")
        context.set_default_timeout(20_000)
        contexts.append(context)
        return Watched(context, platform.gateway_url)

    yield make
    for context in contexts:
        context.close()


def shoot(page, name: str) -> None:
    if SCREENSHOTS is not None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def fits(page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


def issue(page, group: str, count: int) -> list[str]:
    page.select_option("#issue-group", group)
    page.fill("#issue-count", str(count))
    page.click("#issue-button")
    page.wait_for_selector("#slips")
    codes = [c.strip() for c in page.locator(".slip .code").all_inner_texts()]
    assert len(codes) == count and all(rules.read_code(c) for c in codes)
    href = page.get_attribute("#codes-csv", "href")
    csv_text = base64.b64decode(href.split("base64,", 1)[1]).decode("utf-8-sig")
    assert all(code in csv_text for code in codes) and "/vote" in csv_text
    assert page.locator(".slip").first.inner_text().count("甲区") >= 1
    return codes


def vote(watched: Watched, code: str, choices: dict[str, str]) -> None:
    page = watched.goto("/vote")
    assert fits(page, 375)
    page.fill("#ballot-code", code)
    page.click("#open-ballot")
    page.wait_for_selector("#ballot-paper")
    assert fits(page, 375)
    for subject, choice in choices.items():
        page.locator(f"#subject-{subject} label.choice", has_text=choice).first.click()
    page.click("#cast-ballot")
    page.wait_for_selector("#vote-done")


def test_the_office_issues_codes_a_rater_votes_once_and_the_office_counts(open_page, platform):
    office = open_page()
    page = office.goto("/office/login")
    page.fill("#token", platform.tokens.office)
    page.click("#login-button")
    page.wait_for_url(f"{platform.gateway_url}/office/")
    page = office.goto(f"/office/ballots?scheme={CODE}")
    assert page.locator("#ballot-rounds tbody tr").count() == 2
    page.click(f"#round-{INDICATOR}-U1 a")
    page.wait_for_selector("#turnout")
    cadres = issue(page, "cadres", 3)
    shoot(page, "ballot-slips-1280.png")
    page.emulate_media(media="print")
    assert not page.is_visible("header.site") and page.is_visible("#slips")
    page.emulate_media(media="screen")
    page = office.goto(ROUND)
    residents = issue(page, "residents", 4)
    platform.codes += cadres + residents

    phone = open_page(width=375)
    page = phone.goto("/vote?lang=en")
    assert "Enter your ballot code" in page.inner_text("h1")
    page = phone.goto("/vote?lang=zh")
    assert page.locator("html").get_attribute("lang") == "zh-CN" and "请输入测评码" in page.inner_text("h1")
    vote(phone, cadres[0].lower().replace("-", " "), {"team": "优秀", "P1": "称职", "P2": "优秀"})
    shoot(phone.page, "ballot-done-375.png")
    page = phone.goto("/vote")
    page.fill("#ballot-code", cadres[0])
    page.click("#open-ballot")
    assert "此测评码已经使用过" in page.inner_text("#vote-problem")
    page = phone.goto("/vote")
    page.fill("#ballot-code", "0000-0000-0000-000Z")
    page.click("#open-ballot")
    assert "测评码" in page.inner_text("#vote-problem")
    vote(phone, cadres[1], {"team": "称职", "P1": "称职", "P2": "基本称职"})
    vote(phone, residents[0], {"team": "不称职", "P1": "不称职", "P2": "不称职"})
    phone.check_clean()
    assert {c["name"] for c in phone.context.cookies()} <= {"jixiao_lang"}, "voting sets no cookie but the language's"

    page = office.goto(ROUND)
    assert page.get_attribute("#group-cadres", "data-below-minimum") == "false"
    assert page.get_attribute("#group-residents", "data-below-minimum") == "true"
    assert page.is_visible("#flag-residents")
    assert "66.7%" in page.inner_text("#group-cadres") and "25.0%" in page.inner_text("#group-residents")
    page.click("#count-button")
    page.wait_for_selector("p.flash.ok, #round-problem")
    assert page.locator("p.flash.ok").count() == 1, page.inner_text("main")
    assert [t.strip() for t in page.locator("#turnout tbody td:last-child").all_inner_texts()] == ["2", "1"]
    assert "计票" in page.inner_text("#audit")
    shoot(page, "ballot-round-1280.png")

    def explained():
        unit = office.goto(f"/office/units/U1?period=2026&scheme={CODE}")
        text = unit.inner_text("main")
        return text if "机关干部 平均90.00" in text else None

    text = eventually(explained, 30, "the counted ballots in U1's results")
    assert "参评率不足，未计入" in text and "90.00" in text
    office.check_clean()


def _hashes(platform) -> set[str]:
    secrets_file = Path(platform.env["JIXIAO_DATA_DIR"]) / "ballot-secrets.yaml"
    secret = base64.b64decode(yaml.safe_load(secrets_file.read_text(encoding="utf-8"))[CODE])
    key = rules.code_key(secret)
    return {rules.code_hash(key, rules.read_code(code)) for code in platform.codes}


def test_nothing_stored_logged_or_traced_links_a_code_to_a_ballot(platform):
    assert len(platform.codes) == 7, "runs after the walk through"
    hashes = _hashes(platform)
    clear = {text for code in platform.codes for text in (code, rules.read_code(code), code.lower())}
    database = Path(platform.env["JIXIAO_DATA_DIR"]) / "scoring.db"
    with sqlite3.connect(database) as connection:
        tables = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        found_hashes = set()
        for table in tables:
            for row in connection.execute(f'SELECT * FROM "{table}"'):
                text = "\x1f".join(str(value) for value in row)
                assert not any(c in text for c in clear), f"a code in clear in {table}"
                if any(h in text for h in hashes):
                    found_hashes.add(table)
        assert found_hashes == {"scoring_ballot_codes"}, "a code's hash outside the codes' own table"
        columns = [c[1] for c in connection.execute("PRAGMA table_info(scoring_ballots)")]
        assert columns == ["ballot_id", "scheme_code", "indicator_code", "period", "unit_id", "rater_group",
                           "ratings_json"], "a ballot holds no time and nothing of its code"
        assert connection.execute("SELECT count(*) FROM scoring_ballots").fetchone() == (3,)
        spent = connection.execute("SELECT count(*) FROM scoring_ballot_codes WHERE state = 'spent'").fetchone()
        assert spent == (3,)
    logs = {p.module: p.stderr() for p in platform.processes}
    assert "POST /vote/cast" in logs["jixiao.gateway"], "the search is not vacuous: the votes are in the access log"
    for module, log in logs.items():
        for secret in clear | hashes:
            assert secret not in log, f"{module}'s log holds a ballot code or its hash"

    def exported() -> str:
        text = "\n".join(e.text for e in platform.receiver.exports_of())
        return text if "CastBallot" in text and "/vote/cast" in text else ""

    text = platform.receiver.wait_for(exported, 20, "the ballots' spans")
    assert "U1" in text and "jixiao-scoring" in text and "jixiao-gateway" in text  # the search is not vacuous
    for secret in clear | hashes | {urllib.parse.quote(c) for c in clear}:
        assert secret not in text, "a ballot code or its hash in the exported telemetry"
