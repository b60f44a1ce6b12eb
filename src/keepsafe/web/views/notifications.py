"""The notifications page (issue 14 §3): reminders, escalations, countersign requests, team digests and new
information on my cases, read or unread, for staff with and without email. Only what the viewer may see is listed
or counted (actions/inbox.py)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from keepsafe.actions.inbox import inbox, mark_read
from keepsafe.core.dates import is_number
from keepsafe.core.errors import PermissionDeniedError, ValidationError
from keepsafe.web.views.common import actor_of, page_number, query_choice

SHOW = ("all", "unread")


def notifications_page(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if actor.staff_id is None:
        raise PermissionDeniedError("Only a member of staff has notifications")
    errors: dict[str, str] = {}
    show = query_choice(request, "show", SHOW, "a list of notifications") or "all"
    page = page_number(request)  # a number past the last page shows the last (actions/inbox.py)
    if request.method == "POST":
        choice = request.POST.get("mark", "")
        read = request.POST.get("as", "read") != "unread"
        ids: list[int] | None
        if choice == "all":
            ids = None
        elif is_number(choice):
            ids = [int(choice)]
        else:
            ids = []
            errors["notifications"] = "Choose a notification to mark as read"
        if not errors:
            try:
                changed = mark_read(actor=actor, ids=ids, read=read)
            except ValidationError as exc:
                errors = {field: reason for field, reason in exc.problems}
            else:
                if ids is None:
                    text = f"{changed} notification{'s' if changed != 1 else ''} marked as read"
                else:
                    text = "Notification marked as " + ("read" if read else "unread")
                messages.success(request, text)
                return redirect(f"{request.path}?show={show}")
    items, pages, unread = inbox(actor=actor, unread_only=show == "unread", page=page)
    page = min(max(page, 1), pages)
    return render(
        request,
        "pages/notifications.html",
        {
            "title": "Notifications" + (f" (page {page} of {pages})" if pages > 1 else ""),
            "items": items,
            "unread": unread,
            "show": show,
            "page": page,
            "pages": pages,
            "errors": errors,
            "page_errors": [{"text": r, "href": "#notifications"} for r in errors.values()],
        },
    )
