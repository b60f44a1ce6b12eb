"""The demo region's management oversight history (issue 15 §3, try-out): SPO oversight notes behind the touch points.

Without them every touch point since each allocation read overdue (423 of 1,264 overdue actions in a 600-person demo)
and the SPO's oversight page could not show at a glance who needs oversight. The notes answer the touch points the
sweep's own rule (actions/rules/touchpoints.py) expects as of the demo date: by the case's SPO (the practitioner's line
manager), on time by the PDU's and team's chance (the same chance as the demo's checks and flag reviews), otherwise
late or only once escalation brought it in (generator.ESCALATED_DAYS), so the overdue and late ones that remain differ
by PDU as the assurance pages expect."""

from __future__ import annotations

import hashlib
import random
from datetime import date, datetime, timedelta

from keepsafe.actions.rules.calendar import start_of_day
from keepsafe.actions.rules.policy import Policy
from keepsafe.actions.rules.touchpoints import touchpoint_actions
from keepsafe.actions.rules.types import ActionType, Expected
from keepsafe.actions.selectors import case_facts_many
from keepsafe.actions.services.dirty import mark_dirty
from keepsafe.audit.services import AuditEntry, audit_record_many
from keepsafe.core.actor import Actor
from keepsafe.demo.generator import CHECK_NEVER_DONE, ESCALATED_DAYS, _on_time_chance, flag_replay_instants
from keepsafe.people.models import Contact, Person
from keepsafe.people.rules.vocabulary import ContactType

NOTES = (
    "Discussed the case with the practitioner in supervision. Risk management plan reviewed and current.",
    "Case reviewed with the practitioner: contact levels met, no new information affecting risk.",
    "Oversight: RoSH assessment reviewed; agreed the actions in the sentence plan and the next review date.",
    "Reviewed recent contacts and partner information with the practitioner; no change to the risk level.",
    "Management oversight completed. Practitioner supported with the case; plan for the next four weeks agreed.",
)
LATE_DAYS = 30  # a late note comes within this many days of the due date, or after escalation


def oversight_history(*, actor: Actor, today: date, chunk: int = 500) -> int:
    """Records the SPO oversight notes behind the allocated cases' touch points; returns how many. The touch points
    are those the rule expects at four-weekly instants over the replayed weeks (demo.seed.demo_flag_review_replay's
    sweeps open them then) and at the start of `today`. Deterministic (the same draw for the same case and touch
    point at every instant); a re-run adds none."""
    policy = Policy()
    people = list(
        Person.objects.filter(practitioner__isnull=False).select_related("practitioner__team", "pdu").order_by("pk")
    )
    made = 0
    for as_of in [*flag_replay_instants(today)[::4], start_of_day(today)]:
        for n in range(0, len(people), chunk):
            part = people[n : n + chunk]
            facts = case_facts_many(part, as_of, policy)
            notes: list[Contact] = []
            for person in part:
                notes += _notes_for(person, touchpoint_actions(facts[person.pk], policy), as_of)
            Contact.objects.bulk_create(notes, batch_size=1000)
            audit_record_many(
                actor=actor,
                entries=(
                    AuditEntry("OVERSIGHT_NOTE_ADD", note.person.crn, details={"contact": note.external_id})
                    for note in notes
                ),
            )
            mark_dirty({note.person_id for note in notes})
            made += len(notes)
    return made


def _notes_for(person: Person, expected: list[Expected], as_of: datetime) -> list[Contact]:
    holder = person.practitioner
    spo = holder.line_manager_id if holder is not None else None
    if holder is None or spo is None:
        return []
    team = holder.team.code if holder.team is not None else None
    chance = _on_time_chance(person.pdu.code if person.pdu is not None else "", team)
    out: list[Contact] = []
    for e in expected:
        if e.type != ActionType.OVERSIGHT_TOUCHPOINT or e.satisfied is not None or e.withdrawn is not None:
            continue
        if e.opens_at >= as_of:
            continue
        rng = random.Random(f"2026:{person.crn}:{e.key}:oversight")
        draw = rng.random()
        if draw < chance:  # on time: some point in the window (one not yet reached is simply not done yet)
            at = e.opens_at + (e.due - e.opens_at) * rng.uniform(0.1, 0.9)
        elif rng.random() < CHECK_NEVER_DONE:
            # recorded only once escalation to the head of PDU brought it in (issue 15, helper "demo15"); until then
            # the touch point stays overdue
            at = e.due + timedelta(days=rng.randint(*ESCALATED_DAYS), hours=rng.randint(0, 8))
        else:
            at = e.due + timedelta(days=rng.randint(1, LATE_DAYS), hours=rng.randint(0, 8))
        at = at.replace(second=0, microsecond=0)
        if at >= as_of:
            continue
        external_id = f"OVS-DEMO-{hashlib.sha256(e.key.encode()).hexdigest()[:16]}"
        out.append(
            Contact(
                person=person,
                external_id=external_id,
                type=ContactType.SPO_OVERSIGHT.value,
                at=at,
                staff_id=spo,
                outcome=None,
                notes=rng.choice(NOTES),
            )
        )
    return out
