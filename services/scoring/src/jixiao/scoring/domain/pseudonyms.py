"""Secret ballots: who voted or rated is reduced to a keyed pseudonym before anything is stored.

A scheme names, per metric, the event attributes that identify a voter or a rater
(``metrics[].secret_attributes``, e.g. ``voter_id`` of ``public_vote``, ``rater_id`` of
``leadership_rating``); such a metric is a *ballot metric*. At ingest each named
attribute's value ``v`` of an event under scheme ``s`` becomes::

    "pn-" + base32(HMAC-SHA256(secret(s), s ‖ 0x00 ‖ attribute ‖ 0x00 ‖ v))[:26], lower case

where ``secret(s)`` is the scheme's own secret (at least 32 bytes, kept outside the
database: adapters/ballot_secrets.py). One scheme is one year, so a voter's pseudonym
changes every year and cannot be linked across years. Within a scheme the same identifier
always gives the same pseudonym, so "one vote per voter per channel" (and one rating per
rater) still holds; 130 bits make two voters' pseudonyms practically never collide.

A value that already has the pseudonym's form (``pn-`` and 26 characters of a–z, 2–7) is
kept as it is: a dead-lettered event replayed after the fix is not pseudonymised twice.
An empty value stays empty (the plug-ins count a ballot without a voter as invalid).

A ballot that no scheme covers (its period lies outside every scheme's year) has no secret
to be pseudonymised with; it is rejected, and its dead letter carries ``withheld`` in place
of every attribute some scheme declares secret for its metric (`withhold`).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping

PREFIX = "pn-"
LENGTH = 26  # base32 characters: 130 bits
MIN_SECRET_BYTES = 32
_FORM = re.compile(rf"{PREFIX}[a-z2-7]{{{LENGTH}}}")
#: What a secret attribute's value becomes in a dead letter when no scheme covers the ballot.
WITHHELD = "withheld"


def pseudonym(secret: bytes, scheme_code: str, attribute: str, value: str) -> str:
    """The pseudonym of `value` of `attribute` under the scheme (see the module doc)."""
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"a pseudonym secret needs at least {MIN_SECRET_BYTES} bytes, got {len(secret)}")
    message = b"\x00".join(part.encode("utf-8") for part in (scheme_code, attribute, value))
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return PREFIX + base64.b32encode(digest).decode("ascii")[:LENGTH].lower()


def is_pseudonym(value: str) -> bool:
    return bool(_FORM.fullmatch(value))


def pseudonymize(attributes: Mapping[str, str], secret_names: Iterable[str], secret: bytes,
                 scheme_code: str) -> dict[str, str]:
    """`attributes` with every secret one's non-empty value replaced by its pseudonym."""
    names = set(secret_names)
    return {name: (pseudonym(secret, scheme_code, name, value)
                   if name in names and value and not is_pseudonym(value) else value)
            for name, value in attributes.items()}


def withhold(attributes: Mapping[str, str], secret_names: Iterable[str]) -> dict[str, str]:
    """`attributes` with every secret one's non-empty value (not already a pseudonym) replaced
    by ``WITHHELD``: for a ballot no scheme covers, whose secret to pseudonymise with is unknown."""
    names = set(secret_names)
    return {name: (WITHHELD if name in names and value and not is_pseudonym(value) else value)
            for name, value in attributes.items()}


def needs_pseudonyms(attributes: Mapping[str, str], secret_names: Iterable[str]) -> bool:
    """Whether any secret attribute holds a value not yet a pseudonym."""
    return any(attributes.get(name) and not is_pseudonym(attributes[name]) for name in secret_names)
