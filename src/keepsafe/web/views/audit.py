"""The audit trail search, for auditors."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from keepsafe.audit.selectors import audit_search
from keepsafe.core.errors import PermissionDeniedError
from keepsafe.web.views.common import actor_of

EARLIEST, LATEST = date(1900, 1, 1), date(9000, 12, 31)  # searchable range; the trail starts long after 1900


def _date(value: str, errors: dict[str, str], name: str) -> date | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        errors[name] = "Enter a date in the form 2026-11-23"
        return None
    if not EARLIEST <= day <= LATEST:
        errors[name] = f"Enter a date between {EARLIEST:%-d %B %Y} and {LATEST:%-d %B %Y}"
        return None
    return day


def audit(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    errors: dict[str, str] = {}
    crn = request.GET.get("crn", "").strip()[:7]
    who = request.GET.get("actor", "").strip()[:150]
    date_from = _date(request.GET.get("from", "").strip(), errors, "from")
    date_to = _date(request.GET.get("to", "").strip(), errors, "to")
    if date_from and date_to and date_to < date_from:
        errors["to"] = "The end date must be the same as or after the start date"
    try:
        events = audit_search(
            viewer=actor,
            crn=crn or None,
            actor=who or None,
            date_from=date_from,
            date_to=date_to if not errors else None,
        )
    except PermissionDeniedError as exc:
        raise PermissionDenied from exc
    return render(
        request,
        "pages/audit.html",
        {
            "events": list(events[:200]) if not errors else [],
            "errors": errors,
            "form": {"crn": crn, "actor": who, "from": request.GET.get("from", ""), "to": request.GET.get("to", "")},
        },
    )
