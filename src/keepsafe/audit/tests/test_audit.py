"""The audit trail records reads and writes, and cannot be altered."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from keepsafe.audit.models import AuditEvent
from keepsafe.audit.selectors import audit_search
from keepsafe.audit.services import audit_record
from keepsafe.cases.selectors import case_summary
from keepsafe.core.actor import Actor, Role
from keepsafe.core.errors import PermissionDeniedError
from keepsafe.testing.fixtures import SYSTEM, make_bundle

pytestmark = pytest.mark.django_db


def test_reads_and_writes_are_recorded_with_who_what_and_which_crn(imported, staff_actor):
    imported(make_bundle())
    actor = staff_actor("STF0001")
    case_summary(crn="X123456", viewer=actor)
    write = AuditEvent.objects.get(action="CASE_IMPORT_CREATE")
    read = AuditEvent.objects.get(action="CASE_SUMMARY")
    assert (write.crn, write.actor, write.channel) == ("X123456", "system", "CLI")
    assert (read.crn, read.actor, read.actor_staff_code, read.outcome) == ("X123456", "stf0001", "STF0001", "OK")


def test_the_application_cannot_alter_or_delete_an_event():
    event = audit_record(actor=SYSTEM, action="TEST")
    event.action = "CHANGED"
    with pytest.raises(RuntimeError, match="append-only"):
        event.save()
    with pytest.raises(RuntimeError, match="append-only"):
        event.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's")
def test_postgres_rejects_update_and_delete_even_in_bulk():
    audit_record(actor=SYSTEM, action="TEST", crn="X123456")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().update(action="TAMPERED")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET crn = NULL")
    assert AuditEvent.objects.get().action == "TEST"


def test_auditors_search_by_crn_staff_and_date(imported, staff_actor):
    imported(make_bundle())
    case_summary(crn="X123456", viewer=staff_actor("STF0001"))
    auditor = Actor(username="auditor", role=Role.AUDITOR)
    assert {e.action for e in audit_search(viewer=auditor, crn="x123456")} >= {"CASE_IMPORT_CREATE", "CASE_SUMMARY"}
    assert [e.action for e in audit_search(viewer=auditor, actor="STF0001")] == ["CASE_SUMMARY"]
    assert list(audit_search(viewer=auditor, date_to=date(2000, 1, 1))) == []
    with pytest.raises(PermissionDeniedError):
        audit_search(viewer=staff_actor("STF0001"), crn="X123456")
