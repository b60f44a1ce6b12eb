"""Reads for victim contact. Callers reach the case through people.selectors.person_get or the case pages' `_case`
(audited, visibility); these read only what belongs to that case."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import QuerySet

from keepsafe.people.models import Event, Person
from keepsafe.people.rules.vocabulary import LicenceConditionType
from keepsafe.victims.models import VictimRepresentation
from keepsafe.victims.rules.representations import (
    ConditionPrompt,
    LicenceFacts,
    RepresentationFacts,
    RepresentationKind,
    RepresentationStatus,
    condition_prompts,
    has_licence,
)


def representations_of(person: Person) -> QuerySet[VictimRepresentation]:
    return (
        VictimRepresentation.objects.filter(person=person)
        .select_related("vlo_staff")
        .order_by("received_on", "external_id")
    )


def summary_of(rep: VictimRepresentation) -> str:
    """Whom with, which area, or what: in the VLO's words."""
    if rep.kind == RepresentationKind.NO_CONTACT:
        return ", ".join([*(["the victim"] if rep.no_contact_victim else []), *rep.no_contact_named])
    if rep.kind == RepresentationKind.EXCLUSION_ZONE:
        return rep.zone
    return rep.text


def facts_of(rep: VictimRepresentation) -> RepresentationFacts:
    return RepresentationFacts(
        id=rep.external_id,
        kind=RepresentationKind(rep.kind),
        status=RepresentationStatus(rep.status),
        summary=summary_of(rep),
        received_on=rep.received_on,
    )


def licences_of(events: Iterable[Event]) -> list[LicenceFacts]:
    """The licences (victims.rules.representations.has_licence) among these events, with their conditions' codes.
    The events come with their licence conditions prefetched (or as known at an instant: people.history)."""
    out = []
    for e in events:
        codes = frozenset(LicenceConditionType(c.type) for c in e.licence_conditions.all())
        if has_licence(
            terminated=e.terminated is not None,
            release=e.release or e.conditional_release,
            licence_expiry=e.licence_expiry,
            condition_count=len(codes),
        ):
            out.append(LicenceFacts(event_id=e.external_id, conditions=codes))
    return out


def case_events(person: Person) -> list[Event]:
    return list(
        Event.objects.filter(person=person).prefetch_related("licence_conditions").order_by("sentence_date", "id")
    )


def victim_prompts(
    person: Person,
    representations: list[VictimRepresentation] | None = None,
    events: Iterable[Event] | None = None,
) -> list[ConditionPrompt]:
    """The prompts of a case's representations against its licences (now, or the events and representations given:
    as known at an instant)."""
    reps = representations if representations is not None else list(representations_of(person))
    if not reps:
        return []
    return list(
        condition_prompts([facts_of(r) for r in reps], licences_of(case_events(person) if events is None else events))
    )


def representations_known(person: Person, as_of: datetime | None) -> list[VictimRepresentation]:
    """The representations recorded by `as_of` (all, when None); an outcome decided after the day of `as_of` shows
    as still REQUESTED then (the outcome's day is what is recorded, so a same-day outcome counts as known)."""
    reps = list(representations_of(person))
    if as_of is None:
        return reps
    shown = []
    for rep in reps:
        if rep.recorded_at > as_of:
            continue
        if rep.decided_on is not None and rep.decided_on > as_of.date():
            rep.status, rep.decided_on, rep.decided_by, rep.decline_reason = "REQUESTED", None, "", ""
        shown.append(rep)
    return shown
