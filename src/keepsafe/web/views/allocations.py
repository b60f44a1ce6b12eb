"""The allocation queue and the allocate journey (issue 15 §2; docs/workforce.md "Allocation").

Thin: the queue and the candidates are composed in cases/allocations.py; the decision is oversight.allocation.allocate.
A guardrail's refusal is shown in the error summary with what was typed kept; nothing is written until it passes."""

from __future__ import annotations

from typing import TypedDict, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from keepsafe.actions.services.manage import refresh
from keepsafe.cases.allocations import allocation_choice, allocation_queue, viewer_pdu
from keepsafe.core import clock
from keepsafe.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from keepsafe.oversight.allocation import AllocationRefusedError, allocate, allocation_check
from keepsafe.oversight.rules.allocation import ALLOCATING_ROLES, FIRST_ALLOCATION_REASONS, REASON_LABELS
from keepsafe.web.views.common import actor_of
from keepsafe.web.views.forms import submit

FIELDS = ("to", "reason", "notes", "oversight_note", "override_reason", "oversight_plan", "capacity_reason")


class _Texts(TypedDict):
    to: str
    reason: str
    notes: str
    oversight_note: str
    override_reason: str
    oversight_plan: str
    capacity_reason: str


def _texts(values: dict[str, str]) -> _Texts:
    """What was typed, as the allocation service's keyword arguments (FIELDS are _Texts' keys)."""
    return cast(_Texts, {field: values[field] for field in FIELDS})


def queue(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if actor.role not in ALLOCATING_ROLES:  # the queue names cases: only those who allocate read it
        raise PermissionDeniedError("Only senior probation officers and heads of PDU allocate cases")
    pdu = viewer_pdu(actor)
    rows = allocation_queue(viewer=actor, pdu=pdu) if pdu is not None else []
    return render(
        request,
        "pages/allocations.html",
        {
            "title": f"Cases to allocate – {pdu.name}" if pdu else "Cases to allocate",
            "pdu": pdu,
            "rows": rows,
            "may_allocate": actor.role in ALLOCATING_ROLES,
            "today": clock.today(),
        },
    )


def allocate_case(request: HttpRequest, crn: str) -> HttpResponse:
    actor = actor_of(request)
    if actor.role not in ALLOCATING_ROLES:
        raise PermissionDeniedError("Only senior probation officers and heads of PDU allocate cases")
    try:
        person, candidates = allocation_choice(viewer=actor, crn=crn)
    except NotFoundError as exc:
        raise Http404 from exc
    except PermissionDeniedError as exc:  # another PDU's case (oversight.allocation.allocator_check): the reason shown
        raise PermissionDenied(str(exc)) from exc
    held = person.practitioner_id is not None
    reasons = [(r.value, label) for r, label in REASON_LABELS.items() if (r in FIRST_ALLOCATION_REASONS) is not held]
    form = request.POST if request.method == "POST" else request.GET
    values = {name: form.get(name, "") for name in FIELDS}
    if not values["reason"] and not held:
        values["reason"] = "INITIAL_ALLOCATION"
    errors: dict[str, str] = {}
    refusal = ""
    if request.method == "POST":
        if not values["to"]:
            errors["to"] = "Choose the practitioner to allocate the case to"
        if not values["reason"]:
            errors["reason"] = "Choose the reason for the allocation"
        elif values["reason"] not in {value for value, _ in reasons}:  # a reason the page does not offer, in words
            errors["reason"] = "Choose the reason for the allocation from the list"
        if errors:  # every problem at once: the service checks the rest, nothing written (web/views/forms.submit)
            submit(
                lambda: allocation_check(actor=actor, crn=person.crn, **_texts(values)),
                errors,
                stand_ins=[name for name in ("to", "reason") if name in errors],
                field_of=lambda field: field if field in FIELDS else "to",
            )
        else:
            try:
                result = allocate(actor=actor, crn=person.crn, **_texts(values))
            except AllocationRefusedError as exc:
                refusal = str(exc)
                errors["to"] = f"You cannot allocate this case to {values['to']}: {exc}"
            except ValidationError as exc:
                for field, reason in exc.problems:
                    errors.setdefault(field if field in FIELDS else "to", reason[:1].upper() + reason[1:])
            else:
                refresh(person.pk)
                done = f"{person.crn} allocated to {result.decision.staff.name}"
                if result.countersign is not None and result.countersign.owner is not None:
                    done += f"; the override goes to {result.countersign.owner.name} to countersign"
                messages.success(request, done)
                return redirect("web:allocations")
    return render(
        request,
        "pages/allocation_case.html",
        {
            "title": f"Allocate {person.crn} – {person.forename} {person.surname}",
            "person": person,
            "candidates": candidates,
            "reasons": reasons,
            "form": values,
            "errors": errors,
            "refusal": refusal,
            "page_errors": [{"text": text, "href": f"#{field}"} for field, text in errors.items()],
            "may_allocate": actor.role in ALLOCATING_ROLES,
        },
        status=400 if errors else 200,
    )
