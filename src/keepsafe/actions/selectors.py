"""Reads for actions: a case's facts at an instant (the rules' input) and the action lists people see."""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from django.db import connection
from django.db.models import Count, Q, QuerySet

from keepsafe.actions.models import Action, ActionLog, EnforcementDecisionRecord, Recall, ReleasePlanConfirmation
from keepsafe.actions.rules import facts as f
from keepsafe.actions.rules.contact_levels import TIERS, tables_from
from keepsafe.actions.rules.policy import Policy
from keepsafe.actions.rules.reviews import SIGNIFICANT_KINDS, significance
from keepsafe.actions.rules.types import LABELS, ActionType
from keepsafe.actions.touchpoint_facts import oversight_facts, regions_query  # issue 15 ("overs")
from keepsafe.core.actor import Actor
from keepsafe.core.chunkrows import chunk_rows
from keepsafe.core.formats import iso_instant
from keepsafe.court.selectors import court_stage_facts_many
from keepsafe.people.history import day_of, events_known_values, flags_known_values, practitioners_known
from keepsafe.people.models import (
    Contact,
    Event,
    EventVersion,
    LicenceConditionVersion,
    Person,
    PersonVersion,
    Registration,
    RegistrationHistory,
    RemandPeriod,
    RequirementVersion,
)
from keepsafe.people.rules.vocabulary import DOMESTIC_ABUSE_REGISTRATIONS, ENFORCEABLE_OUTCOMES
from keepsafe.premises.selectors import ap_facts_many  # issue 16 §5 (helper "ap")
from keepsafe.records.models import IndicatorFinding, Record
from keepsafe.risk.models import Assessment, CaseRisk
from keepsafe.sharing.models import CheckRequest

VICTIM_REGISTRATION = "INVI"  # registration-types.csv: Victim Contact


def open_at(as_of: datetime) -> Q:
    """Actions the service had open at `as_of`: created by then and not closed by then."""
    return Q(created_at__lte=as_of) & (Q(closed_at__isnull=True) | Q(closed_at__gt=as_of))


def case_facts(person: Person, as_of: datetime, policy: Policy, open_keys: frozenset[str]) -> f.CaseFacts:
    """One case's facts: the bulk reader for a chunk of one, so the sweep and a single reconcile cannot disagree."""
    return case_facts_many([person], as_of, policy, {person.pk: open_keys})[person.pk]


@dataclass(frozen=True)
class Chunk:
    """The cases one bulk read covers, and the window it reads: what every fact reader is given."""

    people: dict[int, Person]
    as_of: datetime
    policy: Policy

    @property
    def ids(self) -> list[int]:
        return list(self.people)

    @property
    def day(self) -> date:
        return day_of(self.as_of)

    @property
    def since(self) -> datetime:
        """How far back contacts and significant records matter (the rules' lookbacks, with a margin)."""
        lookback = max(self.policy.trigger_lookback_days, self.policy.enforcement_second_absence_days) + 30
        return self.as_of - timedelta(days=lookback)


# A fact reader: a chunk's cases in → for each case with something to say, some of CaseFacts' fields. Each reads its
# family of facts for the whole chunk in a fixed number of queries (never one per case).
type Fields = dict[str, object]
type FactReader = Callable[[Chunk], dict[int, Fields]]


def case_facts_many(
    people: Iterable[Person], as_of: datetime, policy: Policy, open_keys: Mapping[int, frozenset[str]] | None = None
) -> dict[int, f.CaseFacts]:
    """Only what was known at `as_of`: records by received time, decisions and checks by when they were made,
    allocation, sentences, requirements, licence conditions and flags in their versions known then (docs/actions.md).
    Every case of the chunk in a fixed number of queries, however many cases (FACT_READERS, one per fact family)."""
    chunk = Chunk({p.pk: p for p in people}, as_of, policy)
    fields: dict[int, Fields] = {pk: {"open_keys": (open_keys or {}).get(pk, frozenset())} for pk in chunk.people}
    for reader in FACT_READERS:
        for pk, some in reader(chunk).items():
            fields[pk].update(some)
    return {pk: f.CaseFacts(**cast(Any, values)) for pk, values in fields.items()}


