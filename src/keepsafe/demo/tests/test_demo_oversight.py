"""Issue 15 (try-out): the demo region's SPOs have an oversight history. Touch points are answered by SPO oversight
notes from the case's SPO — mostly on time, some late, some never, more often in the PDU the demo makes struggle —
so an SPO sees at a glance the few cases that need oversight, not every touch point since each allocation. The replayed
weeks' reminders are history (sent and read then), not an inbox of tens of thousands."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

import pytest
import time_machine

from keepsafe.actions.models import Action, Notification
from keepsafe.actions.rules.calendar import LONDON, start_of_day
from keepsafe.actions.services.sweep import sweep_everything
from keepsafe.core.actor import Actor
from keepsafe.demo.generator import ON_TIME_BY_PDU
from keepsafe.demo.seed import seed
from keepsafe.people.models import Contact, Person
from keepsafe.people.rules.vocabulary import ContactType

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def test_the_demo_touch_points_are_mostly_answered_by_the_cases_spo_and_the_replay_is_history():
    with time_machine.travel(datetime(2026, 11, 23, 12, tzinfo=UTC), tick=False):
        seed(actor=Actor.system(), today=TODAY, people=400, chunk=200)
        sweep_everything(as_of=None)
        now = datetime(2026, 11, 23, 12, tzinfo=UTC)

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

        # Seeding again changes nothing: no second set of notes.
        seed(actor=Actor.system(), today=TODAY, people=400, chunk=200)
        assert Contact.objects.filter(type=ContactType.SPO_OVERSIGHT).count() == len(notes)
