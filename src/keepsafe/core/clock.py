"""The service's idea of now. KEEPSAFE_TODAY pins the date for demos and scenario tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

# (the instant the block starts at, the real instant it started): see `running_from`.
_RUNNING_FROM: ContextVar[tuple[datetime, datetime] | None] = ContextVar("keepsafe_running_from", default=None)


@contextmanager
def running_from(at: datetime) -> Iterator[None]:
    """Inside the block the service's clock starts at `at` and runs on in real time: the demo records past work
    (an assessment completed last spring) through the services themselves, dated as it happened. Not for requests:
    nothing else sets it, and it is a context variable, so it stays in the block's thread or task."""
    token = _RUNNING_FROM.set((at, timezone.now()))
    try:
        yield
    finally:
        _RUNNING_FROM.reset(token)


def now() -> datetime:
    running = _RUNNING_FROM.get()
    if running is not None:
        start, real = running
        return start + max(timezone.now() - real, timedelta(0))
    pinned = getattr(settings, "KEEPSAFE_TODAY", None)
    if pinned:
        current = timezone.localtime()
        return timezone.make_aware(datetime.combine(date.fromisoformat(pinned), current.time()))
    return timezone.now()


def today() -> date:
    if _RUNNING_FROM.get() is not None:
        return timezone.localdate(now())
    pinned = getattr(settings, "KEEPSAFE_TODAY", None)
    if pinned:
        return date.fromisoformat(pinned)
    return timezone.localdate()


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
