"""Flags (registrations) from the Flags tab: add one, review it (keep, amend or end), end it (issue 14 §2).

Every form reports each problem by field in the error summary, keeps what was typed, and writes nothing on error;
a write ends with a success banner on the Flags tab. The services (people/services.py) check who may write."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from keepsafe.actions.rules.checks import JUSTIFIED_FLAGS
from keepsafe.actions.services.decisions import check_answer_flag_add
from keepsafe.actions.services.manage import refresh
from keepsafe.core import clock
from keepsafe.core.dates import DATE_PARTS, date_from_parts  # a date input's boxes: name-day, name-month, name-year
from keepsafe.people.models import Person, Registration, RegistrationType
from keepsafe.people.rules.case_work import Work
from keepsafe.people.rules.registration_review import (
    MAPPA_CATEGORY_LABELS,
    MAPPA_LEVEL_LABELS,
    REVIEW_DECISION_LABELS,
    ReviewDecision,
)
from keepsafe.people.rules.vocabulary import MAPPA_CATEGORIES, MAPPA_LEVELS
from keepsafe.people.selectors import case_write_check
from keepsafe.people.services import registration_add, registration_remove, registration_review_decide
from keepsafe.sharing.models import CheckRequest
from keepsafe.sharing.rules.agreements import CHECK_LABELS, CheckKind
from keepsafe.web.views.case import _case
from keepsafe.web.views.common import actor_of
from keepsafe.web.views.forms import date_href, submit

MAPPA = "MAPP"


def date_from_form(form: QueryDict, name: str, label: str, errors: dict[str, str], *, required: bool) -> date | None:
    """A GOV.UK date input's value, or None with the reason in `errors[name]` (blank and optional: None, no error).
    Read by core/dates.py, as every form's date boxes are: the digits 0 to 9 only, a four-digit year, a real date."""
    day, month, year = (form.get(f"{name}-{p}", "") for p in DATE_PARTS)
    if not (day + month + year).strip() and not required:
        return None
    found = date_from_parts(day, month, year, f"the {label}")
    if isinstance(found, str):
        errors[name] = found
        return None
    return found


def date_fields(form: QueryDict, name: str, default: date | None = None) -> dict[str, str]:
    """What a date input shows: what was typed, or the default."""
    if any(f"{name}-{p}" in form for p in DATE_PARTS):
        return {p: form.get(f"{name}-{p}", "") for p in DATE_PARTS}
    if default is None:
        return dict.fromkeys(DATE_PARTS, "")
    return {"day": str(default.day), "month": str(default.month), "year": str(default.year)}


