"""Issue 15 §3 (helper "overs"): the `/oversight` page — a manager's touch points and countersigning queue, the span
of control of the SPOs they answer for — and the form that records an SPO oversight note on a case."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from keepsafe.actions.models import Action
from keepsafe.cases.recalls import area_regions
from keepsafe.core import clock
from keepsafe.core.actor import Actor, Role
from keepsafe.core.errors import PermissionDeniedError, ValidationError
from keepsafe.core.pages import shown_page
from keepsafe.oversight.models import PduStatus
from keepsafe.oversight.prioritisation import framework, pdu_status_set, statuses_on
from keepsafe.oversight.rules.prioritisation import RAG_LABELS, SAFETY_CRITICAL, Rag, deprioritisable_types
from keepsafe.oversight.rules.supervision import STANDING_LABELS, Standing
from keepsafe.oversight.selectors import manager_queue, span_of_control
from keepsafe.oversight.services import NOTE_MAX, oversight_note_record
from keepsafe.oversight.supervision import supervisor_view
from keepsafe.people.rules.case_work import Work
from keepsafe.people.selectors import case_write_check
from keepsafe.web.views.case import _case
from keepsafe.web.views.common import (
    PAGE_SIZE,
    actor_of,
    page_count,
    page_number,
    query_without_page,
    require_role,
)
from keepsafe.web.views.flags import date_fields, date_from_form
from keepsafe.web.views.forms import date_href, submit
from keepsafe.workforce.models import Staff, Team

MANAGERS = (Role.SPO, Role.HEAD_OF_PDU, Role.REGIONAL_LEADER)


def team_ids_for(actor: Actor, staff: Staff | None) -> list[int]:
    """The teams a manager answers for: an SPO their own team, a head of PDU the teams of their PDU, an ACO the
    teams of their area's regions."""
    if staff is None:
        return []
    if actor.role is Role.SPO:
        return [staff.team_id] if staff.team_id is not None else []
    if actor.role is Role.HEAD_OF_PDU:
        return list(Team.objects.filter(pdu_id=staff.team.pdu_id).values_list("pk", flat=True)) if staff.team else []
    return list(Team.objects.filter(pdu__region__in=area_regions(staff)).values_list("pk", flat=True))


@require_GET
def oversight_page(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_role(actor, *MANAGERS)
    staff = getattr(request.user, "staff", None)
    now = clock.now()
    number = page_number(request)
    touchpoints = manager_queue(
        viewer=actor, kind="touchpoints", now=now, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    number = shown_page(number, PAGE_SIZE, touchpoints.total)  # past the last page: the last (core.pages)
    countersign = manager_queue(viewer=actor, kind="countersign", now=now, limit=PAGE_SIZE)
    return render(
        request,
        "pages/oversight.html",
        {
            "title": "Management oversight" + (f" (page {number})" if number > 1 else ""),
            "touchpoints": touchpoints,
            "countersign": countersign,
            "teams": span_of_control(team_ids_for(actor, staff), now),
            "page": number,
            "pages": page_count(touchpoints.total),
            "query": query_without_page(request),
            "now": now,
        },
    )


def oversight_note(request: HttpRequest, crn: str) -> HttpResponse:
    actor = actor_of(request)
    require_role(actor, *MANAGERS)
    person, context = _case(request, crn, "case-actions")
    try:
        case_write_check(actor=actor, person=person, work=Work.CASE)
    except PermissionDenied as exc:  # the general reason names the holder and the POM, who may not record this
        raise PermissionDeniedError(
            "An SPO oversight note is recorded by a manager in the case holder's management chain, or their named "
            "cover; this case is not in yours"
        ) from exc
    open_touchpoints = list(
        Action.objects.filter(person=person, status=Action.Status.OPEN, type="OVERSIGHT_TOUCHPOINT").order_by("due")
    )
    notes = request.POST.get("notes", "") if request.method == "POST" else ""
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            oversight_note_record(actor=actor, person=person, notes=notes)
        except ValidationError as exc:
            for field, reason in exc.problems:
                errors.setdefault(field, reason)
        else:
            still_open = Action.objects.filter(
                pk__in=[a.pk for a in open_touchpoints], status=Action.Status.OPEN
            ).count()
            closed = len(open_touchpoints) - still_open
            messages.success(
                request,
                f"Oversight note recorded on {person.crn}: {closed} touch point{'s' if closed != 1 else ''} closed",
            )
            return redirect("web:oversight")
    elif request.method != "GET":
        raise Http404
    context.update(
        {
            "title": f"Record an SPO oversight note – {person.crn}",
            "open_touchpoints": open_touchpoints,
            "notes": notes,
            "errors": errors,
            "page_errors": [{"text": r, "href": f"#{f}"} for f, r in errors.items()],
            "note_max": NOTE_MAX,
            "now": clock.now(),
        }
    )
    return render(request, "case/oversight_note.html", context, status=400 if errors else 200)


# --- issue 15 §4 (helper "overs"): a head of PDU sets their PDU's prioritisation status ---------------------------
def pdu_status(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_role(actor, Role.HEAD_OF_PDU)
    staff = getattr(request.user, "staff", None)
    if staff is None or staff.team is None:
        raise PermissionDenied
    pdu = staff.team.pdu
    errors: dict[str, str] = {}
    form = {"status": request.POST.get("status", ""), "reason": request.POST.get("reason", "")}
    if request.method == "POST":
        applies = date_from_form(request.POST, "applies_from", "date the status applies from", errors, required=True)
        # every problem at once (web/views/forms.submit): an unreadable date is stood in for by today
        done = submit(
            lambda: pdu_status_set(
                actor=actor,
                pdu=pdu,
                status=form["status"],
                reason=form["reason"],
                applies_from=applies or clock.today(),
            ),
            errors,
            stand_ins=["applies_from"] if applies is None else [],
        )
        if done is not None:
            messages.success(request, f"{pdu.name}: prioritisation status set to {form['status'].lower()}")
            return redirect("web:pdu-status")
    elif request.method != "GET":
        raise Http404
    history = list(PduStatus.objects.filter(pdu=pdu)[:PAGE_SIZE])
    current = statuses_on([pdu.pk], clock.today()).get(pdu.pk)
    rules = framework()
    return render(
        request,
        "pages/pdu_status.html",
        {
            "title": f"Prioritisation status – {pdu.name}",
            "pdu": pdu,
            "current": current,
            "history": history,
            "form": form,
            "applies_from": date_fields(request.POST, "applies_from", clock.today()),
            "errors": errors,
            "page_errors": [
                {"text": r, "href": date_href(f, request.POST) if f == "applies_from" else f"#{f}"}
                for f, r in errors.items()
            ],
            "status_options": [(r.value, RAG_LABELS[r]) for r in Rag],
            "deprioritised": {r.value: deprioritisable_types(r, rules) for r in Rag},
            "never": sorted(SAFETY_CRITICAL),
        },
        status=400 if errors else 200,
    )


# --- issue 15 §6 (helper "overs"): the supervisor view ---------------------------------------------------------------
@require_GET
def supervisor(request: HttpRequest) -> HttpResponse:
    """SPOs see their team, heads of PDU their PDU's teams, ACOs their region's (counts only: no case is named)."""
    actor = actor_of(request)
    require_role(actor, *MANAGERS)
    teams = supervisor_view(team_ids_for(actor, getattr(request.user, "staff", None)), clock.now())
    return render(
        request,
        "pages/oversight_team.html",
        {
            "title": "Supervisor view",
            "teams": teams,
            "labels": STANDING_LABELS,
            "standings": list(Standing),
        },
    )
