"""Grading inside a pool: forced distribution, vetoes, thresholds, ranks only;
shared ranks, tie-break criteria, boundary ties reported and resolved."""
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.scoring.domain.grading import (
    BoundaryTie,
    GradeBand,
    GradeEntry,
    GradingRule,
    TieResolution,
    boundary_ties,
    grade_pool,
    not_graded_reason,
    rank_pool,
    ratio_counts,
)
from jixiao.scoring.domain.ranking import competition_ranks

DEPARTMENTS = GradingRule("departments", "ratio", (GradeBand(1, 18), GradeBand(2, 75), GradeBand(3, 6)))
LEADERS = GradingRule("leaders", "ratio", (GradeBand(1, 163), GradeBand(2, 658), GradeBand(3, 11), GradeBand(4, 0)))
CRIME = "触犯刑律的领导干部确定为四等"
SAFETY = "发生重大及以上生产安全责任事故的单位，年度考核最高评为三等"


def _entries(n, prefix="U", seed=1):
    rng = random.Random(seed)
    return [GradeEntry(f"{prefix}{i:04d}", round(rng.uniform(60, 100), 2)) for i in range(1, n + 1)]


def _counts(graded):
    return dict(sorted(Counter(g.grade for g in graded).items()))


def test_ratio_counts_match_the_seed():
    assert ratio_counts(99, [18, 75, 6]) == (18, 75, 6)
    assert ratio_counts(832, [163, 658, 11, 0]) == (163, 658, 11, 0)
    assert ratio_counts(835, [163, 658, 11]) == (164, 660, 11)


def test_largest_remainder_and_ties_go_to_the_better_grade():
    assert ratio_counts(98, [18, 75, 6]) == (18, 74, 6)  # remainders .82 / .24 / .94
    assert ratio_counts(10, [1, 1, 1]) == (4, 3, 3)      # equal remainders: the better grade first
    assert ratio_counts(0, [18, 75, 6]) == (0, 0, 0)
    assert ratio_counts(7, [0.2, 0.7, 0.1]) == (1, 5, 1)  # 1.4 / 4.9 / 0.7, read as exact decimals
    with pytest.raises(ValueError):
        ratio_counts(3, [0, 0])


def test_99_departments_are_graded_18_75_6_in_rank_order():
    graded = grade_pool(DEPARTMENTS, _entries(99))
    assert _counts(graded) == {1: 18, 2: 75, 3: 6}
    assert [g.rank for g in graded] == competition_ranks([g.total for g in graded])  # equal totals share a rank
    assert [g.grade for g in graded] == sorted(g.grade for g in graded)
    assert [g.total for g in graded] == sorted((g.total for g in graded), reverse=True)
    assert not any(g.capped for g in graded)


def test_835_leaders_with_3_crimes_are_163_658_11_3():
    entries = _entries(835, "P")
    criminals = {"P0005", "P0400", "P0835"}  # one near the top, wherever their points put them
    entries = [GradeEntry(e.id, e.total, 4, CRIME) if e.id in criminals else e for e in entries]
    graded = grade_pool(LEADERS, entries)
    assert _counts(graded) == {1: 163, 2: 658, 3: 11, 4: 3}
    fourth = [g for g in graded if g.grade == 4]
    assert {g.id for g in fourth} == criminals
    assert all(g.capped and g.reason == CRIME for g in fourth)
    others = [g for g in graded if g.id not in criminals]
    assert [g.grade for g in others] == sorted(g.grade for g in others)
    assert not any(g.capped or g.reason for g in others)


def test_a_tie_across_a_boundary_is_reported_not_split_by_id():
    rule = GradingRule("r", "ratio", (GradeBand(1, 1), GradeBand(2, 2)))
    entries = [GradeEntry("B", 90.0), GradeEntry("C", 80.0), GradeEntry("A", 90.0)]
    graded = grade_pool(rule, entries)
    tie = BoundaryTie(("A", "B"), 90.0, (1, 2), (1, 1))
    assert [(g.id, g.rank, g.grade, g.tie) for g in graded] == [("A", 1, None, tie), ("B", 1, None, tie), ("C", 3, 2, None)]
    assert all(g.tie_pending for g in graded[:2]) and boundary_ties(graded) == (tie,)