def _summary(errors: dict[str, str], form: QueryDict, dates: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """The error summary: each problem links to its field (a date input's first box at fault: forms.date_href)."""
    return [
        {"text": reason, "href": date_href(field, form) if field in dates else f"#{field}"}
        for field, reason in errors.items()
    ]


def _unread(errors: dict[str, str], fields: tuple[str, ...]) -> list[str]:
    """The fields the form already refused (an unreadable date, an unanswered choice): the service was passed a
    stand-in for them, so its refusals of those fields are about the stand-in, not what was typed."""
    return [f for f in fields if f in errors]


def _registration(person: Person, registration_id: int) -> Registration:
    found = Registration.objects.filter(person=person, pk=registration_id).select_related("type", "person").first()
    if found is None:
        raise Http404  # the case is visible; the flag is not on it
    return found


def _mappa_options() -> dict[str, Any]:
    return {
        "levels": [(v, MAPPA_LEVEL_LABELS[v]) for v in MAPPA_LEVELS],
        "categories": [(v, MAPPA_CATEGORY_LABELS[v]) for v in MAPPA_CATEGORIES],
        "level_labels": MAPPA_LEVEL_LABELS,
        "category_labels": MAPPA_CATEGORY_LABELS,
    }


def _check_for(person: Person, public_id: str) -> CheckRequest | None:
    """The answered check a flag is being added for (`?check=`), when it is this case's and not yet acted on."""
    try:
        wanted = uuid.UUID(public_id)
    except ValueError:
        return None
    return CheckRequest.objects.filter(
        person=person, public_id=wanted, response_record__isnull=False, acted_on_at__isnull=True
    ).first()


def flag_new(request: HttpRequest, crn: str) -> HttpResponse:
    person, context = _case(request, crn, "case-flags")
    actor = actor_of(request)
    case_write_check(actor=actor, person=person, work=Work.CUSTODY)  # who may not write sees no form
    form = request.POST if request.method == "POST" else request.GET
    check = _check_for(person, form.get("check", "")) if form.get("check") else None
    types = list(RegistrationType.objects.order_by("name"))
    if check is not None:
        allowed = JUSTIFIED_FLAGS.get(check.kind, ())
        types = [t for t in types if t.code in allowed]
    errors: dict[str, str] = {}
    values = {k: form.get(k, "") for k in ("type", "level", "category", "notes")}
    if request.method == "POST":
        reg_type = next((t for t in types if t.code == values["type"]), None)
        if reg_type is None:
            errors["type"] = "Choose the type of flag"
        start = date_from_form(request.POST, "start", "start date", errors, required=True)
        end = date_from_form(request.POST, "end", "end date", errors, required=False)
        is_mappa = values["type"] == MAPPA
        level = values["level"] or None if is_mappa else None
        category = values["category"] or None if is_mappa else None
        if is_mappa and level is None:
            errors["level"] = "Choose the MAPPA level"
        if is_mappa and category is None and level != "M0":
            errors["category"] = "Choose the MAPPA category"
        # a value the page does not offer is refused, never ignored (issue 16 try-out)
        if values["level"] and values["level"] not in MAPPA_LEVELS:
            errors["level"] = "Choose a MAPPA level from the list"
        if values["category"] and values["category"] not in MAPPA_CATEGORIES:
            errors["category"] = "Choose a MAPPA category from the list"
        if check is not None and not values["notes"].strip():
            errors["notes"] = "Say what the answer showed and why the flag is needed"
        type_code = reg_type.code if reg_type is not None else values["type"]

        def write() -> Registration:
            # an unreadable date is stood in for (today, no end) so the service still checks every other field
            if check is not None:
                return check_answer_flag_add(
                    actor=actor,
                    check=check,
                    type_code=type_code,
                    start=start or clock.today(),
                    end=end,
                    notes=values["notes"],
                )
            added = registration_add(
                actor=actor,
                person=person,
                external_id=f"KS-{uuid.uuid4().hex[:12].upper()}",
                type_code=type_code,
                start=start or clock.today(),
                end=end,
                level=level,
                category=category,
                notes=values["notes"],
            )
            refresh(person.pk)
            return added

        registration = submit(
            write, errors, stand_ins=_unread(errors, ("start", "end")), field_of=lambda f: {"id": "type"}.get(f, f)
        )
        if registration is not None:
            done = f"{registration.type.name} flag added"
            if check is not None:
                done += f"; the {CHECK_LABELS[CheckKind(check.kind)].lower()} is recorded as acted on"
            messages.success(request, done)
            return redirect("web:case-flags", crn=person.crn)
    context.update(
        {
            "page_title": f"Add a flag – {context['person'].forename} {context['person'].surname}",
            "types": types,
            "form": values,
            "check": check,
            "check_label": CHECK_LABELS[CheckKind(check.kind)] if check is not None else "",
            "start": date_fields(form, "start", clock.today()),
            "end": date_fields(form, "end"),
            "errors": errors,
            "page_errors": _summary(errors, request.POST, ("start", "end")),
            **_mappa_options(),
        }
    )
    return render(request, "case/flag_new.html", context, status=400 if errors else 200)


def flag_review(request: HttpRequest, crn: str, registration_id: int) -> HttpResponse:
    person, context = _case(request, crn, "case-flags")
    actor = actor_of(request)
    case_write_check(actor=actor, person=person, work=Work.CUSTODY)
    registration = _registration(person, registration_id)
    form = request.POST
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        "decision": form.get("decision", ""),
        "notes": form.get("notes", ""),
        "flag_notes": form.get("flag_notes", registration.notes),
        "level": form.get("level", registration.level or ""),
        "category": form.get("category", registration.category or ""),
        "end_reason": form.get("end_reason", ""),
    }
    if request.method == "POST":
        decision = ReviewDecision(values["decision"]) if values["decision"] in ReviewDecision.__members__ else None
        if decision is None:
            errors["decision"] = "Choose whether to keep, amend or end the flag"
        reviewed_on = date_from_form(form, "reviewed_on", "review date", errors, required=True)
        end: date | None = None
        if decision is ReviewDecision.AMEND:
            end = date_from_form(form, "amend_end", "new end date", errors, required=False)
        elif decision is ReviewDecision.END:
            end = date_from_form(form, "end", "end date", errors, required=True)
        mappa = (values["level"] or None, values["category"] or None) if registration.type.code == MAPPA else None
        end_field = "amend_end" if decision is ReviewDecision.AMEND else "end"

        def review() -> ReviewDecision:
            # stand-ins (keep, today) for an unanswered decision or unreadable date: every other field is still checked
            chosen = decision or ReviewDecision.KEEP
            registration_review_decide(
                actor=actor,
                registration=registration,
                decision=chosen,
                notes=values["notes"],
                reviewed_on=reviewed_on or clock.today(),
                end=end,
                flag_notes=values["flag_notes"] if chosen is ReviewDecision.AMEND else None,
                mappa=mappa if chosen is ReviewDecision.AMEND else None,
            )
            refresh(person.pk)
            return chosen

        unread = _unread(errors, ("decision", "reviewed_on", end_field))
        reviewed = submit(review, errors, stand_ins=unread, field_of=lambda f: {"end": end_field}.get(f, f))
        if reviewed is None:
            registration.refresh_from_db()
        else:
            outcome = {ReviewDecision.KEEP: "kept", ReviewDecision.AMEND: "amended", ReviewDecision.END: "ended"}
            messages.success(request, f"{registration.type.name} flag reviewed and {outcome[reviewed]}")
            return redirect("web:case-flags", crn=person.crn)
    context.update(
        {
            "page_title": f"Review the {registration.type.name} flag – {person.forename} {person.surname}",
            "registration": registration,
            "is_mappa": registration.type.code == MAPPA,
            "form": values,
            "decisions": [(d.value, REVIEW_DECISION_LABELS[d]) for d in ReviewDecision],
            "reviewed_on": date_fields(form, "reviewed_on", clock.today()),
            "amend_end": date_fields(form, "amend_end", registration.end),
            "end": date_fields(form, "end", clock.today()),
            "errors": errors,
            "page_errors": _summary(errors, request.POST, ("reviewed_on", "amend_end", "end")),
            **_mappa_options(),
        }
    )
    return render(request, "case/flag_review.html", context, status=400 if errors else 200)


