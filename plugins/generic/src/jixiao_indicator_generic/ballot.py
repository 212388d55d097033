"""A democratic evaluation (民主测评) by anonymous ballot codes (README, "ballot"; docs/ballots.md).

Scoring counts the ballots of a round (scheme, indicator, period, unit) when the office asks
it to, and stores one *tally event* per rater group and subject — the leadership team
(``person_id`` empty) and each leader (``person_id`` the leader) — with metric
``ballot_<indicator>``, value = the sum of the group's ratings of the subject, and attributes
``group``, ``ballots`` (how many were counted) and ``issued`` (the group's codes issued and
not voided). No event names a voter or a code: a tally is all there is.

The rule, exactly, for one subject in one period:

- For each rater group g of the scheme with a tally: n_g = ballots, s_g = sum, i_g = issued;
  turnout t_g = n_g / i_g (0 when i_g = 0); mean m_g = s_g / n_g.
- g is **counted** when n_g > 0 and t_g ≥ the group's ``min_turnout``. A group under its
  minimum turnout is **flagged and left out**: its mean is shown, and the weights of the
  groups counted are renormalised to sum to 1. Why left out rather than counted: a group's
  weight is the office's judgement of how much that group's view should weigh; a handful of
  raters out of many carries the whole weight and is easy to sway (a few friends of a leader),
  so the scheme's minimum turnout is the office's line below which the group does not speak
  for itself. The flag keeps it visible to the office.
- points = 100 × (Σ_counted w_g × m_g) / (Σ_counted w_g) / top, top = the scale's highest
  value; computed with exact fractions of the stored figures.
- No group counted (no tally, or every group under its minimum): the result fails, saying
  which groups fell short — never a number from an unrepresentative sample.

A tally is checked: ``ballots`` and ``issued`` whole numbers ≥ 0, ballots ≤ issued, a mean
inside the scale's range; two tallies of one group in the period keep the larger count
(scoring revises the earlier one, so this only happens when both are handed over).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from jixiao_sdk import IndicatorInput, IndicatorResult, IndicatorSpec, Observation
from jixiao_sdk.helpers import num
from jixiao_sdk.model import CODE_PATTERN

from .figures import period_key
from .settings import Ballot, RaterGroup

#: The metric of a ballot-scored indicator's tally events (docs/ballots.md).
BALLOT_METRIC_PREFIX = "ballot_"


def configure(common: dict, b: Ballot) -> IndicatorSpec:
    """The concrete spec of an indicator the scheme configures with this formula."""
    code = common["code"]
    metric = BALLOT_METRIC_PREFIX + code
    if not CODE_PATTERN.match(metric):
        raise ValueError(f"code: the ballot's metric {metric!r} is not a metric code (at most 64"
                         f" characters); a ballot-scored indicator's code may have at most"
                         f" {64 - len(BALLOT_METRIC_PREFIX)} characters")
    groups = ", ".join(f"{g.code} w={num(g.weight, 3)} min={num(100 * g.min_turnout, 1)}%" for g in b.groups)
    return IndicatorSpec(**common, input_metrics=(metric,), min_points=0.0, max_points=100.0,
                         rollup="sum", kind="score", period_basis="period_alone",
                         formula=f"points = 100 x sum(w_g x mean_g) / sum(w_g) / {num(b.top)} over the rater"
                                 f" groups ({groups}) whose turnout (ballots / codes issued) reached"
                                 f" their minimum; the others are flagged and left out; from the"
                                 f" tally ({metric}) of the period itself")


@dataclass(frozen=True)
class GroupTally:
    """One group's figures for one subject, as the explanation shows them."""

    group: RaterGroup
    ballots: int
    issued: int
    mean: Fraction | None       # None without ballots
    counted: bool

    @property
    def turnout(self) -> Fraction:
        return Fraction(self.ballots, self.issued) if self.issued else Fraction(0)


def tallies(b: Ballot, events: tuple[Observation, ...]) -> tuple[list[GroupTally], list[str]]:
    """``(a GroupTally per scheme group with a tally, in the scheme's order; problems)``."""
    top, bottom = Fraction(b.top), Fraction(min(c.value for c in b.scale))
    by_group: dict[str, Observation] = {}
    problems: list[str] = []
    known = {g.code for g in b.groups}
    for o in events:
        group = o.attributes.get("group", "")
        if group not in known:
            problems.append(f"event {o.event_id} tallies group {group!r}, which the scheme does not declare")
            continue
        counts = [o.attributes.get(k, "") for k in ("ballots", "issued")]
        if not all(t.isascii() and t.isdigit() for t in counts):
            problems.append(f"event {o.event_id}: ballots and issued must be whole numbers, got {counts!r}")
            continue
        best = by_group.get(group)
        if best is None or int(counts[0]) > int(best.attributes["ballots"]):
            by_group[group] = o
    found = []
    for g in b.groups:
        o = by_group.get(g.code)
        if o is None:
            continue
        ballots, issued = int(o.attributes["ballots"]), int(o.attributes["issued"])
        if ballots > issued:
            problems.append(f"event {o.event_id}: {ballots} ballots of {issued} codes issued")
            continue
        mean = Fraction(o.value) / ballots if ballots else None
        if mean is not None and not bottom <= mean <= top:
            problems.append(f"event {o.event_id}: mean rating {num(float(mean))} outside the scale"
                            f" [{num(float(bottom))}, {num(float(top))}]")
            continue
        reached = issued > 0 and Fraction(ballots, issued) >= Fraction(g.min_turnout)
        found.append(GroupTally(g, ballots, issued, mean, ballots > 0 and reached))
    return found, problems


