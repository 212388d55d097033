"""The assessment teams' pure rules (jixiao.scoring.domain.assessment_teams): the round's
definition, the roster's states and replacements, score checks, the team rule and leniency."""
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.assessment_scheme import INDICATOR, assessment_scheme
from jixiao.scoring.domain import assessment_teams as rules
from jixiao.scoring.domain.assessment_teams import (
    AssessmentInputError,
    AssessmentStateError,
    Closing,
    Entry,
    Round,
    ScoreRow,
)
from jixiao.scoring.domain.scheme_view import SchemeView

F = Fraction
SCHEME = SchemeView(assessment_scheme(), 1)
DEFINITION = rules.definition(SCHEME, INDICATOR)
AT = "2026-04-02T08:00:00Z"


def formed(*teams) -> Round:
    current = Round("test-2026", INDICATOR, "2026-Q1")
    for code, assessors, units in teams or (("t1", ["A1", "A2", "A3"], ["U1", "U3"]), ("t2", ["B1"], ["U2"])):
        current = rules.set_team(current, DEFINITION, code, f"第{code}组", assessors, units, "考核办", AT)
    return current


def full(points_targets=50, points_records=30) -> tuple[ScoreRow, ...]:
    return (ScoreRow("targets", points_targets, "现场查看"), ScoreRow("records", points_records))


def submitted(unit, assessor, targets=50, records=30) -> Entry:
    return rules.submit(rules.save(Entry(unit, assessor), DEFINITION, full(targets, records), AT), DEFINITION, AT)


def test_the_definition_reads_the_scheme():
    assert (DEFINITION.team_rule, [i.code for i in DEFINITION.items], DEFINITION.max_total) == (
        "trimmed_mean", ["targets", "records"], F(100))
    assert DEFINITION.units == {"U1": "district", "U2": "district", "U3": "county", "U4": "county"}
    assert (DEFINITION.metric, DEFINITION.source) == ("assessment_on_site", "assessment:on_site")
    with pytest.raises(rules.NotAnAssessment, match="'amount_vs_plan' of scheme test-2026 is not scored on site"):
        rules.definition(SCHEME, "amount_vs_plan")
    with pytest.raises(AssessmentInputError, match="period: indicator on_site is not assessed in month periods"):
        rules.round_period(SCHEME, INDICATOR, "2026-03")


def test_teams_are_formed_then_locked_and_the_history_says_so():
    current = rules.lock(formed(), "考核办", AT)
    assert current.state == "locked" and [h.action for h in current.history] == ["set_team", "set_team", "lock"]
    assert [m.position for m in current.team("t1").roster] == [1, 2, 3]
    with pytest.raises(AssessmentStateError, match="teams no longer change; replace an assessor"):
        rules.set_team(current, DEFINITION, "t3", "", ["C1"], ["U4"], "考核办", AT)
    with pytest.raises(AssessmentStateError, match="locked by 考核办 at .* already"):
        rules.lock(current, "考核办", AT)
    with pytest.raises(AssessmentStateError, match="no team is formed yet"):
        rules.lock(Round("test-2026", INDICATOR, "2026-Q1"), "考核办", AT)


@pytest.mark.parametrize("code, assessors, units, field, problem", [
    ("t3", ["A1"], ["U4"], "assessors[0]", "is on team t1 already"),
    ("t3", ["C1", "C1"], ["U4"], "assessors[1]", "is on the team already"),
    ("t3", ["C1"], ["U2"], "unit_ids[0]", "U2 is assigned to team t2 already"),
    ("t3", ["C1"], ["X9"], "unit_ids[0]", "'X9' is not a unit assessed on on_site"),
    ("t3", ["C1"], [], "unit_ids", "a team needs at least one unit"),
    ("t 3", ["C1"], ["U4"], "team_code", "'t 3' is not a team code"),
    ("t3", ["张三"], ["U4"], "assessors[0]", "is not an assessor code"),
    ("t9", [], [], "team_code", "there is no team 't9' to remove"),
])
def test_a_bad_team_is_refused_naming_the_field(code, assessors, units, field, problem):
    with pytest.raises(AssessmentInputError) as caught:
        rules.set_team(formed(), DEFINITION, code, "", assessors, units, "考核办", AT)
    assert (caught.value.field, caught.value.problem.startswith(problem)) == (field, True), caught.value
    assert not any(a in str(caught.value) for a in assessors), "no message names an assessor by code"


def test_a_team_is_changed_or_removed_before_the_lock():
    changed = rules.set_team(formed(), DEFINITION, "t2", "第二组", ["B1", "B2"], ["U2", "U4"], "考核办", AT)
    assert changed.team("t2").units == ("U2", "U4") and changed.team_of_unit("U4").code == "t2"
    removed = rules.set_team(changed, DEFINITION, "t2", "", [], [], "考核办", AT)
    assert [t.code for t in removed.teams] == ["t1"] and removed.history[-1].action == "remove_team"


