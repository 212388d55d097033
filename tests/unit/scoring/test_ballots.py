"""Democratic evaluation ballots, the pure rules (domain/ballots.py): the code format and its
check, the keyed hash, a ballot's ratings, the tally and the turnout flag."""
import random
from fractions import Fraction

import pytest

from helpers.ballot_scheme import ballot_scheme
from jixiao.scoring.domain import ballots as rules
from jixiao.scoring.domain.ballots import BallotCodeError, BallotInputError
from jixiao.scoring.domain.scheme_view import SchemeView


def test_a_code_is_16_crockford_symbols_with_75_random_bits_and_a_check():
    code = rules.new_code()
    assert len(code) == 16 and set(code) <= set(rules.ALPHABET)
    assert len(rules.ALPHABET) ** rules.RANDOM_SYMBOLS == 2 ** 75
    shown = rules.shown(code)
    assert shown.count("-") == 3 and all(len(part) == 4 for part in shown.split("-"))
    assert rules.read_code(shown) == code
    assert rules.read_code(" " + shown.lower().replace("-", " ") + " ") == code


def test_codes_do_not_repeat():
    assert len({rules.new_code() for _ in range(5000)}) == 5000


def test_crockford_aliases_are_read_as_digits():
    body = "0" * 14 + "1"
    code = body + rules._check_symbol(body)
    assert rules.read_code("OOOO-oooo-OOOO-OOl" + code[-1]) == code
    assert rules.read_code("oooo oooo oooo ooI" + code[-1]) == code


def test_a_single_mistyped_symbol_or_swapped_neighbours_fail_the_check():
    generator = random.Random(7)
    for _ in range(300):
        code = rules.new_code(generator.randrange)
        i = generator.randrange(16)
        other = generator.choice([s for s in rules.ALPHABET if s != code[i]])
        typo = code[:i] + other + code[i + 1:]
        if {code[i], other} != {"0", "Z"}:  # values 31 apart: the one blind spot of mod 31
            with pytest.raises(BallotCodeError, match="mistyped"):
                rules.read_code(typo)
        j = generator.randrange(14)
        if code[j] != code[j + 1] and {code[j], code[j + 1]} != {"0", "Z"}:
            swapped = code[:j] + code[j + 1] + code[j] + code[j + 2:]
            with pytest.raises(BallotCodeError):
                rules.read_code(swapped)


@pytest.mark.parametrize("text", ["", "ABCD", "ABCD-EFGH-JKMN-PQRS-T", "UUUU-UUUU-UUUU-UUUU", "ABCD-EFGH-JKMN-PQR!"])
def test_text_that_is_not_a_code_is_refused_without_repeating_it(text):
    with pytest.raises(BallotCodeError) as caught:
        rules.read_code(text)
    assert text not in str(caught.value) or not text


def test_the_stored_hash_is_keyed_by_the_schemes_secret():
    code = rules.new_code()
    one, other = rules.code_key(b"a" * 32), rules.code_key(b"b" * 32)
    assert rules.code_hash(one, code) == rules.code_hash(one, code)
    assert rules.code_hash(one, code) != rules.code_hash(other, code)
    assert code not in rules.code_hash(one, code) and len(rules.code_hash(one, code)) == 64


@pytest.fixture
def scheme():
    return SchemeView(ballot_scheme(), 1)


def test_the_schemes_ballot_its_round_and_subjects(scheme):
    ballot = rules.definition(scheme, "democratic_evaluation")
    assert [g.code for g in ballot.groups] == ["cadres", "residents"] and ballot.units == ("U1", "U2")
    assert [c.value for c in ballot.scale] == [100, 80, 60, 0] and ballot.metric == "ballot_democratic_evaluation"
    assert rules.subjects(scheme, "U1") == ("", "P1", "P2") and rules.subjects(scheme, "U2") == ("",)
    assert rules.round_period(scheme, ballot, "2026").text == "2026"
    with pytest.raises(BallotInputError, match="not assessed in quarter periods"):
        rules.round_period(scheme, ballot, "2026-Q1")
    with pytest.raises(BallotInputError, match="outside scheme"):
        rules.round_period(scheme, ballot, "2025")
    with pytest.raises(BallotInputError, match="unit_id"):
        rules.round_unit(ballot, "U9")
    with pytest.raises(rules.NotABallot):
        rules.definition(scheme, "amount_vs_plan")
    assert [d.indicator_code for d in rules.definitions(scheme)] == ["democratic_evaluation"]


@pytest.mark.parametrize("ratings, field, problem", [
    ([("", 100), ("P1", 80)], "ratings", "not rated: P2"),
    ([("", 100), ("P1", 80), ("P2", 70)], "ratings[2].value", "70 is not a choice of the scale (100, 80, 60, 0)"),
    ([("", 100), ("P1", 80), ("P1", 80)], "ratings[2].subject", "P1 is rated twice"),
    ([("", 100), ("P9", 80)], "ratings[1].subject", "'P9' is not on this ballot"),
])
def test_a_ballot_rates_every_subject_once_on_the_scale(scheme, ratings, field, problem):
    ballot = rules.definition(scheme, "democratic_evaluation")
    with pytest.raises(BallotInputError) as caught:
        rules.check_ratings(ballot, rules.subjects(scheme, "U1"), ratings)
    assert (caught.value.field, problem in caught.value.problem) == (field, True)
    assert rules.check_ratings(ballot, ("", "P1"), [("P1", 0), ("", 60)]) == {"": 60.0, "P1": 0.0}


def test_the_tally_counts_and_sums_per_subject():
    found = rules.tally(("", "P1"), [{"": 100, "P1": 80}, {"": 60, "P1": 80}, {"": 0.1, "P1": 0.2}])
    assert found == {"": rules.Tally(3, 160.1), "P1": rules.Tally(3, 160.2)}
    assert rules.tally(("", "P1"), []) == {"": rules.Tally(0, 0.0), "P1": rules.Tally(0, 0.0)}


def test_turnout_is_spent_over_issued_and_flags_a_group_under_its_minimum(scheme):
    ballot = rules.definition(scheme, "democratic_evaluation")
    cadres, residents = rules.turnouts(ballot, {"cadres": {"issued": 12, "spent": 5, "voided": 2},
                                                "residents": {"issued": 10, "spent": 4}})
    assert (cadres.issued, cadres.fraction, cadres.below_minimum) == (10, Fraction(1, 2), False)  # exactly the minimum
    assert (residents.fraction, residents.below_minimum) == (Fraction(2, 5), True)
    (none, _) = rules.turnouts(ballot, {})
    assert (none.issued, none.fraction, none.below_minimum) == (0, 0, False)


def test_an_issue_gives_between_1_and_the_most_codes():
    assert rules.issue_count(1) == 1 and rules.issue_count(rules.MAX_ISSUE) == rules.MAX_ISSUE
    for bad in (0, -3, rules.MAX_ISSUE + 1):
        with pytest.raises(BallotInputError, match="count"):
            rules.issue_count(bad)