def weighted_mean(found: list[GroupTally]) -> tuple[Fraction, dict[str, Fraction]] | None:
    """``(Σ w m / Σ w over the counted groups, each counted group's share)``; None when none counts."""
    counted = [t for t in found if t.counted]
    if not counted:
        return None
    total = sum(Fraction(t.group.weight) for t in counted)
    shares = {t.group.code: Fraction(t.group.weight) / total for t in counted}
    return sum(shares[t.group.code] * t.mean for t in counted), shares


def evaluate(spec: IndicatorSpec, b: Ballot, inputs: IndicatorInput) -> IndicatorResult:
    """The subject's points from the tally of the period scored (module docstring)."""
    code, metric = spec.code, spec.input_metrics[0]
    scored = inputs.as_of_period or inputs.period
    own = period_key(inputs.calendar, scored)
    mine = tuple(sorted((o for o in inputs.observations if o.metric_code == metric and own is not None
                         and period_key(inputs.calendar, o.period) == own),
                        key=lambda o: (o.attributes.get("group", ""), o.event_id)))
    who_zh = f"领导干部{inputs.person_id}" if inputs.person_id else f"{inputs.unit_id}领导班子"
    who_en = f"leader {inputs.person_id}" if inputs.person_id else f"leadership team of {inputs.unit_id}"
    if not mine:
        return IndicatorResult.failed(code, f"no ballots counted for {scored}: no {metric} tally of {scored}")
    found, problems = tallies(b, mine)
    if problems:
        return IndicatorResult.failed(code, "; ".join(problems))
    outcome = weighted_mean(found)
    parts_zh, parts_en = [], []
    components: dict[str, float] = {}
    for t in found:
        g = t.group
        share = outcome[1].get(g.code, Fraction(0)) if outcome else Fraction(0)
        components.update({f"ballots.{g.code}": float(t.ballots), f"issued.{g.code}": float(t.issued),
                           f"turnout.{g.code}": float(t.turnout), f"weight.{g.code}": float(share),
                           f"below_min.{g.code}": 0.0 if t.counted else 1.0})
        if t.mean is not None:
            components[f"mean.{g.code}"] = float(t.mean)
        mean_zh = f"平均{num(float(t.mean))}" if t.mean is not None else "无票"
        mean_en = f"mean {num(float(t.mean))}" if t.mean is not None else "no ballots"
        head_zh = (f"{g.name_zh} {mean_zh}（{t.ballots}票/发放{t.issued}张，参评率{num(100 * float(t.turnout), 1)}%，"
                   f"最低{num(100 * g.min_turnout, 1)}%")
        head_en = (f"{g.name_en} {mean_en} ({t.ballots} ballots of {t.issued} codes, turnout"
                   f" {num(100 * float(t.turnout), 1)}%, minimum {num(100 * g.min_turnout, 1)}%")
        if t.counted:
            parts_zh.append(head_zh + f"，权重{num(float(share), 3)}）")
            parts_en.append(head_en + f", weight {num(float(share), 3)})")
        else:
            parts_zh.append(head_zh + "，参评率不足，未计入）")
            parts_en.append(head_en + ", under the minimum turnout: not counted)")
    absent = [g for g in b.groups if g.code not in {t.group.code for t in found}]
    if absent:
        parts_zh.append("未发放测评码：" + "、".join(g.name_zh for g in absent))
        parts_en.append("no codes issued: " + ", ".join(g.name_en for g in absent))
    text_zh = f"{spec.name_zh}（{who_zh}）：" + "；".join(parts_zh)
    text_en = f"{spec.name_en} ({who_en}): " + "; ".join(parts_en)
    if outcome is None:
        return IndicatorResult.failed(code, f"no rater group reached its minimum turnout: {text_zh} / {text_en}")
    mean, _ = outcome
    points = 100 * mean / Fraction(b.top)
    components.update({"mean_rating": float(mean), "ballots": float(sum(t.ballots for t in found if t.counted)),
                       "groups_below_minimum": float(sum(1 for t in found if not t.counted))})
    rule_zh = f"加权平均{num(float(mean))}，得分=100×{num(float(mean))}/{num(b.top)}={num(float(points))}"
    rule_en = f"weighted mean {num(float(mean))}, points = 100 x {num(float(mean))} / {num(b.top)} = {num(float(points))}"
    return IndicatorResult(
        indicator_code=code, raw_value=float(mean), achievement=float(mean / Fraction(b.top)), points=float(points),
        explanation=f"{text_zh}；{rule_zh} / {text_en}; {rule_en}",
        evidence=tuple(o.event_id for o in mine), components=components)
