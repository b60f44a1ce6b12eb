"""The per-case facts reader as it was before the bulk reader (commit 1010145), kept for tests only: the bulk reader
must give exactly the CaseFacts this gave, case by case (test_sweep_equivalence)."""

# ruff: noqa
# mypy: ignore-errors
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from keepsafe.actions.models import EnforcementDecisionRecord, Recall, ReleasePlanConfirmation
from keepsafe.actions.rules import facts as f
from keepsafe.actions.rules.policy import Policy
from keepsafe.actions.rules.reviews import SIGNIFICANT_KINDS, significance
from keepsafe.actions.selectors import contact_level_facts
from keepsafe.actions.touchpoint_facts import oversight_facts
from keepsafe.court.selectors import court_stage_facts_many
from keepsafe.premises.rules.referral import ApFacts
from keepsafe.premises.selectors import ap_facts_many
from keepsafe.people.rules.vocabulary import ENFORCEABLE_OUTCOMES
from keepsafe.people.history import KnownFlag, _latest, _pick, _prefetched, copy_as_known, day_of
from keepsafe.people.models import (
    Contact,
    Event,
    EventVersion,
    LicenceCondition,
    LicenceConditionVersion,
    Person,
    PersonVersion,
    Registration,
    RegistrationHistory,
    Requirement,
    RequirementVersion,
)
from keepsafe.records.models import IndicatorFinding, Record
from keepsafe.risk.models import Assessment
from keepsafe.sharing.models import CheckRequest

VICTIM_REGISTRATION = "INVI"


def person_as_known(person: Person, as_of: datetime) -> Person:
    """The person with the allocation (PDU, COM, POM) and criminal history known at `as_of`. Before anything was
    known the case is unallocated with no criminal history, in the PDU that holds it now."""
    versions = list(
        PersonVersion.objects.filter(person=person)
        .select_related("pdu__region", "practitioner__team", "prison_offender_manager")
        .order_by("-known_from", "-recorded_at", "-id")
    )
    version = next((v for v in versions if v.known_from <= as_of), None)
    known = Person(
        pk=person.pk,
        crn=person.crn,
        forename=person.forename,
        surname=person.surname,
        date_of_birth=person.date_of_birth,
        gender=person.gender,
        ethnicity=person.ethnicity,
        disability=person.disability,
        pnc=person.pnc,
        created_at=person.created_at,
        pdu_id=person.pdu_id,
    )
    if Person._meta.get_field("pdu").is_cached(person):  # type: ignore[union-attr]
        known.pdu = person.pdu
    if not versions:
        version_source: Any = person  # never versioned: read as it stands
    else:
        version_source = version
    if version_source is None:
        return known
    known.pdu = version_source.pdu
    known.practitioner = version_source.practitioner
    known.prison_offender_manager = version_source.prison_offender_manager
    for name in ("has_criminal_history", "first_sanction_date", "sanctions", "violent_sanctions"):
        setattr(known, name, getattr(version_source, name))
    return known


def events_as_known(person: Person, as_of: datetime) -> list[Event]:
    """Events known at `as_of`, newest sentence first, with their requirements and licence conditions as known."""
    stored = list(Event.objects.filter(person=person))
    event_versions, versioned = _latest(EventVersion.objects.filter(event__person=person), "event_id", as_of)
    requirements = list(Requirement.objects.filter(event__person=person).order_by("external_id"))
    conditions = list(LicenceCondition.objects.filter(event__person=person).order_by("external_id"))
    req_versions, req_versioned = _latest(
        RequirementVersion.objects.filter(requirement__event__person=person), "requirement_id", as_of
    )
    lc_versions, lc_versioned = _latest(
        LicenceConditionVersion.objects.filter(licence_condition__event__person=person), "licence_condition_id", as_of
    )
    by_event: dict[int, list[Requirement]] = defaultdict(list)
    for r in requirements:
        source: Any = req_versions.get(r.pk) or (r if r.pk not in req_versioned else None)
        if source is not None:
            by_event[r.event_id].append(
                copy_as_known(
                    Requirement, r, source, RequirementVersion.VERSIONED, event_id=r.event_id, external_id=r.external_id
                )
            )
    lcs_by_event: dict[int, list[LicenceCondition]] = defaultdict(list)
    for c in conditions:
        source = lc_versions.get(c.pk) or (c if c.pk not in lc_versioned else None)
        if source is not None:
            lcs_by_event[c.event_id].append(
                copy_as_known(
                    LicenceCondition,
                    c,
                    source,
                    LicenceConditionVersion.VERSIONED,
                    event_id=c.event_id,
                    external_id=c.external_id,
                )
            )
    known: list[Event] = []
    for e in stored:
        source = event_versions.get(e.pk) or (e if e.pk not in versioned else None)
        if source is None:
            continue
        copy = copy_as_known(Event, e, source, EventVersion.VERSIONED, person_id=e.person_id, external_id=e.external_id)
        _prefetched(copy, "requirements", Requirement, by_event[e.pk])
        _prefetched(copy, "licence_conditions", LicenceCondition, lcs_by_event[e.pk])
        known.append(copy)
    known.sort(key=lambda e: e.external_id)
    known.sort(key=lambda e: e.sentence_date, reverse=True)
    return known


