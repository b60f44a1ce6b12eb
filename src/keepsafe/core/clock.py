"""The service's idea of now. KEEPSAFE_TODAY pins the date for demos and scenario tests."""

from __future__ import annotations

from datetime import date, datetime, time

from django.conf import settings
from django.utils import timezone


def now() -> datetime:
    pinned = getattr(settings, "KEEPSAFE_TODAY", None)
    if pinned:
        current = timezone.localtime()
        return timezone.make_aware(datetime.combine(date.fromisoformat(pinned), current.time()))
    return timezone.now()


def today() -> date:
    pinned = getattr(settings, "KEEPSAFE_TODAY", None)
    if pinned:
        return date.fromisoformat(pinned)
    return timezone.localdate()


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
