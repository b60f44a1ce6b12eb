"""Record and read process heartbeats (docs/operations.md: what `/health` checks)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from keepsafe.core import clock
from keepsafe.core.models import Heartbeat

WORKER = "worker"


def beat(name: str, details: dict[str, Any] | None = None) -> None:
    """Say that a process of this kind is alive now (one upsert; safe with several workers)."""
    Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": clock.now(), "details": details or {}})


def last_beat(name: str) -> datetime | None:
    return Heartbeat.objects.filter(name=name).values_list("beat_at", flat=True).first()
