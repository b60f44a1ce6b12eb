"""The audit trail search, for auditors."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from keepsafe.audit.selectors import AUDIT_READERS, audit_actor_known, audit_search
from keepsafe.core.errors import PermissionDeniedError
from keepsafe.core.ids import normalise_crn
from keepsafe.web.views.common import actor_of, iso_day, query_value, shown_value
from keepsafe.workforce.selectors import names_someone

EARLIEST, LATEST = date(1900, 1, 1), date(9000, 12, 31)  # searchable range; the trail starts long after 1900


def _date(value: str, errors: dict[str, str], name: str) -> date | None:
    if not value:
        return None
    day = iso_day(value)
    if day is None:
        errors[name] = f"Enter a date in the form 2026-11-23: {name}={shown_value(value)} is not one"
        return None
    if not EARLIEST <= day <= LATEST:
        errors[name] = f"Enter a date between {EARLIEST:%-d %B %Y} and {LATEST:%-d %B %Y} ({name}={shown_value(value)})"
        return None
    return day


def audit(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    errors: dict[str, str] = {}
    # each box once (a parameter given twice is refused by name, common.query_value); a CRN that is not one and a
    # date that is not one are errors on the form (400), never a search for nothing
    typed = {name: (query_value(request, name) or "").strip() for name in ("crn", "actor", "from", "to")}
    crn = normalise_crn(typed["crn"]) or ""
    if typed["crn"] and not crn:
        errors["crn"] = f"Enter a CRN, a letter and six digits like X123456: crn={shown_value(typed['crn'])} is not one"
    who = typed["actor"][:150]
    if who and actor.role in AUDIT_READERS and not (names_someone(who) or audit_actor_known(viewer=actor, actor=who)):
        # a name no one has and no event was made by is said to be mistyped, not answered "Latest 0 events"
        # (try-out 10); a member of staff who has done nothing yet is searched for as any other
        errors["actor"] = (
            f"No event in the audit trail was made by actor={shown_value(who)}, and no member of staff or account "
            "has that name: check the username or staff code"
        )
    date_from = _date(typed["from"], errors, "from")
    date_to = _date(typed["to"], errors, "to")
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
            "form": typed,
        },
        status=400 if errors else 200,
    )