def flags_known(person: Person, as_of: datetime) -> list[KnownFlag]:
    """Every flag known at `as_of` (in force or not), as it stood then: a bundle flag from its start, a civil
    order's from its record's receipt, a change from when it was made. Ordered as the case shows flags."""
    stored = list(Registration.objects.filter(person=person).select_related("type"))
    entries = list(RegistrationHistory.objects.filter(registration__person=person).order_by("known_from", "at", "id"))
    latest, with_history = _pick(entries, "registration_id", as_of)
    reviews: dict[int, list[datetime]] = defaultdict(list)
    for entry in entries:
        if entry.action == RegistrationHistory.Action.REVIEWED and entry.known_from <= as_of:
            reviews[entry.registration_id].append(entry.known_from)
    flags = []
    for reg in stored:
        known = latest.get(reg.pk)
        if known is None and reg.pk in with_history:
            continue
        copy = reg
        if known is not None:
            copy = copy_as_known(
                Registration,
                reg,
                known,
                RegistrationHistory.VERSIONED,
                person_id=reg.person_id,
                external_id=reg.external_id,
                type=reg.type,
                end_reason=reg.end_reason,
                notes=known.flag_notes,
            )
        flags.append(KnownFlag(copy, tuple(sorted(reviews[reg.pk]))))
    flags.sort(key=lambda f: f.registration.external_id)
    flags.sort(key=lambda f: f.registration.start, reverse=True)
    return flags


def case_facts(person: Person, as_of: datetime, policy: Policy, open_keys: frozenset[str]) -> f.CaseFacts:
    """Only what was known at `as_of`: records by received time, decisions and checks by when they were made,
    allocation, sentences, requirements, licence conditions and flags in their versions known then (docs/actions.md)."""
    since = as_of - timedelta(days=max(policy.trigger_lookback_days, policy.enforcement_second_absence_days) + 30)
    day = day_of(as_of)
    known = person_as_known(person, as_of)
    events = []
    for event in events_as_known(person, as_of):
        if event.sentence_date > day:
            continue
        events.append(
            f.EventFacts(
                id=event.external_id,
                sentence_type=event.sentence_type,
                sentence_date=event.sentence_date,
                release=event.release,
                conditional_release=event.conditional_release,
                parole_eligibility=event.parole_eligibility,
                licence_expiry=event.licence_expiry,
                sentence_expiry=event.sentence_expiry,
                pss_end=event.pss_end,
                terminated=event.terminated,
                requirements=tuple(
                    f.RequirementFacts(r.external_id, r.type, r.start) for r in event.requirements.all()
                ),
                licence_conditions=len(event.licence_conditions.all()),
            )
        )
    contacts = tuple(
        f.ContactFacts(external_id, type_, at, outcome)
        for external_id, type_, at, outcome in Contact.objects.filter(
            person=person, at__lte=as_of, at__gte=since, outcome__in=["ATTENDED", *ENFORCEABLE_OUTCOMES]
        ).values_list("external_id", "type", "at", "outcome")
    )
    enforcement = tuple(
        f.EnforcementFacts(d.contact.external_id, d.decision, d.at, str(d.pk))
        for d in EnforcementDecisionRecord.objects.filter(person=person, at__lte=as_of).select_related("contact")
    )
    recalls = tuple(
        _recall_facts(r) for r in Recall.objects.filter(person=person, considered_at__lte=as_of).select_related("event")
    )
    checks = tuple(
        f.CheckFacts(
            id=c.external_id or str(c.public_id),
            kind=c.kind,
            requested_at=c.requested_at,
            answered_at=c.response_record.received_at if c.response_record else None,
            acted_on_at=c.acted_on_at,
        )
        for c in CheckRequest.objects.filter(person=person, requested_at__lte=as_of).select_related("response_record")
    )
    registrations, victim = _flags_facts(person, as_of)
    return f.CaseFacts(
        crn=person.crn,
        as_of=as_of,
        com_allocated=known.practitioner_id is not None,
        events=tuple(events),
        contacts=contacts,
        enforcement=enforcement,
        recalls=recalls,
        checks=checks,
        assessments=assessments_known(person, as_of),
        registrations=registrations,
        significant=_significant(person, as_of, since),
        findings=findings_known(person, as_of),
        release_plan=tuple(
            f.ReleasePlanItem(c.event.external_id, c.item, c.at, str(c.pk))
            for c in ReleasePlanConfirmation.objects.filter(person=person, at__lte=as_of).select_related("event")
        ),
        victim_registered=victim,
        open_keys=open_keys,
        contact_levels=contact_level_facts([person.pk], as_of).get(person.pk),  # issue 14
        oversight=oversight_facts({person.pk: person}, as_of).get(person.pk),  # issue 15 ("overs")
        court_stages=court_stage_facts_many([person.pk], as_of).get(person.pk, ()),  # issue 16 §1
        approved_premises=ap_facts_many([person.pk], as_of).get(person.pk, ApFacts()),  # issue 16 §5 (helper "ap")
    )


