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
