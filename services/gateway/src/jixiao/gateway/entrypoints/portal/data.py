"""What the portal reads from the registry and scoring services, through the
gateway's backend clients (deadline on every call).

Public pages call with the gateway's own service token; the office's pages
call with the office's token from its session, so that scoring decides what
the office may do. An rpc the scoring service does not implement yet is
`NotYetImplemented`, which the pages turn into a clear message.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from flask import current_app

from jixiao.common import stages
from jixiao.v1 import registry_pb2, scoring_pb2
from jixiao_sdk.periods import Calendar, PeriodError

from ...adapters.backends import ApiError, Backends
from . import i18n

PUBLISHED = "PUBLISHED"
STATES = ("OPEN", "LOCKED", "APPROVED", "PUBLISHED")
PAGE_SIZE = 500  # the most a page of the scoring rpcs holds
_KIND_ORDER = {"day": 0, "month": 1, "quarter": 2, "year": 3}


class NotYetImplemented(Exception):
    """The backend answered UNIMPLEMENTED: the rpc exists in the contract but not yet in the service."""

    def __init__(self, method: str):
        super().__init__(f"{method} is not implemented by the scoring service yet")
        self.method = method


def backends() -> Backends:
    return current_app.extensions["jixiao.backends"]


def rpc(backend: str, method: str, request, token: str | None = None) -> dict:
    """Calls `backend.method(request)` through the gateway's backend clients, as
    the gateway or (token) as the signed-in office; a JSON-ready dict."""
    try:
        return backends().call(backend, method, request, token=token)
    except ApiError as error:
        if error.code == 501:  # UNIMPLEMENTED
            raise NotYetImplemented(method) from None
        raise


def period_sort_key(text: str) -> tuple:
    """Newest first: later end date first, and at the same end the longer period (year, quarter,
    month), by the calendar of the page's scheme."""
    try:
        period = i18n.page_calendar().parse(text)
    except PeriodError:
        return (0, 0, text)
    return (-period.end.toordinal(), -_KIND_ORDER[period.kind], text)


def year_periods(year: int) -> list[str]:
    """The scored periods of a year (by the page's calendar), newest first: the year, its
    quarters and months."""
    return sorted((p.text for p in i18n.page_calendar().scored_periods(year)), key=period_sort_key)


@dataclass
class Scheme:
    """A published scheme version and the parts of its document the pages use."""

    code: str
    year: int
    version: int
    document: dict = field(repr=False)

    @property
    def categories(self) -> list[dict]:
        return self.document.get("categories", [])

    @property
    def calendar(self) -> Calendar:
        """Reads the scheme's period texts (its year may start in any month)."""
        return stages.calendar_of(self.document.get("scheme") or {})

    def category(self, code: str) -> dict:
        return next((c for c in self.categories if c["code"] == code), {"code": code, "name": {"zh": code, "en": code}})

    def units_of(self, category: str) -> list[dict]:
        return [u for u in self.document.get("units", []) if u.get("category") == category]

    def unit(self, unit_id: str) -> dict | None:
        return next((u for u in self.document.get("units", []) if u["id"] == unit_id), None)

    def person_pinyin(self, person_id: str) -> str:
        """A leader's name in pinyin (the English pages' form of a Chinese name)."""
        names = self.document.setdefault("_pinyin", {p["id"]: p.get("name_pinyin", "") for p in self.document.get("persons", [])})
        return names.get(person_id, "")

    @property
    def grading(self) -> list[dict]:
        return self.document.get("grading", [])

    def graded_rules(self) -> list[dict]:
        """Grading rules that give grades (not only ranks)."""
        return [r for r in self.grading if r.get("method") != "rank_only" and r.get("grades")]

    def rules_grading(self, period: str) -> list[dict]:
        """Grading rules that give grades in `period`: its kind is one of the rule's `periods` (the year when absent)."""
        try:
            kind = self.calendar.parse(period).kind
        except PeriodError:
            return []
        return [r for r in self.graded_rules() if kind in (r.get("periods") or ["year"])]

    def unit_rule_for(self, category: str) -> dict | None:
        """The grading rule that grades the units of a category, if any."""
        return next((r for r in self.graded_rules() if r.get("subject") == "unit" and category in r.get("pool", [])), None)

    def indicator_names(self) -> dict[str, dict]:
        return {i["code"]: i.get("name", {}) for i in self.document.get("indicators", [])}

    def city_name(self) -> dict:
        return (self.document.get("city") or {}).get("name", {})

    def scheme_name(self) -> dict:
        return (self.document.get("scheme") or {}).get("name", {}) or {}