def _grouped[T](rows: Iterable[tuple[int, T]], field_name: str) -> dict[int, Fields]:
    """(person id, fact) pairs, in order → {person id: {field_name: (facts…)}}."""
    out: dict[int, list[T]] = defaultdict(list)
    for pk, fact in rows:
        out[pk].append(fact)
    return {pk: {field_name: tuple(facts)} for pk, facts in out.items()}


def _allocation_facts(chunk: Chunk) -> dict[int, Fields]:
    known = practitioners_known(chunk.people.values(), chunk.as_of)
    return {
        pk: {"crn": p.crn, "as_of": chunk.as_of, "com_allocated": known[pk] is not None}
        for pk, p in chunk.people.items()
    }


def _event_facts(chunk: Chunk) -> dict[int, Fields]:
    out: dict[int, Fields] = {}
    for pk, known in events_known_values(chunk.ids, chunk.as_of).items():
        events = [
            f.EventFacts(
                id=parts.event.external_id,
                sentence_type=event["sentence_type"],
                sentence_date=event["sentence_date"],
                release=event["release"],
                conditional_release=event["conditional_release"],
                parole_eligibility=event["parole_eligibility"],
                licence_expiry=event["licence_expiry"],
                sentence_expiry=event["sentence_expiry"],
                pss_end=event["pss_end"],
                terminated=event["terminated"],
                requirements=tuple(
                    f.RequirementFacts(r.external_id, r.values["type"], r.values["start"]) for r in parts.requirements
                ),
                licence_conditions=len(parts.licence_conditions),
            )
            for parts in known
            if (event := parts.event.values)["sentence_date"] <= chunk.day
        ]
        out[pk] = {"events": tuple(events)}
    return out


# Each reader's queries are built by a module-level function of the chunk's ids and the reader's constants, compiled
# once per sweep instant and run for every chunk (core/chunkrows.py): compiling them per chunk was a large part of a
# full sweep's own time (docs/performance.md).


def _contacts_query(ids: Any, as_of: datetime, since: datetime) -> QuerySet[Any, Any]:
    return (
        Contact.objects.filter(
            person_id__in=ids,
            at__lte=as_of,
            at__gte=since,
            outcome__in=["ATTENDED", *ENFORCEABLE_OUTCOMES],
        )
        .order_by("person_id", "-at", "-id")
        .values_list("person_id", "external_id", "type", "at", "outcome")
    )


def _contact_facts(chunk: Chunk) -> dict[int, Fields]:
    rows = chunk_rows(_contacts_query, chunk.ids, chunk.as_of, chunk.since)
    return _grouped(((pk, f.ContactFacts(e, t, at, o)) for pk, e, t, at, o in rows), "contacts")


def _enforcement_query(ids: Any, as_of: datetime) -> QuerySet[Any, Any]:
    return (
        EnforcementDecisionRecord.objects.filter(person_id__in=ids, at__lte=as_of)
        .order_by("person_id", "id")
        .values_list("person_id", "contact__external_id", "decision", "at", "id")
    )


def _enforcement_facts(chunk: Chunk) -> dict[int, Fields]:
    rows = chunk_rows(_enforcement_query, chunk.ids, chunk.as_of)
    return _grouped(((pk, f.EnforcementFacts(c, d, at, str(ref))) for pk, c, d, at, ref in rows), "enforcement")


def _recalls_query(ids: Any, as_of: datetime) -> QuerySet[Any, Any]:
    return (
        Recall.objects.filter(person_id__in=ids, considered_at__lte=as_of)
        .order_by("person_id", "-considered_at", "-id")
        .values_list(
            "person_id",
            "external_id",
            "event__external_id",
            "considered_at",
            "decided_at",
            "decision",
            "emergency",
            "revoked_at",
            "executed_at",
            "cancelled_at",
        )
    )


