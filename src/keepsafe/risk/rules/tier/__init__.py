"""Tiering: how much contact and resource a case gets (shared/reference/tiering.md; hmpps-tier)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    """One input's contribution to a tier: what it was and what it did."""

    step: str
    detail: str
    result: str  # points ("+20") or a tier letter


class TierInputError(ValueError):
    pass
