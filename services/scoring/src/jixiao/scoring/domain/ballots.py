"""Democratic evaluation ballots (民主测评, docs/ballots.md): pure rules.

A ballot-scored indicator is a scheme indicator whose `generic` block has `formula: ballot`.
A **round** is (scheme, indicator, period, unit): the evaluation of that unit's leadership
team and its leaders (the scheme's persons of the unit, by id) in that period — a period of
the scheme's year of a kind the indicator is assessed in, a unit of a category the indicator
is assigned to. The office issues **ballot codes** (测评码) per round and rater group.

Rules (each function states its own exactly):

- **Code format.** 16 symbols of Crockford's base32 (`0-9 A-Z` without I, L, O, U), shown
  in four groups of four (`7KQ4-M2XD-9PFA-R3ZC`): 15 random symbols (75 bits from
  `secrets`) and a check symbol, (Σ_{i=1..15} i × v_i) mod 31, v_i the value of the i-th
  symbol. The weights 1…15 are non-zero mod the prime 31, so a single mistyped symbol and
  two swapped neighbours change the check (unless their values differ by exactly 31: `0`
  and `Z`). Reading a typed code ignores case, spaces and hyphens and reads `O` as 0, `I`
  and `L` as 1 (Crockford's rule); anything else is not a code (`BallotCodeError`).
- **Stored only as a keyed hash**: `code_hash` = hex HMAC-SHA256(key, "jixiao-ballot-code"
  ‖ 0x00 ‖ the 16 symbols), key = HMAC-SHA256(the scheme's ballot secret, "ballot-codes") —
  the secret kept outside the database (adapters/ballot_secrets.py). Whoever copies the
  database cannot test guessed codes; 75 random bits cannot be guessed online either.
- **A ballot** rates every subject of the round (the team, `""`, and each leader) with one
  value of the scheme's scale, and nothing else; it carries its group and round only.
- **Tally** of (round, group): per subject, the number of ballots and the sum of their values.
- **Turnout** of a group: spent / issued, issued = codes issued and not voided (0 issued: 0);
  the group is **below its minimum** when turnout < `min_turnout` (exact fractions).

Bad input raises `BallotInputError` naming the field; a code that is not well formed
`BallotCodeError`.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from jixiao_sdk.periods import Period, PeriodError

from .scheme_view import SchemeView

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_SYMBOLS = 15
CHECK_MODULUS = 31
GROUP = 4
_VALUE = {symbol: n for n, symbol in enumerate(ALPHABET)}
_ALIASES = {"O": "0", "I": "1", "L": "1"}
_HASH_LABEL = b"jixiao-ballot-code\x00"
#: The most codes one issue gives (a printable sheet of a group in one go).
MAX_ISSUE = 2_000
#: The subject of the leadership team on a ballot (a leader's is their person id).
TEAM = ""


class BallotInputError(ValueError):
    """Bad input: `field` names what is wrong (e.g. `ratings[2].value`)."""

    def __init__(self, field: str, problem: str):
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class BallotCodeError(ValueError):
    """Text that is not a well-formed ballot code (never echoes the text)."""


class NotABallot(LookupError):
    """The indicator is not a ballot-scored indicator of the scheme."""


# --- codes ---------------------------------------------------------------------------------

def _check_symbol(symbols: str) -> str:
    return ALPHABET[sum(i * _VALUE[s] for i, s in enumerate(symbols, start=1)) % CHECK_MODULUS]


def new_code(randbelow=secrets.randbelow) -> str:
    """A fresh code's 16 symbols (no hyphens): 15 random, then the check symbol."""
    body = "".join(ALPHABET[randbelow(len(ALPHABET))] for _ in range(RANDOM_SYMBOLS))
    return body + _check_symbol(body)


def shown(code: str) -> str:
    """The code as printed: groups of four joined by hyphens."""
    return "-".join(code[i:i + GROUP] for i in range(0, len(code), GROUP))


