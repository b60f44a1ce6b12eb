"""Booking, rescheduling and recording appointments (issue 14): what may be booked when, what an outcome needs, and
when a practitioner is double-booked.

Source: nDelius contact log (hmpps.md "contacts": appointments are booked ahead, their outcomes recorded after; an
acceptable absence is recorded with its reason and evidence); the one-hour length of an appointment used for
double-booking is a Keepsafe default.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from keepsafe.core.ranges import When, instant_problem
from keepsafe.core.words import counted
from keepsafe.people.rules.vocabulary import APPOINTMENT_TYPES, ContactOutcome

# The bundle format's limit on a contact's notes (bundles/schema.py): a note the form takes must export and import.
NOTES_MAX = 20_000

# Keepsafe default: an appointment is taken to last an hour when looking for double bookings.
APPOINTMENT_LENGTH = timedelta(hours=1)
TYPES = frozenset(t.value for t in APPOINTMENT_TYPES)


class DoubleBookingError(Exception):
    """The practitioner already has appointments at overlapping times: a warning the person booking must confirm."""

    def __init__(self, clashes: list[datetime]) -> None:
        self.clashes = clashes
        verb = "overlaps" if len(clashes) == 1 else "overlap"
        super().__init__(f"{counted(len(clashes), 'other appointment')} {verb}")


def booking_problems(*, type: str, at: datetime | None, now: datetime, location: str) -> list[tuple[str, str]]:
    """A new appointment: a known type, a time with a zone that has not yet passed, and where it happens."""
    problems: list[tuple[str, str]] = []
    if type not in TYPES:
        problems.append(("type", "Choose the type of appointment"))
    problems += _future_problems("at", at, now)
    if len(location) > 200:
        problems.append(("location", "Location must be 200 characters or fewer"))
    return problems


def reschedule_problems(
    *, at: datetime | None, current: datetime, now: datetime, reason: str, has_outcome: bool
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if has_outcome:
        problems.append(("at", "This appointment already has an outcome: book a new one instead"))
    problems += _future_problems("at", at, now)
    if at is not None and at == current:
        problems.append(("at", "Enter a different date or time from the one booked"))
    if not reason.strip():
        problems.append(("reason", "Enter why the appointment is being rescheduled"))
    return problems


def outcome_problems(
    *,
    outcome: str,
    at: datetime,
    now: datetime,
    notes: str,
    absence_reason: str,
    absence_evidence: str,
    has_outcome: bool,
) -> list[tuple[str, str]]:
    """An outcome is recorded once, after the appointment time (the service may reschedule before it); an acceptable
    absence needs its reason and evidence, a failure to comply says how."""
    problems: list[tuple[str, str]] = []
    if has_outcome:
        problems.append(("outcome", "An outcome is already recorded for this appointment"))
    if outcome not in ContactOutcome.__members__:
        problems.append(("outcome", "Choose what happened"))
        return problems
    if outcome != ContactOutcome.RESCHEDULED and at > now:
        problems.append(("outcome", "This appointment has not happened yet: record its outcome after it"))
    if outcome == ContactOutcome.ACCEPTABLE_ABSENCE:
        if not absence_reason.strip():
            problems.append(("absence_reason", "Enter the reason the absence is acceptable"))
        if not absence_evidence.strip():
            problems.append(("absence_evidence", "Enter the evidence for the absence"))
    if outcome == ContactOutcome.FAILED_TO_COMPLY and not notes.strip():
        problems.append(("notes", "Enter how they failed to comply"))
    if len(notes) > NOTES_MAX:
        problems.append(("notes", f"Notes must be {NOTES_MAX:,} characters or fewer"))
    return problems


def contact_problems(*, type: str, at: datetime | None, now: datetime, notes: str) -> list[tuple[str, str]]:
    """A contact recorded after the event (a phone call, a visit): it has happened, and the notes say what."""
    problems: list[tuple[str, str]] = []
    if not type:
        problems.append(("type", "Choose the type of contact"))
    if at is None:
        problems.append(("at", "Enter the date and time of the contact"))
    elif at > now:
        problems.append(("at", "The date and time of a contact must be in the past: book an appointment instead"))
    elif (problem := instant_problem(at, When.HAPPENED, now, words=True)) is not None:  # the range bundles accept
        problems.append(("at", f"The date is out of range: {problem}"))
    if not notes.strip():
        problems.append(("notes", "Enter notes on the contact"))
    elif len(notes) > NOTES_MAX:
        problems.append(("notes", f"Notes must be {NOTES_MAX:,} characters or fewer"))
    return problems


def clashes(at: datetime, others: Iterable[datetime], length: timedelta = APPOINTMENT_LENGTH) -> list[datetime]:
    """The other appointments (their start times) that overlap one starting at `at`, each lasting `length`."""
    return sorted(o for o in others if abs(o - at) < length)


def _future_problems(field: str, at: datetime | None, now: datetime) -> list[tuple[str, str]]:
    if at is None:
        return [(field, "Enter the date and time of the appointment")]
    if at.tzinfo is None:
        return [(field, "The time needs a time zone")]
    if at <= now:
        return [(field, "The date and time must be in the future: record a past appointment as a contact")]
    if (
        problem := instant_problem(at, When.PLANNED, now, words=True)
    ) is not None:  # the range bundles accept (core/ranges.py)
        return [(field, f"The date is out of range: {problem}")]
    return []
