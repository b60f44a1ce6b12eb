"""Template context every page has: who is signed in, the CSP nonce as a string, the service name."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.middleware.csp import get_nonce

from keepsafe.core.actor import Role

STAFF_FILTER_MEMO = "_staff_filter_memo"


def staff_namer() -> Callable[[str | None], str]:
    """People shown by name, not staff code (GOV.UK): looked up once per code per page."""
    from keepsafe.workforce.models import Staff

    names: dict[str, str] = {}

    def name(code: str | None) -> str:
        if not code:
            return ""
        if code not in names:
            found = Staff.objects.filter(code=code).values_list("forename", "surname").first()
            names[code] = f"{found[0]} {found[1]}" if found else code
        return names[code]

    return name


def page_context(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    role = Role(user.role) if signed_in and user is not None else None
    nonce = get_nonce(request)
    return {
        "serviceName": "Keepsafe",
        # The GOV.UK template tests `if cspNonce`; a lazy nonce is falsy until used, so pass a string.
        "cspNonce": str(nonce) if nonce is not None else "",
        "signed_in_user": user if signed_in else None,
        "signed_in_role": role,
        "assetPath": "/static/frontend/assets",
        "staff_name": staff_namer(),
        STAFF_FILTER_MEMO: {},  # the `staff` filter's names, looked up once per value per page (web/jinja.py)
    }
