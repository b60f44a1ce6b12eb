"""Signing in and finding the signed-in user on each request."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from keepsafe.workforce.models import User


class UserWithStaffBackend(ModelBackend):
    """Django's ModelBackend (passwords, active accounts), except that the user of each request is read with their
    staff record in one query: every page turns the user into an actor (role and staff code), which read the staff
    record in a second query on every request (issue 20 §6)."""

    def get_user(self, user_id: Any) -> User | None:  # type: ignore[override]
        try:
            user = User._default_manager.select_related("staff").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
