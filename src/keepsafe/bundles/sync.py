"""Bulk create-or-update by natural key, reporting what changed. Used by bundle import at national scale."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models


@dataclass
class SyncResult[M: models.Model]:
    created: list[M] = field(default_factory=list)
    # natural key -> {field: [old, new]}
    changed: dict[tuple[Any, ...], dict[str, list[Any]]] = field(default_factory=dict)
    by_key: dict[tuple[Any, ...], M] = field(default_factory=dict)


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


def sync_rows[M: models.Model](
    model: type[M],
    key_fields: Sequence[str],
    rows: Sequence[dict[str, Any]],
    existing: models.QuerySet[M] | None = None,
) -> SyncResult[M]:
    """Create rows whose key is new, update those whose values differ, leave identical ones untouched.

    `rows` use attribute names (`pdu_id`, not `pdu`). `existing` narrows the lookup (e.g. to one chunk of people).
    """
    result: SyncResult[M] = SyncResult()
    if not rows:
        return result
    scope = existing if existing is not None else model._default_manager.all()
    current = {tuple(getattr(obj, k) for k in key_fields): obj for obj in scope}
    to_update: list[M] = []
    fields_changed: set[str] = set()
    for row in rows:
        key = tuple(row[k] for k in key_fields)
        obj = current.get(key)
        if obj is None:
            obj = model(**row)
            result.created.append(obj)
        else:
            diff = {
                name: [_plain(getattr(obj, name)), _plain(value)]
                for name, value in row.items()
                if getattr(obj, name) != value
            }
            if diff:
                for name in diff:
                    setattr(obj, name, row[name])
                to_update.append(obj)
                fields_changed.update(diff)
                result.changed[key] = diff
        result.by_key[key] = obj
    if result.created:
        model._default_manager.bulk_create(result.created, batch_size=1000)
    if to_update:
        model._default_manager.bulk_update(to_update, sorted(fields_changed), batch_size=500)
    return result
