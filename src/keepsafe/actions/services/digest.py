"""The SPOs' daily digest: their team's overdue actions and those due in the next week, once a day."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction

from keepsafe.actions.models import Action, DigestRun
from keepsafe.actions.services.notify import action_link, notify
from keepsafe.core.formats import iso_instant
from keepsafe.workforce.models import Staff
from keepsafe.workforce.rules.grades import Grade

SOON = timedelta(days=7)


def digest_lines(actions: list[Action], as_of: datetime) -> list[str]:
    lines = []
    for a in actions:
        state = "OVERDUE" if a.due <= as_of else "due"
        lines.append(
            f"- {state} {iso_instant(a.due)}  {a.person.crn}  {a.title}  "
            f"(owner {a.owner.code if a.owner else 'none'}) {action_link(a)}"
        )
    return lines


def digest_send(*, day: date, as_of: datetime) -> int:
    """One digest per SPO per day (DigestRun is unique per day): returns how many SPOs were sent one."""
    try:
        with transaction.atomic():
            run = DigestRun.objects.create(day=day, sent_at=as_of)
            spos = {s.pk: s for s in Staff.objects.filter(grade=Grade.SPO)}
            by_spo: dict[int, list[Action]] = defaultdict(list)
            rows = (
                Action.objects.filter(status=Action.Status.OPEN, due__lte=as_of + SOON, created_at__lte=as_of)
                .select_related("person", "owner")
                .order_by("due", "id")
            )
            for action in rows:
                owner = action.owner
                if owner is None:
                    continue
                spo_id = owner.pk if owner.pk in spos else owner.line_manager_id
                if spo_id in spos:
                    by_spo[spo_id].append(action)
            for spo_id, actions in by_spo.items():
                overdue = sum(1 for a in actions if a.due <= as_of)
                body = (
                    f"Your team's safety actions on {day:%-d %B %Y}: {overdue} overdue, "
                    f"{len(actions) - overdue} due in the next 7 days.\n\n" + "\n".join(digest_lines(actions, as_of))
                )
                notify(
                    recipients=[spos[spo_id]],
                    kind="DIGEST",
                    action=None,
                    subject=f"Team actions: {overdue} overdue, {len(actions) - overdue} due this week",
                    body=body + "\n\nTeam actions in Keepsafe: /actions/team\n",
                    at=as_of,
                )
            run.recipients = len(by_spo)
            run.save(update_fields=["recipients"])
            return len(by_spo)
    except IntegrityError:
        return 0
