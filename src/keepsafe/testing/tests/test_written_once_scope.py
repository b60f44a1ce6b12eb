"""testing.fixtures.written_once as a module-scoped fixture (docs/testing.md, "Data written once"): each test sees the
data, its own writes are gone before the next test, and the notifications it adds are checked."""

from __future__ import annotations

import pytest

from keepsafe.bundles.importer import bundle_import
from keepsafe.people.models import Person
from keepsafe.testing.fixtures import (
    CHECKED_UP_TO,
    SYSTEM,
    hidden_case_mentions,
    make_bundle,
    make_person,
    raw,
    written_once,
)
from keepsafe.testing.tests.test_written_once import _tell, _two_people


@pytest.fixture(scope="module")
def people(django_db_setup, django_db_blocker):
    yield from written_once(django_db_blocker, _two_people)


@pytest.mark.django_db
def test_a_test_in_the_scope_sees_the_data_and_writes_its_own(people):
    assert Person.objects.count() == people == 2
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(make_person("X000009"))))
    assert Person.objects.count() == 3


@pytest.mark.django_db
def test_the_next_test_does_not_see_what_the_last_one_wrote(people):
    assert Person.objects.count() == 2


@pytest.mark.django_db
def test_a_test_in_the_scope_has_its_own_notifications_checked(people):
    bundle_import(actor=SYSTEM, raw=raw(make_bundle(make_person("X000004", excluded=["STF0100"]))))
    note = _tell("STF0100", "X000004")
    assert CHECKED_UP_TO["notification"] < note.pk
    assert hidden_case_mentions(after=CHECKED_UP_TO["notification"])  # what the check after this test would find
    assert hidden_case_mentions(after=note.pk) == []
    note.delete()
