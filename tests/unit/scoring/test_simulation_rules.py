"""The rules of a what-if simulation (scoring/domain/simulation.py), without a database:
which changes are valid and which field a refusal names, how the scheme document changes,
and how standings before and after are compared and put in words."""
from __future__ import annotations

import copy

import pytest

from jixiao.scoring.domain import simulation as rules

FACTS = rules.SchemeFacts(
    units={"U1": "district", "U2": "district", "D1": "department"},
    indicator_metrics={"amount": ("amount",), "rate": ("done", "due")},
    assignments=frozenset({("district", "amount"), ("district", "rate"), ("department", "rate")}),
    dimensions=frozenset({"work", "bonus"}),
    ratio_rules={"grades": frozenset({1, 2})},
    targets=frozenset({("U1", "amount")}),
)
DOCUMENT = {
    "dimensions": [{"code": "work", "weight": 1.0}, {"code": "bonus", "weight": 0, "additive": True}],
    "assignments": [{"category": "district", "dimension": "work", "indicator": "amount", "weight": 0.6},
                    {"category": "district", "dimension": "work", "indicator": "rate", "weight": 0.4},
                    {"category": "department", "dimension": "work", "indicator": "rate", "weight": 1.0}],
    "targets": [{"unit": "U1", "indicator": "amount", "value": 100, "milestones": [{"period": "2026-06", "share": 0.5}]}],
    "grading": [{"code": "grades", "method": "ratio", "grades": [{"grade": 1, "parts": 1}, {"grade": 2, "parts": 2}]}],
}


def parse(*changes):
    return rules.parse_changes(list(changes), FACTS, lambda text: text in {"2026", "2026-Q1", "2026-03"})


def refused(*changes) -> str:
    with pytest.raises(rules.ChangeRefused) as caught:
        parse(*changes)
    return caught.value.field


def test_each_kind_is_read():
    figure, target, weight, dimension, ratio = parse(
        {"kind": "figure", "unit_id": "U1", "indicator_code": "amount", "period": "2026-03", "value": 5},
        {"kind": "target", "unit_id": "U1", "indicator_code": "amount", "value": 120},
        {"kind": "weight", "category": "district", "indicator_code": "rate", "weight": 0.5},
        {"kind": "weight", "dimension_code": "work", "weight": 1},
        {"kind": "ratio", "grading_code": "grades", "parts": {"2": 3, "1": 1}})
    assert figure == rules.FigureChange("U1", "amount", "amount", "2026-03", 5.0)  # its one metric
    assert target == rules.TargetChange("U1", "amount", 120.0)
    assert weight == rules.WeightChange(0.5, category="district", indicator_code="rate")
    assert dimension == rules.WeightChange(1.0, dimension_code="work")
    assert ratio == rules.RatioChange("grades", ((1, 1.0), (2, 3.0)))


@pytest.mark.parametrize("change, field", [
    ({"unit_id": "U1"}, "changes[0].kind"),
    ({"kind": "figure", "unit_id": "U1", "indicator_code": "rate", "period": "2026-03", "value": 1},
     "changes[0].metric_code"),  # rate reads two metrics: which one?
    ({"kind": "figure", "unit_id": "D1", "indicator_code": "amount", "period": "2026-03", "value": 1},
     "changes[0].indicator_code"),  # not assessed on it
    ({"kind": "figure", "unit_id": "U1", "indicator_code": "amount", "period": "2026-03", "value": True},
     "changes[0].value"),
    ({"kind": "figure", "unit_id": "U1", "indicator_code": "amount", "period": "2026-03", "value": float("nan")},
     "changes[0].value"),
    ({"kind": "figure", "unit_id": "U1", "indicator_code": "amount", "period": "2026-03", "value": 1e300},
     "changes[0].value"),
    ({"kind": "figure", "unit_id": "U1", "indicator_code": "amount", "period": "2026-02", "value": 1},
     "changes[0].period"),
    ({"kind": "target", "unit_id": "U2", "indicator_code": "amount", "value": 1}, "changes[0].indicator_code"),
    ({"kind": "weight", "dimension_code": "work", "category": "district", "weight": 1}, "changes[0]"),
    ({"kind": "weight", "indicator_code": "rate", "weight": 0.5}, "changes[0].category"),
    ({"kind": "weight", "dimension_code": "people", "weight": 0.5}, "changes[0].dimension_code"),
    ({"kind": "weight", "category": "district", "indicator_code": "rate", "weight": -0.1}, "changes[0].weight"),
    ({"kind": "ratio", "grading_code": "grades", "parts": {}}, "changes[0].parts"),
    ({"kind": "ratio", "grading_code": "grades", "parts": {"1": -1}}, "changes[0].parts"),
    ({"kind": "ratio", "grading_code": "grades", "parts": {"x": 1}}, "changes[0].parts"),
])
def test_a_refusal_names_the_field(change, field):
    assert refused(change) == field


def test_at_most_one_change_of_a_thing_and_of_MAX_CHANGES():
    same = {"kind": "target", "unit_id": "U1", "indicator_code": "amount", "value": 1}
    assert refused(same, {**same, "value": 2}) == "changes[1]"
    assert refused() == "changes"
    many = [{"kind": "figure", "unit_id": "U1", "indicator_code": "amount", "period": "2026-03", "value": n}
            for n in range(rules.MAX_CHANGES + 1)]
    assert refused(*many) == "changes"


