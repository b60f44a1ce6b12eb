"""What makes two versions of a record the same record."""

from __future__ import annotations

from collections.abc import Mapping

IMMUTABLE_FIELDS = ("source", "kind", "occurred_at", "received_at", "author", "text", "order")


def changed_fields(stored: Mapping[str, object], incoming: Mapping[str, object]) -> list[str]:
    """Records are immutable once stored (issue 2 §7): any difference is a conflict, never an update."""
    return [name for name in IMMUTABLE_FIELDS if stored.get(name) != incoming.get(name)]
