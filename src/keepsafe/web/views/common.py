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