def test_safety_veto_takes_a_slot_of_its_cap_grade_and_the_counts_hold():
    entries = _entries(99)
    top = max(entries, key=lambda e: (e.total, e.id))
    entries = [GradeEntry(e.id, e.total, 3, SAFETY) if e is top else e for e in entries]
    graded = grade_pool(DEPARTMENTS, entries)
    assert graded[0].id == top.id and graded[0].rank == 1  # ranks follow the points
    assert (graded[0].grade, graded[0].capped, graded[0].reason) == (3, True, SAFETY)
    assert _counts(graded) == {1: 18, 2: 75, 3: 6}  # the published counts hold
    assert [g.rank for g in graded if g.grade == 1] == list(range(2, 20))  # the next ranked moves up


def test_a_capped_entry_takes_the_best_slot_its_cap_allows():
    rule = GradingRule("r", "ratio", (GradeBand(1, 2), GradeBand(2, 2), GradeBand(3, 2)))
    entries = [GradeEntry(f"U{i}", 100.0 - i) for i in range(6)]
    entries[0] = GradeEntry("U0", 100.0, 2, "cap 2")
    entries[4] = GradeEntry("U4", 96.0, 2, "cap 2 but already third")
    graded = grade_pool(rule, entries)
    assert [(g.id, g.grade, g.capped, g.reason) for g in graded] == [
        ("U0", 2, True, "cap 2"), ("U1", 1, False, ""), ("U2", 1, False, ""),
        ("U3", 2, False, ""), ("U4", 3, False, ""), ("U5", 3, False, ""),
    ]


def test_a_cap_worse_than_every_grade_is_taken_out():
    graded = grade_pool(DEPARTMENTS, [*_entries(99), GradeEntry("X", 99.9, 4, "beyond")])
    assert _counts(graded) == {1: 18, 2: 75, 3: 6, 4: 1}


def test_thresholds_with_a_catch_all_and_a_veto_only_grade():
    rule = GradingRule.from_document({
        "code": "t", "method": "threshold", "grades": [
            {"grade": 2, "min_total": 75}, {"grade": 1, "min_total": 90}, {"grade": 3}, {"grade": 4}]})
    entries = [GradeEntry("A", 95), GradeEntry("B", 90), GradeEntry("C", 89.99), GradeEntry("D", 10),
               GradeEntry("E", 99, 3, "safety"), GradeEntry("F", 50, 2, "cap that does not bite"),
               GradeEntry("G", 1, 4, "crime")]
    graded = {g.id: (g.rank, g.grade, g.capped, g.reason) for g in grade_pool(rule, entries)}
    assert graded == {
        "E": (1, 3, True, "safety"), "A": (2, 1, False, ""), "B": (3, 1, False, ""), "C": (4, 2, False, ""),
        "F": (5, 3, False, ""), "D": (6, 3, False, ""), "G": (7, 4, True, "crime"),
    }


def test_threshold_below_every_min_total_gets_the_lowest_grade():
    rule = GradingRule("t", "threshold", (GradeBand(1, min_total=90), GradeBand(2, min_total=60)))
    assert [g.grade for g in grade_pool(rule, [GradeEntry("A", 59.0), GradeEntry("B", 60.0)])] == [2, 2]


def test_rank_only_has_ranks_and_no_grades():
    rule = GradingRule.from_document({"code": "district_county", "pool": ["district_county"], "subject": "unit",
                                      "method": "rank_only", "grades": []})
    graded = grade_pool(rule, [GradeEntry("U-R02", 80), GradeEntry("U-R01", 85, 3, "safety"), GradeEntry("U-R03", 80)])
    assert [(g.id, g.rank, g.grade, g.capped) for g in graded] == [
        ("U-R01", 1, None, False), ("U-R02", 2, None, False), ("U-R03", 2, None, False)]


