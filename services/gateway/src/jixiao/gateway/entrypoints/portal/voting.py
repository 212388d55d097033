"""The public voting pages of democratic evaluation ballots (民主测评, docs/ballots.md):
`/vote` — a rater without an account types the code from their slip, sees the ballot paper
(the leadership team and each leader, the scheme's scale), rates and submits once. Plain
pages for a phone (375 px), Chinese first with English. The code travels only in POST bodies
(never a URL, so no access log or Referer holds it), the pages are never cached, and no
cookie is set but the language's. What scoring refuses is said in the page's language; the
code typed is never repeated back in a message."""
from __future__ import annotations

from flask import make_response, render_template, request
from flask_babel import gettext

from ...service_layer.ballot_box import BallotRefused, TooManyAttempts
from ..wiring import ballot_box
from . import i18n, portal


def _refusal_text(error: BallotRefused) -> str:
    texts = {
        "spent": gettext("This code has already been used: each code votes once."),
        "void": gettext("This code was withdrawn by the evaluation office and cannot vote."),
        "unknown": gettext("Unknown code: check it against your slip (16 letters and digits)."),
        "malformed": gettext("This is not a ballot code: it has 16 letters and digits in four groups, "
                             "e.g. 7KQ4-M2XD-9PFA-R3ZC; check for a mistyped character."),
        "closed": gettext("This evaluation is closed: votes are no longer taken."),
    }
    return texts.get(error.kind, gettext("The ballot could not be cast: %(reason)s", reason=error.message))


def _page(template: str, status: int = 200, **context):
    response = make_response(render_template(template, **context), status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _paper_view(paper: dict, lang: str) -> dict:
    return {
        "unit": i18n.pick(lang, paper.get("unit_name_zh", ""), paper.get("unit_name_en", "")),
        "evaluation": i18n.pick(lang, paper.get("indicator_name_zh", ""), paper.get("indicator_name_en", "")),
        "group": i18n.pick(lang, paper.get("group_name_zh", ""), paper.get("group_name_en", "")),
        "period": i18n.period_label(lang, paper.get("period", "")),
        "subjects": [{"id": s.get("person_id", ""), "name": i18n.pick(lang, s.get("name_zh", ""), s.get("name_en", "")),
                      "position": i18n.pick(lang, s.get("position_zh", ""), s.get("position_en", ""))}
                     for s in paper.get("subjects", [])],
        "scale": [{"value": c.get("value"), "value_text": f"{c.get('value', 0):g}",
                   "name": i18n.pick(lang, c.get("name_zh", ""), c.get("name_en", ""))} for c in paper.get("scale", [])],
    }


def _client() -> str:
    return request.remote_addr or ""


@portal.get("/vote")
def vote():
    return _page("vote_code.html")


@portal.post("/vote")
def vote_open():
    code = request.form.get("ballot_code", "")[:64]
    try:
        paper = ballot_box().open(code, _client())
    except TooManyAttempts as error:
        response = _page("vote_code.html", 429, problem=gettext(
            "Too many wrong codes from this device: please wait %(minutes)d minutes and try again.",
            minutes=max(1, -(-error.retry_after // 60))))
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    except BallotRefused as error:
        return _page("vote_code.html", error.status, problem=_refusal_text(error))
    return _page("vote_ballot.html", code=code, paper=_paper_view(paper, i18n.current()))


@portal.post("/vote/cast")
def vote_cast():
    code = request.form.get("ballot_code", "")[:64]
    lang = i18n.current()
    try:
        paper = ballot_box().open(code, _client())
    except TooManyAttempts as error:
        response = _page("vote_code.html", 429, problem=gettext(
            "Too many wrong codes from this device: please wait %(minutes)d minutes and try again.",
            minutes=max(1, -(-error.retry_after // 60))))
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    except BallotRefused as error:
        return _page("vote_code.html", error.status, problem=_refusal_text(error))
    view = _paper_view(paper, lang)
    ratings, missing, chosen = [], [], {}
    for subject in view["subjects"]:
        raw = request.form.get(f"rating-{subject['id'] or 'team'}", "")
        chosen[subject["id"]] = raw
        try:
            ratings.append((subject["id"], float(raw)))
        except ValueError:
            missing.append(subject["name"])
    if missing:
        return _page("vote_ballot.html", 400, code=code, paper=view, chosen=chosen, problem=gettext(
            "Please rate everyone on the ballot; not rated yet: %(names)s", names="、".join(missing)))
    try:
        ballot_box().cast(code, ratings, _client())
    except TooManyAttempts as error:
        return _page("vote_code.html", 429, problem=gettext(
            "Too many wrong codes from this device: please wait %(minutes)d minutes and try again.",
            minutes=max(1, -(-error.retry_after // 60))))
    except BallotRefused as error:
        if error.kind == "ratings":
            return _page("vote_ballot.html", 400, code=code, paper=view, chosen=chosen, problem=_refusal_text(error))
        return _page("vote_code.html", error.status, problem=_refusal_text(error))
    return _page("vote_done.html", paper=view)
