"""core/chunkrows.py: a chunk query compiled once gives, for every chunk, exactly the rows its queryset gives."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from keepsafe.core import chunkrows
from keepsafe.core.chunkrows import chunk_rows
from keepsafe.people.models import Person
from keepsafe.testing.fixtures import make_bundle, make_person
from keepsafe.workforce.models import Staff

pytestmark = pytest.mark.django_db


def _people(ids: Any, since: datetime) -> QuerySet[Any, Any]:
    return (
        Person.objects.filter(pk__in=ids, created_at__gte=since)
        .order_by("-crn")
        .values_list("pk", "crn", "created_at", "date_of_birth", "pdu__region__code")
    )


def _staff(ids: Any) -> QuerySet[Any, Any]:
    return Staff.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "contracted_hours", "qualified_on")


def test_each_chunk_gets_the_rows_its_queryset_gives_from_one_compiled_query(imported, monkeypatch):
    imported(make_bundle(*(make_person(f"X00000{n}") for n in range(1, 5))))
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    staff = list(Staff.objects.order_by("pk").values_list("pk", flat=True))
    assert len(ids) == 4
    since = datetime(2000, 1, 1, tzinfo=UTC)
    compiled = []
    real = chunkrows._compile
    monkeypatch.setattr(chunkrows, "_compiled", {})
    monkeypatch.setattr(chunkrows, "_compile", lambda *a: compiled.append(a) or real(*a))
    for chunk, some_staff in ((ids[:1], staff[:1]), (ids[1:3], staff[1:]), (ids[2:], staff[::2]), (ids, []), ([], [])):
        with CaptureQueriesContext(connection) as queries:
            rows = chunk_rows(_people, chunk, since)
        assert len(queries.captured_queries) == 1
        assert rows == list(_people(chunk, since))  # converted alike: aware datetimes, dates
        assert len(rows) == len(chunk)
        assert all(isinstance(at, datetime) and at.tzinfo is not None for _, _, at, _, _ in rows)
        assert chunk_rows(_staff, some_staff) == list(_staff(some_staff))  # decimals, dates
    assert len(chunkrows._compiled) == 2  # one SQL per query and constants, whatever the chunk
    later = datetime(2100, 1, 1, tzinfo=UTC)
    assert chunk_rows(_people, ids, later) == []  # another constant: compiled again, not the first SQL reused
    assert len(chunkrows._compiled) == 3


def test_a_builder_that_closes_over_a_value_is_refused():
    code = "X"

    def closing(ids: Any) -> QuerySet[Any, Any]:
        return Staff.objects.filter(pk__in=ids, code=code).values_list("pk")  # `code` baked in

    with pytest.raises(TypeError, match="closes over a value"):
        chunk_rows(closing, [1])


def test_a_query_that_does_not_read_the_chunk_or_gives_models_is_refused():
    with pytest.raises(TypeError, match="does not read the chunk"):
        chunk_rows(_no_ids, [1])
    with pytest.raises(TypeError, match="values_list"):
        chunk_rows(_models, [1])


def _no_ids(ids: Any) -> QuerySet[Any, Any]:
    return Staff.objects.values_list("pk")


def _models(ids: Any) -> QuerySet[Any, Any]:
    return Staff.objects.filter(pk__in=ids)


def test_sqlite_datetimes_are_made_aware_inline_with_the_values_django_gives(imported, monkeypatch):
    """A full sweep converts some 80,000 datetimes: SQLite's converter is not called per value, the rows are equal."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's datetime converter")
    imported(make_bundle(*(make_person(f"X00000{n}") for n in range(1, 4))))
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    since = datetime(2000, 1, 1, tzinfo=UTC)
    ops = type(connection.ops)
    real = ops.convert_datetimefield_value
    calls = []

    def counted(self, value, expression, conn):
        calls.append(value)
        return real(self, value, expression, conn)

    monkeypatch.setattr(ops, "convert_datetimefield_value", counted)
    monkeypatch.setattr(chunkrows, "_compiled", {})
    rows = chunk_rows(_people, ids, since)
    assert calls == []
    assert rows == list(_people(ids, since))  # the queryset through the converter: the same aware instants
    assert len(calls) == len(ids)
    assert all(at.tzinfo is UTC for _, _, at, _, _ in rows)
