"""Asking partners for checks, and the prison offender manager's information sharing form."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from keepsafe.core import clock
from keepsafe.core.actor import Role
from keepsafe.core.errors import ValidationError
from keepsafe.people.rules.case_work import Work
from keepsafe.people.rules.vocabulary import RecordSource
from keepsafe.people.selectors import case_write_check
from keepsafe.records.services import record_add
from keepsafe.sharing.rules.agreements import CHECK_LABELS, CheckKind
from keepsafe.sharing.rules.prison_information import SECTIONS, compose, section_problems
from keepsafe.sharing.selectors import partners_for_check
from keepsafe.sharing.services import check_request_create
from keepsafe.web.views.case import REQUESTERS, _case
from keepsafe.web.views.common import actor_of


def check_new(request: HttpRequest, crn: str) -> HttpResponse:
    person, context = _case(request, crn, "case")
    actor = actor_of(request)
    if actor.role not in REQUESTERS:
        raise PermissionDenied
    kind_value = request.POST.get("kind") or request.GET.get("kind") or CheckKind.DOMESTIC_ABUSE.value
    if kind_value not in CheckKind.__members__:
        raise Http404  # no such check: the same answer as any page that does not exist
    kind = CheckKind(kind_value)
    partners = partners_for_check(person, kind)
    errors: dict[str, str] = {}
    form = {"partner": request.POST.get("partner", ""), "question": request.POST.get("question", "")}
    if request.method == "POST":
        try:
            check_request_create(
                actor=actor, person=person, kind=kind.value, partner_code=form["partner"], question=form["question"]
            )
        except ValidationError as exc:
            errors = {"partner" if f in ("partner", "kind") else f: r[:1].upper() + r[1:] for f, r in exc.problems}
            if not form["partner"]:
                errors["partner"] = "Choose who to ask"
        else:
            return redirect("web:case", crn=person.crn)
    context.update(
        {
            "kind": kind,
            "kind_label": CHECK_LABELS[kind],
            "partners": partners,
            "form": form,
            "errors": errors,
            "page_errors": _summary(errors),
            "title": f"Request a {CHECK_LABELS[kind].lower()}",
        }
    )
    return render(request, "case/check_new.html", context, status=400 if errors else 200)


def prison_information(request: HttpRequest, crn: str) -> HttpResponse:
    person, context = _case(request, crn, "case")
    actor = actor_of(request)
    if actor.role is not Role.POM:
        raise PermissionDenied
    case_write_check(actor=actor, person=person, work=Work.CUSTODY)  # this case's POM (or cover), before any form
    form = {key: request.POST.get(key, "") for key, _, _ in SECTIONS}
    errors: dict[str, str] = {}
    if request.method == "POST":
        errors = dict(section_problems(form))
        if not errors:
            now = clock.now()
            try:
                record_add(
                    actor=actor,
                    person=person,
                    external_id=f"PRISON-INFO-{now:%Y%m%dT%H%M%S%f}",
                    source=RecordSource.PRISON.value,
                    kind="PRISON_INFORMATION_SHARING",
                    occurred_at=now,
                    received_at=now,
                    author=f"Prison offender manager {actor.code}",
                    text=compose(form),
                )
            except ValidationError as exc:
                errors = {f: r[:1].upper() + r[1:] for f, r in exc.problems}
            else:
                return redirect("web:case-chronology", crn=person.crn)
    context.update(
        {
            "sections": SECTIONS,
            "form": form,
            "errors": errors,
            "page_errors": _summary(errors),
            "title": "Prison information sharing",
        }
    )
    return render(request, "case/prison_information.html", context, status=400 if errors else 200)


def _summary(errors: dict[str, str]) -> list[dict[str, str]]:
    return [{"text": reason, "href": f"#{field}"} for field, reason in errors.items()]
