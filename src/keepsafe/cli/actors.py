"""Who a CLI command acts as: --as-user CODE (a staff code or username), or the audited system user."""

from __future__ import annotations

from django.core.management import CommandError

from keepsafe.core.actor import Actor, Channel
from keepsafe.workforce.selectors import actor_for_staff_code


def add_as_user(parser) -> None:
    parser.add_argument(
        "--as-user",
        metavar="CODE",
        default=None,
        help="act as this staff code or username (default: the system user, audited as such)",
    )


def cli_actor(code: str | None) -> Actor:
    if code is None:
        return Actor.system(Channel.CLI)
    actor = actor_for_staff_code(code, Channel.CLI)
    if actor is None:
        raise CommandError(f"no staff member or user {code!r}", returncode=2)
    return actor