def _flags_facts(person: Person, as_of: datetime) -> tuple[tuple[f.RegistrationFacts, ...], bool]:
    """Flags started by `as_of` as known then (people.history, the reader the case view uses), and whether a victim
    contact flag was in force."""
    day = day_of(as_of)
    registrations = []
    victim = False
    for flag in flags_known(person, as_of):
        reg = flag.registration
        if reg.start > day:
            continue
        victim = victim or (reg.type.code == VICTIM_REGISTRATION and flag.in_force(day))
        registrations.append(
            f.RegistrationFacts(
                reg.external_id, reg.type.code, reg.type.name, reg.start, reg.end, reg.next_review, flag.reviews
            )
        )
    return tuple(registrations), victim


def assessments_known(person: Person, as_of: datetime) -> tuple[f.AssessmentFacts, ...]:
    """Risk assessments completed by `as_of`."""
    return tuple(
        f.AssessmentFacts(a.external_id, a.completed_at, a.countersign_required, a.countersigned_at, a.recorded_at)
        for a in Assessment.objects.filter(
            person=person, status=Assessment.Status.COMPLETE, completed_at__lte=as_of
        ).only("external_id", "completed_at", "countersign_required", "countersigned_at", "recorded_at")
        if a.completed_at is not None
    )


def findings_known(person: Person, as_of: datetime) -> tuple[f.FindingFacts, ...]:
    """Indicator findings in the person's records received by `as_of` (the risk reviews' input)."""
    return tuple(
        f.FindingFacts(record, indicator, received_at)
        for record, indicator, received_at in IndicatorFinding.objects.filter(
            person=person, record__isnull=False, received_at__lte=as_of
        )
        .values_list("record__external_id", "indicator", "received_at")
        .distinct()
    )


def _significant(person: Person, as_of: datetime, since: datetime) -> tuple[f.SignificantRecord, ...]:
    rows = Record.objects.filter(
        person=person, received_at__lte=as_of, received_at__gte=since, kind__in=[*SIGNIFICANT_KINDS, "CALL_OUT"]
    ).values_list("pk", "external_id", "kind", "received_at")
    indicators: dict[int, set[str]] = defaultdict(set)
    for record_id, indicator in IndicatorFinding.objects.filter(
        record_id__in=[r[0] for r in rows], received_at__lte=as_of
    ).values_list("record_id", "indicator"):
        indicators[record_id].add(indicator)
    out = []
    for pk, external_id, kind, received_at in rows:
        why = significance(kind, frozenset(indicators[pk]))
        if why is not None:
            out.append(f.SignificantRecord(external_id, kind, received_at, why))
    return tuple(out)


def _recall_facts(r: Recall) -> f.RecallFacts:
    return f.RecallFacts(
        id=r.external_id,
        event=r.event.external_id if r.event else None,
        considered_at=r.considered_at,
        decided_at=r.decided_at,
        decision=r.decision,
        emergency=bool(r.emergency),
        revoked_at=r.revoked_at,
        executed_at=r.executed_at,
        cancelled_at=r.cancelled_at,
    )
