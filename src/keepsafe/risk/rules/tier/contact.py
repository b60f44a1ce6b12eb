"""Minimum contact expectations per tier: configuration, because each region sets its own.

HMI Probation, Greater Manchester regional review (seeds/002): regions use "differing levels of minimum contact
expectations", and GMPS "utilised its own minimum expectation guidance". Keepsafe ships no national numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

TIERS = ("A", "B", "C", "D", "E", "F", "G")


def parse_expectations(raw: Mapping[str, object]) -> dict[str, int]:
    """Validate a tier → days mapping (e.g. {"A": 7, "B": 14}); raise ValueError naming the bad entry."""
    parsed: dict[str, int] = {}
    for tier, days in raw.items():
        if tier not in TIERS:
            raise ValueError(f"unknown tier {tier!r} in contact expectations (use {', '.join(TIERS)})")
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 365:
            raise ValueError(f"tier {tier}: days between contacts must be a whole number from 1 to 365, got {days!r}")
        parsed[tier] = days
    return parsed


def next_contact_due(
    *, tier: str, last_contact: date | None, expectations: Mapping[str, int], today: date
) -> tuple[date | None, bool]:
    """(the date the next contact is due by, whether it is overdue); (None, False) when no expectation is set."""
    days = expectations.get(tier)
    if days is None:
        return None, False
    due = (last_contact or today) + timedelta(days=days)
    return due, last_contact is None or due < today
