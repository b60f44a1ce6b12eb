"""System checks: `keepsafe check`, and every command's start-up (the worker's and `keepsafe serve`'s logs)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, Warning, register
from django.db import DatabaseError

from keepsafe.records.rules.classifier import ModelMissingError

STALE_FINDINGS = "records.W001"


@register()
def findings_built_by_running_scanner(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Warn while the stored indicator findings were last fully built by another scanner than the one running."""
    from keepsafe.records.selectors import findings_staleness

    if app_configs is not None and not any(config.label == "records" for config in app_configs):
        return []
    try:
        staleness = findings_staleness()
    except (DatabaseError, ModelMissingError):  # not migrated yet, or no database: nothing to compare
        return []
    if staleness is None:
        return []
    return [
        Warning(
            f"Indicator findings were last fully built with {staleness.stored.describe()}; this version runs "
            f"{staleness.running.describe()}. Some findings the new scanner makes are missing until they are "
            "rebuilt.",
            hint="`keepsafe worker` rebuilds them by itself, once; or run `keepsafe rescan`.",
            id=STALE_FINDINGS,
        )
    ]
