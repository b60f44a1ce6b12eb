"""Escalating violence: lower-level violence becoming more frequent across a person's records.

Inspectors and coroners found escalation recorded piecemeal and never put together (seeds/004, Bendall and
McSweeney; seeds/001 HMPPS response: "consider escalating risk factors"). The rule compares the six months up to the
latest violent incident with the six months before: at least ESCALATION_MIN_RECENT incidents recently, and at least
twice as many as before, is escalation. Incidents are counted once per record or contact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = timedelta(days=182)
ESCALATION_MIN_RECENT = 3


@dataclass(frozen=True)
class Incident:
    at: datetime
    ref: str  # e.g. "record:POLICE-1" or "contact:C12"


@dataclass(frozen=True)
class Escalation:
    recent: tuple[Incident, ...]
    previous: tuple[Incident, ...]
    window_start: datetime
    latest: datetime

    @property
    def why(self) -> str:
        return (
            f"{len(self.recent)} violent incidents in the six months to {self.latest.date().isoformat()}, "
            f"against {len(self.previous)} in the six months before"
        )


def violence_escalation(incidents: Sequence[Incident], as_of: datetime) -> Escalation | None:
    """Only incidents known at `as_of` count; the latest such incident anchors the two windows."""
    known = sorted({i for i in incidents if i.at <= as_of}, key=lambda i: (i.at, i.ref))
    if len(known) < ESCALATION_MIN_RECENT:
        return None
    latest = known[-1].at
    recent = tuple(i for i in known if latest - WINDOW < i.at <= latest)
    previous = tuple(i for i in known if latest - 2 * WINDOW < i.at <= latest - WINDOW)
    if len(recent) >= ESCALATION_MIN_RECENT and len(recent) >= 2 * len(previous) and len(recent) > len(previous):
        return Escalation(recent, previous, latest - WINDOW, latest)
    return None