def test_a_replacement_keeps_the_position_and_the_replaced_assessor_with_the_reason():
    current = rules.lock(formed(), "考核办", AT)
    with pytest.raises(AssessmentInputError, match="reason: is required"):
        rules.replace_assessor(current, "t1", "A2", "A9", " ", "考核办", AT)
    with pytest.raises(AssessmentInputError, match="replacement: is an assessor of team t2 already"):
        rules.replace_assessor(current, "t1", "A2", "B1", "病假", "考核办", AT)
    with pytest.raises(AssessmentInputError, match="assessor: is not an active assessor of team t1"):
        rules.replace_assessor(current, "t1", "A7", "A9", "病假", "考核办", AT)
    with pytest.raises(AssessmentStateError, match="not locked yet"):
        rules.replace_assessor(formed(), "t1", "A2", "A9", "病假", "考核办", AT)
    after = rules.replace_assessor(current, "t1", "A2", "A9", "病假", "考核办", "2026-04-03T08:00:00Z")
    team = after.team("t1")
    assert [(m.position, m.assessor) for m in team.roster] == [(1, "A1"), (2, "A9"), (3, "A3")]
    gone = next(m for m in team.members if m.assessor == "A2")
    assert (gone.active, gone.replaced_by, gone.reason, gone.left_at) == (False, "A9", "病假", "2026-04-03T08:00:00Z")
    assert after.history[-1].detail == "2: A2 → A9" and after.history[-1].reason == "病假"


def test_who_may_score_what():
    current = formed()
    assert "not locked yet" in rules.scoring_problem(current, DEFINITION, "A1", "U1")
    current = rules.lock(current, "考核办", AT)
    assert rules.scoring_problem(current, DEFINITION, "A1", "U1") is None
    assert rules.scoring_problem(current, DEFINITION, "A1", "U2") == "unit U2 is not assigned to team t1"
    assert rules.scoring_problem(current, DEFINITION, "Z1", "U1").startswith("the caller is not an active assessor")
    replaced = rules.replace_assessor(current, "t1", "A1", "A9", "调离", "考核办", AT)
    assert rules.scoring_problem(replaced, DEFINITION, "A1", "U1").startswith("the caller is not an active assessor")


def test_scores_are_checked_per_row_and_field():
    problems = rules.check_rows(DEFINITION, [ScoreRow("targets", 61), ScoreRow("targets", 1), ScoreRow("x", 1),
                                             ScoreRow("records", float("nan")), ScoreRow("records", -0.5)])
    assert [(p.field, p.problem) for p in problems] == [
        ("rows[0].points", "item targets: 61 is outside [0, 60]"),
        ("rows[1].item", "targets is scored twice"),
        ("rows[2].item", "'x' is not an item of on_site (targets, records)"),
        ("rows[3].points", "must be a finite number"),
        ("rows[4].item", "records is scored twice"),
        ("rows[4].points", "item records: -0.5 is outside [0, 40]"),
    ]
    assert rules.check_rows(DEFINITION, [ScoreRow("targets", 60), ScoreRow("records", 0)]) == []


def test_an_entry_is_saved_submitted_once_and_frozen():
    draft = rules.save(Entry("U1", "A1"), DEFINITION, [ScoreRow("records", 30), ScoreRow("targets", 50.5)], AT)
    assert (draft.state, [r.item for r in draft.rows], draft.total) == ("draft", ["targets", "records"], F(161, 2))
    with pytest.raises(AssessmentStateError, match=r"1 item\(s\) without points \(records\)"):
        rules.submit(rules.save(Entry("U1", "A1"), DEFINITION, [ScoreRow("targets", 1)], AT), DEFINITION, AT)
    with pytest.raises(AssessmentStateError, match="nothing is saved yet"):
        rules.submit(Entry("U1", "A1"), DEFINITION, AT)
    done = rules.submit(draft, DEFINITION, "2026-04-05T08:00:00Z")
    with pytest.raises(AssessmentStateError, match="submitted at 2026-04-05T08:00:00Z: frozen, the scores are kept as submitted"):
        rules.save(done, DEFINITION, full(), AT)
    with pytest.raises(AssessmentStateError, match="already"):
        rules.submit(done, DEFINITION, AT)
    with pytest.raises(AssessmentInputError, match=r"rows\[0\].points: item targets: 70 is outside \[0, 60\]"):
        rules.save(draft, DEFINITION, [ScoreRow("targets", 70)], AT)