def _recall_facts_many(chunk: Chunk) -> dict[int, Fields]:
    rows = chunk_rows(_recalls_query, chunk.ids, chunk.as_of)
    return _grouped(
        (
            (
                pk,
                f.RecallFacts(ext, event, considered, decided, decision, bool(emergency), revoked, executed, cancelled),
            )
            for pk, ext, event, considered, decided, decision, emergency, revoked, executed, cancelled in rows
        ),
        "recalls",
    )


def _checks_query(ids: Any, as_of: datetime) -> QuerySet[Any, Any]:
    return (
        CheckRequest.objects.filter(person_id__in=ids, requested_at__lte=as_of)
        .order_by("person_id", "requested_at", "id")
        .values_list(
            "person_id",
            "external_id",
            "public_id",
            "kind",
            "requested_at",
            "response_record__received_at",
            "acted_on_at",
        )
    )


def _check_facts(chunk: Chunk) -> dict[int, Fields]:
    rows = chunk_rows(_checks_query, chunk.ids, chunk.as_of)
    return _grouped(
        (
            (
                pk,
                f.CheckFacts(
                    id=ext or str(public), kind=kind, requested_at=at, answered_at=answered, acted_on_at=acted
                ),
            )
            for pk, ext, public, kind, at, answered, acted in rows
        ),
        "checks",
    )


def _assessment_facts(chunk: Chunk) -> dict[int, Fields]:
    return {pk: {"assessments": facts} for pk, facts in assessments_known_many(chunk.ids, chunk.as_of).items()}


def _flag_facts(chunk: Chunk) -> dict[int, Fields]:
    """Flags started by `as_of` as known then (people.history, the reader the case view uses, here as plain values),
    and whether a victim contact flag was in force."""
    day = chunk.day
    out: dict[int, Fields] = {}
    for pk, flags in flags_known_values(chunk.ids, chunk.as_of).items():
        registrations = []
        victim = False
        for flag in flags:
            if flag.start > day:
                continue
            victim = victim or (flag.type_code == VICTIM_REGISTRATION and flag.in_force(day))
            registrations.append(
                f.RegistrationFacts(
                    flag.external_id,
                    flag.type_code,
                    flag.type_name,
                    flag.start,
                    flag.end,
                    flag.next_review,
                    flag.reviews,
                )
            )
        out[pk] = {"registrations": tuple(registrations), "victim_registered": victim}
    return out


def _significant_query(ids: Any, as_of: datetime, since: datetime) -> QuerySet[Any, Any]:
    return (
        Record.objects.filter(
            person_id__in=ids,
            received_at__lte=as_of,
            received_at__gte=since,
            kind__in=[*SIGNIFICANT_KINDS, "CALL_OUT"],
        )
        .order_by("person_id", "-occurred_at", "-id")
        .values_list("person_id", "pk", "external_id", "kind", "received_at")
    )


def _significant_indicators_query(ids: Any, as_of: datetime, since: datetime) -> QuerySet[Any, Any]:
    return IndicatorFinding.objects.filter(
        record__person_id__in=ids,
        record__received_at__lte=as_of,
        record__received_at__gte=since,
        record__kind__in=[*SIGNIFICANT_KINDS, "CALL_OUT"],
        received_at__lte=as_of,
    ).values_list("record_id", "indicator")


def _significant_facts(chunk: Chunk) -> dict[int, Fields]:
    rows = chunk_rows(_significant_query, chunk.ids, chunk.as_of, chunk.since)
    indicators: dict[int, set[str]] = defaultdict(set)
    if rows:
        for record_id, indicator in chunk_rows(_significant_indicators_query, chunk.ids, chunk.as_of, chunk.since):
            indicators[record_id].add(indicator)
    out = []
    for person_id, pk, external_id, kind, received_at in rows:
        why = significance(kind, frozenset(indicators[pk]))
        if why is not None:
            out.append((person_id, f.SignificantRecord(external_id, kind, received_at, why)))
    return _grouped(out, "significant")