def test_rule_from_the_demo_scheme():
    rule = GradingRule.from_document({
        "code": "leaders", "pool": ["district_county", "economic"], "subject": "person", "method": "ratio",
        "grades": [{"grade": 1, "name": {"zh": "一等", "en": "First"}, "parts": 163},
                   {"grade": 4, "name": {"zh": "四等", "en": "Fourth"}, "parts": 0},
                   {"grade": 2, "parts": 658}, {"grade": 3, "parts": 11}]})
    assert [b.grade for b in rule.grades] == [1, 2, 3, 4]
    assert (rule.subject, rule.pool, rule.lowest_grade, rule.grades[0].name_zh) == (
        "person", ("district_county", "economic"), 4, "一等")


@pytest.mark.parametrize("bad", [
    lambda: GradingRule("r", "curve", (GradeBand(1, 1),)),
    lambda: GradingRule("r", "ratio", ()),
    lambda: GradingRule("r", "ratio", (GradeBand(1, 1), GradeBand(1, 2))),
    lambda: GradingRule("r", "ratio", (GradeBand(1, -1),)),
    lambda: grade_pool(DEPARTMENTS, [GradeEntry("A", 1.0), GradeEntry("A", 2.0)]),
    lambda: grade_pool(DEPARTMENTS, [GradeEntry("A", float("nan"))]),
    lambda: grade_pool(DEPARTMENTS, [GradeEntry("A", 1.0, 0)]),
])
def test_bad_rules_and_entries_are_refused(bad):
    with pytest.raises(ValueError):
        bad()


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2000), st.lists(st.integers(0, 1000), min_size=1, max_size=6).filter(any))
def test_counts_sum_to_the_pool_and_stay_within_one_of_the_quota(size, parts):
    counts = ratio_counts(size, parts)
    assert sum(counts) == size
    for count, part in zip(counts, parts, strict=True):
        quota = size * part / sum(parts)
        assert quota - 1 < count < quota + 1
        if part == 0:
            assert count == 0


_entry_lists = st.lists(
    st.builds(GradeEntry, st.text("ABCDEFGH", min_size=1, max_size=3),
              st.sampled_from([50.0, 60.0, 70.0, 70.0, 80.0, 90.0]) | st.floats(0, 100),
              st.none() | st.none() | st.integers(1, 4), st.just("veto")),
    max_size=40, unique_by=lambda e: e.id)


@settings(max_examples=150, deadline=None)
@given(_entry_lists, st.randoms(use_true_random=False))
def test_grading_ignores_input_order_and_respects_caps(entries, rng):
    expected = grade_pool(LEADERS, entries)
    shuffled = list(entries)
    rng.shuffle(shuffled)
    assert grade_pool(LEADERS, shuffled) == expected
    caps = {e.id: e.cap for e in entries}
    assert all(caps[g.id] is None or g.tie_pending or g.grade >= caps[g.id] for g in expected)
    uncapped = [g.grade for g in expected if caps[g.id] is None and not g.tie_pending]
    assert uncapped == sorted(uncapped)
    inside = [g for g in expected if caps[g.id] is None]
    if len(inside) + sum(1 for c in caps.values() if c == 4) == len(entries):  # only crimes capped
        counts = ratio_counts(len(inside), [163, 658, 11, 0])
        found = Counter(g.grade for g in inside if not g.tie_pending)
        for tie in boundary_ties(expected):  # the tied entries' places keep the counts
            found.update(dict(zip(tie.grades, tie.slots, strict=True)))
        assert found == Counter({g: n for g, n in zip((1, 2, 3, 4), counts, strict=True) if n})
    assert [g.rank for g in expected] == competition_ranks([g.total for g in expected])
    assert len(expected) == len(entries)


# -- shared ranks, tie-break criteria, boundary ties ------------------------------------------

PERSONS = GradingRule("leaders", "ratio", (GradeBand(1, 1), GradeBand(2, 1)), subject="person",
                      tie_breakers=("personal_evaluation", "unit_total"))


def test_ranks_are_shared_by_equal_totals_competition_style():
    graded = grade_pool(DEPARTMENTS, [GradeEntry("D", 70.0), GradeEntry("C", 80.0), GradeEntry("B", 80.0),
                                      GradeEntry("A", 90.0)])
    assert [(g.id, g.rank) for g in graded] == [("A", 1), ("B", 2), ("C", 2), ("D", 4)]
    assert [(g.id, g.rank) for g in rank_pool([GradeEntry("X", 1.0), GradeEntry("Y", 1.0)])] == [("X", 1), ("Y", 1)]
    assert competition_ranks([90.0, 80.0, 80.0, 70.0]) == [1, 2, 2, 4]


