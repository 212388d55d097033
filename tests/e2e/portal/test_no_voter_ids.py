"""Secret ballots, end to end: the demo city's year streamed through the broker and scored,
the year published — January to September whole (the scored demo every portal module
starts from, conftest.scored_demo), then every figure and every rating of 官评 with its
rater of October to December, and the ballots of 民评 with their voters for a quarter
of the units of every category; then every answer — the gateway's JSON API as the public and as
the office, the portal's pages, scoring's gRPC reads as the office, each event the
answers cite — the scoring database file and every service's log (those that streamed
January to September too) are searched for the identifiers of every rater and voter
streamed. None may appear. (Raters who are leaders are named on their own pages as
leaders, so only raters who are not leaders are searched for.) The other units'
last-quarter 民评 ballots would add time, not proof: every ballot goes through the same
code. (Leaders' ratings are all kept: without them, leaders tie at a grade boundary and
the year cannot be published until the office resolves the ties.)"""
from __future__ import annotations

import functools
import json
import re
import urllib.error
import urllib.request

import pytest

from helpers import DEMO_SCHEME, demo_document
from jixiao.common.auth import call_credentials
from jixiao.embedded import demo_feed
from jixiao.v1 import scoring_pb2

from .conftest import LAST_MONTH, copy_scored_demo, demo_subset, start_platform, stop_platform

# The first test's time includes the module's fixture: the whole demo year streamed, scored and published.
pytestmark = pytest.mark.timeout(600)

SCHEME = "jiangchuan-2026"
PERIODS = ("2026", "2026-Q4", "2026-12")
# Candidate identifiers in any text: the demo's voter forms and its staff raters' form.
# (A ballot's serial, such as "onsite-00009", is not its voter: identifiers start a word.)
_CANDIDATES = re.compile(r"(?<!\w)(?:np-\d{4}-\d{6}|wx-[0-9a-f]{10}|tel-1\d\d\*{4}\d{4}|site-\d{5}"
                         r"|S-U-[A-Z0-9]+(?:-[A-Z0-9]+)*-\d{2}|CL-\d+)(?!\w)")


@pytest.fixture(scope="module")
def year(broker, scored_demo, tmp_path_factory):
    document = demo_document()
    later = ballots_of_a_quarter_of_the_units(
        [e for e in demo_feed.demo_event_dicts() if e["period"][:7] > LAST_MONTH], document)
    persons = {p["id"] for p in document.get("persons", [])}
    secret = frozenset({e["attributes"][name] for e in (*demo_subset(), *later) for name in ("voter_id", "rater_id")
                        if e["attributes"].get(name)} - persons)
    assert len(secret) > 5000
    tmp = copy_scored_demo(scored_demo, tmp_path_factory.mktemp("ballots"))
    running = start_platform(broker, tmp, DEMO_SCHEME.read_text(encoding="utf-8"), later)
    try:
        for period in PERIODS:
            for method in ("LockPeriod", "ApprovePeriod", "PublishPeriod"):
                # the demo's fourth quarter carries its injected fabrications (high-severity findings, 疑点):
                # published over them, with the office's reason
                override = "疑点另行核查 findings reviewed separately" if method == "PublishPeriod" else ""
                getattr(running.scoring, method)(scoring_pb2.PeriodActionRequest(
                    scheme_code=SCHEME, period=period, reason="年度考核结果经审核公示", override_findings_reason=override),
                    timeout=120, metadata=call_credentials(running.tokens.office))
    except BaseException:
        running.close()
        running.platform.stop()  # no process left behind by a failed set-up
        raise
    yield running, document, secret, tmp
    stop_platform(running)


def ballots_of_a_quarter_of_the_units(events, document) -> list[dict]:
    """Every event but the 民评 ballots (with a voter) of three units in four of each category."""
    by_category: dict[str, list[str]] = {}
    for unit in document["units"]:
        by_category.setdefault(unit["category"], []).append(unit["id"])
    kept = {unit for units in by_category.values() for unit in sorted(units)[::4]}
    return [e for e in events
            if e["unit_id"] in kept or not e["attributes"].get("voter_id")]


