"""Notifications inside Keepsafe (issue 14 §3): every reminder, escalation, digest and new-information notice a
member of staff was sent, listed on their notifications page whether or not they have an email address.

The same visibility rule as the email outbox (services/notify.py): a notification naming a case its recipient may
no longer see is never listed or counted (a digest is shown without that case's lines), so nobody learns a case
exists through this page or the unread count in the header. Reads of the page are audited with the CRNs shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q

from keepsafe.actions.models import Action, Notification
from keepsafe.actions.rules.types import ActionType
from keepsafe.actions.services.notify import recipient_sees, visible_body
from keepsafe.audit.services import audit_record
from keepsafe.core import clock
from keepsafe.core.actor import Actor
from keepsafe.core.errors import ValidationError
from keepsafe.people.models import Person
from keepsafe.people.selectors import AccessLists, access_lists

PAGE_SIZE = 25
WITHHELD_PREFIX = "withheld"

# What the page calls each notification (coded values as words). A reminder about a countersignature is a
# countersign request: it asks the recipient to sign, not to do the work.
COUNTERSIGN_TYPES = frozenset({ActionType.COUNTERSIGN.value})
KIND_LABELS = {
    "COUNTERSIGN": "Countersign request",
    Notification.Kind.REMINDER.value: "Reminder",
    Notification.Kind.ESCALATION.value: "Escalation",
    Notification.Kind.DIGEST.value: "Team digest",
    Notification.Kind.NEW_INFORMATION.value: "New information",
    Notification.Kind.TRANSFER.value: "Transfer",  # issue 16 §2 (helper "transfer")
}


@dataclass(frozen=True)
class InboxItem:
    id: int
    category: str  # a KIND_LABELS key
    label: str
    subject: str
    body: str
    link: str
    at: datetime
    read: bool
    crns: tuple[str, ...]


def _mine(staff_id: int) -> Q:
    # Withheld at sending (the recipient lost sight of a case it names) is never shown either.
    return Q(recipient_id=staff_id) & ~Q(error__startswith=WITHHELD_PREFIX)


def _visible(notes: list[Notification], lists: dict[int, AccessLists] | None = None) -> list[tuple[Notification, str]]:
    """The notifications their recipient may see, each with the body to show: the outbox's own rule
    (`notify.visible_body`: a digest without hidden cases' lines, its `cases` then naming only the cases shown).
    `lists`, when the caller has read the cases' access lists already."""
    if lists is None:
        lists = access_lists({pk for note in notes for pk in note.cases})
    return [(note, body) for note in notes if (body := visible_body(note, lists)) is not None]


def unread_count(staff_id: int) -> int:
    """The header's unread count: only notifications the recipient may see (counted the way the page lists them).
    On every page, so it reads only the cases each names; a notification naming a case its recipient may not see
    (rare) is then read whole and judged as the page judges it (`_visible`: a digest may still show other lines)."""
    unread = list(Notification.objects.filter(_mine(staff_id), read_at__isnull=True).values_list("pk", "cases"))
    lists = access_lists({pk for _, cases in unread for pk in cases})
    doubtful = [pk for pk, cases in unread if not all(recipient_sees(staff_id, case, lists) for case in cases)]
    if not doubtful:
        return len(unread)
    notes = list(Notification.objects.filter(pk__in=doubtful).only("id", "kind", "cases", "parts", "body", "recipient"))
    return len(unread) - len(doubtful) + len(_visible(notes, lists))


def _category(note: Notification, action: Action | None) -> str:
    if action is not None and action.type in COUNTERSIGN_TYPES and note.kind == Notification.Kind.REMINDER:
        return "COUNTERSIGN"
    return str(note.kind)


def _link(note: Notification, action: Action | None) -> str:
    if action is not None:
        return f"/case/{action.person.crn}/actions#action-{action.pk}"
    if note.parts.get("link"):
        return str(note.parts["link"])
    return "/actions/team" if note.kind == Notification.Kind.DIGEST else ""


def inbox(*, actor: Actor, unread_only: bool, page: int) -> tuple[list[InboxItem], int, int]:
    """(items on `page`, pages, unread) for the actor's staff record, newest first; the read is audited."""
    if actor.staff_id is None:
        return [], 1, 0
    rows = Notification.objects.filter(_mine(actor.staff_id))
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    notes = list(rows.select_related("action__person").order_by("-created_at", "-id"))
    visible = _visible(notes)
    unread = sum(1 for note, _ in visible if note.read_at is None)
    pages = max(1, -(-len(visible) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    chosen = visible[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    crn_of = dict(Person.objects.filter(pk__in={pk for n, _ in chosen for pk in n.cases}).values_list("pk", "crn"))
    items = []
    for note, body in chosen:
        action = note.action
        category = _category(note, action)
        items.append(
            InboxItem(
                id=note.pk,
                category=category,
                label=KIND_LABELS.get(category, category.title()),
                subject=note.subject,
                body=body,
                link=_link(note, action),
                at=note.created_at,
                read=note.read_at is not None,
                crns=tuple(sorted(crn_of[pk] for pk in note.cases if pk in crn_of)),
            )
        )
    audit_record(
        actor=actor,
        action="NOTIFICATIONS_LIST",
        details={"page": page, "crns": sorted({c for item in items for c in item.crns})},
    )
    return items, pages, unread


@transaction.atomic
def mark_read(*, actor: Actor, ids: list[int] | None, read: bool = True) -> int:
    """Mark the actor's own notifications read (or unread again); `ids` None: every one they may see. Audited."""
    if actor.staff_id is None:
        raise ValidationError([("notifications", "Only a member of staff has notifications")])
    rows = Notification.objects.filter(_mine(actor.staff_id))
    if ids is not None:
        rows = rows.filter(pk__in=ids)
        if rows.count() != len(set(ids)):
            raise ValidationError([("notifications", "That notification is not one of yours")])
    visible = [note.pk for note, _ in _visible(list(rows))]
    if ids is not None and len(visible) != len(set(ids)):
        raise ValidationError([("notifications", "That notification is not one of yours")])
    target = Notification.objects.filter(pk__in=visible)
    changed = (
        target.filter(read_at__isnull=True).update(read_at=clock.now())
        if read
        else target.filter(read_at__isnull=False).update(read_at=None)
    )
    audit_record(
        actor=actor,
        action="NOTIFICATIONS_READ" if read else "NOTIFICATIONS_UNREAD",
        details={"notifications": sorted(visible) if ids is not None else "all", "changed": changed},
    )
    return changed
