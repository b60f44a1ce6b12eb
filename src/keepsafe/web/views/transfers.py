"""Case transfer pages (issue 16 §2; docs/sharing.md "Transfers"): the case's Transfers tab (history, the pending
request, the request form), the receiving head's decision form, and the list of transfers waiting for the viewer.

Every form reports each problem in the error summary, keeps what was typed and writes nothing on error; a write ends
with a success banner. The services (cases/transfers.py) decide who may act; the pages only show what they allow."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from keepsafe.cases.transfers import (
    DECIDERS,
    pending_transfers,
    receiving_head,
    transfer_decide,
    transfer_request,
    transfers_for_case,
)
from keepsafe.core.errors import ValidationError
from keepsafe.people.models import RemandPeriod, Transfer
from keepsafe.people.rules.case_work import Work
from keepsafe.people.rules.transfers import PRACTITIONER_GRADES
from keepsafe.people.selectors import case_write_check, staff_may_see
from keepsafe.web.views.case import _case
from keepsafe.web.views.common import actor_of
from keepsafe.web.views.flags import _summary
from keepsafe.web.views.forms import service_errors, submit
from keepsafe.workforce.models import Pdu, Staff

TAB = "case-transfers"


def case_transfers(request: HttpRequest, crn: str) -> HttpResponse:
    """GET: the tab. POST: request a transfer (whoever works the case; the service refuses anyone else)."""
    person, context = _case(request, crn, TAB)
    actor = actor_of(request)
    errors: dict[str, str] = {}
    values = {k: request.POST.get(k, "") for k in ("to_pdu", "reason")}
    if request.method == "POST":
        case_write_check(actor=actor, person=person, work=Work.CASE)  # who may not write sees a 403, not a form error
        if not values["to_pdu"]:
            errors["to_pdu"] = "Choose the PDU the case should move to"
        if not values["reason"].strip():
            errors["reason"] = "Give the reason for the transfer"
        transfer = submit(  # every problem at once: the service checks the rest even when a field is missing
            lambda: transfer_request(actor=actor, person=person, to_pdu_code=values["to_pdu"], reason=values["reason"]),
            errors,
            field_of=lambda field: "to_pdu" if field == "crn" else field.split("[")[0],
        )
        if transfer is not None:
            messages.success(
                request, f"Transfer to {transfer.to_pdu.name} requested; the case stays with you until it is accepted"
            )
            return redirect("web:case-transfers", crn=person.crn)
    history = transfers_for_case(person)
    pending = next((t for t in history if t.status == Transfer.Status.PENDING), None)
    context.update(
        {
            "page_title": ("Request a transfer – " if request.method == "POST" else "Transfers – ")
            + f"{person.forename} {person.surname} ({person.crn})",
            "history": history,
            "pending": pending,
            "may_decide": pending is not None and _may_decide(request, pending),
            "pdus": list(
                Pdu.objects.exclude(pk=person.pdu_id).select_related("region").order_by("region__name", "name")
            ),
            "remand_periods": list(RemandPeriod.objects.filter(person=person)),
            "form": values,
            "errors": errors,
            "page_errors": _summary(errors, request.POST),
        }
    )
    return render(request, "case/transfers.html", context, status=400 if errors else 200)


def _may_decide(request: HttpRequest, pending: Transfer) -> bool:
    """Whether to offer the decision link: the receiving head or the decision's holder (the service checks again)."""
    actor = actor_of(request)
    if actor.role not in DECIDERS or actor.staff_id is None:
        return False
    head = receiving_head(pending.to_pdu)
    holds = pending.person.actions.filter(key=f"transfer:{pending.external_id}", owner_id=actor.staff_id).exists()
    return holds or (head is not None and head.pk == actor.staff_id)


def transfer_decide_page(request: HttpRequest, crn: str) -> HttpResponse:
    """The receiving head accepts (naming the practitioner) or rejects (with a reason) the pending transfer."""
    person, context = _case(request, crn, TAB)
    actor = actor_of(request)
    pending = (
        Transfer.objects.filter(person=person, status=Transfer.Status.PENDING)
        .select_related("to_pdu", "from_pdu", "from_practitioner")
        .first()
    )
    errors: dict[str, str] = {}
    values = {k: request.POST.get(k, "") for k in ("decision", "practitioner", "reason")}
    status = 200
    if request.method == "POST":
        if values["decision"] not in ("accept", "reject"):
            errors["decision"] = "Choose whether to accept or reject the transfer"
        elif values["decision"] == "accept" and not values["practitioner"]:
            errors["practitioner"] = "Choose the practitioner who will hold the case"
        elif values["decision"] == "reject" and not values["reason"].strip():
            errors["reason"] = "Give the reason the transfer is rejected"
        if actor.role not in DECIDERS:  # the service refuses too; here before any form problem is reported
            transfer_decide(actor=actor, person=person, accept=False, reason="")
        if not errors:
            try:
                transfer = transfer_decide(
                    actor=actor,
                    person=person,
                    accept=values["decision"] == "accept",
                    practitioner_code=values["practitioner"] or None,
                    reason=values["reason"],
                )
            except ValidationError as exc:
                errors = service_errors(exc, {"crn": "decision"})
            else:
                if transfer.status == Transfer.Status.ACCEPTED and transfer.to_practitioner is not None:
                    text = f"Transfer accepted: the case is now held by {transfer.to_practitioner.name}"
                    text += f" in {transfer.to_pdu.name}; the transfer summary is stored in Documents"
                else:
                    text = "Transfer rejected: the case stays where it is"
                messages.success(request, text)
                return redirect("web:case-transfers", crn=person.crn)
        status = 400
    practitioners = []
    if pending is not None:
        practitioners = [
            s
            for s in Staff.objects.filter(team__pdu=pending.to_pdu, grade__in=sorted(PRACTITIONER_GRADES)).order_by(
                "surname", "forename", "code"
            )
            if staff_may_see(s.pk, person)
        ]
    context.update(
        {
            "page_title": f"Decide the transfer – {person.forename} {person.surname} ({person.crn})",
            "pending": pending,
            "practitioners": practitioners,
            "form": values,
            "errors": errors,
            "page_errors": _summary(errors, request.POST),
        }
    )
    return render(request, "case/transfer_decide.html", context, status=status)


def transfers_page(request: HttpRequest) -> HttpResponse:
    """Transfers waiting for the viewer's decision: only cases they may see (the listing is audited)."""
    rows = pending_transfers(viewer=actor_of(request))
    return render(request, "pages/transfers.html", {"title": "Transfers waiting for your decision", "rows": rows})