def test_a_boundary_tie_is_separated_by_the_first_criterion_that_separates_it():
    # (total, personal evaluation, unit total): four tied on total around the boundary of 2 first grades
    entries = [GradeEntry("P1", 90.0, criteria=(80.0, 95.0)), GradeEntry("P2", 90.0, criteria=(85.0, 90.0)),
               GradeEntry("P3", 90.0, criteria=(80.0, 97.0)), GradeEntry("P4", 70.0, criteria=(99.0, 99.0))]
    graded = grade_pool(PERSONS, entries)
    # P2 leads on the personal evaluation; P1 and P3 are equal on it, and P3's unit total separates them
    assert [(g.id, g.rank, g.grade, g.tie) for g in graded] == [
        ("P2", 1, 1, None), ("P3", 1, 1, None), ("P1", 1, 2, None), ("P4", 4, 2, None)]
    assert boundary_ties(graded) == ()


def test_a_tie_no_criterion_separates_is_reported_then_resolved_by_the_office():
    entries = [GradeEntry("P1", 90.0, criteria=(80.0, 95.0)), GradeEntry("P2", 90.0, criteria=(85.0, 90.0)),
               GradeEntry("P3", 90.0, criteria=(80.0, 95.0)), GradeEntry("P4", 70.0, criteria=(99.0, 99.0))]
    graded = grade_pool(PERSONS, entries)
    [tie] = boundary_ties(graded)
    assert (tie.ids, tie.total, tie.grades, tie.slots, tie.resolved) == (("P1", "P3"), 90.0, (1, 2), (1, 1), False)
    assert [(g.id, g.rank, g.grade, g.tie_pending) for g in graded] == [
        ("P2", 1, 1, False), ("P1", 1, None, True), ("P3", 1, None, True), ("P4", 4, 2, False)]
    decision = TieResolution(("P3", "P1"), 90.0, "P3 led the flood relief", "考核办", "2027-01-10T08:00:00Z", (1, 2), (1, 1))
    resolved = grade_pool(PERSONS, entries, [decision])
    assert [(g.id, g.rank, g.grade, g.tie_pending) for g in resolved] == [
        ("P2", 1, 1, False), ("P3", 1, 1, False), ("P1", 1, 2, False), ("P4", 4, 2, False)]
    [tie] = boundary_ties(resolved)
    assert tie.resolved and tie.resolution == decision and tie.ids == ("P1", "P3")
    # the newest resolution that names the tie wins; one made at another total, or naming others, does not apply
    again = TieResolution(("P1", "P3"), 90.0, "corrected", grades=(1, 2), slots=(1, 1))
    assert [g.grade for g in grade_pool(PERSONS, entries, [decision, again])][1:3] == [1, 2]
    stale = [TieResolution(("P1", "P3"), 89.0, "old scores", grades=(1, 2), slots=(1, 1)),
             TieResolution(("P1", "P2", "P3"), 90.0, "wrong group", grades=(1, 2), slots=(1, 1)),
             TieResolution(("P1", "P3"), 90.0, "other places", grades=(1, 2), slots=(2, 1)),
             TieResolution(("P1", "P3"), 90.0, "no places recorded")]
    assert all(g.tie_pending for g in grade_pool(PERSONS, entries, stale) if g.id in ("P1", "P3"))


def test_a_large_tie_spans_several_grades_and_keeps_the_counts():
    rule = GradingRule("r", "ratio", (GradeBand(1, 2), GradeBand(2, 2), GradeBand(3, 2)))
    entries = [GradeEntry("A", 99.0), *(GradeEntry(f"T{i}", 80.0) for i in range(4)), GradeEntry("Z", 10.0)]
    graded = grade_pool(rule, entries)
    [tie] = boundary_ties(graded)
    assert (tie.ids, tie.grades, tie.slots) == (("T0", "T1", "T2", "T3"), (1, 2, 3), (1, 2, 1))
    assert [(g.id, g.rank, g.grade) for g in graded] == [
        ("A", 1, 1), ("T0", 2, None), ("T1", 2, None), ("T2", 2, None), ("T3", 2, None), ("Z", 6, 3)]
    order = ("T2", "T0", "T3", "T1")
    resolved = {g.id: g.grade for g in grade_pool(rule, entries, [TieResolution(order, 80.0, "why", grades=(1, 2, 3),
                                                                               slots=(1, 2, 1))])}
    assert [resolved[i] for i in order] == [1, 2, 2, 3]


