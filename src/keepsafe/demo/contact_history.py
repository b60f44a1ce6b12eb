"""The demo region's contacts behind its contact levels and home visits (issue 15, helper "demo15").

The generated contacts follow a fixed rhythm from the start of supervision (every one to four weeks, at most forty), so
a long sentence's recent periods had none and a high RoSH case's fortnightly rhythm fell short of its level: 162 of 359
open CONTACT_LEVEL and 90 of 199 HOME_VISIT actions were overdue in a 600-person demo. The level a case must meet
depends on its tier, which Keepsafe works out after the import, so, as demo/oversight.py does for the touch points,
the contacts are recorded after the import: the sweep's own rule (actions/rules/contact_levels.py) says which periods
fall short as of each replayed instant, and the case's practitioner books the missing contacts across the period: each
kept on its day with the PDU's and team's chance, otherwise rebooked a week or two later (in the period, or too late
for it) or, for CHECK_NEVER_DONE of those, not at all, so the shortfalls that remain differ by PDU as the assurance
pages expect."""

from __future__ import annotations

import hashlib
import random
from datetime import date, datetime, time, timedelta

from keepsafe.actions.rules.calendar import local_date, start_of_day
from keepsafe.actions.rules.contact_levels import contact_level_actions
from keepsafe.actions.rules.policy import Policy
from keepsafe.actions.rules.types import ActionType, Expected
from keepsafe.actions.selectors import case_facts_many
from keepsafe.core.actor import Actor
from keepsafe.demo.generator import CHECK_NEVER_DONE, _on_time_chance, flag_replay_instants
from keepsafe.demo.written import audited
from keepsafe.people.models import Contact, Person
from keepsafe.people.rules.vocabulary import ContactOutcome, ContactType

NOTES = {
    ActionType.CONTACT_LEVEL: (
        "Reported as instructed. Discussed work on the sentence plan; no change in circumstances.",
        "Attended on time; next appointment confirmed.",
        "Seen at the office. Engaging well; work and address unchanged.",
    ),
    ActionType.HOME_VISIT: (
        "Home visit: address as recorded, living arrangements unchanged, nothing of concern seen.",
        "Home visit completed; accommodation suitable and stable.",
    ),
}
CONTACT_TYPE = {ActionType.CONTACT_LEVEL: ContactType.OFFICE_VISIT, ActionType.HOME_VISIT: ContactType.HOME_VISIT}
REBOOKED_DAYS = (7, 14)  # a contact not kept on its day is rebooked this many days later (or, some, never)


def contact_history(*, actor: Actor, today: date, chunk: int = 500) -> int:
    """Records the contacts behind the allocated cases' contact levels and home visits; returns how many. The periods
    are those the rule sees at four-weekly instants over the replayed weeks (demo.seed.demo_flag_review_replay's
    sweeps open them then) and at the start of `today`: each period is current or the one before at one of them.
    Deterministic (the same draw for the same case and period at every instant); a re-run adds none."""
    policy = Policy()
    people = list(
        Person.objects.filter(practitioner__isnull=False).select_related("practitioner__team", "pdu").order_by("pk")
    )
    made_ids: set[tuple[int, str]] = set(
        Contact.objects.filter(external_id__startswith="CLV-DEMO-").values_list("person_id", "external_id")
    )
    made = 0
    for as_of in [*flag_replay_instants(today)[::4], start_of_day(today)]:
        for n in range(0, len(people), chunk):
            part = people[n : n + chunk]
            facts = case_facts_many(part, as_of, policy)
            contacts: list[Contact] = []
            for person in part:
                expected = contact_level_actions(facts[person.pk], policy)
                for contact in _contacts_for(person, expected, as_of, made_ids):
                    made_ids.add((person.pk, contact.external_id))
                    contacts.append(contact)
            Contact.objects.bulk_create(contacts, batch_size=1000)
            made += audited(
                actor, "CONTACT_ADD", ((c.person_id, c.person.crn, {"contact": c.external_id}) for c in contacts)
            )
    return made


def _contacts_for(
    person: Person, expected: list[Expected], as_of: datetime, made_ids: set[tuple[int, str]]
) -> list[Contact]:
    """The contacts, not already made (`made_ids`: (person, external id)), that answer the periods falling short."""
    holder = person.practitioner
    if holder is None:
        return []
    team = holder.team.code if holder.team is not None else None
    chance = _on_time_chance(person.pdu.code if person.pdu is not None else "", team)
    out: list[Contact] = []
    for e in expected:
        if e.type not in CONTACT_TYPE or e.satisfied is not None or e.withdrawn is not None or e.opens_at >= as_of:
            continue
        required = int(e.detail["required"])
        missing = required - int(e.detail["made"])
        # The same draws in the same order for the period at every instant, whatever has been made by then.
        rng = random.Random(f"2026:{person.crn}:{e.key}:contacts")
        days = max(1, (e.due - e.opens_at).days)
        slots = []
        for slot in range(required):  # one in each of `required` equal parts of the period
            offset = int(days * (slot + rng.uniform(0.1, 0.9)) / required)
            day = local_date(e.opens_at) + timedelta(days=min(days - 1, offset))
            missed, lost = rng.random() >= chance, rng.random() < CHECK_NEVER_DONE
            hour, minute, notes = rng.choice([9, 10, 11, 14, 15]), rng.choice([0, 30]), rng.choice(NOTES[e.type])
            if missed and lost:
                continue  # not kept and never rebooked: the period may fall short
            if missed:  # not kept on the day, rebooked a week or two later: in the period, or too late for it
                day += timedelta(days=rng.randint(REBOOKED_DAYS[0], REBOOKED_DAYS[1]))
            slots.append((slot, datetime.combine(day, time(hour, minute), tzinfo=e.due.tzinfo), notes))
        for slot, at, notes in slots:
            if missing <= 0:
                break
            digest = hashlib.sha256(f"{e.key}:{slot}".encode()).hexdigest()[:16]
            if (person.pk, f"CLV-DEMO-{digest}") in made_ids:
                continue  # made at an earlier instant (and counted in the period's `made`)
            if at >= as_of:
                continue  # not yet made (a later instant records it)
            out.append(
                Contact(
                    person=person,
                    external_id=f"CLV-DEMO-{digest}",
                    type=CONTACT_TYPE[e.type].value,
                    at=at,
                    staff_id=holder.pk,
                    outcome=ContactOutcome.ATTENDED.value,
                    notes=notes,
                )
            )
            missing -= 1
    return out
