"""How dates and instants are written in every JSON the service emits: ISO dates, UTC instants with Z."""

from __future__ import annotations

from datetime import UTC, date, datetime


def iso_date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def iso_instant(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
