"""MAPPA and IOM meetings (issue 16 §4): the Meetings tab and recording a meeting with its invitations, minutes and
agreed actions. The rules and the writing are in sharing/rules/meetings.py and cases/meetings.py; this is thin."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from keepsafe.cases import meetings
from keepsafe.core import clock
from keepsafe.core.errors import PermissionDeniedError
from keepsafe.people.models import Person
from keepsafe.people.selectors import case_write_check
from keepsafe.sharing.rules.meetings import MEETING_LABELS, RESPONSE_LABELS, MeetingKind
from keepsafe.web.views.case import _case
from keepsafe.web.views.common import actor_of
from keepsafe.web.views.flags import date_fields, date_from_form
from keepsafe.web.views.forms import choice, date_href, submit

TAB = "case-meetings"
ACTION_ROWS = 3


@dataclass(frozen=True)
class _Row:
    """One agreed-action row of the form, as typed."""

    n: int
    text: str
    owner: str
    due: dict[str, str]


def meetings_tab(request: HttpRequest, crn: str) -> HttpResponse:
    person, context = _case(request, crn, TAB)
    context.update(
        {
            "meetings": list(meetings.meetings_for_case(person)),
            "agreed": meetings.meeting_actions(person),
            "kind_labels": {k.value: v for k, v in MEETING_LABELS.items()},
            "response_labels": {k.value: v for k, v in RESPONSE_LABELS.items()},
            "added": request.GET.get("added") == "1",
        }
    )
    return render(request, "case/meetings.html", context)


def _owners(person: Person) -> list[tuple[str, str]]:
    """The only owners an agreed action may have (cases/meetings.owner_choices: the owner rule)."""
    return [(s.code, f"{s.name} ({s.code})") for s in meetings.owner_choices(person)]


def meeting_new(request: HttpRequest, crn: str) -> HttpResponse:
    person, context = _case(request, crn, TAB)
    actor = actor_of(request)
    try:
        case_write_check(actor=actor, person=person)  # the service's own gate, before any form
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from exc
    post = request.POST
    form = {k: post.get(k, "") for k in ("kind", "chair", "attendees", "invitations", "minutes")}
    rows = [
        _Row(
            n, post.get(f"action-{n}-text", ""), post.get(f"action-{n}-owner", ""), date_fields(post, f"action-{n}-due")
        )
        for n in range(1, ACTION_ROWS + 1)
    ]
    errors: dict[str, str] = {}
    if request.method == "POST":
        held_on = date_from_form(post, "held_on", "date the meeting was held", errors, required=True)
        invitations = []
        for line in (x for x in form["invitations"].splitlines() if x.strip()):
            parsed = meetings.parse_invitation(line)
            if parsed is None:
                errors["invitations"] = (
                    f"Write each invitation as: role | name | response (could not read {line[:60]!r})"
                )
            else:
                invitations.append(parsed)
        agreed = []
        for row in rows:
            if not (row.text.strip() or row.owner or any(row.due.values())):
                continue
            due = date_from_form(post, f"action-{row.n}-due", f"due date of action {row.n}", errors, required=True)
            agreed.append((row.n, meetings.AgreedAction(row.text, row.owner, due)))
        choice(
            form["kind"],
            "kind",
            [k.value for k in MeetingKind],
            errors,
            missing="Choose the type of meeting from the list",
            wrong="Choose the type of meeting from the list",
        )
        owners = {code for code, _ in _owners(person)}
        for n, action in agreed:
            if action.owner and action.owner not in owners:
                errors[f"action-{n}-owner"] = f"Choose the owner of action {n} from the list"
        numbers = [n for n, _ in agreed]

        def shown(field: str) -> str:
            if field.startswith("actions-"):
                return f"action-{numbers[int(field.split('-')[1])]}-text"
            return "invitations" if field.startswith("invitations") else field

        try:
            made = submit(
                lambda: meetings.meeting_record(
                    actor=actor,
                    person=person,
                    kind=form["kind"],
                    held_on=held_on or clock.today(),  # a stand-in while the date is unreadable (forms.submit)
                    chair=form["chair"],
                    attendees=form["attendees"].splitlines(),
                    invitations=invitations,
                    actions=[a if a.due is not None else replace(a, due=clock.today()) for _, a in agreed],
                    minutes=form["minutes"],
                ),
                errors,
                stand_ins=["held_on"] if held_on is None else [],
                field_of=shown,
            )
        except PermissionDeniedError as exc:
            raise PermissionDenied(str(exc)) from exc
        if made is not None:
            return redirect(f"/case/{person.crn}/meetings?added=1")
    context.update(
        {
            "title": "Record a MAPPA or IOM meeting",
            "form": form,
            "held_on": date_fields(post, "held_on", clock.today()),
            "rows": rows,
            "errors": errors,
            "page_errors": [
                {"text": r, "href": date_href(f, post) if f == "held_on" or f.endswith("-due") else f"#{f}"}
                for f, r in errors.items()
            ],
            "kinds": [(k.value, MEETING_LABELS[k]) for k in MeetingKind],
            "owners": _owners(person),
            "pom_required": meetings.pom_required(person, clock.today()),
        }
    )
    return render(request, "case/meeting_new.html", context, status=400 if errors else 200)