_SLOTS = GradingRule("r", "ratio", (GradeBand(1, 1), GradeBand(2, 1)))


def _slots_entries(w: float) -> list[GradeEntry]:
    """X and W above or around A, B and C, tied at 80; Y below: 3/3 places."""
    return [GradeEntry("X", 90.0), GradeEntry("W", w), GradeEntry("A", 80.0), GradeEntry("B", 80.0),
            GradeEntry("C", 80.0), GradeEntry("Y", 70.0)]


def test_a_resolution_by_grades_gives_those_grades_and_no_order_by_id():
    entries = _slots_entries(85.0)
    [tie] = boundary_ties(grade_pool(_SLOTS, entries))
    assert (tie.ids, tie.grades, tie.slots) == (("A", "B", "C"), (1, 2), (1, 2))
    decision = TieResolution((), 80.0, "A led the key project", grades=tie.grades, slots=tie.slots,
                             assigned={"A": 1, "B": 2, "C": 2})
    assert decision.by_grades and decision.order == () and decision.assigned == (("A", 1), ("B", 2), ("C", 2))
    graded = grade_pool(_SLOTS, entries, [decision])
    assert [(g.id, g.grade, g.tie_pending) for g in graded] == [
        ("X", 1, False), ("W", 1, False), ("A", 1, False), ("B", 2, False), ("C", 2, False), ("Y", 2, False)]
    [tie] = boundary_ties(graded)
    assert tie.resolved and tie.resolution == decision
    # by grades or by order: the same tie, the same places; B and C keep grade 2 whichever id is smaller
    flipped = TieResolution((), 80.0, "C first", grades=(1, 2), slots=(1, 2), assigned={"C": 1, "A": 2, "B": 2})
    assert {g.id: g.grade for g in grade_pool(_SLOTS, entries, [decision, flipped])} == {
        "X": 1, "W": 1, "C": 1, "A": 2, "B": 2, "Y": 2}
    by_order = TieResolution(("B", "C", "A"), 80.0, "B first", grades=(1, 2), slots=(1, 2))
    assert {g.id: g.grade for g in grade_pool(_SLOTS, entries, [decision, by_order])} == {
        "X": 1, "W": 1, "B": 1, "C": 2, "A": 2, "Y": 2}
    with pytest.raises(ValueError, match="either an order or the grade"):
        TieResolution(("A", "B", "C"), 80.0, assigned={"A": 1, "B": 2, "C": 2})
    with pytest.raises(ValueError, match="either an order or the grade"):
        TieResolution((), 80.0)


@pytest.mark.parametrize("decision", [
    TieResolution((), 80.0, "by grades", grades=(1, 2), slots=(1, 2), assigned={"A": 1, "B": 2, "C": 2}),
    TieResolution(("A", "B", "C"), 80.0, "by order", grades=(1, 2), slots=(1, 2)),
])
def test_a_resolution_does_not_outlive_the_places_it_was_made_for(decision):
    """A tie of A, B and C for 1 first and 2 second places is resolved; then W drops
    below the tie: its places are now 2 first and 1 second, with the same ids and total.
    The resolution does not say who takes the second first place: the tie is reported again."""
    assert all(not g.tie_pending for g in grade_pool(_SLOTS, _slots_entries(85.0), [decision]))
    graded = grade_pool(_SLOTS, _slots_entries(60.0), [decision])
    [tie] = boundary_ties(graded)
    assert (tie.ids, tie.total, tie.grades, tie.slots, tie.resolved) == (("A", "B", "C"), 80.0, (1, 2), (2, 1), False)
    assert [(g.id, g.grade, g.tie_pending) for g in graded] == [
        ("X", 1, False), ("A", None, True), ("B", None, True), ("C", None, True), ("Y", 2, False), ("W", 2, False)]
    # a resolution of the tie as it now is applies
    again = TieResolution((), 80.0, "decided anew", grades=(1, 2), slots=(2, 1), assigned={"A": 1, "C": 1, "B": 2})
    assert {g.id: g.grade for g in grade_pool(_SLOTS, _slots_entries(60.0), [decision, again])} == {
        "X": 1, "A": 1, "C": 1, "B": 2, "Y": 2, "W": 2}


