"""Reading the organisation."""

from __future__ import annotations

from keepsafe.core.actor import Actor, Channel, Role
from keepsafe.workforce.models import User


def actor_for_user(user: User, channel: Channel = Channel.WEB) -> Actor:
    staff = user.staff
    return Actor(
        username=user.username,
        role=Role(user.role),
        staff_id=staff.pk if staff else None,
        staff_code=staff.code if staff else None,
        channel=channel,
    )


def actor_for_staff_code(code: str, channel: Channel = Channel.CLI) -> Actor | None:
    """The actor a CLI caller names with --as-user: a staff code, or a username."""
    user = (
        User.objects.select_related("staff").filter(staff__code__iexact=code).first()
        or User.objects.select_related("staff").filter(username__iexact=code).first()
    )
    if user is not None:
        return actor_for_user(user, channel)
    from keepsafe.workforce.models import Staff
    from keepsafe.workforce.rules.grades import Grade, default_role

    staff = Staff.objects.filter(code__iexact=code).first()
    if staff is None:
        return None
    return Actor(
        username=staff.code,
        role=default_role(Grade(staff.grade)),
        staff_id=staff.pk,
        staff_code=staff.code,
        channel=channel,
    )
