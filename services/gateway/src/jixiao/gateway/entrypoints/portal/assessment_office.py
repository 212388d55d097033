"""The office's pages of the assessment teams (考核组), /office/assessments (docs/assessment-teams.md,
docs/portal.md): every indicator scored on site with the periods it is assessed in; a round
(indicator × period) with its teams — formed and changed until the office locks the roster
(名册锁定), then changed only by replacing an assessor with a reason, the one replaced kept —,
each unit's assessors with their state and total (by code: this is the office's own view), the
team result and its closings, the close button once every assessor submitted, and the history;
and each assessor's leniency (宽严度), overall and by unit category. Each step is scoring's, with
the office's own token."""
from __future__ import annotations

from flask import abort, flash, get_flashed_messages, redirect, render_template, request, url_for
from flask_babel import gettext

from ...adapters.backend_errors import FailedPrecondition, InvalidArgument
from ...service_layer.assessment_rounds import codes
from . import data, i18n, portal
from .assessor_desk import desk
from .office_desk import _office_scheme, check_csrf, office_required, office_token

DEFAULT_KINDS = ("month", "quarter", "year")


def assessment_indicators(scheme: data.Scheme) -> list[dict]:
    """The scheme's indicators scored on site (generic.formula: assessment), in the scheme's order."""
    return [i for i in scheme.document.get("indicators", [])
            if isinstance(i.get("generic"), dict) and i["generic"].get("formula") == "assessment"]


def assessed_periods(scheme: data.Scheme, indicator: dict) -> list[str]:
    kinds = set(indicator.get("assessed_in") or DEFAULT_KINDS)
    return [p for p in data.year_periods(scheme.year) if scheme.calendar.parse(p).kind in kinds]


def round_label(state: str) -> str:
    return {"forming": gettext("Forming teams"), "locked": gettext("Roster locked")}.get(state, state)


def action_label(action: str) -> str:
    labels = {"set_team": gettext("Team set"), "remove_team": gettext("Team removed"),
              "lock": gettext("Roster locked"), "replace": gettext("Assessor replaced"),
              "submit": gettext("Scores submitted"), "close": gettext("Unit closed")}
    return labels.get(action, action)


@portal.context_processor
def _round_labels():
    return {"round_label": round_label, "round_action_label": action_label}


def _scheme_and_indicator(indicator_code: str) -> tuple[data.Scheme, dict]:
    scheme = _office_scheme()
    if scheme is None:
        abort(404)
    indicator = next((i for i in assessment_indicators(scheme) if i["code"] == indicator_code), None)
    if indicator is None:
        abort(404)
    return scheme, indicator


@portal.get("/office/assessments")
@office_required
def office_assessments():
    scheme = _office_scheme()
    if scheme is None:
        abort(404)
    lang = i18n.current()
    found = [{"code": i["code"], "name": i18n.name_of(lang, i.get("name")) or i["code"],
              "rule": i["generic"].get("team_rule", "mean"),
              "periods": [_progress(scheme, i["code"], p, lang) for p in assessed_periods(scheme, i)]}
             for i in assessment_indicators(scheme)]
    return render_template("office_assessments.html", scheme=scheme, indicators=found, office=True,
                           scheme_name=i18n.name_of(lang, scheme.scheme_name()))


def _progress(scheme: data.Scheme, indicator: str, period: str, lang: str) -> dict:
    """A round's line in the list: its state, teams, units closed out of those assigned, entries submitted."""
    found = desk().round(scheme.code, indicator, period, office_token())
    assigned = [u for u in found["units"] if u["team_code"]]
    return {"period": period, "label": i18n.period_label(lang, period), "state": found["state"],
            "teams": len(found["teams"]), "units": len(assigned),
            "closed": sum(1 for u in assigned if u["closing"] and not u["can_close"]),
            "submitted": sum(u["submitted"] for u in assigned), "expected": sum(u["expected"] for u in assigned)}


