"""Reading the organisation."""

from __future__ import annotations

from keepsafe.core.actor import Actor, Channel, Role
from keepsafe.workforce.models import Staff, User


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


def users_list() -> list[User]:
    """issue 14 §8: every sign-in account, with its staff record and team."""
    return list(User.objects.select_related("staff__team").order_by("username"))


def staff_without_accounts() -> list[Staff]:
    """issue 14 §8: imported staff who cannot sign in yet, for the administrators' accounts page."""
    return list(Staff.objects.filter(user__isnull=True).select_related("team").order_by("surname", "forename", "code"))


def names_someone(code_or_username: str) -> bool:
    """Whether a staff code or an account's username (any case) belongs to someone Keepsafe knows."""
    value = code_or_username.strip()
    return Staff.objects.filter(code__iexact=value).exists() or User.objects.filter(username__iexact=value).exists()


def staff_name(code_or_username: str) -> str:
    """Who a stored "by" names, in words (issue 14 §7: people by name, the code beside it): a staff code or an
    account's username → "Forename Surname (CODE)"; anything else (an import's "system") as stored."""
    value = code_or_username.strip()
    if not value:
        return ""
    staff = Staff.objects.filter(code=value).only("forename", "surname", "code").first()
    if staff is None:
        user = User.objects.filter(username=value).select_related("staff").first()
        if user is None:
            return value
        if user.staff is None:
            return user.get_full_name() or value
        staff = user.staff
    return f"{staff.forename} {staff.surname} ({staff.code})"
