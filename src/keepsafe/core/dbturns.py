"""Sharing SQLite's single write lock with people using the service.

SQLite lets one connection write at a time, and its busy handler is not fair: a waiting connection polls (every
100 ms at worst) while a long job that commits and at once begins again almost always wins the lock back, so a page
waiting behind a sweep can time out ("database is locked") although every transaction is short. Long jobs (the sweep,
queued reconciles) therefore commit in short transactions and, on SQLite, leave the lock free for a moment once
they have held it for a while; a transient lock is retried rather than ending the job. PostgreSQL needs neither.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.db import OperationalError, connection

log = logging.getLogger(__name__)

HOLD_SECONDS = 0.25  # write for at most this long…
PAUSE_SECONDS = 0.15  # …then leave the lock free this long: longer than the busy handler's longest poll (100 ms)
RETRIES = 5


def is_locked(error: BaseException) -> bool:
    return isinstance(error, OperationalError) and "locked" in str(error).lower()


class Turns:
    """Call `taken()` after each committed transaction of a long job: on SQLite it pauses once the job has held the
    write lock for HOLD_SECONDS since its last pause, so pages and form posts get their turn."""

    def __init__(self, hold: float = HOLD_SECONDS, pause: float = PAUSE_SECONDS) -> None:
        self.hold, self.pause = hold, pause
        self.since = time.monotonic()

    def taken(self) -> None:
        if connection.vendor != "sqlite":
            return
        if time.monotonic() - self.since >= self.hold:
            time.sleep(self.pause)
            self.since = time.monotonic()


def retrying[T](work: Callable[[], T], *, what: str, retries: int = RETRIES, wait: float = 1.0) -> T:
    """Run `work` (one transaction), again after a pause if SQLite says the database is locked; other errors, and a
    lock that outlasts every retry, are raised."""
    for attempt in range(1, retries + 1):
        try:
            return work()
        except OperationalError as error:
            if not is_locked(error) or attempt == retries:
                raise
            log.warning("%s: database locked (attempt %s of %s), retrying", what, attempt, retries)
            time.sleep(wait * attempt)
    raise AssertionError("unreachable")
