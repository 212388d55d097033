"""The public pages. They show published periods only: the periods scoring
lists as PUBLISHED (service_layer/period_access.py), and nothing else (while
scoring cannot list periods, no period is published)."""
from __future__ import annotations

from flask import render_template, request

from ...adapters.backend_errors import Unimplemented
from ...service_layer.period_access import PUBLIC
from . import data, i18n, pages, portal, render_error


class NotPublished(Exception):
    pass


def choose_scheme(schemes: list[dict], asked: str) -> tuple[data.Scheme, list[str]]:
    """The scheme asked for, else the newest with a published period, else the newest; and its
    published periods, newest first."""
    if asked:
        summary = next((s for s in schemes if s["code"] == asked), None)
        if summary is None:
            raise NotPublished(asked)
        scheme = data.load_scheme(summary)
        return scheme, _newest_first(scheme, _published(summary["code"]))
    for summary in schemes:
        published = _published(summary["code"])
        if published:
            scheme = data.load_scheme(summary)
            return scheme, _newest_first(scheme, published)
    return data.load_scheme(schemes[0]), []


def _published(scheme_code: str) -> list[dict]:
    """The scheme's published periods; none while scoring cannot say (ListPeriods unimplemented)."""
    try:
        return data.listed_periods(scheme_code, PUBLIC)
    except Unimplemented:
        return []


def _newest_first(scheme: data.Scheme, listed: list[dict]) -> list[str]:
    return [p["period"] for p in data.newest_period_first(scheme, listed)]


def _context():
    """(scheme, published periods, chosen period); a response instead when there is nothing to show."""
    schemes = data.published_schemes()
    if not schemes:
        return None, render_template("home.html", scheme=None, periods=[], period="")
    try:
        scheme, periods = choose_scheme(schemes, request.args.get("scheme", ""))
    except NotPublished:
        return None, render_error(404, "not_found")
    if not periods:
        return (scheme, periods, ""), None
    period = request.args.get("period", "") or periods[0]
    if period not in periods:
        return None, render_error(404, "not_published")
    return (scheme, periods, period), None


@portal.get("/")
def home():
    context, response = _context()
    if response is not None:
        return response
    scheme, periods, period = context
    lang = i18n.current()
    if not period:
        roster = [{"name": i18n.name_of(lang, c.get("name")),
                   "units": [i18n.name_of(lang, u.get("name")) for u in scheme.units_of(c["code"])]}
                  for c in scheme.categories]
        return render_template("home.html", scheme=scheme, periods=[], period="", roster=roster,
                               scheme_name=i18n.name_of(lang, scheme.scheme_name()))
    return render_template("home.html", scheme=scheme, periods=periods, period=period,
                           scheme_name=i18n.name_of(lang, scheme.scheme_name()),
                           results=pages.results(lang, scheme, period, set(periods)), office=False)


@portal.get("/units/<unit_id>")
def unit(unit_id: str):
    context, response = _context()
    if response is not None:
        return response
    scheme, periods, period = context
    if not period:
        return render_error(404, "not_published")
    if scheme.unit(unit_id) is None:
        return render_error(404, "not_found")
    return render_unit(scheme, periods, period, unit_id, token=None, office=False)


def render_unit(scheme: data.Scheme, periods: list[str], period: str, unit_id: str, token: str | None, office: bool,
                states: dict[str, str] | None = None, reports: list[dict] | None = None):
    """A unit's page; `reports` its work reports (the office's page only)."""
    lang = i18n.current()
    visible = set(periods)
    page = pages.unit_page(lang, scheme, unit_id, period, visible, token)
    trend = pages.trend(lang, scheme, unit_id, page["category_code"], pages.quarters_of(visible, scheme.year), token)
    progress = pages.progress_rows(lang, scheme, data.progress(scheme.code, period, token), unit_id)
    return render_template("unit.html", scheme=scheme, periods=periods, period=period, unit=page, trend=trend,
                           progress=progress, office=office, states=states or {}, reports=reports or [],
                           scheme_name=i18n.name_of(lang, scheme.scheme_name()))


@portal.get("/persons/<person_id>")
def person(person_id: str):
    context, response = _context()
    if response is not None:
        return response
    scheme, periods, period = context
    if not period:
        return render_error(404, "not_published")
    if not any(p["id"] == person_id for p in scheme.document.get("persons", [])):
        return render_error(404, "not_found")
    return render_person(scheme, periods, period, person_id, token=None, office=False)


def render_person(scheme: data.Scheme, periods: list[str], period: str, person_id: str, token: str | None,
                  office: bool, states: dict[str, str] | None = None, reports: list[dict] | None = None):
    """A leader's page; `reports` their work reports (述职报告, the office's page only)."""
    lang = i18n.current()
    return render_template("person.html", scheme=scheme, periods=periods, period=period, office=office,
                           states=states or {}, person=pages.person_page(lang, scheme, person_id, period, token),
                           reports=reports or [], scheme_name=i18n.name_of(lang, scheme.scheme_name()))


@portal.get("/bulletin")
def bulletin():
    context, response = _context()
    if response is not None:
        return response
    scheme, periods, period = context
    if not period:
        return render_error(404, "not_published")
    return render_bulletin(scheme, periods, period, token=None, office=False)


def render_bulletin(scheme: data.Scheme, periods: list[str], period: str, token: str | None, office: bool,
                    states: dict[str, str] | None = None, visible=None):
    """The bulletin (通报) of a period; changes only against a period in `visible` (the published ones)."""
    lang = i18n.current()
    return render_template("bulletin.html", scheme=scheme, periods=periods, period=period, office=office,
                           states=states or {}, scheme_name=i18n.name_of(lang, scheme.scheme_name()),
                           bulletin=pages.bulletin_page(lang, scheme, period, set(periods) if visible is None else visible,
                                                        token))


@portal.get("/progress")
def progress():
    context, response = _context()
    if response is not None:
        return response
    scheme, periods, period = context
    if not period:
        return render_error(404, "not_published")
    return render_progress(scheme, periods, period, token=None, office=False)


def render_progress(scheme: data.Scheme, periods: list[str], period: str, token: str | None, office: bool,
                    states: dict[str, str] | None = None):
    lang = i18n.current()
    warnings_only = request.args.get("warnings") in ("1", "true")
    return render_template("progress.html", scheme=scheme, periods=periods, period=period, office=office,
                           states=states or {}, warnings_only=warnings_only,
                           scheme_name=i18n.name_of(lang, scheme.scheme_name()),
                           progress=pages.progress_page(lang, scheme, period, warnings_only, token))