def read_code(text: str) -> str:
    """The 16 symbols of a typed code (see the module doc); BallotCodeError when it is not one."""
    cleaned = "".join(c for c in text.upper() if c not in " -\t\u3000")
    cleaned = "".join(_ALIASES.get(c, c) for c in cleaned)
    if len(cleaned) != RANDOM_SYMBOLS + 1 or any(c not in _VALUE for c in cleaned):
        raise BallotCodeError(f"a ballot code is {RANDOM_SYMBOLS + 1} letters and digits, in groups of {GROUP}")
    if _check_symbol(cleaned[:-1]) != cleaned[-1]:
        raise BallotCodeError("this is not a valid ballot code: check it for a mistyped letter or digit")
    return cleaned


def code_key(scheme_secret: bytes) -> bytes:
    """The key of a scheme's code hashes, derived from its ballot secret."""
    return hmac.new(scheme_secret, b"ballot-codes", hashlib.sha256).digest()


def code_hash(key: bytes, code: str) -> str:
    """The keyed hash a code is stored as (64 hex digits)."""
    return hmac.new(key, _HASH_LABEL + code.encode("ascii"), hashlib.sha256).hexdigest()


# --- the scheme's ballots ------------------------------------------------------------------

@dataclass(frozen=True)
class RaterGroup:
    code: str
    name_zh: str
    name_en: str
    weight: float
    min_turnout: float


@dataclass(frozen=True)
class Choice:
    value: float
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class BallotDefinition:
    """What a scheme says of a ballot-scored indicator."""

    scheme_code: str
    indicator_code: str
    name_zh: str
    name_en: str
    groups: tuple[RaterGroup, ...]
    scale: tuple[Choice, ...]
    units: tuple[str, ...]

    @property
    def metric(self) -> str:
        """The metric of the tally events: `ballot_<indicator code>`."""
        return f"ballot_{self.indicator_code}"

    @property
    def source(self) -> str:
        return f"ballot:{self.indicator_code}"

    def group(self, code: str) -> RaterGroup:
        found = next((g for g in self.groups if g.code == code), None)
        if found is None:
            raise BallotInputError("group", f"{code!r} is not a rater group of {self.indicator_code} "
                                            f"({', '.join(g.code for g in self.groups)})")
        return found


def _names(entry: Mapping | None, fallback: str) -> tuple[str, str]:
    entry = entry or {}
    zh, en = str(entry.get("zh") or "").strip(), str(entry.get("en") or "").strip()
    return zh or en or fallback, en or zh or fallback


def definition(scheme: SchemeView, indicator_code: str) -> BallotDefinition:
    """The ballot of `indicator_code`: groups and scale in the scheme's order, units those of
    the categories the indicator is assigned to, sorted by id. NotABallot otherwise."""
    entry = next((i for i in scheme.document.get("indicators", []) if i.get("code") == indicator_code), None)
    block = entry.get("generic") if entry else None
    if not isinstance(block, dict) or block.get("formula") != "ballot":
        raise NotABallot(f"indicator {indicator_code!r} of scheme {scheme.code} is not scored by ballot "
                         "(a generic indicator with formula: ballot)")
    categories = {a.category for assigned in scheme.assignments.values() for a in assigned if a.indicator == indicator_code}
    return BallotDefinition(
        scheme_code=scheme.code, indicator_code=indicator_code, name_zh=_names(entry.get("name"), indicator_code)[0],
        name_en=_names(entry.get("name"), indicator_code)[1],
        groups=tuple(RaterGroup(str(g["code"]), *_names(g.get("name"), str(g["code"])), float(g["weight"]),
                                float(g.get("min_turnout", 0))) for g in block.get("groups") or ()),
        scale=tuple(Choice(float(c["value"]), *_names(c.get("name"), str(c["value"]))) for c in block.get("scale") or ()),
        units=tuple(sorted(u.id for u in scheme.units.values() if u.category in categories)))


def definitions(scheme: SchemeView) -> list[BallotDefinition]:
    """Every ballot-scored indicator of the scheme, in the scheme's order."""
    return [definition(scheme, i["code"]) for i in scheme.generic_entries if i["generic"].get("formula") == "ballot"]


