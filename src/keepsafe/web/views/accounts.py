"""The administrators' accounts page (issue 14 §8): create a sign-in account for an imported member of staff with
its role, and disable one. Only administrators reach it; the services check again and audit every write."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from keepsafe.core.actor import Role
from keepsafe.core.errors import ValidationError
from keepsafe.web.views.common import actor_of, require_role
from keepsafe.workforce.selectors import staff_without_accounts, users_list
from keepsafe.workforce.services import user_add, user_disable

ROLES = [(r.value, r.label) for r in Role if r not in (Role.SYSTEM, Role.PARTNER)]


@never_cache  # a generated password is shown once on the answer to a POST: never stored by a browser or proxy
def accounts_page(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    require_role(actor, Role.ADMINISTRATOR)
    errors: dict[str, str] = {}
    form = {k: request.POST.get(k, "") for k in ("username", "staff", "role", "disable", "reason")}
    created = None
    if request.method == "POST":
        try:
            if request.POST.get("do") == "disable":
                user_disable(actor=actor, username=form["disable"], reason=form["reason"])
                messages.success(request, f"Account {form['disable']} disabled: it can no longer sign in")
                return redirect("web:accounts")
            user, password = user_add(
                actor=actor, username=form["username"], staff_code=form["staff"], role=form["role"]
            )
            created = {"user": user, "password": password}
            form = dict.fromkeys(form, "")
        except ValidationError as exc:
            for field, reason in exc.problems:
                errors.setdefault(
                    "disable" if field == "username" and request.POST.get("do") == "disable" else field, reason
                )
    return render(
        request,
        "pages/accounts.html",
        {
            "title": "Accounts",
            "users": users_list(),
            "staff": staff_without_accounts(),
            "roles": ROLES,
            "form": form,
            "created": created,
            "errors": errors,
            "page_errors": [{"text": r, "href": f"#{f}"} for f, r in errors.items()],
        },
    )