def published_schemes() -> list[dict]:
    """Published scheme versions, newest year first (latest version of each code)."""
    versions = rpc("registry", "ListSchemeVersions", registry_pb2.ListSchemeVersionsRequest())["versions"]
    latest: dict[str, dict] = {}
    for v in versions:
        if v["status"] == "published" and (v["code"] not in latest or v["version"] > latest[v["code"]]["version"]):
            latest[v["code"]] = v
    return sorted(latest.values(), key=lambda v: (v["year"], v["code"]), reverse=True)


def load_scheme(summary: dict) -> Scheme:
    """The scheme's document, cached per (code, version): a published version never changes."""
    cache = current_app.extensions.setdefault("jixiao.portal.schemes", {})
    key = (summary["code"], summary["version"])
    if key not in cache:
        reply = rpc("registry", "GetScheme", registry_pb2.GetSchemeRequest(code=summary["code"], version=summary["version"]))
        cache[key] = json.loads(reply["document_json"])
    scheme = Scheme(summary["code"], summary["year"], summary["version"], cache[key])
    i18n.set_page_calendar(scheme.calendar)  # the page's period labels and order follow it
    return scheme


def list_periods(scheme_code: str, *, published_only: bool, token: str | None = None) -> list[dict]:
    """The scheme's periods with their review state, newest first (every page of ListPeriods)."""
    state = scoring_pb2.PERIOD_STATE_PUBLISHED if published_only else scoring_pb2.PERIOD_STATE_UNSPECIFIED
    periods, page_token = [], ""
    while True:
        reply = rpc("scoring", "ListPeriods", scoring_pb2.ListPeriodsRequest(
            scheme_code=scheme_code, state=state, page_size=PAGE_SIZE, page_token=page_token), token)
        periods.extend(reply.get("periods", []))
        page_token = reply.get("next_page_token", "")
        if not page_token:
            break
    if published_only:  # whatever the filter did, the public view trusts only the state of each entry
        periods = [p for p in periods if short_state(p.get("state", "")) == PUBLISHED]
    return sorted(periods, key=lambda p: period_sort_key(p["period"]))


def published_periods(scheme_code: str) -> list[str]:
    """The periods the public may see, newest first; none while scoring cannot say (ListPeriods unimplemented)."""
    try:
        return [p["period"] for p in list_periods(scheme_code, published_only=True)]
    except NotYetImplemented:
        return []


def short_state(state: str) -> str:
    """'locked' (the backends' answer) or 'PERIOD_STATE_LOCKED' → 'LOCKED'; '' for an unknown state."""
    short = str(state or "").upper().removeprefix("PERIOD_STATE_")
    return short if short in STATES else ""


def ranking(scheme_code: str, category: str, period: str, token: str | None = None) -> list[dict]:
    return ranking_reply(scheme_code, category, period, token).get("entries", [])


def ranking_reply(scheme_code: str, category: str, period: str, token: str | None = None) -> dict:
    """A category's ranking with `basis`: what the period's totals count by the scheme's stages."""
    return rpc("scoring", "GetRanking", scoring_pb2.GetRankingRequest(
        scheme_code=scheme_code, category=category, period=period, page_size=PAGE_SIZE), token)


def grades(scheme_code: str, grading_code: str, period: str, token: str | None = None, *, entries: bool = True) -> dict:
    """A grading rule's grades: the counts over the whole pool, and (entries) every graded entry, all pages."""
    reply, page_token, collected = {}, "", []
    while True:
        reply = rpc("scoring", "GetGrades", scoring_pb2.GetGradesRequest(
            scheme_code=scheme_code, grading_code=grading_code, period=period,
            page_size=PAGE_SIZE if entries else 1, page_token=page_token), token)
        collected.extend(reply.get("entries", []))
        page_token = reply.get("next_page_token", "")
        if not entries or not page_token:
            break
    return {**reply, "entries": collected}


def bulletin(scheme_code: str, period: str, token: str | None = None) -> dict:
    return rpc("scoring", "GetBulletin", scoring_pb2.GetBulletinRequest(scheme_code=scheme_code, period=period), token)