def test_a_resolution_by_grades_a_veto_no_longer_allows_is_reported_again():
    rule = GradingRule("r", "ratio", (GradeBand(1, 2), GradeBand(2, 2), GradeBand(3, 2)))

    def entries(cap: int | None) -> list[GradeEntry]:
        return [GradeEntry("A", 99.0), GradeEntry("T0", 80.0, cap, "veto" if cap else ""),
                *(GradeEntry(f"T{i}", 80.0) for i in range(1, 4)), GradeEntry("Z", 10.0)]

    decision = TieResolution((), 80.0, "T0 first", grades=(1, 2, 3), slots=(1, 2, 1),
                             assigned={"T0": 1, "T1": 2, "T2": 2, "T3": 3})
    assert {g.id: g.grade for g in grade_pool(rule, entries(None), [decision])} == {
        "A": 1, "T0": 1, "T1": 2, "T2": 2, "T3": 3, "Z": 3}
    # T0 is capped at 2 now: the same ids, total and places, but T0 may not have the grade decided
    graded = grade_pool(rule, entries(2), [decision])
    [tie] = boundary_ties(graded)
    assert (tie.ids, tie.grades, tie.slots, tie.resolved) == (("T0", "T1", "T2", "T3"), (1, 2, 3), (1, 2, 1), False)
    assert all(g.tie_pending and g.grade is None for g in graded if g.id in tie.ids)


def test_a_tie_inside_one_grade_is_no_boundary_tie():
    rule = GradingRule("r", "ratio", (GradeBand(1, 1), GradeBand(2, 3), GradeBand(3, 1)))
    entries = [GradeEntry("A", 95.0), GradeEntry("B", 80.0), GradeEntry("C", 80.0), GradeEntry("D", 80.0),
               GradeEntry("E", 60.0)]
    graded = grade_pool(rule, entries)
    assert boundary_ties(graded) == ()
    assert [(g.id, g.rank, g.grade) for g in graded] == [("A", 1, 1), ("B", 2, 2), ("C", 2, 2), ("D", 2, 2), ("E", 5, 3)]
    # ten equal totals at 18/75/6 are 2/7/1 places: one tie across both boundaries
    [tie] = boundary_ties(grade_pool(DEPARTMENTS, [GradeEntry(f"U{i}", 80.0) for i in range(10)]))
    assert (len(tie.ids), tie.grades, tie.slots) == (10, (1, 2, 3), (2, 7, 1))


def test_a_vetoed_entry_in_a_tie_keeps_its_cap_and_does_not_compete():
    rule = GradingRule("r", "ratio", (GradeBand(1, 1), GradeBand(2, 1), GradeBand(3, 1)))
    entries = [GradeEntry("A", 90.0, 2, "veto"), GradeEntry("B", 90.0), GradeEntry("C", 50.0)]
    graded = {g.id: (g.rank, g.grade, g.capped, g.tie) for g in grade_pool(rule, entries)}
    # B takes the first grade whatever the order: A may not; A takes the second, C the third
    assert graded == {"A": (1, 2, True, None), "B": (1, 1, False, None), "C": (3, 3, False, None)}


_tied_entries = st.lists(
    st.builds(GradeEntry, st.text("ABCDEFGH", min_size=1, max_size=3), st.sampled_from([50.0, 60.0, 70.0, 70.0, 80.0]),
              st.none() | st.none() | st.none() | st.integers(2, 4), st.just("veto"),
              st.tuples(st.sampled_from([1.0, 2.0, 2.0]))),
    max_size=40, unique_by=lambda e: e.id)
