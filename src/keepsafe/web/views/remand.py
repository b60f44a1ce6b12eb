"""Recording a period on remand from the case (issue 16 §6; helper "share2"). The rule is people/rules/remand.py and
the writing cases/remand.py; this page is thin: GOV.UK date inputs, the error summary, a success banner."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from keepsafe.cases.remand import remand_record
from keepsafe.core import clock
from keepsafe.core.errors import PermissionDeniedError
from keepsafe.people.rules.remand import remand_date_problems
from keepsafe.people.selectors import case_write_check
from keepsafe.web.views.case import _case
from keepsafe.web.views.common import actor_of
from keepsafe.web.views.flags import _summary, date_fields, date_from_form
from keepsafe.web.views.forms import submit

TAB = "case-transfers"  # remand periods are listed on the Transfers tab, beside where the case is held
DATES = ("start", "end")


def remand_new(request: HttpRequest, crn: str) -> HttpResponse:
    person, context = _case(request, crn, TAB)
    actor = actor_of(request)
    try:
        case_write_check(actor=actor, person=person)  # the service's own gate, before any form
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from exc
    post = request.POST
    form = {k: post.get(k, "") for k in ("court", "prison", "matter")}
    errors: dict[str, str] = {}
    if request.method == "POST":
        start = date_from_form(post, "start", "date the remand started", errors, required=True)
        end = date_from_form(post, "end", "date the remand ended", errors, required=False)
        for field, reason in remand_date_problems(start=start, end=end, today=clock.today()):
            errors.setdefault(field, reason)  # each date on its own, so one unreadable date hides nothing
        unreadable = [name for name in DATES if name in errors]
        try:
            period = submit(
                lambda: remand_record(
                    actor=actor,
                    person=person,
                    start=None if unreadable else start,  # the dates are checked above when either is wrong
                    end=None if unreadable else end,
                    court=form["court"],
                    prison=form["prison"],
                    matter=form["matter"],
                ),
                errors,
                stand_ins=DATES if unreadable else (),  # the service's date refusals would be about the stand-in
            )
        except PermissionDeniedError as exc:
            raise PermissionDenied(str(exc)) from exc
        if period is not None:
            lasting = f"to {period.end:%-d %B %Y}" if period.end else "(still on remand)"
            messages.success(request, f"Period on remand recorded: from {period.start:%-d %B %Y} {lasting}")
            return redirect("web:case-transfers", crn=person.crn)
    context.update(
        {
            "page_title": f"Record a period on remand – {person.forename} {person.surname} ({person.crn})",
            "form": form,
            "start": date_fields(post, "start"),
            "end": date_fields(post, "end"),
            "errors": errors,
            "page_errors": _summary(errors, post, DATES),
        }
    )
    return render(request, "case/remand_new.html", context, status=400 if errors else 200)
