"""Referrals and the disclosure log (issue 16 §3): the Disclosures tab, making a referral with the current risk summary
(refused, with its reason, while the risk picture is under review or stale), and a logged disclosure as it was sent.
The composition and the rules are in cases/referrals.py and sharing/rules/disclosures.py; this module is thin."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from keepsafe.cases import referrals
from keepsafe.cases.documents import Composition
from keepsafe.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from keepsafe.people.selectors import case_write_check
from keepsafe.sharing.rules.disclosures import SERVICE_LABELS, ReferralService
from keepsafe.web.views.case import _case
from keepsafe.web.views.common import actor_of

TAB = "case-disclosures"


def disclosures_tab(request: HttpRequest, crn: str) -> HttpResponse:
    person, context = _case(request, crn, TAB)
    context.update(
        {
            "disclosures": [(d, referrals.disclosure_label(d.kind)) for d in referrals.disclosures_for_case(person)],
            "refusal": referrals.referral_refused(person),
            "service_labels": {s.value: label for s, label in SERVICE_LABELS.items()},
        }
    )
    return render(request, "case/disclosures.html", context)


def referral_new(request: HttpRequest, crn: str) -> HttpResponse:
    """GET: the referral form, or the reason it cannot be sent now. POST: send it and log the disclosure."""
    person, context = _case(request, crn, TAB)
    actor = actor_of(request)
    try:
        case_write_check(actor=actor, person=person)  # the same gate the service applies, before any form
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from exc
    form = {key: request.POST.get(key, "") for key in ("partner", "service", "reason")}
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            disclosure = referrals.referral_make(
                actor=actor,
                person=person,
                partner_code=form["partner"],
                service=form["service"],
                reason=form["reason"],
            )
        except PermissionDeniedError as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            errors = {field: reason[:1].upper() + reason[1:] for field, reason in exc.problems}
        else:
            return redirect(f"{_disclosure_url(person.crn, str(disclosure.public_id))}?sent=1")
    context.update(
        {
            "title": "Make a referral",
            "form": form,
            "errors": errors,
            "page_errors": [{"text": reason, "href": f"#{field}"} for field, reason in errors.items()],
            "refusal": referrals.referral_refused(person),
            "partners": [
                (p.code, f"{p.name} ({p.kind.replace('_', ' ').lower()})") for p in referrals.referral_partners(person)
            ],
            "services": [(s.value, SERVICE_LABELS[s]) for s in ReferralService],
        }
    )
    return render(request, "case/referral_new.html", context, status=400 if errors else 200)


def _disclosure_url(crn: str, public_id: str) -> str:
    from django.urls import reverse

    return reverse("web:case-disclosure", kwargs={"crn": crn, "public_id": public_id})


def disclosure_page(request: HttpRequest, crn: str, public_id: str) -> HttpResponse:
    person, context = _case(request, crn, TAB)
    try:
        disclosure = referrals.disclosure_get(actor=actor_of(request), person=person, public_id=public_id)
    except NotFoundError as exc:
        raise Http404 from exc
    context.update(
        {
            "title": f"{disclosure.title} ({disclosure.made_at:%-d %B %Y %H:%M})",
            "disclosure": disclosure,
            "label": referrals.disclosure_label(disclosure.kind),
            "composition": Composition.from_json(disclosure.document),
            "sent": request.GET.get("sent") == "1",
        }
    )
    return render(request, "case/disclosure.html", context)
