"""The office's what-if simulation (模拟测算, docs/portal.md), /office/simulation: a form of
changes for one period of the scheme — a unit's figure, a target, weights, a grading rule's
ratio — then the units whose total, rank, grade or indicator points would differ, each with
its explanation, and the record of the simulations asked. Nothing official changes and
nothing of it is public: scoring scores the changes inside a transaction it rolls back and
records who asked what (service_layer/simulations.py), with the office's own token.

The form is read by domain/simulation_forms.py; what cannot be sent (no kind, not a number)
and scoring's refusals (`changes[1].weight: …`) are said at the row and field they name,
with the form kept as typed (400)."""
from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext

from ...adapters.backend_errors import InvalidArgument
from ...domain import simulation_forms as forms
from ...service_layer.simulations import ChangeShapeRefused
from ..wiring import simulations
from . import i18n, portal
from .office_desk import _office_scheme, check_csrf, office_required, office_token
from .simulation_views import answer_view, choices, kind_label, record_rows

PROBLEMS = {
    forms.CHOOSE_KIND: lambda: gettext("Choose the kind of change, or clear the row."),
    forms.NOT_A_NUMBER: lambda: gettext("Enter a number."),
    forms.NO_CHANGES: lambda: gettext("State at least one change: a figure, a target, a weight or a grade ratio."),
}


@portal.route("/office/simulation", methods=["GET", "POST"])
@office_required
def office_simulation():
    """GET: the form (`?period=`, `?rows=` how many change rows); POST: simulate, or (`add`)
    the same form with one more row."""
    scheme = _office_scheme()
    if scheme is None:
        abort(404)
    lang = i18n.current()
    options = choices(lang, scheme)
    status, answer, problems = 200, None, {}
    if request.method == "GET":
        period = request.args.get("period", "")
        period = period if period in options.periods else options.year
        rows = forms.blank_rows(forms.row_count(request.args.get("rows")))
    else:
        check_csrf()
        period = request.form.get("period", "")
        reading = forms.read_form(request.form, options.grade_numbers)
        rows = reading.rows
        if request.form.get("add"):
            if len(rows) < forms.MAX_ROWS:
                rows = [*rows, forms.Row(len(rows), "", {})]
        elif period not in options.periods:
            status, problems = 400, {(None, "period"): gettext("Choose a period of the scheme.")}
        elif reading.problems:
            status, problems = 400, {where: PROBLEMS[code]() for where, code in reading.problems.items()}
        else:
            try:
                result = simulations().simulate(scheme.code, period, reading.changes, office_token())
            except (InvalidArgument, ChangeShapeRefused) as refused:
                where, text = forms.placed(getattr(refused, "message", str(refused)), reading.sent_from)
                status, problems = 400, {where: gettext("Not simulated: %(message)s", message=text)}
            else:
                rows = forms.compacted(rows, reading.sent_from)
                answer = answer_view(lang, scheme, result, reading.changes)
    records = record_rows(lang, options, simulations().simulations(scheme.code, office_token()))
    return render_template(
        "office_simulation.html", scheme=scheme, office=True, options=options, sim_period=period, rows=rows,
        problems=problems, row_problems=_by_row(problems), answer=answer, records=records, kinds=forms.KINDS,
        kind_label=kind_label, field_name=forms.field_name, part_name=forms.part_name,
        scheme_name=i18n.name_of(lang, scheme.scheme_name())), status


def _by_row(problems: dict) -> dict[int, list[tuple[str, str]]]:
    """Each row's problems as (field, message), in the form's order of fields."""
    found: dict[int, list[tuple[str, str]]] = {}
    for (row, name), message in problems.items():
        if row is not None:
            found.setdefault(row, []).append((name, message))
    return found