@pytest.mark.parametrize("totals, rule, expected", [
    ([F(90), F(80), F(70), F(85)], "trimmed_mean", (F(165, 2), True)),
    ([F(90), F(90), F(70), F(70)], "trimmed_mean", (F(80), True)),    # one highest, one lowest, once each
    ([F(90), F(71)], "trimmed_mean", (F(161, 2), False)),              # fewer than 3: the plain mean
    ([F(90)], "trimmed_mean", (F(90), False)),
    ([F(90), F(80), F(70), F(85)], "mean", (F(325, 4), False)),
    ([F(1, 10), F(2, 10)], "mean", (F(3, 20), False)),                  # exact: no 0.15000000000000002
])
def test_the_team_rule(totals, rule, expected):
    assert rules.team_result(totals, rule) == expected


@given(st.lists(st.fractions(min_value=0, max_value=100, max_denominator=100), min_size=1, max_size=9),
       st.sampled_from(rules.TEAM_RULES))
def test_a_team_result_lies_between_the_lowest_and_the_highest_total(totals, rule):
    assert min(totals) <= rules.team_result(totals, rule)[0] <= max(totals)


def test_a_unit_closes_once_every_active_assessor_submitted_and_again_only_when_that_changes():
    current = rules.lock(formed(), "考核办", AT)
    entries = [submitted("U1", "A1", 50, 40), submitted("U1", "A2", 40, 30),
               rules.save(Entry("U1", "A3"), DEFINITION, full(), AT)]
    state = rules.unit_state(current, DEFINITION, "U1", entries, None)
    assert (state.expected, len(state.counted), state.result, state.can_close) == (3, 2, F(80), False)
    assert rules.closing_problem(current, state) == "unit U1: assessor(s) 3 of team t1 have not submitted"
    entries[2] = submitted("U1", "A3", 60, 40)
    state = rules.unit_state(current, DEFINITION, "U1", entries, None)
    assert (state.result, rules.closing_problem(current, state)) == (F(90), None)   # trimmed: 90 of 90, 70, 100
    closed = Closing("U1", 1, "考核办", AT, state.counted)
    again = rules.unit_state(current, DEFINITION, "U1", entries, closed)
    assert "was closed with these scores already (closing 1" in rules.closing_problem(current, again)
    replaced = rules.replace_assessor(current, "t1", "A3", "A9", "回避", "考核办", AT)
    state = rules.unit_state(replaced, DEFINITION, "U1", [*entries, submitted("U1", "A9", 55, 35)], closed)
    assert [(m.assessor, m.active, e.state) for m, e in state.scores] == [
        ("A1", True, "submitted"), ("A2", True, "submitted"), ("A9", True, "submitted"), ("A3", False, "submitted")]
    assert state.counted == ((1, "A1", F(90)), (2, "A2", F(70)), (3, "A9", F(90))) and state.can_close
    assert rules.closing_problem(current, rules.unit_state(current, DEFINITION, "U4", entries, None)) == \
        "unit U4 is assigned to no team"


def test_leniency_is_the_mean_deviation_from_the_others_on_the_same_units_by_category():
    totals = [("A1", "U1", F(90)), ("A2", "U1", F(80)), ("A3", "U1", F(70)),   # district U1
              ("A1", "U3", F(95)), ("A2", "U3", F(75)),                          # county U3
              ("A4", "U4", F(60))]                                               # alone on U4
    found = {x.assessor: x for x in rules.leniency(totals, DEFINITION.units)}
    # A1: U1 90 − mean(80, 70) = 15; U3 95 − 75 = 20 → 35/2
    assert (found["A1"].units, found["A1"].leniency) == (2, F(35, 2))
    assert found["A1"].by_category == (("county", 1, F(20)), ("district", 1, F(15)))
    # A2: U1 80 − 80 = 0; U3 75 − 95 = −20 → −10;  A3: 70 − 85 = −15
    assert (found["A2"].leniency, found["A3"].leniency) == (F(-10), F(-15))
    assert (found["A4"].units, found["A4"].leniency, found["A4"].by_category) == (0, None, ())
    assert [x.assessor for x in rules.leniency(totals, DEFINITION.units)] == ["A1", "A2", "A3", "A4"]


@given(st.lists(st.integers(0, 100), min_size=2, max_size=6))
def test_on_one_unit_the_deviations_cancel_out(values):
    totals = [(f"A{n}", "U1", F(v)) for n, v in enumerate(values)]
    found = rules.leniency(totals, DEFINITION.units)
    assert sum(x.leniency for x in found) == 0   # Σ_a (t_a − (S − t_a)/(n−1)) = S − (n·S − S)/(n−1) = 0
