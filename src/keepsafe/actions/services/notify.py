"""The email outbox: notifications are written with the log entry they report, and sent afterwards, so a crash
never loses one. Nobody is told of a case they may not see: recipients are filtered when a notification is written
and checked again when it is sent (a restriction may have been added in between). A worker claims a notification
atomically before sending it, so two workers never send the same email."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Q

from keepsafe.actions.models import Action, Notification
from keepsafe.actions.rules.calendar import due_words
from keepsafe.core import clock
from keepsafe.people.models import Person
from keepsafe.people.rules.visibility import may_see_case
from keepsafe.people.selectors import AccessLists, access_lists
from keepsafe.workforce.models import Staff

log = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=10)  # a claim older than this was left by a lost worker: the email is sent again
MAX_ATTEMPTS = 5  # transient failures (the mail server down) are retried this many times, then given up
WITHHELD = "withheld: the recipient may no longer see a case it names"
LONDON = ZoneInfo("Europe/London")


def action_link(action: Action) -> str:
    return f"/case/{action.person.crn}/actions#action-{action.pk}"


def absolute(path: str) -> str:
    """issue 14 §3: an email's link works from a mail client: the service's address (KEEPSAFE_BASE_URL) + the path."""
    return f"{settings.KEEPSAFE_BASE_URL}{path}"


def local_time(value: datetime) -> str:
    """issue 14 §3: times in emails as people in England and Wales read them (Europe/London, GMT or BST)."""
    here = value.astimezone(LONDON)
    return f"{here:%-d %B %Y} at {here:%-I:%M}{here:%p}".replace("AM", "am").replace("PM", "pm") + f" ({here:%Z})"


def notify(
    *,
    recipients: Iterable[Staff | None],
    kind: str,
    action: Action | None,
    subject: str,
    body: str,
    at: datetime,
    may_see: Callable[[int, Person], bool],
    cases: Iterable[Person] = (),
    parts: dict[str, object] | None = None,
) -> int:
    """Queue an email to each recipient who may see every case it names (the action's case and `cases`)."""
    rows = notifications(
        recipients=recipients,
        kind=kind,
        action=action,
        subject=subject,
        body=body,
        at=at,
        may_see=may_see,
        cases=cases,
        parts=parts,
    )
    Notification.objects.bulk_create(rows)
    return len(rows)


def notifications(
    *,
    recipients: Iterable[Staff | None],
    kind: str,
    action: Action | None,
    subject: str,
    body: str,
    at: datetime,
    may_see: Callable[[int, Person], bool],
    cases: Iterable[Person] = (),
    parts: dict[str, object] | None = None,
) -> list[Notification]:
    """The emails `notify` queues, unsaved (the sweep writes a chunk's in one insert)."""
    named = {p.pk: p for p in [*([action.person] if action is not None else []), *cases]}
    return [
        Notification(
            recipient=r,
            kind=kind,
            action=action,
            subject=subject[:200],
            body=body,
            created_at=at,
            cases=sorted(named),
            parts=parts or {},
        )
        for r in {r.pk: r for r in recipients if r is not None}.values()
        if all(may_see(r.pk, person) for person in named.values())
    ]


def reminder_text(action: Action, lead: str) -> tuple[str, str]:
    """No names or record text in email: the CRN, the action and a link, as the service's privacy notice allows."""
    subject = f"{lead}: {action.title} ({action.person.crn})"
    body = (
        f"{lead}.\n\nCase: {action.person.crn}\nAction: {action.title}\n"
        f"Due: {due_words(action.due, local_time(action.due))}\n"
        f"Still needed: {action.evidence_needed}\n\nOpen it in Keepsafe: {absolute(action_link(action))}\n"
    )
    return subject, body


def _waiting(now: datetime) -> Q:
    return Q(sent_at__isnull=True, failed_at__isnull=True) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE)
    )


def claim(limit: int, worker: str) -> list[int]:
    """Claim up to `limit` waiting notifications for this worker. PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED, so
    concurrent workers take disjoint rows; SQLite (one writer at a time): a conditional UPDATE per row, which only one
    worker can win."""
    now = clock.now()
    if connection.vendor == "postgresql":
        with transaction.atomic():
            ids = list(
                Notification.objects.filter(_waiting(now))
                .select_for_update(skip_locked=True)
                .order_by("id")
                .values_list("id", flat=True)[:limit]
            )
            Notification.objects.filter(pk__in=ids).update(claimed_by=worker, claimed_at=now)
        return ids
    won = []
    for pk in Notification.objects.filter(_waiting(now)).order_by("id").values_list("id", flat=True)[:limit]:
        if Notification.objects.filter(_waiting(now), pk=pk).update(claimed_by=worker, claimed_at=now) == 1:
            won.append(pk)
    return won


def address_problem(address: str) -> str | None:
    """Why an address cannot be used (a line break from an import, not an address at all), or None."""
    if any(c in address for c in "\r\n\x00"):
        return "the email address on the staff record contains a line break or NUL"
    try:
        validate_email(address)
    except DjangoValidationError:
        return "the email address on the staff record is not a valid address"
    return None


