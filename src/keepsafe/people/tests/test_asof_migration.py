"""The 0004_asof_backfill migration gives data stored before versions existed the versions an import would write."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from keepsafe.cases.selectors import case_summary
from keepsafe.people.models import RegistrationHistory
from keepsafe.testing.fixtures import SYSTEM
from keepsafe.workforce.models import Pdu, Region, Staff

BEFORE = [("people", "0003_asof_versions")]
AFTER = [("people", "0005_asof_known_required")]
STORED = datetime(2026, 11, 1, 9, tzinfo=UTC)  # when the rows were written, long after the dates they carry


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_backfill_makes_stored_cases_readable_as_of_the_past():
    pdu = Pdu.objects.create(code="GMR-MN", name="Manchester North", region=Region.objects.create(code="GMR", name="G"))
    com = Staff.objects.create(code="STF0001", forename="Ada", surname="Jones", grade="PO")
    apps = _migrate(BEFORE)
    Person = apps.get_model("people", "Person")
    person = Person.objects.create(
        crn="X123456",
        forename="J",
        surname="S",
        date_of_birth=date(1990, 1, 1),
        gender="MALE",
        pdu_id=pdu.pk,
        practitioner_id=com.pk,
    )
    Person.objects.filter(pk=person.pk).update(created_at=STORED)
    event = apps.get_model("people", "Event").objects.create(
        person=person,
        external_id="1",
        offence="Assault",
        offence_category="violence",
        sentence_type="COMMUNITY_ORDER",
        sentence_date=date(2021, 5, 1),
        terminated=date(2023, 1, 1),
    )
    apps.get_model("people", "Requirement").objects.create(
        event=event, external_id="R1", type="UNPAID_WORK", start=date(2021, 6, 1)
    )
    reg_type = apps.get_model("people", "RegistrationType").objects.get(code="MAPP")
    flag = apps.get_model("people", "Registration").objects.create(
        person=person, external_id="F1", type=reg_type, start=date(2021, 2, 1), level="M2", category="M1"
    )
    apps.get_model("people", "RegistrationHistory").objects.create(
        registration=flag, action="ADDED", at=STORED, by="system", notes="Imported from a case bundle"
    )
    unrecorded = apps.get_model("people", "Registration").objects.create(
        person=person, external_id="F2", type=reg_type, start=date(2021, 3, 1), level="M1", category="M1"
    )

    _migrate(AFTER)
    # The summary is today's code: it reads tables later migrations add (issue 14: appointments), so finish migrating.
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    def known(day: str):
        return case_summary(crn="X123456", viewer=SYSTEM, as_of=datetime.fromisoformat(day + "T12:00:00+00:00"))

    early = known("2021-04-01")
    assert early["practitioner"] is None  # before the sentence, nothing was known
    assert early["events"] == []
    assert {r["id"] for r in early["registrations"]} == {"F1", "F2"}  # a bundle flag from its start
    sentenced = known("2021-05-15")
    assert sentenced["practitioner"] == "STF0001"
    assert sentenced["events"][0]["requirements"][0]["start"] is None
    assert sentenced["events"][0]["terminated"] is None
    later = known("2023-02-01")
    assert later["events"][0]["requirements"][0]["start"] == "2021-06-01"
    assert later["events"][0]["terminated"] == "2023-01-01"
    assert RegistrationHistory.objects.get(registration_id=unrecorded.pk).by == "migration"
