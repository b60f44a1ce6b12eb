"""Reads for actions: a case's facts at an instant (the rules' input) and the action lists people see."""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.db.models import Count, Q, QuerySet

from keepsafe.actions.models import Action, ActionLog, EnforcementDecisionRecord, Recall, ReleasePlanConfirmation
from keepsafe.actions.rules import facts as f
from keepsafe.actions.rules.contact_levels import TIERS, tables_from
from keepsafe.actions.rules.policy import Policy
from keepsafe.actions.rules.reviews import SIGNIFICANT_KINDS, significance
from keepsafe.actions.rules.types import LABELS, ActionType
from keepsafe.core.actor import Actor
from keepsafe.core.formats import iso_instant
from keepsafe.people.history import day_of, events_as_known, flags_known, person_as_known
from keepsafe.people.models import Contact, Event, Person, Registration
from keepsafe.people.rules.vocabulary import ENFORCEABLE_OUTCOMES
from keepsafe.records.models import IndicatorFinding, Record
from keepsafe.risk.models import Assessment, CaseRisk
from keepsafe.sharing.models import CheckRequest

VICTIM_REGISTRATION = "INVI"  # registration-types.csv: Victim Contact


def open_at(as_of: datetime) -> Q:
    """Actions the service had open at `as_of`: created by then and not closed by then."""
    return Q(created_at__lte=as_of) & (Q(closed_at__isnull=True) | Q(closed_at__gt=as_of))


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
        contact_levels=contact_level_facts([person.pk], as_of).get(person.pk),  # issue 14; the lead: bulk loader
    )


# --- issue 14: contact levels ----------------------------------------------------------------------------------------
CONTACT_LEVELS = Path(__file__).parent / "reference" / "contact-levels.json"
DOMESTIC_ABUSE_REGISTRATIONS = ("ADVP", "REG30")  # registration-types.csv: perpetrator, domestic abuse history


@functools.cache
def contact_level_tables() -> tuple[f.ContactLevelTable, dict[str, f.ContactLevelTable]]:
    """The default contact levels and each region's (actions/reference/contact-levels.json, docs/actions.md)."""
    return tables_from(json.loads(CONTACT_LEVELS.read_text(encoding="utf-8")))


def contact_level_facts(person_ids: list[int], as_of: datetime) -> dict[int, f.ContactLevelFacts]:
    """Each case's region table, tier letter, RoSH level and domestic abuse flag, in three queries for any number of
    cases. Tier and RoSH are the case's current ones (CaseRisk); flags those in force on the day of `as_of`."""
    default, regions = contact_level_tables()
    day = day_of(as_of)
    region_of = dict(Person.objects.filter(pk__in=person_ids).values_list("pk", "pdu__region__code"))
    risk = {
        pid: (tier_v3, tier_v2, level)
        for pid, tier_v3, tier_v2, level in CaseRisk.objects.filter(person_id__in=person_ids).values_list(
            "person_id", "tier_v3", "tier_v2", "level"
        )
    }
    abuse = set(
        Registration.objects.filter(
            person_id__in=person_ids, type__code__in=DOMESTIC_ABUSE_REGISTRATIONS, start__lte=day
        )
        .filter(Q(end__isnull=True) | Q(end__gt=day))
        .values_list("person_id", flat=True)
    )
    out = {}
    for pid, region in region_of.items():
        tier_v3, tier_v2, level = risk.get(pid, ("", "", None))
        letter = next((t[0] for t in (tier_v3, tier_v2) if t and t[0] in TIERS and t not in ("MISSING",)), None)
        out[pid] = f.ContactLevelFacts(
            table=regions.get(region, default), tier=letter, rosh=level or None, domestic_abuse=pid in abuse
        )
    return out


# --- end issue 14 ----------------------------------------------------------------------------------------------------


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


def licence_facts(person: Person) -> tuple[list[tuple[Event, f.EventFacts]], tuple[f.RecallFacts, ...]]:
    """The person's custodial sentences and recalls as they stand, for asking whether a licence is in force."""
    events = [
        (
            e,
            f.EventFacts(
                id=e.external_id,
                sentence_type=e.sentence_type,
                sentence_date=e.sentence_date,
                release=e.release,
                conditional_release=e.conditional_release,
                parole_eligibility=e.parole_eligibility,
                licence_expiry=e.licence_expiry,
                sentence_expiry=e.sentence_expiry,
                pss_end=e.pss_end,
                terminated=e.terminated,
            ),
        )
        for e in Event.objects.filter(person=person).order_by("-sentence_date", "-id")
    ]
    recalls = tuple(_recall_facts(r) for r in Recall.objects.filter(person=person).select_related("event"))
    return events, recalls


def absences_before(contact: Contact, days: int) -> tuple[f.ContactFacts, ...]:
    """Failures to attend in the `days` before this contact."""
    rows = Contact.objects.filter(
        person_id=contact.person_id,
        outcome__in=ENFORCEABLE_OUTCOMES,
        at__lt=contact.at,
        at__gte=contact.at - timedelta(days=days),
    ).values_list("external_id", "type", "at", "outcome")
    return tuple(f.ContactFacts(*row) for row in rows)


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


def action_dict(action: Action, as_of: datetime) -> dict[str, Any]:
    """An action as the service had it at `as_of`, as `keepsafe actions --json` shows it (docs/actions.md)."""
    level = max(
        [e.level or 0 for e in action.log.all() if e.kind == ActionLog.Kind.ESCALATED and e.at <= as_of], default=0
    )
    status = Action.Status.OPEN if action.closed_at is None or action.closed_at > as_of else action.status
    return {
        "id": action.pk,
        "type": action.type,
        "label": LABELS[ActionType(action.type)],
        "title": action.title,
        "status": status,
        "due": iso_instant(action.due),
        "overdue": status == Action.Status.OPEN and as_of >= action.due,
        "owner": action.owner.code if action.owner else None,
        "owner_role": action.owner_role,
        "escalation_level": level,
        "escalated_to": [link["staff"] for link in action.chain[:level]],
        "evidence_needed": action.evidence_needed,
        "event": action.event.external_id if action.event else None,
        "key": action.key,
        "created_at": iso_instant(action.created_at),
    }


def actions_for_case(person: Person, *, as_of: datetime, include_closed: bool = False) -> QuerySet[Action]:
    rows = Action.objects.filter(person=person, created_at__lte=as_of)
    if not include_closed:
        rows = rows.filter(open_at(as_of))
    return rows.select_related("owner", "event").prefetch_related("log").order_by("due", "id")


def open_counts(person: Person, now: datetime) -> dict[str, int]:
    return Action.objects.filter(person=person, status=Action.Status.OPEN).aggregate(
        open=Count("id"), overdue=Count("id", filter=Q(due__lte=now))
    )


def visible_actions(actor: Actor) -> QuerySet[Action]:
    """Open actions on cases the actor may see."""
    people = Person.objects.visible_to(is_system=actor.is_system, staff_id=actor.staff_id)
    return (
        Action.objects.filter(status=Action.Status.OPEN, person__in=people)
        .select_related("person", "owner", "owner__team", "event")
        .order_by("due", "id")
    )


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
