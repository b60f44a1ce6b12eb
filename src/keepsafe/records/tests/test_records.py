from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection

from keepsafe.core.errors import ValidationError
from keepsafe.people.models import Person
from keepsafe.records.models import Record
from keepsafe.records.services import record_add
from keepsafe.testing.fixtures import SYSTEM, make_bundle

pytestmark = pytest.mark.django_db

AT = datetime(2026, 10, 1, 9, tzinfo=UTC)


@pytest.fixture
def person(imported):
    imported(make_bundle())
    return Person.objects.get(crn="X123456")


def add(person, **changes):
    fields = {
        "external_id": "POL-1",
        "source": "POLICE",
        "kind": "CALL_OUT",
        "occurred_at": AT,
        "received_at": AT,
        "author": "Police",
        "text": "Called to a domestic argument.",
    }
    fields.update(changes)
    return record_add(actor=SYSTEM, person=person, **fields)


def test_same_record_twice_is_accepted_once(person):
    _, created = add(person)
    _, again = add(person)
    assert (created, again) == (True, False)
    assert Record.objects.filter(external_id="POL-1").count() == 1


def test_same_id_different_content_is_a_conflict_and_the_stored_record_is_kept(person):
    add(person)
    with pytest.raises(ValidationError, match="cannot be changed"):
        add(person, text="Something else")
    assert Record.objects.get(external_id="POL-1").text == "Called to a domestic argument."


def test_records_cannot_be_saved_twice_through_the_orm(person):
    record, _ = add(person)
    record.text = "edited"
    with pytest.raises(RuntimeError, match="immutable"):
        record.save()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the immutability trigger is PostgreSQL's")
def test_postgres_trigger_rejects_updates_to_records(person):
    from django.db import transaction
    from django.db.utils import DatabaseError

    add(person)
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        Record.objects.filter(external_id="POL-1").update(text="tampered")


def test_bad_records_are_rejected_with_reasons(person):
    with pytest.raises(ValidationError) as caught:
        add(person, source="GOSSIP", kind="call out", occurred_at=datetime(2026, 1, 1), text=" ")  # noqa: DTZ001
    assert {p for p, _ in caught.value.problems} == {"source", "kind", "occurred_at", "text"}
