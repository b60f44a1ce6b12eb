"""Sign-in accounts for imported staff (issue 14 §8): `keepsafe user add|disable|list` and the administrators'
accounts page. Each write runs in one transaction with its audit event; passwords are never logged or audited."""

from __future__ import annotations

import re
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

from keepsafe.audit.services import audit_record
from keepsafe.core.actor import Actor, Role
from keepsafe.core.errors import PermissionDeniedError, ValidationError
from keepsafe.workforce.models import Staff, User
from keepsafe.workforce.rules.grades import Grade, role_problem

USERNAME = re.compile(r"^[A-Za-z0-9._-]{3,150}$")
ADMINS_ONLY = "Only an administrator can manage sign-in accounts"


def _require_admin(actor: Actor) -> None:
    if not actor.is_system and actor.role is not Role.ADMINISTRATOR:
        raise PermissionDeniedError(ADMINS_ONLY)


@transaction.atomic
def user_add(
    *, actor: Actor, username: str, staff_code: str, role: str, password: str | None = None
) -> tuple[User, str | None]:
    """An account for a member of staff already imported; returns it and, when no password was given, the one
    generated for it (to be passed on once and changed). Every problem is reported at once, by field."""
    _require_admin(actor)
    problems: list[tuple[str, str]] = []
    username = username.strip()
    if not USERNAME.match(username):
        problems.append(("username", "Enter a username of 3 to 150 letters, digits, dots, hyphens or underscores"))
    elif User.objects.filter(username__iexact=username).exists():
        problems.append(("username", f"The username {username!r} is already taken"))
    staff = Staff.objects.filter(code=staff_code.strip()).first() if staff_code.strip() else None
    if not staff_code.strip():
        problems.append(("staff", "Enter the staff code of an imported member of staff"))
    elif staff is None:
        problems.append(("staff", f"No member of staff has the code {staff_code.strip()!r}: import them first"))
    elif User.objects.filter(staff=staff).exists():
        problems.append(("staff", f"{staff.forename} {staff.surname} ({staff.code}) already has an account"))
    chosen = Role(role) if role in Role.__members__ else None
    if chosen is None:
        problems.append(("role", "Choose a role"))
    elif staff is not None and (reason := role_problem(Grade(staff.grade), chosen)) is not None:
        problems.append(("role", reason[:1].upper() + reason[1:]))
    generated = None
    if password is None:
        generated = password = secrets.token_urlsafe(18)
    else:
        probe = User(username=username)
        try:
            validate_password(password, probe)
        except DjangoValidationError as exc:
            problems += [("password", message) for message in exc.messages]
    if problems:
        raise ValidationError(problems)
    assert staff is not None
    assert chosen is not None
    user = User(
        username=username,
        staff=staff,
        role=chosen.value,
        first_name=staff.forename,
        last_name=staff.surname,
        email=staff.email or "",
    )
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor,
        action="USER_ADD",
        details={
            "username": username,
            "staff": staff.code,
            "role": chosen.value,
            "password": "generated" if generated else "given",
        },
    )
    return user, generated


@transaction.atomic
def user_disable(*, actor: Actor, username: str, reason: str) -> User:
    """Stop an account signing in (its history stays: audit events name it). An administrator cannot lock
    themselves out."""
    _require_admin(actor)
    problems: list[tuple[str, str]] = []
    user = User.objects.filter(username=username).first()
    if user is None:
        problems.append(("username", f"There is no account {username!r}"))
    elif not user.is_active:
        problems.append(("username", f"The account {username!r} is already disabled"))
    elif user.username == actor.username and not actor.is_system:
        problems.append(("username", "You cannot disable your own account"))
    if not reason.strip():
        problems.append(("reason", "Give the reason the account is disabled"))
    if problems:
        raise ValidationError(problems)
    assert user is not None
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_record(actor=actor, action="USER_DISABLE", details={"username": username, "reason": reason.strip()})
    return user