def test_the_document_is_edited_as_a_copy():
    original = copy.deepcopy(DOCUMENT)
    changes = parse({"kind": "target", "unit_id": "U1", "indicator_code": "amount", "value": 150},
                    {"kind": "weight", "category": "district", "indicator_code": "amount", "weight": 0.3},
                    {"kind": "weight", "category": "district", "indicator_code": "rate", "weight": 0.7},
                    {"kind": "ratio", "grading_code": "grades", "parts": {"1": 2}})
    edited = rules.edited_document(DOCUMENT, changes)
    assert DOCUMENT == original
    assert edited["targets"][0] == {**original["targets"][0], "value": 150.0}  # its milestones stay
    assert [a["weight"] for a in edited["assignments"]] == [0.3, 0.7, 1.0]
    assert [g["parts"] for g in edited["grading"][0]["grades"]] == [2.0, 2]
    figure_only = parse({"kind": "figure", "unit_id": "U1", "indicator_code": "amount", "period": "2026", "value": 1})
    assert rules.edited_document(DOCUMENT, figure_only) is DOCUMENT


def test_weights_that_no_longer_sum_to_1_are_refused_at_the_last_weight_change():
    changes = parse({"kind": "ratio", "grading_code": "grades", "parts": {"1": 2}},
                    {"kind": "weight", "category": "district", "indicator_code": "amount", "weight": 0.5})
    with pytest.raises(rules.ChangeRefused) as caught:
        rules.edited_document(DOCUMENT, changes)
    assert caught.value.field == "changes[1].weight" and "sum to 0.9, not 1" in str(caught.value)


def test_a_ratio_with_no_parts_left_is_refused():
    changes = parse({"kind": "ratio", "grading_code": "grades", "parts": {"1": 0, "2": 0}})
    with pytest.raises(rules.ChangeRefused) as caught:
        rules.edited_document(DOCUMENT, changes)
    assert caught.value.field == "changes[0].parts"


def standing(unit, total, rank, grade=None, category="district", **points):
    return rules.Standing(unit, category, total, rank, {"grades": grade} if grade else {}, points)


def test_differences_list_what_moved_and_why():
    changes = parse({"kind": "figure", "unit_id": "U1", "indicator_code": "amount", "period": "2026", "value": 9},
                    {"kind": "ratio", "grading_code": "grades", "parts": {"1": 2}})
    before = {"U1": standing("U1", 70.0, 2, 2, amount=50.0), "U2": standing("U2", 80.0, 1, 1, amount=80.0),
              "D1": standing("D1", 60.0, 1, 2, category="department")}
    after = {"U1": standing("U1", 90.0, 1, 1, amount=100.0), "U2": standing("U2", 80.0, 2, 1, amount=80.0),
             "D1": standing("D1", 60.0 + 1e-9, 1, 1, category="department")}
    found = rules.differences(before, after, changes)
    assert [d.unit_id for d in found] == ["D1", "U1", "U2"]  # by category, then rank after
    d1, u1, u2 = found
    assert d1.total_before == pytest.approx(d1.total_after) and d1.changes == (1,)  # the ratio moved its grade
    assert [(i.indicator_code, i.before, i.after) for i in u1.indicators] == [("amount", 50.0, 100.0)]
    assert u1.changes == (0, 1) and u2.changes == () and u2.grades == ()
    zh, en = rules.explain(u1, changes, {"amount": ("完成额", "Amount")}, {("grades", 1): ("一等", "First"),
                                                                        ("grades", 2): ("二等", "Second")})
    assert zh == "总分 70.00 → 90.00；排名 2 → 1；等次 二等 → 一等；完成额 50.00 → 100.00；因变更1（数据）、变更2（等次比例）"
    assert en == "total 70.00 → 90.00; rank 2 → 1; grade Second → First; Amount 50.00 → 100.00; by change 1 (figure), " \
                 "change 2 (ratio)"
    assert rules.explain(u2, changes, {}, {}) == ("排名 1 → 2；随其他单位的变化而变", "rank 1 → 2; moved by the changes of other units")


def test_a_unit_scored_only_after_and_nothing_that_differs():
    changes = parse({"kind": "figure", "unit_id": "U2", "indicator_code": "amount", "period": "2026-03", "value": 1})
    [new] = rules.differences({}, {"U2": standing("U2", 12.5, 1)}, changes)
    assert (new.total_before, new.rank_before, new.total_after, new.rank_after) == (None, None, 12.5, 1)
    assert rules.explain(new, changes, {}, {})[0].startswith("总分 — → 12.50；排名 — → 1")
    same = {"U1": standing("U1", 70.0, 1, amount=50.0)}
    assert rules.differences(same, dict(same), changes) == ()


def test_a_leader_is_listed_for_a_total_or_a_grade_not_for_a_rank_alone():
    changes = parse({"kind": "figure", "unit_id": "U1", "indicator_code": "amount", "period": "2026", "value": 9})
    unit_of = {"P1": "U1", "P2": "U2", "P3": "U2"}
    before = {"P1": standing("P1", 70.0, 3, 2), "P2": standing("P2", 80.0, 1, 1), "P3": standing("P3", 75.0, 2, 2)}
    after = {"P1": standing("P1", 85.0, 1, 1), "P2": standing("P2", 80.0, 2, 2), "P3": standing("P3", 75.0, 3, 2)}
    p1, p2 = rules.differences(before, after, changes, unit_of)  # P3 moved from rank 2 to 3 only
    assert (p1.unit_id, p1.changes, p2.unit_id, p2.changes) == ("P1", (0,), "P2", ())
    assert [(g.before, g.after) for g in p2.grades] == [(1, 2)]
