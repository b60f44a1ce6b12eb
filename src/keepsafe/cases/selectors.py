"""The case as a whole: the summary (CLI JSON, later the API) and the chronology, built from each domain."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects

from keepsafe.bundles.exporter import contact_bundle, event_bundle, record_bundle, remand_bundle, transfer_bundle
from keepsafe.bundles.victims import victim_representation_bundle  # issue 16 §7 (helper "victim")
from keepsafe.cases.appointments import appointments_known
from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.core.formats import iso_date as _d
from keepsafe.core.formats import iso_instant as _instant
from keepsafe.core.words import code_words
from keepsafe.people.history import events_as_known, flags_in_force, person_as_known
from keepsafe.people.models import Contact, Event, Person, Registration, RegistrationHistory, RemandPeriod, Transfer
from keepsafe.people.rules.registration_review import is_active
from keepsafe.people.rules.vocabulary import contact_title
from keepsafe.people.selectors import person_get
from keepsafe.records.models import Record
from keepsafe.records.rules.indicators import INDICATORS
from keepsafe.records.selectors import findings_known, indicator_picture
from keepsafe.risk.selectors import review_signals, risk_summary
from keepsafe.victims.selectors import representations_known, victim_prompts  # issue 16 §7

SUMMARY_CONTACTS = 50
SUMMARY_RECORDS = 50


def case_summary(*, crn: str, viewer: Actor, as_of: datetime | None = None) -> dict[str, Any]:
    """`keepsafe case CRN --json`: keys documented in docs/case-json.md. Raises NotFoundError if hidden.

    `as_of` shows the case as it was known at that instant: records received later and contacts after it are left
    out; allocation, sentences, requirements, licence conditions and flags are as known then (people.history); risk
    and tiers are as assessed and computed from what was known then.
    """
    details = {"as_of": _instant(as_of)} if as_of is not None else None
    person = person_get(crn=crn, viewer=viewer, action="CASE_SUMMARY", details=details)
    instant = as_of or clock.now()
    contact_rows = Contact.objects.filter(person=person).select_related("staff")
    record_rows = Record.objects.filter(person=person)
    events: Iterable[Event]
    if as_of is not None:
        # Point in time: the allocation, sentences and flags as known then (people.history, also read by the sweep).
        person = person_as_known(person, as_of)
        events = events_as_known(person, as_of)
        registrations = [f.registration for f in flags_in_force(person, as_of)]
        contact_rows = contact_rows.filter(at__lte=as_of)
        record_rows = record_rows.filter(received_at__lte=as_of)
    else:
        today = clock.today()
        events = Event.objects.filter(person=person).prefetch_related("requirements", "licence_conditions")
        registrations = [
            r
            for r in Registration.objects.filter(person=person).select_related("type")
            if is_active(start=r.start, end=r.end, today=today)
        ]
    contacts = contact_rows.order_by("-at", "-id")[:SUMMARY_CONTACTS]
    records = record_rows.order_by("-occurred_at", "-id")[:SUMMARY_RECORDS]
    summary = {
        "crn": person.crn,
        "person": {
            "forename": person.forename,
            "surname": person.surname,
            "date_of_birth": _d(person.date_of_birth),
            "gender": person.gender,
        },
        "pdu": {"code": person.pdu.code, "name": person.pdu.name, "region": person.pdu.region.code},
        "practitioner": person.practitioner.code if person.practitioner else None,
        "events": [event_bundle(e) for e in events],
        "registrations": [
            {
                "id": r.external_id,
                "type": r.type.code,
                "name": r.type.name,
                "start": _d(r.start),
                "end": _d(r.end),
                "level": r.level,
                "category": r.category,
                "next_review": _d(r.next_review),
                "notes": r.notes,
            }
            for r in registrations
        ],
        "contacts": [contact_bundle(c) for c in contacts],
        "records": [record_bundle(r) for r in records],
        "risk": risk_summary(person, as_of),
        "indicators": {s.indicator: s.as_json() for s in indicator_picture(person, instant)},
        "signals": review_signals(person, instant),
        "appointments": appointments_known(person, as_of),  # issue 14
        **transfers_and_remand_known(person, as_of),  # issue 16 (helper "transfer")
        **victim_contact_known(person, as_of, events),  # issue 16 §7 (helper "victim")
    }
    if as_of is not None:
        summary["as_of"] = _instant(as_of)
    return summary


# --- issue 16 §7 (helper "victim"): victim liaison officers' representations and the prompts they raise ------------
def victim_contact_known(person: Person, as_of: datetime | None, events: Iterable[Event]) -> dict[str, list[Any]]:
    """The representations known by `as_of` (bundle form) and the prompts they raise against the licences as known
    then (victims/rules/representations.py; docs/case-json.md). The same prompts the Sentence tab shows."""
    reps = representations_known(person, as_of)
    return {
        "victim_representations": [victim_representation_bundle(r) for r in reps],
        "victim_prompts": [p.as_json() for p in victim_prompts(person, reps, list(events))],
    }


# --- issue 16 §2, §6 (helper "transfer"): transfers and remand periods as known at an instant ------------------------
def transfers_and_remand_known(person: Person, as_of: datetime | None) -> dict[str, list[dict[str, Any]]]:
    """The case's transfers (in bundle form; one decided after `as_of` shows as pending then) and remand periods
    known by `as_of` (docs/case-json.md)."""
    transfers = Transfer.objects.filter(person=person).select_related(
        "from_pdu", "to_pdu", "from_practitioner", "to_practitioner"
    )
    remand = RemandPeriod.objects.filter(person=person)
    if as_of is not None:
        transfers = transfers.filter(requested_at__lte=as_of)
        remand = remand.filter(known_from__lte=as_of)
    shown = []
    for t in transfers.order_by("requested_at", "external_id"):
        row = transfer_bundle(t)
        if as_of is not None and t.decided_at is not None and t.decided_at > as_of:
            row |= {"status": "PENDING", "decided_at": None, "decided_by": "", "decision_reason": ""}
            row |= {"to_practitioner": None, "summary_document": None}
        shown.append(row)
    return {
        "transfers": shown,
        "remand_periods": [remand_bundle(r) for r in remand.order_by("start", "external_id")],
    }


# --- end issue 16 (helper "transfer") ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChronologyItem:
    at: datetime
    category: str  # CONTACT | RECORD | REGISTRATION
    source: str  # who or what the information came from
    kind: str
    title: str
    text: str
    by: str
    anchor: str
    marks: tuple[tuple[int, int, str], ...] = ()  # indicator findings in `text`: (start, end, indicator label)
    # The same findings as read out under the text: (words found, indicator label, why the scanner flagged them),
    # visible to every reader (a try-out: the reason was only a hover `title`, out of reach by keyboard, touch or
    # screen reader).
    findings: tuple[tuple[str, str, str], ...] = ()


def chronology(
    *, person: Person, source: str | None = None, kind: str | None = None, limit: int = 500
) -> list[ChronologyItem]:
    """One timeline, newest first, of everything on the case. Three queries, whatever the case's size."""
    items: list[ChronologyItem] = []
    if source in (None, "PROBATION") and kind in (None, "CONTACT"):
        for c in Contact.objects.filter(person=person).select_related("staff").order_by("-at")[:limit]:
            items.append(
                ChronologyItem(
                    c.at,
                    "CONTACT",
                    "PROBATION",
                    "CONTACT",
                    contact_title(c.type, c.outcome),  # the outcome in words, as the Appointments tab shows it
                    c.notes,
                    c.staff.name if c.staff else "Probation",
                    f"contact-{c.external_id}",
                )
            )
    if kind in (None, "REGISTRATION") and source in (None, "PROBATION"):
        history = (
            RegistrationHistory.objects.filter(registration__person=person)
            .select_related("registration__type")
            .order_by("-at")[:limit]
        )
        for h in history:
            items.append(
                ChronologyItem(
                    h.at,
                    "REGISTRATION",
                    "PROBATION",
                    "REGISTRATION",
                    f"Flag {h.action.lower()}: {h.registration.type.name}",
                    h.notes,
                    h.by,
                    f"flag-{h.registration.external_id}-{h.pk}",
                )
            )
    if kind not in ("CONTACT", "REGISTRATION") and source != "PROBATION":
        records = Record.objects.filter(person=person).order_by("-occurred_at")
        if source:
            records = records.filter(source=source)
        if kind:
            records = records.filter(kind=kind)
        for r in records[:limit]:
            items.append(
                ChronologyItem(
                    r.occurred_at,
                    "RECORD",
                    r.source,
                    r.kind,
                    code_words(r.kind),
                    r.text,
                    r.author,
                    f"record-{r.external_id}",
                )
            )
    items.sort(key=lambda i: i.at, reverse=True)
    items = items[:limit]
    marks: dict[str, list[tuple[int, int, str]]] = {}
    found: dict[str, list[tuple[str, str, str]]] = {}
    for e in findings_known(person):
        marks.setdefault(e.anchor, []).append((e.start, e.end, INDICATORS[e.indicator]))
        found.setdefault(e.anchor, []).append((e.text, INDICATORS[e.indicator], e.why))
    return [
        replace(i, marks=tuple(marks[i.anchor]), findings=tuple(found[i.anchor])) if i.anchor in marks else i
        for i in items
    ]


def case_detail(*, crn: str, viewer: Actor, tab: str) -> Person:
    """Fetch and audit a case page read, with what every tab's header needs in a fixed number of queries."""
    person = person_get(crn=crn, viewer=viewer, action="CASE_VIEW", details={"tab": tab})
    prefetch_related_objects(
        [person],
        Prefetch("registrations", queryset=Registration.objects.select_related("type").prefetch_related("history")),
    )
    return person
