"""testing.fixtures.written_once (docs/testing.md, "Data written once"): data written once for many tests is rolled
back after them, each test's own writes are gone before the next, and its notifications are held to the visibility
rule once, when written, and a test's own after that."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from keepsafe.actions.models import Notification
from keepsafe.bundles.importer import bundle_import
from keepsafe.people.models import Person
from keepsafe.testing.fixtures import (
    CHECKED_UP_TO,
    SYSTEM,
    make_bundle,
    make_person,
    raw,
    written_once,
)
from keepsafe.workforce.models import Staff

AT = datetime(2026, 11, 23, 12, tzinfo=UTC)


def _two_people() -> int:
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(make_person("X000001"), make_person("X000002"))))
    return Person.objects.count()


def _tell(staff: str, crn: str) -> Notification:
    return Notification.objects.create(
        recipient=Staff.objects.get(code=staff),
        kind="REMINDER",
        subject=f"Overdue safety action ({crn})",
        body=f"Case: {crn}",
        created_at=AT,
    )


@pytest.mark.django_db
def test_what_was_written_once_is_rolled_back_after_the_scope(django_db_setup, django_db_blocker):
    scope = written_once(django_db_blocker, _two_people)
    assert next(scope) == 2
    with django_db_blocker.unblock():
        assert Person.objects.count() == 2
    scope.close()  # the scope's last test done
    with django_db_blocker.unblock():
        assert Person.objects.count() == 0
    assert CHECKED_UP_TO["notification"] == 0  # as before the scope


@pytest.mark.django_db
def test_data_naming_a_hidden_case_to_its_recipient_is_refused_when_written(django_db_setup, django_db_blocker):
    def leaky() -> None:
        bundle_import(actor=SYSTEM, raw=raw(make_bundle(make_person("X000003", excluded=["STF0100"]))))
        _tell("STF0100", "X000003")

    with pytest.raises(AssertionError, match="told of a case they may not see"):
        next(written_once(django_db_blocker, leaky))
    with django_db_blocker.unblock():
        assert not Person.objects.exists()  # rolled back
        assert not Notification.objects.exists()
