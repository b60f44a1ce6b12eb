"""Signals between layers. A lower layer announces that a case changed; the actions app, above it, listens and
re-evaluates the case's safety actions (issue 6 §2: "runs on every relevant change") without the lower layer
depending on it."""

from __future__ import annotations

from collections.abc import Iterable

from django.dispatch import Signal

case_changed = Signal()  # kwargs: person_ids (list[int]), why (str)


def announce_case_changed(person_ids: Iterable[int], why: str) -> None:
    ids = sorted({int(i) for i in person_ids})
    if ids:
        case_changed.send(sender=None, person_ids=ids, why=why)


# issue 14 §3 (helper "flags"): a record was stored on a case (a partner's, a check's answer, prison information).
# The actions app tells the people who hold the case, in the same transaction; records do not depend on it.
information_arrived = Signal()  # kwargs: person_id (int), record_id (int), by_staff_id (int | None)


def announce_information_arrived(person_id: int, record_id: int, by_staff_id: int | None) -> None:
    information_arrived.send(sender=None, person_id=person_id, record_id=record_id, by_staff_id=by_staff_id)
