"""The review transitions of a period (scoring/domain/period_states.py) without a database:
the order of the states, the reason to reopen, and separate duties (four eyes)."""
from __future__ import annotations

import pytest

from jixiao.scoring.domain.period_states import APPROVED, LOCKED, OPEN, PUBLISHED, Refused, plan


def test_the_states_go_in_order():
    assert plan("lock", "2026-Q1", OPEN, "").after == LOCKED
    assert plan("approve", "2026-Q1", LOCKED, "").after == APPROVED
    assert plan("publish", "2026-Q1", APPROVED, "").after == PUBLISHED
    with pytest.raises(Refused, match="period 2026-Q1 is published; reopen needs it locked or approved"):
        plan("reopen", "2026-Q1", PUBLISHED, "更正")
    with pytest.raises(Refused) as refused:
        plan("reopen", "2026-Q1", LOCKED, " ")
    assert refused.value.field == "reason"


@pytest.mark.parametrize("action, state", [("approve", LOCKED), ("publish", APPROVED)])
def test_with_separate_duties_the_locker_neither_approves_nor_publishes(action, state):
    with pytest.raises(Refused) as refused:
        plan(action, "2026-Q1", state, "", actor="考核办·张", locked_by="考核办·张", separate_duties=True)
    assert refused.value.field == ""  # the state of the period forbids it: FAILED_PRECONDITION
    assert "was locked by 考核办·张; the scheme separates duties" in str(refused.value)
    # another member may; without the setting, the same one may; a lock without a name binds nobody
    assert plan(action, "2026-Q1", state, "", actor="考核办·李", locked_by="考核办·张", separate_duties=True)
    assert plan(action, "2026-Q1", state, "", actor="考核办·张", locked_by="考核办·张")
    assert plan(action, "2026-Q1", state, "", actor="考核办·张", locked_by="", separate_duties=True)


def test_separate_duties_leave_locking_and_reopening_to_anyone():
    assert plan("reopen", "2026-Q1", LOCKED, "更正", actor="考核办·张", locked_by="考核办·张",
                separate_duties=True).after == OPEN
    assert plan("lock", "2026-Q1", OPEN, "", actor="考核办·张", locked_by="", separate_duties=True).after == LOCKED
