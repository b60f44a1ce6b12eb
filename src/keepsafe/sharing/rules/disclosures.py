"""Sharing outward, recorded (issue 16 §3): referrals carry the current risk summary, and every disclosure is logged.

Why: "There were no checks to ensure the provision of up to date and accurate risk assessments to partner agencies
(such as the housing team)" (seeds/001, concern 5); "Only very limited intelligence was shared with the MPS. There was
no explanation as to why that information was shared" (seeds/001, concern 14). A referral is therefore refused while
the risk picture is being reviewed or is older than what probation now knows, and every disclosure says what went to
whom, under which agreement, by whom and when.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from keepsafe.sharing.rules.agreements import PartnerKind


class ReferralService(enum.StrEnum):
    """What a referral asks a partner for; police receive the same summary for MAPPA and IOM."""

    HOUSING = "HOUSING"
    APPROVED_PREMISES = "APPROVED_PREMISES"
    INTERVENTIONS = "INTERVENTIONS"
    DRUG_ALCOHOL = "DRUG_ALCOHOL"
    MENTAL_HEALTH = "MENTAL_HEALTH"
    MAPPA = "MAPPA"
    IOM = "IOM"


SERVICE_LABELS = {
    ReferralService.HOUSING: "Housing",
    ReferralService.APPROVED_PREMISES: "Approved premises",
    ReferralService.INTERVENTIONS: "Interventions",
    ReferralService.DRUG_ALCOHOL: "Drug and alcohol service",
    ReferralService.MENTAL_HEALTH: "Mental health service",
    ReferralService.MAPPA: "MAPPA (police)",
    ReferralService.IOM: "Integrated offender management (police)",
}

# Which kind of partner organisation may receive each referral. Partner kinds are the agreements' own vocabulary
# (sharing/rules/agreements.PartnerKind); services without a kind of their own (approved premises, interventions,
# mental health) go to partners registered as OTHER. MAPPA and IOM summaries go to the police only (concern 14).
RECIPIENT_KINDS: dict[ReferralService, frozenset[PartnerKind]] = {
    ReferralService.HOUSING: frozenset({PartnerKind.HOUSING}),
    ReferralService.APPROVED_PREMISES: frozenset({PartnerKind.OTHER}),
    ReferralService.INTERVENTIONS: frozenset({PartnerKind.OTHER}),
    ReferralService.DRUG_ALCOHOL: frozenset({PartnerKind.DRUG_ALCOHOL_SERVICE}),
    ReferralService.MENTAL_HEALTH: frozenset({PartnerKind.OTHER}),
    ReferralService.MAPPA: frozenset({PartnerKind.POLICE}),
    ReferralService.IOM: frozenset({PartnerKind.POLICE}),
}


class DisclosureKind(enum.StrEnum):
    """What was disclosed: a referral with its risk summary, a Part A, or the risk summary sent to the police."""

    REFERRAL = "REFERRAL"
    PART_A = "PART_A"
    POLICE_SUMMARY = "POLICE_SUMMARY"


DISCLOSURE_LABELS = {
    DisclosureKind.REFERRAL: "Referral with risk summary",
    DisclosureKind.PART_A: "Part A recall report",
    DisclosureKind.POLICE_SUMMARY: "Risk summary to police",
}


@dataclass(frozen=True)
class SignificantInformation:
    """The newest thing probation learnt that bears on risk: a significant record or an indicator finding."""

    ref: str  # the record's id (or "contact <id>" for a finding in a contact's notes)
    what: str  # why it is significant, in the service's words ("Arrested", "Indicator: weapons")
    received_at: datetime


@dataclass(frozen=True)
class RiskPictureState:
    """What the referral rule needs to know about the case's risk picture at the instant of sending."""

    open_review: str | None  # the open RISK_REVIEW action's title/key, if any
    assessment_in_progress: str | None  # the draft assessment's id, if one is being written
    assessed_at: datetime | None  # when the newest completed RoSH assessment was completed
    newest_significant: SignificantInformation | None


def referral_refusal(state: RiskPictureState) -> str | None:
    """Why the current risk summary may not be sent, or None (seeds/001 concern 5: up-to-date risk to partners)."""
    if state.open_review is not None:
        return (
            f"a risk review is open ({state.open_review}): complete the review so the partner receives the risk "
            "picture as it now stands"
        )
    if state.assessment_in_progress is not None:
        return (
            f"a risk assessment is in progress ({state.assessment_in_progress}): complete it before sharing the "
            "risk summary"
        )
    if state.assessed_at is None:
        return "there is no completed RoSH assessment to share: complete one first"
    newest = state.newest_significant
    if newest is not None and newest.received_at > state.assessed_at:
        return (
            f"the RoSH assessment of {state.assessed_at:%-d %B %Y} is older than the newest significant information "
            f"({newest.what}, {newest.ref}, received {newest.received_at:%-d %B %Y}): review the risk assessment first"
        )
    return None


def recipient_problem(service: ReferralService, partner_kind: str, partner_code: str) -> str | None:
    """Why this partner may not receive this referral, or None."""
    allowed = RECIPIENT_KINDS[service]
    if partner_kind not in {k.value for k in allowed}:
        kinds = ", ".join(sorted(k.value for k in allowed))
        return (
            f"{partner_code} is a {partner_kind} partner; a {SERVICE_LABELS[service].lower()} referral goes to a "
            f"{kinds} partner"
        )
    return None


REASON_MAX = 4000


def reason_problem(reason: str) -> str | None:
    """Every disclosure says why it was made (seeds/001 concern 14: "no explanation as to why")."""
    if not reason.strip():
        return "say why this information is being shared"
    if len(reason) > REASON_MAX:
        return f"the reason must be {REASON_MAX:,} characters or fewer (this one has {len(reason):,})"
    return None


def document_digest(document: Mapping[str, object]) -> str:
    """SHA-256 of a disclosed document's canonical JSON: what the log and the bundle check it against."""
    return hashlib.sha256(json.dumps(document, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