def _finding_facts(chunk: Chunk) -> dict[int, Fields]:
    return {pk: {"findings": facts} for pk, facts in findings_known_many(chunk.ids, chunk.as_of).items()}


def _release_plan_query(ids: Any, as_of: datetime) -> QuerySet[Any, Any]:
    return (
        ReleasePlanConfirmation.objects.filter(person_id__in=ids, at__lte=as_of)
        .order_by("person_id", "id")
        .values_list("person_id", "event__external_id", "item", "at", "id")
    )


def _release_plan_facts(chunk: Chunk) -> dict[int, Fields]:
    rows = chunk_rows(_release_plan_query, chunk.ids, chunk.as_of)
    return _grouped(((pk, f.ReleasePlanItem(e, item, at, str(ref))) for pk, e, item, at, ref in rows), "release_plan")


def _contact_level_facts(chunk: Chunk) -> dict[int, Fields]:
    """Issue 14: each case's contact-level table, tier, RoSH and domestic abuse flag (contact_level_facts)."""
    return {pk: {"contact_levels": facts} for pk, facts in contact_level_facts(chunk.ids, chunk.as_of).items()}


# --- issue 14: contact levels ---
CONTACT_LEVELS = Path(__file__).parent / "reference" / "contact-levels.json"


@functools.cache
def contact_level_tables() -> tuple[f.ContactLevelTable, dict[str, f.ContactLevelTable]]:
    """The default contact levels and each region's (actions/reference/contact-levels.json, docs/actions.md)."""
    return tables_from(json.loads(CONTACT_LEVELS.read_text(encoding="utf-8")))


def contact_level_facts(person_ids: list[int], as_of: datetime) -> dict[int, f.ContactLevelFacts]:
    """Each case's region table, tier letter, RoSH level and domestic abuse flag, in three queries for any number of
    cases. Tier and RoSH are the case's current ones (CaseRisk); flags those in force on the day of `as_of`."""
    default, regions = contact_level_tables()
    day = day_of(as_of)
    region_of = dict(chunk_rows(regions_query, person_ids))
    risk = {pid: (tier_v3, tier_v2, level) for pid, tier_v3, tier_v2, level in chunk_rows(_case_risk_query, person_ids)}
    abuse = {pid for (pid,) in chunk_rows(_domestic_abuse_query, person_ids, day)}
    out = {}
    for pid, region in region_of.items():
        tier_v3, tier_v2, level = risk.get(pid, ("", "", None))
        letter = next((t[0] for t in (tier_v3, tier_v2) if t and t[0] in TIERS and t not in ("MISSING",)), None)
        out[pid] = f.ContactLevelFacts(
            table=regions.get(region, default), tier=letter, rosh=level or None, domestic_abuse=pid in abuse
        )
    return out


def _case_risk_query(ids: Any) -> QuerySet[Any, Any]:
    return CaseRisk.objects.filter(person_id__in=ids).values_list("person_id", "tier_v3", "tier_v2", "level")


def _domestic_abuse_query(ids: Any, day: date) -> QuerySet[Any, Any]:
    return (
        Registration.objects.filter(person_id__in=ids, type__code__in=DOMESTIC_ABUSE_REGISTRATIONS, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gt=day))
        .values_list("person_id")
    )


# --- end issue 14 ----------------------------------------------------------------------------------------------------


def _oversight_facts(chunk: Chunk) -> dict[int, Fields]:
    """Issue 15 ("overs"): management oversight touch points (actions/touchpoint_facts.py)."""
    return {pk: {"oversight": facts} for pk, facts in oversight_facts(chunk.people, chunk.as_of).items()}