def _round_page(indicator_code: str, period: str, status: int = 200, problem: str = "", typed: dict | None = None):
    scheme, indicator = _scheme_and_indicator(indicator_code)
    if period not in assessed_periods(scheme, indicator):
        abort(404)
    lang = i18n.current()
    found = desk().round(scheme.code, indicator_code, period, office_token())
    names = {u["id"]: i18n.name_of(lang, u.get("name")) or u["id"] for u in scheme.document.get("units", [])}
    categories = {c["code"]: i18n.name_of(lang, c.get("name")) or c["code"] for c in scheme.document.get("categories", [])}
    assigned = {u: t["code"] for t in found["teams"] for u in t["unit_ids"]}
    return render_template(
        "office_assessment_round.html", scheme=scheme, round=found, office=True, period=None,
        assessment_period=period, indicator_code=indicator_code, unit_names=names, category_names=categories,
        assigned=assigned, indicator_name=i18n.name_of(lang, indicator.get("name")) or indicator_code,
        period_text=i18n.period_label(lang, period), problem=problem, typed=typed or {},
        history=list(reversed(found["history"])), messages=get_flashed_messages(with_categories=True)), status


@portal.get("/office/assessments/<indicator>/<period>")
@office_required
def office_assessment(indicator: str, period: str):
    return _round_page(indicator, period)


def _acted(indicator: str, period: str, act, done: str, typed: dict | None = None):
    check_csrf()
    scheme, _ = _scheme_and_indicator(indicator)
    try:
        act(scheme.code)
    except (InvalidArgument, FailedPrecondition) as error:
        return _round_page(indicator, period, 400 if isinstance(error, InvalidArgument) else 409, error.message, typed)
    flash(done, "ok")
    return redirect(url_for("portal.office_assessment", indicator=indicator, period=period))


@portal.post("/office/assessments/<indicator>/<period>/teams")
@office_required
def office_assessment_team(indicator: str, period: str):
    team = request.form.get("team_code", "").strip()
    name = request.form.get("name", "").strip()
    assessors = codes(request.form.get("assessors", ""))
    units = request.form.getlist("unit_ids")
    return _acted(indicator, period, lambda scheme: desk().set_team(
        scheme, indicator, period, team, name, assessors, units, office_token()),
        gettext("Team %(team)s saved.", team=name or team),
        typed={"team_code": team, "name": name, "assessors": request.form.get("assessors", ""), "unit_ids": units})


@portal.post("/office/assessments/<indicator>/<period>/lock")
@office_required
def office_assessment_lock(indicator: str, period: str):
    return _acted(indicator, period, lambda scheme: desk().lock(scheme, indicator, period, office_token()),
                  gettext("The roster is locked: the assessors may score now."))


@portal.post("/office/assessments/<indicator>/<period>/teams/<team>/replace")
@office_required
def office_assessment_replace(indicator: str, period: str, team: str):
    leaving = request.form.get("assessor", "").strip()
    coming = request.form.get("replacement", "").strip()
    reason = request.form.get("reason", "").strip()
    return _acted(indicator, period, lambda scheme: desk().replace(
        scheme, indicator, period, team, leaving, coming, reason, office_token()),
        gettext("%(old)s is replaced by %(new)s.", old=leaving, new=coming))


@portal.post("/office/assessments/<indicator>/<period>/units/<unit_id>/close")
@office_required
def office_assessment_close(indicator: str, period: str, unit_id: str):
    return _acted(indicator, period, lambda scheme: desk().close(scheme, indicator, period, unit_id, office_token()),
                  gettext("The scoring of %(unit)s is closed: its team result counts now.", unit=unit_id))


@portal.get("/office/assessments/<indicator>/<period>/leniency")
@office_required
def office_assessment_leniency(indicator: str, period: str):
    scheme, found_indicator = _scheme_and_indicator(indicator)
    if period not in assessed_periods(scheme, found_indicator):
        abort(404)
    lang = i18n.current()
    found = desk().leniency(scheme.code, indicator, period, office_token())
    categories = {c["code"]: i18n.name_of(lang, c.get("name")) or c["code"] for c in scheme.document.get("categories", [])}
    shown = sorted({c["category"] for r in found["rows"] for c in r["by_category"]})
    rows = [{**r, "cells": {c["category"]: c for c in r["by_category"]}} for r in found["rows"]]
    return render_template("office_assessment_leniency.html", scheme=scheme, rows=rows, office=True, period=None,
                           assessment_period=period, indicator_code=indicator, shown=shown, category_names=categories,
                           indicator_name=i18n.name_of(lang, found_indicator.get("name")) or indicator,
                           period_text=i18n.period_label(lang, period))
