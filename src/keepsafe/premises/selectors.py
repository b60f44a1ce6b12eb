"""Reads for approved premises referrals: the action rules' facts (as known at an instant) and a case's referrals.

Callers reach a case through people.selectors.person_get (audited); these read only what belongs to it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from keepsafe.core.chunkrows import chunk_rows
from keepsafe.people.models import LicenceCondition, LicenceConditionVersion, Person
from keepsafe.premises.models import ApReferral
from keepsafe.premises.rules.referral import AP_CONDITION, ApConditionFacts, ApFacts, ApReferralFacts


def referral_facts(r: ApReferral, as_of: datetime) -> ApReferralFacts:
    """One referral as known at `as_of`: a decision or arrival recorded later is not known then."""
    decided = r.decided_at is not None and r.decided_at <= as_of and r.decision != ""
    arrived = r.arrival_recorded_at is not None and r.arrival_recorded_at <= as_of and r.arrival != ""
    return ApReferralFacts(
        id=r.external_id,
        premises=r.premises,
        referred_at=r.referred_at,
        requested_arrival=r.requested_arrival,
        emergency=r.emergency,
        decision=r.decision if decided else None,
        decided_at=r.decided_at if decided else None,
        place_date=r.place_date if decided else None,
        arrival=r.arrival if arrived else None,
        arrival_at=r.arrival_recorded_at if arrived else None,
    )


def ap_conditions_many(person_ids: list[int], as_of: datetime) -> dict[int, list[ApConditionFacts]]:
    """Licence conditions whose version known at `as_of` is APPROVED_PREMISES, known from the first such version
    of the latest run (a condition changed away and back is known from its change back)."""
    versions = chunk_rows(_ap_condition_versions_query, person_ids, as_of)
    current: dict[int, tuple[str, datetime | None, str, str, int]] = {}
    for lc_id, kind, known, lc_ext, event_ext, person_id in versions:
        prev = current.get(lc_id)
        since = (prev[1] if prev is not None and prev[0] == AP_CONDITION else None) or known
        current[lc_id] = (kind, since if kind == AP_CONDITION else None, lc_ext, event_ext, person_id)
    # A condition stored without versions (never in practice: people.services writes one) counts from never.
    out: dict[int, list[ApConditionFacts]] = defaultdict(list)
    for kind, first, lc_ext, event_ext, person_id in current.values():
        if kind == AP_CONDITION and first is not None:
            out[person_id].append(ApConditionFacts(event=event_ext, condition=lc_ext, known_from=first))
    return out


def _ap_condition_versions_query(ids: Any, as_of: datetime) -> QuerySet[Any, Any]:
    return (
        LicenceConditionVersion.objects.filter(licence_condition__event__person_id__in=ids, known_from__lte=as_of)
        .order_by("licence_condition_id", "known_from", "id")
        .values_list(
            "licence_condition_id",
            "type",
            "known_from",
            "licence_condition__external_id",
            "licence_condition__event__external_id",
            "licence_condition__event__person_id",
        )
    )


# The referral columns the facts read (referral_facts), read as values and made into unsaved copies.
_REFERRAL_FIELDS = (
    "person_id",
    "external_id",
    "premises",
    "referred_at",
    "requested_arrival",
    "emergency",
    "decision",
    "decided_at",
    "place_date",
    "arrival",
    "arrival_recorded_at",
)


def _referrals_query(ids: Any, as_of: datetime) -> QuerySet[Any, Any]:
    return (
        ApReferral.objects.filter(person_id__in=ids, referred_at__lte=as_of)
        .order_by("referred_at", "id")
        .values_list(*_REFERRAL_FIELDS)
    )


def ap_facts_many(person_ids: Iterable[int], as_of: datetime) -> dict[int, ApFacts]:
    """Each case's approved premises facts at `as_of`, in two queries for any number of cases."""
    ids = list(person_ids)
    conditions = ap_conditions_many(ids, as_of)
    referrals: dict[int, list[ApReferralFacts]] = defaultdict(list)
    for row in chunk_rows(_referrals_query, ids, as_of):
        r = ApReferral(**dict(zip(_REFERRAL_FIELDS, row, strict=True)))
        referrals[r.person_id].append(referral_facts(r, as_of))
    return {
        pk: ApFacts(
            conditions=tuple(sorted(conditions.get(pk, []), key=lambda c: (c.known_from, c.condition))),
            referrals=tuple(referrals.get(pk, [])),
        )
        for pk in set(conditions) | set(referrals)
    }


def ap_referrals_of(person: Person) -> QuerySet[ApReferral]:
    """A case's approved premises referrals, newest first (the case page's list)."""
    return ApReferral.objects.filter(person=person).select_related("disclosure").order_by("-referred_at", "-id")


def ap_referral_of(person: Person, external_id: str) -> ApReferral | None:
    return ApReferral.objects.filter(person=person, external_id=external_id).first()


def ap_conditions_of(person: Person) -> list[LicenceCondition]:
    """The case's licence conditions to reside at approved premises (as now known)."""
    return list(
        LicenceCondition.objects.filter(event__person=person, type=AP_CONDITION)
        .select_related("event")
        .order_by("event__external_id", "external_id")
    )
