"""What the portal reads from the registry and scoring services, through the
gateway's backend clients (deadline on every call); which schemes are
published and which periods a page may show come from the service layer
(service_layer/scheme_lookup.py, period_access.py), as for the JSON API.

Public pages call with the gateway's own service token; the office's pages
call with the office's token from its session, so that scoring decides what
the office may do. An rpc the scoring service does not implement yet raises
`Unimplemented` (adapters/backend_errors.py), which the pages turn into a
clear message.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.common import stages
from jixiao.v1 import scoring_pb2
from jixiao_sdk.periods import Calendar, PeriodError

from ...domain.period_order import newest_first
from ...service_layer.period_access import Viewer
from ..wiring import backends, periods, schemes
from . import i18n

PAGE_SIZE = 500  # the most a page of the scoring rpcs holds


def rpc(backend: str, method: str, request, token: str | None = None) -> dict:
    """Calls `backend.method(request)` through the gateway's backend clients, as
    the gateway or (token) as the signed-in office; a JSON-ready dict."""
    return backends().call(backend, method, request, token=token)


def period_sort_key(text: str) -> tuple:
    """Newest first: later end date first, and at the same end the longer period (year, quarter,
    month), by the calendar of the page's scheme."""
    return newest_first(i18n.page_calendar())(text)


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
    return schemes().published()


def load_scheme(summary: dict) -> Scheme:
    """The scheme's document (kept per code and version: a published version never changes)."""
    scheme = Scheme(summary["code"], summary["year"], summary["version"],
                    schemes().document(summary["code"], summary["version"]))
    i18n.set_page_calendar(scheme.calendar)  # the page's period labels and order follow it
    return scheme


def listed_periods(scheme_code: str, viewer: Viewer) -> list[dict]:
    """The scheme's periods the viewer may see, each with its review state, in scoring's order
    (the public: the published ones; the office: every one, asked now with its token)."""
    return periods().listed(scheme_code, viewer)


def newest_period_first(scheme: Scheme, listed: list[dict]) -> list[dict]:
    """Periods of `scheme` ordered newest first, by its calendar."""
    key = newest_first(scheme.calendar)
    return sorted(listed, key=lambda p: key(p["period"]))


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


def recheck(scheme_code: str, period: str, token: str) -> dict:
    """The retrospective check: the period recomputed from its stored events, compared with its stored results."""
    return rpc("scoring", "RecheckPeriod", scoring_pb2.RecheckPeriodRequest(scheme_code=scheme_code, period=period), token)


def resolve_tie(scheme_code: str, grading_code: str, period: str, grades: dict[str, int], reason: str, token: str) -> dict:
    """The office decides a boundary tie by the grade of each tied id (ResolveGradeTie)."""
    return rpc("scoring", "ResolveGradeTie", scoring_pb2.ResolveGradeTieRequest(
        scheme_code=scheme_code, grading_code=grading_code, period=period, grades=grades, reason=reason), token)


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
