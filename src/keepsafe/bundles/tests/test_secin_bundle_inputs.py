"""Issue 11 for case bundles: every date and instant in range, and every way a file can fail named by place."""

from __future__ import annotations

import json

import pytest

from keepsafe.bundles.importer import bundle_import
from keepsafe.core.errors import ValidationError
from keepsafe.people.models import Person
from keepsafe.testing.fixtures import SYSTEM, make_bundle, make_person, raw

pytestmark = pytest.mark.django_db


def problems_of(data: bytes | str) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        bundle_import(actor=SYSTEM, raw=data)
    return caught.value.problems


def test_out_of_range_instants_and_dates_are_field_errors_with_their_paths():
    person = make_person()
    person["records"][0]["occurred_at"] = "9999-12-31T23:59:59-14:00"
    person["records"][0]["received_at"] = "0001-01-01T00:00:00+14:00"
    person["contacts"][0]["at"] = "2999-01-01T10:00:00Z"
    person["date_of_birth"] = "1850-01-01"
    person["events"][0]["dates"]["licence_expiry"] = "9999-12-31"
    problems = dict(problems_of(raw(make_bundle(person))))
    assert "in the future" in problems["people[0].records[0].occurred_at"]
    assert "before 1900-01-01" in problems["people[0].records[0].received_at"]
    assert "more than 100 years ahead" in problems["people[0].contacts[0].at"]
    assert "before 1900-01-01" in problems["people[0].date_of_birth"]
    assert "more than 100 years ahead" in problems["people[0].events[0].dates.licence_expiry"]
    assert not Person.objects.exists()


def test_a_release_date_ahead_is_fine_but_a_record_received_next_week_is_not():
    person = make_person()
    person["events"][0]["dates"]["licence_expiry"] = "2060-01-01"
    person["records"][0]["received_at"] = "2099-01-01T00:00:00Z"
    assert [p for p, _ in problems_of(raw(make_bundle(person)))] == ["people[0].records[0].received_at"]


def test_invalid_utf8_is_reported_by_line_and_column():
    data = raw(make_bundle()).encode()
    broken = data.replace(b'"forename": "', b'"forename": "\xff', 1)
    [(where, reason)] = problems_of(broken)
    line = broken[: broken.index(b"\xff")].count(b"\n") + 1
    assert where.startswith(f"line {line} column ")
    assert reason == "not valid UTF-8 (byte 0xFF); save the bundle as UTF-8"


@pytest.mark.parametrize("depth", [40, 5000, 100_000])
def test_deeply_nested_json_is_a_message_not_a_traceback(depth):
    prefix = '{"format": "keepsafe-bundle/1", "people": '
    data = prefix + "[" * depth + "]" * depth + "}"
    [(where, reason)] = problems_of(data)
    assert where == f"line 1 column {len(prefix) + 32}"  # the bracket that opens the 33rd level
    assert reason == "nested more than 32 levels deep; not a case bundle"


def test_an_unpaired_surrogate_is_refused_with_its_path():
    data = raw(make_bundle()).replace('"forename": "', '"forename": "\\ud800', 1)
    assert problems_of(data) == [
        ("staff[0].forename", "contains an unpaired surrogate (\\ud800-\\udfff), not valid Unicode")
    ]


def test_an_import_that_loses_a_race_gets_a_clear_message(monkeypatch):
    from django.db import IntegrityError

    from keepsafe.bundles import importer

    def collide(**kwargs):
        raise IntegrityError('duplicate key value violates unique constraint "record_unique_id"')

    monkeypatch.setattr(importer, "bundle_write", collide)
    [(where, reason)] = problems_of(raw(make_bundle()))
    assert where == "(bundle)"
    assert reason.startswith("another import stored some of the same records while this one ran")
    assert "IntegrityError" not in reason


def test_bundle_json_round_trip_still_parses():
    data = json.loads(raw(make_bundle()))
    assert data["format"] == "keepsafe-bundle/1"