def recipient_sees(staff_id: int, person_id: int, lists: dict[int, AccessLists]) -> bool:
    """Whether a notification's recipient may see this case, by the case's access lists (`access_lists`)."""
    restricted, excluded = lists.get(person_id, (frozenset(), frozenset()))
    return may_see_case(is_system=False, viewer_staff_id=staff_id, restricted_to=restricted, excluded=excluded)


def visible_body(note: Notification, lists: dict[int, AccessLists]) -> str | None:
    """The body to send, or None to withhold it: a digest leaves out the lines for cases its recipient may no longer
    see; any other email naming such a case is withheld."""
    hidden = {pk for pk in note.cases if not recipient_sees(note.recipient_id, pk, lists)}
    if not hidden:
        return note.body
    if note.kind != Notification.Kind.DIGEST or not note.parts.get("lines"):
        return None
    from keepsafe.actions.services.digest import digest_body

    lines = [line for line in note.parts["lines"] if line["person"] not in hidden]
    if not lines:
        return None
    note.cases = [pk for pk in note.cases if pk not in hidden]  # the record says what was sent
    return digest_body(str(note.parts["day"]), lines)


def deliver(limit: int = 500, *, worker: str | None = None) -> tuple[int, int]:
    """Send waiting notifications through Django's email backend; (sent, failed). Staff without an email address
    see them in Keepsafe only; a bad address fails once with the reason; a transient failure is retried a few times.
    Logs carry notification and staff ids and the reason, never an address or a CRN."""
    worker = worker or f"mail-{uuid.uuid4().hex[:12]}"
    sent = failed = 0
    ids = claim(limit, worker)
    notes = list(Notification.objects.filter(pk__in=ids).select_related("recipient").order_by("id"))
    lists = access_lists({pk for note in notes for pk in note.cases})
    for note in notes:
        mine = Notification.objects.filter(pk=note.pk, claimed_by=worker)
        now = clock.now()
        body = visible_body(note, lists)
        if body is None:
            mine.update(failed_at=now, error=WITHHELD)
            log.warning(
                "notification %s withheld: recipient staff %s may no longer see a case", note.pk, note.recipient_id
            )
            failed += 1
            continue
        address = note.recipient.email
        if not address:
            mine.update(sent_at=now, error="no email address: shown in Keepsafe only")
            sent += 1
            continue
        if (problem := address_problem(address)) is not None:
            mine.update(failed_at=now, error=problem)
            log.warning("notification %s not sent to staff %s: %s", note.pk, note.recipient_id, problem)
            failed += 1
            continue
        try:
            send_mail(note.subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        except Exception as error:
            attempts = note.attempts + 1
            given_up = attempts >= MAX_ATTEMPTS
            mine.update(
                attempts=attempts,
                error=type(error).__name__,
                claimed_by="",
                claimed_at=None,
                failed_at=now if given_up else None,
            )
            log.warning(
                "notification %s not sent (attempt %s%s): %s",
                note.pk,
                attempts,
                ", given up" if given_up else "",
                type(error).__name__,
            )
            failed += 1
            continue
        mine.update(sent_at=clock.now(), error="", attempts=note.attempts + 1, body=body, cases=note.cases)
        sent += 1
    return sent, failed


# --- issue 14 §3 (helper "flags"): new information on my cases ------------------------------------------------------


def information_notify(sender: object, person_id: int, record_id: int, by_staff_id: int | None, **_: object) -> int:
    """A record was stored on a case (core.signals.information_arrived, in the storing transaction): tell the case's
    community and prison offender managers who may see it, not the person who wrote it. No record text in the email:
    the CRN, who sent what kind of record, and the link to the chronology."""
    from keepsafe.people.rules.vocabulary import SOURCE_LABELS, RecordSource
    from keepsafe.people.selectors import staff_may_see
    from keepsafe.records.models import Record

    record = Record.objects.select_related("person").get(pk=record_id)
    person = record.person
    recipients = [
        s
        for s in Staff.objects.filter(
            pk__in=[pk for pk in (person.practitioner_id, person.prison_offender_manager_id) if pk is not None]
        )
        if s.pk != by_staff_id
    ]
    if not recipients:
        return 0
    source = SOURCE_LABELS.get(RecordSource(record.source), record.source) if record.source in RecordSource else ""
    what = record.kind.replace("_", " ").lower()
    link = f"/case/{person.crn}/chronology"
    subject = f"New information: {what} from {source.lower() or 'a partner'} ({person.crn})"
    body = (
        f"New information arrived on a case you hold.\n\nCase: {person.crn}\nFrom: {source}\nWhat: {what}\n"
        f"Received: {local_time(record.received_at)}\n\nRead it in Keepsafe: {absolute(link)}\n"
    )
    return notify(
        recipients=recipients,
        kind=Notification.Kind.NEW_INFORMATION,
        action=None,
        subject=subject,
        body=body,
        at=clock.now(),
        may_see=staff_may_see,
        cases=[person],
        parts={"link": link},
    )
