"""Re-evaluate a case's actions whenever a lower layer says it changed (after the change commits)."""

from __future__ import annotations

from typing import Any

from keepsafe.actions.services.worker import reconcile_later


def on_case_changed(sender: Any, person_ids: list[int], why: str, **_: Any) -> None:
    reconcile_later(person_ids)
