"""The audit trail search, for auditors."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from keepsafe.audit.selectors import audit_search
from keepsafe.core.errors import PermissionDeniedError
from keepsafe.web.views.common import actor_of


def _date(value: str, errors: dict[str, str], name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[name] = "Enter a date in the form 2026-11-23"
        return None


def audit(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    errors: dict[str, str] = {}
    crn = request.GET.get("crn", "").strip()[:7]
    who = request.GET.get("actor", "").strip()[:150]
    date_from = _date(request.GET.get("from", "").strip(), errors, "from")
    date_to = _date(request.GET.get("to", "").strip(), errors, "to")
    try:
        events = audit_search(viewer=actor, crn=crn or None, actor=who or None, date_from=date_from, date_to=date_to)
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