def completeness(scheme_code: str, period: str, token: str | None = None, *, gaps: bool = True) -> dict:
    """The figures the scheme expects in the period that are missing (GetCompleteness): the
    counts, and (gaps) every unit's missing periods per metric, all pages."""
    reply, page_token, collected = {}, "", []
    while True:
        reply = rpc("scoring", "GetCompleteness", scoring_pb2.GetCompletenessRequest(
            scheme_code=scheme_code, period=period, page_size=PAGE_SIZE if gaps else 1, page_token=page_token), token)
        collected.extend(reply.get("gaps", []))
        page_token = reply.get("next_page_token", "")
        if not gaps or not page_token:
            break
    return {**reply, "gaps": collected}


def progress(scheme_code: str, period: str, token: str | None = None) -> dict:
    """Progress of every unit and indicator with an amount target at the end of the period, all pages."""
    reply, page_token, collected = {}, "", []
    while True:
        reply = rpc("scoring", "GetProgress", scoring_pb2.GetProgressRequest(
            scheme_code=scheme_code, period=period, page_size=PAGE_SIZE, page_token=page_token), token)
        collected.extend(reply.get("entries", []))
        page_token = reply.get("next_page_token", "")
        if not page_token:
            break
    return {**reply, "entries": collected}


def unit_score(scheme_code: str, unit_id: str, period: str, token: str | None = None) -> dict:
    return rpc("scoring", "GetUnitScore", scoring_pb2.GetUnitScoreRequest(
        scheme_code=scheme_code, unit_id=unit_id, period=period), token)


def person_score(scheme_code: str, person_id: str, period: str, token: str | None = None) -> dict:
    """A leader's score in the period: the unit part, the personal evaluation, this period's weights and their `note`."""
    return rpc("scoring", "GetPersonScore", scoring_pb2.GetPersonScoreRequest(
        scheme_code=scheme_code, person_id=person_id, period=period), token)


ACTIONS = {
    "lock": "LockPeriod",
    "approve": "ApprovePeriod",
    "publish": "PublishPeriod",
    "reopen": "ReopenPeriod",
}


def recheck(scheme_code: str, period: str, token: str) -> dict:
    """The retrospective check: the period recomputed from its stored events, compared with its stored results."""
    return rpc("scoring", "RecheckPeriod", scoring_pb2.RecheckPeriodRequest(scheme_code=scheme_code, period=period), token)


def resolve_tie(scheme_code: str, grading_code: str, period: str, grades: dict[str, int], reason: str, token: str) -> dict:
    """The office decides a boundary tie by the grade of each tied id (ResolveGradeTie)."""
    return rpc("scoring", "ResolveGradeTie", scoring_pb2.ResolveGradeTieRequest(
        scheme_code=scheme_code, grading_code=grading_code, period=period, grades=grades, reason=reason), token)


def period_action(action: str, scheme_code: str, period: str, reason: str, token: str,
                  override_findings_reason: str = "") -> dict:
    return rpc("scoring", ACTIONS[action], scoring_pb2.PeriodActionRequest(
        scheme_code=scheme_code, period=period, reason=reason, override_findings_reason=override_findings_reason), token)


def findings(scheme_code: str, period: str, token: str, *, state: str = "", min_severity: str = "",
             entries: bool = True) -> dict:
    """The anomaly checks' findings (疑点) about the period (ListFindings, as the office): the
    counts, and (entries) every finding, all pages."""
    reply, page_token, collected = {}, "", []
    while True:
        reply = rpc("scoring", "ListFindings", scoring_pb2.ListFindingsRequest(
            scheme_code=scheme_code, period=period, state=state, min_severity=min_severity,
            page_size=PAGE_SIZE if entries else 1, page_token=page_token), token)
        collected.extend(reply.get("findings", []))
        page_token = reply.get("next_page_token", "")
        if not entries or not page_token:
            break
    return {**reply, "findings": collected}


def mark_finding(scheme_code: str, key: str, state: str, comment: str, token: str) -> dict:
    """The office marks a finding confirmed, explained or false_alarm (MarkFinding)."""
    return rpc("scoring", "MarkFinding", scoring_pb2.MarkFindingRequest(
        scheme_code=scheme_code, key=key, state=state, comment=comment), token)
