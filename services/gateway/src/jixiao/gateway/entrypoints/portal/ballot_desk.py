"""The office's pages of democratic evaluation ballots (民主测评, docs/ballots.md), /office/ballots:
every round of a period (ballot-scored indicator × unit) with its turnout per rater group and
the groups under their minimum flagged; a round's page to issue codes (shown once, as
printable A4 slips with the unit, the round and the voting address, and a CSV), void unspent
ones, count the ballots into results, and read the audit trail. Each step is scoring's, with
the office's own token; the gateway keeps no code."""
from __future__ import annotations

import base64

from flask import abort, flash, get_flashed_messages, make_response, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext

from jixiao_sdk.periods import PeriodError

from ...adapters.backend_errors import FailedPrecondition, InvalidArgument
from ...service_layer.ballot_rounds import slips_csv
from ..wiring import ballot_rounds
from . import data, i18n, portal
from .office_desk import _office_scheme, check_csrf, office_required, office_token


def ballot_indicators(scheme: data.Scheme) -> list[dict]:
    return [i for i in scheme.document.get("indicators", [])
            if isinstance(i.get("generic"), dict) and i["generic"].get("formula") == "ballot"]


def ballot_periods(scheme: data.Scheme) -> list[str]:
    """The periods of the scheme's year in which a ballot-scored indicator is assessed, newest first."""
    kinds = {k for i in ballot_indicators(scheme) for k in (i.get("assessed_in") or ("month", "quarter", "year"))}
    found = []
    for text in data.year_periods(scheme.year):
        try:
            if scheme.calendar.parse(text).kind in kinds:
                found.append(text)
        except PeriodError:
            continue
    return found


def _groups_view(turnout: dict, lang: str) -> list[dict]:
    return [{**g, "name": i18n.pick(lang, g.get("name_zh", ""), g.get("name_en", ""))} for g in turnout.get("groups", [])]


@portal.get("/office/ballots")
@office_required
def office_ballots():
    scheme = _office_scheme()
    if scheme is None:
        abort(404)
    lang = i18n.current()
    periods = ballot_periods(scheme)
    period = request.args.get("period", "") or (periods[0] if periods else "")
    if period and period not in periods:
        abort(404)
    rounds = ballot_rounds().rounds(scheme.code, period, office_token()) if period else []
    rows = [{**r, "unit_name": i18n.pick(lang, r.get("unit_name_zh", ""), r.get("unit_name_en", "")),
             "indicator_name": i18n.pick(lang, r.get("indicator_name_zh", ""), r.get("indicator_name_en", "")),
             "groups": _groups_view(r, lang)} for r in rounds]
    return render_template("office_ballots.html", scheme=scheme, office=True, rows=rows, ballot_periods=periods,
                           ballot_period=period, messages=get_flashed_messages(with_categories=True))


def _round_page(indicator: str, period: str, unit_id: str, status: int = 200, problem: str = ""):
    scheme = _office_scheme()
    if scheme is None:
        abort(404)
    lang = i18n.current()
    turnout = ballot_rounds().turnout(scheme.code, indicator, period, unit_id, office_token())
    return render_template(
        "office_ballot_round.html", scheme=scheme, office=True, turnout=turnout, groups=_groups_view(turnout, lang),
        unit_name=i18n.pick(lang, turnout.get("unit_name_zh", ""), turnout.get("unit_name_en", "")),
        indicator_name=i18n.pick(lang, turnout.get("indicator_name_zh", ""), turnout.get("indicator_name_en", "")),
        period_text=i18n.period_label(lang, period), problem=problem, audit=list(reversed(turnout.get("audit", []))),
        messages=get_flashed_messages(with_categories=True)), status


@portal.get("/office/ballots/<indicator>/<period>/<unit_id>")
@office_required
def office_ballot_round(indicator: str, period: str, unit_id: str):
    return _round_page(indicator, period, unit_id)


