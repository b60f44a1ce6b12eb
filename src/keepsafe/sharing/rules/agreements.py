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
import math
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

MAX_BATCH = 1000
KEY_PREFIX = "ksk"

# Issue 11 §7: a partner's records are stored under `<partner code>-<its own id>`. A code is letters and digits
# only, so the first "-" ends it and no partner can write into another's namespace ("GMP-X" + "1" could otherwise
# take "GMP" + "X-1"); the lengths keep the stored id within the record id's 100 characters.
PARTNER_CODE_PATTERN = r"^[A-Z0-9]{2,16}$"
PARTNER_CODE_MAX = 16
EXTERNAL_ID_MAX = 80
RECORD_ID_MAX = 100
NAMESPACE_SEPARATOR = "-"


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


def partner_code_problem(code: str) -> str | None:
    """Why this cannot be a partner organisation's code, or None (issue 11 §7 and the `agreement add` low item)."""
    if not 2 <= len(code) <= PARTNER_CODE_MAX:
        return f"a partner code is 2 to {PARTNER_CODE_MAX} characters (this one has {len(code)})"
    if re.fullmatch(PARTNER_CODE_PATTERN, code) is None:
        return f"{code!r}: a partner code is capital letters and digits only, e.g. GMP"
    return None


def stored_record_id(partner_code: str, external_id: str) -> str:
    """The id a partner's record is stored under: its own id in its own namespace, never another partner's.

    Injective over valid codes (no separator in them), so two partners can never produce the same stored id.
    """
    return f"{partner_code}{NAMESPACE_SEPARATOR}{external_id}"


RATE_WINDOW = timedelta(minutes=1)


def rate_step(window_start: datetime | None, count: int, now: datetime, limit: int) -> tuple[datetime, int, int | None]:
    """One call against a key's rate limit: (window start, calls counted in it, seconds to wait if refused).

    A fixed one-minute window per key; `limit` calls are allowed in each, 0 means no limit. A refused call is not
    counted. Source: issue 11 (a rate limit per key); RFC 9110 §10.2.3 (Retry-After in whole seconds).
    """
    if window_start is None or not window_start <= now < window_start + RATE_WINDOW:
        window_start, count = now, 0
    if limit and count >= limit:
        return window_start, count, max(1, math.ceil((window_start + RATE_WINDOW - now).total_seconds()))
    return window_start, count + 1, None


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