def _found(text: str, secret: frozenset[str]) -> set[str]:
    hits = {c for c in _CANDIDATES.findall(text) if c in secret}
    return hits | {s for s in _plain(secret) if s in text}


@functools.lru_cache(maxsize=4)
def _plain(secret: frozenset[str]) -> frozenset[str]:
    """Identifiers no candidate pattern covers (the city leaders' names or codes), searched as
    they are; worked out once per set (the scan calls this for every answer)."""
    return frozenset(s for s in secret if not _CANDIDATES.fullmatch(s))


def _get(url: str, token: str = "") -> str:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as error:  # a refusal's body is an answer too
        return error.read().decode("utf-8")


def test_no_answer_names_a_voter_or_rater(year):
    portal, document, secret, _ = year
    api = f"{portal.url}/api/v1"
    units = [u["id"] for u in document["units"]]
    persons = [p["id"] for p in document["persons"]]
    categories = [c["code"] for c in document["categories"]]
    answers: dict[str, str] = {}
    for who, token in (("public", ""), ("office", portal.tokens.office)):
        paths = ["/schemes", f"/schemes/{SCHEME}", "/indicators", f"/schemes/{SCHEME}/periods",
                 f"/schemes/{SCHEME}/findings?page_size=500"]
        for period in PERIODS:
            paths += [f"/schemes/{SCHEME}/rankings?category={c}&period={period}" for c in categories]
            paths += [f"/schemes/{SCHEME}/grades/{g['code']}?period={period}" for g in document["grading"]]
            paths += [f"/schemes/{SCHEME}/bulletins/{period}", f"/schemes/{SCHEME}/completeness?period={period}",
                      f"/schemes/{SCHEME}/progress?period={period}", f"/schemes/{SCHEME}/regions?period={period}"]
        paths += [f"/schemes/{SCHEME}/units/{u}?period=2026" for u in units]
        paths += [f"/schemes/{SCHEME}/units/{u}/trend" for u in units[:5]]
        paths += [f"/schemes/{SCHEME}/persons/{p}?period=2026" for p in persons[::7]]
        for path in paths:
            answers[f"{who} {path}"] = _get(api + path, token)
        cited = set()  # the first events each indicator result of a unit cites
        for unit in units:
            reply = json.loads(answers[f"{who} /schemes/{SCHEME}/units/{unit}?period=2026"])
            cited |= {i for result in reply.get("indicators", []) for i in result.get("evidence_event_ids", [])[:2]}
        for event_id in sorted(cited):
            answers[f"{who} /events/{event_id}"] = _get(f"{api}/events/{event_id}", token)
    for path in ("/", "/bulletin", "/progress", *(f"/units/{u}?period=2026" for u in units[:10])):
        answers[f"portal {path}"] = _get(portal.url + path)
    assert any(re.search(r'"(voter|rater)_id": ?"pn-', text) for text in answers.values()), \
        "the office reads ballots (with pseudonyms): the scan must have seen some"
    found = {key: _found(text, secret) for key, text in answers.items()}
    leaks = {key: sorted(hits)[:5] for key, hits in found.items() if hits}
    assert leaks == {}


def test_scoring_grpc_reads_name_no_voter(year):
    portal, document, secret, _ = year
    for unit in [u["id"] for u in document["units"]]:
        score = portal.read("GetUnitScore", scoring_pb2.GetUnitScoreRequest(scheme_code=SCHEME, unit_id=unit, period="2026"))
        assert not _found(str(score), secret)
        for result in score.indicators:
            for event_id in list(result.evidence_event_ids)[:3]:
                event = portal.read("GetEvent", scoring_pb2.GetEventRequest(event_id=event_id))
                assert not _found(str(event), secret), event


def test_nothing_stored_or_logged_names_a_voter(year, scored_demo):
    portal, _, secret, tmp = year
    database = (tmp / "data" / "scoring.db").read_bytes().decode("utf-8", errors="replace")
    assert "pn-" in database
    assert not _found(database, secret)
    for service in portal.platform.processes:
        assert not _found(service.stderr(), secret), service.module
    for log in scored_demo.glob("*.stderr"):  # the services that consumed January to September
        assert not _found(log.read_text(encoding="utf-8"), secret), log.name
    assert json.loads(_get(f"{portal.url}/api/v1/health"))["status"]