def flag_end(request: HttpRequest, crn: str, registration_id: int) -> HttpResponse:
    person, context = _case(request, crn, "case-flags")
    actor = actor_of(request)
    case_write_check(actor=actor, person=person, work=Work.CUSTODY)
    registration = _registration(person, registration_id)
    form = request.POST
    errors: dict[str, str] = {}
    reason = form.get("reason", "")
    if request.method == "POST":
        ended_on = date_from_form(form, "end", "end date", errors, required=True)
        if not reason.strip():
            errors["reason"] = "Give the reason the flag is ending"

        def remove() -> str:
            registration_remove(
                actor=actor, registration=registration, ended_on=ended_on or clock.today(), reason=reason
            )
            refresh(person.pk)
            return f"{registration.type.name} flag ended"

        done = submit(
            remove, errors, stand_ins=_unread(errors, ("end",)), field_of=lambda f: {"ended_on": "end"}.get(f, f)
        )
        if done is None:
            registration.refresh_from_db()
        else:
            messages.success(request, done)
            return redirect("web:case-flags", crn=person.crn)
    context.update(
        {
            "page_title": f"End the {registration.type.name} flag – {person.forename} {person.surname}",
            "registration": registration,
            "reason": reason,
            "end": date_fields(form, "end", clock.today()),
            "errors": errors,
            "page_errors": _summary(errors, request.POST, ("end",)),
            **_mappa_options(),
        }
    )
    return render(request, "case/flag_end.html", context, status=400 if errors else 200)