_BY_EVALUATION = GradingRule("leaders", "ratio", LEADERS.grades, subject="person", tie_breakers=("personal_evaluation",))


@settings(max_examples=200, deadline=None)
@given(_tied_entries, st.randoms(use_true_random=False))
def test_no_grade_is_decided_by_an_identifier(entries, rng):
    graded = grade_pool(_BY_EVALUATION, entries)
    by_id = {e.id: e for e in entries}
    outcome: dict[tuple, set] = {}
    for g in graded:  # entries alike in all but their id fare alike
        e = by_id[g.id]
        outcome.setdefault((e.total, e.criteria, e.cap), set()).add((g.grade, g.capped, g.tie_pending))
    assert all(len(found) == 1 for found in outcome.values()), outcome
    for tie in boundary_ties(graded):
        assert len(tie.grades) >= 2 and sum(tie.slots) == len(tie.ids) and not tie.resolved
        assert {(by_id[i].total, by_id[i].criteria) for i in tie.ids} == {(tie.total, by_id[tie.ids[0]].criteria)}
    # whatever order the office decides for each tie, every tied entry then has a grade, and its places hold
    decisions = []
    for tie in boundary_ties(graded):
        order = list(tie.ids)
        rng.shuffle(order)
        decisions.append(TieResolution(tuple(order), tie.total, "decided", grades=tie.grades, slots=tie.slots))
    resolved = grade_pool(_BY_EVALUATION, entries, decisions)
    assert not any(g.tie_pending for g in resolved)
    grade_of = {g.id: g.grade for g in resolved}
    for tie, decision in zip(boundary_ties(graded), decisions, strict=True):
        assert Counter(grade_of[i] for i in tie.ids) == Counter(dict(zip(tie.grades, tie.slots, strict=True)))
        uncapped = [grade_of[i] for i in decision.order if by_id[i].cap is None]  # a cap may pass over its place
        assert uncapped == sorted(uncapped)
    untied = {g.id for g in graded if g.tie is None}
    assert {i: grade_of[i] for i in untied} == {g.id: g.grade for g in graded if g.id in untied}


def test_a_rule_grades_the_period_kinds_it_names():
    rule = GradingRule.from_document({"code": "departments", "method": "ratio", "grades": [{"grade": 1, "parts": 1}]})
    assert rule.periods == ("year",) and rule.grades_period("year") and not rule.grades_period("quarter")
    assert not_graded_reason(rule, "year") == ("", "")
    assert not_graded_reason(rule, "quarter") == ("本期不评定等次（该规则只评定年度）",
                                                  "not graded in this period (this rule grades the year only)")
    quarterly = GradingRule.from_document({"code": "q", "method": "threshold", "periods": ["year", "quarter"],
                                           "grades": [{"grade": 1}]})
    assert quarterly.grades_period("quarter") and not_graded_reason(quarterly, "month") == (
        "本期不评定等次（该规则只评定季度、年度）", "not graded in this period (this rule grades quarters and the year only)")
    ranked = GradingRule.from_document({"code": "d", "method": "rank_only", "periods": ["month"]})
    assert not ranked.grades_period("month") and not_graded_reason(ranked, "month")[1] == "this rule ranks only; it gives no grades"


@pytest.mark.parametrize("rule, message", [
    ({"periods": ["week"]}, "not period kinds"),
    ({"periods": []}, "not period kinds"),
    ({"tie_breakers": ["unit_total"]}, "not a criterion for units"),
    ({"tie_breakers": ["dimension:"]}, "not a criterion for units"),
    ({"subject": "person", "tie_breakers": ["dimension:work"]}, "not a criterion for persons"),
    ({"subject": "person", "tie_breakers": ["unit_total", "unit_total"]}, "listed twice"),
    ({"method": "threshold", "tie_breakers": ["dimension:work"]}, "only a ratio rule"),
])
def test_bad_periods_and_criteria_are_refused(rule, message):
    with pytest.raises(ValueError, match=message):
        GradingRule.from_document({"code": "r", "method": "ratio", "grades": [{"grade": 1, "parts": 1}], **rule})
    with pytest.raises(ValueError, match="tie-break values"):
        grade_pool(PERSONS, [GradeEntry("P1", 1.0)])
