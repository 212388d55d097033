"""Consequence rules over grade history."""
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.scoring.domain.consequences import Consequence, ConsequenceRule, find_consequences

SCHEME_CONSEQUENCES = [
    {"rule": "two_years_third_grade", "subject": "person", "action": {"zh": "免职", "en": "removal from post"}},
    {"rule": "fourth_grade", "subject": "person", "action": {"zh": "撤销党政职务", "en": "dismissal"}},
    {"rule": "third_grade", "subject": "person", "action": {"zh": "诫勉谈话", "en": "admonishment talk"}},
]
RULES = [ConsequenceRule.from_document(item) for item in SCHEME_CONSEQUENCES]

REMOVAL = ("two_years_third_grade", "免职", "removal from post")
DISMISSAL = ("fourth_grade", "撤销党政职务", "dismissal")
TALK = ("third_grade", "诫勉谈话", "admonishment talk")


def _c(subject_id, rule, years):
    return Consequence(subject_id, rule[0], rule[1], rule[2], years)


def test_the_three_rules_with_precedence():
    history = {
        "P0003": {2025: 3, 2026: 3},   # removal, not also a talk in 2026
        "P0001": {2026: 4},            # dismissal
        "P0002": {2025: 2, 2026: 3},   # talk
        "P0004": {2024: 3, 2026: 3},   # not consecutive: two talks
        "P0005": {2025: 3, 2026: 4},   # dismissal outranks removal
        "P0006": {2025: 1, 2026: 2},   # nothing
        "P0007": {2025: 3, 2026: None},  # not graded in 2026
    }
    assert find_consequences(RULES, history) == (
        _c("P0001", DISMISSAL, (2026,)),
        _c("P0002", TALK, (2026,)),
        _c("P0003", TALK, (2025,)),
        _c("P0003", REMOVAL, (2025, 2026)),
        _c("P0004", TALK, (2024,)),
        _c("P0004", TALK, (2026,)),
        _c("P0005", TALK, (2025,)),
        _c("P0005", DISMISSAL, (2026,)),
        _c("P0007", TALK, (2025,)),
    )


def test_one_year_list_for_the_organisation_department():
    history = {"P0003": {2025: 3, 2026: 3}, "P0001": {2026: 4}, "P0002": {2026: 3}, "P0007": {2025: 3}}
    assert find_consequences(RULES, history, year=2026) == (
        _c("P0001", DISMISSAL, (2026,)), _c("P0002", TALK, (2026,)), _c("P0003", REMOVAL, (2025, 2026)))


def test_seed_year_3_dismissals_and_11_talks():
    history = {f"P{i:04d}": {2026: 2} for i in range(1, 836)}
    for i in (10, 20, 30):
        history[f"P{i:04d}"][2026] = 4
    for i in range(100, 111):
        history[f"P{i:04d}"][2026] = 3
    found = find_consequences(RULES, history, year=2026, subject="person")
    assert [c.rule for c in found].count("fourth_grade") == 3
    assert [c.rule for c in found].count("third_grade") == 11
    assert find_consequences(RULES, history, year=2026, subject="unit") == ()


def test_three_third_grades_in_a_row_and_missing_rules():
    history = {"P1": {2024: 3, 2025: 3, 2026: 3}}
    assert find_consequences(RULES, history) == (
        _c("P1", TALK, (2024,)), _c("P1", REMOVAL, (2024, 2025)), _c("P1", REMOVAL, (2025, 2026)))
    only_talks = [r for r in RULES if r.rule == "third_grade"]
    assert find_consequences(only_talks, {"P1": {2025: 3, 2026: 4}}) == (_c("P1", TALK, (2025,)),)
    assert find_consequences([], history) == ()


def test_unknown_rule_is_refused():
    with pytest.raises(ValueError):
        ConsequenceRule.from_document({"rule": "three_strikes", "action": {"zh": "x", "en": "x"}})


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text("PQ0123", min_size=1, max_size=4),
                       st.dictionaries(st.integers(2020, 2027), st.none() | st.integers(1, 4), max_size=6),
                       max_size=12),
       st.randoms(use_true_random=False))
def test_order_is_deterministic_and_one_finding_per_subject_and_year(history, rng):
    expected = find_consequences(RULES, history)
    items = list(history.items())
    rng.shuffle(items)
    shuffled = {k: dict(random.Random(len(k)).sample(sorted(v.items(), key=str), len(v))) for k, v in items}
    assert find_consequences(list(reversed(RULES)), shuffled) == expected
    keys = [(c.subject_id, c.years[-1]) for c in expected]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert all(history[c.subject_id][c.years[-1]] >= 3 for c in expected)
