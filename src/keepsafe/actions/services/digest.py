"""The SPOs' daily digest: their team's overdue actions and those due in the next week, once a day. A digest names
only cases its SPO may see (the limited-access lists loaded once for all the actions), and is checked again when
it is sent."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction

from keepsafe.actions.models import Action, DigestRun
from keepsafe.actions.rules.calendar import due_words
from keepsafe.actions.services.notify import absolute, action_link, local_time, notify
from keepsafe.people.models import Person
from keepsafe.people.rules.visibility import may_see_case
from keepsafe.people.selectors import access_lists
from keepsafe.workforce.models import Staff
from keepsafe.workforce.rules.grades import Grade

SOON = timedelta(days=7)


def digest_lines(actions: list[Action], as_of: datetime) -> list[dict[str, object]]:
    lines: list[dict[str, object]] = []
    for a in actions:
        overdue = a.due <= as_of
        lines.append(
            {
                "person": a.person_id,
                "overdue": overdue,
                "text": f"- {'OVERDUE' if overdue else 'due'} {due_words(a.due, local_time(a.due))}  {a.person.crn}  "
                f"{a.title}  "
                f"(owner {a.owner.code if a.owner else 'none'}) {absolute(action_link(a))}",
            }
        )
    return lines


def digest_body(day: str, lines: list[dict[str, object]]) -> str:
    overdue = sum(1 for line in lines if line["overdue"])
    return (
        f"Your team's safety actions on {day}: {overdue} overdue, {len(lines) - overdue} due in the next 7 days.\n\n"
        + "\n".join(str(line["text"]) for line in lines)
        + f"\n\nTeam actions in Keepsafe: {absolute('/actions/team')}\n"
    )


def digest_send(*, day: date, as_of: datetime) -> int:
    """One digest per SPO per day (DigestRun is unique per day): returns how many SPOs were sent one."""
    try:
        with transaction.atomic():
            run = DigestRun.objects.create(day=day, sent_at=as_of)
            spos = {s.pk: s for s in Staff.objects.filter(grade=Grade.SPO)}
            by_spo: dict[int, list[Action]] = defaultdict(list)
            rows = list(
                Action.objects.filter(status=Action.Status.OPEN, due__lte=as_of + SOON, created_at__lte=as_of)
                .select_related("person", "owner")
                .order_by("due", "id")
            )
            lists = access_lists({a.person_id for a in rows})

            def sees(staff_id: int, person: Person) -> bool:
                restricted, excluded = lists[person.pk]
                return may_see_case(
                    is_system=False, viewer_staff_id=staff_id, restricted_to=restricted, excluded=excluded
                )

            for action in rows:
                owner = action.owner
                if owner is None:
                    continue
                spo_id = owner.pk if owner.pk in spos else owner.line_manager_id
                if spo_id in spos and sees(spo_id, action.person):
                    by_spo[spo_id].append(action)
            day_text = f"{day:%-d %B %Y}"
            for spo_id, actions in by_spo.items():
                lines = digest_lines(actions, as_of)
                overdue = sum(1 for a in actions if a.due <= as_of)
                notify(
                    recipients=[spos[spo_id]],
                    kind="DIGEST",
                    action=None,
                    subject=f"Team actions: {overdue} overdue, {len(actions) - overdue} due this week",
                    body=digest_body(day_text, lines),
                    at=as_of,
                    may_see=sees,
                    cases=[a.person for a in actions],
                    parts={"day": day_text, "lines": lines},
                )
            run.recipients = len(by_spo)
            run.save(update_fields=["recipients"])
            return len(by_spo)
    except IntegrityError:
        return 0