@portal.post("/office/ballots/<indicator>/<period>/<unit_id>/codes")
@office_required
def office_ballot_codes(indicator: str, period: str, unit_id: str):
    """Issues codes and shows them once: the printable slips (and the same as a CSV to download)."""
    check_csrf()
    scheme = _office_scheme()
    if scheme is None:
        abort(404)
    group = request.form.get("group", "")
    try:
        count = int(request.form.get("count", ""))
    except ValueError:
        return _round_page(indicator, period, unit_id, 400, gettext("How many codes: a whole number from 1 to 2000."))
    try:
        issued = ballot_rounds().issue(scheme.code, indicator, period, unit_id, group, count, office_token())
    except (InvalidArgument, FailedPrecondition) as refused:
        return _round_page(indicator, period, unit_id, 400 if isinstance(refused, InvalidArgument) else 409,
                           gettext("No codes were issued: %(message)s", message=refused.message))
    lang = i18n.current()
    paper = issued.get("paper", {})
    vote_url = url_for("portal.vote", _external=True)
    csv_data = base64.b64encode(slips_csv(issued, vote_url)).decode("ascii")
    response = make_response(render_template(
        "office_ballot_slips.html", scheme=scheme, office=True, codes=issued.get("ballot_codes", []), vote_url=vote_url,
        unit_name=i18n.pick(lang, paper.get("unit_name_zh", ""), paper.get("unit_name_en", "")),
        indicator_name=i18n.pick(lang, paper.get("indicator_name_zh", ""), paper.get("indicator_name_en", "")),
        group_name=i18n.pick(lang, paper.get("group_name_zh", ""), paper.get("group_name_en", "")),
        period_text=i18n.period_label(lang, period), csv_data=csv_data,
        csv_name=f"ballot-codes-{unit_id}-{period}-{paper.get('group', group)}.csv",
        back=url_for("portal.office_ballot_round", indicator=indicator, period=period, unit_id=unit_id,
                     scheme=scheme.code)))
    response.headers["Cache-Control"] = "no-store"
    return response


@portal.post("/office/ballots/<indicator>/<period>/<unit_id>/void")
@office_required
def office_ballot_void(indicator: str, period: str, unit_id: str):
    check_csrf()
    scheme = _office_scheme()
    if scheme is None:
        abort(404)
    codes = [line.strip() for line in request.form.get("ballot_codes", "").splitlines() if line.strip()]
    before = ballot_rounds().turnout(scheme.code, indicator, period, unit_id, office_token())
    try:
        after = ballot_rounds().void(scheme.code, indicator, period, unit_id, request.form.get("group", ""), codes,
                                     office_token())
    except (InvalidArgument, FailedPrecondition) as refused:
        return _round_page(indicator, period, unit_id, 400 if isinstance(refused, InvalidArgument) else 409,
                           gettext("Nothing was voided: %(message)s", message=refused.message))
    voided = sum(g["voided"] for g in after["groups"]) - sum(g["voided"] for g in before["groups"])
    flash(ngettext("%(num)d code voided.", "%(num)d codes voided.", voided), "ok")
    return redirect(url_for("portal.office_ballot_round", indicator=indicator, period=period, unit_id=unit_id,
                            scheme=scheme.code))


@portal.post("/office/ballots/<indicator>/<period>/<unit_id>/count")
@office_required
def office_ballot_count(indicator: str, period: str, unit_id: str):
    check_csrf()
    scheme = _office_scheme()
    if scheme is None:
        abort(404)
    try:
        ballot_rounds().count(scheme.code, indicator, period, unit_id, office_token())
    except (InvalidArgument, FailedPrecondition) as refused:
        return _round_page(indicator, period, unit_id, 409, gettext("The ballots were not counted: %(message)s",
                                                                   message=refused.message))
    flash(gettext("Counted: the ballots' tally is now the indicator's results for the team and each leader."), "ok")
    return redirect(url_for("portal.office_ballot_round", indicator=indicator, period=period, unit_id=unit_id,
                            scheme=scheme.code))
