"""What every view needs: the actor behind the request, and role checks."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from keepsafe.core.actor import Actor, Role
from keepsafe.workforce.selectors import actor_for_user


def actor_of(request: HttpRequest) -> Actor:
    return actor_for_user(request.user)  # type: ignore[arg-type]


def require_role(actor: Actor, *roles: Role) -> None:
    if actor.role not in roles:
        raise PermissionDenied


# --- pages of a list (issue 14 §6, issue 20 §3): no list builds more than a screenful of rows ----------------------
PAGE_SIZE = 50


def page_number(request: HttpRequest) -> int:
    """The `page` asked for (1 if absent or not a whole number; never below 1)."""
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def page_count(total: int, size: int = PAGE_SIZE) -> int:
    return max(1, -(-total // size))


def query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