def round_period(scheme: SchemeView, ballot: BallotDefinition, text: str) -> Period:
    """The period `text` in the scheme's calendar, when a round of the indicator may be held
    in it: a period of the scheme's year of a kind the indicator is assessed in."""
    try:
        period = scheme.calendar.parse(text)
    except PeriodError as exc:
        raise BallotInputError("period", str(exc)) from None
    if period.year != scheme.year:
        raise BallotInputError("period", f"{period.text} is outside scheme {scheme.code} (year {scheme.year})")
    if not scheme.assessed(ballot.indicator_code, period.kind):
        raise BallotInputError("period", f"indicator {ballot.indicator_code} is not assessed in {period.kind} periods")
    return period


def round_unit(ballot: BallotDefinition, unit_id: str) -> str:
    if unit_id not in ballot.units:
        raise BallotInputError("unit_id", f"{unit_id!r} is not a unit evaluated by {ballot.indicator_code}")
    return unit_id


def subjects(scheme: SchemeView, unit_id: str) -> tuple[str, ...]:
    """What a ballot of the unit rates: the leadership team (TEAM) and the unit's persons, by id."""
    return (TEAM, *scheme.unit_persons.get(unit_id, ()))


def issue_count(count: int) -> int:
    if not 1 <= count <= MAX_ISSUE:
        raise BallotInputError("count", f"must be a whole number from 1 to {MAX_ISSUE}, not {count}")
    return count


def check_ratings(ballot: BallotDefinition, subjects_: Sequence[str],
                  ratings: Sequence[tuple[str, float]]) -> dict[str, float]:
    """subject → value of a ballot's `ratings` ((subject, value) pairs): every subject once,
    nothing else, each value one of the scale's; the first problem raises, naming it."""
    allowed = {c.value for c in ballot.scale}
    wanted = set(subjects_)
    found: dict[str, float] = {}
    for n, (subject, value) in enumerate(ratings):
        if subject not in wanted:
            raise BallotInputError(f"ratings[{n}].subject", f"{subject!r} is not on this ballot")
        if subject in found:
            raise BallotInputError(f"ratings[{n}].subject", f"{subject or 'the leadership team'!s} is rated twice")
        if value not in allowed:
            raise BallotInputError(f"ratings[{n}].value", f"{value!r} is not a choice of the scale "
                                                          f"({', '.join(f'{v:g}' for v in sorted(allowed, reverse=True))})")
        found[subject] = float(value)
    missing = [s for s in subjects_ if s not in found]
    if missing:
        who = ", ".join("the leadership team" if s == TEAM else s for s in missing)
        raise BallotInputError("ratings", f"every subject is rated on a ballot; not rated: {who}")
    return found


# --- tally and turnout --------------------------------------------------------------------

@dataclass(frozen=True)
class Tally:
    ballots: int
    total: float


def tally(subjects_: Sequence[str], ballots: Iterable[Mapping[str, float]]) -> dict[str, Tally]:
    """subject → (ballots, sum of values) of a group's ballots (each a subject → value map);
    every subject is there, with 0 ballots when none. Sums are exact (fractions of the floats)."""
    counts = {s: 0 for s in subjects_}
    sums = {s: Fraction(0) for s in subjects_}
    for ratings in ballots:
        for subject, value in ratings.items():
            if subject in counts:
                counts[subject] += 1
                sums[subject] += Fraction(value)
    return {s: Tally(counts[s], float(sums[s])) for s in subjects_}


@dataclass(frozen=True)
class Turnout:
    group: RaterGroup
    issued: int     # codes issued and not voided
    spent: int      # codes used to vote (ballots cast)
    voided: int

    @property
    def fraction(self) -> Fraction:
        return Fraction(self.spent, self.issued) if self.issued else Fraction(0)

    @property
    def below_minimum(self) -> bool:
        """Flagged: the turnout is under the group's minimum (a group without codes is not)."""
        return self.issued > 0 and self.fraction < Fraction(self.group.min_turnout)


def turnouts(ballot: BallotDefinition, counts: Mapping[str, Mapping[str, int]]) -> list[Turnout]:
    """The turnout of every group of the ballot, in the scheme's order, from `counts`: group →
    {'issued', 'spent', 'voided'} (codes ever issued, spent and voided; a group absent has none)."""
    found = []
    for g in ballot.groups:
        c = counts.get(g.code, {})
        issued_ever, spent, voided = c.get("issued", 0), c.get("spent", 0), c.get("voided", 0)
        found.append(Turnout(g, issued_ever - voided, spent, voided))
    return found
