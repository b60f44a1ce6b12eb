"""Information sharing with partner organisations: agreements, API keys, and checks requested of partners.

Why: police domestic-abuse information and children's services safeguarding information were not obtained or not
shared in time (seeds/004: domestic abuse checks in 55% of cases, safeguarding information shared in 59%).
An information sharing agreement says what a partner may send, which checks it answers, for which cases, until when
(ICO Data Sharing Code of Practice, "data sharing agreements").
"""

from __future__ import annotations

import enum
import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

MAX_BATCH = 1000
KEY_PREFIX = "ksk"


class PartnerKind(enum.StrEnum):
    POLICE = "POLICE"
    PRISON = "PRISON"
    CHILDRENS_SERVICES = "CHILDRENS_SERVICES"
    HOUSING = "HOUSING"
    DRUG_ALCOHOL_SERVICE = "DRUG_ALCOHOL_SERVICE"
    OTHER = "OTHER"


# The record source a partner's records carry (the bundle's source vocabulary).
SOURCE_FOR_PARTNER = {
    PartnerKind.POLICE: "POLICE",
    PartnerKind.PRISON: "PRISON",
    PartnerKind.CHILDRENS_SERVICES: "CHILDRENS_SERVICES",
    PartnerKind.HOUSING: "PARTNER",
    PartnerKind.DRUG_ALCOHOL_SERVICE: "PARTNER",
    PartnerKind.OTHER: "OTHER",
}


class CheckKind(enum.StrEnum):
    DOMESTIC_ABUSE = "DOMESTIC_ABUSE"
    SAFEGUARDING = "SAFEGUARDING"


CHECK_LABELS = {CheckKind.DOMESTIC_ABUSE: "Domestic abuse check", CheckKind.SAFEGUARDING: "Safeguarding check"}
RESPONSE_KIND = {
    CheckKind.DOMESTIC_ABUSE: "DOMESTIC_ABUSE_CHECK_RESPONSE",
    CheckKind.SAFEGUARDING: "SAFEGUARDING_CHECK_RESPONSE",
}
# Who answers which check: police hold call-out history, children's services hold safeguarding records.
ANSWERED_BY = {CheckKind.DOMESTIC_ABUSE: PartnerKind.POLICE, CheckKind.SAFEGUARDING: PartnerKind.CHILDRENS_SERVICES}


@dataclass(frozen=True)
class AgreementTerms:
    reference: str
    valid_from: date
    valid_until: date
    send_kinds: frozenset[str]
    answers: frozenset[CheckKind]


def agreement_problem(terms: AgreementTerms, today: date) -> str | None:
    """Why a partner may not use the API today under this agreement, or None."""
    if today < terms.valid_from:
        return f"information sharing agreement {terms.reference} starts on {terms.valid_from.isoformat()}"
    if today > terms.valid_until:
        return f"information sharing agreement {terms.reference} expired on {terms.valid_until.isoformat()}"
    return None


def send_problem(terms: AgreementTerms, kind: str) -> str | None:
    if kind not in terms.send_kinds:
        allowed = ", ".join(sorted(terms.send_kinds)) or "none"
        return f"kind {kind!r} is not covered by agreement {terms.reference} (it covers: {allowed})"
    return None


def new_key() -> tuple[str, str, str]:
    """A fresh API key: (full key shown once, public prefix, secret hash to store)."""
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    return f"{KEY_PREFIX}_{prefix}_{secret}", prefix, key_hash(secret)


def key_hash(secret: str) -> str:
    """Keys are 256 random bits, so a fast unsalted hash is enough: there is nothing to guess from it."""
    return hashlib.sha256(secret.encode()).hexdigest()


def split_key(key: str) -> tuple[str, str] | None:
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def fingerprint(content: Mapping[str, object]) -> str:
    """Two submissions are the same when their content is: the basis of idempotency and conflict detection."""
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()