# --- issue 16 §6 (helper "transfer"): remand periods known by the instant ----------------------------------------
def _remand_query(ids: Any, as_of: datetime) -> QuerySet[Any, Any]:
    return (
        RemandPeriod.objects.filter(person_id__in=ids, known_from__lte=as_of)
        .order_by("person_id", "start", "external_id")
        .values_list("person_id", "external_id", "start", "end", "matter")
    )


def _remand_facts(chunk: Chunk) -> dict[int, Fields]:
    rows = chunk_rows(_remand_query, chunk.ids, chunk.as_of)
    return _grouped(((pk, f.RemandFacts(ext, start, end, matter)) for pk, ext, start, end, matter in rows), "remand")


def _court_stage_facts(chunk: Chunk) -> dict[int, Fields]:
    """Issue 16 §1: court stages before sentence, as known at the instant (court/selectors.py)."""
    return {pk: {"court_stages": facts} for pk, facts in court_stage_facts_many(chunk.ids, chunk.as_of).items()}


def _ap_facts(chunk: Chunk) -> dict[int, Fields]:
    """Issue 16 §5 (helper "ap"): approved premises conditions and referrals as known at the instant."""
    return {pk: {"approved_premises": facts} for pk, facts in ap_facts_many(chunk.ids, chunk.as_of).items()}


# One reader per fact family; a new family of facts is one more reader here.
FACT_READERS: tuple[FactReader, ...] = (
    _allocation_facts,
    _event_facts,
    _contact_facts,
    _enforcement_facts,
    _recall_facts_many,
    _check_facts,
    _assessment_facts,
    _flag_facts,
    _significant_facts,
    _finding_facts,
    _release_plan_facts,
    _contact_level_facts,  # issue 14
    _oversight_facts,  # issue 15 ("overs")
    _remand_facts,  # issue 16 §6 (helper "transfer")
    _court_stage_facts,  # issue 16 §1
    _ap_facts,  # issue 16 §5 (helper "ap")
)


def assessments_known(person: Person, as_of: datetime) -> tuple[f.AssessmentFacts, ...]:
    """Risk assessments completed by `as_of`."""
    return assessments_known_many([person.pk], as_of).get(person.pk, ())


def _assessments_query(ids: Any, as_of: datetime) -> QuerySet[Any, Any]:
    return (
        Assessment.objects.filter(person_id__in=ids, status=Assessment.Status.COMPLETE, completed_at__lte=as_of)
        .order_by("person_id", "-completed_at", "-started_at", "-id")
        .values_list(
            "person_id", "external_id", "completed_at", "countersign_required", "countersigned_at", "recorded_at"
        )
    )


def assessments_known_many(person_ids: Iterable[int], as_of: datetime) -> dict[int, tuple[f.AssessmentFacts, ...]]:
    rows = chunk_rows(_assessments_query, person_ids, as_of)
    out: dict[int, list[f.AssessmentFacts]] = defaultdict(list)
    for pk, ext, completed, required, countersigned, recorded in rows:
        if completed is not None:
            out[pk].append(f.AssessmentFacts(ext, completed, required, countersigned, recorded))
    return {pk: tuple(facts) for pk, facts in out.items()}


def findings_known(person: Person, as_of: datetime) -> tuple[f.FindingFacts, ...]:
    """Indicator findings in the person's records received by `as_of` (the risk reviews' input)."""
    return findings_known_many([person.pk], as_of).get(person.pk, ())


def _findings_query(ids: Any, as_of: datetime) -> QuerySet[Any, Any]:
    return (
        IndicatorFinding.objects.filter(person_id__in=ids, record__isnull=False, received_at__lte=as_of)
        .order_by("person_id", "occurred_at", "id")
        .values_list("person_id", "record__external_id", "indicator", "received_at")
    )


