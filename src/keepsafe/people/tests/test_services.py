from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from keepsafe.audit.models import AuditEvent
from keepsafe.core.errors import ValidationError
from keepsafe.people.models import Person, Registration
from keepsafe.people.services import contact_add, registration_add, registration_remove, registration_review
from keepsafe.testing.fixtures import make_bundle

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(imported):
    imported(make_bundle())
    return Person.objects.get(crn="X123456")


def test_registration_history_records_who_added_reviewed_and_removed(person, staff_actor):
    actor = staff_actor("STF0001")
    reg = registration_add(
        actor=actor,
        person=person,
        external_id="W1",
        type_code="WEAP",
        start=date(2026, 1, 10),
        notes="Known to carry a knife",
    )
    assert reg.next_review == date(2026, 4, 10)
    registration_review(actor=actor, registration=reg, reviewed_on=date(2026, 4, 1), notes="Still carrying")
    assert Registration.objects.get(pk=reg.pk).next_review == date(2026, 7, 1)
    registration_remove(
        actor=staff_actor("STF0100"),
        registration=reg,
        ended_on=date(2026, 6, 1),
        reason="Intelligence no longer current",
    )
    history = list(reg.history.order_by("id").values_list("action", "by"))
    assert history == [("ADDED", "STF0001"), ("REVIEWED", "STF0001"), ("REMOVED", "STF0100")]
    actions = set(AuditEvent.objects.filter(crn="X123456").values_list("action", flat=True))
    assert {"REGISTRATION_ADD", "REGISTRATION_REVIEW", "REGISTRATION_REMOVE"} <= actions


def test_registration_rules_are_enforced(person, staff_actor):
    actor = staff_actor("STF0001")
    with pytest.raises(ValidationError) as caught:
        registration_add(actor=actor, person=person, external_id="M", type_code="MAPP", start=date(2026, 1, 1))
    assert {p for p, _ in caught.value.problems} == {"level", "category"}
    reg = Registration.objects.get(external_id="REG1")
    with pytest.raises(ValidationError):
        registration_review(actor=actor, registration=reg, reviewed_on=date(2026, 1, 1), notes="  ")
    with pytest.raises(ValidationError):
        registration_remove(actor=actor, registration=reg, ended_on=date(2026, 1, 1), reason="")


def test_contacts_need_known_types_and_aware_times(person, staff_actor):
    actor = staff_actor("STF0001")
    contact_add(
        actor=actor,
        person=person,
        external_id="C9",
        type="HOME_VISIT",
        at=datetime(2026, 11, 1, 10, tzinfo=UTC),
        outcome="ATTENDED",
    )
    with pytest.raises(ValidationError) as caught:
        contact_add(
            actor=actor,
            person=person,
            external_id="C10",
            type="VISIT",
            at=datetime(2026, 11, 1, 10),  # noqa: DTZ001
            outcome="MAYBE",
        )
    assert {p for p, _ in caught.value.problems} == {"type", "outcome", "at"}
