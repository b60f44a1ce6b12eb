"""The email outbox: notifications are written with the log entry they report, and sent afterwards, so a crash
never loses one (at worst, one already sent is sent again)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail

from keepsafe.actions.models import Action, Notification
from keepsafe.core import clock
from keepsafe.core.formats import iso_instant
from keepsafe.workforce.models import Staff

log = logging.getLogger(__name__)


def action_link(action: Action) -> str:
    return f"/case/{action.person.crn}/actions#action-{action.pk}"


def notify(
    *, recipients: Iterable[Staff], kind: str, action: Action | None, subject: str, body: str, at: datetime
) -> int:
    rows = [
        Notification(recipient=r, kind=kind, action=action, subject=subject[:200], body=body, created_at=at)
        for r in {r.pk: r for r in recipients if r is not None}.values()
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)


def reminder_text(action: Action, lead: str) -> tuple[str, str]:
    """No names or record text in email: the CRN, the action and a link, as the service's privacy notice allows."""
    subject = f"{lead}: {action.title} ({action.person.crn})"
    body = (
        f"{lead}.\n\nCase: {action.person.crn}\nAction: {action.title}\nDue: {iso_instant(action.due)}\n"
        f"Still needed: {action.evidence_needed}\n\nOpen it in Keepsafe: {action_link(action)}\n"
    )
    return subject, body


def deliver(limit: int = 500) -> tuple[int, int]:
    """Send waiting notifications through Django's email backend; (sent, failed). Staff without an email address
    see them in Keepsafe only; they are marked so they are not retried for ever."""
    sent = failed = 0
    for note in Notification.objects.filter(sent_at__isnull=True).select_related("recipient")[:limit]:
        address = note.recipient.email
        try:
            if address:
                send_mail(note.subject, note.body, settings.DEFAULT_FROM_EMAIL, [address])
            note.error = "" if address else "no email address: shown in Keepsafe only"
            sent += 1
        except Exception as error:
            note.error = f"{type(error).__name__}"
            failed += 1
            log.warning("notification %s not sent: %s", note.pk, type(error).__name__)
            note.save(update_fields=["error"])
            continue
        note.sent_at = clock.now()
        note.save(update_fields=["sent_at", "error"])
    return sent, failed
