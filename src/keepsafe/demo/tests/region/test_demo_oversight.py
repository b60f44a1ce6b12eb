"""Issue 15 (try-out): the demo region's SPOs have an oversight history. Touch points are answered by SPO oversight
notes from the case's SPO — mostly on time, some late, some never, more often in the PDU the demo makes struggle —
so an SPO sees at a glance the few cases that need oversight, not every touch point since each allocation. The replayed
weeks' reminders are history (sent and read then), not an inbox of tens of thousands. The work behind the other
action types (contacts, flag reviews, requirement starts, release plans, terminations, enforcement decisions) is
recorded the same way (helper "demo15"), so a realistic minority of open actions is overdue, more in the weaker PDU."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

import pytest
import time_machine

from keepsafe.actions.models import Action, Notification
from keepsafe.actions.rules.calendar import LONDON, start_of_day
from keepsafe.demo.generator import ON_TIME_BY_PDU
from keepsafe.people.models import Contact, Person
from keepsafe.people.rules.vocabulary import ContactType
from keepsafe.records.rules.scanner import scan

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def test_the_demo_touch_points_are_mostly_answered_by_the_cases_spo_and_the_replay_is_history(demo_region):
    now = demo_region.now  # seeded and swept then
    with time_machine.travel(now, tick=False):
        notes = list(Contact.objects.filter(type=ContactType.SPO_OVERSIGHT).select_related("person__practitioner"))
        assert notes, "the demo SPOs have recorded oversight notes"
        for note in notes:
            assert note.at < start_of_day(TODAY), note.external_id
            local = note.at.astimezone(LONDON)  # written in office hours on a working day (try-out: 3 a.m., Saturdays)
            assert local.weekday() < 5, note.external_id
            assert 9 <= local.hour < 17, note.external_id
            # By the case's SPO: its practitioner's line manager (the allocation journey's own notes are the SPO's too).
            assert note.staff_id == note.person.practitioner.line_manager_id, note.external_id

        # Routine oversight beyond the touch points: most practitioners had a note on one of their cases in the last
        # six weeks (the supervisor view's "last oversight note"), not only those holding high-risk cases.
        holders = set(Person.objects.filter(practitioner__isnull=False).values_list("practitioner_id", flat=True))
        recent = {n.person.practitioner_id for n in notes if (start_of_day(TODAY) - n.at).days <= 42}
        assert len(recent & holders) / len(holders) > 0.6, (len(recent & holders), len(holders))

        touch = Action.objects.filter(type="OVERSIGHT_TOUCHPOINT")
        done = touch.filter(status="DONE")
        assert done.exists()
        closed_late = [a for a in done if a.closed_at > a.due]
        assert closed_late, "some touch points were answered late"
        overdue = touch.filter(status="OPEN", due__lt=now)
        assert overdue.exists(), "some touch points still need oversight"
        answered = done.count() / (done.count() + overdue.count())
        assert answered > 0.6, (done.count(), overdue.count())

        # The struggling PDU has more of its touch points overdue, per case, than the best one.
        per_case = Counter(overdue.values_list("person__pdu__code", flat=True))
        cases = Counter(Person.objects.filter(practitioner__isnull=False).values_list("pdu__code", flat=True))
        worst = min(ON_TIME_BY_PDU, key=ON_TIME_BY_PDU.__getitem__)
        best = max(ON_TIME_BY_PDU, key=ON_TIME_BY_PDU.__getitem__)
        assert per_case[worst] / cases[worst] > per_case[best] / cases[best], (per_case, cases)

        # The replayed weeks' reminders went out and were read then; what is unread is today's.
        history = Notification.objects.filter(created_at__lt=start_of_day(TODAY))
        assert history.exists()
        assert not history.filter(read_at__isnull=True).exists()
        assert not history.filter(sent_at__isnull=True).exists()

        # Issue 15 (helper "demo15"): the work behind every action type is recorded, so a minority is overdue.
        _a_realistic_minority_is_overdue(now)
        # Seeding again changes nothing: test_demo.test_seeding_again_changes_nothing.


# Types whose open actions are mostly overdue by their nature: open and not yet due only for days (enforcement: two
# working days after the failure; a risk review: five working days after the information), while one left undone stays
# open, overdue and escalating, until the work is done; so a handful undone outnumber the few in their window.
MOSTLY_OVERDUE_BY_NATURE = {"ENFORCEMENT_DECISION", "RISK_REVIEW", "DOMESTIC_ABUSE_CHECK", "SAFEGUARDING_CHECK"}
# Of all open actions (issue 15: an SPO sees at a glance who needs oversight; 47 % before the demo recorded the work).
# Measured 20.2 % at 400 people once the overridden assessments were dated over the past months rather than on the
# seeding day (they no longer stand in for this week's risk work), 20.6 % at 600: the bound guards against the demo
# sliding back, not a precise target.
OVERDUE_AT_MOST = 0.22


def _a_realistic_minority_is_overdue(now: datetime) -> None:
    open_ = Action.objects.filter(status="OPEN")
    overdue = open_.filter(due__lt=now)
    assert overdue.count() <= OVERDUE_AT_MOST * open_.count(), (overdue.count(), open_.count())
    by_type = Counter(open_.values_list("type", flat=True))
    overdue_by_type = Counter(overdue.values_list("type", flat=True))
    for kind, count in by_type.items():
        if kind not in MOSTLY_OVERDUE_BY_NATURE and count >= 10:  # a share of a handful says nothing
            assert overdue_by_type[kind] <= count / 2, (kind, overdue_by_type[kind], count)
    # The contacts, flag reviews and other work answer most of what the rules ask (before: about half overdue each).
    for kind in ("CONTACT_LEVEL", "HOME_VISIT", "TERMINATION", "REQUIREMENT_START", "RELEASE_PLAN"):
        assert overdue_by_type[kind] <= max(3, by_type[kind] / 3), (kind, overdue_by_type[kind], by_type[kind])
    # The struggling PDU has a larger share of its open actions overdue than the best one.
    open_by_pdu = Counter(open_.values_list("person__pdu__code", flat=True))
    overdue_by_pdu = Counter(overdue.values_list("person__pdu__code", flat=True))
    worst = min(ON_TIME_BY_PDU, key=ON_TIME_BY_PDU.__getitem__)
    best = max(ON_TIME_BY_PDU, key=ON_TIME_BY_PDU.__getitem__)
    assert overdue_by_pdu[worst] / open_by_pdu[worst] > overdue_by_pdu[best] / open_by_pdu[best], (
        overdue_by_pdu,
        open_by_pdu,
    )
    # The contacts behind the contact levels are the case's practitioner's, before today, attended.
    made = Contact.objects.filter(external_id__startswith="CLV-DEMO-").select_related("person")
    assert made.exists()
    for contact in made:
        assert contact.at < start_of_day(TODAY), contact.external_id
        assert contact.outcome == "ATTENDED", contact.external_id
        assert contact.staff_id == contact.person.practitioner_id, contact.external_id
    for notes in {contact.notes for contact in made}:
        assert not scan(notes), notes  # nothing in them for the indicator scan to find (they are not scanned)