def findings_known_many(person_ids: Iterable[int], as_of: datetime) -> dict[int, tuple[f.FindingFacts, ...]]:
    rows = chunk_rows(_findings_query, person_ids, as_of)
    out: dict[int, list[f.FindingFacts]] = defaultdict(list)
    for pk, record, indicator, received_at in rows:
        out[pk].append(f.FindingFacts(record, indicator, received_at))
    return {pk: tuple(facts) for pk, facts in out.items()}


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


# --- issue 20 §2 (helper "sweep"): what becomes known later ---------------------------------------------------------
# Rows stamped after an instant are hidden from the facts at that instant (point in time), so the pure next_change
# cannot see them; the incremental sweep visits the case again when the first of them becomes known. (A live write
# marks its case dirty anyway; this covers rows stored ahead of their instant: imports, scheduled contacts.)
KNOWN_LATER: tuple[tuple[type[Any], str, str], ...] = (
    (PersonVersion, "person_id", "known_from"),
    (EventVersion, "event__person_id", "known_from"),
    (RequirementVersion, "requirement__event__person_id", "known_from"),
    (LicenceConditionVersion, "licence_condition__event__person_id", "known_from"),
    (RegistrationHistory, "registration__person_id", "known_from"),
    (Contact, "person_id", "at"),
    (EnforcementDecisionRecord, "person_id", "at"),
    (Recall, "person_id", "considered_at"),
    (CheckRequest, "person_id", "requested_at"),
    (Assessment, "person_id", "completed_at"),
    (Assessment, "person_id", "recorded_at"),
    (Record, "person_id", "received_at"),
    (IndicatorFinding, "person_id", "received_at"),
    (ReleasePlanConfirmation, "person_id", "at"),
)


def known_later_many(person_ids: Iterable[int], as_of: datetime) -> dict[int, datetime]:
    """Per case, the earliest instant after `as_of` at which a row the fact readers read becomes known: one grouped
    query per KNOWN_LATER entry, sent as one UNION ALL statement built once per process (the ORM compiled the
    fourteen queries again for every chunk: 12 % of a full sweep's time, docs/actions.md)."""
    ids = [int(i) for i in person_ids]
    if not ids:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    after = connection.ops.adapt_datetimefield_value(as_of)
    params: list[Any] = []
    for _ in KNOWN_LATER:
        params += [*ids, after]
    out: dict[int, datetime] = {}
    with connection.cursor() as cursor:
        cursor.execute(_known_later_sql().replace("{ids}", marks), params)
        for pk, first in cursor.fetchall():
            instant = _instant(first)
            if pk not in out or instant < out[pk]:
                out[pk] = instant
    return out


@functools.cache
def _known_later_sql() -> str:
    """KNOWN_LATER as one statement: per entry `SELECT person, MIN(stamp) … WHERE person IN ({ids}) AND stamp > %s
    GROUP BY person`, its joins followed from the models' foreign keys; `{ids}` takes one placeholder per id."""
    q = connection.ops.quote_name
    parts = []
    for model, person, stamp in KNOWN_LATER:
        *hops, last = person.split("__")
        current, alias = model, "t0"
        joins = f"{q(model._meta.db_table)} t0"
        for n, hop in enumerate(hops, start=1):
            field = current._meta.get_field(hop)
            target = field.related_model
            joins += (
                f" JOIN {q(target._meta.db_table)} t{n} ON t{n}.{q(target._meta.pk.column)} = {alias}.{q(field.column)}"
            )
            current, alias = target, f"t{n}"
        who = f"{alias}.{q(current._meta.get_field(last).column)}"
        when = f"t0.{q(model._meta.get_field(stamp).column)}"
        parts.append(
            f"SELECT {who}, MIN({when}) FROM {joins} "  # noqa: S608 (names from the models' own metadata)
            f"WHERE {who} IN ({{ids}}) AND {when} > %s GROUP BY {who}"
        )
    return " UNION ALL ".join(parts)


def _instant(value: datetime | str) -> datetime:
    """A MIN() of a datetime column as the database returns it: aware on PostgreSQL, text in UTC on SQLite."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
