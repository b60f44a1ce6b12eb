"""Sign-in and sign-out. Failed attempts are throttled by django-axes (username + address)."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from keepsafe.audit.services import audit_record
from keepsafe.core.actor import Channel
from keepsafe.workforce.selectors import actor_for_user


@login_not_required
def sign_in(request: HttpRequest) -> HttpResponse:
    errors: dict[str, str] = {}
    username = ""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        password = request.POST.get("password", "")
        if not username:
            errors["username"] = "Enter your username"
        if not password:
            errors["password"] = "Enter your password"  # noqa: S105 — a message, not a secret
        if not errors:
            user = authenticate(request, username=username, password=password)
            if user is None:
                errors["username"] = "The username or password is not right"
            else:
                login(request, user)
                audit_record(actor=actor_for_user(user, Channel.WEB), action="SIGN_IN")
                if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
                    next_url = ""
                return redirect(next_url or "web:home")
    status = 400 if errors else 200
    return render(
        request, "pages/sign_in.html", {"errors": errors, "username": username, "next": next_url}, status=status
    )


def locked_out(request: HttpRequest, credentials: dict | None = None, *args, **kwargs) -> HttpResponse:
    return render(request, "pages/locked_out.html", status=429)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(actor=actor_for_user(request.user, Channel.WEB), action="SIGN_OUT")  # type: ignore[arg-type]
    logout(request)
    return redirect("web:sign-in")
