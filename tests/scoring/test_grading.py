"""Grading inside a pool: forced distribution, vetoes, thresholds, ranks only."""
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.scoring.domain.grading import GradeBand, GradeEntry, GradingRule, grade_pool, ratio_counts

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
    assert [g.rank for g in graded] == list(range(1, 100))
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


def test_tie_across_a_boundary_is_split_by_id():
    rule = GradingRule("r", "ratio", (GradeBand(1, 1), GradeBand(2, 2)))
    entries = [GradeEntry("B", 90.0), GradeEntry("C", 80.0), GradeEntry("A", 90.0)]
    graded = grade_pool(rule, entries)
    assert [(g.id, g.rank, g.grade) for g in graded] == [("A", 1, 1), ("B", 2, 2), ("C", 3, 2)]


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
        ("U-R01", 1, None, False), ("U-R02", 2, None, False), ("U-R03", 3, None, False)]


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
    assert all(caps[g.id] is None or g.grade >= caps[g.id] for g in expected)
    uncapped = [g.grade for g in expected if caps[g.id] is None]
    assert uncapped == sorted(uncapped)
    inside = [g for g in expected if caps[g.id] is None]
    if len(inside) + sum(1 for c in caps.values() if c == 4) == len(entries):  # only crimes capped
        counts = ratio_counts(len(inside), [163, 658, 11, 0])
        assert Counter(g.grade for g in inside) == Counter({g: n for g, n in zip((1, 2, 3, 4), counts, strict=True) if n})
    assert len(expected) == len(entries)
