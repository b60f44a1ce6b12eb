"""Django password validator applying workforce/rules/passwords.py (configured in AUTH_PASSWORD_VALIDATORS)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from keepsafe.workforce.rules.passwords import MIN_DISTINCT, password_problems


class NoRepeatsOrUsernameValidator:
    def validate(self, password: str, user: Any = None) -> None:
        username = str(getattr(user, "username", "") or "")
        problems = password_problems(password, username)
        if problems:
            raise ValidationError([ValidationError(p, code="password_predictable") for p in problems])

    def get_help_text(self) -> str:
        return f"Your password needs at least {MIN_DISTINCT} different characters and must not contain your username."
