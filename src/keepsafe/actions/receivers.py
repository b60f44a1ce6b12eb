"""Re-evaluate a case's actions whenever a lower layer says it changed (after the change commits)."""

from __future__ import annotations

from typing import Any

from keepsafe.actions.services.dirty import mark_dirty
from keepsafe.actions.services.worker import reconcile_later


def on_case_changed(sender: Any, person_ids: list[int], why: str, **_: Any) -> None:
    reconcile_later(person_ids)


# issue 20 §2: writes that change who holds or may see a case (not announced as case_changed) mark it dirty too, so
# the incremental sweep moves its actions as a full sweep would.
def on_person_saved(sender: Any, instance: Any, **_: Any) -> None:
    mark_dirty([instance.pk])


def on_case_access_changed(sender: Any, instance: Any, **_: Any) -> None:
    mark_dirty([instance.person_id])
