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
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from keepsafe.actions.rules.calendar import LONDON, start_of_day
from keepsafe.actions.rules.policy import Policy
from keepsafe.actions.rules.touchpoints import touchpoint_actions
from keepsafe.actions.rules.types import ActionType, Expected
from keepsafe.actions.selectors import case_facts_many
from keepsafe.core.actor import Actor
from keepsafe.demo.generator import CHECK_NEVER_DONE, ESCALATED_DAYS, _on_time_chance, flag_replay_instants
from keepsafe.demo.written import audited
from keepsafe.people.models import Contact, Person
from keepsafe.people.rules.vocabulary import ContactType

NOTES = (
    "Discussed the case with the practitioner in supervision. Risk management plan reviewed and current.",
    "Case reviewed with the practitioner: contact levels met, no new information affecting risk.",
    "Oversight: RoSH assessment reviewed; agreed the actions in the sentence plan and the next review date.",
    "Reviewed recent contacts and partner information with the practitioner; no change to the risk level.",
    "Management oversight completed. Practitioner supported with the case; plan for the next four weeks agreed.",
)
SUPERVISION_PERIODS = 3  # routine notes over the last twelve weeks
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
    quiet: dict[int, list[Person]] = defaultdict(list)  # per practitioner, their cases needing no touch point today
    today_start = start_of_day(today)
    for as_of in [*flag_replay_instants(today)[::4], today_start]:
        for n in range(0, len(people), chunk):
            part = people[n : n + chunk]
            facts = case_facts_many(part, as_of, policy)
            notes: list[Contact] = []
            for person in part:
                expected = [e for e in touchpoint_actions(facts[person.pk], policy) if e.withdrawn is None]
                notes += _notes_for(person, expected, as_of)
                if as_of == today_start and not expected and person.practitioner_id is not None:
                    quiet[person.practitioner_id].append(person)
            made += _record(actor, notes)
    routine: list[Contact] = []
    for cases in quiet.values():
        routine += _supervision_notes(cases, today_start)
    return made + _record(actor, routine)


def _record(actor: Actor, notes: list[Contact]) -> int:
    Contact.objects.bulk_create(notes, batch_size=1000)
    return audited(
        actor, "OVERSIGHT_NOTE_ADD", ((n.person_id, n.person.crn, {"contact": n.external_id}) for n in notes)
    )


def _supervision_notes(cases: list[Person], as_of: datetime) -> list[Contact]:
    """Routine oversight beyond the touch points (the supervisor view's "last oversight note", target 28 days): in each
    of the last SUPERVISION_PERIODS four-week periods, by the PDU's and team's chance, the SPO records a note on one of
    the practitioner's cases that needs no touch point (so no touch point is answered by it). Try-out: experienced
    officers holding only low-risk cases read "far from target" because no note had ever been written on their cases."""
    holder = cases[0].practitioner
    if holder is None or holder.line_manager_id is None:
        return []
    team = holder.team.code if holder.team is not None else None
    chance = _on_time_chance(cases[0].pdu.code if cases[0].pdu is not None else "", team)
    out = []
    for k in range(SUPERVISION_PERIODS):
        rng = random.Random(f"2026:{holder.code}:supervision:{k}")
        if rng.random() >= chance:
            continue
        end = as_of - timedelta(days=28 * k)
        person = rng.choice(cases)
        at = _office_hours(end - timedelta(days=rng.uniform(2, 26)), end - timedelta(days=28), rng)
        if at >= as_of:
            continue
        out.append(
            Contact(
                person=person,
                external_id=f"OVS-DEMO-SUP-{holder.code}-{k}"[:64],
                type=ContactType.SPO_OVERSIGHT.value,
                at=at,
                staff_id=holder.line_manager_id,
                outcome=None,
                notes=rng.choice(NOTES),
            )
        )
    return out


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
        at = _office_hours(at, e.opens_at, rng)
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


def _office_hours(at: datetime, opens: datetime, rng: random.Random) -> datetime:
    """The working day's time an SPO would write the note: a weekday (the one before a weekend, unless that is before
    the touch point opened, then the one after), between 9:00 and 16:45 London time (try-out: notes at 3 a.m. and on
    Saturdays)."""
    day = at.astimezone(LONDON).date()
    step = -1
    while True:
        if day.weekday() < 5:
            moment = datetime.combine(day, time(rng.randint(9, 16), rng.choice((0, 15, 30, 45))), tzinfo=LONDON)
            if moment >= opens:
                return moment.astimezone(UTC)
            step = 1  # too early for the touch point: the next working day instead
        day += timedelta(days=step)
