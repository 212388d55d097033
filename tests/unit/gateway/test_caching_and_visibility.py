"""The gateway's cache of public answers and the rules that keep other
periods' figures out of published answers, without servers."""
from __future__ import annotations

from jixiao.gateway.domain import visibility
from jixiao.gateway.entrypoints.http_cache import ResponseCache


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_answers_are_kept_for_the_ttl_then_dropped():
    clock = Clock()
    cache = ResponseCache(ttl=30, clock=clock)
    cache.put("/a", b"{}", "e1")
    clock.now = 29.9
    assert cache.get("/a") == (b"{}", "e1")
    clock.now = 30.0
    assert cache.get("/a") is None


def test_the_least_recently_used_answer_goes_first_and_big_ones_are_not_kept():
    cache = ResponseCache(size=2, max_body=10)
    cache.put("/a", b"a", "ea")
    cache.put("/b", b"b", "eb")
    cache.get("/a")
    cache.put("/c", b"c", "ec")
    assert cache.get("/b") is None and cache.get("/a") and cache.get("/c")
    cache.put("/big", b"x" * 11, "eg")
    assert cache.get("/big") is None


def test_changes_since_an_invisible_period_are_dropped():
    score = {"period": "2026-03", "previous_period": "2026-02", "vs_previous": 1.5,
             "last_year_period": "2025-03", "vs_last_year": -2.0}
    shown = visibility.unit_score(dict(score), lambda p: p == "2025-03")
    assert "vs_previous" not in shown and shown["vs_last_year"] == -2.0
    assert visibility.unit_score(dict(score), lambda p: True) == score


def test_a_bulletin_loses_previous_ranks_and_movers_when_the_period_before_is_invisible():
    entry = {"rank": 1, "unit_id": "U1", "previous_rank": 2, "vs_previous": 3.0}
    report = {"previous_period": "2026-02", "categories": [{"ranking": [dict(entry)], "risers": [dict(entry)], "fallers": []}]}
    assert visibility.bulletin(report, lambda p: True)["categories"][0]["risers"]
    hidden = visibility.bulletin(report, lambda p: False)["categories"][0]
    assert hidden["ranking"] == [{"rank": 1, "unit_id": "U1", "previous_rank": 0}] and hidden["risers"] == []


def test_a_bulletins_key_indicators_lose_the_last_bulletins_rank_and_completion_when_it_is_invisible():
    row = {"rank": 1, "unit_id": "U1", "completion": 0.5, "previous_rank": 3, "previous_completion": 0.2,
           "vs_previous_points": 30.0, "last_year_to_date": 40.0, "vs_last_year": 0.1, "incomplete": True, "gaps": 1}
    report = {"previous_period": "2026-Q2",
              "categories": [{"ranking": [], "risers": [], "fallers": [], "key_indicators": [{"rows": [dict(row)]}]}]}
    assert visibility.bulletin(report, lambda p: True)["categories"][0]["key_indicators"][0]["rows"] == [row]
    [hidden] = visibility.bulletin(report, lambda p: False)["categories"][0]["key_indicators"][0]["rows"]
    assert hidden == {"rank": 1, "unit_id": "U1", "completion": 0.5, "previous_rank": 0, "last_year_to_date": 40.0,
                      "vs_last_year": 0.1, "incomplete": True, "gaps": 1}
