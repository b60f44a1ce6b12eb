"""The incremental sweep's marks (issue 20 §2): a write that can change a case's facts marks the case dirty in its own
transaction; a reconcile records what it saw and when the case next needs a visit (actions.models.CaseSweep)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from keepsafe.actions.models import CaseSweep
from keepsafe.core.chunkrows import chunk_rows

TABLE = CaseSweep._meta.db_table


def mark_dirty(person_ids: Iterable[int]) -> None:
    """Bump each case's mark (a row is made if there is none), in the caller's transaction. An upsert, so a reconcile
    writing the same row at the same time cannot swallow the mark (it never writes `marks`)."""
    ids = sorted({int(i) for i in person_ids})
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {TABLE} (person_id, marks, seen_marks, next_due_at) VALUES (%s, 1, 0, NULL) "  # noqa: S608
            f"ON CONFLICT (person_id) DO UPDATE SET marks = {TABLE}.marks + 1",
            [(i,) for i in ids],
        )


def marks_of(person_ids: Iterable[int]) -> dict[int, int]:
    """Each case's mark as it stands (0: no row yet), read before a reconcile reads the facts."""
    return dict(chunk_rows(_marks_query, person_ids))


def _marks_query(ids: Any) -> QuerySet[Any, Any]:
    return CaseSweep.objects.filter(person_id__in=ids).values_list("person_id", "marks")


def record_seen(seen: dict[int, tuple[int, datetime]]) -> None:
    """After a reconcile, in its transaction: person id → (the mark it read, the case's next change instant)."""
    if not seen:
        return
    ops = connection.ops
    rows = [(pk, marks, marks, ops.adapt_datetimefield_value(due)) for pk, (marks, due) in sorted(seen.items())]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {TABLE} (person_id, marks, seen_marks, next_due_at) VALUES (%s, %s, %s, %s) "  # noqa: S608
            "ON CONFLICT (person_id) DO UPDATE SET seen_marks = excluded.seen_marks, "
            "next_due_at = excluded.next_due_at",
            rows,
        )
